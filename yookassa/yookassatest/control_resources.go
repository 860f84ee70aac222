package yookassatest

import (
	"errors"
	"net/http"

	"github.com/creditpay/yookassa-go/yookassa"
)

// The control API of the newer resources, beside the payments' (see
// controlEndpoints), in the same JSON and error shapes:
//
//	POST /sim/payment_methods/{id}/confirm                  ConfirmPaymentMethod; answers the payment method
//	POST /sim/payment_methods/{id}/decline                  DeclinePaymentMethod; answers the payment method
//	POST /sim/invoices/{id}/pay                             PayInvoice; answers the invoice's payment
//	POST /sim/payouts/decline_next {"reason":"recipient_not_found"}  DeclineNextPayout; answers {"reason":...}
var resourceControlEndpoints = []struct {
	pattern string
	handle  func(*Server, *http.Request) answer
}{
	{"POST /sim/payment_methods/{id}/confirm", (*Server).controlConfirmPaymentMethod},
	{"POST /sim/payment_methods/{id}/decline", (*Server).controlDeclinePaymentMethod},
	{"POST /sim/invoices/{id}/pay", (*Server).controlPayInvoice},
	{"POST /sim/payouts/decline_next", (*Server).controlDeclineNextPayout},
}

// paymentMethodAnswer is the control API's answer about a binding: the
// payment method, or the error in YooKassa's shape.
func (s *Server) paymentMethodAnswer(id string, err error) answer {
	switch {
	case errors.Is(err, ErrUnknownPaymentMethod):
		return notFound("payment_method_id", "Payment method")
	case errors.Is(err, ErrPaymentMethodNotPending):
		return invalid("payment_method_id", "Payment method can not be confirmed or declined: it is no longer pending")
	case err != nil:
		return invalid("", "%v", err)
	}
	m, _ := s.PaymentMethod(id)
	return ok(m)
}

func (s *Server) controlConfirmPaymentMethod(r *http.Request) answer {
	id := r.PathValue("id")
	return s.paymentMethodAnswer(id, s.ConfirmPaymentMethod(id))
}

func (s *Server) controlDeclinePaymentMethod(r *http.Request) answer {
	id := r.PathValue("id")
	return s.paymentMethodAnswer(id, s.DeclinePaymentMethod(id))
}

func (s *Server) controlPayInvoice(r *http.Request) answer {
	paymentID, err := s.PayInvoice(r.PathValue("id"))
	switch {
	case errors.Is(err, ErrUnknownInvoice):
		return notFound("invoice_id", "Invoice")
	case errors.Is(err, ErrInvoiceNotPending):
		return invalid("invoice_id", "Invoice can not be paid: it is no longer pending")
	case err != nil:
		return invalid("", "%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(s.payments[paymentID].view())
}

func (s *Server) controlDeclineNextPayout(r *http.Request) answer {
	var in struct {
		Reason yookassa.CancellationReason `json:"reason"`
	}
	if a := readControl(r, &in); a != nil {
		return *a
	}
	if in.Reason == "" {
		return invalid("reason", "reason is required, for example recipient_not_found")
	}
	s.DeclineNextPayout(in.Reason)
	return ok(in)
}
