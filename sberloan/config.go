package sberloan

import (
	"fmt"
	"maps"
	"slices"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// Limits are SberBank's bounds on sber_loan amounts, in roubles.
type Limits struct {
	// MinLoan is the smallest payment that can be created for a consumer
	// loan; with installment plans enabled the minimum is higher (see
	// [Config.MinAmount]).
	MinLoan decimal.Decimal
	// Max is the largest payment that can be created.
	Max decimal.Decimal
	// MinPartialCapture is the smallest partial capture, on the discounted
	// basis for installment plans. A full capture is always allowed.
	MinPartialCapture decimal.Decimal
}

// DefaultLimits returns the limits of YooKassa's sber_loan guide: payments
// from 3,000 to 600,000 RUB, partial captures from 3,000 RUB. Each call
// returns a new value, so nobody can change the defaults of another.
//
// SberBank changes these numbers: newer YooKassa pages give a maximum of
// 1,500,000 RUB. Put the numbers of the merchant's contract in
// [Config.Limits] when they differ.
func DefaultLimits() Limits {
	return Limits{
		MinLoan:           decimal.NewFromInt(3000),
		Max:               decimal.NewFromInt(600000),
		MinPartialCapture: decimal.NewFromInt(3000),
	}
}

// IsZero reports whether no limit is set.
func (l Limits) IsZero() bool {
	return l.MinLoan.IsZero() && l.Max.IsZero() && l.MinPartialCapture.IsZero()
}

// Config is what a merchant agreed with YooKassa for sber_loan. It is a
// plain value, safe for concurrent use as long as nobody modifies Tariffs.
//
// Every method that depends on the configuration (CheckAmount,
// CheckCapture, CheckPaymentRequest, NewPayment, Read, PlanCapture,
// PlanRefund) calls [Config.Validate] first and returns its error;
// MinAmount, MaxPercent and Percent, which cannot return an error, do not.
type Config struct {
	// Limits are the amount limits; the zero value stands for
	// [DefaultLimits]().
	Limits Limits
	// Tariffs maps each installment plan the merchant enabled
	// ("installments_N") to its discount percent, for example
	// {"installments_12": 10}. "loan" has no discount and is not listed.
	// Keep this table in sync with the YooKassa contract: the discount of a
	// paid payment is checked against it.
	Tariffs map[Option]decimal.Decimal
	// CommissionPercent is YooKassa's fee in percent of the (discounted)
	// amount, for example 3.5.
	CommissionPercent decimal.Decimal
	// CommissionVATPercent is the VAT YooKassa withholds on its commission,
	// in percent of the commission: 22 since 1 January 2026 (YooKassa's API
	// changelog of 26 December 2025). The merchant receives
	// amount x (1 - c/100 x (1 + v/100)), computed exactly and rounded once,
	// half away from zero, to kopecks ([IncomeWithVAT]): 5,000.00 at 3.5%
	// and 22% gives 4,786.50, the discounted 4,500.00 gives 4,307.85.
	//
	// The zero value means no VAT, which gives the numbers of the sber_loan
	// guide (4,825.00 and 4,342.50). Zero is the default because a Config
	// states the merchant's contract and nothing is assumed about it: a
	// zero that stood for 22 would leave no way to write a contract without
	// VAT (payments before 2026, or a contract whose CommissionPercent
	// already includes the VAT, which a hidden 22 would count twice). A
	// merchant on YooKassa's 2026 terms sets it to 22.
	CommissionVATPercent decimal.Decimal
}

// Income is what the merchant receives of amount (for an installment plan,
// the discounted amount) after the commission and the VAT on it:
// [IncomeWithVAT](amount, CommissionPercent, CommissionVATPercent). It does
// not validate the configuration.
func (c Config) Income(amount decimal.Decimal) decimal.Decimal {
	return IncomeWithVAT(amount, c.CommissionPercent, c.CommissionVATPercent)
}

// limits returns the effective limits: DefaultLimits() for a zero Limits.
func (c Config) limits() Limits {
	if c.Limits.IsZero() {
		return DefaultLimits()
	}
	return c.Limits
}

// Validate checks the configuration: limits positive with at most two
// decimals, MinLoan and MinPartialCapture not above Max; tariff keys of the
// form "installments_N" (see [ParseOption]; "loan" is refused because a
// loan has no discount), tariff percents 0 <= p < 100 with at most two
// decimals; 0 <= CommissionPercent < 100; 0 <= CommissionVATPercent < 100
// with the commission and its VAT together below 100%; and MinAmount not
// above Max. The error is a *[FieldError] of kind [ErrConfig] naming the
// setting.
func (c Config) Validate() error {
	l := c.limits()
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{{"Limits.MinLoan", l.MinLoan}, {"Limits.Max", l.Max}, {"Limits.MinPartialCapture", l.MinPartialCapture}} {
		if f.v.Sign() <= 0 {
			return configError(f.name, "must be positive")
		}
		if !isKopecks(f.v) {
			return configError(f.name, "has more than two decimal places")
		}
	}
	if l.MinLoan.GreaterThan(l.Max) {
		return configError("Limits.MinLoan", fmt.Sprintf("%s is above Limits.Max %s", l.MinLoan, l.Max))
	}
	if l.MinPartialCapture.GreaterThan(l.Max) {
		return configError("Limits.MinPartialCapture", fmt.Sprintf("%s is above Limits.Max %s", l.MinPartialCapture, l.Max))
	}
	for _, o := range slices.Sorted(maps.Keys(c.Tariffs)) {
		p := c.Tariffs[o]
		field := fmt.Sprintf("Tariffs[%.40q]", string(o))
		if o == OptionLoan {
			return configError(field, "a loan has no discount; list only installments_N")
		}
		if _, err := ParseOption(string(o)); err != nil {
			return configError(field, err.(*FieldError).Reason)
		}
		if err := checkPercent(p); err != nil {
			return configError(field, err.Error())
		}
	}
	if c.CommissionPercent.Sign() < 0 || c.CommissionPercent.GreaterThanOrEqual(hundred) {
		return configError("CommissionPercent", fmt.Sprintf("%s must be at least 0 and below 100", c.CommissionPercent))
	}
	if v := c.CommissionVATPercent; v.Sign() < 0 || v.GreaterThanOrEqual(hundred) {
		return configError("CommissionVATPercent", fmt.Sprintf("%s must be at least 0 and below 100", v))
	}
	if c.CommissionPercent.Mul(hundred.Add(c.CommissionVATPercent)).GreaterThanOrEqual(hundred.Mul(hundred)) {
		return configError("CommissionVATPercent", fmt.Sprintf("the commission %s%% with %s%% VAT on it takes the whole amount",
			c.CommissionPercent, c.CommissionVATPercent))
	}
	if m := c.MinAmount(); m.GreaterThan(l.Max) {
		return configError("Tariffs", fmt.Sprintf("the installment minimum %s is above Limits.Max %s", m.StringFixed(2), l.Max))
	}
	return nil
}

func configError(field, reason string) error {
	return &FieldError{Kind: ErrConfig, Field: field, Reason: reason}
}

// checkPercent accepts a discount percent 0 <= p < 100 with at most two
// decimals.
func checkPercent(p decimal.Decimal) error {
	if p.Sign() < 0 || p.GreaterThanOrEqual(hundred) {
		return fmt.Errorf("percent %s must be at least 0 and below 100", p)
	}
	if !isKopecks(p) {
		return fmt.Errorf("percent %s has more than two decimal places", p)
	}
	return nil
}

// isKopecks reports whether v has no non-zero digit past the second decimal.
func isKopecks(v decimal.Decimal) bool { return v.Equal(v.Truncate(2)) }

// MaxPercent is the largest discount percent among the tariffs (zero
// without tariffs). It does not validate the configuration.
func (c Config) MaxPercent() decimal.Decimal {
	maxP := decimal.Zero
	for _, p := range c.Tariffs {
		if p.GreaterThan(maxP) {
			maxP = p
		}
	}
	return maxP
}

// Percent returns the discount percent of option: zero for "loan", the
// tariff for an enabled installment plan, ok false otherwise. It does not
// validate the configuration.
func (c Config) Percent(o Option) (percent decimal.Decimal, ok bool) {
	if o == OptionLoan {
		return decimal.Zero, true
	}
	p, ok := c.Tariffs[o]
	return p, ok
}

// MinAmount is the smallest payment that can be created: Limits.MinLoan
// plus the largest discount among the enabled installment plans, that is
// MinLoan x (1 + maxPercent/100) rounded up to whole kopecks (toward the
// larger amount, so the minimum is never too low). With a largest tariff of
// 10% it is 3,000 + 300 = 3,300.00; without tariffs it is MinLoan.
//
// The buyer chooses loan or installments on YooKassa's form, after the
// payment is created, so the merchant must use the minimum that holds for
// every option it offers. MinAmount does not validate the configuration.
func (c Config) MinAmount() decimal.Decimal {
	minLoan := c.limits().MinLoan
	if len(c.Tariffs) == 0 {
		return minLoan
	}
	return minLoan.Mul(hundred.Add(c.MaxPercent())).Shift(-2).RoundCeil(2)
}

// CheckAmount checks the amount of a new sber_loan payment: RUB
// (*[FieldError] of kind [ErrCurrency]), at most two decimals (*yookassa.ValidationError), and
// between MinAmount and Limits.Max inclusive (*[LimitError] with Op
// "payment", saying by how much the amount misses them). It validates the configuration first.
func (c Config) CheckAmount(a yookassa.Amount) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := checkRUB("amount", a); err != nil {
		return err
	}
	minA, maxA := c.MinAmount(), c.limits().Max
	if a.Value.LessThan(minA) || a.Value.GreaterThan(maxA) {
		return newLimitError("payment", a.Value, minA, maxA)
	}
	return nil
}

// CheckCapture checks the amount of a capture of a payment whose paid
// (discounted) amount is paid. Capturing all of paid is always allowed. A
// partial capture must be at least Limits.MinPartialCapture and at most
// paid (*[LimitError] with Op "capture", Min MinPartialCapture, Max paid);
// when paid itself is under the minimum only the full capture is possible.
// Both amounts must be RUB with at most two decimals. It validates the
// configuration first.
//
// On a partial capture YooKassa returns the rest to the buyer's card; the
// buyer still owes the bank the whole loan and has to repay the difference
// in SberBank Online. Tell them so, and recommend repaying soon.
func (c Config) CheckCapture(paid, capture yookassa.Amount) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := checkRUB("paid", paid); err != nil {
		return err
	}
	if err := checkRUB("amount", capture); err != nil {
		return err
	}
	if capture.Value.Equal(paid.Value) {
		return nil
	}
	minC := c.limits().MinPartialCapture
	if capture.Value.LessThan(minC) || capture.Value.GreaterThan(paid.Value) {
		return newLimitError("capture", capture.Value, minC, paid.Value)
	}
	return nil
}

// checkRUB refuses amounts in another currency or with fractions of
// kopecks.
func checkRUB(field string, a yookassa.Amount) error {
	if a.Currency != yookassa.CurrencyRUB {
		return &FieldError{Kind: ErrCurrency, Field: field + ".currency", Reason: fmt.Sprintf("%.10q is not RUB; sber_loan accepts only RUB", a.Currency)}
	}
	if !isKopecks(a.Value) {
		return &yookassa.ValidationError{Field: field + ".value", Reason: fmt.Sprintf("%s has more than two decimal places", a.Value)}
	}
	return nil
}
