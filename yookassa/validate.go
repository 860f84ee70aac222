package yookassa

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// This file holds the checks that several resources share. Each resource's
// own rules and limits live beside its type (payment.go, refund.go,
// receipt.go, ...).

// Limits shared by several resources.
const (
	// maxObjectID is the longest object identifier YooKassa issues.
	maxObjectID = 64
	// paymentIDLength and refundIDLength are the lengths of every
	// payment's and refund's identifier.
	paymentIDLength = 36
	refundIDLength  = 36
	// maxMoneyDecimals is how many decimals a sum of money may have.
	maxMoneyDecimals = 2
	maxMetadataKeys  = 16
	maxMetadataKey   = 32
	maxMetadataValue = 512
	maxEmail         = 254
)

// ValidObjectID reports whether id has the form of an identifier YooKassa
// issues: 1-64 characters of [0-9A-Za-z_-]. Every identifier of a payment,
// refund, receipt, webhook or other object has this form, and such an id is
// safe in a URL path and in logs. The client refuses other ids before
// sending.
func ValidObjectID(id string) bool {
	if len(id) == 0 || len(id) > maxObjectID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// checkID refuses an empty or malformed object identifier in field.
func checkID(field, id string) error {
	if id == "" {
		return &ValidationError{Field: field, Reason: "must not be empty"}
	}
	if !ValidObjectID(id) {
		return &ValidationError{Field: field, Reason: "is not an object identifier (1-64 characters of [0-9A-Za-z_-])"}
	}
	return nil
}

// checkIDOfLength refuses what checkID refuses and an identifier that does
// not have the n characters of every identifier of its kind.
func checkIDOfLength(field, id string, n int) error {
	if err := checkID(field, id); err != nil {
		return err
	}
	if len(id) != n {
		return &ValidationError{Field: field, Reason: fmt.Sprintf("must have %d characters, has %d", n, len(id))}
	}
	return nil
}

// atMostDecimals reports whether v has no non-zero digit past the given
// number of decimal places. It is the one test of "at most two decimals"
// for money (places 2) and "at most three" for quantities.
func atMostDecimals(v decimal.Decimal, places int32) bool {
	return v.Equal(v.Truncate(places))
}

// checkAmount refuses an amount that is not a positive sum with at most two
// decimals in a known currency.
func checkAmount(field string, a Amount) error {
	if !KnownCurrency(a.Currency) {
		return &ValidationError{Field: field + ".currency", Reason: fmt.Sprintf("unknown currency code %q", a.Currency)}
	}
	if !inRange(a.Value) {
		return &ValidationError{Field: field + ".value", Reason: "is out of range"}
	}
	if a.Value.Sign() <= 0 {
		return &ValidationError{Field: field + ".value", Reason: "must be positive"}
	}
	if !atMostDecimals(a.Value, maxMoneyDecimals) {
		return &ValidationError{Field: field + ".value", Reason: fmt.Sprintf("%s has more than two decimal places", a.Value.String())}
	}
	return nil
}

// checkSettlements refuses an empty list of settlements, or one of the wrong
// type (payouts: the "payout" settlements of a deal; otherwise the four kinds
// of a receipt) or with a bad amount.
func checkSettlements(field string, ss []Settlement, payouts bool) error {
	if len(ss) == 0 {
		return &ValidationError{Field: field, Reason: "at least one settlement is required"}
	}
	for i, s := range ss {
		f := fmt.Sprintf("%s[%d].", field, i)
		switch {
		case payouts && s.Type != SettlementPayout:
			return &ValidationError{Field: f + "type", Reason: `must be "payout"`}
		case !payouts && s.Type != SettlementCashless && s.Type != SettlementPrepayment &&
			s.Type != SettlementPostpayment && s.Type != SettlementConsideration:
			return &ValidationError{Field: f + "type", Reason: "must be cashless, prepayment, postpayment or consideration"}
		}
		if err := checkAmount(f+"amount", s.Amount); err != nil {
			return err
		}
	}
	return nil
}

// checkMetadata applies the metadata limits: at most 16 keys of 1-32
// characters, values of at most 512.
func checkMetadata(field string, m map[string]string) error {
	if len(m) > maxMetadataKeys {
		return &ValidationError{Field: field, Reason: fmt.Sprintf("has %d keys, at most %d are allowed", len(m), maxMetadataKeys)}
	}
	// A string of at most n bytes has at most n characters: only a longer
	// one is counted.
	for k, v := range m {
		if len(k) == 0 || len(k) > maxMetadataKey && utf8.RuneCountInString(k) > maxMetadataKey {
			return &ValidationError{Field: field, Reason: fmt.Sprintf("key %.40q must be 1-%d characters", k, maxMetadataKey)}
		}
		if len(v) > maxMetadataValue && utf8.RuneCountInString(v) > maxMetadataValue {
			return &ValidationError{Field: field + "." + k, Reason: fmt.Sprintf("value is over %d characters", maxMetadataValue)}
		}
	}
	return nil
}

// inRange refuses decimals whose exponent is far outside anything money or
// quantities need, before rounding could expand them into billions of
// digits. Decoding already refuses them; this covers values built in code.
func inRange(d decimal.Decimal) bool {
	e := d.Exponent()
	return e <= maxExponent && e >= -maxExponent
}

// checkLen counts characters (runes), as YooKassa does.
func checkLen(field, s string, lo, hi int) error {
	if !utf8.ValidString(s) {
		return &ValidationError{Field: field, Reason: "is not valid UTF-8"}
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n < lo && lo == 1:
		return &ValidationError{Field: field, Reason: "required"}
	case n < lo || n > hi:
		if lo == 0 {
			return &ValidationError{Field: field, Reason: fmt.Sprintf("is %d characters, at most %d are allowed", n, hi)}
		}
		return &ValidationError{Field: field, Reason: fmt.Sprintf("is %d characters, must be %d-%d", n, lo, hi)}
	}
	return nil
}

// checkEmail accepts a plausible email address of at most 254 bytes.
func checkEmail(field, s string, required bool) error {
	if s == "" {
		if required {
			return &ValidationError{Field: field, Reason: "required"}
		}
		return nil
	}
	at := strings.LastIndexByte(s, '@')
	if len(s) > maxEmail || at < 1 || at == len(s)-1 || strings.ContainsAny(s, " \t\r\n") {
		return &ValidationError{Field: field, Reason: "not an email address"}
	}
	return nil
}

// checkPhone accepts 4-15 digits, a phone number in E.164 form without "+",
// in the field prefix+name (joined only for an error).
func checkPhone(prefix, name, s string, required bool) error {
	if s == "" {
		if required {
			return &ValidationError{Field: prefix + name, Reason: "required"}
		}
		return nil
	}
	if !isDigits(s, 4, 15) {
		return &ValidationError{Field: prefix + name, Reason: "must be 4-15 digits in E.164 form, for example 79000000000"}
	}
	return nil
}

// isAbsoluteURL accepts scheme ":" rest, with a scheme as RFC 3986 defines
// it and no spaces or control characters anywhere.
func isAbsoluteURL(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f {
			return false
		}
		if i < colon && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// isDigits reports whether s is lo-hi ASCII digits.
func isDigits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isINN reports whether s is a taxpayer number: 10 or 12 digits.
func isINN(s string) bool { return isDigits(s, 10, 10) || isDigits(s, 12, 12) }

// isUpperAlpha reports whether s has only the letters A-Z.
func isUpperAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// checkOneOf refuses a value of field that is not among known, the values
// the API documents. An empty value passes unless required.
func checkOneOf[T ~string](field string, v T, required bool, known []T) error {
	if v == "" {
		if required {
			return &ValidationError{Field: field, Reason: "required"}
		}
		return nil
	}
	if !slices.Contains(known, v) {
		return &ValidationError{Field: field, Reason: fmt.Sprintf("%q is not one of the values the API documents", string(v))}
	}
	return nil
}

// checkDate refuses a value of field that is not a calendar date written
// YYYY-MM-DD.
func checkDate(field, s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return &ValidationError{Field: field, Reason: "must be a date YYYY-MM-DD"}
	}
	return nil
}
