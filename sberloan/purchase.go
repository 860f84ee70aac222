package sberloan

import (
	"errors"
	"fmt"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// Purchase is a paid sber_loan payment as the merchant needs to see it: the
// buyer's option, the discount, the sums before and after it and the
// merchant's income. Amounts are in RUB.
type Purchase struct {
	// PaymentID is the payment's identifier.
	PaymentID string
	// Status is waiting_for_capture or succeeded.
	Status yookassa.PaymentStatus
	// Option is the buyer's choice: "loan" or "installments_N".
	Option Option
	// Months is N of an installment plan, zero for a loan.
	Months int
	// Percent is the merchant's discount percent for Option (zero for a
	// loan).
	Percent decimal.Decimal
	// Amount is the payment's amount: what the buyer borrowed, already
	// reduced by the discount, or after a partial capture the captured
	// part of it. Captures and refunds are expressed on this basis.
	Amount decimal.Decimal
	// Paid is what the buyer borrowed: Original - Discount. It is Amount
	// unless the payment was captured in part (see PartiallyCaptured).
	Paid decimal.Decimal
	// Discount is payment_method.discount_amount (zero for a loan).
	Discount decimal.Decimal
	// Original is Paid + Discount: the price the payment was created with.
	Original decimal.Decimal
	// Income is what the merchant receives: [Config.Income](Amount), after
	// the commission and the VAT on it. It is computed from the Config;
	// YooKassa's own figure is the payment's IncomeAmount.
	Income decimal.Decimal
	// Refunded is the sum refunded so far.
	Refunded decimal.Decimal
	// CreatedAt is when the payment was created.
	CreatedAt time.Time
	// ExpiresAt is the capture deadline of a waiting_for_capture payment
	// (nil otherwise).
	ExpiresAt *time.Time
	// SuspendedUntil is the end of the cooling-off period of a loan or
	// installment plan of 50,000 RUB or more (nil when there is none): the
	// buyer can back out until then. See [CoolingOff].
	SuspendedUntil *time.Time
}

// Installments reports whether the buyer took an installment plan.
func (p *Purchase) Installments() bool { return p.Months > 0 }

// PartiallyCaptured reports whether the payment is known to have been
// captured for less than the buyer paid (Amount < Paid). Only installment
// plans with a discount show it: a loan's payment keeps no trace of the sum
// paid before a partial capture.
func (p *Purchase) PartiallyCaptured() bool { return p.Amount.LessThan(p.Paid) }

// Refundable is what is left to refund: Amount - Refunded.
func (p *Purchase) Refundable() decimal.Decimal { return p.Amount.Sub(p.Refunded) }

// RefundDeadline is the last moment a refund can be created:
// CreatedAt + [RefundPeriod].
func (p *Purchase) RefundDeadline() time.Time { return p.CreatedAt.Add(RefundPeriod) }

// maxDiscountDrift is how far discount_amount may be from the discount
// computed from the tariff: one kopeck of rounding.
var maxDiscountDrift = decimal.New(1, -2)

// Read turns a paid sber_loan payment (waiting_for_capture or succeeded)
// into a [Purchase]. It validates the configuration and the payment:
//
//   - the payment method is sber_loan, else [ErrNotSberLoan];
//   - the status is waiting_for_capture or succeeded, else [ErrNotPaid]
//     (a pending payment has no option yet, a canceled one never will);
//   - the amount, discount and refunded sums are RUB (*[FieldError] of kind [ErrCurrency]);
//   - loan_option is well formed, else [ErrInvalidOption];
//   - a loan has no discount, else [ErrDiscountOnLoan];
//   - an installment plan is among the Tariffs, else [ErrOptionNotEnabled],
//     and Discount(amount + discount_amount, percent) is within one kopeck
//     of discount_amount, else a *[DiscountError] ([ErrDiscountMismatch]).
//
// The error is a *[FieldError] for an invalid configuration or an amount
// not in RUB, a *[DiscountError] or a *[PaymentError].
//
// After a partial capture YooKassa reports the captured sum as the amount.
// Its documentation does not say what becomes of discount_amount then; when
// it still is the discount of the whole order, amount + discount_amount is
// no longer the original price. Read recognises that case on a succeeded
// installment payment: when the original price recovered from the discount
// (discount_amount x 100 / percent, to kopecks) gives that very discount
// within a kopeck, and the amount lies between Limits.MinPartialCapture and
// the paid sum, the purchase is read as captured in part, with Original and
// Paid recovered ([Purchase.PartiallyCaptured]). On such a payment the
// tariff check cannot tell a partial capture from a tariff smaller than the
// real one; it still catches a tariff larger than the real one.
func (c Config) Read(p *yookassa.Payment) (*Purchase, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, &PaymentError{Kind: ErrNotSberLoan, Detail: "nil payment"}
	}
	m := p.PaymentMethod
	if m == nil || m.Type != yookassa.PaymentMethodSberLoan {
		typ := "none"
		if m != nil {
			typ = fmt.Sprintf("%q", m.Type)
		}
		return nil, &PaymentError{PaymentID: p.ID, Kind: ErrNotSberLoan, Detail: "payment method " + typ}
	}
	switch p.Status {
	case yookassa.PaymentStatusWaitingForCapture, yookassa.PaymentStatusSucceeded:
	default:
		return nil, &PaymentError{PaymentID: p.ID, Kind: ErrNotPaid, Detail: fmt.Sprintf("status %q", p.Status)}
	}
	if err := checkRUB("amount", p.Amount); err != nil {
		return nil, err
	}
	pur := &Purchase{
		PaymentID:      p.ID,
		Status:         p.Status,
		Amount:         p.Amount.Value,
		Refunded:       decimal.Zero,
		CreatedAt:      p.CreatedAt,
		ExpiresAt:      p.ExpiresAt,
		SuspendedUntil: m.SuspendedUntil,
		Discount:       decimal.Zero,
		Percent:        decimal.Zero,
	}
	if r := p.RefundedAmount; r != nil {
		if err := checkRUB("refunded_amount", *r); err != nil {
			return nil, err
		}
		pur.Refunded = r.Value
	}
	if d := m.DiscountAmount; d != nil {
		if err := checkRUB("payment_method.discount_amount", *d); err != nil {
			return nil, err
		}
		if d.Value.Sign() < 0 {
			return nil, &PaymentError{PaymentID: p.ID, Kind: ErrDiscountMismatch, Detail: "negative discount_amount " + d.Value.String()}
		}
		pur.Discount = d.Value
	}
	if m.LoanOption == "" {
		return nil, &PaymentError{PaymentID: p.ID, Kind: ErrInvalidOption, Detail: "the paid payment has no loan_option"}
	}
	opt, err := ParseOption(string(m.LoanOption)) // string(): the field may become a typed string
	if err != nil {
		detail := err.Error()
		var fe *FieldError
		if errors.As(err, &fe) {
			// Kind already says "sberloan: invalid loan option".
			detail = fe.Field + " " + fe.Reason
		}
		return nil, &PaymentError{PaymentID: p.ID, Kind: ErrInvalidOption, Detail: detail}
	}
	pur.Option = opt
	pur.Original = pur.Amount.Add(pur.Discount)
	if opt == OptionLoan {
		if pur.Discount.Sign() != 0 {
			return nil, &PaymentError{PaymentID: p.ID, Kind: ErrDiscountOnLoan,
				Detail: "discount_amount " + pur.Discount.StringFixed(2) + " RUB"}
		}
	} else {
		pur.Months, _ = opt.Installments()
		percent, ok := c.Tariffs[opt]
		if !ok {
			return nil, &PaymentError{PaymentID: p.ID, Kind: ErrOptionNotEnabled,
				Detail: fmt.Sprintf("%s; add its discount percent to Config.Tariffs", opt)}
		}
		pur.Percent = percent
		_, want := Discount(pur.Original, percent)
		if want.Sub(pur.Discount).Abs().GreaterThan(maxDiscountDrift) {
			original, ok := c.capturedInPart(pur)
			if !ok {
				return nil, &DiscountError{Kind: ErrDiscountMismatch, PaymentID: p.ID, Option: opt, Percent: percent,
					Original: pur.Original, Want: want, Got: pur.Discount}
			}
			pur.Original = original
		}
	}
	pur.Paid = pur.Original.Sub(pur.Discount)
	pur.Income = c.Income(pur.Amount)
	return pur, nil
}

// capturedInPart recovers the original price of a succeeded installment
// payment captured in part whose discount_amount is still the discount of
// the whole order. ok is false when the payment does not fit that reading.
func (c Config) capturedInPart(pur *Purchase) (original decimal.Decimal, ok bool) {
	if pur.Status != yookassa.PaymentStatusSucceeded || pur.Percent.Sign() <= 0 || pur.Discount.Sign() <= 0 {
		return decimal.Zero, false
	}
	original = pur.Discount.Mul(hundred).DivRound(pur.Percent, 2)
	if _, d := Discount(original, pur.Percent); d.Sub(pur.Discount).Abs().GreaterThan(maxDiscountDrift) {
		return decimal.Zero, false
	}
	paid := original.Sub(pur.Discount)
	if !pur.Amount.LessThan(paid) || pur.Amount.LessThan(c.limits().MinPartialCapture) {
		return decimal.Zero, false
	}
	return original, true
}
