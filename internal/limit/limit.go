// Package limit describes an amount that misses its bounds, for the
// LimitError types of packages sberloan and sberbnpl, so that both say it in
// the same words.
package limit

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Missed is by how much amount misses [lo, hi]: lo - amount under the
// minimum, amount - hi over the maximum, zero inside.
func Missed(amount, lo, hi decimal.Decimal) decimal.Decimal {
	switch {
	case amount.LessThan(lo):
		return lo.Sub(amount)
	case amount.GreaterThan(hi):
		return amount.Sub(hi)
	}
	return decimal.Zero
}

// Message is the text of a limit error: "<pkg>: <field>: <op> of <amount>
// RUB is <missed> RUB under the minimum <lo> RUB (allowed <lo>-<hi> RUB)",
// or over the maximum, or, when lo is above hi (nothing can pass), that the
// amount is refused because of it.
func Message(pkg, field, op string, amount, lo, hi decimal.Decimal) string {
	head := fmt.Sprintf("%s: %s: %s of %s RUB", pkg, field, op, amount.StringFixed(2))
	bounds := fmt.Sprintf("(allowed %s-%s RUB)", lo.StringFixed(2), hi.StringFixed(2))
	switch {
	case lo.GreaterThan(hi):
		return fmt.Sprintf("%s refused: the minimum %s RUB is above the maximum %s RUB", head, lo.StringFixed(2), hi.StringFixed(2))
	case amount.LessThan(lo):
		return fmt.Sprintf("%s is %s RUB under the minimum %s RUB %s", head, Missed(amount, lo, hi).StringFixed(2), lo.StringFixed(2), bounds)
	case amount.GreaterThan(hi):
		return fmt.Sprintf("%s is %s RUB over the maximum %s RUB %s", head, Missed(amount, lo, hi).StringFixed(2), hi.StringFixed(2), bounds)
	}
	return head + " refused " + bounds
}
