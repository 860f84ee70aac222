package sberloan

import (
	"errors"
	"fmt"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// Sentinel errors. The errors returned by this package match one of them
// with [errors.Is]; the concrete types below carry the details.
var (
	// ErrInvalidOption: a loan option that is not "loan" or
	// "installments_N" with N from 1 to [MaxInstallmentMonths] (see
	// [OptionError]).
	ErrInvalidOption = errors.New("sberloan: invalid loan option")
	// ErrOptionNotEnabled: the payment was made with an installment plan
	// that is not among the merchant's tariffs, so its discount percent is
	// unknown.
	ErrOptionNotEnabled = errors.New("sberloan: loan option is not among the merchant's tariffs")
	// ErrNotSberLoan: the payment was not made with sber_loan.
	ErrNotSberLoan = errors.New("sberloan: not a sber_loan payment")
	// ErrNotPaid: the payment is pending or canceled, so the buyer's option
	// and the discount are not known (or will never be).
	ErrNotPaid = errors.New("sberloan: payment is not paid")
	// ErrWrongStatus: the operation is impossible in the payment's status
	// (capturing a payment that is not waiting_for_capture, refunding one
	// that has not succeeded or that YooKassa reports as not refundable).
	ErrWrongStatus = errors.New("sberloan: operation not possible in the payment's status")
	// ErrDiscountMismatch: the payment's discount_amount is not the discount
	// of the merchant's tariff for the option (see [DiscountError]).
	ErrDiscountMismatch = errors.New("sberloan: discount does not match the tariff")
	// ErrDiscountOnLoan: a payment with the "loan" option carries a
	// discount; loans have none.
	ErrDiscountOnLoan = errors.New("sberloan: discount on a loan")
	// ErrCurrency: an amount is not in roubles (see [CurrencyError]).
	ErrCurrency = errors.New("sberloan: sber_loan accepts only RUB")
	// ErrLimit: an amount is outside the limits (see [LimitError]).
	ErrLimit = errors.New("sberloan: amount outside the limits")
	// ErrForbidden: a payment request carries a parameter sber_loan does not
	// accept (see [RequestError]).
	ErrForbidden = errors.New("sberloan: parameter not accepted with sber_loan")
	// ErrConfig: the merchant's [Config] is invalid (see [ConfigError]).
	ErrConfig = errors.New("sberloan: invalid configuration")
	// ErrReceipt: the receipt given to a planner does not fit the payment or
	// the part to capture or refund (see [ReceiptError]).
	ErrReceipt = errors.New("sberloan: receipt does not fit the operation")
)

// LimitError reports an amount outside the sber_loan limits: too small or
// too large to create a payment, a partial capture under the minimum or over
// the paid amount, or a refund over what is left to refund.
//
// It also matches *yookassa.ValidationError with [errors.As] (field
// "amount"), so code that handles validation errors generically sees it as
// bad input.
type LimitError struct {
	// Op is what the amount was for: "payment", "capture" or "refund".
	Op string
	// Amount is the amount refused.
	Amount decimal.Decimal
	// Min and Max are the bounds it had to respect, inclusive.
	Min, Max decimal.Decimal
}

// Error says which bound was broken.
func (e *LimitError) Error() string {
	if e.Min.GreaterThan(e.Max) {
		return fmt.Sprintf("sberloan: %s amount %s RUB refused: the minimum %s RUB is above the maximum %s RUB", e.Op,
			e.Amount.StringFixed(2), e.Min.StringFixed(2), e.Max.StringFixed(2))
	}
	return fmt.Sprintf("sberloan: %s amount %s RUB is outside %s-%s RUB", e.Op,
		e.Amount.StringFixed(2), e.Min.StringFixed(2), e.Max.StringFixed(2))
}

// Is matches [ErrLimit].
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Unwrap returns the equivalent *yookassa.ValidationError.
func (e *LimitError) Unwrap() error {
	return &yookassa.ValidationError{Field: "amount", Reason: e.Error()}
}

// CurrencyError reports an amount in a currency other than RUB.
type CurrencyError struct {
	// Field names the amount, for example "amount" or "discount_amount".
	Field string
	// Currency is the currency found.
	Currency string
}

// Error names the field and the currency.
func (e *CurrencyError) Error() string {
	return fmt.Sprintf("sberloan: %s is in %q; sber_loan accepts only RUB", e.Field, e.Currency)
}

// Is matches [ErrCurrency].
func (e *CurrencyError) Is(target error) bool { return target == ErrCurrency }

// Unwrap returns the equivalent *yookassa.ValidationError.
func (e *CurrencyError) Unwrap() error {
	return &yookassa.ValidationError{Field: e.Field + ".currency", Reason: e.Error()}
}

// OptionError reports a malformed loan option.
type OptionError struct {
	// Option is the text that was refused.
	Option string
	// Reason says what is wrong with it.
	Reason string
}

// Error quotes the option.
func (e *OptionError) Error() string {
	return fmt.Sprintf("sberloan: invalid loan option %.40q: %s", e.Option, e.Reason)
}

// Is matches [ErrInvalidOption].
func (e *OptionError) Is(target error) bool { return target == ErrInvalidOption }

// RequestError reports a payment request that sber_loan does not accept: a
// forbidden parameter, a confirmation other than redirect, or a payment
// method other than sber_loan. It matches [ErrForbidden] and also
// *yookassa.ValidationError (through Unwrap).
type RequestError struct {
	// Field is the JSON path of the parameter, for example
	// "save_payment_method" or "confirmation.type".
	Field string
	// Reason says why it is refused.
	Reason string
}

// Error names the parameter.
func (e *RequestError) Error() string {
	return "sberloan: " + e.Field + ": " + e.Reason
}

// Is matches [ErrForbidden].
func (e *RequestError) Is(target error) bool { return target == ErrForbidden }

// Unwrap returns the equivalent *yookassa.ValidationError.
func (e *RequestError) Unwrap() error {
	return &yookassa.ValidationError{Field: e.Field, Reason: e.Reason}
}

// ConfigError reports an invalid [Config].
type ConfigError struct {
	// Field names the setting, for example "Limits.Max" or
	// `Tariffs["installments_12"]`.
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the setting.
func (e *ConfigError) Error() string {
	return "sberloan: invalid config " + e.Field + ": " + e.Reason
}

// Is matches [ErrConfig].
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// PaymentError reports a payment that cannot be read as a purchase or used
// for the requested operation. Err is one of [ErrNotSberLoan], [ErrNotPaid],
// [ErrWrongStatus], [ErrInvalidOption], [ErrOptionNotEnabled],
// [ErrDiscountOnLoan] or [ErrDiscountMismatch]; errors.Is matches it.
type PaymentError struct {
	// PaymentID is the payment's identifier.
	PaymentID string
	// Err is the kind of failure.
	Err error
	// Detail explains it with the payment's own values.
	Detail string
}

// Error names the payment and the failure.
func (e *PaymentError) Error() string {
	msg := e.Err.Error()
	if e.PaymentID != "" {
		msg += " (payment " + e.PaymentID + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns Err.
func (e *PaymentError) Unwrap() error { return e.Err }

// DiscountError reports an installment payment whose discount_amount is not
// the discount of the merchant's tariff: Discount(Original, Percent) differs
// from Got by more than one kopeck. Either the tariffs in the [Config] are
// not the ones agreed with YooKassa, or the payment is not the one expected.
type DiscountError struct {
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

// Error shows both discounts.
func (e *DiscountError) Error() string {
	return fmt.Sprintf("sberloan: payment %s: discount %s RUB on %s RUB does not match the %s%% tariff of %s (%s RUB)",
		e.PaymentID, e.Got.StringFixed(2), e.Original.StringFixed(2), e.Percent.String(), e.Option, e.Want.StringFixed(2))
}

// Is matches [ErrDiscountMismatch].
func (e *DiscountError) Is(target error) bool { return target == ErrDiscountMismatch }

// ReceiptError reports a receipt that [Config.PlanCapture] or
// [Config.PlanRefund] cannot build: the original receipt does not describe
// the payment, a capture or refund by items has no receipt, or package
// receipt refused to select, reprice or scale the items (then Err is its
// error, usually a *yookassa.ValidationError or a *receipt.BalanceError).
type ReceiptError struct {
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

// Is matches [ErrReceipt].
func (e *ReceiptError) Is(target error) bool { return target == ErrReceipt }

// Unwrap returns Err.
func (e *ReceiptError) Unwrap() error { return e.Err }
