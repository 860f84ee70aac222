package loanapproval

import (
	"net/url"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Phone numbers are accepted as 10 to 15 digits without '+', spaces or
// punctuation: 10 covers a national number without the country code, 15 is
// the longest number E.164 allows.
const (
	MinPhoneDigits = 10
	MaxPhoneDigits = 15
)

// MaxTermMonths is the longest loan term accepted in a request, in months.
const MaxTermMonths = 1200

// FieldError is one invalid property: its path in the JSON body, such as
// "phone_number" or "data[0].payment.cc_rate", and why it is invalid.
type FieldError struct {
	// Property is the path of the field; "" stands for the body itself.
	Property string
	// Reason says what is wrong, without repeating the value.
	Reason string
}

// String returns "property: reason".
func (e FieldError) String() string {
	if e.Property == "" {
		return e.Reason
	}
	return e.Property + ": " + e.Reason
}

// ValidationError lists every invalid property of a request or a response.
// The handler answers it with a 400 whose properties are [ValidationError.Properties];
// the client returns it, wrapped, before sending a bad request or after
// receiving a bad response. Use errors.As to get at it.
type ValidationError struct {
	// Fields lists the problems, at most one per property.
	Fields []FieldError
}

// Error lists the invalid properties and reasons. It never includes the
// values, which may be personal data.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("loanapproval: invalid ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Properties returns the paths of the invalid properties, in the order found.
func (e *ValidationError) Properties() []string {
	out := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		out = append(out, f.Property)
	}
	return out
}

// Has reports whether property is among the invalid ones.
func (e *ValidationError) Has(property string) bool {
	for _, f := range e.Fields {
		if f.Property == property {
			return true
		}
	}
	return false
}

// fieldErrors collects at most one reason per property path, and none for
// the properties inside one already reported (an offer that is not an object
// is not also missing all its fields).
type fieldErrors []FieldError

func (fe *fieldErrors) add(path, reason string) {
	for _, f := range *fe {
		if f.Property == path || within(path, f.Property) {
			return
		}
	}
	*fe = append(*fe, FieldError{Property: path, Reason: reason})
}

// within reports whether path lies inside the non-root property parent.
func within(path, parent string) bool {
	return parent != "" && len(path) > len(parent) && strings.HasPrefix(path, parent) &&
		(path[len(parent)] == '.' || path[len(parent)] == '[')
}

// addAt reports reason for the property parent.name.sub, where name and sub
// may be empty; the path is only built here, when there is a problem.
func (fe *fieldErrors) addAt(parent, name, sub, reason string) {
	fe.add(join(join(parent, name), sub), reason)
}

func (fe fieldErrors) err() error {
	if len(fe) == 0 {
		return nil
	}
	return &ValidationError{Fields: fe}
}

// Validate checks the request against the protocol: phone_number of
// MinPhoneDigits to MaxPhoneDigits digits, a known product_type, search_id a
// UUID in its canonical 36-character form, a positive amount when given, and a
// term (a whole number of months from 1 to MaxTermMonths) required for loans.
// It returns a *ValidationError listing every problem, or nil.
func (r *Request) Validate() error {
	var fe fieldErrors
	r.validate(&fe)
	return fe.err()
}

func (r *Request) validate(fe *fieldErrors) {
	switch {
	case r.PhoneNumber == "":
		fe.add("phone_number", "required")
	case !allDigits(r.PhoneNumber):
		fe.add("phone_number", "must contain digits only")
	case len(r.PhoneNumber) < MinPhoneDigits || len(r.PhoneNumber) > MaxPhoneDigits:
		fe.add("phone_number", "must have 10 to 15 digits")
	}
	if r.Amount != nil && r.Amount.Sign() <= 0 {
		fe.add("amount", "must be positive")
	}
	switch {
	case r.Term != "":
		if !validTerm(r.Term) {
			fe.add("term", "must be a whole number of months from 1 to 1200")
		}
	case r.ProductType == ProductLoan:
		fe.add("term", "required for product_type loan")
	}
	switch {
	case r.ProductType == "":
		fe.add("product_type", "required")
	case !r.ProductType.Valid():
		fe.add("product_type", `must be "loan" or "credit_card"`)
	}
	validateSearchID(fe, r.SearchID)
}

func validTerm(s string) bool {
	if !allDigits(s) || len(s) > 4 {
		return false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n >= 1 && n <= MaxTermMonths
}

func validateSearchID(fe *fieldErrors, id string) {
	switch {
	case id == "":
		fe.add("search_id", "required")
	case !ValidSearchID(id):
		fe.add("search_id", "must be a UUID")
	}
}

// ValidSearchID reports whether id is a UUID in the canonical form
// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (either letter case).
func ValidSearchID(id string) bool {
	if len(id) != 36 {
		return false
	}
	_, err := uuid.Parse(id)
	return err == nil
}

// Validate checks the response against the protocol: search_id a UUID, a
// known status; once done, name and decision are required; every offer is
// checked with [Offer.Validate], its problems reported under data[i]. It
// returns a *ValidationError listing every problem, or nil.
func (r *Response) Validate() error {
	var fe fieldErrors
	r.validate(&fe, false)
	return fe.err()
}

// validate checks the response. lenient accepts what Yandex's own published
// examples do although the field table does not (a range bound sent as null);
// it is set when reading an answer and never when writing one.
func (r *Response) validate(fe *fieldErrors, lenient bool) {
	validateSearchID(fe, r.SearchID)
	switch {
	case r.Status == "":
		fe.add("status", "required")
	case !r.Status.Valid():
		fe.add("status", `must be "pending" or "done"`)
	}
	done := r.Status == StatusDone
	if r.Name == "" && done {
		fe.add("name", "required")
	}
	switch {
	case r.Decision == "" && done:
		fe.add("decision", "required")
	case r.Decision != "" && !r.Decision.Valid():
		fe.add("decision", `must be "has_approve" or "rejected"`)
	}
	for i := range r.Data {
		r.Data[i].validate(fe, index("data", i), lenient)
	}
}

// Validate checks one offer: product_type, decision, amount, rate,
// total_cost, payment and propousal_link are required; a loan also needs term
// and payment min and max; a credit card needs grace_period and payment
// cc_rate; every range needs min and max with min not above max; amounts and
// terms must be positive, rates, costs and payments not negative, cc_rate
// above 0 and at most 100; propousal_link needs link (an http or https URL) or
// deep (a URL with a scheme) or both. It returns a *ValidationError with
// paths relative to the offer, or nil.
func (o *Offer) Validate() error {
	var fe fieldErrors
	o.validate(&fe, "", false)
	return fe.err()
}

func (o *Offer) validate(fe *fieldErrors, path string, lenient bool) {
	switch {
	case o.ProductType == "":
		fe.addAt(path, "product_type", "", "required")
	case !o.ProductType.Valid():
		fe.addAt(path, "product_type", "", `must be "loan" or "credit_card"`)
	}
	switch {
	case o.Decision == "":
		fe.addAt(path, "decision", "", "required")
	case !o.Decision.Valid():
		fe.addAt(path, "decision", "", `must be "pre_approved" or "full_approved"`)
	}
	loan := o.ProductType == ProductLoan
	card := o.ProductType == ProductCreditCard

	o.Amount.validate(fe, path, "amount", true, lenient)
	switch {
	case o.Term != nil:
		o.Term.validate(fe, path, "term", true, lenient)
	case loan:
		fe.addAt(path, "term", "", "required for product_type loan")
	}
	o.Rate.validate(fe, path, "rate", false, lenient)
	o.TotalCost.validate(fe, path, "total_cost", false, lenient)

	switch {
	case o.GracePeriod != nil:
		if *o.GracePeriod < 0 {
			fe.addAt(path, "grace_period", "", "must not be negative")
		}
	case card:
		fe.addAt(path, "grace_period", "", "required for product_type credit_card")
	}

	o.Payment.validate(fe, path, loan, card)

	const pl = "propousal_link"
	switch {
	case o.ProposalLink == nil:
		fe.addAt(path, pl, "", "required")
	case o.ProposalLink.Link == "" && o.ProposalLink.Deep == "":
		fe.addAt(path, pl, "", "needs link or deep")
	default:
		if l := o.ProposalLink.Link; l != "" && !validWebLink(l) {
			fe.addAt(path, pl, "link", "must be an absolute http or https URL")
		}
		if l := o.ProposalLink.Deep; l != "" && !validDeepLink(l) {
			fe.addAt(path, pl, "deep", "must be a URL with a scheme")
		}
	}
}

// validate checks the required range at parent.name; paths are built only
// for problems. lenient accepts a bound sent as null as not given.
func (r *Range) validate(fe *fieldErrors, parent, name string, positive, lenient bool) {
	if r == nil {
		fe.addAt(parent, name, "", "required")
		return
	}
	ok := true
	for _, end := range [...]struct {
		name    string
		v       *decimal.Decimal
		missing bool
		null    bool
	}{
		{"min", &r.Min, r.missing&missingMin != 0, r.null&missingMin != 0},
		{"max", &r.Max, r.missing&missingMax != 0, r.null&missingMax != 0},
	} {
		switch {
		case end.missing && end.null && lenient:
			ok = false // not given: nothing to check, nor to compare
		case end.missing:
			fe.addAt(parent, name, end.name, "required")
			ok = false
		case positive && end.v.Sign() <= 0:
			fe.addAt(parent, name, end.name, "must be positive")
			ok = false
		case end.v.Sign() < 0:
			fe.addAt(parent, name, end.name, "must not be negative")
			ok = false
		}
	}
	if ok && r.Min.Cmp(r.Max) > 0 {
		fe.addAt(parent, name, "", "min must not exceed max")
	}
}

var hundred = decimal.NewFromInt(100)

// validate checks the payment at parent.payment.
func (p *Payment) validate(fe *fieldErrors, parent string, loan, card bool) {
	const path = "payment"
	if p == nil {
		fe.addAt(parent, path, "", "required")
		return
	}
	for _, end := range [...]struct {
		name string
		v    *decimal.Decimal
	}{{"min", p.Min}, {"max", p.Max}} {
		switch {
		case end.v == nil:
			if loan {
				fe.addAt(parent, path, end.name, "required for product_type loan")
			}
		case end.v.Sign() < 0:
			fe.addAt(parent, path, end.name, "must not be negative")
		}
	}
	if p.Min != nil && p.Max != nil && p.Min.Sign() >= 0 && p.Max.Sign() >= 0 && p.Min.Cmp(*p.Max) > 0 {
		fe.addAt(parent, path, "", "min must not exceed max")
	}
	switch {
	case p.CCRate == nil:
		if card {
			fe.addAt(parent, path, "cc_rate", "required for product_type credit_card")
		}
	case p.CCRate.Sign() <= 0 || p.CCRate.Cmp(hundred) > 0:
		fe.addAt(parent, path, "cc_rate", "must be a percentage above 0 and at most 100")
	}
}

func validWebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func validDeepLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "" || u.Path != "")
}
