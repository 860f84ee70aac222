package yookassatest

import (
	"errors"
	"fmt"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// Errors of Confirm and Decline, matched with errors.Is. The error itself is
// a *BuyerError naming the payment.
var (
	// ErrUnknownPayment: the simulator holds no payment with this ID.
	ErrUnknownPayment = errors.New("yookassatest: unknown payment")
	// ErrNotPending: the payment no longer waits for the buyer.
	ErrNotPending = errors.New("yookassatest: payment is not pending")
	// ErrOptionNotEnabled: a sber_loan option the shop has not enabled
	// (an installment plan missing from its tariffs) or that is not an
	// option at all.
	ErrOptionNotEnabled = errors.New("yookassatest: credit option is not enabled for the shop")
	// ErrOptionNotApplicable: a credit option for a payment that is not
	// sber_loan.
	ErrOptionNotApplicable = errors.New("yookassatest: credit option given for a payment that is not sber_loan")
)

// BuyerError is the error of Confirm and Decline: what the buyer could not
// do with which payment. It matches one of ErrUnknownPayment,
// ErrNotPending, ErrOptionNotEnabled and ErrOptionNotApplicable.
type BuyerError struct {
	// PaymentID is the payment.
	PaymentID string
	// Option is the credit option asked for ("" if none).
	Option string
	// Status is the payment's status ("" for an unknown payment).
	Status yookassa.PaymentStatus
	// Err is the sentinel the error matches.
	Err error
}

// Error describes the refusal.
func (e *BuyerError) Error() string {
	switch e.Err {
	case ErrUnknownPayment:
		return fmt.Sprintf("%v %q", e.Err, e.PaymentID)
	case ErrNotPending:
		return fmt.Sprintf("%v: %s is %s", e.Err, e.PaymentID, e.Status)
	}
	return fmt.Sprintf("%v: %q for payment %s", e.Err, e.Option, e.PaymentID)
}

// Unwrap returns the sentinel.
func (e *BuyerError) Unwrap() error { return e.Err }

// Confirm plays the buyer and the bank: the buyer confirms payment id and,
// for sber_loan, picks option ("loan" or one of the enabled
// "installments_N"), and the bank approves. Other methods take an empty
// option. The payment becomes waiting_for_capture or succeeded (per its
// capture flag); a sber_loan payment of 50,000 RUB or more first stays
// pending with suspended_until set, until the cooling-off pause ends on the
// simulator's clock (see Advance). A payment made without
// payment_method_data is paid with a test bank card. The error is a
// *BuyerError.
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
		return &BuyerError{PaymentID: id, Option: loanOption, Err: ErrUnknownPayment}
	}
	if !p.allows(actPay) {
		return &BuyerError{PaymentID: id, Option: loanOption, Status: p.p.Status, Err: ErrNotPending}
	}
	if !s.isSberLoan(p) {
		if loanOption != "" {
			return &BuyerError{PaymentID: id, Option: loanOption, Status: p.p.Status, Err: ErrOptionNotApplicable}
		}
		if p.p.PaymentMethod == nil {
			p.p.PaymentMethod = testCard(id)
		}
		s.pay(p, "")
		return nil
	}
	option, err := sberloan.ParseOption(loanOption)
	if err == nil && !option.IsLoan() {
		if _, enabled := s.loan.Tariffs[option]; !enabled {
			err = ErrOptionNotEnabled
		}
	}
	if err != nil {
		return &BuyerError{PaymentID: id, Option: loanOption, Status: p.p.Status, Err: ErrOptionNotEnabled}
	}
	s.pay(p, option)
	return nil
}

// testCard is the card a buyer pays with on the confirmation page of a
// payment created without payment_method_data.
func testCard(id string) *yookassa.PaymentMethod {
	return &yookassa.PaymentMethod{Type: yookassa.PaymentMethodBankCard, ID: id, Saved: false,
		Status: yookassa.PaymentMethodStatusInactive, Title: "Bank card *4444",
		Card: &yookassa.BankCard{First6: "555555", Last4: "4444", ExpiryYear: "2030", ExpiryMonth: "12",
			CardType: "MasterCard", IssuerCountry: "RU"}}
}

// Decline plays a buyer who backs out or a bank that refuses: the pending
// payment becomes canceled (payment_network, general_decline). A sber_loan
// payment in its cooling-off pause can still be declined. The error is a
// *BuyerError.
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
		return &BuyerError{PaymentID: id, Err: ErrUnknownPayment}
	}
	if !p.allows(actDecline) {
		return &BuyerError{PaymentID: id, Status: p.p.Status, Err: ErrNotPending}
	}
	s.cancel(p, yookassa.PartyPaymentNetwork, yookassa.ReasonGeneralDecline)
	return nil
}
