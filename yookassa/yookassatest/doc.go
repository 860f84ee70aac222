// Package yookassatest is an in-process YooKassa for tests and examples,
// in the spirit of net/http/httptest: a stateful simulator of the API v3
// that a *yookassa.Client talks to over real HTTP on a loopback port.
// NewServer starts one; NewUnstartedServer lets the code under test be
// built first and its webhook URL given to Start.
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
// The rest of the API has its state machines too, each in its own file:
// saved payment methods that wait for the user (ConfirmPaymentMethod,
// DeclinePaymentMethod, an hour to confirm) and then pay without them;
// invoices whose link (PayInvoice) creates the payment they then follow;
// Safe deals whose balances follow their payments, refunds and payouts and
// which close with deal.closed; payouts that succeed or are canceled with a
// reason (the gateway's balance, the limits, DeclineNextPayout), at once or
// after WithPayoutDelay; the SBP bank list; personal data that becomes
// active with a payout and expires. Payouts, SBP banks and personal data
// answer the payout gateway's own credentials (WithPayoutCredentials,
// PayoutClient), as YooKassa's do.
//
// With WithWebhook the simulator POSTs notifications on every transition and
// re-delivers until it gets a 200. Faults (500 before or after the effect,
// 202 "processing", 429, connection resets, latency) can be injected per
// endpoint by count or seeded probability, and the clock can be moved with
// Server.Advance.
//
// Its answers are written as YooKassa writes them and its tests validate
// them against YooKassa's OpenAPI specification. The module's notification
// handler accepts its notifications with one line of test configuration,
// notification.WithAllowedSources(sim.NotificationSource()).
//
// Every Server also serves a control API under /sim, JSON in and out, that
// does what the methods Confirm, Decline, Advance, InjectFault, Deliveries
// and Reset do, for tests in other languages; cmd/yookassa-sim serves it
// as a standalone program (see control.go for the calls).
//
// # Layout
//
// One concern per file: server.go (Server, constructors, Reset), options.go,
// router.go (the endpoint table, authentication, faults and locking around
// every endpoint), idempotence.go, errors.go (YooKassa's error object),
// wire.go (JSON in and out), clock.go and timers.go (the simulator's time and
// deadlines), faults.go, notify.go (webhook deliveries), control.go (the
// /sim control API of the standalone server), requestlog.go; then one file
// per resource: payments.go, refunds.go, receipts.go, webhooks.go, me.go,
// payment_methods.go, invoices.go, deals.go, payouts.go, sbp_banks.go,
// personal_data.go, with list.go for the filters and paging they share and
// resources.go for the payout gateway's credentials, the deadlines of the
// newer resources and their three seams with payments. The payment state
// machine, every status change and every guard, is in payment_states.go;
// what the buyer does (Confirm, Decline) is in buyer.go and the confirmation
// page in checkout.go. A resource added later lists its endpoints in its own
// file and adds the list to apiEndpoints in router.go.
package yookassatest
