package sberloan_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/creditpay/yookassa-go/internal/leaktest"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPaymentMatchesSeedRequest(t *testing.T) {
	req, err := seedConfig().NewPayment(sberloan.PaymentParams{
		Amount:      rub("5000.00"),
		ReturnURL:   "https://www.example.com/return_url",
		Description: "Order No. 37",
		Metadata:    map[string]string{"order_id": "37"},
	})
	require.NoError(t, err)
	got, err := json.Marshal(req)
	require.NoError(t, err)
	want, err := os.ReadFile("testdata/payment_request.json")
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	require.NoError(t, sberloan.CheckRequest(req))
}

func TestNewPaymentWithReceiptAndCapture(t *testing.T) {
	req, err := seedConfig().NewPayment(sberloan.PaymentParams{
		Amount:    rub("5000.00"),
		ReturnURL: "https://shop.example/return",
		Receipt:   seedReceipt(),
		Capture:   true,
		Locale:    "en_US",
	})
	require.NoError(t, err)
	assert.True(t, req.Capture)
	require.NotNil(t, req.Receipt)
	assert.Len(t, req.Receipt.Items, 2)
	assert.Equal(t, yookassa.PaymentMethodSberLoan, req.PaymentMethodData.Type)
	assert.Equal(t, yookassa.ConfirmationRedirect, req.Confirmation.Type)
	assert.Equal(t, "https://shop.example/return", req.Confirmation.ReturnURL)
	assert.Equal(t, yookassa.LocaleEnUS, req.Confirmation.Locale)
	b, err := json.Marshal(req)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"capture":true`)
}

func TestNewPaymentRefusals(t *testing.T) {
	ok := sberloan.PaymentParams{Amount: rub("5000.00"), ReturnURL: "https://shop.example/return"}
	with := func(f func(p *sberloan.PaymentParams)) sberloan.PaymentParams { p := ok; f(&p); return p }
	cases := []struct {
		name   string
		params sberloan.PaymentParams
		want   error
	}{
		{"under the installment minimum", with(func(p *sberloan.PaymentParams) { p.Amount = rub("3299.99") }), sberloan.ErrLimit},
		{"over the maximum", with(func(p *sberloan.PaymentParams) { p.Amount = rub("600000.01") }), sberloan.ErrLimit},
		{"dollars", with(func(p *sberloan.PaymentParams) { p.Amount = yookassa.Amount{Value: d("5000"), Currency: "USD"} }), sberloan.ErrCurrency},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := seedConfig().NewPayment(tc.params)
			assert.Nil(t, req)
			assert.ErrorIs(t, err, tc.want)
		})
	}

	// yookassa's own validation runs too.
	var ve *yookassa.ValidationError
	for name, p := range map[string]sberloan.PaymentParams{
		"no return URL":        with(func(p *sberloan.PaymentParams) { p.ReturnURL = "" }),
		"relative return URL":  with(func(p *sberloan.PaymentParams) { p.ReturnURL = "/return" }),
		"fractional kopecks":   with(func(p *sberloan.PaymentParams) { p.Amount = rub("5000.001") }),
		"receipt does not fit": with(func(p *sberloan.PaymentParams) { p.Amount = rub("4999.99"); p.Receipt = seedReceipt() }),
		"description too long": with(func(p *sberloan.PaymentParams) { p.Description = string(make([]byte, 129)) }),
		"bad locale":           with(func(p *sberloan.PaymentParams) { p.Locale = "de_DE" }),
		"too many metadata keys": with(func(p *sberloan.PaymentParams) {
			p.Metadata = map[string]string{}
			for i := range 17 {
				p.Metadata[string(rune('a'+i))] = "x"
			}
		}),
	} {
		req, err := seedConfig().NewPayment(p)
		assert.Nil(t, req, name)
		assert.True(t, errors.As(err, &ve), "%s: %v", name, err)
	}
}

func TestCheckRequest(t *testing.T) {
	base := func() *yookassa.PaymentRequest {
		return &yookassa.PaymentRequest{
			Amount:            rub("5000.00"),
			PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
			Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/"},
		}
	}
	require.NoError(t, sberloan.CheckRequest(base()))
	cases := []struct {
		field string
		f     func(r *yookassa.PaymentRequest)
	}{
		{"save_payment_method", func(r *yookassa.PaymentRequest) { r.SavePaymentMethod = true }},
		{"payment_method_id", func(r *yookassa.PaymentRequest) { r.PaymentMethodID = "2e2d9f4b-000f-5000-8000-18db351245c7" }},
		{"payment_token", func(r *yookassa.PaymentRequest) { r.PaymentToken = "token" }},
		{"airline", func(r *yookassa.PaymentRequest) { r.Airline = &yookassa.Airline{BookingReference: "IIIKRV"} }},
		{"transfers", func(r *yookassa.PaymentRequest) {
			r.Transfers = []yookassa.TransferRequest{{AccountID: "123", Amount: rub("5000.00")}}
		}},
		{"deal", func(r *yookassa.PaymentRequest) {
			r.Deal = &yookassa.Deal{ID: "dl-2e2d9f4b-000f-5000-8000-18db351245c7"}
		}},
		{"payment_method_data.type", func(r *yookassa.PaymentRequest) { r.PaymentMethodData = nil }},
		{"payment_method_data.type", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.Type = yookassa.PaymentMethodBankCard }},
		{"payment_method_data", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.Phone = "79000000000" }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation = nil }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation.Type = yookassa.ConfirmationEmbedded }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation.Type = yookassa.ConfirmationQR }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation.Type = yookassa.ConfirmationExternal }},
		{"confirmation.type", func(r *yookassa.PaymentRequest) { r.Confirmation.Type = yookassa.ConfirmationMobileApplication }},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			r := base()
			tc.f(r)
			err := sberloan.CheckRequest(r)
			require.ErrorIs(t, err, sberloan.ErrNotAccepted)
			assert.NotErrorIs(t, err, yookassa.ErrForbidden, "a rule of the method, not an HTTP 403")
			var re *sberloan.FieldError
			require.True(t, errors.As(err, &re))
			assert.Equal(t, tc.field, re.Field)
			var ve *yookassa.ValidationError
			assert.False(t, errors.As(err, &ve))
			// The config-aware check refuses it as well.
			assert.ErrorIs(t, seedConfig().CheckPaymentRequest(r), sberloan.ErrNotAccepted)
		})
	}
	assert.ErrorIs(t, sberloan.CheckRequest(nil), sberloan.ErrNotAccepted)
	r := base()
	r.Amount.Currency = "EUR"
	assert.ErrorIs(t, sberloan.CheckRequest(r), sberloan.ErrCurrency)
}

func TestCheckPaymentRequestLimits(t *testing.T) {
	c := sberloan.Config{Tariffs: map[sberloan.Option]decimal.Decimal{"installments_3": d("4.5"), "installments_12": d("10")}}
	r := &yookassa.PaymentRequest{
		Amount:            rub("3250.00"),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/"},
	}
	assert.ErrorIs(t, c.CheckPaymentRequest(r), sberloan.ErrLimit)
	r.Amount = rub("3300.00")
	assert.NoError(t, c.CheckPaymentRequest(r))
}

func TestPaymentParamsPrintNoBuyerData(t *testing.T) {
	const ip, customer, phone = "203.0.113.77", "buyer@example.com", "79001234567"
	p := sberloan.PaymentParams{Amount: rub("5000.00"), ReturnURL: "https://www.example.com/return_url", Description: "Order No. 37",
		ClientIP: ip, MerchantCustomerID: customer, Receipt: &yookassa.ReceiptData{Customer: &yookassa.Customer{Phone: phone}}}
	assert.Empty(t, leaktest.Leaks([]string{ip, customer, phone}, p, &p))
	assert.Contains(t, leaktest.Prints(p)["%v"], "5000.00 RUB")
}
