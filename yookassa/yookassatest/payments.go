package yookassatest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// Hold and deadline of payments other than sber_loan (bank cards and the
// like): one hour to pay, seven days to capture.
const (
	defaultPaymentDeadline = time.Hour
	defaultHold            = 7 * 24 * time.Hour
)

// paymentEndpoints is the API of /payments.
var paymentEndpoints = []endpoint{
	{"POST /v3/payments", (*Server).createPayment},
	{"GET /v3/payments", (*Server).listPayments},
	{"GET /v3/payments/{id}", (*Server).getPayment},
	{"POST /v3/payments/{id}/capture", (*Server).capturePayment},
	{"POST /v3/payments/{id}/cancel", (*Server).cancelPayment},
}

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

// paymentView is a payment as the API writes it: metadata always present,
// {} when the merchant sent none.
type paymentView struct {
	yookassa.Payment
	Metadata map[string]string `json:"metadata"`
}

func (p *payment) view() paymentView {
	v := paymentView{Payment: p.p, Metadata: p.p.Metadata}
	if v.Metadata == nil {
		v.Metadata = map[string]string{}
	}
	return v
}

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
	sberLoan := in.PaymentMethodData != nil && in.PaymentMethodData.Type == yookassa.PaymentMethodSberLoan
	if sberLoan {
		if err := s.loan.CheckPaymentRequest(&in); err != nil {
			return validation(err)
		}
	}
	if a := s.checkBNPLPayment(&in); a != nil {
		return *a
	}
	if a := s.checkPaymentLinks(&in); a != nil {
		return *a
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
	p.p.PaymentMethod = newPaymentMethod(id, in.PaymentMethodData)
	p.p.Confirmation = s.newConfirmation(id, in.Confirmation)
	if in.Confirmation != nil {
		p.returnURL = in.Confirmation.ReturnURL
	}
	for _, t := range in.Transfers {
		p.p.Transfers = append(p.p.Transfers, yookassa.Transfer{AccountID: t.AccountID, Amount: t.Amount,
			Status: yookassa.TransferStatusPending, PlatformFeeAmount: t.PlatformFeeAmount, Description: t.Description, Metadata: t.Metadata})
	}
	if in.Deal != nil {
		p.p.Deal = &yookassa.Deal{ID: in.Deal.ID, Settlements: in.Deal.Settlements}
	}
	p.deadline = now.Add(defaultPaymentDeadline)
	if sberLoan {
		p.deadline = now.Add(sberloan.PaymentDeadline(in.Amount.Value))
	}
	s.schedule(p.deadline, id)
	s.payments[id] = p
	s.order = append(s.order, p)
	s.linkPayment(p, &in)
	return ok(p.view())
}

// newPaymentMethod is the payment_method of a new payment made with data
// (nil: the buyer chooses on YooKassa's page). It keeps what YooKassa
// echoes: the card as first six and last four digits with its expiry and
// type (never the number or the CSC), the SberPay phone, the purpose and
// VAT of a B2B payment.
func newPaymentMethod(id string, data *yookassa.PaymentMethodData) *yookassa.PaymentMethod {
	if data == nil {
		return nil
	}
	pm := &yookassa.PaymentMethod{Type: data.Type, ID: id, Status: yookassa.PaymentMethodStatusInactive}
	switch data.Type {
	case yookassa.PaymentMethodBankCard:
		if c := data.Card; c != nil && len(c.Number) >= 12 {
			pm.Card = &yookassa.BankCard{First6: c.Number[:6], Last4: c.Number[len(c.Number)-4:],
				ExpiryYear: c.ExpiryYear, ExpiryMonth: c.ExpiryMonth, CardType: cardType(c.Number)}
			pm.Title = "Bank card *" + pm.Card.Last4
		}
	case yookassa.PaymentMethodSberbank:
		pm.Phone = data.Phone
	case yookassa.PaymentMethodB2BSberbank:
		pm.PaymentPurpose = data.PaymentPurpose
		pm.VatData = data.VatData
	}
	return pm
}

// cardType names the payment system of a card number by its first digits,
// as YooKassa's card_type does.
func cardType(number string) yookassa.CardType {
	prefix := func(n int) int {
		v := 0
		for _, c := range number[:n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	switch p2, p4 := prefix(2), prefix(4); {
	case number[0] == '4':
		return yookassa.CardTypeVisa
	case p4 >= 2200 && p4 <= 2204:
		return yookassa.CardTypeMir
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720, p2 == 50, p2 >= 56 && p2 <= 58, p2 == 63, p2 == 67:
		return yookassa.CardTypeMasterCard // Mastercard and Maestro
	case p2 == 34, p2 == 37:
		return yookassa.CardTypeAmericanExpress
	case p2 == 62:
		return yookassa.CardTypeUnionPay
	case p2 == 35:
		return yookassa.CardTypeJCB
	case p2 == 30, p2 == 36, p2 == 38:
		return yookassa.CardTypeDinersClub
	case p4 == 6011, p2 == 65:
		return yookassa.CardTypeDiscoverCard
	}
	return yookassa.CardTypeUnknown
}

// newConfirmation is the confirmation of a new payment: the request's
// settings echoed (return_url, enforce, locale) and what the buyer needs
// (the simulator's page for redirect and mobile_application, a token for
// embedded, the page's address as the QR code's data).
func (s *Server) newConfirmation(id string, c *yookassa.Confirmation) *yookassa.Confirmation {
	if c == nil {
		return nil
	}
	conf := &yookassa.Confirmation{Type: c.Type, ReturnURL: c.ReturnURL, Enforce: c.Enforce, Locale: c.Locale}
	switch c.Type {
	case yookassa.ConfirmationRedirect, yookassa.ConfirmationMobileApplication:
		conf.ConfirmationURL = s.CheckoutURL(id)
	case yookassa.ConfirmationEmbedded:
		conf.ConfirmationToken = "ct-" + id
	case yookassa.ConfirmationQR:
		conf.ConfirmationData = s.CheckoutURL(id)
	}
	return conf
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
	return ok(list[paymentView]{Type: "list", Items: items, NextCursor: next})
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
	if !p.allows(actCapture) {
		if p.capture {
			return invalid("", "You can not capture payment with autocapture")
		}
		return invalid("", "Payment can not be captured in current status %s", p.p.Status)
	}
	if a := s.checkBNPLCapture(p, in.Amount); a != nil {
		return *a
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
	partial := amount.Value.LessThan(p.p.Amount.Value)
	items := p.items
	if in.Receipt != nil {
		items = in.Receipt.Items
	} else if partial && p.receipt != nil {
		return invalid("receipt", "A partial capture needs a receipt for the captured amount")
	}
	if a := s.checkDealCapture(p, amount, &in); a != nil {
		return *a
	}
	if in.Transfers != nil {
		p.p.Transfers = p.p.Transfers[:0]
		for _, t := range in.Transfers {
			p.p.Transfers = append(p.p.Transfers, yookassa.Transfer{AccountID: t.AccountID, Amount: t.Amount,
				PlatformFeeAmount: t.PlatformFeeAmount, Description: t.Description, Metadata: t.Metadata})
		}
	}
	if in.Deal != nil {
		p.p.Deal.Settlements = in.Deal.Settlements // the seller's share of what is captured
	}
	s.succeed(p, amount, items)
	return ok(p.view())
}

func (s *Server) cancelPayment(req *apiRequest) answer {
	p := s.payments[req.r.PathValue("id")]
	if p == nil {
		return notFound("payment_id", "Payment")
	}
	if !p.allows(actCancel) {
		if p.capture && p.p.Status == yookassa.PaymentStatusPending {
			return invalid("", "You can not cancel payment with autocapture")
		}
		return invalid("", "Payment can not be canceled in current status %s", p.p.Status)
	}
	s.cancel(p, yookassa.PartyMerchant, yookassa.ReasonCanceledByMerchant)
	return ok(p.view())
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
