// Package yookassatest is an in-process YooKassa for tests and examples,
// in the spirit of net/http/httptest: a stateful simulator of the API v3
// that a *yookassa.Client talks to over real HTTP on a loopback port.
//
// It keeps payments, refunds, receipts and webhooks in memory and follows
// YooKassa's rules: Basic and OAuth authentication, request validation (400
// invalid_request naming the parameter), idempotence (the same key and body
// return the first result without a second effect; the same key with another
// body is refused; keys are remembered for 24 hours of the simulator's clock),
// the payment state machine with holds and expiry, refunds up to the
// captured amount, and receipts.
//
// SberBank credit purchases (sber_loan) behave as YooKassa describes them:
// limits at creation (package sberloan), a confirmation page served by the
// simulator where a person (or a test, with Server.Confirm) picks a loan or an
// installment plan or declines, the payment amount rewritten to the
// discounted sum on installments with discount_amount set and the receipt
// repriced (package receipt), income after a configurable commission, the
// cooling-off pause for 50,000 RUB and more, and partial captures of less
// than 3,000 RUB refused.
//
// With WithWebhook the simulator POSTs notifications on every transition and
// re-delivers until it gets a 200. Faults (500 before or after the effect,
// 202 "processing", 429, connection resets, latency) can be injected per
// endpoint by count or seeded probability, and the clock can be moved with
// Server.Advance.
package yookassatest
