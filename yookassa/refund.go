package yookassa

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"time"
)

// RefundStatus is the state of a refund: pending, then succeeded or
// canceled (both final).
type RefundStatus string

// Refund statuses.
const (
	RefundStatusPending   RefundStatus = "pending"
	RefundStatusSucceeded RefundStatus = "succeeded"
	RefundStatusCanceled  RefundStatus = "canceled"
)

// refundStatuses are the statuses a refund can be in.
var refundStatuses = []RefundStatus{RefundStatusPending, RefundStatusSucceeded, RefundStatusCanceled}

// Final reports whether the refund's status can no longer change.
func (s RefundStatus) Final() bool {
	return s == RefundStatusSucceeded || s == RefundStatusCanceled
}

// Stage orders refund statuses: pending is 1, succeeded and canceled 2; an
// unknown status is 0. A refund only ever moves to a higher stage.
func (s RefundStatus) Stage() int {
	switch s {
	case RefundStatusPending:
		return 1
	case RefundStatusSucceeded, RefundStatusCanceled:
		return 2
	}
	return 0
}

// Refund is a refund object.
type Refund struct {
	// ID is the refund's identifier, 36 characters.
	ID string `json:"id"`
	// PaymentID is the refunded payment.
	PaymentID string `json:"payment_id"`
	// Status is the refund's state.
	Status RefundStatus `json:"status"`
	// CancellationDetails says who canceled the refund and why.
	CancellationDetails *CancellationDetails `json:"cancellation_details,omitempty"`
	// ReceiptRegistration is the registration status of the refund receipt.
	ReceiptRegistration ReceiptStatus `json:"receipt_registration,omitempty"`
	// CreatedAt is when the refund was created.
	CreatedAt time.Time `json:"created_at"`
	// Amount is the refunded sum.
	Amount Amount `json:"amount"`
	// Description is the reason for the refund (up to 250 characters).
	Description string `json:"description,omitempty"`
	// Sources is the split of the refund between shops.
	Sources []RefundSource `json:"sources,omitempty"`
	// Deal is the Safe deal of the refund.
	Deal *RefundDeal `json:"deal,omitempty"`
	// RefundMethod describes how the money is returned (sbp,
	// electronic_certificate).
	RefundMethod *RefundMethod `json:"refund_method,omitempty"`
	// RefundAuthorizationDetails holds the card refund's authorization data.
	RefundAuthorizationDetails *RefundAuthorizationDetails `json:"refund_authorization_details,omitempty"`
	// Metadata is the merchant's data given at creation.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// RefundSource is the share of a split refund taken from one shop.
type RefundSource struct {
	AccountID         string  `json:"account_id"`
	Amount            Amount  `json:"amount"`
	PlatformFeeAmount *Amount `json:"platform_fee_amount,omitempty"`
}

// RefundDeal is the Safe deal of a refund; in requests only
// RefundSettlements is sent.
type RefundDeal struct {
	ID                string       `json:"id,omitempty"`
	RefundSettlements []Settlement `json:"refund_settlements"`
}

// RefundMethodType is how the money of a refund is returned.
type RefundMethodType string

// Refund method types.
const (
	RefundMethodSBP                   RefundMethodType = "sbp"
	RefundMethodElectronicCertificate RefundMethodType = "electronic_certificate"
)

// RefundMethod describes how the money of a refund is returned: type sbp
// (with SBPOperationID) or electronic_certificate.
type RefundMethod struct {
	Type                  RefundMethodType                  `json:"type"`
	SBPOperationID        string                            `json:"sbp_operation_id,omitempty"`
	ElectronicCertificate *ElectronicCertificatePayment     `json:"electronic_certificate,omitempty"`
	Articles              []ElectronicCertificateRefundLine `json:"articles,omitempty"`
}

// RefundMethodData is the refund method in a refund request; the one type
// is electronic_certificate.
type RefundMethodData struct {
	Type                  RefundMethodType                  `json:"type"`
	ElectronicCertificate *ElectronicCertificatePayment     `json:"electronic_certificate,omitempty"`
	Articles              []ElectronicCertificateRefundLine `json:"articles,omitempty"`
}

// ElectronicCertificateRefundLine is a basket line returned to an
// electronic certificate.
type ElectronicCertificateRefundLine struct {
	ArticleNumber        int    `json:"article_number"`
	PaymentArticleNumber int    `json:"payment_article_number"`
	TruCode              string `json:"tru_code"`
	Quantity             int    `json:"quantity"`
}

// RefundAuthorizationDetails holds a card refund's authorization data.
type RefundAuthorizationDetails struct {
	RRN string `json:"rrn,omitempty"`
}

// RefundRequest is the body of POST /refunds.
type RefundRequest struct {
	// PaymentID is the succeeded payment to refund; required.
	PaymentID string `json:"payment_id"`
	// Amount is the sum to return; required. For a sber_loan installment
	// plan it is on the discounted basis.
	Amount Amount `json:"amount"`
	// Description is the reason for the refund (up to 250 characters).
	Description string `json:"description,omitempty"`
	// Receipt is the refund receipt; required for a partial refund under
	// 54-FZ and it must add up to Amount.
	Receipt *ReceiptData `json:"receipt,omitempty"`
	// Sources splits the refund between shops.
	Sources []RefundSource `json:"sources,omitempty"`
	// Deal is the Safe deal's refund settlements.
	Deal *RefundDeal `json:"deal,omitempty"`
	// RefundMethodData is the refund method (electronic certificates).
	RefundMethodData *RefundMethodData `json:"refund_method_data,omitempty"`
	// Metadata is the merchant's data (same limits as for payments).
	Metadata map[string]string `json:"metadata,omitempty"`
}

// LogValue logs the refund without the receipt's contacts: the payment,
// the amount, the description, the receipt (see ReceiptData.LogValue) and
// the number of sources.
func (r RefundRequest) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("payment_id", r.PaymentID), slog.String("amount", r.Amount.String())}
	if r.Description != "" {
		attrs = append(attrs, slog.String("description", r.Description))
	}
	if r.Receipt != nil {
		attrs = append(attrs, slog.Any("receipt", r.Receipt.LogValue()))
	}
	if len(r.Sources) > 0 {
		attrs = append(attrs, slog.Int("sources", len(r.Sources)))
	}
	return slog.GroupValue(attrs...)
}

// RefundList is one page of GET /refunds.
type RefundList struct {
	// Type is "list".
	Type string `json:"type"`
	// Items are the refunds of this page, newest first.
	Items []Refund `json:"items"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// RefundListParams filters GET /refunds. The zero value lists everything.
type RefundListParams struct {
	// CreatedAtGTE, CreatedAtGT, CreatedAtLTE and CreatedAtLT bound the
	// creation time; zero values are not sent.
	CreatedAtGTE, CreatedAtGT, CreatedAtLTE, CreatedAtLT time.Time
	// PaymentID keeps the refunds of one payment.
	PaymentID string
	// Status keeps refunds in one status.
	Status RefundStatus
	// Limit is the page size, 1-100 (0 means YooKassa's default of 10).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

func (p *RefundListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	addTimeRange(q, "created_at", p.CreatedAtGTE, p.CreatedAtGT, p.CreatedAtLTE, p.CreatedAtLT)
	if p.PaymentID != "" {
		if err := checkIDOfLength("payment_id", p.PaymentID, paymentIDLength); err != nil {
			return nil, err
		}
	}
	if err := checkOneOf("status", p.Status, false, refundStatuses); err != nil {
		return nil, err
	}
	addString(q, "payment_id", p.PaymentID)
	addString(q, "status", string(p.Status))
	return q, addPage(q, p.Limit, p.Cursor)
}

// CreateRefund refunds all or part of a succeeded payment (POST /refunds).
// Pin the key with WithIdempotenceKey (for example the return's ID) so that
// a retry cannot refund twice.
func (c *Client) CreateRefund(ctx context.Context, req *RefundRequest, opts ...CallOption) (*Refund, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil refund request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(Refund)
	if err := c.call(ctx, "POST", "/refunds", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetRefund returns one refund (GET /refunds/{id}).
func (c *Client) GetRefund(ctx context.Context, id string, opts ...CallOption) (*Refund, error) {
	path, err := objectPathOfLength("/refunds/", "refund_id", id, refundIDLength)
	if err != nil {
		return nil, err
	}
	out := new(Refund)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListRefunds returns one page of refunds (GET /refunds).
func (c *Client) ListRefunds(ctx context.Context, params *RefundListParams, opts ...CallOption) (*RefundList, error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	out := new(RefundList)
	if err := c.call(ctx, "GET", "/refunds", q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Refunds iterates over every refund matching params (nil: all), page after
// page. It stops at the first error, which it yields with a nil refund.
// Every range starts again from params, with its own state: the sequence
// can be ranged over again, and from several goroutines at once. A
// next_cursor already visited ends the walk with an error wrapping
// ErrCursorCycle.
func (c *Client) Refunds(ctx context.Context, params *RefundListParams, opts ...CallOption) iter.Seq2[*Refund, error] {
	var p RefundListParams
	if params != nil {
		p = *params
	}
	return paginate(func(cursor string) ([]Refund, string, error) {
		q := p // each page gets its own copy: ranges may run at once
		q.Cursor = cursor
		page, err := c.ListRefunds(ctx, &q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Items, page.NextCursor, nil
	}, p.Cursor)
}

// maxRefundDescription is the longest refund description, in characters.
const maxRefundDescription = 250

// Validate checks a refund request: payment_id (36 characters), a positive
// amount with at most two decimals, description up to 250 characters,
// metadata limits, a receipt that adds up to the amount, the sources'
// amounts, the deal's payout settlements and an electronic certificate's
// basket and articles.
func (r *RefundRequest) Validate() error {
	if err := checkIDOfLength("payment_id", r.PaymentID, paymentIDLength); err != nil {
		return err
	}
	if err := checkAmount("amount", r.Amount); err != nil {
		return err
	}
	if err := checkLen("description", r.Description, 0, maxRefundDescription); err != nil {
		return err
	}
	if r.Receipt != nil {
		if err := r.Receipt.validate("receipt.", &r.Amount); err != nil {
			return err
		}
	}
	if err := checkMetadata("metadata", r.Metadata); err != nil {
		return err
	}
	for i, s := range r.Sources {
		f := fmt.Sprintf("sources[%d].", i)
		if s.AccountID == "" {
			return &ValidationError{Field: f + "account_id", Reason: "required"}
		}
		if err := checkAmount(f+"amount", s.Amount); err != nil {
			return err
		}
		if s.PlatformFeeAmount != nil {
			if err := checkAmount(f+"platform_fee_amount", *s.PlatformFeeAmount); err != nil {
				return err
			}
		}
	}
	if r.Deal != nil {
		if r.Deal.ID != "" {
			return &ValidationError{Field: "deal.id", Reason: "not sent with a refund; give only refund_settlements"}
		}
		if err := checkSettlements("deal.refund_settlements", r.Deal.RefundSettlements, true); err != nil {
			return err
		}
	}
	if m := r.RefundMethodData; m != nil {
		if m.Type != RefundMethodElectronicCertificate {
			return &ValidationError{Field: "refund_method_data.type", Reason: `must be "electronic_certificate"`}
		}
		if e := m.ElectronicCertificate; e != nil {
			if err := e.validate("refund_method_data.electronic_certificate."); err != nil {
				return err
			}
		}
		for i, a := range m.Articles {
			f := fmt.Sprintf("refund_method_data.articles[%d].", i)
			if err := checkArticle(f, "article_number", a.ArticleNumber, a.TruCode, a.Quantity); err != nil {
				return err
			}
			if a.PaymentArticleNumber < 1 || a.PaymentArticleNumber > maxArticleNumber {
				return &ValidationError{Field: f + "payment_article_number", Reason: fmt.Sprintf("must be 1-%d", maxArticleNumber)}
			}
		}
	}
	return nil
}
