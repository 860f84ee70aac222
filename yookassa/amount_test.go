package yookassa_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

func TestAmountWireForm(t *testing.T) {
	for in, want := range map[string]string{
		"5000":    `{"value":"5000.00","currency":"RUB"}`,
		"4342.5":  `{"value":"4342.50","currency":"RUB"}`,
		"0.01":    `{"value":"0.01","currency":"RUB"}`,
		"0":       `{"value":"0.00","currency":"RUB"}`,
		"1000000": `{"value":"1000000.00","currency":"RUB"}`,
	} {
		out, err := json.Marshal(rub(in))
		require.NoError(t, err)
		assert.Equal(t, want, string(out))
	}
	for body, want := range map[string]string{
		`{"value":"5000.00","currency":"RUB"}`: "5000",
		`{"value":5000.5,"currency":"RUB"}`:    "5000.5",
		`{"value":" 12.30 ","currency":"RUB"}`: "12.3",
	} {
		var a yookassa.Amount
		require.NoError(t, json.Unmarshal([]byte(body), &a), body)
		assert.True(t, a.Value.Equal(dec(want)), body)
		assert.Equal(t, "RUB", a.Currency)
	}
	assert.Equal(t, "4342.50 RUB", rub("4342.5").String())
}

func TestParseAmount(t *testing.T) {
	a, err := yookassa.ParseAmount("949.91", "RUB")
	require.NoError(t, err)
	assert.Equal(t, "949.91 RUB", a.String())
	a, err = yookassa.ParseAmount("5000.000", "RUB")
	require.NoError(t, err, "trailing zeros are not extra precision")
	assert.True(t, a.Value.Equal(dec("5000")))
	for _, bad := range []string{"", "949.905", "1e3", "-1", "+1", "1,5", ".5", "5.", "0x10", "NaN", "١٢", " 1"} {
		_, err := yookassa.ParseAmount(bad, "RUB")
		var ve *yookassa.ValidationError
		require.ErrorAs(t, err, &ve, "%q", bad)
		assert.Equal(t, "value", ve.Field)
	}
	_, err = yookassa.ParseAmount("1.00", "XXX")
	var ve *yookassa.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "currency", ve.Field)
}

func TestQuantityWireForm(t *testing.T) {
	it := item("Coffee", "1.00", "1.500")
	out, err := json.Marshal(it)
	require.NoError(t, err)
	assert.JSONEq(t, `{"description":"Coffee","amount":{"value":"1.00","currency":"RUB"},"vat_code":4,"quantity":1.5}`, string(out))
	assert.Contains(t, string(out), `"quantity":1.5`, "a JSON number, not a string")

	var back yookassa.ReceiptItem
	require.NoError(t, json.Unmarshal(out, &back))
	assert.True(t, back.Quantity.Equal(dec("1.5")))
	require.NoError(t, json.Unmarshal([]byte(`{"quantity":"2.000","vat_code":"4"}`), &back))
	assert.True(t, back.Quantity.Equal(dec("2")))
	assert.Equal(t, yookassa.Vat20, back.VatCode)
}

func TestAmountEquality(t *testing.T) {
	assert.True(t, rub("1.5").Equal(rub("1.50")))
	assert.False(t, rub("1.5").Equal(yookassa.Amount{Value: dec("1.5"), Currency: "EUR"}))
	assert.True(t, yookassa.Amount{}.IsZero())
	assert.False(t, rub("0").IsZero())
}

func TestParseAmountIsClosedUnderItsOwnFormat(t *testing.T) {
	// Found by FuzzParseAmount: a 30-digit value parsed, but its two-decimal
	// form was refused as too long.
	for _, v := range []string{"100000000000000000000000000000", "99999999999999999999.99", "000000000000000000000000000000000000012.10"} {
		a, err := yookassa.ParseAmount(v, "RUB")
		if err != nil {
			var ve *yookassa.ValidationError
			require.ErrorAs(t, err, &ve, v)
			continue
		}
		back, err := yookassa.ParseAmount(a.Value.StringFixed(2), "RUB")
		require.NoError(t, err, v)
		assert.True(t, back.Equal(a), v)
	}
	_, err := yookassa.ParseAmount("100000000000000000000", "RUB")
	assert.Error(t, err, "10^20 is beyond any sum of money")
}

// TestExciseIsADecimal: the excise of a receipt item is a decimal, written
// with two decimals, read from a string or a number, and checked like money.
func TestExciseIsADecimal(t *testing.T) {
	for _, in := range []string{`"20.00"`, `"20"`, `20`, `20.0`} {
		var it yookassa.ReceiptItem
		require.NoError(t, json.Unmarshal([]byte(`{"description":"x","quantity":1,"vat_code":1,"amount":{"value":"1.00","currency":"RUB"},"excise":`+in+`}`), &it), in)
		require.NotNil(t, it.Excise, in)
		assert.True(t, it.Excise.Equal(dec("20")), in)
		out, err := json.Marshal(it)
		require.NoError(t, err)
		assert.Contains(t, string(out), `"excise":"20.00"`)
	}
	it := item("x", "1.00", "1")
	out, err := json.Marshal(it)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "excise", "nil is omitted")
	for _, bad := range []string{"-1.00", "0.001"} {
		e := dec(bad)
		it.Excise = &e
		var ve *yookassa.ValidationError
		require.ErrorAs(t, (&yookassa.ReceiptData{Customer: &yookassa.Customer{Email: "a@b.c"}, Items: []yookassa.ReceiptItem{it}}).Validate(rub("1.00")), &ve, bad)
		assert.Equal(t, "items[0].excise", ve.Field)
	}
}
