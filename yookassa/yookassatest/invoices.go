package yookassatest

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
)

// invoiceEndpoints is the API of /invoices.
var invoiceEndpoints = []endpoint{
	{"POST /v3/invoices", (*Server).createInvoice},
	{"GET /v3/invoices/{id}", (*Server).getInvoice},
}

// invoiceEntry is an invoice and the payment data YooKassa keeps for it.
type invoiceEntry struct {
	i    yookassa.Invoice
	data yookassa.InvoicePaymentData
	// current is the payment the buyer started last ("": none yet).
	current string
}

// ErrUnknownInvoice is returned for an invoice ID the simulator does not
// hold.
var ErrUnknownInvoice = errors.New("yookassatest: unknown invoice")

// ErrInvoiceNotPending is returned by PayInvoice for an invoice that was
// paid or canceled.
var ErrInvoiceNotPending = errors.New("yookassatest: invoice is not pending")

// An invoice is pending until the buyer pays through its link (PayInvoice,
// or the page at InvoiceURL): each visit that finds no payment in progress
// creates a payment from the invoice's payment_data, with invoice_details
// naming the invoice. invoicePaymentMoved then follows that payment: paid
// (waiting_for_capture or succeeded) makes the invoice succeeded; a payment
// canceled before it was paid leaves the invoice pending for another try;
// a paid two-stage payment canceled or expired cancels the invoice
// (payment_canceled, payment_expired_on_capture). An invoice still pending
// at expires_at is canceled (invoice_expired). YooKassa sends no invoice
// notifications: the payment's own carry the news.

func (s *Server) createInvoice(req *apiRequest) answer {
	var in yookassa.InvoiceRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	now := s.clock.now()
	switch {
	case in.PaymentData.Amount.Currency != yookassa.CurrencyRUB:
		return invalid("payment_data.amount.currency", "Currencies do not match: the shop accepts RUB")
	case !in.ExpiresAt.After(now):
		return invalid("expires_at", "expires_at is in the past")
	case in.ExpiresAt.After(now.Add(30 * 24 * time.Hour)):
		return invalid("expires_at", "An invoice lives at most 30 days")
	}
	delivery := yookassa.InvoiceDeliverySelf
	if in.DeliveryMethodData != nil {
		delivery = in.DeliveryMethodData.Type
	}
	least := decimal.NewFromInt(1)
	if delivery == yookassa.InvoiceDeliverySMS {
		least = decimal.NewFromInt(100)
	}
	if in.PaymentData.Amount.Value.LessThan(least) {
		return invalid("payment_data.amount", "An invoice delivered by %s needs at least %s RUB", delivery, least.StringFixed(2))
	}
	expires := in.ExpiresAt.UTC().Truncate(time.Millisecond)
	e := &invoiceEntry{data: in.PaymentData, i: yookassa.Invoice{
		ID: prefixedID("in-"), Status: yookassa.InvoiceStatusPending, Cart: in.Cart,
		DeliveryMethod: &yookassa.InvoiceDeliveryMethod{Type: delivery},
		CreatedAt:      now, ExpiresAt: &expires, Description: in.Description, Metadata: in.Metadata,
	}}
	if delivery == yookassa.InvoiceDeliverySelf {
		e.i.DeliveryMethod.URL = s.InvoiceURL(e.i.ID)
	}
	s.invoices[e.i.ID] = e
	s.at(expires, func(time.Time) {
		if e.i.Status == yookassa.InvoiceStatusPending {
			s.cancelInvoice(e, yookassa.PartyYooMoney, yookassa.ReasonInvoiceExpired)
		}
	})
	return ok(e.i)
}

func (s *Server) getInvoice(req *apiRequest) answer {
	e := s.invoices[req.r.PathValue("id")]
	if e == nil {
		return notFound("invoice_id", "Invoice")
	}
	return ok(e.i)
}

// InvoiceURL is the invoice's page, the delivery_method.url of an invoice
// delivered by the shop itself ("self").
func (s *Server) InvoiceURL(invoiceID string) string {
	return strings.TrimSuffix(s.URL(), "/v3") + "/invoice/" + invoiceID
}

// PayInvoice plays the buyer who opens the invoice's link and presses "Pay":
// YooKassa creates a payment from the invoice's payment_data (or returns the
// one still waiting for the buyer) and sends the buyer to its confirmation
// page. It returns the payment's ID; pay it with Confirm or decline it with
// Decline.
func (s *Server) PayInvoice(invoiceID string) (string, error) {
	s.mu.Lock()
	id, err := s.payInvoice(invoiceID)
	s.mu.Unlock()
	s.flushOutbox()
	return id, err
}

func (s *Server) payInvoice(invoiceID string) (string, error) {
	s.tick()
	e := s.invoices[invoiceID]
	if e == nil {
		return "", fmt.Errorf("%w %q", ErrUnknownInvoice, invoiceID)
	}
	if e.i.Status != yookassa.InvoiceStatusPending {
		return "", fmt.Errorf("%w: %s is %s", ErrInvoiceNotPending, invoiceID, e.i.Status)
	}
	if p := s.payments[e.current]; p != nil && p.p.Status == yookassa.PaymentStatusPending {
		return p.p.ID, nil
	}
	d := e.data
	req := yookassa.PaymentRequest{Amount: d.Amount, Description: d.Description, Receipt: d.Receipt, Recipient: d.Recipient,
		Capture: d.Capture, ClientIP: d.ClientIP, Metadata: d.Metadata,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: s.InvoiceURL(invoiceID)}}
	if d.SavePaymentMethod != nil {
		req.SavePaymentMethod = *d.SavePaymentMethod
	}
	if a := s.createPayment(&apiRequest{body: marshal(req)}); a.status != http.StatusOK {
		return "", fmt.Errorf("yookassatest: the invoice's payment data was refused: %s", marshal(a.body))
	}
	p := s.order[len(s.order)-1] // the payment just created
	p.p.InvoiceDetails = &yookassa.InvoiceDetails{ID: invoiceID}
	e.current = p.p.ID
	return p.p.ID, nil
}

// invoicePaymentMoved follows a payment made through an invoice to its new
// status. Called with s.mu held, on every transition of a payment.
func (s *Server) invoicePaymentMoved(p *payment) {
	if p.p.InvoiceDetails == nil {
		return
	}
	e := s.invoices[p.p.InvoiceDetails.ID]
	if e == nil {
		return
	}
	details := &yookassa.InvoicePaymentDetails{ID: p.p.ID, Status: p.p.Status}
	switch e.i.Status {
	case yookassa.InvoiceStatusPending:
		if p.p.Status == yookassa.PaymentStatusPending {
			return
		}
		e.i.PaymentDetails = details
		if p.p.Status == yookassa.PaymentStatusCanceled {
			return // the buyer may try again until expires_at
		}
		e.i.Status = yookassa.InvoiceStatusSucceeded
		e.i.DeliveryMethod, e.i.ExpiresAt = nil, nil
	case yookassa.InvoiceStatusSucceeded:
		if e.i.PaymentDetails == nil || e.i.PaymentDetails.ID != p.p.ID {
			return
		}
		e.i.PaymentDetails = details
		if p.p.Status == yookassa.PaymentStatusCanceled {
			party, reason := yookassa.PartyMerchant, yookassa.ReasonPaymentCanceled
			if p.p.CancellationDetails != nil && p.p.CancellationDetails.Reason == yookassa.ReasonExpiredOnCapture {
				party, reason = yookassa.PartyYooMoney, yookassa.ReasonPaymentExpiredOnCapture
			}
			s.cancelInvoice(e, party, reason)
		}
	}
}

// cancelInvoice makes an invoice canceled. Called with s.mu held.
func (s *Server) cancelInvoice(e *invoiceEntry, party yookassa.CancellationParty, reason yookassa.CancellationReason) {
	e.i.Status = yookassa.InvoiceStatusCanceled
	e.i.DeliveryMethod, e.i.ExpiresAt = nil, nil
	e.i.CancellationDetails = &yookassa.CancellationDetails{Party: party, Reason: reason}
}

// Invoice returns a copy of an invoice as the API shows it.
func (s *Server) Invoice(id string) (yookassa.Invoice, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick()
	e := s.invoices[id]
	if e == nil {
		return yookassa.Invoice{}, fmt.Errorf("%w %q", ErrUnknownInvoice, id)
	}
	return cloneJSON(e.i), nil
}

type invoiceView struct {
	ID, Description, Amount, Status string
	Cart                            []invoiceLine
	Pending                         bool
}

type invoiceLine struct{ Description, Quantity, Price string }

var invoiceTemplate = template.Must(template.New("invoice").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>YooKassa simulator: invoice {{.ID}}</title></head>
<body>
<h1>Invoice {{.Amount}}</h1>
<p id="description">{{.Description}}</p>
<table>{{range .Cart}}<tr><td>{{.Description}}</td><td>{{.Quantity}}</td><td>{{.Price}}</td></tr>
{{end}}</table>
<p>Status: <span id="status">{{.Status}}</span></p>
{{if .Pending}}<form method="post" action="/invoice/{{.ID}}"><button type="submit">Pay</button></form>{{end}}
</body></html>
`))

// invoicePage is the page behind an invoice's link: the cart and a button
// that starts the payment.
func (s *Server) invoicePage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tick()
	e := s.invoices[r.PathValue("id")]
	var view invoiceView
	if e != nil {
		view = invoiceView{ID: e.i.ID, Description: e.i.Description, Amount: e.data.Amount.String(), Status: string(e.i.Status),
			Pending: e.i.Status == yookassa.InvoiceStatusPending}
		for _, it := range e.i.Cart {
			price := it.Price
			if it.DiscountPrice != nil {
				price = *it.DiscountPrice
			}
			view.Cart = append(view.Cart, invoiceLine{Description: it.Description, Quantity: it.Quantity.String(), Price: price.String()})
		}
	}
	s.mu.Unlock()
	s.flushOutbox()
	if e == nil {
		http.Error(w, "invoice not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = invoiceTemplate.Execute(w, view)
}

// invoiceSubmit starts (or resumes) the invoice's payment and sends the
// buyer to its confirmation page.
func (s *Server) invoiceSubmit(w http.ResponseWriter, r *http.Request) {
	id, err := s.PayInvoice(r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, s.CheckoutURL(id), http.StatusSeeOther)
}
