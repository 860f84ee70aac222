package yookassatest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/sberbnpl"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

var bnplStart = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

func bnpl(amount string, capture bool) *yookassa.PaymentRequest {
	return &yookassa.PaymentRequest{
		Amount:            rub(amount),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberBNPL, Phone: "79000000000"},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		Description:       "Order No. 72",
		Capture:           capture,
	}
}

// rawCreate posts a payment body as it is, past the client's own checks,
// and returns the status and YooKassa's error parameter.
func rawCreate(t *testing.T, s *yookassatest.Server, body string) (int, string) {
	t.Helper()
	status, raw := rawPost(t, s.URL()+"/payments", s.ShopID(), s.SecretKey(), body)
	var e struct {
		Parameter string `json:"parameter"`
	}
	_ = json.Unmarshal(raw, &e)
	return status, e.Parameter
}

func TestBNPLCreationRules(t *testing.T) {
	s, _ := newSim(t)
	const ok = `{"amount":{"value":"1000.00","currency":"RUB"},"payment_method_data":{"type":"sber_bnpl","phone":"79000000000"},
		"confirmation":{"type":"redirect","return_url":"https://www.example.com/return_url"},"capture":true,"description":"Заказ №72"}`
	status, _ := rawCreate(t, s, ok)
	require.Equal(t, http.StatusOK, status, "the documented request")

	cases := []struct{ name, from, to, parameter string }{
		{"under the minimum", `"1000.00"`, `"999.99"`, "amount"},
		{"over the 50,000 maximum", `"1000.00"`, `"50000.01"`, "amount"},
		{"the old 150,000 maximum", `"1000.00"`, `"150000.00"`, "amount"},
		{"saving the method", `"capture":true`, `"capture":true,"save_payment_method":true`, "save_payment_method"},
		{"embedded confirmation", `{"type":"redirect","return_url":"https://www.example.com/return_url"}`, `{"type":"embedded"}`, "confirmation.type"},
		{"safe deal", `"capture":true`, `"capture":true,"deal":{"id":"dl-2e4b6c8a-0001-5000-8000-000000000001","settlements":[{"type":"payout","amount":{"value":"900.00","currency":"RUB"}}]}`, "deal"},
		{"phone with a plus", `"79000000000"`, `"+79000000000"`, "payment_method_data.phone"},
		{"phone of 16 digits", `"79000000000"`, `"7900000000000000"`, "payment_method_data.phone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.Replace(ok, tc.from, tc.to, 1)
			require.NotEqual(t, ok, body)
			status, parameter := rawCreate(t, s, body)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tc.parameter, parameter)
		})
	}

	// The limits are the merchant's contract.
	wide, _ := newSim(t, yookassatest.WithBNPLLimits(sberbnpl.Limits{Min: dec("1000"), Max: dec("150000")}))
	status, _ = rawCreate(t, wide, strings.Replace(ok, `"1000.00"`, `"150000.00"`, 1))
	assert.Equal(t, http.StatusOK, status)
	assert.True(t, wide.BNPLConfig().Limits.Max.Equal(dec("150000")))
}

func TestBNPLPayDeadline(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(bnplStart))
	p := create(t, c, bnpl("5000.00", true))
	assert.Equal(t, yookassa.PaymentMethodSberBNPL, p.PaymentMethod.Type)
	assert.Equal(t, yookassa.PaymentMethodStatusInactive, p.PaymentMethod.Status)
	assert.False(t, p.PaymentMethod.Saved)
	assert.Equal(t, s.CheckoutURL(p.ID), p.Confirmation.ConfirmationURL)

	s.Advance(sberbnpl.PaymentDeadline - time.Second)
	assert.Equal(t, yookassa.PaymentStatusPending, get(t, c, p.ID).Status, "a second before the hour is up")
	s.Advance(time.Second)
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusCanceled, p.Status)
	assert.Equal(t, yookassa.ReasonExpiredOnConfirmation, p.CancellationDetails.Reason)
	assert.ErrorIs(t, s.Confirm(p.ID, ""), yookassatest.ErrNotPending)
}

func TestBNPLHoldExpiry(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(bnplStart))
	p := create(t, c, bnpl("5000.00", false))
	require.NoError(t, s.Confirm(p.ID, ""))
	p = get(t, c, p.ID)
	require.Equal(t, yookassa.PaymentStatusWaitingForCapture, p.Status)
	require.NotNil(t, p.ExpiresAt)
	assert.Equal(t, sberbnpl.HoldPeriod, p.ExpiresAt.Sub(s.Now()), "held for seven days")

	s.Advance(sberbnpl.HoldPeriod - time.Second)
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, get(t, c, p.ID).Status)
	s.Advance(time.Second)
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusCanceled, p.Status)
	assert.Equal(t, yookassa.ReasonExpiredOnCapture, p.CancellationDetails.Reason)
	_, err := c.CapturePayment(context.Background(), p.ID, nil)
	requireAPIError(t, err, http.StatusBadRequest, "")
}

func TestBNPLPartialCaptureAndRefunds(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(bnplStart))
	ctx := context.Background()
	p := create(t, c, bnpl("1000.00", false))
	require.NoError(t, s.Confirm(p.ID, ""))

	// More than was held is refused before anything changes.
	_, err := c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("1000.01")})
	requireAPIError(t, err, http.StatusBadRequest, "amount")

	// A partial capture: the partner lowers the buyer's parts.
	s.Advance(6 * 24 * time.Hour)
	p, err = c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("600.00")})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Equal(t, "600.00", p.Amount.Value.StringFixed(2))
	assert.True(t, p.Refundable)

	// Partial refunds, then the rest; nothing beyond.
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("100.00")})
	require.NoError(t, err)
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("500.01")})
	requireAPIError(t, err, http.StatusBadRequest, "amount")
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("500.00")})
	require.NoError(t, err)
	p = get(t, c, p.ID)
	assert.Equal(t, "600.00", p.RefundedAmount.Value.StringFixed(2))
	assert.False(t, p.Refundable)
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("0.01")})
	requireAPIError(t, err, http.StatusBadRequest, "payment_id")

	// The package's own checks agree with the simulator.
	assert.ErrorIs(t, sberbnpl.CheckRefund(p, rub("0.01"), s.Now()), sberbnpl.ErrWrongStatus)
}

func TestBNPLRefundPeriod(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(bnplStart))
	ctx := context.Background()
	p := create(t, c, bnpl("3000.00", true))
	require.NoError(t, s.Confirm(p.ID, ""))
	deadline := sberbnpl.RefundDeadline(p.CreatedAt)
	assert.Equal(t, time.Date(2027, 5, 4, 12, 0, 0, 0, time.UTC), deadline.UTC())

	s.Advance(deadline.Sub(s.Now()))
	_, err := c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("1000.00")})
	require.NoError(t, err, "on the last moment of the year")

	s.Advance(time.Second)
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("1000.00")})
	apiErr := requireAPIError(t, err, http.StatusBadRequest, "payment_id")
	assert.Contains(t, apiErr.Description, "refund period")
}

func TestBNPLCheckoutPage(t *testing.T) {
	_, c := newSim(t)
	p := create(t, c, bnpl("5000.00", false))
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	resp, err := noRedirect.Get(p.Confirmation.ConfirmationURL)
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, string(page), "Плати частями")
	assert.Contains(t, string(page), `value="pay"`)
	assert.NotContains(t, string(page), "Loan from SberBank")
	assert.NotContains(t, string(page), "79000000000", "the phone is personal data")

	resp, err = noRedirect.PostForm(p.Confirmation.ConfirmationURL, url.Values{"choice": {"pay"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "https://shop.example/return", resp.Header.Get("Location"))
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, get(t, c, p.ID).Status)
}
