package sberloan_test

import (
	"testing"
	"time"

	"github.com/creditpay/yookassa-go/sberloan"
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
