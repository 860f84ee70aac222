package sberloan

import "github.com/shopspring/decimal"

var hundred = decimal.NewFromInt(100)

// Income is what the merchant receives of amount after YooKassa's
// commission: amount x (1 - commissionPercent/100), rounded half away from
// zero to kopecks. For an installment plan pass the discounted amount (the
// payment's amount once paid).
//
//	Income(5000, 3.5) = 4825.00   (loan)
//	Income(4500, 3.5) = 4342.50   (installments, 5000 less a 10% discount)
func Income(amount, commissionPercent decimal.Decimal) decimal.Decimal {
	return applyPercent(amount, commissionPercent)
}

// Discount splits amount by an installment tariff of percent: discounted is
// amount x (1 - percent/100) rounded half away from zero to kopecks, and
// discount is amount - discounted, so the two always add up to amount.
// YooKassa rewrites the amount of a paid installment payment to discounted
// and reports discount as payment_method.discount_amount.
//
//	Discount(5000, 10) = 4500.00, 500.00
func Discount(amount, percent decimal.Decimal) (discounted, discount decimal.Decimal) {
	discounted = applyPercent(amount, percent)
	return discounted, amount.Sub(discounted)
}

// applyPercent returns amount x (100 - percent) / 100 rounded half away from
// zero to kopecks. Dividing by 100 is a decimal shift, so nothing is lost
// before the single rounding.
func applyPercent(amount, percent decimal.Decimal) decimal.Decimal {
	return amount.Mul(hundred.Sub(percent)).Shift(-2).Round(2)
}
