package yookassa

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"time"
)

// DealType is the kind of a deal; the only one is safe_deal.
type DealType string

// DealTypeSafeDeal is the Safe deal ("Безопасная сделка").
const DealTypeSafeDeal DealType = "safe_deal"

// FeeMoment is when the platform's reward reaches the platform.
type FeeMoment string

// Fee moments.
const (
	// FeeMomentPaymentSucceeded: right after the buyer's payment succeeds;
	// a refund can then return only the seller's part.
	FeeMomentPaymentSucceeded FeeMoment = "payment_succeeded"
	// FeeMomentDealClosed: when the deal closes after a successful payout; a
	// refund can return the whole payment.
	FeeMomentDealClosed FeeMoment = "deal_closed"
)

// DealStatus is the state of a deal.
type DealStatus string

// Deal statuses.
const (
	// DealStatusOpened: payments, refunds and payouts in the deal are
	// allowed.
	DealStatusOpened DealStatus = "opened"
	// DealStatusClosed: the seller and the platform were paid, or the buyer
	// refunded; nothing more is allowed (final).
	DealStatusClosed DealStatus = "closed"
)

// Final reports whether the status can no longer change.
func (s DealStatus) Final() bool { return s == DealStatusClosed }

// Stage orders deal statuses: opened is 1, closed 2; an unknown status is
// 0. A deal only ever moves to a higher stage.
func (s DealStatus) Stage() int {
	switch s {
	case DealStatusOpened:
		return 1
	case DealStatusClosed:
		return 2
	}
	return 0
}

// DealRequest is the body of POST /deals.
type DealRequest struct {
	// Type is the kind of deal; empty means safe_deal, the only kind.
	Type DealType `json:"type"`
	// FeeMoment is when the platform's reward is transferred; required
	// (YooKassa's default is payment_succeeded, but the choice changes what a
	// refund can return, so the client makes you say it).
	FeeMoment FeeMoment `json:"fee_moment"`
	// Description is the deal's description, up to 128 characters; the
	// full_text_search filter of ListDeals searches it, so put your order,
	// buyer or seller identifiers here.
	Description string `json:"description,omitempty"`
	// Metadata is the merchant's data (up to 16 keys of 32 characters,
	// values up to 512).
	Metadata map[string]string `json:"metadata,omitempty"`
}

type dealRequestFields DealRequest

// MarshalJSON writes the request with type safe_deal when Type is empty.
func (r DealRequest) MarshalJSON() ([]byte, error) {
	if r.Type == "" {
		r.Type = DealTypeSafeDeal
	}
	return json.Marshal(dealRequestFields(r))
}

// Validate checks the request: type safe_deal (or empty), a fee moment of
// payment_succeeded or deal_closed, a description up to 128 characters and
// the metadata limits. CreateDeal calls it before sending.
func (r *DealRequest) Validate() error {
	if r.Type != "" && r.Type != DealTypeSafeDeal {
		return &ValidationError{Field: "type", Reason: `must be "safe_deal"`}
	}
	switch r.FeeMoment {
	case FeeMomentPaymentSucceeded, FeeMomentDealClosed:
	case "":
		return &ValidationError{Field: "fee_moment", Reason: "required: payment_succeeded or deal_closed"}
	default:
		return &ValidationError{Field: "fee_moment", Reason: "must be payment_succeeded or deal_closed"}
	}
	if err := checkLen("description", r.Description, 0, maxPaymentDescription); err != nil {
		return err
	}
	return checkMetadata("metadata", r.Metadata)
}

// SafeDeal is a Safe deal: the buyer pays into it, YooKassa holds the money,
// and the platform pays the seller out of it (a payout with PayoutRequest.Deal)
// or refunds the buyer. It closes by itself after a payout or a refund, or
// at ExpiresAt (refunding the buyer); the event deal.closed reports it.
type SafeDeal struct {
	// Type is safe_deal.
	Type DealType `json:"type"`
	// ID is the deal's identifier, "dl-..." (36-50 characters).
	ID string `json:"id"`
	// FeeMoment is when the platform's reward is transferred.
	FeeMoment FeeMoment `json:"fee_moment"`
	// Description is the merchant's description of the deal.
	Description string `json:"description,omitempty"`
	// Balance is the money held in the deal. It may be zero, and after a
	// refund that does not cover YooKassa's fee, negative.
	Balance Amount `json:"balance"`
	// PayoutBalance is the seller's reward: what can be paid out.
	PayoutBalance Amount `json:"payout_balance"`
	// Status is the deal's state.
	Status DealStatus `json:"status"`
	// CreatedAt is when the deal was created.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when YooKassa closes a deal that is still opened,
	// returning the money to the buyer (90 days after creation unless the
	// platform's contract says otherwise).
	ExpiresAt time.Time `json:"expires_at"`
	// Metadata is the merchant's data given at creation.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Test is true for deals of a test shop.
	Test bool `json:"test"`
}

// DealList is one page of GET /deals.
type DealList struct {
	// Type is "list".
	Type string `json:"type"`
	// Items are the deals of this page, newest first.
	Items []SafeDeal `json:"items"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// Limits of the full_text_search filter of GET /deals, in characters.
const (
	minDealSearch = 4
	maxDealSearch = 128
)

// DealListParams filters GET /deals (deals of the last three years). The
// zero value lists everything.
type DealListParams struct {
	// CreatedAtGTE, CreatedAtGT, CreatedAtLTE and CreatedAtLT bound the
	// creation time; zero values are not sent.
	CreatedAtGTE, CreatedAtGT, CreatedAtLTE, CreatedAtLT time.Time
	// ExpiresAtGTE, ExpiresAtGT, ExpiresAtLTE and ExpiresAtLT bound the
	// time the deal closes by itself.
	ExpiresAtGTE, ExpiresAtGT, ExpiresAtLTE, ExpiresAtLT time.Time
	// Status keeps deals in one status.
	Status DealStatus
	// FullTextSearch keeps deals whose description contains it, 4-128
	// characters.
	FullTextSearch string
	// Limit is the page size, 1-100 (0 means YooKassa's default of 10).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

func (p *DealListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	addTimeRange(q, "created_at", p.CreatedAtGTE, p.CreatedAtGT, p.CreatedAtLTE, p.CreatedAtLT)
	addTimeRange(q, "expires_at", p.ExpiresAtGTE, p.ExpiresAtGT, p.ExpiresAtLTE, p.ExpiresAtLT)
	switch p.Status {
	case "", DealStatusOpened, DealStatusClosed:
	default:
		return nil, &ValidationError{Field: "status", Reason: "must be opened or closed"}
	}
	addString(q, "status", string(p.Status))
	if p.FullTextSearch != "" {
		if err := checkLen("full_text_search", p.FullTextSearch, minDealSearch, maxDealSearch); err != nil {
			return nil, err
		}
	}
	addString(q, "full_text_search", p.FullTextSearch)
	return q, addPage(q, p.Limit, p.Cursor)
}

// CreateDeal opens a Safe deal (POST /deals) with the platform shop's
// credentials. Payments join it with PaymentRequest.Deal, refunds reduce
// the seller's part with RefundRequest.Deal, and a payout with
// PayoutRequest.Deal pays the seller.
func (c *Client) CreateDeal(ctx context.Context, req *DealRequest, opts ...CallOption) (*SafeDeal, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil deal request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(SafeDeal)
	if err := c.call(ctx, "POST", "/deals", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetDeal returns a deal's current state (GET /deals/{id}).
func (c *Client) GetDeal(ctx context.Context, id string, opts ...CallOption) (*SafeDeal, error) {
	path, err := prefixedObjectPath("/deals/", "deal_id", id)
	if err != nil {
		return nil, err
	}
	out := new(SafeDeal)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListDeals returns one page of deals (GET /deals). Pass the page's
// NextCursor as params.Cursor for the next one, or use Deals.
func (c *Client) ListDeals(ctx context.Context, params *DealListParams, opts ...CallOption) (*DealList, error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	out := new(DealList)
	if err := c.call(ctx, "GET", "/deals", q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Deals iterates over every deal matching params (nil: all), page after
// page. It stops at the first error, which it yields with a nil deal.
func (c *Client) Deals(ctx context.Context, params *DealListParams, opts ...CallOption) iter.Seq2[*SafeDeal, error] {
	var p DealListParams
	if params != nil {
		p = *params
	}
	return paginate(func(cursor string) ([]SafeDeal, string, error) {
		q := p // each page gets its own copy: ranges may run at once
		q.Cursor = cursor
		page, err := c.ListDeals(ctx, &q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Items, page.NextCursor, nil
	}, p.Cursor)
}
