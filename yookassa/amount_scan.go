package yookassa

import "github.com/shopspring/decimal"

// scanAmount decodes the common shape of an amount,
// {"value":"5000.00","currency":"RUB"} with the keys in either order and any
// white space, without the reflection and the second pass of json.Unmarshal.
// It reports ok only for that shape: two distinct keys, strings without
// escapes, a value of plain decimal digits. Anything else (a number value,
// an escape, another key, a duplicate, a malformed document) is left to the
// general decoder, which gives the same result or the error; FuzzAmountScan
// holds the two to agreeing.
func scanAmount(data []byte) (v decimal.Decimal, currency string, ok bool) {
	s := scanner{data: data}
	if !s.byte('{') {
		return v, "", false
	}
	var value, cur []byte
	var haveValue, haveCurrency bool
	for i := 0; i < 2; i++ {
		if i == 1 && !s.byte(',') {
			return v, "", false
		}
		key, ok := s.str()
		if !ok || !s.byte(':') {
			return v, "", false
		}
		str, ok := s.str()
		if !ok {
			return v, "", false
		}
		switch {
		case string(key) == "value" && !haveValue:
			value, haveValue = str, true
		case string(key) == "currency" && !haveCurrency:
			cur, haveCurrency = str, true
		default:
			return v, "", false
		}
	}
	if !s.byte('}') || !s.end() || !plainDecimal(value) {
		return v, "", false
	}
	v, err := decimal.NewFromString(string(value))
	if err != nil {
		return v, "", false
	}
	return v, internCurrency(cur), true
}

// plainDecimal reports whether s is digits with at most one inner point,
// no longer than the general decoder accepts.
func plainDecimal(s []byte) bool {
	if len(s) == 0 || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	point := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !point:
			point = true
		default:
			return false
		}
	}
	return true
}

// scanner walks a JSON document for scanAmount.
type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// byte consumes c after optional white space.
func (s *scanner) byte(c byte) bool {
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// str consumes a string without escapes or control characters and returns
// its contents; only ASCII is taken, so no UTF-8 validation is needed.
func (s *scanner) str() ([]byte, bool) {
	if !s.byte('"') {
		return nil, false
	}
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			out := s.data[start:s.pos]
			s.pos++
			return out, true
		case c < 0x20 || c == '\\' || c >= 0x80:
			return nil, false
		}
		s.pos++
	}
	return nil, false
}

// internCurrency returns the constant for a known code, so that decoding
// the usual currencies allocates nothing.
func internCurrency(b []byte) string {
	switch string(b) {
	case CurrencyRUB:
		return CurrencyRUB
	case CurrencyEUR:
		return CurrencyEUR
	case CurrencyUSD:
		return CurrencyUSD
	}
	return string(b)
}

// end reports whether only white space is left.
func (s *scanner) end() bool {
	s.space()
	return s.pos == len(s.data)
}
