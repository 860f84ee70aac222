package loanapproval

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

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
	switch {
	case prefix == "":
		return name
	case name == "":
		return prefix
	}
	return prefix + "." + name
}

func index(prefix string, i int) string { return prefix + "[" + strconv.Itoa(i) + "]" }

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// object decodes raw, a JSON object, into wire, a struct of json.RawMessage
// fields. It reports a non-object at path and returns false; null gives false
// without an error.
func (d *fieldDecoder) object(path string, raw json.RawMessage, wire any) bool {
	if isNull(raw) {
		return false
	}
	if raw[0] != '{' || json.Unmarshal(raw, wire) != nil {
		d.fail(path, "must be a JSON object")
		return false
	}
	return true
}

// str decodes a string. When digits is set, a JSON integer without sign,
// fraction or exponent is accepted as its decimal text.
func (d *fieldDecoder) str(path string, raw json.RawMessage, digits bool) string {
	if isNull(raw) {
		return ""
	}
	switch c := raw[0]; {
	case c == '"':
		if len(raw) >= 2 && plainString(raw[1:len(raw)-1]) {
			return string(raw[1 : len(raw)-1])
		}
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

// plainString reports whether the inside of a JSON string literal needs no
// unescaping: no backslash, no quote, no control character, valid UTF-8.
func plainString(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c == '"' || c < 0x20 {
			return false
		}
	}
	return utf8.Valid(b)
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

// The wire structs hold the raw value of each documented field.
type (
	requestWire struct {
		PhoneNumber json.RawMessage `json:"phone_number"`
		Amount      json.RawMessage `json:"amount"`
		Term        json.RawMessage `json:"term"`
		ProductType json.RawMessage `json:"product_type"`
		SearchID    json.RawMessage `json:"search_id"`
		Props       json.RawMessage `json:"props"`
	}
	responseWire struct {
		SearchID json.RawMessage   `json:"search_id"`
		Status   json.RawMessage   `json:"status"`
		Name     json.RawMessage   `json:"name"`
		Decision json.RawMessage   `json:"decision"`
		Data     json.RawMessage   `json:"data"`
		items    []json.RawMessage // data, once read as an array
	}
	offerWire struct {
		ProductType        json.RawMessage `json:"product_type"`
		Decision           json.RawMessage `json:"decision"`
		Amount             json.RawMessage `json:"amount"`
		Term               json.RawMessage `json:"term"`
		Rate               json.RawMessage `json:"rate"`
		TotalCost          json.RawMessage `json:"total_cost"`
		GracePeriod        json.RawMessage `json:"grace_period"`
		Payment            json.RawMessage `json:"payment"`
		SpecialConditions  json.RawMessage `json:"special_conditions"`
		RequiredDocuments  json.RawMessage `json:"required_documents"`
		ChoosableDocuments json.RawMessage `json:"choosable_documents"`
		ProposalLink       json.RawMessage `json:"propousal_link"`
		Props              json.RawMessage `json:"props"`
	}
	rangeWire struct {
		Min json.RawMessage `json:"min"`
		Max json.RawMessage `json:"max"`
	}
	paymentWire struct {
		Min    json.RawMessage `json:"min"`
		Max    json.RawMessage `json:"max"`
		CCRate json.RawMessage `json:"cc_rate"`
	}
	linkWire struct {
		Link json.RawMessage `json:"link"`
		Deep json.RawMessage `json:"deep"`
	}
)

func (d *fieldDecoder) request(raw json.RawMessage) *Request {
	r := &Request{}
	var w requestWire
	if !d.object("", raw, &w) {
		return r
	}
	d.requestFields(&w, r)
	return r
}

func (d *fieldDecoder) requestFields(w *requestWire, r *Request) {
	r.PhoneNumber = d.str("phone_number", w.PhoneNumber, true)
	if v, ok := d.number("amount", w.Amount); ok {
		r.Amount = &v
	}
	r.Term = d.str("term", w.Term, true)
	r.ProductType = ProductType(d.str("product_type", w.ProductType, false))
	r.SearchID = d.str("search_id", w.SearchID, false)
	r.Props = d.strings("props", w.Props)
}

func (d *fieldDecoder) response(raw json.RawMessage) *Response {
	r := &Response{}
	var w responseWire
	if !d.object("", raw, &w) {
		return r
	}
	d.responseFields(&w, r)
	return r
}

func (d *fieldDecoder) responseFields(w *responseWire, r *Response) {
	r.SearchID = d.str("search_id", w.SearchID, false)
	r.Status = Status(d.str("status", w.Status, false))
	r.Name = d.str("name", w.Name, false)
	r.Decision = Decision(d.str("decision", w.Decision, false))
	if raw := w.Data; !isNull(raw) {
		if raw[0] != '[' || json.Unmarshal(raw, &w.items) != nil {
			d.fail("data", "must be an array of offers")
		} else {
			r.Data = make([]Offer, len(w.items))
			for i, it := range w.items {
				d.offer(index("data", i), it, &r.Data[i])
			}
		}
	}
}

func (d *fieldDecoder) offer(path string, raw json.RawMessage, o *Offer) {
	var w offerWire
	if !d.object(path, raw, &w) {
		if isNull(raw) {
			d.fail(path, "must be a JSON object")
		}
		return
	}
	o.ProductType = ProductType(d.str(join(path, "product_type"), w.ProductType, false))
	o.Decision = OfferDecision(d.str(join(path, "decision"), w.Decision, false))
	o.Amount = d.rangeOf(join(path, "amount"), w.Amount)
	o.Term = d.rangeOf(join(path, "term"), w.Term)
	o.Rate = d.rangeOf(join(path, "rate"), w.Rate)
	o.TotalCost = d.rangeOf(join(path, "total_cost"), w.TotalCost)
	if v, ok := d.integer(join(path, "grace_period"), w.GracePeriod); ok {
		o.GracePeriod = &v
	}
	o.Payment = d.payment(join(path, "payment"), w.Payment)
	o.SpecialConditions = d.strings(join(path, "special_conditions"), w.SpecialConditions)
	o.RequiredDocuments = d.strings(join(path, "required_documents"), w.RequiredDocuments)
	o.ChoosableDocuments = d.strings(join(path, "choosable_documents"), w.ChoosableDocuments)
	o.ProposalLink = d.proposalLink(join(path, "propousal_link"), w.ProposalLink)
	o.Props = d.strings(join(path, "props"), w.Props)
}

func (d *fieldDecoder) rangeOf(path string, raw json.RawMessage) *Range {
	var w rangeWire
	if !d.object(path, raw, &w) {
		return nil
	}
	r := &Range{}
	for _, end := range [...]struct {
		name string
		raw  json.RawMessage
		v    *decimal.Decimal
		bit  uint8
	}{{"min", w.Min, &r.Min, missingMin}, {"max", w.Max, &r.Max, missingMax}} {
		v, ok := d.number(join(path, end.name), end.raw)
		if ok {
			*end.v = v
			continue
		}
		r.missing |= end.bit
		if len(end.raw) > 0 && isNull(end.raw) {
			r.null |= end.bit
		}
	}
	return r
}

func (d *fieldDecoder) payment(path string, raw json.RawMessage) *Payment {
	var w paymentWire
	if !d.object(path, raw, &w) {
		return nil
	}
	p := &Payment{}
	if v, ok := d.number(join(path, "min"), w.Min); ok {
		p.Min = &v
	}
	if v, ok := d.number(join(path, "max"), w.Max); ok {
		p.Max = &v
	}
	if v, ok := d.number(join(path, "cc_rate"), w.CCRate); ok {
		p.CCRate = &v
	}
	return p
}

func (d *fieldDecoder) proposalLink(path string, raw json.RawMessage) *ProposalLink {
	var w linkWire
	if !d.object(path, raw, &w) {
		return nil
	}
	return &ProposalLink{
		Link: d.str(join(path, "link"), w.Link, false),
		Deep: d.str(join(path, "deep"), w.Deep, false),
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
	var d fieldDecoder
	r := &Request{}
	var w requestWire
	if malformed := d.top(body, &w); malformed {
		return r, ErrMalformed
	}
	d.requestFields(&w, r)
	r.validate(&d.errs)
	return r, d.err()
}

// top decodes a whole body into wire. It reports whether the body is not
// JSON at all; a body that is JSON but not an object is reported as a
// problem of the root property "".
func (d *fieldDecoder) top(body []byte, wire any) (malformed bool) {
	err := json.Unmarshal(body, wire)
	if err == nil {
		return false
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) || !json.Valid(body) {
		return true
	}
	d.fail("", "must be a JSON object")
	return false
}

// ParseResponse decodes and validates a response body the way [ParseRequest]
// does for requests. A bare asynchronous acknowledgement (a search_id and
// nothing else) is read as status pending. It reads as leniently as Yandex's
// published examples need: a range bound sent as null is "not given" (see
// [Range]) rather than an error, although [Response.Validate] refuses it.
func ParseResponse(body []byte) (*Response, error) {
	var d fieldDecoder
	r := &Response{}
	var w responseWire
	if malformed := d.top(body, &w); malformed {
		return r, ErrMalformed
	}
	d.responseFields(&w, r)
	if r.Status == "" && r.Name == "" && r.Decision == "" && len(r.Data) == 0 && r.SearchID != "" {
		r.Status = StatusPending
	}
	r.validate(&d.errs, true)
	return r, d.err()
}

// ErrMalformed is returned by [ParseRequest] and [ParseResponse] for a body
// that is not JSON at all.
var ErrMalformed = errors.New("loanapproval: body is not valid JSON")
