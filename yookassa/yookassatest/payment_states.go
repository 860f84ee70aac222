package yookassatest

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// The payment state machine. Every change of a payment's status is made by
// one of the actions below, each allowed from exactly one status
// (paymentFrom), through one of four transitions (suspend, hold, succeed,
// cancel). Nothing else in the package writes a payment's status.
//
//	action (who)                      from                 to
//	pay (buyer and bank)              pending              waiting_for_capture, or succeeded with capture:true;
//	                                                       a sber_loan of 50,000 RUB or more first stays pending
//	                                                       with suspended_until (suspend)
//	pause ends (clock)                pending, suspended   as pay
//	decline (buyer or bank)           pending              canceled (payment_network, general_decline)
//	confirmation expires (clock)      pending              canceled (yoo_money, expired_on_confirmation)
//	capture (merchant)                waiting_for_capture  succeeded
//	cancel (merchant)                 waiting_for_capture  canceled (merchant, canceled_by_merchant)
//	hold expires (clock)              waiting_for_capture  canceled (yoo_money, expired_on_capture)
//	refund (merchant)                 succeeded            succeeded, refunded_amount grows (refunds.go)
type paymentAction int

// Actions on a payment.
const (
	actPay paymentAction = iota
	actPauseEnds
	actDecline
	actConfirmationExpires
	actCapture
	actCancel
	actHoldExpires
	actRefund
)

// paymentFrom is the one status each action starts from: the guards of the
// state machine.
var paymentFrom = map[paymentAction]yookassa.PaymentStatus{
	actPay:                 yookassa.PaymentStatusPending,
	actPauseEnds:           yookassa.PaymentStatusPending,
	actDecline:             yookassa.PaymentStatusPending,
	actConfirmationExpires: yookassa.PaymentStatusPending,
	actCapture:             yookassa.PaymentStatusWaitingForCapture,
	actCancel:              yookassa.PaymentStatusWaitingForCapture,
	actHoldExpires:         yookassa.PaymentStatusWaitingForCapture,
	actRefund:              yookassa.PaymentStatusSucceeded,
}

// allows reports whether action a may happen to p now.
func (p *payment) allows(a paymentAction) bool {
	if p.p.Status != paymentFrom[a] {
		return false
	}
	switch a {
	case actPay:
		return !p.suspended() // the buyer has chosen already
	case actPauseEnds:
		return p.suspended()
	}
	return true
}

// suspended reports whether a sber_loan payment waits for the end of its
// cooling-off pause.
func (p *payment) suspended() bool { return p.option != "" }

// pay applies the buyer's payment (and the bank's approval) with the chosen
// credit option ("" for methods other than sber_loan): the cooling-off
// pause when the law asks for one, otherwise approve. Called with s.mu held
// and p.allows(actPay).
func (s *Server) pay(p *payment, option sberloan.Option) {
	if s.isSberLoan(p) {
		if pause := sberloan.CoolingOffPause(p.p.Amount.Value); pause > 0 {
			s.suspend(p, option, s.clock.now().Add(pause))
			return
		}
	}
	s.approve(p, option)
}

// approve is the bank's approval: for an installment plan the discount
// (amount and receipt repriced), then the hold, or the capture of a
// capture:true payment. Called with s.mu held.
func (s *Server) approve(p *payment, option sberloan.Option) {
	var items []yookassa.ReceiptItem
	if p.receipt != nil {
		items = p.receipt.Items
	}
	if option != "" {
		pm := p.p.PaymentMethod
		pm.LoanOption = yookassa.LoanOption(option)
		pm.SuspendedUntil = nil
		if percent, ok := s.loan.Percent(option); ok && !option.IsLoan() {
			discounted, discount := sberloan.Discount(p.p.Amount.Value, percent)
			if p.receipt != nil {
				if repriced, err := receipt.Reprice(items, percent, discounted); err == nil {
					items = repriced
				}
			}
			p.p.Amount.Value = discounted
			pm.DiscountAmount = &yookassa.Amount{Value: discount, Currency: p.p.Amount.Currency}
		}
	}
	p.items = items
	p.option = ""
	p.p.Paid = true
	p.p.Confirmation = nil
	p.p.IncomeAmount = s.income(p.p.Amount)
	if p.capture {
		s.succeed(p, p.p.Amount, items)
		return
	}
	s.hold(p)
}

// income is what the shop receives of amount after YooKassa's fee.
func (s *Server) income(amount yookassa.Amount) *yookassa.Amount {
	return &yookassa.Amount{Value: s.loan.Income(amount.Value), Currency: amount.Currency}
}

// suspend: pending -> pending with suspended_until; the buyer may still
// back out until the pause ends (actPauseEnds).
func (s *Server) suspend(p *payment, option sberloan.Option, until time.Time) {
	p.option = option
	p.p.PaymentMethod.SuspendedUntil = &until
	s.schedule(until, p.p.ID)
}

// hold: pending -> waiting_for_capture, until expires_at.
func (s *Server) hold(p *payment) {
	hold := defaultHold
	if s.isSberLoan(p) {
		hold = sberloan.HoldPeriod
	}
	expires := s.clock.now().Add(hold)
	p.p.Status = yookassa.PaymentStatusWaitingForCapture
	p.p.ExpiresAt = &expires
	p.transfers(yookassa.TransferStatusWaitingForCapture)
	s.schedule(expires, p.p.ID)
	s.emitPayment(yookassa.EventPaymentWaitingForCapture, p)
}

// succeed: pending (capture:true) or waiting_for_capture -> succeeded, with
// amount captured and the receipt lines items registered.
func (s *Server) succeed(p *payment, amount yookassa.Amount, items []yookassa.ReceiptItem) {
	now := s.clock.now()
	p.p.Status = yookassa.PaymentStatusSucceeded
	p.p.Amount = amount
	p.p.IncomeAmount = s.income(amount)
	p.p.CapturedAt = &now
	p.p.ExpiresAt = nil
	p.p.Refundable = true
	p.p.RefundedAmount = &yookassa.Amount{Value: decimal.Zero, Currency: amount.Currency}
	p.transfers(yookassa.TransferStatusSucceeded)
	s.registerPaymentReceipt(p, items)
	s.emitPayment(yookassa.EventPaymentSucceeded, p)
}

// cancel: pending or waiting_for_capture -> canceled, saying who and why.
func (s *Server) cancel(p *payment, party yookassa.CancellationParty, reason yookassa.CancellationReason) {
	p.option = ""
	p.p.Status = yookassa.PaymentStatusCanceled
	p.p.Paid = false
	p.p.Refundable = false
	p.p.Confirmation = nil
	p.p.ExpiresAt = nil
	p.p.CancellationDetails = &yookassa.CancellationDetails{Party: party, Reason: reason}
	p.transfers(yookassa.TransferStatusCanceled)
	s.emitPayment(yookassa.EventPaymentCanceled, p)
}

// transfers moves the payment's transfers along with it.
func (p *payment) transfers(status yookassa.TransferStatus) {
	for i := range p.p.Transfers {
		p.p.Transfers[i].Status = status
	}
}

// paymentDue applies the clock's actions to one payment: the end of a
// cooling-off pause, the deadline to pay, the end of a hold. Called with
// s.mu held.
func (s *Server) paymentDue(p *payment, now time.Time) {
	switch {
	case p.allows(actPauseEnds) && !now.Before(*p.p.PaymentMethod.SuspendedUntil):
		s.approve(p, p.option)
	case p.allows(actConfirmationExpires) && !now.Before(p.deadline):
		s.cancel(p, yookassa.PartyYooMoney, yookassa.ReasonExpiredOnConfirmation)
	case p.allows(actHoldExpires) && p.p.ExpiresAt != nil && !now.Before(*p.p.ExpiresAt):
		s.cancel(p, yookassa.PartyYooMoney, yookassa.ReasonExpiredOnCapture)
	}
}
