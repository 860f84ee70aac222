package receipt

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// MaxLines is the largest number of lines a receipt may have. [Balance], [Scale]
// and [Reprice] never split a line when that would take a receipt past it.
const MaxLines = yookassa.MaxReceiptItems

// Total is the sum YooKassa compares with the amount of a payment, capture or
// refund: every line's unit price x quantity is rounded half away from zero
// to kopecks first, and the rounded line totals are added. It is
// yookassa.ReceiptTotal; the functions of this package reach exactly this
// total.
func Total(items []yookassa.ReceiptItem) decimal.Decimal {
	return yookassa.ReceiptTotal(items)
}

// Validate checks a receipt against YooKassa's rules before it is sent with a
// payment, capture or refund of amount: a customer email or phone, 1-100
// items each with a description, a positive price in the amount's currency
// with at most two decimals, a VAT code and a positive quantity with at most
// three decimals, and items whose [Total] equals amount. The error is a
// [*yookassa.ValidationError] naming the field at fault, for example
// "items[1].quantity". It is (*yookassa.ReceiptData).Validate.
func Validate(r yookassa.ReceiptData, amount yookassa.Amount) error {
	return r.Validate(amount)
}

// Pick selects a quantity of one receipt line for a partial capture or a
// partial refund by items.
type Pick struct {
	// Line is the index of the line in the receipt's items.
	Line int
	// Quantity is how many units of the line to take: positive, at most
	// three decimals, no more than the line has.
	Quantity decimal.Decimal
}

// Select returns the picked lines with the picked quantities, in the order
// of items, every other field as it was; for example 1 of the 2 units of a
// line. Prices are not touched: reprice or balance the result to the amount
// it will be sent with. A bad pick is refused with a
// [*yookassa.ValidationError] whose Field is "picks[i].line" (index out of
// range, or a line picked twice), "picks[i].quantity" (not positive, more than
// three decimals, more than the line has), "items[n].quantity" (the picked
// line's own quantity is malformed) or "picks" (nothing picked).
func Select(items []yookassa.ReceiptItem, picks []Pick) ([]yookassa.ReceiptItem, error) {
	if len(picks) == 0 {
		return nil, &yookassa.ValidationError{Field: "picks", Reason: "nothing picked"}
	}
	for i, p := range picks {
		if p.Line < 0 || p.Line >= len(items) {
			return nil, &yookassa.ValidationError{Field: fmt.Sprintf("picks[%d].line", i),
				Reason: fmt.Sprintf("is %d, the receipt has lines 0-%d", p.Line, len(items)-1)}
		}
		want, why := quantityMilli(p.Quantity)
		if why != "" {
			return nil, invalid(why, "picks[%d].quantity", i)
		}
		have, why := quantityMilli(items[p.Line].Quantity)
		if why != "" {
			return nil, invalid(why, "items[%d].quantity", p.Line)
		}
		if want > have {
			return nil, invalid(fmt.Sprintf("is %s, line %d has only %s",
				p.Quantity.String(), p.Line, items[p.Line].Quantity.String()), "picks[%d].quantity", i)
		}
	}
	order := make([]int, len(picks))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(picks[a].Line, picks[b].Line), cmp.Compare(a, b))
	})
	out := make([]yookassa.ReceiptItem, len(order))
	for k, i := range order {
		if k > 0 && picks[order[k-1]].Line == picks[i].Line {
			return nil, &yookassa.ValidationError{Field: fmt.Sprintf("picks[%d].line", i),
				Reason: fmt.Sprintf("line %d is already picked by picks[%d]", picks[i].Line, order[k-1])}
		}
		out[k] = items[picks[i].Line]
		out[k].Quantity = picks[i].Quantity
	}
	return out, nil
}

// quantityMilli converts a quantity to thousandths of a unit, or says what is
// wrong with it.
func quantityMilli(q decimal.Decimal) (int64, string) {
	if q.Sign() <= 0 {
		return 0, "must be positive"
	}
	m, res := scaled(q, 3, maxMilli)
	switch res {
	case convPrecision:
		return 0, "has more than three decimal places"
	case convRange:
		return 0, "is above 10^12"
	}
	return m, ""
}

// priceKopecks converts a unit price or a target to kopecks, or says what is
// wrong with it.
func priceKopecks(p decimal.Decimal) (int64, string) {
	if p.Sign() <= 0 {
		return 0, "must be positive"
	}
	k, res := scaled(p, 2, maxKopecks)
	switch res {
	case convPrecision:
		return 0, "has more than two decimal places"
	case convRange:
		return 0, "is above 10^15"
	}
	return k, ""
}

// invalid is the error for a field at fault; the field name is only built
// for an error.
func invalid(reason string, field string, args ...any) error {
	return &yookassa.ValidationError{Field: fmt.Sprintf(field, args...), Reason: reason}
}
