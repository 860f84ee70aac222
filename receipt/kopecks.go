package receipt

import (
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// The arithmetic of Balance, Scale and Reprice runs on integers: prices and
// totals in kopecks, quantities in thousandths of a unit. These limits keep
// every product inside 128 bits and every sum inside int64.
const (
	// maxKopecks bounds unit prices, line totals, receipt totals and
	// targets: 10^15 roubles.
	maxKopecks = 100_000_000_000_000_000
	// maxMilli bounds quantities: 10^12 units.
	maxMilli = 1_000_000_000_000_000
	// maxExponent is the widest decimal exponent ApplyDiscount rounds with
	// decimal arithmetic; the JSON decoder of package yookassa refuses
	// anything wider.
	maxExponent = 30
)

var pow10 = [...]int64{
	1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
	1_000_000_000, 10_000_000_000, 100_000_000_000, 1_000_000_000_000,
	10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
	10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
}

// conv is the outcome of converting a decimal to a scaled integer.
type conv int

const (
	convOK        conv = iota
	convPrecision      // more decimal places than the scale allows
	convRange          // magnitude above the limit
)

// scaled returns d x 10^places when that is an integer whose magnitude is at
// most limit (limit < 10^18). It never expands the decimal's exponent, so a
// value such as 1e-999999999 costs no more than 1.
func scaled(d decimal.Decimal, places int32, limit int64) (int64, conv) {
	if d.IsZero() {
		return 0, convOK
	}
	e := int64(d.Exponent()) + int64(places)
	if d.NumDigits() > 18 {
		return scaledBig(d, e, limit)
	}
	c := d.CoefficientInt64()
	switch {
	case e >= 0:
		if e > 18 {
			return 0, convRange
		}
		m := limit / pow10[e]
		if c > m || c < -m {
			return 0, convRange
		}
		return c * pow10[e], convOK
	case e < -18:
		// |c| < 10^18 cannot be a multiple of 10^19 or more.
		return 0, convPrecision
	}
	m := pow10[-e]
	if c%m != 0 {
		return 0, convPrecision
	}
	c /= m
	if c > limit || c < -limit {
		return 0, convRange
	}
	return c, convOK
}

// scaledBig is scaled for coefficients of 19 digits or more.
func scaledBig(d decimal.Decimal, e int64, limit int64) (int64, conv) {
	if e >= 0 {
		return 0, convRange // at least 10^18 > limit
	}
	digits := int64(d.NumDigits())
	if -e > digits {
		return 0, convPrecision // non-zero and shorter than the divisor
	}
	q, r := new(big.Int).QuoRem(d.Coefficient(), new(big.Int).Exp(big.NewInt(10), big.NewInt(-e), nil), new(big.Int))
	if r.Sign() != 0 {
		return 0, convPrecision
	}
	if !q.IsInt64() || q.Int64() > limit || q.Int64() < -limit {
		return 0, convRange
	}
	return q.Int64(), convOK
}

// mulDiv returns a x b / d rounded half up (half away from zero: all three
// are non-negative) and the signed remainder a x b - q x d, which lies in
// (-d/2, d/2]. ok is false when d is 0 or the quotient does not fit 64 bits.
// d must be at most maxKopecks for the remainder to fit.
func mulDiv(a, b, d uint64) (q uint64, rem int64, ok bool) {
	hi, lo := bits.Mul64(a, b)
	if d == 0 || hi >= d {
		return 0, 0, false
	}
	q, r := bits.Div64(hi, lo, d)
	if r >= d-r { // 2r >= d without overflow
		return q + 1, int64(r) - int64(d), q+1 != 0
	}
	return q, int64(r), true
}

// lineKopecks is ReceiptItem.LineTotal in integers: price x quantity rounded
// half away from zero to kopecks. ok is false above maxKopecks.
func lineKopecks(kop, milli int64) (int64, bool) {
	q, _, ok := mulDiv(uint64(kop), uint64(milli), 1000)
	if !ok || q > maxKopecks {
		return 0, false
	}
	return int64(q), true
}

// kopecks turns an integer number of kopecks back into a decimal.
func kopecks(k int64) decimal.Decimal { return decimal.New(k, -2) }
