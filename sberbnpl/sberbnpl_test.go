package sberbnpl_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/leaktest"
	"github.com/creditpay/yookassa-go/sberbnpl"
	"github.com/creditpay/yookassa-go/yookassa"
)

func d(s string) decimal.Decimal   { return decimal.RequireFromString(s) }
func rub(s string) yookassa.Amount { return yookassa.RUB(d(s)) }

func load(t *testing.T, name string) *yookassa.Payment {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	var p yookassa.Payment
	require.NoError(t, json.Unmarshal(raw, &p))
	return &p
}

func TestDefaultLimits(t *testing.T) {
	l := sberbnpl.DefaultLimits()
	assert.Equal(t, "1000.00", l.Min.StringFixed(2))
	assert.Equal(t, "50000.00", l.Max.StringFixed(2))
	l.Max = d("1")
	assert.Equal(t, "50000.00", sberbnpl.DefaultLimits().Max.StringFixed(2), "a copy per call")
	assert.True(t, sberbnpl.Limits{}.IsZero())
}

func TestCheckAmount(t *testing.T) {
	wide := sberbnpl.Config{Limits: sberbnpl.Limits{Min: d("1000"), Max: d("150000")}}
	cases := []struct {
		name   string
		cfg    sberbnpl.Config
		amount string
		missed string // "" accepted
	}{
		{"the minimum", sberbnpl.Config{}, "1000.00", ""},
		{"a kopeck under", sberbnpl.Config{}, "999.99", "0.01"},
		{"the maximum", sberbnpl.Config{}, "50000.00", ""},
		{"a kopeck over", sberbnpl.Config{}, "50000.01", "0.01"},
		{"the old maximum", sberbnpl.Config{}, "150000.00", "100000.00"},
		{"zero", sberbnpl.Config{}, "0", "1000.00"},
		{"the old maximum by contract", wide, "150000.00", ""},
		{"over the contract", wide, "150000.50", "0.50"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.CheckAmount(rub(tc.amount))
			if tc.missed == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sberbnpl.ErrLimit)
			var le *sberbnpl.LimitError
			require.True(t, errors.As(err, &le))
			assert.Equal(t, "payment", le.Op)
			assert.Equal(t, "amount", le.Field)
			assert.Equal(t, tc.missed, le.Missed().StringFixed(2))
			assert.Contains(t, le.Error(), tc.missed+" RUB")
			var ve *yookassa.ValidationError
			assert.False(t, errors.As(err, &ve), "one error type per error")
		})
	}

	err := sberbnpl.Config{}.CheckAmount(yookassa.Amount{Value: d("5000"), Currency: "USD"})
	require.ErrorIs(t, err, sberbnpl.ErrCurrency)
	var fe *sberbnpl.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "amount.currency", fe.Field)

	var ve *yookassa.ValidationError
	require.True(t, errors.As(sberbnpl.Config{}.CheckAmount(rub("1000.001")), &ve))
	assert.Equal(t, "amount.value", ve.Field)
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		limits sberbnpl.Limits
		field  string
	}{
		{"zero is the default", sberbnpl.Limits{}, ""},
		{"negative minimum", sberbnpl.Limits{Min: d("-1"), Max: d("50000")}, "Limits.Min"},
		{"no maximum", sberbnpl.Limits{Min: d("1000")}, "Limits.Max"},
		{"fractions of kopecks", sberbnpl.Limits{Min: d("1000.001"), Max: d("50000")}, "Limits.Min"},
		{"minimum above maximum", sberbnpl.Limits{Min: d("60000"), Max: d("50000")}, "Limits.Min"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sberbnpl.Config{Limits: tc.limits}
			err := c.Validate()
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, sberbnpl.ErrConfig)
			var fe *sberbnpl.FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tc.field, fe.Field)
			assert.ErrorIs(t, c.CheckAmount(rub("5000")), sberbnpl.ErrConfig, "every check validates the config")
		})
	}
}

func TestNewPaymentWire(t *testing.T) {
	req, err := sberbnpl.Config{}.NewPayment(sberbnpl.PaymentParams{
		Amount: rub("1000.00"), ReturnURL: "https://www.example.com/return_url", Phone: "79000000000",
		Description: "Заказ №72", Capture: true,
	})
	require.NoError(t, err)
	got, err := json.Marshal(req)
	require.NoError(t, err)
	want, err := os.ReadFile(filepath.Join("testdata", "payment_request_phone.json"))
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "the documented request")

	// The documented request decodes and passes the rules as it is.
	var back yookassa.PaymentRequest
	require.NoError(t, json.Unmarshal(want, &back))
	require.NoError(t, sberbnpl.Config{}.CheckPaymentRequest(&back))
}

func TestCheckRequest(t *testing.T) {
	base := func() *yookassa.PaymentRequest {
		return &yookassa.PaymentRequest{
			Amount:            rub("5000"),
			PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberBNPL},
			Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		}
	}
	require.NoError(t, sberbnpl.CheckRequest(base()))
	cases := []struct {
		field string
		f     func(*yookassa.PaymentRequest)
	}{
		{"save_payment_method", func(r *yookassa.PaymentRequest) { r.SavePaymentMethod = true }},
		{"payment_method_id", func(r *yookassa.PaymentRequest) { r.PaymentMethodID = "2ab1f6d2-000f-5000-8000-1a1b2c3d4e5f" }},
		{"payment_token", func(r *yookassa.PaymentRequest) { r.PaymentToken = "token" }},
		{"airline", func(r *yookassa.PaymentRequest) { r.Airline = &yookassa.Airline{} }},
		{"transfers", func(r *yookassa.PaymentRequest) { r.Transfers = []yookassa.TransferRequest{{}} }},
		{"deal", func(r *yookassa.PaymentRequest) { r.Deal = &yookassa.Deal{} }},
		{"payment_method_data.type", func(r *yookassa.PaymentRequest) { r.PaymentMethodData = nil }},
		{"payment_method_data.type", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.Type = yookassa.PaymentMethodSberLoan }},
		{"payment_method_data", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.PaymentPurpose = "x" }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation = nil }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation.Type = yookassa.ConfirmationEmbedded }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation.Type = yookassa.ConfirmationQR }},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			r := base()
			tc.f(r)
			err := sberbnpl.CheckRequest(r)
			require.ErrorIs(t, err, sberbnpl.ErrNotAccepted)
			assert.NotErrorIs(t, err, yookassa.ErrForbidden)
			var fe *sberbnpl.FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tc.field, fe.Field)
			assert.ErrorIs(t, sberbnpl.Config{}.CheckPaymentRequest(r), sberbnpl.ErrNotAccepted)
		})
	}
	r := base()
	r.Amount.Currency = "EUR"
	assert.ErrorIs(t, sberbnpl.CheckRequest(r), sberbnpl.ErrCurrency)
	assert.ErrorIs(t, sberbnpl.CheckRequest(nil), sberbnpl.ErrNotAccepted)
}

func TestCheckPhone(t *testing.T) {
	for _, ok := range []string{"", "79000000000", "7900", "790000000000000"} {
		assert.NoError(t, sberbnpl.CheckPhone(ok), ok)
	}
	for _, bad := range []string{"+79000000000", "7 900 000 00 00", "8-900-000-00-00", "790", "7900000000000000", "７9000000000", "79000000000\n"} {
		err := sberbnpl.CheckPhone(bad)
		var ve *yookassa.ValidationError
		require.True(t, errors.As(err, &ve), "%q", bad)
		assert.Equal(t, "payment_method_data.phone", ve.Field)
		assert.NotContains(t, err.Error(), strings.TrimSpace(bad), "the number is personal data")

		_, err = sberbnpl.Config{}.NewPayment(sberbnpl.PaymentParams{Amount: rub("1000"), ReturnURL: "https://shop.example/r", Phone: bad})
		require.True(t, errors.As(err, &ve), "%q", bad)
	}
}

func held(t *testing.T) *yookassa.Payment {
	p := load(t, "payment_pending.json")
	p.Status = yookassa.PaymentStatusWaitingForCapture
	p.Paid = true
	expires := p.CreatedAt.Add(time.Hour + sberbnpl.HoldPeriod)
	p.ExpiresAt = &expires
	return p
}

func TestCheckCapture(t *testing.T) {
	p := held(t)
	now := p.CreatedAt.Add(2 * time.Hour)
	require.NoError(t, sberbnpl.CheckCapture(p, nil, now), "full")
	require.NoError(t, sberbnpl.CheckCapture(p, &yookassa.Amount{Value: d("600"), Currency: "RUB"}, now), "partial")
	require.NoError(t, sberbnpl.CheckCapture(p, &yookassa.Amount{Value: d("0.01"), Currency: "RUB"}, now), "a kopeck")

	for _, amount := range []string{"1000.01", "0", "-5"} {
		a := rub(amount)
		err := sberbnpl.CheckCapture(p, &a, now)
		var le *sberbnpl.LimitError
		require.True(t, errors.As(err, &le), amount)
		assert.Equal(t, "capture", le.Op)
		assert.Equal(t, "1000.00", le.Max.StringFixed(2))
	}
	usd := yookassa.Amount{Value: d("600"), Currency: "USD"}
	assert.ErrorIs(t, sberbnpl.CheckCapture(p, &usd, now), sberbnpl.ErrCurrency)

	err := sberbnpl.CheckCapture(p, nil, *p.ExpiresAt)
	assert.ErrorIs(t, err, sberbnpl.ErrHoldExpired)
	var pe *sberbnpl.PaymentError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, p.ID, pe.PaymentID)

	assert.ErrorIs(t, sberbnpl.CheckCapture(load(t, "payment_succeeded.json"), nil, now), sberbnpl.ErrWrongStatus)
	loan := held(t)
	loan.PaymentMethod.Type = yookassa.PaymentMethodSberLoan
	assert.ErrorIs(t, sberbnpl.CheckCapture(loan, nil, now), sberbnpl.ErrNotBNPL)
	assert.ErrorIs(t, sberbnpl.CheckCapture(nil, nil, now), sberbnpl.ErrNotBNPL)
}

func TestCheckRefund(t *testing.T) {
	p := load(t, "payment_succeeded.json")
	deadline := sberbnpl.RefundDeadline(p.CreatedAt)
	assert.Equal(t, time.Date(2022, 4, 13, 9, 25, 13, 87e6, time.UTC), deadline.UTC(), "one calendar year")

	require.NoError(t, sberbnpl.CheckRefund(p, rub("1000.00"), deadline), "full, on the last moment")
	require.NoError(t, sberbnpl.CheckRefund(p, rub("250.00"), p.CreatedAt), "partial")

	err := sberbnpl.CheckRefund(p, rub("1000.00"), deadline.Add(time.Millisecond))
	assert.ErrorIs(t, err, sberbnpl.ErrRefundExpired)
	assert.Contains(t, err.Error(), "2022-04-13T09:25:13Z")

	p.RefundedAmount = &yookassa.Amount{Value: d("400"), Currency: "RUB"}
	err = sberbnpl.CheckRefund(p, rub("600.50"), p.CreatedAt)
	var le *sberbnpl.LimitError
	require.True(t, errors.As(err, &le))
	assert.Equal(t, "refund", le.Op)
	assert.Equal(t, "600.00", le.Max.StringFixed(2))
	assert.Equal(t, "0.50", le.Missed().StringFixed(2))
	assert.Contains(t, err.Error(), "0.50 RUB over the maximum 600.00 RUB")

	p.RefundedAmount = &yookassa.Amount{Value: d("1000"), Currency: "RUB"}
	p.Refundable = false
	assert.ErrorIs(t, sberbnpl.CheckRefund(p, rub("0.01"), p.CreatedAt), sberbnpl.ErrWrongStatus)
	assert.ErrorIs(t, sberbnpl.CheckRefund(held(t), rub("1"), p.CreatedAt), sberbnpl.ErrWrongStatus)
	assert.ErrorIs(t, sberbnpl.CheckRefund(load(t, "payment_pending.json"), rub("1"), p.CreatedAt), sberbnpl.ErrWrongStatus)
}

// Every error of the package is exactly one of its types, and its kind is
// what errors.Is says.
func TestErrorIdiom(t *testing.T) {
	errs := map[error]error{
		&sberbnpl.FieldError{Kind: sberbnpl.ErrNotAccepted, Field: "deal"}:    sberbnpl.ErrNotAccepted,
		&sberbnpl.PaymentError{Kind: sberbnpl.ErrHoldExpired, PaymentID: "x"}: sberbnpl.ErrHoldExpired,
	}
	for err, kind := range errs {
		assert.ErrorIs(t, err, kind)
		assert.Same(t, errors.Unwrap(err), errors.Unwrap(err), "Unwrap returns a stored value")
		var ve *yookassa.ValidationError
		assert.False(t, errors.As(err, &ve))
	}
}

func TestPaymentParamsPrintNoBuyerData(t *testing.T) {
	const phone, ip, customer = "79001234567", "203.0.113.77", "buyer@example.com"
	p := sberbnpl.PaymentParams{Amount: yookassa.RUB(d("4500.00")), ReturnURL: "https://shop.example/return", Phone: phone,
		Description: "Order 37", ClientIP: ip, MerchantCustomerID: customer, Receipt: &yookassa.ReceiptData{
			Customer: &yookassa.Customer{Phone: phone, Email: customer}}}
	assert.Empty(t, leaktest.Leaks([]string{phone, ip, customer}, p, &p))
	assert.Contains(t, leaktest.Prints(p)["%v"], "4500.00 RUB")
}
