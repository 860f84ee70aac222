package limit

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestMessage(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		amount, lo, hi, missed, want string
	}{
		{"2999.99", "3000", "600000", "0.01", "p: amount: payment of 2999.99 RUB is 0.01 RUB under the minimum 3000.00 RUB (allowed 3000.00-600000.00 RUB)"},
		{"600000.5", "3000", "600000", "0.50", "p: amount: payment of 600000.50 RUB is 0.50 RUB over the maximum 600000.00 RUB (allowed 3000.00-600000.00 RUB)"},
		{"3000", "3000", "600000", "0.00", "p: amount: payment of 3000.00 RUB refused (allowed 3000.00-600000.00 RUB)"},
		{"2000", "3000", "2500", "1000.00", "p: amount: payment of 2000.00 RUB refused: the minimum 3000.00 RUB is above the maximum 2500.00 RUB"},
	} {
		if got := Missed(d(tc.amount), d(tc.lo), d(tc.hi)).StringFixed(2); got != tc.missed {
			t.Errorf("Missed(%s) = %s, want %s", tc.amount, got, tc.missed)
		}
		if got := Message("p", "amount", "payment", d(tc.amount), d(tc.lo), d(tc.hi)); got != tc.want {
			t.Errorf("Message(%s) =\n%s\nwant\n%s", tc.amount, got, tc.want)
		}
	}
}
