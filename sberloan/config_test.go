package sberloan_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedConfig is the merchant of seed 003: a 10% twelve-month installment
// plan and a 3.5% commission.
func seedConfig() sberloan.Config {
	return sberloan.Config{
		Limits:            sberloan.DefaultLimits(),
		Tariffs:           map[sberloan.Option]decimal.Decimal{"installments_12": d("10")},
		CommissionPercent: d("3.5"),
	}
}

func rub(s string) yookassa.Amount { return yookassa.RUB(d(s)) }

func TestDefaultLimits(t *testing.T) {
	assert.Equal(t, "3000.00", sberloan.DefaultLimits().MinLoan.StringFixed(2))
	assert.Equal(t, "600000.00", sberloan.DefaultLimits().Max.StringFixed(2))
	assert.Equal(t, "3000.00", sberloan.DefaultLimits().MinPartialCapture.StringFixed(2))
	// A zero Limits stands for the defaults.
	var c sberloan.Config
	require.NoError(t, c.Validate())
	assert.Equal(t, "3000.00", c.MinAmount().StringFixed(2))
	assert.NoError(t, c.CheckAmount(rub("600000.00")))
	assert.ErrorIs(t, c.CheckAmount(rub("600000.01")), sberloan.ErrLimit)
}

func TestConfigValidate(t *testing.T) {
	tariffs := func(kv ...string) map[sberloan.Option]decimal.Decimal {
		m := map[sberloan.Option]decimal.Decimal{}
		for i := 0; i < len(kv); i += 2 {
			m[sberloan.Option(kv[i])] = d(kv[i+1])
		}
		return m
	}
	lim := func(minLoan, maxA, minCapture string) sberloan.Limits {
		return sberloan.Limits{MinLoan: d(minLoan), Max: d(maxA), MinPartialCapture: d(minCapture)}
	}
	cases := []struct {
		name  string
		cfg   sberloan.Config
		field string // "" means valid
	}{
		{"seed", seedConfig(), ""},
		{"zero value", sberloan.Config{}, ""},
		{"several tariffs", sberloan.Config{Tariffs: tariffs("installments_3", "4.5", "installments_6", "7", "installments_12", "10")}, ""},
		{"zero percent tariff", sberloan.Config{Tariffs: tariffs("installments_3", "0")}, ""},
		{"tariff 99.99", sberloan.Config{Tariffs: tariffs("installments_3", "99.99"), Limits: lim("3000", "1500000", "3000")}, ""},
		{"new maximum", sberloan.Config{Limits: lim("3000", "1500000", "3000")}, ""},
		{"commission 0", sberloan.Config{CommissionPercent: d("0")}, ""},
		{"VAT 22 on 3.5", sberloan.Config{CommissionPercent: d("3.5"), CommissionVATPercent: d("22")}, ""},
		{"commission and VAT just under everything", sberloan.Config{CommissionPercent: d("80"), CommissionVATPercent: d("24.99")}, ""},
		{"commission 99.999", sberloan.Config{CommissionPercent: d("99.999")}, ""},

		{"loan in tariffs", sberloan.Config{Tariffs: tariffs("loan", "0")}, `Tariffs["loan"]`},
		{"malformed tariff key", sberloan.Config{Tariffs: tariffs("installments_012", "5")}, `Tariffs["installments_012"]`},
		{"unknown tariff key", sberloan.Config{Tariffs: tariffs("credit", "5")}, `Tariffs["credit"]`},
		{"empty tariff key", sberloan.Config{Tariffs: tariffs("", "5")}, `Tariffs[""]`},
		{"tariff 100", sberloan.Config{Tariffs: tariffs("installments_3", "100")}, `Tariffs["installments_3"]`},
		{"negative tariff", sberloan.Config{Tariffs: tariffs("installments_3", "-1")}, `Tariffs["installments_3"]`},
		{"tariff with 3 decimals", sberloan.Config{Tariffs: tariffs("installments_3", "4.125")}, `Tariffs["installments_3"]`},
		{"commission 100", sberloan.Config{CommissionPercent: d("100")}, "CommissionPercent"},
		{"VAT negative", sberloan.Config{CommissionPercent: d("3.5"), CommissionVATPercent: d("-22")}, "CommissionVATPercent"},
		{"VAT 100", sberloan.Config{CommissionPercent: d("3.5"), CommissionVATPercent: d("100")}, "CommissionVATPercent"},
		{"commission and VAT take everything", sberloan.Config{CommissionPercent: d("90"), CommissionVATPercent: d("12")}, "CommissionVATPercent"},
		{"negative commission", sberloan.Config{CommissionPercent: d("-0.1")}, "CommissionPercent"},
		{"zero min loan", sberloan.Config{Limits: lim("0", "600000", "3000")}, "Limits.MinLoan"},
		{"negative max", sberloan.Config{Limits: lim("3000", "-1", "3000")}, "Limits.Max"},
		{"zero min capture", sberloan.Config{Limits: lim("3000", "600000", "0")}, "Limits.MinPartialCapture"},
		{"min above max", sberloan.Config{Limits: lim("700000", "600000", "3000")}, "Limits.MinLoan"},
		{"capture min above max", sberloan.Config{Limits: lim("3000", "600000", "700000")}, "Limits.MinPartialCapture"},
		{"limit with 3 decimals", sberloan.Config{Limits: lim("3000.001", "600000", "3000")}, "Limits.MinLoan"},
		{"installment minimum above max", sberloan.Config{Limits: lim("3000", "3100", "3000"), Tariffs: tariffs("installments_3", "10")}, "Tariffs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, sberloan.ErrConfig)
			var ce *sberloan.FieldError
			require.True(t, errors.As(err, &ce))
			assert.Equal(t, tc.field, ce.Field)
			assert.Equal(t, sberloan.ErrConfig, ce.Kind)

			// Every method that depends on the config refuses it too.
			assert.ErrorIs(t, tc.cfg.CheckAmount(rub("5000")), sberloan.ErrConfig)
			assert.ErrorIs(t, tc.cfg.CheckCapture(rub("5000"), rub("4000")), sberloan.ErrConfig)
			_, err = tc.cfg.NewPayment(sberloan.PaymentParams{Amount: rub("5000"), ReturnURL: "https://example.com/"})
			assert.ErrorIs(t, err, sberloan.ErrConfig)
			_, err = tc.cfg.Read(loadPayment(t, "payment_succeeded_loan.json"))
			assert.ErrorIs(t, err, sberloan.ErrConfig)
		})
	}
}

func TestMinAmount(t *testing.T) {
	cases := []struct {
		name    string
		limits  sberloan.Limits
		tariffs map[sberloan.Option]decimal.Decimal
		want    string
	}{
		{"no tariffs", sberloan.Limits{}, nil, "3000.00"},
		{"seed 10%", sberloan.Limits{}, map[sberloan.Option]decimal.Decimal{"installments_12": d("10")}, "3300.00"},
		{"4.5% / 7% / 10%", sberloan.Limits{}, map[sberloan.Option]decimal.Decimal{
			"installments_3": d("4.5"), "installments_6": d("7"), "installments_12": d("10")}, "3300.00"},
		{"4.5% / 7%", sberloan.Limits{}, map[sberloan.Option]decimal.Decimal{
			"installments_3": d("4.5"), "installments_6": d("7")}, "3210.00"},
		{"4.5%", sberloan.Limits{}, map[sberloan.Option]decimal.Decimal{"installments_3": d("4.5")}, "3135.00"},
		{"0%", sberloan.Limits{}, map[sberloan.Option]decimal.Decimal{"installments_3": d("0")}, "3000.00"},
		{"0.01%", sberloan.Limits{}, map[sberloan.Option]decimal.Decimal{"installments_3": d("0.01")}, "3000.30"},
		// 3000.01 x 1.1 = 3300.011: rounded up, never down.
		{"rounds up", sberloan.Limits{MinLoan: d("3000.01"), Max: d("600000"), MinPartialCapture: d("3000")},
			map[sberloan.Option]decimal.Decimal{"installments_12": d("10")}, "3300.02"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sberloan.Config{Limits: tc.limits, Tariffs: tc.tariffs}
			require.NoError(t, c.Validate())
			got := c.MinAmount()
			assert.Equal(t, tc.want, got.StringFixed(2))
			assert.True(t, got.Equal(got.Round(2)))
			// The minimum is accepted and one kopeck less is not.
			assert.NoError(t, c.CheckAmount(yookassa.RUB(got)))
			assert.ErrorIs(t, c.CheckAmount(yookassa.RUB(got.Sub(d("0.01")))), sberloan.ErrLimit)
		})
	}
}

func TestCheckAmount(t *testing.T) {
	loanOnly := sberloan.Config{CommissionPercent: d("3.5")}
	withTariffs := sberloan.Config{Tariffs: map[sberloan.Option]decimal.Decimal{
		"installments_3": d("4.5"), "installments_6": d("7"), "installments_12": d("10")}}
	newMax := sberloan.Config{Limits: sberloan.Limits{MinLoan: d("3000"), Max: d("1500000"), MinPartialCapture: d("3000")}}
	cases := []struct {
		name     string
		cfg      sberloan.Config
		amount   yookassa.Amount
		min, max string // "" means accepted
	}{
		{"2,999.99 loan", loanOnly, rub("2999.99"), "3000", "600000"},
		{"3,000.00 loan", loanOnly, rub("3000.00"), "", ""},
		{"5,000.00 loan", loanOnly, rub("5000.00"), "", ""},
		{"600,000.00", loanOnly, rub("600000.00"), "", ""},
		{"600,000.01", loanOnly, rub("600000.01"), "3000", "600000"},
		{"zero", loanOnly, rub("0"), "3000", "600000"},
		{"negative", loanOnly, rub("-5000"), "3000", "600000"},
		{"3,000.00 with tariffs", withTariffs, rub("3000.00"), "3300", "600000"},
		{"3,299.99 with tariffs", withTariffs, rub("3299.99"), "3300", "600000"},
		{"3,300.00 with tariffs", withTariffs, rub("3300.00"), "", ""},
		{"600,000.00 with tariffs", withTariffs, rub("600000.00"), "", ""},
		{"600,000.01 with tariffs", withTariffs, rub("600000.01"), "3300", "600000"},
		{"1,500,000.00 new max", newMax, rub("1500000.00"), "", ""},
		{"1,500,000.01 new max", newMax, rub("1500000.01"), "3000", "1500000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.CheckAmount(tc.amount)
			if tc.min == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sberloan.ErrLimit)
			var le *sberloan.LimitError
			require.True(t, errors.As(err, &le))
			assert.Equal(t, "payment", le.Op)
			assert.True(t, le.Amount.Equal(tc.amount.Value), "Amount %s", le.Amount)
			assert.True(t, le.Min.Equal(d(tc.min)), "Min %s", le.Min)
			assert.True(t, le.Max.Equal(d(tc.max)), "Max %s", le.Max)
			assert.Equal(t, "amount", le.Field)
			// The message says by how much the limit was missed.
			assert.True(t, le.Missed().Sign() > 0, "Missed %s", le.Missed())
			assert.Contains(t, le.Error(), le.Missed().StringFixed(2)+" RUB")
			// One error type per error: an errors.As switch does not depend
			// on the order of its cases.
			var ve *yookassa.ValidationError
			assert.False(t, errors.As(err, &ve))
		})
	}
}

func TestCheckAmountCurrency(t *testing.T) {
	c := seedConfig()
	for _, cur := range []string{"USD", "EUR", "KZT", "rub", ""} {
		err := c.CheckAmount(yookassa.Amount{Value: d("5000"), Currency: cur})
		require.ErrorIs(t, err, sberloan.ErrCurrency, cur)
		var ce *sberloan.FieldError
		require.True(t, errors.As(err, &ce))
		assert.Equal(t, "amount.currency", ce.Field)
		assert.Contains(t, ce.Reason, fmt.Sprintf("%q", cur))
		var ve *yookassa.ValidationError
		assert.False(t, errors.As(err, &ve))
	}
	err := c.CheckAmount(rub("5000.001"))
	var ve *yookassa.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "amount.value", ve.Field)
}

func TestCheckCapture(t *testing.T) {
	c := seedConfig()
	cases := []struct {
		name          string
		paid, capture string
		ok            bool
	}{
		{"full 4,500", "4500.00", "4500.00", true},
		{"three quarters 3,375", "4500.00", "3375.00", true},
		{"partial at the minimum", "4500.00", "3000.00", true},
		{"partial under the minimum", "4500.00", "2999.99", false},
		{"over the paid amount", "4500.00", "4500.01", false},
		{"zero", "4500.00", "0", false},
		{"negative", "4500.00", "-1", false},
		// Created at the 3,300 minimum and paid by installments at 10%:
		// only the full capture is possible.
		{"full under the partial minimum", "2970.00", "2970.00", true},
		{"partial of a small payment", "2970.00", "2000.00", false},
		{"600,000 full", "600000.00", "600000.00", true},
		{"600,000 partial", "600000.00", "599999.99", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := c.CheckCapture(rub(tc.paid), rub(tc.capture))
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sberloan.ErrLimit)
			var le *sberloan.LimitError
			require.True(t, errors.As(err, &le))
			assert.Equal(t, "capture", le.Op)
			assert.Equal(t, "3000.00", le.Min.StringFixed(2))
			assert.Equal(t, tc.paid, le.Max.StringFixed(2))
			assert.True(t, le.Amount.Equal(d(tc.capture)), "Amount %s", le.Amount)
			assert.Contains(t, le.Error(), "capture")
		})
	}
	assert.ErrorIs(t, c.CheckCapture(rub("4500"), yookassa.Amount{Value: d("3375"), Currency: "USD"}), sberloan.ErrCurrency)
	assert.ErrorIs(t, c.CheckCapture(yookassa.Amount{Value: d("4500"), Currency: "EUR"}, rub("3375")), sberloan.ErrCurrency)
}
