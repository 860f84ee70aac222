package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// part is one button of the capture and refund forms.
type part struct {
	label string
	part  sberloan.Part
	picks []receipt.Pick // for a part by items
}

// The parts the admin page offers. Amounts are on the discounted basis:
// three quarters of an installment plan of 4,500.00 is 3,375.00.
var (
	captureParts = map[string]part{
		"full":           {label: "the whole payment", part: sberloan.Full()},
		"three_quarters": {label: "three quarters", part: sberloan.Share(decimal.RequireFromString("0.75"))},
		"product2_unit":  itemsPart("one unit of Product 2", receipt.Pick{Line: 1, Quantity: decimal.NewFromInt(1)}),
	}
	refundParts = map[string]part{
		"full": {label: "everything not yet refunded", part: sberloan.Full()},
		"half": {label: "half of the captured amount", part: sberloan.Share(decimal.RequireFromString("0.5"))},
	}
)

func itemsPart(label string, picks ...receipt.Pick) part {
	return part{label: label, part: sberloan.Items(picks...), picks: picks}
}

// operation is one admin action sent (or refused before sending).
type operation struct {
	N       int    // the order's operation number
	Action  string // "capture", "cancel" or "refund"
	What    string // for the log, such as "capture three quarters"
	Key     string // the Idempotence-Key, "" if nothing was sent
	Outcome string // in plain words
	Failed  bool
	Retry   bool // a retry of an operation whose outcome was unknown

	// The request, kept to be resent unchanged under the same key.
	capture *yookassa.CaptureRequest
	refund  *yookassa.RefundRequest
	// basis is the refund basis to record if a capture succeeds.
	basis *yookassa.ReceiptData
}

// adminIndex lists the orders, newest first.
func (s *shop) adminIndex(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.orders(r.Context())
	if err != nil {
		s.fail(w, "listing the orders", err)
		return
	}
	s.render(w, http.StatusOK, "index", list)
}

// adminPage shows the order, the payment and the forms that fit its status.
func (s *shop) adminPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.order(w, r)
	if !ok {
		return
	}
	pv, p := s.readPayment(r.Context(), o)
	pv.Admin = true
	v, err := s.view(r.Context(), o)
	if err != nil {
		s.fail(w, "reading the order's log", err)
		return
	}
	s.render(w, http.StatusOK, "admin", map[string]any{
		"Order": v, "Payment": pv, "Receipt": o.Receipt.Items,
		"CanCapture": p != nil && p.Status == yookassa.PaymentStatusWaitingForCapture,
		"CanRefund":  p != nil && p.Status == yookassa.PaymentStatusSucceeded && p.Refundable,
	})
}

// lock serialises the admin operations of one order in this process.
func (s *shop) lock(orderID string) func() {
	m, _ := s.locks.LoadOrStore(orderID, new(sync.Mutex))
	m.(*sync.Mutex).Lock()
	return m.(*sync.Mutex).Unlock
}

// adminAction runs one form of the admin page, then shows the page again
// (post/redirect/get) with the outcome in the operations log.
func (s *shop) adminAction(w http.ResponseWriter, r *http.Request) {
	o, ok := s.order(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	// The operation must not stop halfway because the operator's browser
	// went away; it gets its own deadline instead.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Minute)
	defer cancel()

	defer s.lock(o.ID)()
	var err error
	switch action := r.PathValue("action"); action {
	case "capture", "cancel", "refund":
		err = s.operate(ctx, o.ID, action, r.PostForm.Get("part"), r.PostForm.Get("op"))
	case "retry":
		err = s.retry(ctx, o.ID, r.PostForm.Get("key"))
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, "recording the operation", err)
		return
	}
	http.Redirect(w, r, "/admin/orders/"+o.ID, http.StatusSeeOther)
}

// refuse records an operation refused before anything was sent. It gets a
// number of its own (unless it has one), so that the log can refer to it.
func (s *shop) refuse(ctx context.Context, orderID string, op operation, outcome string) error {
	if op.N == 0 {
		n, _, err := s.db.takeNumber(ctx, orderID, 0)
		if err != nil {
			return err
		}
		op.N = n
	}
	op.Key, op.Outcome, op.Failed = "", outcome, true
	return s.db.record(ctx, s.db.db, orderID, op)
}

// operate plans an operation from the payment as YooKassa has it now, and
// sends it under a new key. Called with the order's lock held.
func (s *shop) operate(ctx context.Context, orderID, action, partName, formOp string) error {
	parts := captureParts
	if action == "refund" {
		parts = refundParts
	}
	pt, known := parts[partName]
	op := operation{Action: action, What: action + " " + pt.label}
	if action == "cancel" {
		op.What = "cancel the payment"
	}

	// The form's operation number must be the next one: a form sent twice
	// (a double click, the back button) is refused, not performed twice.
	want, err := strconv.Atoi(formOp)
	if err != nil || want <= 0 {
		return s.refuse(ctx, orderID, op, "Refused: the form has no operation number. Nothing was sent; reload the page.")
	}
	n, fresh, err := s.db.takeNumber(ctx, orderID, want)
	if err != nil {
		return err
	}
	if !fresh {
		return s.refuse(ctx, orderID, op, "Refused: this form was already sent or is out of date. Nothing was sent; check the log and try again.")
	}
	op.N = n

	o, err := s.db.order(ctx, orderID)
	if err != nil {
		return err
	}
	pending, err := s.db.pending(ctx, orderID)
	if err != nil {
		return err
	}
	switch {
	case !known && action != "cancel":
		return s.refuse(ctx, orderID, op, "Refused: unknown part "+strconv.Quote(partName)+".")
	case pending != nil:
		return s.refuse(ctx, orderID, op, "Refused: first retry operation "+strconv.Itoa(pending.N)+", whose outcome is unknown.")
	case o.PaymentID == "":
		return s.refuse(ctx, orderID, op, "Refused: the order has no payment.")
	}

	p, err := s.client.GetPayment(ctx, o.PaymentID)
	if err != nil {
		return s.refuse(ctx, orderID, op, "Refused: the payment could not be read. "+explain(err))
	}
	switch action {
	case "capture":
		op.capture, err = s.loan.PlanCapture(p, o.Receipt, pt.part)
		if err == nil {
			op.basis, err = s.refundBasis(p, o.Receipt, pt, op.capture)
		}
	case "refund":
		basis := o.RefundBasis
		if basis == nil {
			basis = o.Receipt
		}
		op.refund, err = s.loan.PlanRefund(p, basis, pt.part)
	case "cancel":
		if p.Status != yookassa.PaymentStatusWaitingForCapture {
			err = fmt.Errorf("only a payment waiting for capture can be canceled, this one is %s", p.Status)
		}
	}
	if err != nil {
		return s.refuse(ctx, orderID, op, "Refused before sending, nothing reached YooKassa: "+explain(err))
	}

	// The key names the order, the operation and its number: sent again
	// (a retry), it cannot act twice; the next operation gets a new number.
	// It is written down with the request before the request is sent, so
	// that a shop that stops before the answer sends it again on restart.
	op.Key = fmt.Sprintf("order-%s.%s-%d", orderID, action, op.N)
	if err := s.db.begin(ctx, orderID, op); err != nil {
		if errors.Is(err, errBusy) {
			return s.refuse(ctx, orderID, op, "Refused: another operation on this order is under way or its outcome is unknown.")
		}
		return err
	}
	return s.send(ctx, orderID, o.PaymentID, op)
}

// retry resends the operation whose outcome is unknown, unchanged, under
// its key: YooKassa performs it at most once. Called with the order's lock
// held.
func (s *shop) retry(ctx context.Context, orderID, key string) error {
	pending, err := s.db.pending(ctx, orderID)
	if err != nil {
		return err
	}
	if pending == nil || pending.Key != key {
		return s.refuse(ctx, orderID, operation{What: "retry"}, "Refused: there is no pending operation with key "+key+".")
	}
	o, err := s.db.order(ctx, orderID)
	if err != nil {
		return err
	}
	op := *pending
	op.Retry = true
	return s.send(ctx, orderID, o.PaymentID, op)
}

// resume sends again, each under its own key, the operations that a
// previous run of the shop (or another instance) left pending: sent, or
// about to be sent, with no final answer recorded.
func (s *shop) resume(ctx context.Context) error {
	pending, err := s.db.allPending(ctx)
	if err != nil {
		return err
	}
	for _, p := range pending {
		unlock := s.lock(p.orderID)
		s.log.Info("resuming an operation left pending", "order", p.orderID, "operation", p.op.What, "key", p.op.Key)
		err := s.retry(ctx, p.orderID, p.op.Key)
		unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// send performs op, written as pending already, and records its outcome.
// Called with the order's lock held.
func (s *shop) send(ctx context.Context, orderID, paymentID string, op operation) error {
	key := yookassa.WithIdempotenceKey(op.Key)
	var (
		p      *yookassa.Payment
		done   string
		err    error
		refund *yookassa.Refund
	)
	switch op.Action {
	case "capture":
		if p, err = s.client.CapturePayment(ctx, paymentID, op.capture, key); err == nil {
			done = "Captured " + rub(p.Amount.Value) + "."
		}
	case "cancel":
		if p, err = s.client.CancelPayment(ctx, paymentID, key); err == nil {
			done = "Canceled; the money goes back to the buyer, who still has to repay the loan in SberBank Online."
		}
	case "refund":
		if refund, err = s.client.CreateRefund(ctx, op.refund, key); err == nil {
			done = fmt.Sprintf("Refunded %s (refund %s, %s).", rub(refund.Amount.Value), refund.ID, refund.Status)
		}
	default:
		err = fmt.Errorf("unknown operation %q", op.Action)
	}
	if err != nil {
		s.log.Warn("admin operation failed", "order", orderID, "operation", op.What, "key", op.Key, "error", err)
	} else {
		s.log.Info("admin operation", "order", orderID, "operation", op.What, "key", op.Key)
	}

	// Never lose an operation whose outcome is unknown: it may have been
	// performed. Its request and key stay pending until a retry gets a
	// final answer.
	unknown := errors.Is(err, yookassa.ErrOutcomeUnknown)
	var status yookassa.PaymentStatus
	if p != nil {
		status = p.Status
	}
	op.Outcome, op.Failed = done, err != nil
	if err != nil {
		op.Outcome = explain(err)
	}
	return s.db.finish(ctx, orderID, op, unknown, status, err == nil && op.Action == "capture")
}

// refundBasis is the receipt that refunds of the payment must be planned
// from once capture is done: undiscounted lines whose discounted total is
// the captured amount (see sberloan.Config.PlanRefund).
//
//   - A full capture: the receipt the payment was created with.
//   - A capture by items: the picked lines, at their undiscounted prices.
//   - A share of a loan: the capture's own receipt (a loan has no
//     discount, so its prices are the undiscounted ones).
//   - A share of an installment plan: the receipt the payment was created
//     with; the planners recognise the partial capture from the payment's
//     discount and scale it.
func (s *shop) refundBasis(p *yookassa.Payment, original *yookassa.ReceiptData, pt part, capture *yookassa.CaptureRequest) (*yookassa.ReceiptData, error) {
	pur, err := s.loan.Read(p)
	if err != nil {
		return nil, err
	}
	switch {
	case capture.Amount == nil || capture.Amount.Value.Equal(pur.Amount):
		return original, nil
	case pt.picks != nil:
		items, err := receipt.Select(original.Items, pt.picks)
		if err != nil {
			return nil, err
		}
		basis := *original
		basis.Items = items
		return &basis, nil
	case pur.Option.IsLoan():
		return capture.Receipt, nil
	default:
		return original, nil
	}
}

// explain says what went wrong in words an operator can act on.
func explain(err error) string {
	var (
		unknown  *yookassa.OutcomeUnknownError
		limit    *sberloan.LimitError
		payment  *sberloan.PaymentError
		discount *sberloan.DiscountError
		rcpt     *sberloan.ReceiptError
		invalid  *yookassa.ValidationError
		apiError *yookassa.APIError
	)
	switch {
	case errors.As(err, &unknown):
		return fmt.Sprintf("Outcome unknown: YooKassa's answer was lost after %d attempt(s), so the operation may or may not "+
			"have been performed. Retry with the same key %s: YooKassa performs it at most once.", unknown.Attempts, unknown.IdempotenceKey)
	case errors.As(err, &limit):
		switch limit.Op {
		case "capture":
			return fmt.Sprintf("A partial capture must be from %s to %s; this one would be %s. Capture more, or the whole payment.",
				rub(limit.Min), rub(limit.Max), rub(limit.Amount))
		case "refund":
			return fmt.Sprintf("At most %s can still be refunded; this refund would be %s.", rub(limit.Max), rub(limit.Amount))
		}
		return fmt.Sprintf("The amount %s is outside the allowed %s to %s.", rub(limit.Amount), rub(limit.Min), rub(limit.Max))
	case errors.As(err, &discount):
		return fmt.Sprintf("YooKassa applied a discount of %s on %s for %s, but the shop's %s%% tariff gives %s: "+
			"bring the shop's tariffs in line with the YooKassa contract.",
			rub(discount.Got), rub(discount.Original), discount.Option, discount.Percent, rub(discount.Want))
	case errors.As(err, &payment):
		if payment.Detail != "" {
			return "Not possible for this payment: " + payment.Detail + "."
		}
		return "Not possible for this payment: " + payment.Error() + "."
	case errors.As(err, &rcpt):
		return "The receipt for this operation cannot be built: " + rcpt.Error()
	case errors.As(err, &invalid):
		return "Invalid " + invalid.Field + ": " + invalid.Reason + "."
	case errors.As(err, &apiError):
		msg := fmt.Sprintf("YooKassa refused it (HTTP %d %s)", apiError.StatusCode, apiError.Code)
		if apiError.Description != "" {
			msg += ": " + apiError.Description
		}
		if apiError.Parameter != "" {
			msg += " (parameter " + apiError.Parameter + ")"
		}
		switch {
		case errors.Is(err, yookassa.ErrInvalidCredentials):
			msg += ". Check the shop ID and the secret key"
		case errors.Is(err, yookassa.ErrForbidden):
			msg += ". The shop may lack the right; ask your YooKassa manager"
		}
		if apiError.ID != "" {
			msg += ". Error ID for YooKassa's support: " + apiError.ID
		}
		return msg + "."
	}
	return err.Error()
}
