package yookassatest

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// paymentMethodEndpoints is the API of /payment_methods.
var paymentMethodEndpoints = []endpoint{
	{"POST /v3/payment_methods", (*Server).createPaymentMethod},
	{"GET /v3/payment_methods/{id}", (*Server).getPaymentMethod},
}

// paymentMethodLinkTTL is how long the confirmation link of a binding
// lives: an hour, after which an unconfirmed binding becomes inactive.
const paymentMethodLinkTTL = time.Hour

// testSBPBankID is the bank of an account bound through SBP.
const testSBPBankID = "100000000111"

// savedMethod is a payment method being saved (a binding without a
// payment) or saved.
type savedMethod struct {
	m         yookassa.SavedPaymentMethod
	returnURL string
	// card is the card that will be saved: from the request's card data,
	// or the test card.
	card yookassa.BankCard
}

// ErrUnknownPaymentMethod is returned for a payment method ID the
// simulator does not hold.
var ErrUnknownPaymentMethod = errors.New("yookassatest: unknown payment method")

// ErrPaymentMethodNotPending is returned by ConfirmPaymentMethod and
// DeclinePaymentMethod for a binding that is no longer waiting for the
// user.
var ErrPaymentMethodNotPending = errors.New("yookassatest: payment method is not pending")

// A binding is pending until the user confirms it on its page
// (ConfirmPaymentMethod: active, saved, payment_method.active sent), backs
// out (DeclinePaymentMethod: inactive, no notification), or lets the link
// expire after an hour (inactive). Only an active, saved method pays
// (POST /payments with payment_method_id, at once and without the user) or
// receives payouts (bank cards). A payment made with save_payment_method
// also saves its method once paid (savePaymentMethodOf).

func (s *Server) createPaymentMethod(req *apiRequest) answer {
	var in yookassa.PaymentMethodRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	now := s.clock.now()
	id := newID()
	gateway := DefaultGatewayID
	if in.Holder != nil {
		gateway = in.Holder.GatewayID
	}
	e := &savedMethod{card: *testCard(id).Card, m: yookassa.SavedPaymentMethod{
		Type: in.Type, ID: id, Status: yookassa.PaymentMethodStatusPending,
		Holder: yookassa.PaymentMethodHolder{AccountID: s.shopID, GatewayID: gateway}, Metadata: in.Metadata,
	}}
	if c := in.Card; c != nil {
		e.card = yookassa.BankCard{First6: c.Number[:6], Last4: c.Number[len(c.Number)-4:], ExpiryYear: c.ExpiryYear,
			ExpiryMonth: c.ExpiryMonth, CardType: cardType(c.Number), IssuerCountry: "RU"}
	}
	if c := in.Confirmation; c != nil {
		e.returnURL = c.ReturnURL
		conf := &yookassa.Confirmation{Type: c.Type, ReturnURL: c.ReturnURL, Enforce: c.Enforce, Locale: c.Locale}
		if c.Type == yookassa.ConfirmationQR {
			conf.ConfirmationData = s.PaymentMethodURL(id)
		} else {
			conf.ConfirmationURL = s.PaymentMethodURL(id)
		}
		e.m.Confirmation = conf
	}
	s.methods[id] = e
	s.at(now.Add(paymentMethodLinkTTL), func(time.Time) {
		if e.m.Status == yookassa.PaymentMethodStatusPending {
			s.deactivatePaymentMethod(e)
		}
	})
	return ok(e.m)
}

func (s *Server) getPaymentMethod(req *apiRequest) answer {
	e := s.methods[req.r.PathValue("id")]
	if e == nil {
		return notFound("payment_method_id", "Payment method")
	}
	return ok(e.m)
}

// PaymentMethodURL is the confirmation page of a binding (its
// confirmation_url, or confirmation_data for a QR code).
func (s *Server) PaymentMethodURL(id string) string {
	return strings.TrimSuffix(s.URL(), "/v3") + "/payment-methods/" + id
}

// ConfirmPaymentMethod plays the user who confirms a binding: the card (the
// one the shop sent, or 5555 55** **** 4444) or the SBP account is saved,
// the method becomes active and payment_method.active is sent.
func (s *Server) ConfirmPaymentMethod(id string) error {
	s.mu.Lock()
	err := s.settlePaymentMethod(id, true)
	s.mu.Unlock()
	s.flushOutbox()
	return err
}

// DeclinePaymentMethod plays the user who backs out of a binding (or a
// card the bank refuses): the method becomes inactive, without a
// notification, as with YooKassa.
func (s *Server) DeclinePaymentMethod(id string) error {
	s.mu.Lock()
	err := s.settlePaymentMethod(id, false)
	s.mu.Unlock()
	s.flushOutbox()
	return err
}

func (s *Server) settlePaymentMethod(id string, confirm bool) error {
	s.tick()
	e := s.methods[id]
	if e == nil {
		return fmt.Errorf("%w %q", ErrUnknownPaymentMethod, id)
	}
	if e.m.Status != yookassa.PaymentMethodStatusPending {
		return fmt.Errorf("%w: %s is %s", ErrPaymentMethodNotPending, id, e.m.Status)
	}
	if confirm {
		s.activatePaymentMethod(e)
	} else {
		s.deactivatePaymentMethod(e)
	}
	return nil
}

// activatePaymentMethod saves a binding and notifies. Called with s.mu
// held.
func (s *Server) activatePaymentMethod(e *savedMethod) {
	e.m.Status, e.m.Saved, e.m.Confirmation = yookassa.PaymentMethodStatusActive, true, nil
	switch e.m.Type {
	case yookassa.PaymentMethodBankCard:
		card := e.card
		e.m.Card = &card
		e.m.Title = "Bank card *" + card.Last4
	case yookassa.PaymentMethodSBP:
		e.m.PayerBankDetails = &yookassa.PayerBankDetails{BankID: testSBPBankID}
		e.m.Title = "SBP"
	}
	s.emit(yookassa.EventPaymentMethodActive, e.m.ID, e.m)
}

// deactivatePaymentMethod ends a binding that was not confirmed. Called
// with s.mu held.
func (s *Server) deactivatePaymentMethod(e *savedMethod) {
	e.m.Status, e.m.Saved, e.m.Confirmation = yookassa.PaymentMethodStatusInactive, false, nil
}

// checkSavedMethod refuses a payment with a payment_method_id that is not
// an active saved method. Called with s.mu held.
func (s *Server) checkSavedMethod(in *yookassa.PaymentRequest) *answer {
	if in.PaymentMethodID == "" {
		return nil
	}
	e := s.methods[in.PaymentMethodID]
	if e == nil || !e.m.Usable() {
		a := invalid("payment_method_id", "Payment method %s is not an active saved method", in.PaymentMethodID)
		return &a
	}
	return nil
}

// paymentMethodOf is the payment method a payment made with a saved method
// shows.
func (e *savedMethod) paymentMethod() *yookassa.PaymentMethod {
	pm := &yookassa.PaymentMethod{Type: e.m.Type, ID: e.m.ID, Saved: true, Status: yookassa.PaymentMethodStatusActive, Title: e.m.Title}
	if e.m.Card != nil {
		c := *e.m.Card
		pm.Card = &c
	}
	if e.m.PayerBankDetails != nil {
		d := *e.m.PayerBankDetails
		pm.PayerBankDetails = &d
	}
	return pm
}

// savePaymentMethodOf saves the method of a payment made with
// save_payment_method once it is paid: the payment shows it saved and
// active, and its id pays later payments. Called with s.mu held.
func (s *Server) savePaymentMethodOf(p *payment) {
	pm := p.p.PaymentMethod
	if pm == nil || pm.Saved {
		return
	}
	pm.Saved, pm.Status = true, yookassa.PaymentMethodStatusActive
	e := &savedMethod{m: yookassa.SavedPaymentMethod{Type: pm.Type, ID: pm.ID, Saved: true, Status: yookassa.PaymentMethodStatusActive,
		Holder: yookassa.PaymentMethodHolder{AccountID: s.shopID, GatewayID: DefaultGatewayID}, Title: pm.Title}}
	if pm.Card != nil {
		c := *pm.Card
		e.m.Card = &c
		if pm.Title == "" {
			pm.Title = "Bank card *" + c.Last4
			e.m.Title = pm.Title
		}
	}
	if p.p.Recipient != nil {
		e.m.Holder.GatewayID = p.p.Recipient.GatewayID
	}
	s.methods[pm.ID] = e
}

// PaymentMethod returns a copy of a saved (or being saved) payment method
// as the API shows it.
func (s *Server) PaymentMethod(id string) (yookassa.SavedPaymentMethod, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick()
	e := s.methods[id]
	if e == nil {
		return yookassa.SavedPaymentMethod{}, fmt.Errorf("%w %q", ErrUnknownPaymentMethod, id)
	}
	return cloneJSON(e.m), nil
}

type bindingView struct {
	ID, Title, Status string
	Pending           bool
}

var bindingTemplate = template.Must(template.New("binding").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>YooKassa simulator: save {{.Title}}</title></head>
<body>
<h1>Save {{.Title}} for future payments</h1>
<p>Status: <span id="status">{{.Status}}</span></p>
{{if .Pending}}<form method="post" action="/payment-methods/{{.ID}}">
<p><button type="submit" name="choice" value="confirm">Save</button></p>
<p><button type="submit" name="choice" value="decline">Decline</button></p>
</form>{{end}}
</body></html>
`))

// paymentMethodPage is the page behind a binding's confirmation link.
func (s *Server) paymentMethodPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tick()
	e := s.methods[r.PathValue("id")]
	var view bindingView
	if e != nil {
		view = bindingView{ID: e.m.ID, Status: string(e.m.Status), Pending: e.m.Status == yookassa.PaymentMethodStatusPending,
			Title: "the bank card *" + e.card.Last4}
		if e.m.Type == yookassa.PaymentMethodSBP {
			view.Title = "your bank account (SBP)"
		}
	}
	s.mu.Unlock()
	s.flushOutbox()
	if e == nil {
		http.Error(w, "payment method not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = bindingTemplate.Execute(w, view)
}

// paymentMethodSubmit applies the user's choice and sends them to the
// shop's return_url.
func (s *Server) paymentMethodSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	var err error
	if r.PostForm.Get("choice") == "decline" {
		err = s.DeclinePaymentMethod(id)
	} else {
		err = s.ConfirmPaymentMethod(id)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	u := s.methods[id].returnURL
	s.mu.Unlock()
	if u == "" {
		u = "/payment-methods/" + id
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}
