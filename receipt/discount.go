package receipt

import (
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// CheckDiscount reports whether percent is a discount this package applies:
// at least 0, below 100, with at most two decimals (12.5 and 4.99 are fine).
// Otherwise it returns a [*yookassa.ValidationError] for the field "percent".
// [ApplyDiscount] and [DiscountedTotal] ignore a percent [CheckDiscount] refuses;
// [Reprice] returns this error.
func CheckDiscount(percent decimal.Decimal) error {
	_, err := discountBasisPoints(percent)
	return err
}

// discountBasisPoints returns percent in hundredths of a percent, 0-9999.
func discountBasisPoints(percent decimal.Decimal) (int64, error) {
	bp, res := scaled(percent, 2, 1_000_000)
	switch {
	case res == convPrecision:
		return 0, &yookassa.ValidationError{Field: "percent", Reason: "has more than two decimal places"}
	case res == convRange || bp < 0 || bp >= 10000:
		return 0, &yookassa.ValidationError{Field: "percent", Reason: "must be at least 0 and below 100"}
	}
	return bp, nil
}

// discountFactor is 1 - bp/10000 as an exact decimal.
func discountFactor(bp int64) decimal.Decimal { return decimal.New(10000-bp, -4) }

// ApplyDiscount returns a copy of items in which every unit price is
// price x (1 - percent/100), rounded half away from zero to kopecks — the
// "mathematical rounding" YooKassa asks for (999.90 at 5% is 949.905, sent as
// 949.91). Quantities and every other field are kept; line totals may
// therefore no longer add up to any particular amount: see [Reprice] and
// [Balance].
//
// The input is never modified. The returned items are new values; their
// pointer and slice fields (MarkCodeInfo, MarkQuantity, Supplier,
// PaymentSubjectIndustryDetails) are shared with the input, and this package
// never writes through them.
//
// When [CheckDiscount](percent) refuses the percent (negative, 100 or more,
// more than two decimals), [ApplyDiscount] does not guess: it returns an
// unchanged copy. Check the percent first, or use [Reprice], which reports it.
// A price that is not a whole number of kopecks is discounted and rounded
// all the same, unless its decimal exponent lies beyond ±30 (no amount
// decoded from JSON has one): that price is copied unchanged rather than
// expanded. A rounded price may be 0.00 (0.01 at 60%); [Balance] refuses such a
// line, [Reprice] lifts it to 0.01.
func ApplyDiscount(items []yookassa.ReceiptItem, percent decimal.Decimal) []yookassa.ReceiptItem {
	out := make([]yookassa.ReceiptItem, len(items))
	copy(out, items)
	bp, err := discountBasisPoints(percent)
	if err != nil {
		return out
	}
	for i := range out {
		out[i].Amount.Value = discountPrice(out[i].Amount.Value, bp)
	}
	return out
}

// discountPrice is one price of [ApplyDiscount].
func discountPrice(p decimal.Decimal, bp int64) decimal.Decimal {
	if kop, res := scaled(p, 2, maxKopecks); res == convOK && kop >= 0 {
		// kop x (10000-bp) / 10000 <= kop: mulDiv cannot fail.
		q, _, _ := mulDiv(uint64(kop), uint64(10000-bp), 10000)
		return kopecks(int64(q))
	}
	if e := p.Exponent(); e < -maxExponent || e > maxExponent {
		return p
	}
	return p.Mul(discountFactor(bp)).Round(2)
}

// DiscountedTotal is the exact amount of items after a discount of percent:
// [Total](items) x (1 - percent/100), rounded half away from zero to kopecks.
// 3 x 333.33 at 10% is 999.99 x 0.9 = 899.991, so 899.99; 5,000 at 10% is
// 4,500.00. It is the amount of a capture or refund of these items of an
// installment-plan payment, and so the natural target of [Reprice]. Rounding
// each line instead would give 3 x 300.00 = 900.00 here.
//
// When [CheckDiscount](percent) refuses the percent, [DiscountedTotal] returns
// [Total](items), as if there were no discount, like [ApplyDiscount].
func DiscountedTotal(items []yookassa.ReceiptItem, percent decimal.Decimal) decimal.Decimal {
	total := Total(items)
	bp, err := discountBasisPoints(percent)
	if err != nil {
		return total
	}
	return total.Mul(discountFactor(bp)).Round(2)
}

// Reprice returns the receipt of a partial capture or a partial refund of an
// installment-plan payment: every unit price discounted as by [ApplyDiscount],
// then balanced so that [Total] is exactly target, the amount the receipt will
// be sent with (usually [DiscountedTotal](items, percent)).
//
// Because [Reprice] knows the exact discounted prices, it spends the residue on
// the lines whose price rounding moved furthest from the exact value —
// rounded down most when kopecks must be added, rounded up most when they must
// be taken away — ties by position; otherwise the rules are those of [Balance].
// So the result can differ from [Balance]([ApplyDiscount](items, percent), target),
// which only sees rounded prices. A discounted unit price that rounds to 0.00
// becomes 0.01, that extra is balanced too, and the bound on the residue
// grows by half a kopeck per unit so lifted.
//
// Errors: a [*yookassa.ValidationError] for a percent [CheckDiscount] refuses, a
// malformed target or item; a [*BalanceError] when target cannot be reached.
func Reprice(items []yookassa.ReceiptItem, percent, target decimal.Decimal) ([]yookassa.ReceiptItem, error) {
	bp, err := discountBasisPoints(percent)
	if err != nil {
		return nil, err
	}
	return rebalance(items, target, 10000-bp, 10000)
}
