package receipt

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// Kinds of [*BalanceError], for errors.Is.
var (
	// ErrResidueTooLarge: the target is further from the items' total than
	// rounding unit prices to kopecks can explain, so the items are not a
	// rounded form of the target and no kopeck-moving will fix them.
	ErrResidueTooLarge = errors.New("receipt: residue larger than rounding explains")
	// ErrCannotAbsorb: the residue is small enough, but the lines that may
	// take a kopeck per unit ran out: the rest are fractional-quantity
	// lines, lines already at 0.01 per unit, or marked lines that are not
	// split.
	ErrCannotAbsorb = errors.New("receipt: no line can absorb the residue")
	// ErrTooManyLines: absorbing the residue needs a split, and the receipt
	// already has [MaxLines] lines.
	ErrTooManyLines = errors.New("receipt: balancing would need more than 100 lines")
)

// BalanceError says why items cannot be balanced to a target. Kind is one of
// [ErrResidueTooLarge], [ErrCannotAbsorb] and [ErrTooManyLines], and errors.Is
// matches it.
type BalanceError struct {
	// Kind is the sentinel error of the failure.
	Kind error
	// Target is the total that was asked for.
	Target decimal.Decimal
	// Total is the items' [Total] (after repricing, for [Scale] and [Reprice]).
	Total decimal.Decimal
	// Residue is Target - Total.
	Residue decimal.Decimal
	// Reason explains the failure in words.
	Reason string
}

// Error returns "receipt: cannot balance to <target>: the items add up to
// <total>, residue <residue>: <reason>".
func (e *BalanceError) Error() string {
	return fmt.Sprintf("receipt: cannot balance to %s: the items add up to %s, residue %s: %s",
		e.Target.StringFixed(2), e.Total.StringFixed(2), e.Residue.StringFixed(2), e.Reason)
}

// Unwrap returns Kind.
func (e *BalanceError) Unwrap() error { return e.Kind }

// Balance returns a copy of items whose [Total] is exactly target, changed only
// by the rounding residue target - [Total](items):
//
//   - The residue is spent one kopeck per unit, in its direction: a line's
//     unit price moves by exactly 0.01, or not at all.
//   - Lines of quantity exactly 1 take a kopeck each first; then lines of a
//     whole quantity above 1 take one kopeck per unit, the whole line at once
//     when the residue left is at least its quantity. Otherwise the line is
//     split: as many units as kopecks are left move to a new line, inserted
//     right after it with every field of it and the price moved by 0.01,
//     while the original line keeps its price and the remaining units
//     (3 x 333.33 to reach 1,000.00 gives 2 x 333.33 + 1 x 333.34). At most
//     one line is split, the last one used.
//   - Within each of the two groups lines are taken by unit price, highest
//     first (where a kopeck is the smallest share of the price), ties by
//     position. [Reprice] and [Scale] know the exact prices before rounding and
//     rank by the true rounding remainder instead.
//   - Lines with a fractional quantity (1.5 kg) never take a kopeck: a kopeck
//     per unit moves their total by a fraction of a kopeck (0.015), which
//     rounding turns into 0.01 or 0.02 depending on the price. Kopecks are never taken
//     from a unit priced 0.01. A line with a marking code (MarkCodeInfo) is
//     never split: it is skipped and the next line tried.
//   - A receipt that already has [MaxLines] lines has no room for a split. Then
//     lines of whole quantity above 1 go first, largest quantity first (ties
//     by rank), each taken only when the residue left covers all its units,
//     and lines of quantity 1 fill the rest; if kopecks are still left, the
//     error is [ErrTooManyLines].
//   - Lines keep their order; nothing but Amount.Value and, for a split line,
//     Quantity changes. With a residue of n kopecks at most n lines change and
//     at most one line is added. The input is never modified; pointer and
//     slice fields are shared with it, never written.
//
// The residue must be one rounding could produce: at most half a kopeck per
// unit of quantity (fractional quantities counted as they are), plus a kopeck
// per fractional-quantity line (its line total is rounded too), plus one
// kopeck for the rounding of the target itself. In kopecks:
// |residue| <= (sum of quantities)/2 + (fractional lines) + 1.
//
// Errors: a [*yookassa.ValidationError] when target is not positive or has more
// than two decimals, items is empty, or an item's price is not positive or
// has more than two decimals, or its quantity is not positive or has more than
// three; amounts above 10^15 and quantities above 10^12 are refused the same
// way. A [*BalanceError] of kind [ErrResidueTooLarge] when the residue breaks the
// bound above, [ErrCannotAbsorb] or [ErrTooManyLines] when kopecks are left over;
// its message says how much and why. [Balance] never panics.
func Balance(items []yookassa.ReceiptItem, target decimal.Decimal) ([]yookassa.ReceiptItem, error) {
	t, c, err := parse(items, target)
	if err != nil {
		return nil, err
	}
	return c.finish(items, t, false, 0)
}

// Scale returns a receipt for a share of the items' [Total], for a partial
// capture or refund that keeps every line: each unit price is multiplied by
// target/[Total](items) and rounded half away from zero to kopecks (at least
// 0.01), then the result is balanced to exactly target by the rules of
// [Balance], ranking lines by the exact remainder of that rounding; the bound
// on the residue grows by half a kopeck per unit lifted to 0.01. Three
// quarters of 2,700 x 1 + 900 x 2 (4,500) is 2,025 x 1 + 675 x 2 (3,375);
// half is 1,350 x 1 + 450 x 2 (2,250).
//
// Errors: a [*yookassa.ValidationError] when target is not positive, has more
// than two decimals or exceeds [Total](items), or an item is malformed (see
// [Balance]); a [*BalanceError] when the target cannot be reached, for example
// when it is below 0.01 per unit or only fractional-quantity lines are left to
// absorb the residue.
func Scale(items []yookassa.ReceiptItem, target decimal.Decimal) ([]yookassa.ReceiptItem, error) {
	t, c, err := parse(items, target)
	if err != nil {
		return nil, err
	}
	if t > c.total {
		return nil, &yookassa.ValidationError{Field: "target", Reason: fmt.Sprintf(
			"%s is more than the items' total %s", kopecks(t).StringFixed(2), kopecks(c.total).StringFixed(2))}
	}
	return c.repriced(items, t, uint64(t), uint64(c.total))
}

// rebalance is [Reprice] after the percent check: parse, reprice every line by
// mul/div, balance.
func rebalance(items []yookassa.ReceiptItem, target decimal.Decimal, mul, div int64) ([]yookassa.ReceiptItem, error) {
	t, c, err := parse(items, target)
	if err != nil {
		return nil, err
	}
	return c.repriced(items, t, uint64(mul), uint64(div))
}

// line is one receipt line in integers.
type line struct {
	kop   int64 // unit price in kopecks
	milli int64 // quantity in thousandths
	rem   int64 // signed rounding remainder of kop (repriced carts only)
}

// cart is a receipt in integers.
type cart struct {
	lines []line
	total int64 // Total in kopecks
}

// parse converts target and items to integers, refusing what [Balance] refuses.
func parse(items []yookassa.ReceiptItem, target decimal.Decimal) (int64, *cart, error) {
	t, why := priceKopecks(target)
	if why != "" {
		return 0, nil, invalid(why, "target")
	}
	if len(items) == 0 {
		return 0, nil, &yookassa.ValidationError{Field: "items", Reason: "no items"}
	}
	c := &cart{lines: make([]line, len(items))}
	for i := range items {
		l := &c.lines[i]
		if l.kop, why = priceKopecks(items[i].Amount.Value); why != "" {
			return 0, nil, invalid(why, "items[%d].amount.value", i)
		}
		if l.milli, why = quantityMilli(items[i].Quantity); why != "" {
			return 0, nil, invalid(why, "items[%d].quantity", i)
		}
		lt, ok := lineKopecks(l.kop, l.milli)
		if c.total += lt; !ok || c.total > maxKopecks {
			return 0, nil, &yookassa.ValidationError{Field: "items", Reason: "the total is above 10^15"}
		}
	}
	return t, c, nil
}

// repriced sets every unit price to round(price x mul / div), at least one
// kopeck, keeping the signed remainders for ranking, then balances to t.
// With 0 < mul <= div <= maxKopecks no price grows (a lifted one becomes
// 0.01, at most what it was), so mulDiv and lineKopecks cannot fail and the
// total stays within the limit parse checked.
func (c *cart) repriced(items []yookassa.ReceiptItem, t int64, mul, div uint64) ([]yookassa.ReceiptItem, error) {
	var lifted uint64 // units lifted from 0.00 to 0.01, in thousandths
	c.total = 0
	for i := range c.lines {
		l := &c.lines[i]
		q, rem, _ := mulDiv(uint64(l.kop), mul, div)
		l.kop, l.rem = int64(q), rem
		if l.kop == 0 {
			l.kop, l.rem = 1, rem-int64(div)
			lifted = satAdd(lifted, uint64(l.milli))
		}
		lt, _ := lineKopecks(l.kop, l.milli)
		c.total += lt
	}
	return c.finish(items, t, true, lifted)
}

// change is one line's share of the residue: units kopecks, one per unit.
type change struct {
	line  int
	units int64
	split bool // move units to a new line after this one
}

// finish balances the cart to t and builds the items. byRemainder ranks by
// the lines' rounding remainders instead of their prices, and also means
// every price was recomputed and must be written. allowance widens the bound
// on the residue, in thousandths of a unit lifted to 0.01.
func (c *cart) finish(items []yookassa.ReceiptItem, t int64, byRemainder bool, allowance uint64) ([]yookassa.ReceiptItem, error) {
	changes, err := c.plan(items, t, byRemainder, allowance)
	if err != nil {
		return nil, err
	}
	out := make([]yookassa.ReceiptItem, len(items), len(items)+1)
	copy(out, items)
	if byRemainder {
		for i := range out {
			out[i].Amount.Value = kopecks(c.lines[i].kop)
		}
	}
	step := int64(1)
	if t < c.total {
		step = -1
	}
	for _, ch := range changes { // a split, if any, comes last
		l := c.lines[ch.line]
		price := kopecks(l.kop + step)
		if !ch.split {
			out[ch.line].Amount.Value = price
			continue
		}
		part := out[ch.line]
		part.Quantity = decimal.NewFromInt(ch.units)
		part.Amount.Value = price
		out[ch.line].Quantity = decimal.NewFromInt(l.milli/1000 - ch.units)
		out = slices.Insert(out, ch.line+1, part)
	}
	return out, nil
}

// plan decides which lines absorb the residue t - c.total; see [Balance].
func (c *cart) plan(items []yookassa.ReceiptItem, t int64, byRemainder bool, allowance uint64) ([]change, error) {
	r := t - c.total
	if r == 0 {
		return nil, nil
	}
	sign, n := int64(1), r
	if r < 0 {
		sign, n = -1, -r
	}

	// slack is twice the bound in thousandths of a kopeck (2000 per kopeck),
	// so half a kopeck per unit adds the quantity in thousandths.
	slack := satAdd(2000, allowance)
	for _, l := range c.lines {
		slack = satAdd(slack, uint64(l.milli))
		if l.milli%1000 != 0 {
			slack = satAdd(slack, 2000)
		}
	}
	if limit := slack / 2000; uint64(n) > limit {
		lifted := ""
		if allowance > 0 {
			lifted = ", half a kopeck more per unit lifted to 0.01"
		}
		return nil, c.fail(ErrResidueTooLarge, t, fmt.Sprintf(
			"rounding these items' unit prices to kopecks explains at most %s (half a kopeck per unit, "+
				"a kopeck per fractional-quantity line, one for the target%s)",
			kopecks(int64(limit)).StringFixed(2), lifted))
	}

	var fractional, floor, marked, crowded []int
	cand := make([]int, 0, len(c.lines))
	for i, l := range c.lines {
		switch {
		case l.milli%1000 != 0:
			fractional = append(fractional, i)
		case sign < 0 && l.kop < 2:
			floor = append(floor, i)
		default:
			cand = append(cand, i)
		}
	}
	key := func(i int) int64 {
		if byRemainder {
			return sign * c.lines[i].rem
		}
		return c.lines[i].kop
	}
	// With room for a split: quantity 1 first, then whole quantities above
	// 1, each group by key. Without: whole quantities above 1 first, largest
	// quantity first, then quantity 1 to fill the rest.
	roomy := len(items) < MaxLines
	group := func(i int) int {
		if (c.lines[i].milli == 1000) == roomy {
			return 0
		}
		return 1
	}
	size := func(i int) int64 {
		if roomy {
			return 0
		}
		return c.lines[i].milli
	}
	slices.SortFunc(cand, func(a, b int) int {
		return cmp.Or(cmp.Compare(group(a), group(b)), cmp.Compare(size(b), size(a)),
			cmp.Compare(key(b), key(a)), cmp.Compare(a, b))
	})

	var changes []change
	left := n
	for _, i := range cand {
		switch u := c.lines[i].milli / 1000; {
		case u <= left:
			changes = append(changes, change{line: i, units: u})
			left -= u
		case items[i].MarkCodeInfo != nil:
			marked = append(marked, i)
		case !roomy:
			crowded = append(crowded, i)
		default:
			changes = append(changes, change{line: i, units: left, split: true})
			left = 0
		}
		if left == 0 {
			return changes, nil
		}
	}

	rest := kopecks(left).StringFixed(2)
	if len(crowded) > 0 {
		return nil, c.fail(ErrTooManyLines, t, fmt.Sprintf(
			"%s is left for %s, which would have to be split, and the receipt already has %d lines (at most %d)",
			rest, lineList(crowded), len(items), MaxLines))
	}
	var why []string
	if len(fractional) > 0 {
		why = append(why, lineList(fractional)+" cannot take a kopeck: a fractional quantity turns it into a fraction of a kopeck")
	}
	if len(floor) > 0 {
		why = append(why, lineList(floor)+" already cost 0.01 per unit")
	}
	if len(marked) > 0 {
		why = append(why, lineList(marked)+" carry a marking code and are not split")
	}
	if len(why) == 0 {
		why = append(why, "the lines have fewer units than kopecks to move")
	}
	return nil, c.fail(ErrCannotAbsorb, t, fmt.Sprintf(
		"%s is left after every line that can take a kopeck per unit has taken one; %s",
		rest, strings.Join(why, "; ")))
}

func (c *cart) fail(kind error, t int64, reason string) *BalanceError {
	return &BalanceError{Kind: kind, Target: kopecks(t), Total: kopecks(c.total),
		Residue: kopecks(t - c.total), Reason: reason}
}

// lineList names up to three lines: "items[2], items[5] and 4 more".
func lineList(idx []int) string {
	var b strings.Builder
	for k, i := range idx[:min(len(idx), 3)] {
		if k > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "items[%d]", i)
	}
	if len(idx) > 3 {
		fmt.Fprintf(&b, " and %d more", len(idx)-3)
	}
	return b.String()
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}
