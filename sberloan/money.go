package sberloan

import "github.com/shopspring/decimal"

var hundred = decimal.NewFromInt(100)

// Income is what the merchant receives of amount after YooKassa's
// commission, without VAT on it: amount x (1 - commissionPercent/100),
// rounded half away from zero to kopecks. For an installment plan pass the
// discounted amount (the payment's amount once paid). These are the numbers
// of the sber_loan guide, from before YooKassa charged VAT on its
// commission:
//
//	Income(5000, 3.5) = 4825.00   (loan)
//	Income(4500, 3.5) = 4342.50   (installments, 5000 less a 10% discount)
//
// Since 1 January 2026 use [IncomeWithVAT] or [Config.Income].
func Income(amount, commissionPercent decimal.Decimal) decimal.Decimal {
	return applyPercent(amount, commissionPercent)
}

// IncomeWithVAT is what the merchant receives of amount when YooKassa
// withholds its commission and VAT of vatPercent on that commission:
//
//	amount x (1 - c/100 x (1 + v/100))
//
// for a commission of c percent and VAT of v percent. The whole deduction
// is computed exactly (decimal arithmetic, no intermediate rounding) and
// the result is rounded once, half away from zero, to kopecks: the
// documented formula, 5,000 x (1 - (0.035 + 0.035 x 0.22)) = 5,000 x 0.9573,
// applied literally.
//
//	IncomeWithVAT(5000, 3.5, 22) = 4786.50   (loan)
//	IncomeWithVAT(4500, 3.5, 22) = 4307.85   (installments)
//	IncomeWithVAT(5000, 3.5, 0)  = 4825.00   (= Income(5000, 3.5))
//
// YooKassa does not document how it rounds income_amount under VAT. If it
// rounds the commission and the VAT to kopecks separately, its figure
// differs from this one by at most one kopeck; the payment's IncomeAmount
// is authoritative, this is the merchant's estimate.
func IncomeWithVAT(amount, commissionPercent, vatPercent decimal.Decimal) decimal.Decimal {
	// deduction in hundredths of a percent: c x (100 + v), out of 10,000.
	deduction := commissionPercent.Mul(hundred.Add(vatPercent))
	return amount.Mul(hundred.Mul(hundred).Sub(deduction)).Shift(-4).Round(2)
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
