// Package notification receives YooKassa's HTTP notifications (webhooks)
// without trusting what a forged request says.
//
// YooKassa does not sign its notifications: anyone who knows the URL can
// POST {"type":"notification","event":"payment.succeeded","object":{...}}
// to it. A shop that ships goods on the strength of such a body can be
// robbed. Two defences remain, and this package applies both:
//
//  1. The source address. YooKassa sends notifications only from the
//     networks listed by [YooKassaNetworks]. A request from anywhere else is
//     refused. Behind a reverse proxy the address comes from X-Forwarded-For,
//     but only when the immediate peer is one of the proxies named with
//     [WithTrustedProxies]; a header from anyone else is ignored, because
//     anyone can write it.
//  2. The object itself. The body is only a hint: the handler reads the
//     object again through the API (GET /payments/{id}, /refunds/{id},
//     /payouts/{id}, /deals/{id}, /payment_methods/{id}) and hands the
//     callback that answer, not the delivered copy. The fetched status must
//     be the one the event announces.
//
// [Parse] decodes a body and checks its shape; it proves nothing about where
// the body came from. [Handler] returns a [net/http.Handler] that, for every
// request, checks in this order: the method (POST), the source address, the
// body size, the body's shape, a repeated delivery (with
// [WithDeduplication]), the object re-read from YooKassa and its status; only
// then does it call the callback. It answers 200 only when the callback
// succeeded or the delivery was already processed, so YooKassa, which
// re-delivers a notification for 24 hours until it gets a 200, retries
// everything else. Each refusal has its own status code and a short
// plain-text body (see [Handler]).
//
// Every event YooKassa sends ([KnownEvents]) is decoded into a typed field
// of [Event] and re-read. Payouts belong to the payout gateway, whose own
// credentials read them: give the handler that client with
// [WithPayoutClient], or opt out of their re-read explicitly with
// [WithoutRefetchFor], in which case the callback gets the delivered copy
// with [Event].Verified false and must check it itself.
package notification
