package yookassatest

import (
	"fmt"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// receiptEndpoints is the API of /receipts.
var receiptEndpoints = []endpoint{
	{"POST /v3/receipts", (*Server).createReceipt},
	{"GET /v3/receipts", (*Server).listReceipts},
	{"GET /v3/receipts/{id}", (*Server).getReceipt},
}

// receiptEntry is a registered receipt; receipts register at once.
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
