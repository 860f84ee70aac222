package sberloan

import (
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// Time rules of sber_loan payments.
const (
	// HoldPeriod is how long a two-stage payment stays waiting_for_capture
	// before YooKassa cancels it; the payment's ExpiresAt is authoritative.
	HoldPeriod = 2 * time.Hour
	// RefundPeriod is how long after its creation a payment can be
	// refunded.
	RefundPeriod = 180 * 24 * time.Hour
)

var (
	coolingOffThreshold = decimal.NewFromInt(50000)
	longWaitThreshold   = decimal.NewFromInt(200000)
)

// CoolingOff reports whether a payment of amount falls under the legal
// cooling-off period for consumer credit (since 1 September 2025: loans and
// installment plans of 50,000 RUB and more). During the pause the buyer can
// still back out; YooKassa reports its end in
// payment_method.suspended_until ([Purchase.SuspendedUntil]) and completes
// the payment when it ends.
func CoolingOff(amount decimal.Decimal) bool {
	return amount.GreaterThanOrEqual(coolingOffThreshold)
}

// CoolingOffPause is the length of the cooling-off pause for amount: none
// under 50,000 RUB, 4 hours from 50,000 to 200,000 RUB, 48 hours above
// 200,000 RUB.
func CoolingOffPause(amount decimal.Decimal) time.Duration {
	switch {
	case !CoolingOff(amount):
		return 0
	case amount.GreaterThan(longWaitThreshold):
		return 48 * time.Hour
	default:
		return 4 * time.Hour
	}
}

// PaymentDeadline is how long the buyer has to complete a sber_loan payment
// of amount (apply for the loan and get it approved) before it expires: 8
// hours under 50,000 RUB, 28 hours from 50,000 to 200,000 RUB, 72 hours above
// 200,000 RUB. The longer deadlines make room for the cooling-off pause.
func PaymentDeadline(amount decimal.Decimal) time.Duration {
	switch {
	case !CoolingOff(amount):
		return 8 * time.Hour
	case amount.GreaterThan(longWaitThreshold):
		return 72 * time.Hour
	default:
		return 28 * time.Hour
	}
}

// SuspendedUntil returns the end of the cooling-off pause of a sber_loan
// payment in any status (payment_method.suspended_until), ok false when the
// payment has none or is not a sber_loan payment. YooKassa reports it while
// the payment is still pending, before [Config.Read] accepts the payment:
// until then the buyer can back out, afterwards the payment completes by
// itself.
func SuspendedUntil(p *yookassa.Payment) (until time.Time, ok bool) {
	if p == nil || p.PaymentMethod == nil || p.PaymentMethod.Type != yookassa.PaymentMethodSberLoan ||
		p.PaymentMethod.SuspendedUntil == nil {
		return time.Time{}, false
	}
	return *p.PaymentMethod.SuspendedUntil, true
}
