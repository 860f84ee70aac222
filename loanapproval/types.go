package loanapproval

import (
	"fmt"
	"log/slog"

	"github.com/shopspring/decimal"
)

// ProductType is the credit product a request or an offer is about
// (product_type on the wire).
type ProductType string

const (
	// ProductLoan is a cash loan ("loan"). Requests for it carry a term and
	// offers for it carry a term range and a monthly payment range.
	ProductLoan ProductType = "loan"
	// ProductCreditCard is a credit card ("credit_card"). Its amount is the
	// credit limit; offers for it carry a grace period and the minimum
	// monthly payment as a percentage of the debt.
	ProductCreditCard ProductType = "credit_card"
)

// Valid reports whether p is one of the documented product types.
func (p ProductType) Valid() bool { return p == ProductLoan || p == ProductCreditCard }

// Decision is the bank's overall answer to a request (the top-level decision
// field of a response).
type Decision string

const (
	// DecisionHasApprove ("has_approve") means the bank approves at least one
	// offer; Yandex shows the offers in data to the user.
	DecisionHasApprove Decision = "has_approve"
	// DecisionRejected ("rejected") means the bank has nothing to offer;
	// Yandex shows no offer from this bank.
	DecisionRejected Decision = "rejected"
)

// Valid reports whether d is one of the documented decisions.
func (d Decision) Valid() bool { return d == DecisionHasApprove || d == DecisionRejected }

// OfferDecision is how firm a single offer is (the decision field inside an
// element of data).
type OfferDecision string

const (
	// OfferPreApproved ("pre_approved") is a preliminary approval: the final
	// decision follows the application.
	OfferPreApproved OfferDecision = "pre_approved"
	// OfferFullApproved ("full_approved") is a final approval.
	OfferFullApproved OfferDecision = "full_approved"
)

// Valid reports whether d is one of the documented offer decisions.
func (d OfferDecision) Valid() bool { return d == OfferPreApproved || d == OfferFullApproved }

// Status tells Yandex whether the answer is final.
type Status string

const (
	// StatusPending ("pending") means the bank is still deciding; Yandex
	// polls with GET ?search_id= until the status is done.
	StatusPending Status = "pending"
	// StatusDone ("done") means the response carries the final decision.
	StatusDone Status = "done"
)

// Valid reports whether s is one of the documented statuses.
func (s Status) Valid() bool { return s == StatusPending || s == StatusDone }

// Request is the body Yandex POSTs to the bank: who is asking and for what.
type Request struct {
	// PhoneNumber is the user's phone number (phone_number, required),
	// digits only, for example "79991234567", or 10 digits without the
	// country code ("9330445040"), as Yandex's published example sends it.
	PhoneNumber string
	// Amount is the requested loan amount or, for a credit card, the
	// requested credit limit, in roubles (amount, optional). Sent as a JSON
	// number.
	Amount *decimal.Decimal
	// Term is the requested loan term in months, as a string of digits
	// (term). Required for loans. The field table makes it a string and the
	// client sends it so; a JSON number (36, as in Yandex's published
	// example) is read too.
	Term string
	// ProductType is the product asked for (product_type, required).
	ProductType ProductType
	// SearchID identifies the request (search_id, required, a UUID). A
	// repeated POST with the same search_id must get the same answer, and
	// the asynchronous poll uses it.
	SearchID string
	// Props carries service parameters agreed between Yandex and the bank
	// outside the protocol (props, optional).
	Props []string
}

// LogValue logs the request without the applicant's phone number: the
// search_id, the product, the amount and the term.
func (r Request) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("search_id", r.SearchID), slog.String("product_type", string(r.ProductType))}
	if r.Amount != nil {
		attrs = append(attrs, slog.String("amount", r.Amount.String()))
	}
	if r.Term != "" {
		attrs = append(attrs, slog.String("term", r.Term))
	}
	return slog.GroupValue(attrs...)
}

// Format prints the request as its log form, for every verb.
func (r Request) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "loanapproval.Request%v", r.LogValue())
}

// Response is the 200 body the bank returns to a POST or a poll.
type Response struct {
	// SearchID repeats the search_id of the request (required).
	SearchID string
	// Status is pending while the bank is still deciding and done once the
	// decision is final (required).
	Status Status
	// Name is the bank's name as Yandex shows it (required once done).
	Name string
	// Decision is the overall answer (required once done).
	Decision Decision
	// Data lists the offers (optional); one element when there is one offer.
	Data []Offer
}

// Offer is one element of a response's data: a product the bank offers to the
// user, with the ranges Yandex shows on the search result.
type Offer struct {
	// ProductType is the product offered (product_type, required).
	ProductType ProductType
	// Decision is how firm the offer is (decision, required).
	Decision OfferDecision
	// Amount is the loan amount or, for a credit card, the credit limit, in
	// roubles (amount, required).
	Amount *Range
	// Term is the loan term in months (term, required for loans).
	Term *Range
	// Rate is the interest rate in percent per year (rate, required).
	Rate *Range
	// TotalCost is the full cost of credit (the PSK) in percent per year
	// (total_cost, required).
	TotalCost *Range
	// GracePeriod is the interest-free period in days (grace_period,
	// required for credit cards). Sent as a JSON integer.
	GracePeriod *int
	// Payment is the monthly payment (payment, required).
	Payment *Payment
	// SpecialConditions lists extra conditions of the offer
	// (special_conditions, optional).
	SpecialConditions []string
	// RequiredDocuments lists the documents the user must provide
	// (required_documents, optional).
	RequiredDocuments []string
	// ChoosableDocuments lists alternatives the user picks from; one element
	// may name several documents, for example "2-NDFL certificate, employer's
	// certificate" (choosable_documents, optional).
	ChoosableDocuments []string
	// ProposalLink is where the user applies for the offer (required). The
	// wire name is "propousal_link", spelled as the protocol spells it.
	ProposalLink *ProposalLink
	// Props carries service parameters agreed outside the protocol (props,
	// optional).
	Props []string
}

// Range is a min/max pair of an offer (amount, term, rate, total_cost). The
// field table makes both ends required, sent as JSON numbers, with Min not
// above Max; a fixed value is a range with Min equal to Max.
//
// Yandex's own published offer example sends "min": null for an amount. When
// reading an answer ([ParseResponse], [Client], [Check]) a bound sent as null
// is accepted as "not given": its field stays zero, [Range.HasMin] or
// [Range.HasMax] reports false, and it is encoded again as null. [Validate]
// and [Handler] still refuse such a range, because it breaks the field table.
type Range struct {
	// Min is the lower end (min); zero when the bound was not given.
	Min decimal.Decimal
	// Max is the upper end (max); zero when the bound was not given.
	Max decimal.Decimal

	// missing records which ends were absent or null when the range was
	// decoded, and null which of those were an explicit null; a range built
	// in Go has none missing.
	missing uint8
	null    uint8
}

const (
	missingMin uint8 = 1 << iota
	missingMax
)

// HasMin reports whether the lower end was given. It is false only for a
// decoded range whose min was absent or null.
func (r Range) HasMin() bool { return r.missing&missingMin == 0 }

// HasMax reports whether the upper end was given. It is false only for a
// decoded range whose max was absent or null.
func (r Range) HasMax() bool { return r.missing&missingMax == 0 }

// NewRange returns the range [lo, hi].
func NewRange(lo, hi decimal.Decimal) *Range { return &Range{Min: lo, Max: hi} }

// Payment is the monthly payment of an offer. For a loan Min and Max are
// required (roubles per month); for a credit card CCRate is required.
type Payment struct {
	// Min is the smallest monthly payment in roubles (min).
	Min *decimal.Decimal
	// Max is the largest monthly payment in roubles (max).
	Max *decimal.Decimal
	// CCRate is a credit card's minimum monthly payment in percent of the
	// debt (cc_rate): 10 means 10%.
	CCRate *decimal.Decimal
}

// ProposalLink says where the user fills in the application for an offer. At
// least one of the links is required.
type ProposalLink struct {
	// Link is a web page (link).
	Link string
	// Deep is a link into the bank's mobile app (deep).
	Deep string
}

// ErrorBody is the JSON body of every non-200 answer: 400, 403, 404 and 500.
type ErrorBody struct {
	// SearchID repeats the search_id of the request, or is empty when the
	// request carried none that could be read.
	SearchID string `json:"search_id"`
	// Message says what went wrong. For a 500 it is deliberately generic.
	Message string `json:"message,omitempty"`
	// Properties names the invalid fields of a 400, as property paths such
	// as "phone_number" or "term".
	Properties []string `json:"properties,omitempty"`
}
