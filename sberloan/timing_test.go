package sberloan_test

import (
	"testing"
	"time"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/stretchr/testify/assert"
)

func TestTimeRules(t *testing.T) {
	assert.Equal(t, 2*time.Hour, sberloan.HoldPeriod)
	assert.Equal(t, 180*24*time.Hour, sberloan.RefundPeriod)
	cases := []struct {
		amount     string
		coolingOff bool
		pause      time.Duration
		deadline   time.Duration
	}{
		{"3000.00", false, 0, 8 * time.Hour},
		{"49999.99", false, 0, 8 * time.Hour},
		{"50000.00", true, 4 * time.Hour, 28 * time.Hour},
		{"200000.00", true, 4 * time.Hour, 28 * time.Hour},
		{"200000.01", true, 48 * time.Hour, 72 * time.Hour},
		{"600000.00", true, 48 * time.Hour, 72 * time.Hour},
	}
	for _, tc := range cases {
		a := d(tc.amount)
		assert.Equal(t, tc.coolingOff, sberloan.CoolingOff(a), tc.amount)
		assert.Equal(t, tc.pause, sberloan.CoolingOffPause(a), tc.amount)
		assert.Equal(t, tc.deadline, sberloan.PaymentDeadline(a), tc.amount)
	}
}

func TestSuspendedUntil(t *testing.T) {
	until := time.Date(2025, 9, 2, 14, 0, 0, 0, time.UTC)
	p := loadPayment(t, "payment_pending.json")
	_, ok := sberloan.SuspendedUntil(p)
	assert.False(t, ok, "under 50,000 there is no pause")

	p.Amount = rub("100000.00")
	p.PaymentMethod.SuspendedUntil = &until
	got, ok := sberloan.SuspendedUntil(p)
	assert.True(t, ok)
	assert.True(t, until.Equal(got))

	p.PaymentMethod.Type = yookassa.PaymentMethodBankCard
	_, ok = sberloan.SuspendedUntil(p)
	assert.False(t, ok)
	_, ok = sberloan.SuspendedUntil(nil)
	assert.False(t, ok)
}
