package yookassatest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func TestIdempotence(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	key := yookassa.WithIdempotenceKey("order-37.pay")
	first, err := c.CreatePayment(ctx, sberLoan("5000.00", false), key)
	require.NoError(t, err)
	again, err := c.CreatePayment(ctx, sberLoan("5000.00", false), key)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "same key and body: the first result")
	assert.Len(t, s.Payments(), 1, "no second effect")

	_, err = c.CreatePayment(ctx, sberLoan("5000.01", false), key)
	requireAPIError(t, err, 400, "Idempotence-Key")

	// A capture replayed with its key does not capture twice or fail.
	require.NoError(t, s.Confirm(first.ID, "loan"))
	ck := yookassa.WithIdempotenceKey("order-37.capture")
	p1, err := c.CapturePayment(ctx, first.ID, nil, ck)
	require.NoError(t, err)
	p2, err := c.CapturePayment(ctx, first.ID, nil, ck)
	require.NoError(t, err)
	assert.Equal(t, p1.CapturedAt, p2.CapturedAt)
	_, err = c.CapturePayment(ctx, first.ID, nil)
	requireAPIError(t, err, 400, "")

	// Keys are forgotten after 24 hours of the simulator's clock.
	s.Advance(24 * time.Hour)
	third, err := c.CreatePayment(ctx, sberLoan("5000.00", false), key)
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, third.ID)
	assert.Len(t, s.Payments(), 2)
}

func TestErrorsRememberedUnderTheirKey(t *testing.T) {
	s, c := newSim(t)
	key := yookassa.WithIdempotenceKey("k-limits")
	_, err := c.CreatePayment(context.Background(), sberLoan("600000.01", false), key)
	first := requireAPIError(t, err, 400, "amount")
	_, err = c.CreatePayment(context.Background(), sberLoan("600000.01", false), key)
	second := requireAPIError(t, err, 400, "amount")
	assert.Equal(t, first.ID, second.ID, "the same answer, replayed")
	assert.Empty(t, s.Payments())
}

func TestAuthentication(t *testing.T) {
	s, _ := newSim(t)
	ctx := context.Background()
	wrong, err := yookassa.NewClient(s.ShopID(), "wrong", yookassa.WithBaseURL(s.URL()))
	require.NoError(t, err)
	_, err = wrong.GetPayment(ctx, "22c5d0f0-000f-5000-8000-13ece77bc6c1")
	requireAPIError(t, err, 401, "")
	assert.ErrorIs(t, err, yookassa.ErrInvalidCredentials)

	oauth := s.OAuthClient(fast)
	_, err = oauth.Me(ctx, nil)
	require.NoError(t, err, "an OAuth token works for the API")

	// Basic credentials cannot reach /webhooks even past the client's check.
	req, _ := http.NewRequest("GET", s.URL()+"/webhooks", nil)
	req.SetBasicAuth(s.ShopID(), s.SecretKey())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 403, resp.StatusCode)
}

func TestRawProtocolErrors(t *testing.T) {
	s, _ := newSim(t)
	do := func(method, path, contentType, key, body string) (int, string, string) {
		req, _ := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
		req.SetBasicAuth(s.ShopID(), s.SecretKey())
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if key != "" {
			req.Header.Set("Idempotence-Key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	status, ct, _ := do("DELETE", "/payments", "", "", "")
	assert.Equal(t, 405, status)
	assert.NotContains(t, ct, "json", "405 comes without YooKassa's object")
	status, _, _ = do("POST", "/payments", "text/plain", "k1", `{}`)
	assert.Equal(t, 415, status)
	status, _, body := do("POST", "/payments", "application/json", "", `{}`)
	assert.Equal(t, 400, status)
	assert.Contains(t, body, `"parameter":"Idempotence-Key"`)
	status, _, body = do("POST", "/payments", "application/json", "k2", `{"amount":`)
	assert.Equal(t, 400, status)
	assert.Contains(t, body, "invalid_request")
	status, ct, body = do("GET", "/payments/unknown", "", "", "")
	assert.Equal(t, 404, status)
	assert.Contains(t, ct, "application/json")
	assert.Contains(t, body, `"code":"not_found"`)
}

func TestListsFilterAndPage(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	var ids []string
	for i := range 25 {
		p := create(t, c, sberLoan(fmt.Sprintf("%d.00", 4000+i), true))
		ids = append(ids, p.ID)
		if i%5 == 0 {
			require.NoError(t, s.Confirm(p.ID, "loan"))
		}
		s.Advance(time.Minute)
	}
	first, err := c.ListPayments(ctx, &yookassa.PaymentListParams{Limit: 10})
	require.NoError(t, err)
	require.Len(t, first.Items, 10)
	assert.Equal(t, ids[24], first.Items[0].ID, "newest first")
	assert.NotEmpty(t, first.NextCursor)

	var all []string
	for p, err := range c.Payments(ctx, &yookassa.PaymentListParams{Limit: 7}) {
		require.NoError(t, err)
		all = append(all, p.ID)
	}
	require.Len(t, all, 25)
	for i, id := range all {
		assert.Equal(t, ids[24-i], id)
	}

	var succeeded int
	for p, err := range c.Payments(ctx, &yookassa.PaymentListParams{Status: yookassa.PaymentStatusSucceeded}) {
		require.NoError(t, err)
		assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
		succeeded++
	}
	assert.Equal(t, 5, succeeded)

	window, err := c.ListPayments(ctx, &yookassa.PaymentListParams{
		CreatedAtGTE: time.Date(2026, 11, 1, 10, 3, 0, 0, time.UTC), CreatedAtLT: time.Date(2026, 11, 1, 10, 6, 0, 0, time.UTC)})
	require.NoError(t, err)
	require.Len(t, window.Items, 3)
	assert.Equal(t, ids[5], window.Items[0].ID)

	_, err = c.ListPayments(ctx, &yookassa.PaymentListParams{Cursor: "bogus"})
	requireAPIError(t, err, 400, "cursor")
}

func TestReceiptsEndpoint(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	p := create(t, c, sberLoan("5000.00", true))
	require.NoError(t, s.Confirm(p.ID, "loan"))
	r, err := c.CreateReceipt(ctx, &yookassa.ReceiptRequest{
		Type: yookassa.ReceiptTypePayment, PaymentID: p.ID, Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items:       []yookassa.ReceiptItem{{Description: "Delivery", Amount: rub("5000.00"), VatCode: 1, Quantity: dec("1"), PaymentMode: yookassa.PaymentModeFullPayment}},
		Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPrepayment, Amount: rub("5000.00")}},
	})
	require.NoError(t, err)
	assert.Len(t, r.ID, 39)
	assert.Equal(t, yookassa.ReceiptStatusSucceeded, r.Status)
	got, err := c.GetReceipt(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, r.Items[0].Description, got.Items[0].Description)

	_, err = c.CreateReceipt(ctx, &yookassa.ReceiptRequest{Type: yookassa.ReceiptTypePayment, PaymentID: "22c5d0f0-000f-5000-8000-000000000000",
		Customer: &yookassa.Customer{Email: "b@e.com"}, Items: r.Items, Settlements: r.Settlements})
	requireAPIError(t, err, 400, "payment_id")
	_, err = c.GetReceipt(ctx, "rt-22c5d0f0-000f-5000-8000-000000000000")
	assert.ErrorIs(t, err, yookassa.ErrNotFound)
}

func TestWebhooksAPI(t *testing.T) {
	s, _ := newSim(t)
	c := s.OAuthClient(fast)
	ctx := context.Background()
	w, err := c.CreateWebhook(ctx, &yookassa.WebhookRequest{Event: yookassa.EventPaymentSucceeded, URL: "https://shop.example/hook"})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(w.ID, "wh-"))
	_, err = c.CreateWebhook(ctx, &yookassa.WebhookRequest{Event: yookassa.EventPaymentSucceeded, URL: "https://shop.example/other"})
	requireAPIError(t, err, 400, "event")
	list, err := c.ListWebhooks(ctx)
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	require.NoError(t, c.DeleteWebhook(ctx, w.ID))
	assert.ErrorIs(t, c.DeleteWebhook(ctx, w.ID), yookassa.ErrNotFound)
	list, err = c.ListWebhooks(ctx)
	require.NoError(t, err)
	assert.Empty(t, list.Items)
}

func TestMe(t *testing.T) {
	_, c := newSim(t)
	me, err := c.Me(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, yookassatest.DefaultShopID, me.AccountID)
	assert.Contains(t, me.PaymentMethods, yookassa.PaymentMethodSberLoan)
}
