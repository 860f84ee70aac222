package yookassatest

import (
	"fmt"
	"time"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

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
	if p.p.Status != yookassa.PaymentStatusSucceeded {
		return invalid("payment_id", "Payment can not be refunded in current status %s", p.p.Status)
	}
	if in.Amount.Currency != p.p.Amount.Currency {
		return invalid("amount.currency", "Currencies do not match")
	}
	now := s.clock.now()
	if s.isSberLoan(p) && now.Sub(p.p.CreatedAt) > sberloan.RefundPeriod {
		return invalid("payment_id", "Refund period expired: sber_loan payments are refunded within %d days", int(sberloan.RefundPeriod/(24*time.Hour)))
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

type receiptEntry struct {
	seq int
	r   yookassa.Receipt
	at  time.Time
}

// addReceipt registers a receipt at once (status succeeded). Called with
// s.mu held.
func (s *Server) addReceipt(r yookassa.Receipt) *yookassa.Receipt {
	now := s.clock.now()
	s.seq++
	r.ID = "rt-" + newID()
	r.Status = yookassa.ReceiptStatusSucceeded
	r.RegisteredAt = &now
	r.FiscalDocumentNumber = fmt.Sprint(1000 + s.seq)
	r.FiscalStorageNumber = "9288000100115785"
	r.FiscalAttribute = fmt.Sprint(2617600000 + s.seq)
	e := &receiptEntry{seq: s.seq, r: r, at: now}
	s.receipts[r.ID] = e
	s.rcptSeq = append(s.rcptSeq, e)
	return &e.r
}

// registerPaymentReceipt registers the receipt of a captured payment.
// Called with s.mu held.
func (s *Server) registerPaymentReceipt(p *payment, items []yookassa.ReceiptItem) {
	if p.receipt == nil || len(items) == 0 {
		return
	}
	s.addReceipt(yookassa.Receipt{Type: yookassa.ReceiptTypePayment, PaymentID: p.p.ID, Items: items, Internet: p.receipt.Internet,
		TaxSystemCode: p.receipt.TaxSystemCode, Settlements: []yookassa.Settlement{{Type: yookassa.SettlementCashless, Amount: p.p.Amount}}})
	p.p.ReceiptRegistration = yookassa.ReceiptStatusSucceeded
}

func (s *Server) createReceipt(req *apiRequest) answer {
	var in yookassa.ReceiptRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	if in.Type == yookassa.ReceiptTypePayment && s.payments[in.PaymentID] == nil {
		return invalid("payment_id", "Payment not found")
	}
	if in.Type == yookassa.ReceiptTypeRefund && s.refunds[in.RefundID] == nil {
		return invalid("refund_id", "Refund not found")
	}
	r := s.addReceipt(yookassa.Receipt{Type: in.Type, PaymentID: in.PaymentID, RefundID: in.RefundID, Items: in.Items,
		Internet: in.Internet, Settlements: in.Settlements, OnBehalfOf: in.OnBehalfOf, TaxSystemCode: in.TaxSystemCode,
		Timezone: in.Timezone, ReceiptIndustryDetails: in.ReceiptIndustryDetails, ReceiptOperationalDetails: in.ReceiptOperationalDetails})
	return ok(*r)
}

func (s *Server) getReceipt(req *apiRequest) answer {
	return getOne(s.receipts, req, "receipt_id", "Receipt")
}

func (s *Server) listReceipts(req *apiRequest) answer {
	q := req.r.URL.Query()
	f, bad := parseFilter(q, "created_at")
	if bad != nil {
		return *bad
	}
	paymentID, refundID, status := q.Get("payment_id"), q.Get("refund_id"), q.Get("status")
	if paymentID != "" && refundID != "" {
		return invalid("refund_id", "Filter by payment_id or refund_id, not both")
	}
	items, next, bad := page(q, s.rcptSeq, func(r *receiptEntry) bool {
		return (paymentID == "" || r.r.PaymentID == paymentID) && (refundID == "" || r.r.RefundID == refundID) &&
			(status == "" || string(r.r.Status) == status) && f.match("created_at", &r.at)
	})
	if bad != nil {
		return *bad
	}
	return ok(yookassa.ReceiptList{Type: "list", Items: items, NextCursor: next})
}

// Receipts returns copies of every registered receipt, oldest first.
func (s *Server) Receipts() []yookassa.Receipt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return objects(s.rcptSeq)
}

func (s *Server) createWebhook(req *apiRequest) answer {
	var in yookassa.WebhookRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	for _, w := range s.webhooks {
		if w.Event == in.Event {
			return invalid("event", "A webhook for %s already exists; delete it first", in.Event)
		}
	}
	w := yookassa.Webhook{ID: "wh-" + newID(), Event: in.Event, URL: in.URL}
	s.webhooks[w.ID] = w
	return ok(w)
}

func (s *Server) listWebhooks(*apiRequest) answer {
	out := yookassa.WebhookList{Type: "list", Items: []yookassa.Webhook{}}
	for _, w := range s.webhooks {
		out.Items = append(out.Items, w)
	}
	sortWebhooks(out.Items)
	return ok(out)
}

func (s *Server) deleteWebhook(req *apiRequest) answer {
	id := req.r.PathValue("id")
	if _, found := s.webhooks[id]; !found {
		return notFound("webhook_id", "Webhook")
	}
	delete(s.webhooks, id)
	return ok(struct{}{})
}

func (s *Server) me(*apiRequest) answer {
	enabled := true
	return ok(yookassa.Me{
		AccountID: s.shopID, Status: "enabled", Test: true, Name: "yookassatest",
		Fiscalization: &yookassa.Fiscalization{Enabled: true, Provider: "avanpost"}, FiscalizationEnabled: &enabled,
		PaymentMethods: []yookassa.PaymentMethodType{yookassa.PaymentMethodBankCard, yookassa.PaymentMethodSberLoan,
			yookassa.PaymentMethodYooMoney, yookassa.PaymentMethodSBP},
	})
}
