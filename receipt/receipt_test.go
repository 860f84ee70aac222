package receipt_test

import (
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTotal(t *testing.T) {
	tests := []struct {
		items []yookassa.ReceiptItem
		want  string
	}{
		{nil, "0.00"},
		{cart("2700.00 x 1", "900.00 x 2"), "4500.00"},
		// Each line is rounded before the sum: 0.333 -> 0.33, three times.
		{cart("1.00 x 0.333", "1.00 x 0.333", "1.00 x 0.333"), "0.99"},
		{cart("0.01 x 0.5"), "0.01"}, // half away from zero
	}
	for _, tt := range tests {
		got := receipt.Total(tt.items)
		assert.Equal(t, tt.want, got.StringFixed(2), "%v", lines(tt.items))
		assert.True(t, got.Equal(yookassa.ReceiptTotal(tt.items)))
	}
}

func TestValidate(t *testing.T) {
	r := yookassa.ReceiptData{
		Customer: &yookassa.Customer{Phone: "79000000000"},
		Items:    cart("2700.00 x 1", "900.00 x 2"),
	}
	require.NoError(t, receipt.Validate(r, yookassa.RUB(dec("4500"))))

	var ve *yookassa.ValidationError
	require.ErrorAs(t, receipt.Validate(r, yookassa.RUB(dec("4500.01"))), &ve)
	assert.Equal(t, "items", ve.Field)

	r.Items = cart("2700.00 x 1", "900.00 x 0")
	require.ErrorAs(t, receipt.Validate(r, yookassa.RUB(dec("2700"))), &ve)
	assert.Equal(t, "items[1].quantity", ve.Field)

	r.Customer = nil
	require.ErrorAs(t, receipt.Validate(r, yookassa.RUB(dec("2700"))), &ve)
	assert.Equal(t, "customer", ve.Field)
}

func TestScale(t *testing.T) {
	paid := cart("2700.00 x 1", "900.00 x 2")
	tests := []struct {
		name   string
		items  []yookassa.ReceiptItem
		target string
		want   []string
	}{
		{"seed: three quarters", paid, "3375", []string{"2025.00 x 1", "675.00 x 2"}},
		{"seed: half", paid, "2250", []string{"1350.00 x 1", "450.00 x 2"}},
		{"everything", paid, "4500.00", []string{"2700.00 x 1", "900.00 x 2"}},
		{"a third, balanced", cart("10.00 x 1", "10.00 x 1", "10.00 x 1"), "10.00", []string{"3.34 x 1", "3.33 x 1", "3.33 x 1"}},
		{"a split after scaling", cart("10.00 x 3"), "10.00", []string{"3.33 x 2", "3.34 x 1"}},
		{
			// 4.937..., 0.967... and 4.575... round to 4.94, 0.97 and 4.58
			// (10.49): the kopeck comes off the price rounded up most.
			"true remainder decides", cart("16.49 x 1", "3.23 x 1", "15.28 x 1"), "10.48",
			[]string{"4.94 x 1", "0.97 x 1", "4.57 x 1"},
		},
		{
			// 0.00001 becomes 0.01, and the kopeck it adds is taken back.
			"a price that rounds to zero is lifted", cart("1000.00 x 1", "0.01 x 1"), "1.00",
			[]string{"0.99 x 1", "0.01 x 1"},
		},
		{"a cent", cart("0.01 x 1"), "0.01", []string{"0.01 x 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, tt.items)
			out, err := receipt.Scale(tt.items, dec(tt.target))
			require.NoError(t, err)
			assert.Equal(t, tt.want, lines(out))
			assert.True(t, receipt.Total(out).Equal(dec(tt.target)))
			assert.Equal(t, before, snapshot(t, tt.items), "input modified")
		})
	}
}

func TestScaleErrors(t *testing.T) {
	tests := []struct {
		name   string
		items  []yookassa.ReceiptItem
		target string
		kind   error
		field  string
		msg    string
	}{
		{"above the total", cart("2700.00 x 1", "900.00 x 2"), "4500.01", nil, "target", "4500.01 is more than the items' total 4500.00"},
		{"zero", cart("2700.00 x 1"), "0", nil, "target", "must be positive"},
		{"negative", cart("2700.00 x 1"), "-1", nil, "target", "must be positive"},
		{"third decimal", cart("2700.00 x 1"), "1.001", nil, "target", "more than two decimal places"},
		{"bad item", cart("2700.00 x 1", "1.001 x 1"), "1", nil, "items[1].amount.value", "more than two decimal places"},
		{"no items", nil, "1", nil, "items", "no items"},
		{"below a kopeck per unit", cart("0.01 x 3"), "0.02", receipt.ErrCannotAbsorb, "", "already cost 0.01 per unit"},
		{
			// 100.01 x 75.01 / 150.02 = 50.005 -> 50.01, and 1.5 x 50.01 = 75.015 -> 75.02.
			"only a fractional line", cart("100.01 x 1.5"), "75.01", receipt.ErrCannotAbsorb, "",
			"items[0] cannot take a kopeck: a fractional quantity",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := receipt.Scale(tt.items, dec(tt.target))
			require.Error(t, err)
			assert.Nil(t, out)
			assert.Contains(t, err.Error(), tt.msg)
			if tt.kind == nil {
				var ve *yookassa.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tt.field, ve.Field)
				return
			}
			assert.ErrorIs(t, err, tt.kind)
		})
	}
}

func TestSelect(t *testing.T) {
	items := cart("3000.00 x 1", "1000.00 x 2", "250.00 x 1.5")
	items[1].Supplier = &yookassa.Supplier{Name: "Supplier"}
	before := snapshot(t, items)

	out, err := receipt.Select(items, []receipt.Pick{{Line: 1, Quantity: dec("1")}})
	require.NoError(t, err)
	assert.Equal(t, []string{"1000.00 x 1"}, lines(out))
	assert.Equal(t, "Item 1", out[0].Description)
	assert.Same(t, items[1].Supplier, out[0].Supplier)

	// The order of items, not of picks; whole lines and fractions allowed.
	out, err = receipt.Select(items, []receipt.Pick{
		{Line: 2, Quantity: dec("0.75")},
		{Line: 0, Quantity: dec("1")},
		{Line: 1, Quantity: dec("2.000")},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"3000.00 x 1", "1000.00 x 2", "250.00 x 0.75"}, lines(out))
	assert.Equal(t, []string{"Item 0", "Item 1", "Item 2"}, []string{out[0].Description, out[1].Description, out[2].Description})
	assert.Equal(t, before, snapshot(t, items), "input modified")

	out[0].Description = "changed"
	assert.Equal(t, "Item 0", items[0].Description)
}

func TestSelectErrors(t *testing.T) {
	items := cart("3000.00 x 1", "1000.00 x 2", "1.00 x 0")
	one := dec("1")
	tests := []struct {
		name  string
		picks []receipt.Pick
		field string
		msg   string
	}{
		{"nothing", nil, "picks", "nothing picked"},
		{"index too large", []receipt.Pick{{Line: 3, Quantity: one}}, "picks[0].line", "is 3, the receipt has lines 0-2"},
		{"negative index", []receipt.Pick{{Line: 0, Quantity: one}, {Line: -1, Quantity: one}}, "picks[1].line", "is -1"},
		{"zero quantity", []receipt.Pick{{Line: 0}}, "picks[0].quantity", "must be positive"},
		{"negative quantity", []receipt.Pick{{Line: 0, Quantity: dec("-1")}}, "picks[0].quantity", "must be positive"},
		{"fourth decimal", []receipt.Pick{{Line: 1, Quantity: dec("1.0001")}}, "picks[0].quantity", "more than three decimal places"},
		{"huge exponent", []receipt.Pick{{Line: 1, Quantity: decimal.New(1, 2_000_000_000)}}, "picks[0].quantity", "above 10^12"},
		{"more than the line has", []receipt.Pick{{Line: 1, Quantity: dec("2.001")}}, "picks[0].quantity", "is 2.001, line 1 has only 2"},
		{"a malformed line", []receipt.Pick{{Line: 2, Quantity: one}}, "items[2].quantity", "must be positive"},
		{
			"picked twice", []receipt.Pick{{Line: 1, Quantity: one}, {Line: 0, Quantity: one}, {Line: 1, Quantity: one}},
			"picks[2].line", "line 1 is already picked by picks[0]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := receipt.Select(items, tt.picks)
			assert.Nil(t, out)
			var ve *yookassa.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Contains(t, ve.Reason, tt.msg)
		})
	}
}
