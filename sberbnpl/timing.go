package sberbnpl

import "time"

// Time rules of sber_bnpl payments (YooKassa's page on the method).
const (
	// PaymentDeadline is how long the buyer has to pay after the payment
	// is created; YooKassa then cancels it (expired_on_confirmation).
	PaymentDeadline = time.Hour
	// HoldPeriod is how long a two-stage payment stays
	// waiting_for_capture before YooKassa cancels it
	// (expired_on_capture); the payment's ExpiresAt is authoritative.
	HoldPeriod = 7 * 24 * time.Hour
)

// RefundDeadline is the last moment a payment created at createdAt can be
// refunded: one calendar year later. The partner then credits the buyer's
// card within 1 to 10 business days.
func RefundDeadline(createdAt time.Time) time.Time { return createdAt.AddDate(1, 0, 0) }
