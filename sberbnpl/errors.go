package sberbnpl

import (
	"errors"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/internal/limit"
)

// Kinds of the errors of this package, for errors.Is.
var (
	// ErrNotAccepted: a payment request carries a parameter or a value
	// sber_bnpl does not accept, or lacks one it needs ([FieldError]).
	ErrNotAccepted = errors.New("sberbnpl: parameter not accepted with sber_bnpl")
	// ErrCurrency: an amount is not in roubles ([FieldError]).
	ErrCurrency = errors.New("sberbnpl: sber_bnpl accepts only RUB")
	// ErrLimit: an amount is outside the limits ([LimitError]).
	ErrLimit = errors.New("sberbnpl: amount outside the limits")
	// ErrConfig: the merchant's [Config] is invalid ([FieldError]).
	ErrConfig = errors.New("sberbnpl: invalid configuration")
	// ErrNotBNPL: the payment was not made with sber_bnpl ([PaymentError]).
	ErrNotBNPL = errors.New("sberbnpl: not a sber_bnpl payment")
	// ErrWrongStatus: the operation is impossible in the payment's status:
	// capturing a payment that is not waiting_for_capture, refunding one
	// that has not succeeded, is not refundable or is fully refunded
	// ([PaymentError]).
	ErrWrongStatus = errors.New("sberbnpl: operation not possible in the payment's status")
	// ErrHoldExpired: the seven-day hold of a waiting_for_capture payment
	// is over; YooKassa cancels it ([PaymentError]).
	ErrHoldExpired = errors.New("sberbnpl: the hold has expired")
	// ErrRefundExpired: more than a year has passed since the payment was
	// created ([PaymentError]).
	ErrRefundExpired = errors.New("sberbnpl: the refund period is over")
)

// FieldError reports a field that breaks a sber_bnpl rule.
type FieldError struct {
	// Kind is [ErrNotAccepted], [ErrCurrency] or [ErrConfig].
	Kind error
	// Field names the field: the JSON path of a request parameter
	// ("save_payment_method", "confirmation.type", "amount.currency") or
	// the setting of the Config ("Limits.Max").
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns "sberbnpl: <field>: <reason>".
func (e *FieldError) Error() string { return "sberbnpl: " + e.Field + ": " + e.Reason }

// Unwrap returns Kind.
func (e *FieldError) Unwrap() error { return e.Kind }

// LimitError reports an amount outside the limits: a payment under the
// minimum or over the maximum, a capture over the held amount, a refund
// over what is left to refund.
type LimitError struct {
	// Kind is always [ErrLimit].
	Kind error
	// Op is what the amount was for: "payment", "capture" or "refund".
	Op string
	// Field is the JSON path of the amount: "amount".
	Field string
	// Amount is the amount refused.
	Amount decimal.Decimal
	// Min and Max are the bounds it had to respect, inclusive.
	Min, Max decimal.Decimal
}

func newLimitError(op string, amount, minA, maxA decimal.Decimal) *LimitError {
	return &LimitError{Kind: ErrLimit, Op: op, Field: "amount", Amount: amount, Min: minA, Max: maxA}
}

// Missed is by how much Amount misses the limits: Min - Amount under the
// minimum, Amount - Max over the maximum, zero inside them.
func (e *LimitError) Missed() decimal.Decimal { return limit.Missed(e.Amount, e.Min, e.Max) }

// Error names the field, the bound broken and by how much.
func (e *LimitError) Error() string {
	return limit.Message("sberbnpl", e.Field, e.Op, e.Amount, e.Min, e.Max)
}

// Unwrap returns Kind.
func (e *LimitError) Unwrap() error { return e.Kind }

// PaymentError reports a payment that cannot be used for the requested
// operation.
type PaymentError struct {
	// Kind is [ErrNotBNPL], [ErrWrongStatus], [ErrHoldExpired] or
	// [ErrRefundExpired].
	Kind error
	// PaymentID is the payment's identifier.
	PaymentID string
	// Detail explains it with the payment's own values.
	Detail string
}

// Error names the payment and the failure.
func (e *PaymentError) Error() string {
	msg := "sberbnpl: payment"
	if e.Kind != nil {
		msg = e.Kind.Error()
	}
	if e.PaymentID != "" {
		msg += " (payment " + e.PaymentID + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns Kind.
func (e *PaymentError) Unwrap() error { return e.Kind }
