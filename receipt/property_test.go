package receipt_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

var (
	kopeck  = decimal.New(1, -2)
	half    = decimal.New(5, -1)
	hundred = decimal.NewFromInt(100)
)

// randomCart returns n lines priced 0.01-600,000.00, mostly of quantity 1,
// many of whole quantities up to 1,000 and some with three-decimal
// quantities; a few are marked (quantity 1) or carry a supplier.
func randomCart(r *rand.Rand, n int) []yookassa.ReceiptItem {
	items := make([]yookassa.ReceiptItem, n)
	for i := range items {
		var kop int64
		switch r.IntN(10) {
		case 0, 1, 2:
			kop = 1 + r.Int64N(10_000)
		case 3, 4, 5, 6:
			kop = 1 + r.Int64N(10_000_000)
		default:
			kop = 1 + r.Int64N(60_000_000)
		}
		var qty decimal.Decimal
		switch k := r.IntN(20); {
		case k < 10:
			qty = decimal.NewFromInt(1)
		case k < 15:
			qty = decimal.NewFromInt(2 + r.Int64N(9))
		case k < 17:
			qty = decimal.NewFromInt(2 + r.Int64N(999))
		default:
			qty = decimal.New(1+r.Int64N(1_000_000), -3)
		}
		items[i] = yookassa.ReceiptItem{
			Description:    fmt.Sprintf("Line %d", i),
			Amount:         yookassa.RUB(decimal.New(kop, -2)),
			VatCode:        yookassa.VatCode(1 + r.IntN(12)),
			Quantity:       qty,
			Measure:        yookassa.MeasurePiece,
			PaymentSubject: yookassa.PaymentSubjectCommodity,
			PaymentMode:    yookassa.PaymentModeFullPayment,
		}
		if r.IntN(20) == 0 {
			items[i].Quantity = decimal.NewFromInt(1)
			items[i].MarkCodeInfo = &yookassa.MarkCodeInfo{GS1M: fmt.Sprintf("01046012345678902%07d", i)}
		}
		if r.IntN(10) == 0 {
			items[i].Supplier = &yookassa.Supplier{Name: "Supplier", INN: "1234567890"}
		}
	}
	return items
}

// randomPercent returns a discount of 0-99.99%, often a round one.
func randomPercent(r *rand.Rand) decimal.Decimal {
	if r.IntN(3) == 0 {
		return decimal.NewFromInt(int64(r.IntN(20)) * 5)
	}
	return decimal.New(r.Int64N(10000), -2)
}

func randomLines(r *rand.Rand) int {
	if r.IntN(8) == 0 {
		return receipt.MaxLines
	}
	return 1 + r.IntN(receipt.MaxLines)
}

// ranked is a receipt before balancing, with what the rules rank its lines
// by: larger first, ties by position.
type ranked struct {
	items       []yookassa.ReceiptItem
	keys        []decimal.Decimal
	directional bool            // keys are for a residue to add, negated for one to take away
	bound       decimal.Decimal // the largest residue allowed, in roubles
}

// byPrice is how Balance ranks plain items.
func byPrice(items []yookassa.ReceiptItem) ranked {
	keys := make([]decimal.Decimal, len(items))
	for i, it := range items {
		keys[i] = it.Amount.Value
	}
	return ranked{items: items, keys: keys, bound: bound(items, decimal.Zero)}
}

// repriced rounds exact[i] / denominator to kopecks, lifts zero to 0.01, and
// ranks by the rounding remainder, as Reprice and Scale must.
func repriced(items []yookassa.ReceiptItem, exact func(yookassa.ReceiptItem) (num, den decimal.Decimal)) ranked {
	out := make([]yookassa.ReceiptItem, len(items))
	keys := make([]decimal.Decimal, len(items))
	lifted := decimal.Zero
	for i, it := range items {
		num, den := exact(it)
		p := num.DivRound(den, 2)
		if p.IsZero() {
			p = kopeck
			lifted = lifted.Add(it.Quantity)
		}
		out[i] = it
		out[i].Amount.Value = p
		keys[i] = num.Sub(p.Mul(den)) // exact - rounded, times the common denominator
	}
	return ranked{items: out, keys: keys, directional: true, bound: bound(out, lifted)}
}

// bound is the documented limit on the residue: half a kopeck per unit, a
// kopeck per fractional-quantity line, half a kopeck per unit lifted to 0.01
// and one kopeck, rounded down to kopecks.
func bound(items []yookassa.ReceiptItem, lifted decimal.Decimal) decimal.Decimal {
	b := decimal.NewFromInt(1).Add(lifted.Mul(half))
	for _, it := range items {
		b = b.Add(it.Quantity.Mul(half))
		if !it.Quantity.IsInteger() {
			b = b.Add(decimal.NewFromInt(1))
		}
	}
	return b.Floor().Mul(kopeck)
}

// eligible reports whether a line may take a kopeck per unit in direction sign.
func eligible(it yookassa.ReceiptItem, sign int) bool {
	return it.Quantity.IsInteger() && (sign > 0 || it.Amount.Value.GreaterThan(kopeck))
}

// capacity is how many kopecks the eligible lines can take in direction sign.
func capacity(items []yookassa.ReceiptItem, sign int) decimal.Decimal {
	c := decimal.Zero
	for _, it := range items {
		if eligible(it, sign) {
			c = c.Add(it.Quantity)
		}
	}
	return c.Mul(kopeck)
}

// expectBalanced checks the outcome of balancing base to target: when the
// residue is within the bound and the eligible lines have room, a receipt
// that totals target and keeps every rule of Balance; otherwise the right
// *BalanceError.
func expectBalanced(t *testing.T, base ranked, out []yookassa.ReceiptItem, err error, target decimal.Decimal) {
	t.Helper()
	residue := target.Sub(receipt.Total(base.items))
	sign := residue.Sign()
	var be *receipt.BalanceError
	switch {
	case residue.Abs().GreaterThan(base.bound):
		require.ErrorIs(t, err, receipt.ErrResidueTooLarge, "residue %s, bound %s", residue, base.bound)
		require.ErrorAs(t, err, &be)
		require.True(t, be.Residue.Equal(residue))
		return
	case capacity(base.items, sign).LessThan(residue.Abs()):
		require.ErrorIs(t, err, receipt.ErrCannotAbsorb, "residue %s, capacity %s", residue, capacity(base.items, sign))
		require.ErrorAs(t, err, &be)
		require.True(t, be.Total.Equal(receipt.Total(base.items)))
		return
	case errors.Is(err, receipt.ErrTooManyLines):
		require.GreaterOrEqual(t, len(base.items), receipt.MaxLines)
		return
	}
	require.NoError(t, err)
	require.True(t, receipt.Total(out).Equal(target), "total %s, target %s", receipt.Total(out), target)
	checkMoves(t, base, out, sign, residue.Abs().Div(kopeck).IntPart())
}

// checkMoves checks that out is base with the residue moved as Balance
// documents: prices move by one kopeck in direction sign, at most one line is
// split (the new part right after it, all fields kept), at most n lines change,
// no price drops to zero, and the lines taken are the best ranked.
func checkMoves(t *testing.T, base ranked, out []yookassa.ReceiptItem, sign int, n int64) {
	t.Helper()
	step := kopeck.Mul(decimal.NewFromInt(int64(sign)))
	require.Contains(t, []int{len(base.items), len(base.items) + 1}, len(out))
	moved := make([]decimal.Decimal, len(base.items)) // units moved per line
	split := -1
	for i, j := 0, 0; i < len(base.items); i, j = i+1, j+1 {
		in, got := base.items[i], out[j]
		require.True(t, got.Amount.Value.IsPositive(), "line %d price %s", j, got.Amount.Value)
		requireSameFields(t, in, got)
		if got.Quantity.Equal(in.Quantity) {
			moved[i] = decimal.Zero
			if !got.Amount.Value.Equal(in.Amount.Value) {
				require.True(t, got.Amount.Value.Equal(in.Amount.Value.Add(step)), "line %d: %s -> %s", i, in.Amount.Value, got.Amount.Value)
				moved[i] = in.Quantity
			}
			continue
		}
		require.Equal(t, -1, split, "a second split at line %d", i)
		split = i
		require.Less(t, j+1, len(out))
		part := out[j+1]
		requireSameFields(t, in, part)
		require.True(t, got.Amount.Value.Equal(in.Amount.Value), "a split line keeps its price")
		require.True(t, part.Amount.Value.Equal(in.Amount.Value.Add(step)))
		require.True(t, got.Quantity.Add(part.Quantity).Equal(in.Quantity))
		require.True(t, got.Quantity.IsPositive() && part.Quantity.IsPositive())
		require.Nil(t, in.MarkCodeInfo, "a marked line was split")
		moved[i] = part.Quantity
		j++
	}
	changed := 0
	for i, m := range moved {
		if m.IsPositive() {
			changed++
			require.True(t, eligible(base.items[i], sign), "line %d is not eligible", i)
		}
	}
	require.LessOrEqual(t, int64(changed), n)
	if split >= 0 {
		require.Equal(t, len(base.items)+1, len(out))
	} else {
		require.Equal(t, len(base.items), len(out))
	}

	// The ranking: quantity-1 lines by key, then the others by key; the
	// lines taken are the first ones in that order (when no split was ruled
	// out by the line limit), and only the last of them may be split.
	order := []int{}
	for i, it := range base.items {
		if eligible(it, sign) {
			order = append(order, i)
		}
	}
	one := decimal.NewFromInt(1)
	slices.SortStableFunc(order, func(a, b int) int {
		qa, qb := base.items[a].Quantity.Equal(one), base.items[b].Quantity.Equal(one)
		if qa != qb {
			if qa {
				return -1
			}
			return 1
		}
		ka, kb := base.keys[a], base.keys[b]
		if base.directional && sign < 0 {
			ka, kb = ka.Neg(), kb.Neg()
		}
		return kb.Cmp(ka)
	})
	if len(base.items) >= receipt.MaxLines {
		return
	}
	for k, i := range order {
		if moved[i].IsZero() {
			for _, later := range order[k+1:] {
				require.True(t, moved[later].IsZero(), "line %d taken before better-ranked line %d", later, i)
			}
			break
		}
		if i == split {
			for _, later := range order[k+1:] {
				require.True(t, moved[later].IsZero(), "line %d taken after the split line %d", later, i)
			}
			break
		}
	}
}

// requireSameFields checks every field but the price and the quantity.
func requireSameFields(t *testing.T, want, got yookassa.ReceiptItem) {
	t.Helper()
	want.Amount.Value, got.Amount.Value = decimal.Zero, decimal.Zero
	want.Quantity, got.Quantity = decimal.Zero, decimal.Zero
	require.Equal(t, want, got)
}

// discounted is the exact discounted price as a fraction over 1.
func discounted(percent decimal.Decimal) func(yookassa.ReceiptItem) (decimal.Decimal, decimal.Decimal) {
	f := hundred.Sub(percent).Div(hundred)
	return func(it yookassa.ReceiptItem) (decimal.Decimal, decimal.Decimal) {
		return it.Amount.Value.Mul(f), decimal.NewFromInt(1)
	}
}

// share is the exact price x target / total.
func share(target, total decimal.Decimal) func(yookassa.ReceiptItem) (decimal.Decimal, decimal.Decimal) {
	return func(it yookassa.ReceiptItem) (decimal.Decimal, decimal.Decimal) {
		return it.Amount.Value.Mul(target), total
	}
}

// checkDiscountBalance runs ApplyDiscount + Balance and Reprice on one cart.
func checkDiscountBalance(t *testing.T, items []yookassa.ReceiptItem, percent, target decimal.Decimal) {
	t.Helper()
	before := snapshot(t, items)

	disc := receipt.ApplyDiscount(items, percent)
	require.Len(t, disc, len(items))
	for i := range disc {
		requireSameFields(t, items[i], disc[i])
		want := items[i].Amount.Value.Mul(hundred.Sub(percent)).Div(hundred).Round(2)
		require.True(t, want.Equal(disc[i].Amount.Value), "line %d: %s at %s%%", i, items[i].Amount.Value, percent)
	}
	if !target.IsPositive() { // 0.01 at 60% is 0.00: there is no receipt to make
		for _, f := range []func() ([]yookassa.ReceiptItem, error){
			func() ([]yookassa.ReceiptItem, error) { return receipt.Balance(disc, target) },
			func() ([]yookassa.ReceiptItem, error) { return receipt.Reprice(items, percent, target) },
		} {
			_, err := f()
			var ve *yookassa.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, "target", ve.Field)
		}
		return
	}
	out, err := receipt.Balance(disc, target)
	if zero := slices.IndexFunc(disc, func(it yookassa.ReceiptItem) bool { return it.Amount.Value.IsZero() }); zero >= 0 {
		var ve *yookassa.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, fmt.Sprintf("items[%d].amount.value", zero), ve.Field)
	} else {
		expectBalanced(t, byPrice(disc), out, err, target)
	}

	out, err = receipt.Reprice(items, percent, target)
	expectBalanced(t, repriced(items, discounted(percent)), out, err, target)
	require.Equal(t, before, snapshot(t, items), "input modified")
}

// checkScale runs Scale on one cart.
func checkScale(t *testing.T, items []yookassa.ReceiptItem, target decimal.Decimal) {
	t.Helper()
	before := snapshot(t, items)
	total := receipt.Total(items)
	out, err := receipt.Scale(items, target)
	if target.GreaterThan(total) {
		var ve *yookassa.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, "target", ve.Field)
		return
	}
	expectBalanced(t, repriced(items, share(target, total)), out, err, target)
	require.Equal(t, before, snapshot(t, items), "input modified")
}

// The discounted amount of any cart is reached by ApplyDiscount + Balance and
// by Reprice, or refused for a documented reason; so is a residue near the
// bound.
func TestPropertyDiscountBalance(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 54))
	for k := range 300 {
		items := randomCart(r, randomLines(r))
		percent := randomPercent(r)
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			target := receipt.DiscountedTotal(items, percent)
			checkDiscountBalance(t, items, percent, target)
			// Near and past the bound, either way.
			base := byPrice(items)
			delta := base.bound.Add(kopeck.Mul(decimal.NewFromInt(r.Int64N(5) - 2)))
			if r.IntN(2) == 0 {
				delta = delta.Neg()
			}
			if target := receipt.Total(items).Add(delta); target.IsPositive() {
				out, err := receipt.Balance(items, target)
				expectBalanced(t, base, out, err, target)
			}
		})
	}
}

func TestPropertyScale(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 75))
	for k := range 300 {
		items := randomCart(r, randomLines(r))
		total := receipt.Total(items)
		target := decimal.New(1+r.Int64N(total.Shift(2).IntPart()), -2)
		t.Run(fmt.Sprint(k), func(t *testing.T) { checkScale(t, items, target) })
	}
}

func TestPropertySelect(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 12))
	for k := range 300 {
		items := randomCart(r, randomLines(r))
		picks := randomPicks(r, items)
		t.Run(fmt.Sprint(k), func(t *testing.T) { checkSelect(t, items, picks) })
	}
}

// randomPicks picks some lines with quantities that are mostly valid.
func randomPicks(r *rand.Rand, items []yookassa.ReceiptItem) []receipt.Pick {
	picks := make([]receipt.Pick, 1+r.IntN(min(len(items), 5)))
	for i := range picks {
		line := r.IntN(len(items))
		q := items[line].Quantity
		switch r.IntN(8) {
		case 0:
			line = len(items) + r.IntN(3) - 1 // may be out of range
		case 1:
			q = q.Add(decimal.New(1, -3)) // one thousandth too many
		case 2:
			q = decimal.New(int64(r.IntN(3))-1, 0) // -1, 0 or 1
		default:
			q = q.Mul(decimal.New(1+r.Int64N(1000), -3)).Round(3) // a share of the line
		}
		picks[i] = receipt.Pick{Line: line, Quantity: q}
	}
	return picks
}

// checkSelect runs Select and compares it with the documented rules.
func checkSelect(t *testing.T, items []yookassa.ReceiptItem, picks []receipt.Pick) {
	t.Helper()
	before := snapshot(t, items)
	out, err := receipt.Select(items, picks)
	require.Equal(t, before, snapshot(t, items), "input modified")

	valid := len(picks) > 0
	seen := map[int]bool{}
	for _, p := range picks {
		switch {
		case p.Line < 0 || p.Line >= len(items) || seen[p.Line],
			!p.Quantity.IsPositive(),
			!p.Quantity.Equal(p.Quantity.Truncate(3)),
			p.Quantity.GreaterThan(items[p.Line].Quantity):
			valid = false
		}
		if p.Line >= 0 && p.Line < len(items) {
			seen[p.Line] = true
		}
	}
	if !valid {
		var ve *yookassa.ValidationError
		require.ErrorAs(t, err, &ve)
		require.Nil(t, out)
		return
	}
	require.NoError(t, err)
	require.Len(t, out, len(picks))
	sorted := slices.Clone(picks)
	slices.SortFunc(sorted, func(a, b receipt.Pick) int { return a.Line - b.Line })
	for k, p := range sorted {
		want := items[p.Line]
		want.Quantity = p.Quantity
		require.Equal(t, want, out[k])
	}
}
