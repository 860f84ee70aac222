package receipt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// line is a compact expectation: "price x quantity".
func lines(items []yookassa.ReceiptItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Amount.Value.StringFixed(2) + " x " + it.Quantity.String()
	}
	return out
}

// cart builds items from "price x quantity" strings.
func cart(specs ...string) []yookassa.ReceiptItem {
	items := make([]yookassa.ReceiptItem, len(specs))
	for i, s := range specs {
		price, qty, ok := strings.Cut(s, " x ")
		if !ok {
			panic("bad spec " + s)
		}
		items[i] = item(fmt.Sprintf("Item %d", i), price, qty)
	}
	return items
}

func snapshot(t *testing.T, items []yookassa.ReceiptItem) string {
	t.Helper()
	b, err := json.Marshal(items)
	require.NoError(t, err)
	return string(b)
}

func TestBalance(t *testing.T) {
	tests := []struct {
		name   string
		items  []yookassa.ReceiptItem
		target string
		want   []string
	}{
		{"already balanced", cart("2700.00 x 1", "900.00 x 2"), "4500", []string{"2700.00 x 1", "900.00 x 2"}},
		{"split one unit up", cart("333.33 x 3"), "1000.00", []string{"333.33 x 2", "333.34 x 1"}},
		{"split one unit down", cart("300.00 x 3"), "899.99", []string{"300.00 x 2", "299.99 x 1"}},
		{"split two units", cart("10.00 x 5"), "50.02", []string{"10.00 x 3", "10.01 x 2"}},
		{"whole line when the residue covers it", cart("10.00 x 2"), "20.02", []string{"10.01 x 2"}},
		{
			"quantity-1 lines first, highest price first",
			cart("100.00 x 1", "50.00 x 3", "200.00 x 1"), "450.02",
			[]string{"100.01 x 1", "50.00 x 3", "200.01 x 1"},
		},
		{
			"then whole lines by price, the last one split",
			cart("5.00 x 3", "10.00 x 2"), "35.03",
			[]string{"5.00 x 2", "5.01 x 1", "10.01 x 2"},
		},
		{"ties by position", cart("100.00 x 1", "100.00 x 1"), "200.01", []string{"100.01 x 1", "100.00 x 1"}},
		{"quantity 1.000 counts as 1", cart("1.00 x 1.000", "1.00 x 2"), "3.01", []string{"1.01 x 1", "1.00 x 2"}},
		{
			"never below 0.01",
			cart("0.01 x 1", "0.01 x 1", "5.00 x 1"), "5.01",
			[]string{"0.01 x 1", "0.01 x 1", "4.99 x 1"},
		},
		{"fractional lines are passed over", cart("100.00 x 1.5", "10.00 x 1"), "160.01", []string{"100.00 x 1.5", "10.01 x 1"}},
		{
			"a fractional line widens the bound by a kopeck",
			cart("100.00 x 0.5", "10.00 x 1", "10.00 x 1", "10.00 x 1"), "80.03",
			[]string{"100.00 x 0.5", "10.01 x 1", "10.01 x 1", "10.01 x 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, tt.items)
			out, err := receipt.Balance(tt.items, dec(tt.target))
			require.NoError(t, err)
			assert.Equal(t, tt.want, lines(out))
			assert.True(t, receipt.Total(out).Equal(dec(tt.target)), "total %s", receipt.Total(out))
			assert.Equal(t, before, snapshot(t, tt.items), "input modified")
		})
	}
}

func TestBalanceKeepsFields(t *testing.T) {
	items := cart("1.00 x 1", "333.33 x 3")
	items[1].Supplier = &yookassa.Supplier{Name: "Supplier", INN: "1234567890"}
	items[1].Measure = yookassa.MeasureKilogram
	items[1].CountryOfOriginCode = "RU"
	items[1].PaymentSubjectIndustryDetails = []yookassa.IndustryDetails{{FederalID: "001", Value: "x"}}
	out, err := receipt.Balance(items, dec("1001.01"))
	require.NoError(t, err)
	require.Len(t, out, 3)
	assert.Equal(t, []string{"1.01 x 1", "333.33 x 2", "333.34 x 1"}, lines(out))
	for _, it := range out[1:] {
		assert.Equal(t, "Item 1", it.Description)
		assert.Equal(t, yookassa.CurrencyRUB, it.Amount.Currency)
		assert.Equal(t, yookassa.MeasureKilogram, it.Measure)
		assert.Equal(t, "RU", it.CountryOfOriginCode)
		assert.Same(t, items[1].Supplier, it.Supplier)
		assert.Equal(t, items[1].PaymentSubjectIndustryDetails, it.PaymentSubjectIndustryDetails)
	}
	assert.Equal(t, "3", items[1].Quantity.String(), "input quantity untouched")
}

func TestBalanceZeroResidueCopies(t *testing.T) {
	items := cart("10.00 x 1")
	out, err := receipt.Balance(items, dec("10"))
	require.NoError(t, err)
	out[0].Description = "changed"
	assert.Equal(t, "Item 0", items[0].Description, "the result must not share the input's array")
}

func TestBalanceMarkedLinesAreNotSplit(t *testing.T) {
	items := cart("10.00 x 3", "5.00 x 2")
	items[0].MarkCodeInfo = &yookassa.MarkCodeInfo{GS1M: "0104601234567890215abcde"}
	out, err := receipt.Balance(items, dec("40.01"))
	require.NoError(t, err)
	assert.Equal(t, []string{"10.00 x 3", "5.00 x 1", "5.01 x 1"}, lines(out))

	_, err = receipt.Balance(items[:1], dec("30.01"))
	require.ErrorIs(t, err, receipt.ErrCannotAbsorb)
	assert.Contains(t, err.Error(), "items[0] carry a marking code and are not split")

	// A marked line may still take a kopeck on every unit at once.
	pair := cart("10.00 x 2")
	pair[0].MarkCodeInfo = items[0].MarkCodeInfo
	out, err = receipt.Balance(pair, dec("20.02"))
	require.NoError(t, err)
	assert.Equal(t, []string{"10.01 x 2"}, lines(out))
}

func TestBalanceLineLimit(t *testing.T) {
	full := make([]string, receipt.MaxLines)
	for i := range full {
		full[i] = "1.00 x 2"
	}

	t.Run("a split past 100 lines is refused", func(t *testing.T) {
		_, err := receipt.Balance(cart(full...), dec("200.01"))
		var be *receipt.BalanceError
		require.ErrorAs(t, err, &be)
		assert.ErrorIs(t, err, receipt.ErrTooManyLines)
		assert.True(t, be.Residue.Equal(dec("0.01")))
		assert.Contains(t, err.Error(), "the receipt already has 100 lines (at most 100)")
	})

	t.Run("lines that would need a split are skipped", func(t *testing.T) {
		specs := append([]string{"9.00 x 3"}, full[1:]...)
		out, err := receipt.Balance(cart(specs...), dec("225.02"))
		require.NoError(t, err)
		require.Len(t, out, receipt.MaxLines)
		assert.Equal(t, "9.00 x 3", lines(out)[0])
		assert.Equal(t, "1.01 x 2", lines(out)[1])
		assert.True(t, receipt.Total(out).Equal(dec("225.02")))
	})

	t.Run("without room, the largest whole lines go first, quantity-1 lines fill", func(t *testing.T) {
		specs := append([]string{"5.00 x 1", "6.00 x 1", "1.00 x 3"}, full[3:]...)
		for i := 3; i < len(specs); i++ {
			specs[i] = "2.00 x 2"
		}
		items := cart(specs...)
		total := receipt.Total(items) // 5 + 6 + 3 + 97 x 4 = 402.00
		out, err := receipt.Balance(items, total.Add(dec("0.04")))
		require.NoError(t, err)
		assert.Equal(t, []string{"5.00 x 1", "6.01 x 1", "1.01 x 3", "2.00 x 2"}, lines(out)[:4])
		assert.Equal(t, lines(items)[4:], lines(out)[4:])

		// With room for a split, quantity-1 lines go first, then by price.
		out, err = receipt.Balance(items[:99], receipt.Total(items[:99]).Add(dec("0.04")))
		require.NoError(t, err)
		assert.Equal(t, []string{"5.01 x 1", "6.01 x 1", "1.00 x 3", "2.01 x 2", "2.00 x 2"}, lines(out)[:5])
	})

	t.Run("99 lines may still split", func(t *testing.T) {
		out, err := receipt.Balance(cart(full[1:]...), dec("198.01"))
		require.NoError(t, err)
		assert.Len(t, out, receipt.MaxLines)
	})
}

func TestBalanceErrors(t *testing.T) {
	tests := []struct {
		name   string
		items  []yookassa.ReceiptItem
		target decimal.Decimal
		kind   error  // a BalanceError kind, or nil for a ValidationError
		field  string // of the ValidationError
		msg    string // part of the message
	}{
		{"zero target", cart("1.00 x 1"), dec("0"), nil, "target", "must be positive"},
		{"negative target", cart("1.00 x 1"), dec("-1"), nil, "target", "must be positive"},
		{"target with a third decimal", cart("1.00 x 1"), dec("1.005"), nil, "target", "more than two decimal places"},
		{"huge target", cart("1.00 x 1"), dec("1e16"), nil, "target", "above 10^15"},
		{"target with a huge exponent", cart("1.00 x 1"), decimal.New(1, 2_000_000_000), nil, "target", "above 10^15"},
		{"no items", nil, dec("1"), nil, "items", "no items"},
		{"zero price", cart("0 x 1"), dec("1"), nil, "items[0].amount.value", "must be positive"},
		{"negative price", cart("1.00 x 1", "-1.00 x 1"), dec("1"), nil, "items[1].amount.value", "must be positive"},
		{"price with a third decimal", cart("1.005 x 1"), dec("1"), nil, "items[0].amount.value", "more than two decimal places"},
		{"price with a tiny exponent", []yookassa.ReceiptItem{{Amount: yookassa.RUB(decimal.New(1, -2_000_000_000)), Quantity: dec("1")}}, dec("1"), nil, "items[0].amount.value", "more than two decimal places"},
		{"zero quantity", cart("1.00 x 0"), dec("1"), nil, "items[0].quantity", "must be positive"},
		{"unset quantity", []yookassa.ReceiptItem{{Amount: yookassa.RUB(dec("1"))}}, dec("1"), nil, "items[0].quantity", "must be positive"},
		{"quantity with a fourth decimal", cart("1.00 x 1.0001"), dec("1"), nil, "items[0].quantity", "more than three decimal places"},
		{"huge quantity", cart("1.00 x 1e13"), dec("1"), nil, "items[0].quantity", "above 10^12"},
		{"huge line total", cart("1000000.00 x 1000000000000"), dec("1"), nil, "items", "total is above 10^15"},
		{
			"residue beyond rounding", cart("3000.00 x 1", "1000.00 x 2"), dec("4990.00"), receipt.ErrResidueTooLarge, "",
			"cannot balance to 4990.00: the items add up to 5000.00, residue -10.00: rounding these items' unit prices to kopecks explains at most 0.02",
		},
		{"one kopeck past the bound", cart("1.00 x 1", "1.00 x 1"), dec("2.03"), receipt.ErrResidueTooLarge, "", "explains at most 0.02"},
		{
			"only fractional lines", cart("100.00 x 1.5"), dec("150.01"), receipt.ErrCannotAbsorb, "",
			"0.01 is left after every line that can take a kopeck per unit has taken one; items[0] cannot take a kopeck: a fractional quantity",
		},
		{
			"every line at 0.01", cart("0.01 x 1", "0.01 x 1"), dec("0.01"), receipt.ErrCannotAbsorb, "",
			"items[0], items[1] already cost 0.01 per unit",
		},
		{
			"fractional and floor lines", cart("0.01 x 1", "0.01 x 1.5", "0.01 x 1", "0.01 x 1", "0.01 x 1"), dec("0.05"), receipt.ErrCannotAbsorb, "",
			"items[1] cannot take a kopeck: a fractional quantity turns it into a fraction of a kopeck; items[0], items[2], items[3] and 1 more already cost 0.01 per unit",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := receipt.Balance(tt.items, tt.target)
			require.Error(t, err)
			assert.Nil(t, out)
			assert.Contains(t, err.Error(), tt.msg)
			if tt.kind == nil {
				var ve *yookassa.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field)
				return
			}
			var be *receipt.BalanceError
			require.ErrorAs(t, err, &be)
			assert.ErrorIs(t, err, tt.kind)
			assert.Same(t, tt.kind, be.Kind)
			assert.True(t, be.Target.Equal(tt.target))
			assert.True(t, be.Residue.Equal(be.Target.Sub(be.Total)))
			assert.True(t, be.Total.Equal(receipt.Total(tt.items)))
		})
	}
}

// The bound is |residue| <= (sum of quantities)/2 + fractional lines + 1
// kopecks: pin both sides of it.
func TestBalanceBound(t *testing.T) {
	tests := []struct {
		items []yookassa.ReceiptItem
		max   string // the largest residue accepted, either way
	}{
		{cart("10.00 x 1"), "0.01"},                             // 1/2 + 1 = 1.5
		{cart("10.00 x 2"), "0.02"},                             // 2/2 + 1
		{cart("10.00 x 7"), "0.04"},                             // 7/2 + 1 = 4.5
		{cart("10.00 x 2", "10.00 x 1.5", "10.00 x 2"), "0.04"}, // 5.5/2 + 1 + 1 = 4.75
	}
	for _, tt := range tests {
		total := receipt.Total(tt.items)
		max := dec(tt.max)
		for _, sign := range []int64{1, -1} {
			delta := max.Mul(decimal.NewFromInt(sign))
			_, err := receipt.Balance(tt.items, total.Add(delta))
			assert.NoError(t, err, "%v by %s", lines(tt.items), delta)
			delta = delta.Add(dec("0.01").Mul(decimal.NewFromInt(sign)))
			_, err = receipt.Balance(tt.items, total.Add(delta))
			assert.ErrorIs(t, err, receipt.ErrResidueTooLarge, "%v by %s", lines(tt.items), delta)
		}
	}
}

func TestBalanceErrorUnwrap(t *testing.T) {
	err := error(&receipt.BalanceError{Kind: receipt.ErrCannotAbsorb, Reason: "why"})
	assert.True(t, errors.Is(err, receipt.ErrCannotAbsorb))
	assert.False(t, errors.Is(err, receipt.ErrResidueTooLarge))
	assert.Equal(t, "receipt: cannot balance to 0.00: the items add up to 0.00, residue 0.00: why", err.Error())
}
