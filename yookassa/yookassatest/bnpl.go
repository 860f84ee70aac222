package yookassatest

import (
	"errors"

	"github.com/creditpay/yookassa-go/sberbnpl"
	"github.com/creditpay/yookassa-go/yookassa"
)

// The simulator applies the rules of sber_bnpl ("Плати частями") with
// package sberbnpl: the limits and the parameters of the request at
// creation, a confirmation page for the partner's plan, one hour to pay,
// a seven-day hold with full or partial capture, and refunds, full or
// partial, within a year of the payment's creation.

// WithBNPLLimits replaces the sber_bnpl limits (sberbnpl.DefaultLimits():
// 1,000 to 50,000 RUB).
func WithBNPLLimits(l sberbnpl.Limits) Option { return func(s *Server) { s.bnpl.Limits = l } }

// BNPLConfig is the sber_bnpl configuration the simulator applies.
func (s *Server) BNPLConfig() sberbnpl.Config { return s.bnpl }

func (s *Server) isBNPL(p *payment) bool {
	return p.p.PaymentMethod != nil && p.p.PaymentMethod.Type == yookassa.PaymentMethodSberBNPL
}

// checkBNPLPayment refuses a sber_bnpl payment request that breaks the
// method's rules; nil for other methods. Called with s.mu held.
func (s *Server) checkBNPLPayment(in *yookassa.PaymentRequest) *answer {
	if in.PaymentMethodData == nil || in.PaymentMethodData.Type != yookassa.PaymentMethodSberBNPL {
		return nil
	}
	if err := s.bnpl.CheckPaymentRequest(in); err != nil {
		return bnplRefusal(err)
	}
	return nil
}

// checkBNPLCapture refuses a capture of a sber_bnpl payment that breaks
// the rules (capture nil: the full amount). Called with s.mu held.
func (s *Server) checkBNPLCapture(p *payment, capture *yookassa.Amount) *answer {
	if !s.isBNPL(p) {
		return nil
	}
	if err := sberbnpl.CheckCapture(&p.p, capture, s.clock.now()); err != nil {
		return bnplRefusal(err)
	}
	return nil
}

// checkBNPLRefund refuses a refund of a sber_bnpl payment that breaks the
// rules, a year after its creation in particular. Called with s.mu held.
func (s *Server) checkBNPLRefund(p *payment, refund yookassa.Amount) *answer {
	if !s.isBNPL(p) {
		return nil
	}
	if err := sberbnpl.CheckRefund(&p.p, refund, s.clock.now()); err != nil {
		return bnplRefusal(err)
	}
	return nil
}

// bnplRefusal is YooKassa's 400 answer to a broken rule: the field of a
// request error, payment_id for a payment that cannot be captured or
// refunded any more.
func bnplRefusal(err error) *answer {
	var pe *sberbnpl.PaymentError
	if errors.As(err, &pe) {
		a := invalid("payment_id", "%v", err)
		return &a
	}
	a := validation(err)
	return &a
}

// bnplChoices are the buttons of the confirmation page of a sber_bnpl
// payment: YooKassa's page asks for the phone (unless the shop sent it)
// and sends the buyer to the partner, who charges the first part.
func bnplChoices(p *payment) []checkoutChoice {
	return []checkoutChoice{{Value: "pay", Label: "Плати частями: pay in parts",
		Detail: "a plan of 2 months, one part every two weeks, the first part now; " + p.p.Amount.String() +
			" in all; the phone number confirms the first part by SMS on the partner's page"}}
}
