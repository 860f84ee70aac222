package loanapproval

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/shopspring/decimal"
)

// Decoding is lenient: unknown fields are ignored, null counts as absent, and
// numbers sent as strings ("10000") are accepted where the meaning is
// unambiguous, as are digit-only numbers where a string is expected
// (phone_number, term). A value of the wrong kind is reported as an invalid
// property with its full path rather than failing the whole body, so that a
// 400 can name every bad field.

// maxNumberLen bounds the text of one number. Together with the exponent
// bound it keeps hostile input such as 1e999999999 from turning into huge
// allocations when the number is later printed.
const (
	maxNumberLen      = 64
	maxNumberExponent = 64
)

// fieldDecoder walks raw JSON and collects type errors by property path.
type fieldDecoder struct {
	errs fieldErrors
}

func (d *fieldDecoder) fail(path, reason string) { d.errs.add(path, reason) }

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func index(prefix string, i int) string { return prefix + "[" + strconv.Itoa(i) + "]" }

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// object decodes raw as a JSON object. It reports a non-object at path and
// returns nil; null gives nil without an error.
func (d *fieldDecoder) object(path string, raw json.RawMessage) map[string]json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var m map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		d.fail(path, "must be a JSON object")
		return nil
	}
	return m
}

// str decodes a string. When digits is set, a JSON integer without sign,
// fraction or exponent is accepted as its decimal text.
func (d *fieldDecoder) str(path string, raw json.RawMessage, digits bool) string {
	if isNull(raw) {
		return ""
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			d.fail(path, "must be a string")
			return ""
		}
		return s
	case digits && c >= '0' && c <= '9' && allDigits(string(raw)):
		return string(raw)
	}
	d.fail(path, "must be a string")
	return ""
}

// strings decodes an array of strings.
func (d *fieldDecoder) strings(path string, raw json.RawMessage) []string {
	if isNull(raw) {
		return nil
	}
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		d.fail(path, "must be an array of strings")
		return nil
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		out = append(out, d.str(index(path, i), it, false))
	}
	return out
}

// number decodes a decimal from a JSON number or a string holding one.
func (d *fieldDecoder) number(path string, raw json.RawMessage) (decimal.Decimal, bool) {
	if isNull(raw) {
		return decimal.Decimal{}, false
	}
	text := string(raw)
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			d.fail(path, "must be a number")
			return decimal.Decimal{}, false
		}
		text = s
	}
	v, err := parseNumber(text)
	if err != nil {
		d.fail(path, "must be a number")
		return decimal.Decimal{}, false
	}
	return v, true
}

// integer decodes a whole number from a JSON number or a string holding one.
// 30.0 is accepted as 30; 30.5 is not.
func (d *fieldDecoder) integer(path string, raw json.RawMessage) (int, bool) {
	v, ok := d.number(path, raw)
	if !ok {
		return 0, false
	}
	if !v.IsInteger() || v.Abs().Cmp(decimal.NewFromInt(1<<31-1)) > 0 {
		d.fail(path, "must be a whole number")
		return 0, false
	}
	return int(v.IntPart()), true
}

// parseNumber parses the JSON number syntax only (no leading '+', no spaces,
// no hexadecimal, no "NaN"), within the length and exponent bounds.
func parseNumber(s string) (decimal.Decimal, error) {
	if len(s) == 0 || len(s) > maxNumberLen || !isJSONNumber(s) {
		return decimal.Decimal{}, errors.New("not a number")
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if e := v.Exponent(); e > maxNumberExponent || e < -maxNumberExponent {
		return decimal.Decimal{}, errors.New("number out of range")
	}
	return v, nil
}

// isJSONNumber reports whether s follows the JSON number grammar.
func isJSONNumber(s string) bool {
	i := 0
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (d *fieldDecoder) request(raw json.RawMessage) *Request {
	r := &Request{}
	m := d.object("", raw)
	if m == nil {
		return r
	}
	r.PhoneNumber = d.str("phone_number", m["phone_number"], true)
	if v, ok := d.number("amount", m["amount"]); ok {
		r.Amount = &v
	}
	r.Term = d.str("term", m["term"], true)
	r.ProductType = ProductType(d.str("product_type", m["product_type"], false))
	r.SearchID = d.str("search_id", m["search_id"], false)
	r.Props = d.strings("props", m["props"])
	return r
}

func (d *fieldDecoder) response(raw json.RawMessage) *Response {
	r := &Response{}
	m := d.object("", raw)
	if m == nil {
		return r
	}
	r.SearchID = d.str("search_id", m["search_id"], false)
	r.Status = Status(d.str("status", m["status"], false))
	r.Name = d.str("name", m["name"], false)
	r.Decision = Decision(d.str("decision", m["decision"], false))
	if raw := m["data"]; !isNull(raw) {
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			d.fail("data", "must be an array of offers")
		} else {
			r.Data = make([]Offer, len(items))
			for i, it := range items {
				d.offer(index("data", i), it, &r.Data[i])
			}
		}
	}
	return r
}

func (d *fieldDecoder) offer(path string, raw json.RawMessage, o *Offer) {
	m := d.object(path, raw)
	if m == nil {
		if isNull(raw) {
			d.fail(path, "must be a JSON object")
		}
		return
	}
	o.ProductType = ProductType(d.str(join(path, "product_type"), m["product_type"], false))
	o.Decision = OfferDecision(d.str(join(path, "decision"), m["decision"], false))
	o.Amount = d.rangeOf(join(path, "amount"), m["amount"])
	o.Term = d.rangeOf(join(path, "term"), m["term"])
	o.Rate = d.rangeOf(join(path, "rate"), m["rate"])
	o.TotalCost = d.rangeOf(join(path, "total_cost"), m["total_cost"])
	if v, ok := d.integer(join(path, "grace_period"), m["grace_period"]); ok {
		o.GracePeriod = &v
	}
	o.Payment = d.payment(join(path, "payment"), m["payment"])
	o.SpecialConditions = d.strings(join(path, "special_conditions"), m["special_conditions"])
	o.RequiredDocuments = d.strings(join(path, "required_documents"), m["required_documents"])
	o.ChoosableDocuments = d.strings(join(path, "choosable_documents"), m["choosable_documents"])
	o.ProposalLink = d.proposalLink(join(path, "propousal_link"), m["propousal_link"])
	o.Props = d.strings(join(path, "props"), m["props"])
}

func (d *fieldDecoder) rangeOf(path string, raw json.RawMessage) *Range {
	m := d.object(path, raw)
	if m == nil {
		return nil
	}
	r := &Range{}
	var ok bool
	if r.Min, ok = d.number(join(path, "min"), m["min"]); !ok {
		r.missing |= missingMin
	}
	if r.Max, ok = d.number(join(path, "max"), m["max"]); !ok {
		r.missing |= missingMax
	}
	return r
}

func (d *fieldDecoder) payment(path string, raw json.RawMessage) *Payment {
	m := d.object(path, raw)
	if m == nil {
		return nil
	}
	p := &Payment{}
	if v, ok := d.number(join(path, "min"), m["min"]); ok {
		p.Min = &v
	}
	if v, ok := d.number(join(path, "max"), m["max"]); ok {
		p.Max = &v
	}
	if v, ok := d.number(join(path, "cc_rate"), m["cc_rate"]); ok {
		p.CCRate = &v
	}
	return p
}

func (d *fieldDecoder) proposalLink(path string, raw json.RawMessage) *ProposalLink {
	m := d.object(path, raw)
	if m == nil {
		return nil
	}
	return &ProposalLink{
		Link: d.str(join(path, "link"), m["link"], false),
		Deep: d.str(join(path, "deep"), m["deep"], false),
	}
}

func (d *fieldDecoder) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: d.errs}
}

// UnmarshalJSON decodes a request leniently. It fails only when a field holds
// a value of the wrong kind; the error is then a *ValidationError naming the
// fields, and the remaining fields are still decoded. It does not validate:
// use [ParseRequest] or [Request.Validate].
func (r *Request) UnmarshalJSON(data []byte) error {
	var d fieldDecoder
	*r = *d.request(data)
	return d.err()
}

// UnmarshalJSON decodes a response leniently, like [Request.UnmarshalJSON].
func (r *Response) UnmarshalJSON(data []byte) error {
	var d fieldDecoder
	*r = *d.response(data)
	return d.err()
}

// UnmarshalJSON decodes an offer leniently, like [Request.UnmarshalJSON].
func (o *Offer) UnmarshalJSON(data []byte) error {
	var d fieldDecoder
	*o = Offer{}
	d.offer("", data, o)
	return d.err()
}

// UnmarshalJSON decodes a range from numbers or numeric strings.
func (r *Range) UnmarshalJSON(data []byte) error {
	var d fieldDecoder
	got := d.rangeOf("", data)
	if got == nil {
		got = &Range{missing: missingMin | missingMax}
	}
	*r = *got
	return d.err()
}

// UnmarshalJSON decodes a payment from numbers or numeric strings.
func (p *Payment) UnmarshalJSON(data []byte) error {
	var d fieldDecoder
	*p = Payment{}
	if got := d.payment("", data); got != nil {
		*p = *got
	}
	return d.err()
}

// ParseRequest decodes and validates a request body. Every problem, whether a
// value of the wrong kind or a broken rule, is reported in one
// *ValidationError. A body that is not JSON at all gives an error that is not
// a *ValidationError. The returned request is never nil and holds whatever
// could be decoded, so that an error answer can still repeat the search_id.
func ParseRequest(body []byte) (*Request, error) {
	if !json.Valid(body) {
		return &Request{}, ErrMalformed
	}
	var d fieldDecoder
	r := d.request(body)
	r.validate(&d.errs)
	return r, d.err()
}

// ParseResponse decodes and validates a response body the way [ParseRequest]
// does for requests. A bare asynchronous acknowledgement (a search_id and
// nothing else) is read as status pending.
func ParseResponse(body []byte) (*Response, error) {
	if !json.Valid(body) {
		return &Response{}, ErrMalformed
	}
	var d fieldDecoder
	r := d.response(body)
	if r.Status == "" && r.Name == "" && r.Decision == "" && len(r.Data) == 0 && r.SearchID != "" {
		r.Status = StatusPending
	}
	r.validate(&d.errs)
	return r, d.err()
}

// ErrMalformed is returned by [ParseRequest] and [ParseResponse] for a body
// that is not JSON at all.
var ErrMalformed = errors.New("loanapproval: body is not valid JSON")
