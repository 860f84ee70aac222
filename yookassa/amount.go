package yookassa

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Currency codes YooKassa accepts in a monetary amount (ISO 4217). In
// practice a shop's currency is RUB.
const (
	CurrencyRUB = "RUB"
	CurrencyEUR = "EUR"
	CurrencyUSD = "USD"
	CurrencyKZT = "KZT"
	CurrencyBYN = "BYN"
	CurrencyUAH = "UAH"
	CurrencyUZS = "UZS"
	CurrencyTRY = "TRY"
	CurrencyINR = "INR"
	CurrencyMDL = "MDL"
	CurrencyAZN = "AZN"
	CurrencyAMD = "AMD"
)

var knownCurrencies = map[string]bool{
	CurrencyRUB: true, CurrencyEUR: true, CurrencyUSD: true, CurrencyKZT: true,
	CurrencyBYN: true, CurrencyUAH: true, CurrencyUZS: true, CurrencyTRY: true,
	CurrencyINR: true, CurrencyMDL: true, CurrencyAZN: true, CurrencyAMD: true,
}

// KnownCurrency reports whether code is one of the currency codes YooKassa
// documents for monetary amounts.
func KnownCurrency(code string) bool { return knownCurrencies[code] }

// Amount is a sum of money with its currency: YooKassa's MonetaryAmount.
//
// On the wire it is {"value":"5000.00","currency":"RUB"}: the value is a
// string with exactly two decimals. Decoding also accepts a JSON number.
type Amount struct {
	// Value is the sum. Requests refuse values with non-zero digits past the
	// second decimal; Value is never rounded silently.
	Value decimal.Decimal
	// Currency is the ISO 4217 code, for example "RUB".
	Currency string
}

// RUB returns an amount in Russian roubles.
func RUB(v decimal.Decimal) Amount { return Amount{Value: v, Currency: CurrencyRUB} }

// ParseAmount parses a decimal string such as "5000.00" or "949.9" into an
// Amount. It refuses malformed numbers, exponents, negative values, values
// with non-zero digits past the second decimal and unknown currencies, with a
// *ValidationError.
func ParseAmount(value, currency string) (Amount, error) {
	v, err := parseMoney(value)
	if err != nil {
		return Amount{}, &ValidationError{Field: "value", Reason: err.Error()}
	}
	if !KnownCurrency(currency) {
		return Amount{}, &ValidationError{Field: "currency", Reason: fmt.Sprintf("unknown currency code %q", currency)}
	}
	return Amount{Value: v, Currency: currency}, nil
}

// parseMoney accepts plain decimal notation with at most two significant
// decimals and no sign: digits, optionally a point and more digits.
func parseMoney(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, fmt.Errorf("empty amount")
	}
	if len(s) > maxMoneyText {
		return decimal.Decimal{}, fmt.Errorf("amount %.32q... is too long", s)
	}
	point := false
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point && i > 0 && i < len(s)-1:
			point = true
		default:
			return decimal.Decimal{}, fmt.Errorf("%q is not a plain decimal number", s)
		}
	}
	v, err := decimal.NewFromString(s)
	if err != nil || digits == 0 {
		return decimal.Decimal{}, fmt.Errorf("%q is not a plain decimal number", s)
	}
	if !atMostDecimals(v, maxMoneyDecimals) {
		return decimal.Decimal{}, fmt.Errorf("%s has more than two decimal places", s)
	}
	if v.GreaterThanOrEqual(maxMoney) {
		return decimal.Decimal{}, fmt.Errorf("%.32s is too large", s)
	}
	return v, nil
}

// Bounds of parsed amounts. maxMoneyText only limits the work of parsing
// (leading or trailing zeros are allowed); maxMoney limits the value, so
// that the two-decimal form of any parsed amount parses again.
const maxMoneyText = 64

var maxMoney = decimal.New(1, 20)

// String returns the amount as "5000.00 RUB".
func (a Amount) String() string { return a.Value.StringFixed(2) + " " + a.Currency }

// IsZero reports whether the amount is the zero value (no value, no currency).
func (a Amount) IsZero() bool { return a.Value.IsZero() && a.Currency == "" }

// Equal reports whether a and b are the same sum in the same currency.
func (a Amount) Equal(b Amount) bool { return a.Currency == b.Currency && a.Value.Equal(b.Value) }

// MarshalJSON encodes the amount with exactly two decimals.
func (a Amount) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 0, 48)
	buf = append(buf, `{"value":"`...)
	buf = append(buf, a.Value.StringFixed(2)...)
	buf = append(buf, `","currency":`...)
	if !plainCode(a.Currency) {
		cur, err := json.Marshal(a.Currency)
		if err != nil {
			return nil, err
		}
		return append(append(buf, cur...), '}'), nil
	}
	buf = append(buf, '"')
	buf = append(buf, a.Currency...)
	return append(buf, '"', '}'), nil
}

// plainCode reports whether s is written in JSON as it is: ASCII letters
// and digits, as every currency code is.
func plainCode(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// UnmarshalJSON decodes {"value": "5000.00" | 5000.00, "currency": "RUB"}.
func (a *Amount) UnmarshalJSON(data []byte) error {
	if v, currency, ok := scanAmount(data); ok {
		a.Value, a.Currency = v, currency
		return nil
	}
	var w struct {
		Value    json.RawMessage `json:"value"`
		Currency string          `json:"currency"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	v, err := decodeDecimal(w.Value)
	if err != nil {
		return fmt.Errorf("amount value: %w", err)
	}
	a.Value, a.Currency = v, w.Currency
	return nil
}

// decodeDecimal reads a JSON string or number as a decimal. A missing value
// or null decodes to zero.
func decodeDecimal(raw json.RawMessage) (decimal.Decimal, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return decimal.Decimal{}, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return decimal.Decimal{}, err
		}
		s = strings.TrimSpace(s)
	}
	if len(s) > 64 {
		return decimal.Decimal{}, fmt.Errorf("number %.32q... is too long", s)
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%q is not a number", s)
	}
	// An exponent form such as 1e999999999 is valid syntax but no sum of
	// money; refuse it before any arithmetic tries to expand it.
	if e := v.Exponent(); e > maxExponent || e < -maxExponent {
		return decimal.Decimal{}, fmt.Errorf("%q is out of range", s)
	}
	return v, nil
}

// maxExponent bounds the decimal exponent accepted from the wire.
const maxExponent = 30
