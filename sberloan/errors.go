package sberloan

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/internal/limit"
)

// Errors
//
// Every error this package returns for a sber_loan rule is a pointer to one
// of its error types: [FieldError], [LimitError], [PaymentError],
// [DiscountError] or [ReceiptError]. Each has a Kind, one of the sentinel
// values below, and Unwrap returns it (a stored value, the same on every
// call), so:
//
//   - errors.Is(err, ErrLimit) tells the kind, and is the only way to;
//   - errors.As(err, &limitErr) gives the details of the type.
//
// No error of this package matches *yookassa.ValidationError: that type is
// kept for malformed input that YooKassa's own validation refuses too (an
// amount with fractions of kopecks, a share outside (0, 1]), which this
// package returns as it is, like package receipt does. A switch over
// errors.As cases is therefore independent of the order of its cases.

// Kinds of the errors of this package, for errors.Is.
var (
	// ErrInvalidOption: a loan option that is not "loan" or
	// "installments_N" with N from 1 to [MaxInstallmentMonths] (a
	// [FieldError], or a [PaymentError] for a paid payment's option).
	ErrInvalidOption = errors.New("sberloan: invalid loan option")
	// ErrOptionNotEnabled: the payment was made with an installment plan
	// that is not among the merchant's tariffs, so its discount percent is
	// unknown ([PaymentError]).
	ErrOptionNotEnabled = errors.New("sberloan: loan option is not among the merchant's tariffs")
	// ErrNotSberLoan: the payment was not made with sber_loan
	// ([PaymentError]).
	ErrNotSberLoan = errors.New("sberloan: not a sber_loan payment")
	// ErrNotPaid: the payment is pending or canceled, so the buyer's option
	// and the discount are not known, or never will be ([PaymentError]).
	ErrNotPaid = errors.New("sberloan: payment is not paid")
	// ErrWrongStatus: the operation is impossible in the payment's status
	// (capturing a payment that is not waiting_for_capture, refunding one
	// that has not succeeded or that YooKassa reports as not refundable)
	// ([PaymentError]).
	ErrWrongStatus = errors.New("sberloan: operation not possible in the payment's status")
	// ErrDiscountMismatch: the payment's discount_amount is not the discount
	// of the merchant's tariff for the option ([DiscountError], or a
	// [PaymentError] for a negative discount).
	ErrDiscountMismatch = errors.New("sberloan: discount does not match the tariff")
	// ErrDiscountOnLoan: a payment with the "loan" option carries a
	// discount; loans have none ([PaymentError]).
	ErrDiscountOnLoan = errors.New("sberloan: discount on a loan")
	// ErrCurrency: an amount is not in roubles ([FieldError]).
	ErrCurrency = errors.New("sberloan: sber_loan accepts only RUB")
	// ErrLimit: an amount is outside the limits ([LimitError]).
	ErrLimit = errors.New("sberloan: amount outside the limits")
	// ErrNotAccepted: a payment request carries a parameter or a value
	// sber_loan does not accept, or lacks one it needs ([FieldError]). It is
	// a rule of the method, not an HTTP 403 (yookassa.ErrForbidden).
	ErrNotAccepted = errors.New("sberloan: parameter not accepted with sber_loan")
	// ErrConfig: the merchant's [Config] is invalid ([FieldError]; Field
	// names the setting).
	ErrConfig = errors.New("sberloan: invalid configuration")
	// ErrReceipt: the receipt given to a planner does not fit the payment or
	// the part to capture or refund ([ReceiptError]).
	ErrReceipt = errors.New("sberloan: receipt does not fit the operation")
)

// FieldError reports a field that breaks a sber_loan rule: a parameter the
// method does not accept, an amount not in RUB, a malformed loan option, an
// invalid setting of the [Config].
type FieldError struct {
	// Kind is [ErrNotAccepted], [ErrCurrency], [ErrInvalidOption] or
	// [ErrConfig].
	Kind error
	// Field names the field: the JSON path of a request parameter
	// ("save_payment_method", "confirmation.type", "amount.currency",
	// "loan_option") or the setting of the Config ("Limits.Max",
	// `Tariffs["installments_12"]`, "CommissionVATPercent").
	Field string
	// Reason says what is wrong with it, with the value found.
	Reason string
}

// Error returns "sberloan: <field>: <reason>".
func (e *FieldError) Error() string {
	return "sberloan: " + e.Field + ": " + e.Reason
}

// Unwrap returns Kind.
func (e *FieldError) Unwrap() error { return e.Kind }

// LimitError reports an amount outside the sber_loan limits: too small or
// too large to create a payment, a partial capture under the minimum or over
// the paid amount, or a refund over what is left to refund. Its message
// says by how much the limit was missed ([LimitError.Missed]).
type LimitError struct {
	// Kind is always [ErrLimit].
	Kind error
	// Op is what the amount was for: "payment", "capture" or "refund".
	Op string
	// Field is the JSON path of the amount in the request: "amount".
	Field string
	// Amount is the amount refused.
	Amount decimal.Decimal
	// Min and Max are the bounds it had to respect, inclusive.
	Min, Max decimal.Decimal
}

func newLimitError(op string, amount, minA, maxA decimal.Decimal) *LimitError {
	return &LimitError{Kind: ErrLimit, Op: op, Field: "amount", Amount: amount, Min: minA, Max: maxA}
}

// Missed is by how much Amount misses the limits: Min - Amount (positive)
// under the minimum, Amount - Max (positive) over the maximum, zero inside
// them.
func (e *LimitError) Missed() decimal.Decimal { return limit.Missed(e.Amount, e.Min, e.Max) }

// Error names the field, the bound broken and by how much.
func (e *LimitError) Error() string {
	return limit.Message("sberloan", e.Field, e.Op, e.Amount, e.Min, e.Max)
}

// Unwrap returns Kind.
func (e *LimitError) Unwrap() error { return e.Kind }

// PaymentError reports a payment that cannot be read as a purchase or used
// for the requested operation.
type PaymentError struct {
	// Kind is [ErrNotSberLoan], [ErrNotPaid], [ErrWrongStatus],
	// [ErrInvalidOption], [ErrOptionNotEnabled], [ErrDiscountOnLoan] or
	// [ErrDiscountMismatch].
	Kind error
	// PaymentID is the payment's identifier.
	PaymentID string
	// Detail explains it with the payment's own values.
	Detail string
}

// Error names the payment and the failure.
func (e *PaymentError) Error() string {
	msg := "sberloan: payment"
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

// DiscountError reports an installment payment whose discount_amount is not
// the discount of the merchant's tariff: Discount(Original, Percent) differs
// from Got by more than one kopeck. Either the tariffs in the [Config] are
// not the ones agreed with YooKassa, or the payment is not the one expected.
type DiscountError struct {
	// Kind is always [ErrDiscountMismatch].
	Kind error
	// PaymentID is the payment's identifier.
	PaymentID string
	// Option is the buyer's installment plan.
	Option Option
	// Percent is the merchant's tariff for Option.
	Percent decimal.Decimal
	// Original is amount + discount_amount: the sum before the discount.
	Original decimal.Decimal
	// Want is the discount the tariff gives on Original.
	Want decimal.Decimal
	// Got is the payment's discount_amount.
	Got decimal.Decimal
}

// Error shows both discounts and how far apart they are.
func (e *DiscountError) Error() string {
	return fmt.Sprintf("sberloan: payment %s: payment_method.discount_amount %s RUB on %s RUB is %s RUB off the %s%% tariff of %s (%s RUB)",
		e.PaymentID, e.Got.StringFixed(2), e.Original.StringFixed(2), e.Got.Sub(e.Want).Abs().StringFixed(2),
		e.Percent.String(), e.Option, e.Want.StringFixed(2))
}

// Unwrap returns Kind.
func (e *DiscountError) Unwrap() error { return e.Kind }

// ReceiptError reports a receipt that [Config.PlanCapture] or
// [Config.PlanRefund] cannot build: the original receipt does not describe
// the payment, a capture or refund by items has no receipt, or package
// receipt refused to reprice or scale the items (then Err is its error: a
// *receipt.BalanceError, or a *yookassa.ValidationError naming a line of
// the original receipt).
type ReceiptError struct {
	// Kind is always [ErrReceipt].
	Kind error
	// PaymentID is the payment's identifier.
	PaymentID string
	// Reason says what went wrong.
	Reason string
	// Err is the underlying error, if any.
	Err error
}

// Error names the payment and the reason.
func (e *ReceiptError) Error() string {
	msg := "sberloan: receipt of payment " + e.PaymentID + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns Kind. The underlying error is in Err and is not
// unwrapped, so that errors.As finds exactly one error type in an error of
// this package (read Err for the details of package receipt).
func (e *ReceiptError) Unwrap() error { return e.Kind }

func receiptError(paymentID, reason string, err error) *ReceiptError {
	return &ReceiptError{Kind: ErrReceipt, PaymentID: paymentID, Reason: reason, Err: err}
}
