package sberbnpl

import (
	"fmt"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// Limits are the bounds on the amount of a sber_bnpl payment, in roubles.
type Limits struct {
	// Min is the smallest payment that can be created.
	Min decimal.Decimal
	// Max is the largest payment that can be created.
	Max decimal.Decimal
}

// DefaultLimits returns YooKassa's current limits for sber_bnpl: payments
// from 1,000 to 50,000 RUB. Each call returns a new value.
//
// Source: YooKassa's page on the method,
// https://yookassa.ru/developers/payment-acceptance/integration-scenarios/manual-integration/other/sber-bnpl
// (section "Особенности", limits), in its copy of 2 July 2026: minimum
// 1,000 RUB, maximum 50,000 RUB. The same page gave a maximum of 150,000
// RUB in early 2026 (the copy in YooKassa's documentation search, whose
// newest changelog entry is of 22 January 2026); the maximum has been
// 50,000 RUB since 23 April 2026. The page is the operator's own statement
// and the newer of the two, so 50,000 is the default; a merchant whose
// contract says otherwise sets [Config.Limits].
func DefaultLimits() Limits {
	return Limits{Min: decimal.NewFromInt(1000), Max: decimal.NewFromInt(50000)}
}

// IsZero reports whether no limit is set.
func (l Limits) IsZero() bool { return l.Min.IsZero() && l.Max.IsZero() }

// Config is what a merchant agreed with YooKassa for sber_bnpl. The zero
// Config applies [DefaultLimits]. It is a plain value, safe for concurrent
// use.
type Config struct {
	// Limits are the amount limits; the zero value stands for
	// DefaultLimits().
	Limits Limits
}

// limits returns the effective limits.
func (c Config) limits() Limits {
	if c.Limits.IsZero() {
		return DefaultLimits()
	}
	return c.Limits
}

// Validate checks the configuration: both limits positive with at most two
// decimals, Min not above Max. The error is a *[FieldError] of kind
// [ErrConfig] naming the setting.
func (c Config) Validate() error {
	l := c.limits()
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{{"Limits.Min", l.Min}, {"Limits.Max", l.Max}} {
		if f.v.Sign() <= 0 {
			return &FieldError{Kind: ErrConfig, Field: f.name, Reason: fmt.Sprintf("%s must be positive", f.v)}
		}
		if !isKopecks(f.v) {
			return &FieldError{Kind: ErrConfig, Field: f.name, Reason: fmt.Sprintf("%s has more than two decimal places", f.v)}
		}
	}
	if l.Min.GreaterThan(l.Max) {
		return &FieldError{Kind: ErrConfig, Field: "Limits.Min", Reason: fmt.Sprintf("%s is above Limits.Max %s", l.Min, l.Max)}
	}
	return nil
}

// CheckAmount checks the amount of a new sber_bnpl payment: RUB
// (*[FieldError] of kind [ErrCurrency]), at most two decimals
// (*yookassa.ValidationError), and within the limits inclusive
// (*[LimitError] with Op "payment", saying by how much it misses them). It
// validates the configuration first.
func (c Config) CheckAmount(a yookassa.Amount) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := checkRUB("amount", a); err != nil {
		return err
	}
	l := c.limits()
	if a.Value.LessThan(l.Min) || a.Value.GreaterThan(l.Max) {
		return newLimitError("payment", a.Value, l.Min, l.Max)
	}
	return nil
}

// checkRUB refuses amounts in another currency or with fractions of
// kopecks.
func checkRUB(field string, a yookassa.Amount) error {
	if a.Currency != yookassa.CurrencyRUB {
		return &FieldError{Kind: ErrCurrency, Field: field + ".currency", Reason: fmt.Sprintf("%.10q is not RUB; sber_bnpl accepts only RUB", a.Currency)}
	}
	if !isKopecks(a.Value) {
		return &yookassa.ValidationError{Field: field + ".value", Reason: fmt.Sprintf("%s has more than two decimal places", a.Value)}
	}
	return nil
}

// isKopecks reports whether v has no non-zero digit past the second decimal.
func isKopecks(v decimal.Decimal) bool { return v.Equal(v.Truncate(2)) }
