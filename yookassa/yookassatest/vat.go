package yookassatest

import "github.com/shopspring/decimal"

// WithCommissionVAT sets the VAT YooKassa withholds on its commission, in
// percent of the commission (sberloan.Config.CommissionVATPercent):
// income_amount becomes amount x (1 - c/100 x (1 + percent/100)), rounded
// once, half away from zero, to kopecks. WithCommissionVAT(22) gives
// YooKassa's terms since 1 January 2026: 5,000.00 at 3.5% brings 4,786.50,
// the discounted 4,500.00 of an installment plan 4,307.85.
//
// By default the simulator charges no VAT, so its payments carry the
// income_amount of YooKassa's documented JSON examples and of the sber_loan
// guide (4,825.00 and 4,342.50), which tests and fixtures written against
// those documents expect.
func WithCommissionVAT(percent decimal.Decimal) Option {
	return func(s *Server) { s.loan.CommissionVATPercent = percent }
}
