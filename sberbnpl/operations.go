package sberbnpl

import (
	"fmt"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

var kopeck = decimal.New(1, -2)

// CheckCapture checks the capture of a two-stage sber_bnpl payment at time
// now: the payment is sber_bnpl ([ErrNotBNPL]) and waiting_for_capture
// ([ErrWrongStatus]), its hold has not expired ([ErrHoldExpired], from the
// payment's ExpiresAt), and capture (nil: the full amount) is RUB with at
// most two decimals, from 0.01 up to the held amount (*[LimitError] with Op
// "capture"). A partial capture is allowed: YooKassa passes the new amount
// to the partner, which lowers the buyer's remaining parts. To release the
// whole payment, cancel it instead.
func CheckCapture(p *yookassa.Payment, capture *yookassa.Amount, now time.Time) error {
	if err := checkBNPL(p); err != nil {
		return err
	}
	if p.Status != yookassa.PaymentStatusWaitingForCapture {
		return &PaymentError{Kind: ErrWrongStatus, PaymentID: p.ID,
			Detail: fmt.Sprintf("only a waiting_for_capture payment can be captured, this one is %s", p.Status)}
	}
	if p.ExpiresAt != nil && !now.Before(*p.ExpiresAt) {
		return &PaymentError{Kind: ErrHoldExpired, PaymentID: p.ID,
			Detail: fmt.Sprintf("the hold ended at %s", p.ExpiresAt.UTC().Format(time.RFC3339))}
	}
	if capture == nil {
		return nil
	}
	if err := checkRUB("amount", *capture); err != nil {
		return err
	}
	if capture.Value.LessThan(kopeck) || capture.Value.GreaterThan(p.Amount.Value) {
		return newLimitError("capture", capture.Value, kopeck, p.Amount.Value)
	}
	return nil
}

// CheckRefund checks a refund of refund from a sber_bnpl payment at time
// now: the payment is sber_bnpl ([ErrNotBNPL]), succeeded, refundable and
// not fully refunded ([ErrWrongStatus]), created no more than a year ago
// ([ErrRefundExpired], see [RefundDeadline]), and refund is RUB with at
// most two decimals, from 0.01 up to what is left to refund (amount -
// refunded_amount; *[LimitError] with Op "refund"). Full and partial
// refunds are both allowed. YooKassa's and the partner's fees are not
// returned to the merchant.
func CheckRefund(p *yookassa.Payment, refund yookassa.Amount, now time.Time) error {
	if err := checkBNPL(p); err != nil {
		return err
	}
	if p.Status != yookassa.PaymentStatusSucceeded {
		return &PaymentError{Kind: ErrWrongStatus, PaymentID: p.ID,
			Detail: fmt.Sprintf("only a succeeded payment can be refunded, this one is %s", p.Status)}
	}
	if deadline := RefundDeadline(p.CreatedAt); now.After(deadline) {
		return &PaymentError{Kind: ErrRefundExpired, PaymentID: p.ID,
			Detail: fmt.Sprintf("created at %s, refundable until %s", p.CreatedAt.UTC().Format(time.RFC3339), deadline.UTC().Format(time.RFC3339))}
	}
	rest := p.Amount.Value
	if p.RefundedAmount != nil {
		rest = rest.Sub(p.RefundedAmount.Value)
	}
	if rest.Sign() <= 0 {
		return &PaymentError{Kind: ErrWrongStatus, PaymentID: p.ID, Detail: "the payment is fully refunded"}
	}
	if !p.Refundable {
		return &PaymentError{Kind: ErrWrongStatus, PaymentID: p.ID, Detail: "YooKassa reports the payment as not refundable"}
	}
	if err := checkRUB("amount", refund); err != nil {
		return err
	}
	if refund.Value.LessThan(kopeck) || refund.Value.GreaterThan(rest) {
		return newLimitError("refund", refund.Value, kopeck, rest)
	}
	return nil
}

func checkBNPL(p *yookassa.Payment) error {
	if p == nil {
		return &PaymentError{Kind: ErrNotBNPL, Detail: "nil payment"}
	}
	if p.PaymentMethod == nil || p.PaymentMethod.Type != yookassa.PaymentMethodSberBNPL {
		typ := "none"
		if p.PaymentMethod != nil {
			typ = fmt.Sprintf("%.40q", p.PaymentMethod.Type)
		}
		return &PaymentError{Kind: ErrNotBNPL, PaymentID: p.ID, Detail: "payment method " + typ}
	}
	return nil
}
