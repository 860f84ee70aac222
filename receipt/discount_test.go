package receipt_test

import (
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckDiscount(t *testing.T) {
	tests := []struct {
		percent decimal.Decimal
		reason  string // "" when accepted
	}{
		{dec("0"), ""},
		{decimal.Decimal{}, ""},
		{dec("10"), ""},
		{dec("4.99"), ""},
		{dec("12.50"), ""},
		{dec("99.99"), ""},
		{dec("100"), "must be at least 0 and below 100"},
		{dec("150"), "must be at least 0 and below 100"},
		{dec("-0.01"), "must be at least 0 and below 100"},
		{dec("1e30"), "must be at least 0 and below 100"},
		{decimal.New(1, 2_000_000_000), "must be at least 0 and below 100"},
		{dec("12.345"), "has more than two decimal places"},
		{decimal.New(1, -2_000_000_000), "has more than two decimal places"},
	}
	for _, tt := range tests {
		err := receipt.CheckDiscount(tt.percent)
		if tt.reason == "" {
			assert.NoError(t, err, "%s", tt.percent)
			continue
		}
		var ve *yookassa.ValidationError
		if assert.ErrorAs(t, err, &ve, "%s", tt.percent) {
			assert.Equal(t, "percent", ve.Field)
			assert.Equal(t, tt.reason, ve.Reason)
		}
	}
}

func TestApplyDiscount(t *testing.T) {
	tests := []struct {
		name    string
		items   []yookassa.ReceiptItem
		percent string
		want    []string
	}{
		{"installment plan at payment", cart("3000.00 x 1", "1000.00 x 2"), "10", []string{"2700.00 x 1", "900.00 x 2"}},
		{"half away from zero", cart("999.90 x 1"), "5", []string{"949.91 x 1"}},
		{"rounding down", cart("333.33 x 3"), "10", []string{"300.00 x 3"}},
		{"no discount", cart("333.33 x 3"), "0", []string{"333.33 x 3"}},
		{"fractional quantity", cart("100.01 x 1.5"), "12.5", []string{"87.51 x 1.5"}},
		{"rounds to zero", cart("0.01 x 1"), "60", []string{"0.00 x 1"}},
		{"largest discount", cart("600000.00 x 1"), "99.99", []string{"60.00 x 1"}},
		{"a price with a third decimal is rounded too", cart("10.005 x 1"), "10", []string{"9.00 x 1"}},
		{"a negative price keeps rounding away from zero", cart("-999.90 x 1"), "5", []string{"-949.91 x 1"}},
		{"a price above 10^15 roubles", cart("10000000000000000.00 x 1"), "10", []string{"9000000000000000.00 x 1"}},
		{"percent 100 is refused: unchanged copy", cart("999.90 x 1"), "100", []string{"999.90 x 1"}},
		{"negative percent is refused: unchanged copy", cart("999.90 x 1"), "-5", []string{"999.90 x 1"}},
		{"three decimals are refused: unchanged copy", cart("999.90 x 1"), "5.125", []string{"999.90 x 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, tt.items)
			out := receipt.ApplyDiscount(tt.items, dec(tt.percent))
			assert.Equal(t, tt.want, lines(out))
			assert.Equal(t, before, snapshot(t, tt.items), "input modified")
		})
	}
}

func TestApplyDiscountCopies(t *testing.T) {
	items := cart("3000.00 x 1")
	items[0].Supplier = &yookassa.Supplier{Name: "Supplier"}
	items[0].MarkCodeInfo = &yookassa.MarkCodeInfo{EAN13: "4601234567893"}
	excise := dec("10.00")
	items[0].Excise = &excise
	for _, percent := range []string{"10", "100"} {
		out := receipt.ApplyDiscount(items, dec(percent))
		require.Len(t, out, 1)
		got, orig := out[0], items[0]
		got.Amount.Value, orig.Amount.Value = decimal.Zero, decimal.Zero
		assert.Equal(t, orig, got, "every field but the price is kept (percent %s)", percent)
		out[0].Description = "changed"
		assert.Equal(t, "Item 0", items[0].Description, "the result must not share the input's array")
	}
	assert.Empty(t, receipt.ApplyDiscount(nil, dec("10")))
}

// A price whose exponent no JSON amount can have is copied, not expanded.
func TestApplyDiscountExtremeExponent(t *testing.T) {
	for _, p := range []decimal.Decimal{decimal.New(1, 2_000_000_000), decimal.New(1, -2_000_000_000)} {
		items := []yookassa.ReceiptItem{{Amount: yookassa.RUB(p), Quantity: dec("1")}}
		out := receipt.ApplyDiscount(items, dec("10"))
		assert.Equal(t, p.Exponent(), out[0].Amount.Value.Exponent())
	}
}

func TestDiscountedTotal(t *testing.T) {
	tests := []struct {
		items   []yookassa.ReceiptItem
		percent string
		want    string
	}{
		{cart("3000.00 x 1", "1000.00 x 2"), "10", "4500.00"},
		{cart("333.33 x 3"), "10", "899.99"},
		{cart("999.90 x 1"), "5", "949.91"},
		{cart("0.01 x 1"), "50", "0.01"},    // 0.005 rounds away from zero
		{cart("1.00 x 0.333"), "0", "0.33"}, // the total rounds each line
		{cart("333.33 x 3"), "100", "999.99"},
		{cart("333.33 x 3"), "-1", "999.99"},
		{nil, "10", "0.00"},
	}
	for _, tt := range tests {
		got := receipt.DiscountedTotal(tt.items, dec(tt.percent))
		assert.Equal(t, tt.want, got.StringFixed(2), "%v at %s%%", lines(tt.items), tt.percent)
	}
}

func TestReprice(t *testing.T) {
	tests := []struct {
		name    string
		items   []yookassa.ReceiptItem
		percent string
		target  string // "" for DiscountedTotal
		want    []string
	}{
		{"seed: three cups", cart("333.33 x 3"), "10", "", []string{"300.00 x 2", "299.99 x 1"}},
		{"seed: whole order", cart("3000.00 x 1", "1000.00 x 2"), "10", "", []string{"2700.00 x 1", "900.00 x 2"}},
		{"seed: one of two units", cart("1000.00 x 1"), "10", "", []string{"900.00 x 1"}},
		{
			// 6.7431, 2.9939 and 6.734 round to 6.74, 2.99 and 6.73 (16.46); the
			// amount is 18.10 x 0.91 = 16.471. The kopeck goes to the price
			// rounded down most (6.734), not to the highest price.
			"true remainder decides", cart("7.41 x 1", "3.29 x 1", "7.40 x 1"), "9", "",
			[]string{"6.74 x 1", "2.99 x 1", "6.74 x 1"},
		},
		{
			// 0.004 becomes 0.01, and the kopeck it adds is taken back.
			"a price that rounds to zero is lifted", cart("0.01 x 1", "100.00 x 1"), "60", "",
			[]string{"0.01 x 1", "39.99 x 1"},
		},
		{"explicit target", cart("333.33 x 3"), "10", "900.01", []string{"300.00 x 2", "300.01 x 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := receipt.DiscountedTotal(tt.items, dec(tt.percent))
			if tt.target != "" {
				target = dec(tt.target)
			}
			before := snapshot(t, tt.items)
			out, err := receipt.Reprice(tt.items, dec(tt.percent), target)
			require.NoError(t, err)
			assert.Equal(t, tt.want, lines(out))
			assert.True(t, receipt.Total(out).Equal(target))
			assert.Equal(t, before, snapshot(t, tt.items), "input modified")
		})
	}
}

// Balance sees only rounded prices and ranks by price; Reprice ranks by the
// true remainder, so the two may pick different lines.
func TestRepriceDiffersFromBalanceOfApplyDiscount(t *testing.T) {
	items := cart("7.41 x 1", "3.29 x 1", "7.40 x 1")
	target := receipt.DiscountedTotal(items, dec("9"))
	viaBalance, err := receipt.Balance(receipt.ApplyDiscount(items, dec("9")), target)
	require.NoError(t, err)
	assert.Equal(t, []string{"6.75 x 1", "2.99 x 1", "6.73 x 1"}, lines(viaBalance))
}

func TestRepriceErrors(t *testing.T) {
	var ve *yookassa.ValidationError
	_, err := receipt.Reprice(cart("10.00 x 1"), dec("100"), dec("1"))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "percent", ve.Field)

	_, err = receipt.Reprice(cart("10.00 x 1"), dec("10"), dec("0"))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "target", ve.Field)

	_, err = receipt.Reprice(cart("10.00 x 0"), dec("10"), dec("9"))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "items[0].quantity", ve.Field)

	_, err = receipt.Reprice(cart("10.00 x 1"), dec("10"), dec("10.00"))
	var be *receipt.BalanceError
	require.ErrorAs(t, err, &be)
	assert.ErrorIs(t, err, receipt.ErrResidueTooLarge)
	assert.Equal(t, "9.00", be.Total.StringFixed(2), "the total after the discount")

	_, err = receipt.Reprice(cart("0.01 x 1", "100.00 x 1"), dec("60"), dec("40.05"))
	require.ErrorIs(t, err, receipt.ErrResidueTooLarge)
	assert.Contains(t, err.Error(), "residue 0.04: rounding these items' unit prices to kopecks explains at most 0.02 "+
		"(half a kopeck per unit, a kopeck per fractional-quantity line, one for the target, "+
		"half a kopeck more per unit lifted to 0.01)")

	// Zero-priced lines from ApplyDiscount are refused by Balance, lifted by Reprice.
	items := cart("0.01 x 1", "100.00 x 1")
	_, err = receipt.Balance(receipt.ApplyDiscount(items, dec("60")), receipt.DiscountedTotal(items, dec("60")))
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "items[0].amount.value", ve.Field)
}
