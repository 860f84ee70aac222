package yookassatest

import (
	"time"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// refundEndpoints is the API of /refunds.
var refundEndpoints = []endpoint{
	{"POST /v3/refunds", (*Server).createRefund},
	{"GET /v3/refunds", (*Server).listRefunds},
	{"GET /v3/refunds/{id}", (*Server).getRefund},
}

// refundEntry is a refund; refunds succeed at once.
type refundEntry struct {
	seq int
	r   yookassa.Refund
}

func (s *Server) createRefund(req *apiRequest) answer {
	var in yookassa.RefundRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	p := s.payments[in.PaymentID]
	if p == nil {
		return invalid("payment_id", "Payment not found")
	}
	if !p.allows(actRefund) {
		return invalid("payment_id", "Payment can not be refunded in current status %s", p.p.Status)
	}
	if in.Amount.Currency != p.p.Amount.Currency {
		return invalid("amount.currency", "Currencies do not match")
	}
	now := s.clock.now()
	if s.isSberLoan(p) && now.Sub(p.p.CreatedAt) > sberloan.RefundPeriod {
		return invalid("payment_id", "Refund period expired: sber_loan payments are refunded within %d days", int(sberloan.RefundPeriod/(24*time.Hour)))
	}
	if a := s.checkBNPLRefund(p, in.Amount); a != nil {
		return *a
	}
	rest := p.p.Amount.Value.Sub(p.refunded)
	if rest.IsZero() {
		return invalid("payment_id", "Payment is already completely refunded")
	}
	if in.Amount.Value.GreaterThan(rest) {
		return invalid("amount", "Refund sum exceeded: at most %s can be refunded", rest.StringFixed(2))
	}
	if a := s.checkDealRefund(p, &in); a != nil {
		return *a
	}
	partial := in.Amount.Value.LessThan(rest) || !p.refunded.IsZero()
	items := p.items
	if in.Receipt != nil {
		items = in.Receipt.Items
	} else if partial && p.receipt != nil {
		return invalid("receipt", "A partial refund needs a receipt for the refunded amount")
	}
	s.seq++
	r := &refundEntry{seq: s.seq, r: yookassa.Refund{
		ID: newID(), PaymentID: p.p.ID, Status: yookassa.RefundStatusSucceeded, CreatedAt: now,
		Amount: in.Amount, Description: in.Description, Metadata: in.Metadata,
	}}
	if items != nil {
		s.addReceipt(yookassa.Receipt{Type: yookassa.ReceiptTypeRefund, PaymentID: p.p.ID, RefundID: r.r.ID, Items: items,
			Settlements: []yookassa.Settlement{{Type: yookassa.SettlementCashless, Amount: in.Amount}}})
		r.r.ReceiptRegistration = yookassa.ReceiptStatusSucceeded
	}
	p.refunded = p.refunded.Add(in.Amount.Value)
	refunded := yookassa.Amount{Value: p.refunded, Currency: p.p.Amount.Currency}
	p.p.RefundedAmount = &refunded
	p.p.Refundable = p.refunded.LessThan(p.p.Amount.Value)
	s.refunds[r.r.ID] = r
	s.refundSeq = append(s.refundSeq, r)
	s.dealRefunded(p, &r.r, &in)
	s.emit(yookassa.EventRefundSucceeded, r.r.ID, r.r)
	return ok(r.r)
}

func (s *Server) getRefund(req *apiRequest) answer {
	return getOne(s.refunds, req, "refund_id", "Refund")
}

func (s *Server) listRefunds(req *apiRequest) answer {
	q := req.r.URL.Query()
	f, bad := parseFilter(q, "created_at")
	if bad != nil {
		return *bad
	}
	paymentID, status := q.Get("payment_id"), q.Get("status")
	items, next, bad := page(q, s.refundSeq, func(r *refundEntry) bool {
		return (paymentID == "" || r.r.PaymentID == paymentID) && (status == "" || string(r.r.Status) == status) &&
			f.match("created_at", &r.r.CreatedAt)
	})
	if bad != nil {
		return *bad
	}
	return ok(yookassa.RefundList{Type: "list", Items: items, NextCursor: next})
}

// Refunds returns copies of every refund, oldest first.
func (s *Server) Refunds() []yookassa.Refund {
	s.mu.Lock()
	defer s.mu.Unlock()
	return objects(s.refundSeq)
}
