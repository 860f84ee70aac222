package sberloan

import (
	"fmt"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// Part says how much of a payment a capture or a refund takes. Amounts are
// on the discounted basis: for an installment plan, fractions of the
// payment's amount after the discount (4,500.00 for 5,000.00 at 10%), never
// of the original price. The zero Part is [Full].
type Part struct {
	kind     partKind
	fraction decimal.Decimal
	sum      decimal.Decimal
	picks    []receipt.Pick
}

type partKind int

const (
	partFull partKind = iota
	partShare
	partSum
	partItems
)

// Full takes everything: the whole paid amount for a capture, everything
// not yet refunded for a refund.
func Full() Part { return Part{} }

// Share takes a fraction (0 < fraction <= 1) of the payment's amount,
// rounded half away from zero to kopecks: Share(0.75) of 4,500.00 is
// 3,375.00, Share(0.5) is 2,250.00. The receipt is the discounted receipt
// of the whole payment scaled to that amount (see receipt.Scale).
func Share(fraction decimal.Decimal) Part { return Part{kind: partShare, fraction: fraction} }

// Sum takes an exact amount on the discounted basis (positive, at most two
// decimals). The receipt is scaled like that of [Share].
func Sum(amount decimal.Decimal) Part { return Part{kind: partSum, sum: amount} }

// Items takes some units of some lines of the receipt the payment was
// created with, for example 1 of the 2 units of line 1. The amount is
// receipt.DiscountedTotal of the selected lines with the purchase's
// discount percent, and the receipt lists those lines repriced by
// receipt.Reprice. It needs the original receipt.
func Items(picks ...receipt.Pick) Part { return Part{kind: partItems, picks: picks} }

// String describes the part, for logs.
func (p Part) String() string {
	switch p.kind {
	case partShare:
		return "share " + p.fraction.String()
	case partSum:
		return "sum " + p.sum.StringFixed(2)
	case partItems:
		return fmt.Sprintf("items %v", p.picks)
	}
	return "full"
}

// PlanCapture builds the request that captures part of a waiting_for_capture
// sber_loan payment (send it with yookassa.Client.CapturePayment). It reads
// the payment with [Config.Read], computes the amount on the discounted
// basis and checks it with [Config.CheckCapture]: a partial capture under
// Limits.MinPartialCapture (3,000 RUB) or over the paid amount is refused
// with a *[LimitError]; the full capture is always allowed. A payment in any
// other status is refused with [ErrWrongStatus] (or [ErrNotPaid]).
//
// original is the receipt the payment was created with, at the undiscounted
// prices (customer and items); nil sends no receipt. When given, the
// request carries a receipt in the discounted prices that adds up exactly
// to the amount: for Full, the items as YooKassa repriced them
// (receipt.Reprice to the paid amount, 2,700.00 x 1 and 900.00 x 2 for the
// seed's 3,000.00 x 1 and 1,000.00 x 2 at 10%); for Share and Sum,
// receipt.Scale of those; for Items, receipt.Select then receipt.Reprice.
// The original receipt must describe the payment: its discounted total
// must be the payment's amount within a kopeck per line, else a
// *[ReceiptError].
//
// The buyer experience: on a partial capture YooKassa returns the rest to
// the buyer's card, but the buyer's loan with SberBank stays as it was; the
// buyer has to repay that money to the bank themselves in SberBank Online.
// Tell them, and recommend repaying soon to reduce or avoid interest (this
// holds for installment plans too). The same applies to a cancellation
// (yookassa.Client.CancelPayment), which needs no planning.
func (c Config) PlanCapture(p *yookassa.Payment, original *yookassa.ReceiptData, part Part) (*yookassa.CaptureRequest, error) {
	pur, err := c.Read(p)
	if err != nil {
		return nil, err
	}
	if pur.Status != yookassa.PaymentStatusWaitingForCapture {
		return nil, &PaymentError{PaymentID: pur.PaymentID, Kind: ErrWrongStatus,
			Detail: fmt.Sprintf("only a waiting_for_capture payment can be captured, this one is %s", pur.Status)}
	}
	amount, items, err := plan(pur, original, part, pur.Amount)
	if err != nil {
		return nil, err
	}
	if err := c.CheckCapture(yookassa.RUB(pur.Amount), yookassa.RUB(amount)); err != nil {
		return nil, err
	}
	a := yookassa.RUB(amount)
	req := &yookassa.CaptureRequest{Amount: &a, Receipt: withItems(original, items)}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	return req, nil
}

// PlanRefund builds the request that refunds part of a succeeded sber_loan
// payment (send it with yookassa.Client.CreateRefund). It reads the payment
// with [Config.Read] and computes the amount on the discounted basis: Full
// is everything not yet refunded (amount - refunded_amount), Share a
// fraction of the payment's amount (Share(0.5) of 4,500.00 is 2,250.00),
// Items the discounted total of the selected lines. An amount over what is
// left to refund is refused with a *[LimitError] (Op "refund"). A payment
// that has not succeeded, or that YooKassa reports as not refundable (for
// example after [RefundPeriod]), is refused with [ErrWrongStatus] (or
// [ErrNotPaid]).
//
// original is the receipt the payment was created with, at the undiscounted
// prices; nil sends no receipt. The receipt is built as for
// [Config.PlanCapture]; a Full refund after earlier partial refunds scales
// the discounted receipt to the rest. After a partial capture, pass either
// the undiscounted lines of the captured part (their discounted total is
// the captured amount), or the creation receipt when the purchase shows the
// partial capture ([Purchase.PartiallyCaptured]); the creation receipt is
// then scaled to the captured amount, as if every line had been captured
// in proportion. A refund by Items needs the former.
//
// The buyer experience: YooKassa returns the money to the buyer's card in 1
// to 3 business days, but the loan with SberBank is not closed by it; the
// buyer has to repay the bank themselves in SberBank Online. Tell them, and
// recommend repaying soon to reduce or avoid interest (this holds for
// installment plans too).
func (c Config) PlanRefund(p *yookassa.Payment, original *yookassa.ReceiptData, part Part) (*yookassa.RefundRequest, error) {
	pur, err := c.Read(p)
	if err != nil {
		return nil, err
	}
	if pur.Status != yookassa.PaymentStatusSucceeded {
		return nil, &PaymentError{PaymentID: pur.PaymentID, Kind: ErrWrongStatus,
			Detail: fmt.Sprintf("only a succeeded payment can be refunded, this one is %s (cancel it instead)", pur.Status)}
	}
	if !p.Refundable {
		return nil, &PaymentError{PaymentID: pur.PaymentID, Kind: ErrWrongStatus,
			Detail: "YooKassa reports the payment as not refundable"}
	}
	rest := pur.Refundable()
	if rest.Sign() <= 0 {
		return nil, &PaymentError{PaymentID: pur.PaymentID, Kind: ErrWrongStatus, Detail: "the payment is fully refunded"}
	}
	amount, items, err := plan(pur, original, part, rest)
	if err != nil {
		return nil, err
	}
	if amount.Sign() <= 0 || amount.GreaterThan(rest) {
		return nil, newLimitError("refund", amount, kopeck, rest)
	}
	req := &yookassa.RefundRequest{PaymentID: pur.PaymentID, Amount: yookassa.RUB(amount), Receipt: withItems(original, items)}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	return req, nil
}

var kopeck = decimal.New(1, -2)

// plan returns the amount of a capture or refund and, when original is
// given, the discounted receipt items adding up to it. full is what Full
// takes: the paid amount for a capture, the refundable rest for a refund.
func plan(pur *Purchase, original *yookassa.ReceiptData, part Part, full decimal.Decimal) (decimal.Decimal, []yookassa.ReceiptItem, error) {
	var amount decimal.Decimal
	switch part.kind {
	case partFull:
		amount = full
	case partShare:
		f := part.fraction
		if f.Sign() <= 0 || f.GreaterThan(decimal.NewFromInt(1)) {
			return decimal.Zero, nil, &yookassa.ValidationError{Field: "share", Reason: fmt.Sprintf("%s must be above 0 and at most 1", f)}
		}
		amount = pur.Amount.Mul(f).Round(2)
	case partSum:
		amount = part.sum
		if amount.Sign() <= 0 || !isKopecks(amount) {
			return decimal.Zero, nil, &yookassa.ValidationError{Field: "amount", Reason: fmt.Sprintf("%s must be positive with at most two decimals", amount)}
		}
	case partItems:
		if original == nil {
			return decimal.Zero, nil, receiptError(pur.PaymentID, "a capture or refund by items needs the original receipt", nil)
		}
	}
	if original == nil {
		return amount, nil, nil
	}
	if len(original.Items) == 0 {
		return decimal.Zero, nil, receiptError(pur.PaymentID, "the original receipt has no items", nil)
	}
	if part.kind == partItems {
		if !fits(original.Items, pur.Percent, pur.Amount) {
			return decimal.Zero, nil, misfit(pur, original.Items,
				"; after a partial capture, pick from the undiscounted lines of the captured part")
		}
		selected, err := receipt.Select(original.Items, part.picks)
		if err != nil {
			return decimal.Zero, nil, err // a *yookassa.ValidationError naming the pick
		}
		amount = receipt.DiscountedTotal(selected, pur.Percent)
		items, err := receipt.Reprice(selected, pur.Percent, amount)
		if err != nil {
			return decimal.Zero, nil, receiptError(pur.PaymentID, "repricing the selected items", err)
		}
		return amount, items, nil
	}
	all, err := wholeReceipt(pur, original.Items)
	if err != nil {
		return decimal.Zero, nil, err
	}
	if amount.Equal(pur.Amount) {
		return amount, all, nil
	}
	if amount.Sign() <= 0 || amount.GreaterThan(pur.Amount) {
		// The limit checks of the caller refuse it; there is nothing to scale.
		return amount, nil, nil
	}
	items, err := receipt.Scale(all, amount)
	if err != nil {
		return decimal.Zero, nil, receiptError(pur.PaymentID, "scaling the receipt to "+amount.StringFixed(2), err)
	}
	return amount, items, nil
}

// wholeReceipt returns the discounted receipt of the payment's amount from
// the undiscounted items: the items repriced to the amount when they
// describe it; after a partial capture, when they describe the whole order,
// the items repriced to the paid sum and scaled to the captured amount (the
// capture is taken to have kept every line in proportion, as Share and Sum
// captures do).
func wholeReceipt(pur *Purchase, items []yookassa.ReceiptItem) ([]yookassa.ReceiptItem, error) {
	target := pur.Amount
	if !fits(items, pur.Percent, target) {
		if !pur.PartiallyCaptured() || !fits(items, pur.Percent, pur.Paid) {
			return nil, misfit(pur, items, "")
		}
		target = pur.Paid
	}
	all, err := receipt.Reprice(items, pur.Percent, target)
	if err != nil {
		return nil, receiptError(pur.PaymentID, "repricing the receipt", err)
	}
	if target.Equal(pur.Amount) {
		return all, nil
	}
	all, err = receipt.Scale(all, pur.Amount)
	if err != nil {
		return nil, receiptError(pur.PaymentID, "scaling the receipt to the captured "+pur.Amount.StringFixed(2), err)
	}
	return all, nil
}

// fits reports whether the undiscounted items describe a payment of amount:
// their discounted total is amount, give or take a kopeck of rounding per
// line.
func fits(items []yookassa.ReceiptItem, percent, amount decimal.Decimal) bool {
	got := receipt.DiscountedTotal(items, percent)
	tolerance := kopeck.Mul(decimal.NewFromInt(int64(len(items))))
	return got.Sub(amount).Abs().LessThanOrEqual(tolerance)
}

// misfit is the error of an original receipt that does not describe the
// payment.
func misfit(pur *Purchase, items []yookassa.ReceiptItem, hint string) error {
	return receiptError(pur.PaymentID, fmt.Sprintf(
		"the original receipt totals %s RUB, %s RUB after the %s%% discount, but the payment's amount is %s RUB%s",
		receipt.Total(items).StringFixed(2), receipt.DiscountedTotal(items, pur.Percent).StringFixed(2),
		pur.Percent.String(), pur.Amount.StringFixed(2), hint), nil)
}

// withItems returns a copy of original with the given items, or nil.
func withItems(original *yookassa.ReceiptData, items []yookassa.ReceiptItem) *yookassa.ReceiptData {
	if original == nil || items == nil {
		return nil
	}
	r := *original
	r.Items = items
	return &r
}
