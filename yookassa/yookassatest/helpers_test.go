package yookassatest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/spectest"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

var fast = yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

func dec(s string) decimal.Decimal        { return decimal.RequireFromString(s) }
func rub(s string) yookassa.Amount        { return yookassa.RUB(dec(s)) }
func amountPtr(s string) *yookassa.Amount { a := rub(s); return &a }

func newSim(t testing.TB, opts ...yookassatest.Option) (*yookassatest.Server, *yookassa.Client) {
	t.Helper()
	s := yookassatest.NewServer(opts...)
	t.Cleanup(s.Close)
	return s, s.Client(fast, yookassa.WithHTTPClient(validated(t)))
}

// validated is an HTTP client that records every exchange and, when the
// test ends, validates each answer against YooKassa's specification (if
// the specification is at hand), so that every test of the package checks
// the simulator's answers too.
func validated(t testing.TB) *http.Client {
	rec := &recorder{next: http.DefaultTransport}
	t.Cleanup(func() {
		spec, ok := spectest.Find()
		if !ok {
			return
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		for _, e := range rec.log {
			if err := spec.ValidateResponse(e.method, e.path, e.status, e.header, e.body); err != nil {
				t.Errorf("answer outside the specification: %v", err)
			}
		}
	})
	return &http.Client{Transport: rec}
}

// seedCart is the receipt of seed 003: 3,000 x 1 and 1,000 x 2.
func seedCart() *yookassa.ReceiptData {
	return &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items: []yookassa.ReceiptItem{
			{Description: "Product 1", Amount: rub("3000.00"), VatCode: yookassa.Vat20, Quantity: dec("1")},
			{Description: "Product 2", Amount: rub("1000.00"), VatCode: yookassa.Vat20, Quantity: dec("2")},
		},
	}
}

func sberLoan(amount string, capture bool) *yookassa.PaymentRequest {
	return &yookassa.PaymentRequest{
		Amount:            rub(amount),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		Description:       "Order No. 37",
		Metadata:          map[string]string{"order_id": "37"},
		Capture:           capture,
	}
}

func create(t testing.TB, c *yookassa.Client, req *yookassa.PaymentRequest) *yookassa.Payment {
	t.Helper()
	p, err := c.CreatePayment(context.Background(), req)
	require.NoError(t, err)
	return p
}

func get(t testing.TB, c *yookassa.Client, id string) *yookassa.Payment {
	t.Helper()
	p, err := c.GetPayment(context.Background(), id)
	require.NoError(t, err)
	return p
}

func requireAPIError(t testing.TB, err error, status int, parameter string) *yookassa.APIError {
	t.Helper()
	var apiErr *yookassa.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, status, apiErr.StatusCode, "%v", err)
	if parameter != "" {
		require.Equal(t, parameter, apiErr.Parameter, "%v", err)
	}
	return apiErr
}

// rawPost posts body as it is to url, past the client's own checks, with a
// fresh Idempotence-Key, and returns the status and the answer.
func rawPost(t testing.TB, url, user, password, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth(user, password)
	req.Header.Set("Idempotence-Key", uuid.NewString())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, raw
}
