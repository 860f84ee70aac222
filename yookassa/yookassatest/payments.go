package yookassatest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// Hold and deadline of payments other than sber_loan (bank cards and the
// like): one hour to pay, seven days to capture.
const (
	defaultPaymentDeadline = time.Hour
	defaultHold            = 7 * 24 * time.Hour
)

// payment is a payment and what the simulator knows about it beyond the
// object YooKassa shows.
type payment struct {
	p         yookassa.Payment
	seq       int
	capture   bool
	returnURL string
	// receipt is the receipt data sent at creation (nil: no receipts).
	receipt *yookassa.ReceiptData
	// items are the receipt lines as registered when the buyer paid
	// (repriced for installment plans).
	items []yookassa.ReceiptItem
	// deadline is when a pending payment expires.
	deadline time.Time
	// option is the buyer's choice while a cooling-off pause runs.
	option   sberloan.Option
	refunded decimal.Decimal
}

// ErrUnknownPayment is returned by Confirm and Decline for an ID the
// simulator does not hold.
var ErrUnknownPayment = errors.New("yookassatest: unknown payment")

// ErrNotPending is returned by Confirm and Decline for a payment that is no
// longer waiting for the buyer.
var ErrNotPending = errors.New("yookassatest: payment is not pending")

func newID() string { return uuid.NewString() }

func (s *Server) isSberLoan(p *payment) bool {
	return p.p.PaymentMethod != nil && p.p.PaymentMethod.Type == yookassa.PaymentMethodSberLoan
}

func (s *Server) createPayment(req *apiRequest) answer {
	var in yookassa.PaymentRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	if in.Amount.Currency != yookassa.CurrencyRUB {
		return invalid("amount.currency", "Currencies do not match: the shop accepts RUB")
	}
	if in.PaymentToken != "" {
		return invalid("payment_token", "The simulator does not decode payment tokens; send payment_method_data")
	}
	if a := s.checkPaymentLinks(&in); a != nil {
		return *a
	}
	sberLoan := in.PaymentMethodData != nil && in.PaymentMethodData.Type == yookassa.PaymentMethodSberLoan
	if sberLoan {
		if err := s.loan.CheckPaymentRequest(&in); err != nil {
			return validation(err)
		}
	}
	now := s.clock.now()
	s.seq++
	id := newID()
	p := &payment{seq: s.seq, capture: in.Capture, receipt: in.Receipt}
	gateway := DefaultGatewayID
	if in.Recipient != nil {
		gateway = in.Recipient.GatewayID
	}
	p.p = yookassa.Payment{
		ID: id, Status: yookassa.PaymentStatusPending, Amount: in.Amount, Description: in.Description,
		Recipient: &yookassa.Recipient{AccountID: s.shopID, GatewayID: gateway},
		CreatedAt: now, Test: true, Metadata: in.Metadata, MerchantCustomerID: in.MerchantCustomerID,
	}
	if in.PaymentMethodData != nil {
		p.p.PaymentMethod = &yookassa.PaymentMethod{Type: in.PaymentMethodData.Type, ID: id, Status: yookassa.PaymentMethodStatusInactive}
	}
	if c := in.Confirmation; c != nil {
		p.returnURL = c.ReturnURL
		conf := &yookassa.Confirmation{Type: c.Type}
		switch c.Type {
		case yookassa.ConfirmationRedirect, yookassa.ConfirmationMobileApplication:
			conf.ConfirmationURL = s.CheckoutURL(id)
		case yookassa.ConfirmationEmbedded:
			conf.ConfirmationToken = "ct-" + id
		case yookassa.ConfirmationQR:
			conf.ConfirmationData = s.CheckoutURL(id)
		}
		p.p.Confirmation = conf
	}
	p.deadline = now.Add(defaultPaymentDeadline)
	if sberLoan {
		p.deadline = now.Add(sberloan.PaymentDeadline(in.Amount.Value))
	}
	s.schedule(p.deadline, id)
	s.payments[id] = p
	s.order = append(s.order, p)
	s.linkPayment(p, &in)
	return ok(p.p)
}

func (s *Server) getPayment(req *apiRequest) answer {
	return getOne(s.payments, req, "payment_id", "Payment")
}

func (s *Server) listPayments(req *apiRequest) answer {
	q := req.r.URL.Query()
	f, bad := parseFilter(q, "created_at", "captured_at")
	if bad != nil {
		return *bad
	}
	status, method := q.Get("status"), q.Get("payment_method")
	items, next, bad := page(q, s.order, func(p *payment) bool {
		return (status == "" || string(p.p.Status) == status) &&
			(method == "" || (p.p.PaymentMethod != nil && string(p.p.PaymentMethod.Type) == method)) &&
			f.match("created_at", &p.p.CreatedAt) && f.match("captured_at", p.p.CapturedAt)
	})
	if bad != nil {
		return *bad
	}
	return ok(yookassa.PaymentList{Type: "list", Items: items, NextCursor: next})
}

func (s *Server) capturePayment(req *apiRequest) answer {
	p := s.payments[req.r.PathValue("id")]
	if p == nil {
		return notFound("payment_id", "Payment")
	}
	var in yookassa.CaptureRequest
	if len(strings.TrimSpace(string(req.body))) > 0 {
		if a := decode(req.body, &in); a != nil {
			return *a
		}
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	if p.p.Status != yookassa.PaymentStatusWaitingForCapture {
		return invalid("", "Payment can not be captured in current status %s", p.p.Status)
	}
	amount := p.p.Amount
	if in.Amount != nil {
		if in.Amount.Currency != amount.Currency {
			return invalid("amount.currency", "Currencies do not match")
		}
		if in.Amount.Value.GreaterThan(amount.Value) {
			return invalid("amount", "Illegal amount for capture: %s is more than the payment's %s", in.Amount.Value.StringFixed(2), amount.Value.StringFixed(2))
		}
		if s.isSberLoan(p) {
			if err := s.loan.CheckCapture(amount, *in.Amount); err != nil {
				return validation(err)
			}
		}
		amount = *in.Amount
	}
	if in.Deal != nil && p.p.Deal != nil {
		p.p.Deal.Settlements = in.Deal.Settlements
	}
	partial := amount.Value.LessThan(p.p.Amount.Value)
	items := p.items
	if in.Receipt != nil {
		items = in.Receipt.Items
	} else if partial && p.receipt != nil {
		return invalid("receipt", "A partial capture needs a receipt for the captured amount")
	}
	now := s.clock.now()
	p.p.Amount = amount
	p.p.Status = yookassa.PaymentStatusSucceeded
	p.p.CapturedAt = &now
	p.p.ExpiresAt = nil
	p.p.Refundable = true
	zero := yookassa.RUB(decimal.Zero)
	zero.Currency = amount.Currency
	p.p.RefundedAmount = &zero
	income := yookassa.Amount{Value: sberloan.Income(amount.Value, s.loan.CommissionPercent), Currency: amount.Currency}
	p.p.IncomeAmount = &income
	s.registerPaymentReceipt(p, items)
	s.emitPayment(yookassa.EventPaymentSucceeded, p)
	return ok(p.p)
}

func (s *Server) cancelPayment(req *apiRequest) answer {
	p := s.payments[req.r.PathValue("id")]
	if p == nil {
		return notFound("payment_id", "Payment")
	}
	if p.p.Status != yookassa.PaymentStatusWaitingForCapture {
		return invalid("", "Payment can not be canceled in current status %s", p.p.Status)
	}
	s.cancel(p, yookassa.PartyMerchant, yookassa.ReasonCanceledByMerchant)
	return ok(p.p)
}

// cancel moves a payment to canceled and notifies. Called with s.mu held.
func (s *Server) cancel(p *payment, party yookassa.CancellationParty, reason yookassa.CancellationReason) {
	p.p.Status = yookassa.PaymentStatusCanceled
	p.p.Paid = false
	p.p.Refundable = false
	p.p.Confirmation = nil
	p.p.ExpiresAt = nil
	p.p.CancellationDetails = &yookassa.CancellationDetails{Party: party, Reason: reason}
	s.emitPayment(yookassa.EventPaymentCanceled, p)
}

// Confirm plays the buyer and the bank: the buyer confirms payment id and,
// for sber_loan, picks option ("loan" or one of the enabled
// "installments_N"), and the bank approves. Other methods take an empty
// option. The payment becomes waiting_for_capture or succeeded (per its
// capture flag); a sber_loan payment of 50,000 RUB or more first stays
// pending with suspended_until set, until the cooling-off pause ends on the
// simulator's clock (see Advance).
func (s *Server) Confirm(paymentID string, loanOption string) error {
	s.mu.Lock()
	err := s.confirm(paymentID, loanOption)
	s.mu.Unlock()
	s.flushOutbox()
	return err
}

func (s *Server) confirm(id, loanOption string) error {
	s.tick()
	p := s.payments[id]
	if p == nil {
		return fmt.Errorf("%w %q", ErrUnknownPayment, id)
	}
	if p.p.Status != yookassa.PaymentStatusPending || p.option != "" {
		return fmt.Errorf("%w: %s is %s", ErrNotPending, id, p.p.Status)
	}
	if !s.isSberLoan(p) {
		if loanOption != "" {
			return fmt.Errorf("yookassatest: payment %s is not sber_loan; confirm it with an empty option", id)
		}
		if p.p.PaymentMethod == nil {
			// The buyer chose a card on YooKassa's page.
			p.p.PaymentMethod = &yookassa.PaymentMethod{Type: yookassa.PaymentMethodBankCard, ID: id,
				Card: &yookassa.BankCard{First6: "555555", Last4: "4444", ExpiryYear: "2030", ExpiryMonth: "12", CardType: "MasterCard"}}
		}
		s.paid(p, "")
		return nil
	}
	option, err := sberloan.ParseOption(loanOption)
	if err != nil {
		return err
	}
	if !option.IsLoan() {
		if _, enabled := s.loan.Tariffs[option]; !enabled {
			return fmt.Errorf("yookassatest: option %s is not among the enabled tariffs", option)
		}
	}
	if pause := sberloan.CoolingOffPause(p.p.Amount.Value); pause > 0 {
		until := s.clock.now().Add(pause)
		p.option = option
		p.p.PaymentMethod.SuspendedUntil = &until
		s.schedule(until, id)
		return nil
	}
	s.paid(p, option)
	return nil
}

// paid applies the bank's approval: for an installment plan the discount,
// then the hold or the capture. Called with s.mu held.
func (s *Server) paid(p *payment, option sberloan.Option) {
	now := s.clock.now()
	items := []yookassa.ReceiptItem(nil)
	if p.receipt != nil {
		items = p.receipt.Items
	}
	if option != "" {
		pm := p.p.PaymentMethod
		pm.LoanOption = string(option)
		if percent, ok := s.loan.Percent(option); ok && !option.IsLoan() {
			discounted, discount := sberloan.Discount(p.p.Amount.Value, percent)
			if p.receipt != nil {
				if repriced, err := receipt.Reprice(items, percent, discounted); err == nil {
					items = repriced
				}
			}
			p.p.Amount.Value = discounted
			d := yookassa.Amount{Value: discount, Currency: p.p.Amount.Currency}
			pm.DiscountAmount = &d
		}
	}
	p.items = items
	p.option = ""
	p.p.Paid = true
	p.p.Confirmation = nil
	income := yookassa.Amount{Value: sberloan.Income(p.p.Amount.Value, s.loan.CommissionPercent), Currency: p.p.Amount.Currency}
	p.p.IncomeAmount = &income
	if p.capture {
		p.p.Status = yookassa.PaymentStatusSucceeded
		p.p.CapturedAt = &now
		p.p.Refundable = true
		zero := yookassa.Amount{Value: decimal.Zero, Currency: p.p.Amount.Currency}
		p.p.RefundedAmount = &zero
		s.registerPaymentReceipt(p, items)
		s.emitPayment(yookassa.EventPaymentSucceeded, p)
		return
	}
	hold := defaultHold
	if s.isSberLoan(p) {
		hold = sberloan.HoldPeriod
	}
	expires := now.Add(hold)
	p.p.Status = yookassa.PaymentStatusWaitingForCapture
	p.p.ExpiresAt = &expires
	s.schedule(expires, p.p.ID)
	s.emitPayment(yookassa.EventPaymentWaitingForCapture, p)
}

// Decline plays a buyer who backs out or a bank that refuses: the pending
// payment becomes canceled (payment_network, general_decline).
func (s *Server) Decline(paymentID string) error {
	s.mu.Lock()
	err := s.decline(paymentID)
	s.mu.Unlock()
	s.flushOutbox()
	return err
}

func (s *Server) decline(id string) error {
	s.tick()
	p := s.payments[id]
	if p == nil {
		return fmt.Errorf("%w %q", ErrUnknownPayment, id)
	}
	if p.p.Status != yookassa.PaymentStatusPending {
		return fmt.Errorf("%w: %s is %s", ErrNotPending, id, p.p.Status)
	}
	p.option = ""
	s.cancel(p, yookassa.PartyPaymentNetwork, yookassa.ReasonGeneralDecline)
	return nil
}

// dueEvents applies the deadlines of one payment. Called with s.mu held.
func (s *Server) dueEvents(p *payment, now time.Time) {
	switch p.p.Status {
	case yookassa.PaymentStatusPending:
		if p.option != "" && p.p.PaymentMethod.SuspendedUntil != nil && !now.Before(*p.p.PaymentMethod.SuspendedUntil) {
			s.paid(p, p.option)
		} else if !now.Before(p.deadline) {
			p.option = ""
			s.cancel(p, yookassa.PartyYooMoney, yookassa.ReasonExpiredOnConfirmation)
		}
	case yookassa.PaymentStatusWaitingForCapture:
		if p.p.ExpiresAt != nil && !now.Before(*p.p.ExpiresAt) {
			s.cancel(p, yookassa.PartyYooMoney, yookassa.ReasonExpiredOnCapture)
		}
	}
}

// Payment returns a copy of a payment as the API shows it.
func (s *Server) Payment(id string) (*yookassa.Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.payments[id]
	if p == nil {
		return nil, false
	}
	return clonePayment(&p.p), true
}

// Payments returns copies of every payment, oldest first.
func (s *Server) Payments() []*yookassa.Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*yookassa.Payment, len(s.order))
	for i, p := range s.order {
		out[i] = clonePayment(&p.p)
	}
	return out
}

// ReturnURL is where the confirmation page sends the buyer back for a
// payment ("" if none).
func (s *Server) ReturnURL(paymentID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.payments[paymentID]; p != nil {
		return p.returnURL
	}
	return ""
}

// clonePayment deep-copies a payment through its JSON form.
func clonePayment(p *yookassa.Payment) *yookassa.Payment {
	var out yookassa.Payment
	_ = json.Unmarshal(marshal(p), &out)
	return &out
}

// filter holds parsed time filters (created_at.gte and so on).
type filter map[string]time.Time

func parseFilter(q url.Values, fields ...string) (filter, *answer) {
	f := filter{}
	for _, field := range fields {
		for _, op := range []string{"gte", "gt", "lte", "lt"} {
			name := field + "." + op
			if v := q.Get(name); v != "" {
				t, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					a := invalid(name, "Invalid date-time, expected ISO 8601 such as 2018-07-18T10:51:18.139Z")
					return nil, &a
				}
				f[name] = t
			}
		}
	}
	return f, nil
}

// match applies the filters of field to t (nil: the object has no such time,
// which only passes when no filter is set).
func (f filter) match(field string, t *time.Time) bool {
	for _, op := range []string{"gte", "gt", "lte", "lt"} {
		bound, set := f[field+"."+op]
		if !set {
			continue
		}
		if t == nil {
			return false
		}
		switch op {
		case "gte":
			if t.Before(bound) {
				return false
			}
		case "gt":
			if !t.After(bound) {
				return false
			}
		case "lte":
			if t.After(bound) {
				return false
			}
		case "lt":
			if !t.Before(bound) {
				return false
			}
		}
	}
	return true
}

// listed is a stored object as lists show it: its position in creation
// order and the object the API returns.
type listed[T any] interface {
	position() int
	object() T
}

func (p *payment) position() int               { return p.seq }
func (p *payment) object() yookassa.Payment    { return p.p }
func (r *refundEntry) position() int           { return r.seq }
func (r *refundEntry) object() yookassa.Refund { return r.r }
func (r *receiptEntry) position() int          { return r.seq }
func (r *receiptEntry) object() yookassa.Receipt {
	return r.r
}

// page walks all (oldest first) newest first, keeps what match accepts,
// starting at the cursor, and returns at most limit objects with the next
// cursor.
func page[E listed[T], T any](q url.Values, all []E, match func(E) bool) ([]T, string, *answer) {
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			a := invalid("limit", "Invalid limit: must be 1-100")
			return nil, "", &a
		}
		limit = n
	}
	start := len(all) - 1
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "s"))
		if err != nil || !strings.HasPrefix(c, "s") {
			a := invalid("cursor", "Invalid cursor")
			return nil, "", &a
		}
		start, _ = slices.BinarySearchFunc(all, n, func(e E, target int) int { return e.position() - target })
		if start >= len(all) || all[start].position() != n {
			a := invalid("cursor", "Invalid cursor")
			return nil, "", &a
		}
	}
	out := []T{}
	for i := start; i >= 0; i-- {
		if !match(all[i]) {
			continue
		}
		if len(out) == limit {
			return out, "s" + strconv.Itoa(all[i].position()), nil
		}
		out = append(out, all[i].object())
	}
	return out, "", nil
}

// getOne answers GET /<objects>/{id}: the object, or 404 naming parameter.
func getOne[E listed[T], T any](all map[string]E, req *apiRequest, parameter, what string) answer {
	e, found := all[req.r.PathValue("id")]
	if !found {
		return notFound(parameter, what)
	}
	return ok(e.object())
}

// objects returns the objects of all entries, oldest first.
func objects[E listed[T], T any](all []E) []T {
	out := make([]T, len(all))
	for i, e := range all {
		out[i] = e.object()
	}
	return out
}
