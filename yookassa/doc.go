// Package yookassa is a typed client for the YooKassa HTTP API v3.
//
// It covers payments (create, get, list, capture, cancel), refunds, receipts,
// webhooks and GET /me, with first-class support for SberBank credit
// purchases (payment method sber_loan), and the rest of the API: saved
// payment methods, invoices, the Safe deal, payouts, SBP banks and personal
// data. Payouts (with SBP banks and personal data) take the payout
// gateway's own credentials; see [Client.CreatePayout].
//
// Money is always a [decimal.Decimal] inside an [Amount] and travels as a
// two-decimal string ("5000.00"); it is never a float.
//
// Every call that changes state (POST, DELETE) carries an Idempotence-Key.
// The client generates one UUIDv4 per logical call, or uses the key given
// with [WithIdempotenceKey], and sends the same key with a byte-identical body
// on every retry, so a retried call can never charge twice. Network errors,
// 202 "processing", 429 and 5xx answers are retried with capped exponential
// backoff and jitter, always inside the caller's context. When a request may
// have reached YooKassa but no final answer came back, the error matches
// [ErrOutcomeUnknown] and carries the key to retry with (see
// [OutcomeUnknownError]).
//
// Input that YooKassa would reject is refused before anything is sent, as a
// [*ValidationError] naming the field. Answers other than 2xx are
// [*APIError] values that match the sentinel errors ([ErrInvalidRequest],
// [ErrNotFound], ...) with [errors.Is].
package yookassa
