package sberloan_test

import (
	"testing"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// d parses a decimal literal; tests only.
func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestIncome(t *testing.T) {
	cases := []struct{ amount, commission, want string }{
		{"5000", "3.5", "4825.00"},    // loan, seed 003
		{"4500", "3.5", "4342.50"},    // installments, seed 003: (5000 - 500) x 0.965
		{"5000.00", "0", "5000.00"},   // no commission
		{"3000.01", "3.5", "2895.01"}, // 2895.00965 -> 2895.01
		{"1000.10", "2.5", "975.10"},  // 975.0975 -> 975.10
		{"0.30", "5", "0.29"},         // 0.285 -> 0.29: half away from zero
		{"0.10", "5", "0.10"},         // 0.095 -> 0.10
		{"600000", "3.5", "579000.00"},
	}
	for _, tc := range cases {
		got := sberloan.Income(d(tc.amount), d(tc.commission))
		assert.Equal(t, tc.want, got.StringFixed(2), "Income(%s, %s)", tc.amount, tc.commission)
		assert.True(t, got.Equal(got.Round(2)), "kopecks")
	}
}

func TestIncomeWithVAT(t *testing.T) {
	cases := []struct{ amount, commission, vat, want string }{
		{"5000", "3.5", "0", "4825.00"},      // loan, the guide (seed 003)
		{"4500", "3.5", "0", "4342.50"},      // installments, the guide
		{"5000", "3.5", "22", "4786.50"},     // loan, YooKassa since 2026: 5000 x 0.9573
		{"4500", "3.5", "22", "4307.85"},     // installments since 2026: 4500 x 0.9573
		{"3375", "3.5", "22", "3230.89"},     // 3230.8875: one rounding at the end
		{"1000.01", "2.8", "22", "965.85"},   // 1000.01 x 0.96584 = 965.8496584
		{"0.50", "3.5", "22", "0.48"},        // 0.47865
		{"100", "0", "22", "100.00"},         // no commission, no VAT on it
		{"600000", "3.5", "22", "574380.00"}, // 600000 x 0.9573
	}
	for _, tc := range cases {
		got := sberloan.IncomeWithVAT(d(tc.amount), d(tc.commission), d(tc.vat))
		assert.Equal(t, tc.want, got.StringFixed(2), "IncomeWithVAT(%s, %s, %s)", tc.amount, tc.commission, tc.vat)
		c := sberloan.Config{CommissionPercent: d(tc.commission), CommissionVATPercent: d(tc.vat)}
		assert.Equal(t, tc.want, c.Income(d(tc.amount)).StringFixed(2), "Config.Income")
		if tc.vat == "0" {
			assert.Equal(t, sberloan.Income(d(tc.amount), d(tc.commission)).StringFixed(2), got.StringFixed(2), "VAT 0 is Income")
		}
	}
}

// FuzzIncomeWithVAT checks the rounding rule against integer arithmetic:
// income in kopecks is round-half-up(kopecks x (10^6 - c x (10^4 + v)) /
// 10^6) for c and v in hundredths of a percent.
func FuzzIncomeWithVAT(f *testing.F) {
	f.Add(int64(500000), int64(350), int64(2200))
	f.Add(int64(337500), int64(350), int64(2200))
	f.Add(int64(1), int64(9999), int64(0))
	f.Fuzz(func(t *testing.T, kopecks, c, v int64) {
		if kopecks <= 0 || kopecks > 1e11 || c < 0 || c >= 10000 || v < 0 || v >= 10000 || c*(10000+v) >= 1e8 {
			return
		}
		got := sberloan.IncomeWithVAT(decimal.New(kopecks, -2), decimal.New(c, -2), decimal.New(v, -2))
		exact := decimal.NewFromInt(kopecks).Mul(decimal.NewFromInt(100000000 - c*(10000+v)))
		q, r := exact.QuoRem(decimal.NewFromInt(100000000), 0)
		if r.Mul(decimal.NewFromInt(2)).GreaterThanOrEqual(decimal.NewFromInt(100000000)) {
			q = q.Add(decimal.NewFromInt(1))
		}
		if want := q.Shift(-2); !got.Equal(want) {
			t.Fatalf("IncomeWithVAT(%d kopecks, %d, %d) = %s, want %s", kopecks, c, v, got, want)
		}
	})
}

func TestDiscount(t *testing.T) {
	cases := []struct{ amount, percent, discounted, discount string }{
		{"5000", "10", "4500.00", "500.00"}, // seed 003
		{"3300", "10", "2970.00", "330.00"},
		{"999.90", "5", "949.91", "49.99"}, // 949.905 rounds half away from zero
		{"5000", "0", "5000.00", "0.00"},
		{"0.01", "50", "0.01", "0.00"}, // 0.005 -> 0.01
		{"0.01", "49.99", "0.01", "0.00"},
		{"100", "99.99", "0.01", "99.99"},
		{"12345.67", "7.25", "11450.61", "895.06"}, // 11450.608925
	}
	for _, tc := range cases {
		discounted, discount := sberloan.Discount(d(tc.amount), d(tc.percent))
		assert.Equal(t, tc.discounted, discounted.StringFixed(2), "Discount(%s, %s) discounted", tc.amount, tc.percent)
		assert.Equal(t, tc.discount, discount.StringFixed(2), "Discount(%s, %s) discount", tc.amount, tc.percent)
		assert.True(t, discounted.Add(discount).Equal(d(tc.amount)), "parts add up")
	}
}

func FuzzDiscount(f *testing.F) {
	f.Add(int64(500000), int64(1000))
	f.Add(int64(99990), int64(500))
	f.Add(int64(1), int64(9999))
	f.Fuzz(func(t *testing.T, kopecks, basisPoints int64) {
		if kopecks <= 0 || kopecks > 1e12 || basisPoints < 0 || basisPoints >= 10000 {
			return
		}
		amount := decimal.New(kopecks, -2)
		percent := decimal.New(basisPoints, -2)
		discounted, discount := sberloan.Discount(amount, percent)
		if !discounted.Add(discount).Equal(amount) {
			t.Fatalf("%s at %s%%: %s + %s != amount", amount, percent, discounted, discount)
		}
		if !discounted.Equal(discounted.Round(2)) || !discount.Equal(discount.Round(2)) {
			t.Fatalf("%s at %s%%: not whole kopecks: %s, %s", amount, percent, discounted, discount)
		}
		if discount.Sign() < 0 || discounted.Sign() < 0 {
			t.Fatalf("%s at %s%%: negative part: %s, %s", amount, percent, discounted, discount)
		}
		// The discount is the exact one within half a kopeck.
		exact := amount.Mul(percent).Div(decimal.NewFromInt(100))
		if exact.Sub(discount).Abs().GreaterThan(decimal.New(5, -3)) {
			t.Fatalf("%s at %s%%: discount %s, exact %s", amount, percent, discount, exact)
		}
		income := sberloan.Income(discounted, percent)
		if income.GreaterThan(discounted) || income.Sign() < 0 {
			t.Fatalf("Income(%s, %s) = %s", discounted, percent, income)
		}
	})
}
