package loanapproval

import (
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Encoding is strict and written by hand: field order as documented, optional
// fields left out when empty, amounts, rates and terms as JSON numbers
// (decimal.Decimal's own MarshalJSON would quote them), grace_period as a
// JSON integer, and the documented spelling "propousal_link".

// encodeAnswer is the strict writing side: it refuses a response that breaks
// the field table (the lenient reading of [ParseResponse] does not apply);
// the error is a *ValidationError naming the fields at fault, and [Handler]
// sends nothing that fails here. The JSON kinds need no second look: the
// encoder writes numbers as numbers and the fuzz tests hold it to the strict
// kind check.
func encodeAnswer(resp *Response) ([]byte, error) {
	if err := resp.Validate(); err != nil {
		return nil, err
	}
	return resp.appendJSON(make([]byte, 0, 512)), nil
}

// MarshalJSON encodes the request with amount as a JSON number.
func (r Request) MarshalJSON() ([]byte, error) { return r.appendJSON(make([]byte, 0, 192)), nil }

// MarshalJSON encodes the response; name and decision are left out while
// they are empty (a pending answer), data while it has no offers.
func (r Response) MarshalJSON() ([]byte, error) { return r.appendJSON(make([]byte, 0, 512)), nil }

// MarshalJSON encodes the offer; optional fields are left out when empty.
func (o Offer) MarshalJSON() ([]byte, error) { return o.appendJSON(make([]byte, 0, 384)), nil }

// MarshalJSON encodes the range as {"min":<number>,"max":<number>}; an end
// that was read as null (see [Range]) is written as null again.
func (r Range) MarshalJSON() ([]byte, error) { return r.appendJSON(nil), nil }

// MarshalJSON encodes the payment with its present fields as JSON numbers.
func (p Payment) MarshalJSON() ([]byte, error) { return p.appendJSON(nil), nil }

// MarshalJSON encodes the links that are set.
func (l ProposalLink) MarshalJSON() ([]byte, error) { return l.appendJSON(nil), nil }

func (r *Request) appendJSON(b []byte) []byte {
	b = append(b, `{"phone_number":`...)
	b = appendString(b, r.PhoneNumber)
	if r.Amount != nil {
		b = append(b, `,"amount":`...)
		b = appendNumber(b, *r.Amount)
	}
	if r.Term != "" {
		b = append(b, `,"term":`...)
		b = appendString(b, r.Term)
	}
	b = append(b, `,"product_type":`...)
	b = appendString(b, string(r.ProductType))
	b = append(b, `,"search_id":`...)
	b = appendString(b, r.SearchID)
	b = appendStringsField(b, "props", r.Props)
	return append(b, '}')
}

func (r *Response) appendJSON(b []byte) []byte {
	b = append(b, `{"search_id":`...)
	b = appendString(b, r.SearchID)
	b = appendStringField(b, "status", string(r.Status))
	b = appendStringField(b, "name", r.Name)
	b = appendStringField(b, "decision", string(r.Decision))
	if len(r.Data) > 0 {
		b = append(b, `,"data":[`...)
		for i := range r.Data {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Data[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (o *Offer) appendJSON(b []byte) []byte {
	b = append(b, `{"product_type":`...)
	b = appendString(b, string(o.ProductType))
	b = append(b, `,"decision":`...)
	b = appendString(b, string(o.Decision))
	b = appendRangeField(b, "amount", o.Amount)
	b = appendRangeField(b, "term", o.Term)
	b = appendRangeField(b, "rate", o.Rate)
	b = appendRangeField(b, "total_cost", o.TotalCost)
	if o.GracePeriod != nil {
		b = append(b, `,"grace_period":`...)
		b = appendInt(b, *o.GracePeriod)
	}
	if o.Payment != nil {
		b = append(b, `,"payment":`...)
		b = o.Payment.appendJSON(b)
	}
	b = appendStringsField(b, "special_conditions", o.SpecialConditions)
	b = appendStringsField(b, "required_documents", o.RequiredDocuments)
	b = appendStringsField(b, "choosable_documents", o.ChoosableDocuments)
	if o.ProposalLink != nil {
		b = append(b, `,"propousal_link":`...)
		b = o.ProposalLink.appendJSON(b)
	}
	b = appendStringsField(b, "props", o.Props)
	return append(b, '}')
}

func (r *Range) appendJSON(b []byte) []byte {
	b = append(b, `{"min":`...)
	b = appendBound(b, r.Min, r.HasMin())
	b = append(b, `,"max":`...)
	b = appendBound(b, r.Max, r.HasMax())
	return append(b, '}')
}

// appendBound writes a range end, or null for one that was not given (only a
// decoded range can lack one; [Handler] never sends such a range).
func appendBound(b []byte, v decimal.Decimal, given bool) []byte {
	if !given {
		return append(b, "null"...)
	}
	return appendNumber(b, v)
}

func (p *Payment) appendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	for _, f := range [...]struct {
		key string
		v   *decimal.Decimal
	}{{`"min":`, p.Min}, {`"max":`, p.Max}, {`"cc_rate":`, p.CCRate}} {
		if f.v == nil {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		b = appendNumber(b, *f.v)
	}
	return append(b, '}')
}

func (l *ProposalLink) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if l.Link != "" {
		b = append(b, `"link":`...)
		b = appendString(b, l.Link)
	}
	if l.Deep != "" {
		if l.Link != "" {
			b = append(b, ',')
		}
		b = append(b, `"deep":`...)
		b = appendString(b, l.Deep)
	}
	return append(b, '}')
}

func appendRangeField(b []byte, name string, r *Range) []byte {
	if r == nil {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return r.appendJSON(b)
}

func appendStringField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, v)
}

func appendStringsField(b []byte, name string, list []string) []byte {
	if len(list) == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':', '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendNumber writes d as a plain JSON number (no exponent, no quotes).
func appendNumber(b []byte, d decimal.Decimal) []byte { return append(b, d.String()...) }

func appendInt(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		return appendUint(b, uint64(-int64(n)))
	}
	return appendUint(b, uint64(n))
}

func appendUint(b []byte, n uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does:
// quotes, backslashes and control characters escaped, <, > and & escaped
// for safe embedding in HTML, invalid UTF-8 replaced by U+FFFD, and U+2028
// and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
