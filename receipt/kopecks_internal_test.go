package receipt

import (
	"math/rand/v2"
	"testing"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScaled(t *testing.T) {
	big20 := decimal.RequireFromString("1.00000000000000000000") // 21-digit coefficient
	tests := []struct {
		name   string
		d      decimal.Decimal
		places int32
		limit  int64
		want   int64
		res    conv
	}{
		{"zero value", decimal.Decimal{}, 2, maxKopecks, 0, convOK},
		{"zero with exponent", decimal.New(0, -40), 2, maxKopecks, 0, convOK},
		{"kopecks", decimal.RequireFromString("949.91"), 2, maxKopecks, 94991, convOK},
		{"roubles", decimal.RequireFromString("3000"), 2, maxKopecks, 300000, convOK},
		{"trailing zeros", decimal.RequireFromString("10.000"), 2, maxKopecks, 1000, convOK},
		{"positive exponent", decimal.New(3, 3), 2, maxKopecks, 300000, convOK},
		{"negative", decimal.RequireFromString("-1.5"), 2, maxKopecks, -150, convOK},
		{"third decimal", decimal.RequireFromString("949.905"), 2, maxKopecks, 0, convPrecision},
		{"thousandths", decimal.RequireFromString("1.5"), 3, maxMilli, 1500, convOK},
		{"ten thousandths", decimal.RequireFromString("1.0001"), 3, maxMilli, 0, convPrecision},
		{"at the limit", decimal.New(1, 15), 2, maxKopecks, maxKopecks, convOK},
		{"above the limit", decimal.RequireFromString("1000000000000000.01"), 2, maxKopecks, 0, convRange},
		{"huge exponent", decimal.New(1, 1_000_000_000), 2, maxKopecks, 0, convRange},
		{"tiny exponent", decimal.New(1, -1_000_000_000), 2, maxKopecks, 0, convPrecision},
		{"long coefficient, exact", big20, 2, maxKopecks, 100, convOK},
		{"long coefficient, inexact", decimal.RequireFromString("1.00000000000000000001"), 2, maxKopecks, 0, convPrecision},
		{"long coefficient, large", decimal.RequireFromString("12345678901234567890123"), 2, maxKopecks, 0, convRange},
		{"long coefficient, large with decimals", decimal.RequireFromString("1234567890123456789.000"), 2, maxKopecks, 0, convRange},
		{"long coefficient, tiny exponent", decimal.NewFromBigInt(big20.Coefficient(), -1_000_000_000), 2, maxKopecks, 0, convPrecision},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, res := scaled(tt.d, tt.places, tt.limit)
			assert.Equal(t, tt.res, res)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMulDiv(t *testing.T) {
	tests := []struct {
		a, b, d uint64
		q       uint64
		rem     int64
		ok      bool
	}{
		{99990, 9500, 10000, 94991, -5000, true}, // 949.905 -> 949.91, half up
		{33333, 9000, 10000, 30000, -3000, true}, // 299.997 -> 300.00
		{7, 1, 2, 4, -1, true},                   // 3.5 -> 4
		{5, 1, 3, 2, -1, true},                   // 1.67 -> 2
		{4, 1, 3, 1, 1, true},                    // 1.33 -> 1
		{1, 1, 0, 0, 0, false},                   // division by zero
		{1 << 63, 4, 2, 0, 0, false},             // quotient beyond 64 bits
	}
	for _, tt := range tests {
		q, rem, ok := mulDiv(tt.a, tt.b, tt.d)
		assert.Equal(t, tt.ok, ok, "%d x %d / %d", tt.a, tt.b, tt.d)
		if tt.ok {
			assert.Equal(t, tt.q, q, "%d x %d / %d", tt.a, tt.b, tt.d)
			assert.Equal(t, tt.rem, rem, "%d x %d / %d", tt.a, tt.b, tt.d)
		}
	}
}

// lineKopecks must agree with yookassa's LineTotal, the rule YooKassa applies.
func TestLineKopecksMatchesLineTotal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		kop := r.Int64N(60_000_000) + 1
		milli := r.Int64N(1_000_000) + 1
		got, ok := lineKopecks(kop, milli)
		require.True(t, ok)
		it := yookassa.ReceiptItem{Amount: yookassa.RUB(decimal.New(kop, -2)), Quantity: decimal.New(milli, -3)}
		require.True(t, decimal.New(got, -2).Equal(it.LineTotal()), "%d kopecks x %d thousandths", kop, milli)
	}
	_, ok := lineKopecks(maxKopecks, maxMilli)
	assert.False(t, ok, "a line total above the limit")
}

// The integer path of ApplyDiscount must give what decimal arithmetic gives.
func TestDiscountPriceMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		kop := r.Int64N(60_000_000) + 1
		if r.IntN(4) == 0 {
			kop = r.Int64N(maxKopecks) + 1
		}
		bp := r.Int64N(10000)
		p := decimal.New(kop, -2)
		want := p.Mul(discountFactor(bp)).Round(2)
		require.True(t, want.Equal(discountPrice(p, bp)), "%s at %d bp", p, bp)
	}
}
