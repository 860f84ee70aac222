package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/dbtest"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// env is a shop mounted on a test server, wired to a simulator exactly as
// main wires them: notifications from YooKassa's 185.71.76.1 through a
// proxy on loopback, which the shop trusts.
type env struct {
	t       *testing.T
	sim     *yookassatest.Server
	shop    *shop
	handler http.Handler
	url     string
	http    *http.Client
}

// fastRetries keeps the tests quick when a fault makes the client retry.
var fastRetries = yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})

func newEnv(t *testing.T, tweak ...func(*shopConfig)) *env {
	t.Helper()
	return newEnvOn(t, dbtest.SQLite, tweak...)
}

// newEnvOn is newEnv with the orders in a fresh database of kind k.
func newEnvOn(t *testing.T, k dbtest.Kind, tweak ...func(*shopConfig)) *env {
	t.Helper()
	// The listener exists before the simulator, which needs the webhook URL.
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	contract := merchantContract()
	sim := yookassatest.NewServer(
		yookassatest.WithWebhook(base+webhookPath),
		yookassatest.WithNotificationSource(netip.MustParseAddr("185.71.76.1")),
		yookassatest.WithTariffs(contract.Tariffs),
		yookassatest.WithCommission(contract.CommissionPercent),
		yookassatest.WithCommissionVAT(contract.CommissionVATPercent),
	)
	logs := &syncBuffer{}
	cfg := shopConfig{
		Client:         sim.Client(fastRetries),
		Loan:           contract,
		BaseURL:        base,
		TrustedProxies: loopback,
		Logger:         slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Database:       dbtest.NewDSN(t, k),
	}
	for _, f := range tweak {
		f(&cfg)
	}
	s, h, err := newShop(context.Background(), cfg)
	require.NoError(t, err)
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(func() {
		sim.Close()
		ts.Close()
		_ = s.Close()
		if t.Failed() {
			t.Log("shop log:\n" + logs.String())
		}
	})
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &env{t: t, sim: sim, shop: s, handler: h, url: base, http: &http.Client{Jar: jar, Timeout: time.Minute}}
}

// get fetches a page of the shop, following redirects.
func (e *env) get(p string) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.http.Get(e.url + p)
	require.NoError(e.t, err)
	return resp, readBody(e.t, resp)
}

// buy puts the cart's order and lands on the simulator's confirmation page.
func (e *env) buy(email string) (resp *http.Response, body, paymentID string) {
	e.t.Helper()
	resp, body = e.get("/")
	require.Equal(e.t, http.StatusOK, resp.StatusCode)
	resp, body = e.submit(resp, body, "/orders", "", url.Values{"email": {email}})
	require.Equal(e.t, http.StatusOK, resp.StatusCode, body)
	paymentID = path.Base(resp.Request.URL.Path)
	require.Equal(e.t, e.sim.CheckoutURL(paymentID), resp.Request.URL.String(), "redirected to the confirmation page")
	return resp, body, paymentID
}

// choose presses a button of the simulator's confirmation page and follows
// the 303 back to the shop; it returns the order page and the order ID.
func (e *env) choose(resp *http.Response, body, paymentID, choice string) (*http.Response, string, string) {
	e.t.Helper()
	resp, body = e.submit(resp, body, "/checkout/"+paymentID, choice, nil)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, body)
	require.True(e.t, strings.HasPrefix(resp.Request.URL.String(), e.url+"/orders/"), "back at the shop: %s", resp.Request.URL)
	return resp, body, path.Base(resp.Request.URL.Path)
}

// submit sends the form of page whose action ends with action, pressing the
// button with the given value ("" for a form's only button), with its
// hidden fields and extra.
func (e *env) submit(page *http.Response, body, action, button string, extra url.Values) (*http.Response, string) {
	e.t.Helper()
	for _, f := range parseForms(body) {
		if !strings.HasSuffix(f.action, action) {
			continue
		}
		values := url.Values{}
		for k, v := range f.fields {
			values[k] = v
		}
		if button != "" {
			name, ok := f.buttons[button]
			if !ok {
				continue
			}
			values.Set(name, button)
		}
		for k, v := range extra {
			values[k] = v
		}
		target, err := page.Request.URL.Parse(f.action)
		require.NoError(e.t, err)
		resp, err := e.http.PostForm(target.String(), values)
		require.NoError(e.t, err)
		return resp, readBody(e.t, resp)
	}
	e.t.Fatalf("no form %q with button %q in:\n%s", action, button, body)
	return nil, ""
}

// waitNotifications waits until the simulator has delivered everything and
// checks that the shop accepted every delivery at once.
// The deadline only stops a test that would otherwise hang.
func (e *env) waitNotifications() []yookassatest.Delivery {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(e.t, e.sim.WaitNotifications(ctx))
	ds := e.sim.Deliveries()
	for _, d := range ds {
		assert.True(e.t, d.Delivered, "%+v", d)
		assert.Equal(e.t, http.StatusOK, d.Status, "%+v", d)
		assert.Equal(e.t, 1, d.Attempts, "%+v", d)
	}
	return ds
}

func (e *env) payment(id string) *yookassa.Payment {
	e.t.Helper()
	p, ok := e.sim.Payment(id)
	require.True(e.t, ok, id)
	return p
}

// receipts returns the receipts the simulator registered for a payment.
func (e *env) receipts(paymentID string, typ yookassa.ReceiptType) []yookassa.Receipt {
	var out []yookassa.Receipt
	for _, r := range e.sim.Receipts() {
		if r.PaymentID == paymentID && r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// recorded is what the shop has recorded of an order.
func (e *env) recorded(orderID string) (yookassa.PaymentStatus, []string) {
	e.t.Helper()
	ctx := context.Background()
	o, err := e.shop.db.order(ctx, orderID)
	require.NoError(e.t, err)
	require.NotNil(e.t, o, orderID)
	notes, err := e.shop.db.notifications(ctx, orderID)
	require.NoError(e.t, err)
	return o.Status, notes
}

func lines(items []yookassa.ReceiptItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprintf("%s %s x %s", it.Description, it.Amount.Value.StringFixed(2), it.Quantity)
	}
	return out
}

func TestCheckoutInstallmentsCaptureAndRefund(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) { testInstallmentsCaptureAndRefund(t, newEnvOn(t, k)) })
	}
}

func testInstallmentsCaptureAndRefund(t *testing.T, e *env) {
	resp, body := e.get("/")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "Buy on credit from SberBank")
	assert.Equal(t, "5,000.00 RUB", field(body, "total"))

	resp, body, paymentID := e.buy("buyer@example.com")
	assert.Contains(t, body, `value="installments_12"`)
	_, body, orderID := e.choose(resp, body, paymentID, "installments_12")

	// The return page re-reads the payment.
	assert.Equal(t, "waiting_for_capture", field(body, "status"))
	assert.Contains(t, field(body, "option"), "installments_12")
	assert.Equal(t, "5,000.00 RUB", field(body, "original"))
	assert.Equal(t, "500.00 RUB", field(body, "discount"))
	assert.Equal(t, "4,500.00 RUB", field(body, "to-pay"))
	// The buyer's page shows what the buyer needs, not the shop's income or
	// its notification log.
	assert.NotContains(t, body, `id="income"`)
	assert.NotContains(t, body, "Notifications from YooKassa")
	p := e.payment(paymentID)
	assert.Equal(t, orderID, p.Metadata["order_id"])
	assert.False(t, p.Paid && p.Status == yookassa.PaymentStatusSucceeded, "two-stage: not captured yet")

	// The notification passed the webhook's checks and was recorded.
	ds := e.waitNotifications()
	require.Len(t, ds, 1)
	assert.Equal(t, "payment.waiting_for_capture", ds[0].Event)
	assert.Equal(t, paymentID, ds[0].ObjectID)
	status, notes := e.recorded(orderID)
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, status)
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0], "payment.waiting_for_capture: verified with YooKassa")

	// The operator's page has the facts: the income and the notifications.
	resp, body = e.get("/admin/orders/" + orderID)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "4,307.85 RUB", field(body, "income"), "4,500.00 less 3.5% and the 22% VAT on it")
	assert.Contains(t, body, "payment.waiting_for_capture: verified with YooKassa; payment status waiting_for_capture, 4,500.00 RUB")
	assert.Equal(t, "Credit approved: capture all or part of it, or cancel.", field(body, "state"))
	assert.NotContains(t, body, `id="message"`, "the buyer's message is not the operator's")

	// One unit of Product 2 (900.00 after the discount) is under SberBank's
	// minimum partial capture: refused before anything is sent, and logged
	// with a number of its own.
	resp, body = e.submit(resp, body, "/capture", "product2_unit", nil)
	assert.Contains(t, body, "A partial capture must be from 3,000.00 RUB to 4,500.00 RUB; this one would be 900.00 RUB.")
	assert.Contains(t, body, "<tr><td>1</td><td>capture one unit of Product 2</td><td>not sent</td>")
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, e.payment(paymentID).Status)

	// Three quarters of 4,500.00.
	resp, body = e.submit(resp, body, "/capture", "three_quarters", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "<tr><td>2</td><td>capture three quarters</td><td><code>order-"+orderID+".capture-2</code>")
	assert.NotContains(t, body, "Thank you", "the buyer's message is not the operator's")
	assert.Equal(t, "Captured.", field(body, "state"))
	assert.Contains(t, body, "Captured 3,375.00 RUB.")
	assert.Equal(t, "succeeded", field(body, "status"))
	assert.Equal(t, "3,375.00 RUB", field(body, "captured"))
	p = e.payment(paymentID)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Equal(t, "3375.00", p.Amount.Value.StringFixed(2))
	rs := e.receipts(paymentID, yookassa.ReceiptTypePayment)
	require.Len(t, rs, 1)
	assert.Equal(t, []string{"Product 1 2025.00 x 1", "Product 2 675.00 x 2"}, lines(rs[0].Items))

	// Half of what was captured.
	refundPage, refundBody := resp, body
	_, body = e.submit(refundPage, refundBody, "/refund", "half", nil)
	assert.Contains(t, body, "order-"+orderID+".refund-3")
	assert.Contains(t, body, "Refunded 1,687.50 RUB")
	assert.Equal(t, "1,687.50 RUB", field(body, "refunded"))
	refunds := e.sim.Refunds()
	require.Len(t, refunds, 1)
	assert.Equal(t, paymentID, refunds[0].PaymentID)
	assert.Equal(t, "1687.50", refunds[0].Amount.Value.StringFixed(2))
	rs = e.receipts(paymentID, yookassa.ReceiptTypeRefund)
	require.Len(t, rs, 1)
	assert.Equal(t, []string{"Product 1 1012.50 x 1", "Product 2 337.50 x 2"}, lines(rs[0].Items))
	assert.Equal(t, "1687.50", e.payment(paymentID).RefundedAmount.Value.StringFixed(2))

	// The same refund form sent again (a double click, the back button) is
	// refused: its operation number is used.
	_, body = e.submit(refundPage, refundBody, "/refund", "half", nil)
	assert.Contains(t, body, "<tr><td>4</td><td>refund half of the captured amount</td><td>not sent</td><td class=\"error\">Refused: this form was already sent or is out of date.")
	assert.Len(t, e.sim.Refunds(), 1)

	ds = e.waitNotifications()
	events := make([]string, len(ds))
	for i, d := range ds {
		events[i] = d.Event
	}
	assert.ElementsMatch(t, []string{"payment.waiting_for_capture", "payment.succeeded", "refund.succeeded"}, events)
	status, notes = e.recorded(orderID)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, status)
	assert.Len(t, notes, 3)
	_, body = e.get("/admin/orders/" + orderID)
	assert.Contains(t, body, "payment.succeeded: verified with YooKassa; payment status succeeded, 3,375.00 RUB")
	assert.Contains(t, body, "refund.succeeded: verified with YooKassa; refund "+refunds[0].ID+" of 1,687.50 RUB, status succeeded")
	_, body = e.get("/orders/" + orderID)
	assert.Contains(t, field(body, "message"), "Paid. Thank you for your order!")
	assert.Contains(t, body, "repay that part in SberBank Online")
	assert.NotContains(t, body, "verified with YooKassa")
}

func TestCheckoutDeclined(t *testing.T) {
	e := newEnv(t)
	resp, body, paymentID := e.buy("buyer@example.com")
	orderPage, body, orderID := e.choose(resp, body, paymentID, "decline")
	assert.Equal(t, "canceled", field(body, "status"))
	assert.Contains(t, field(body, "message"), "You owe nothing")
	assert.Equal(t, "5,000.00 RUB", field(body, "amount"))
	assert.NotContains(t, body, "/pay\"", "the declined payment cannot be paid any more")
	orderBody := body

	ds := e.waitNotifications()
	require.Len(t, ds, 1)
	assert.Equal(t, "payment.canceled", ds[0].Event)
	status, notes := e.recorded(orderID)
	assert.Equal(t, yookassa.PaymentStatusCanceled, status)
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0], "payment.canceled: verified")

	_, body = e.get("/admin/orders/" + orderID)
	assert.NotContains(t, body, "/capture")
	assert.NotContains(t, body, "/refund")
	assert.Equal(t, "Canceled by payment_network (general_decline).", field(body, "state"))

	// The buyer may try again: a new order of the same cart for the same
	// buyer, with a payment of its own.
	resp, body = e.submit(orderPage, orderBody, "/orders/"+orderID+"/again", "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	payments := e.sim.Payments()
	require.Len(t, payments, 2)
	again := payments[0]
	if again.ID == paymentID {
		again = payments[1]
	}
	assert.Equal(t, e.sim.CheckoutURL(again.ID), resp.Request.URL.String())
	assert.NotEqual(t, orderID, again.Metadata["order_id"])
	_, _, newOrder := e.choose(resp, body, again.ID, "installments_12")
	assert.Equal(t, again.Metadata["order_id"], newOrder)
	o, err := e.shop.db.order(context.Background(), newOrder)
	require.NoError(t, err)
	assert.Equal(t, "buyer@example.com", o.Email)
	e.waitNotifications()
}

// forged is a notification body claiming event for the object id.
func forged(event, id, orderID string) string {
	kind, status, _ := strings.Cut(event, ".")
	if kind == "refund" {
		return fmt.Sprintf(`{"type":"notification","event":%q,"object":{"id":%q,"payment_id":%q,"status":%q,
			"amount":{"value":"5000.00","currency":"RUB"},"created_at":"2026-11-01T10:00:00.000Z"}}`, event, id, uuid.NewString(), status)
	}
	return fmt.Sprintf(`{"type":"notification","event":%q,"object":{"id":%q,"status":%q,"paid":true,
		"amount":{"value":"5000.00","currency":"RUB"},"created_at":"2026-11-01T10:00:00.000Z",
		"payment_method":{"type":"sber_loan","id":%q,"saved":false,"loan_option":"loan"},
		"metadata":{"order_id":%q}}}`, event, id, status, id, orderID)
}

func TestForgedNotificationsAreRefused(t *testing.T) {
	e := newEnv(t)
	// An order whose buyer has not decided yet, and one the buyer declined.
	_, _, pendingPayment := e.buy("buyer@example.com")
	pendingOrder := e.payment(pendingPayment).Metadata["order_id"]
	resp, body, declinedPayment := e.buy("buyer@example.com")
	_, _, declinedOrder := e.choose(resp, body, declinedPayment, "decline")
	e.waitNotifications()
	pendingStatus, pendingNotes := e.recorded(pendingOrder)
	declinedStatus, declinedNotes := e.recorded(declinedOrder)
	require.Equal(t, yookassa.PaymentStatusPending, pendingStatus)
	require.Empty(t, pendingNotes)
	require.Equal(t, yookassa.PaymentStatusCanceled, declinedStatus)
	require.Len(t, declinedNotes, 1)

	// post sends a notification over HTTP; the test's requests come from
	// loopback, the trusted proxy, so X-Forwarded-For names the source.
	post := func(t *testing.T, xff, body string) (int, string) {
		req, err := http.NewRequest(http.MethodPost, e.url+webhookPath, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		return resp.StatusCode, readBody(t, resp)
	}

	t.Run("source check", func(t *testing.T) {
		for _, tc := range []struct{ name, xff string }{
			{"straight from a foreign address", ""},
			{"through the proxy from a foreign address", "203.0.113.7"},
			// The sender wrote YooKassa's address itself; the proxy appended
			// the real one, and only the right-most untrusted entry counts.
			{"YooKassa's address written by the sender", "185.71.76.1, 203.0.113.7"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, text := post(t, tc.xff, forged("payment.waiting_for_capture", pendingPayment, pendingOrder))
				assert.Equal(t, http.StatusForbidden, code, text)
			})
		}
		t.Run("X-Forwarded-For from a peer that is not a trusted proxy", func(t *testing.T) {
			// A request reaching the shop straight from the internet: its
			// X-Forwarded-For is ignored and the peer is the source.
			req := httptest.NewRequest(http.MethodPost, webhookPath, strings.NewReader(forged("payment.waiting_for_capture", pendingPayment, pendingOrder)))
			req.RemoteAddr = "203.0.113.9:40522"
			req.Header.Set("X-Forwarded-For", "185.71.76.1")
			rec := httptest.NewRecorder()
			e.handler.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusForbidden, rec.Code, rec.Body.String())
		})
		t.Run("X-Forwarded-For to a shop without a trusted proxy", func(t *testing.T) {
			// The same shop exposed directly (no proxy trusted): even a
			// loopback peer cannot choose its source with the header.
			direct, h, err := newShop(context.Background(), shopConfig{Client: e.sim.Client(), Loan: merchantContract(), BaseURL: e.url,
				Logger: slog.New(slog.DiscardHandler), Database: dbtest.NewDSN(t, dbtest.SQLite)})
			require.NoError(t, err)
			defer direct.Close()
			srv := httptest.NewServer(h)
			defer srv.Close()
			req, err := http.NewRequest(http.MethodPost, srv.URL+webhookPath,
				strings.NewReader(forged("payment.waiting_for_capture", pendingPayment, pendingOrder)))
			require.NoError(t, err)
			req.Header.Set("X-Forwarded-For", "185.71.76.1")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode, readBody(t, resp))
		})
	})

	t.Run("re-read from YooKassa", func(t *testing.T) {
		// These pass the source check (YooKassa's address through the
		// proxy); the payment or refund as YooKassa has it gives them away.
		for _, tc := range []struct {
			name, event, id, order string
			want                   int
		}{
			{"waiting_for_capture claimed for a pending payment", "payment.waiting_for_capture", pendingPayment, pendingOrder, http.StatusServiceUnavailable},
			{"succeeded claimed for a pending payment", "payment.succeeded", pendingPayment, pendingOrder, http.StatusServiceUnavailable},
			{"succeeded claimed for a declined payment", "payment.succeeded", declinedPayment, declinedOrder, http.StatusConflict},
			{"a payment YooKassa does not know", "payment.succeeded", uuid.NewString(), pendingOrder, http.StatusUnprocessableEntity},
			{"a refund YooKassa does not know", "refund.succeeded", uuid.NewString(), "", http.StatusUnprocessableEntity},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, text := post(t, "185.71.76.1", forged(tc.event, tc.id, tc.order))
				assert.Equal(t, tc.want, code, text)
			})
		}
	})

	// Nothing changed.
	status, notes := e.recorded(pendingOrder)
	assert.Equal(t, pendingStatus, status)
	assert.Equal(t, pendingNotes, notes)
	status, notes = e.recorded(declinedOrder)
	assert.Equal(t, declinedStatus, status)
	assert.Equal(t, declinedNotes, notes)
	_, body = e.get("/orders/" + pendingOrder)
	assert.Equal(t, "pending", field(body, "status"))
	_, body = e.get("/admin/orders/" + pendingOrder)
	assert.Contains(t, body, `<ul id="notifications"><li>none yet</li></ul>`)
	_, body = e.get("/orders/" + declinedOrder)
	assert.Equal(t, "canceled", field(body, "status"))
	assert.Equal(t, yookassa.PaymentStatusPending, e.payment(pendingPayment).Status)
}

func TestCaptureOutcomeUnknownIsRetriedWithTheSameKey(t *testing.T) {
	e := newEnv(t)
	resp, body, paymentID := e.buy("buyer@example.com")
	_, _, orderID := e.choose(resp, body, paymentID, "installments_12")
	e.waitNotifications() // the operator acts on a payment the shop has heard of

	// YooKassa captures, but both answers the client waits for are lost.
	e.sim.InjectFault(yookassatest.Fault{Kind: yookassatest.FaultInternalAfter, Endpoint: "POST /payments/{id}/capture", Count: 2})
	resp, body = e.get("/admin/orders/" + orderID)
	resp, body = e.submit(resp, body, "/capture", "three_quarters", nil)
	key := "order-" + orderID + ".capture-1"
	assert.Contains(t, body, `id="pending"`)
	assert.Contains(t, body, "Outcome unknown")
	assert.Contains(t, body, key)
	assert.Contains(t, body, "Retry with the same key")
	assert.NotContains(t, body, "/capture\"", "no new operation while the outcome is unknown")
	assert.Equal(t, "3375.00", e.payment(paymentID).Amount.Value.StringFixed(2), "the capture did happen")

	// Any other operation is refused until the outcome is known.
	stale, err := e.http.PostForm(e.url+"/admin/orders/"+orderID+"/refund", url.Values{"op": {"2"}, "part": {"half"}})
	require.NoError(t, err)
	assert.Contains(t, readBody(t, stale), "first retry operation 1")
	assert.Empty(t, e.sim.Refunds())

	// The first retry is lost too; the order stays pending under the same key.
	e.sim.InjectFault(yookassatest.Fault{Kind: yookassatest.FaultInternalBefore, Endpoint: "POST /payments/{id}/capture", Count: 2})
	resp, body = e.submit(resp, body, "/retry", "", nil)
	assert.Contains(t, body, `id="pending"`)
	assert.Contains(t, body, "Operation 1, capture three quarters, was sent with Idempotence-Key <code>"+key+"</code>")

	resp, body = e.submit(resp, body, "/retry", "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotContains(t, body, `id="pending"`)
	assert.Contains(t, body, "retry: capture three quarters")
	assert.Contains(t, body, "Captured 3,375.00 RUB.")
	assert.Equal(t, 3, strings.Count(body, "<code>"+key+"</code>"), "the retries used the same key")
	assert.Len(t, e.receipts(paymentID, yookassa.ReceiptTypePayment), 1, "captured once")

	// The refund form is back, with the next operation number.
	_, body = e.submit(resp, body, "/refund", "half", nil)
	assert.Contains(t, body, "order-"+orderID+".refund-3", "the refused refund took number 2")
	assert.Len(t, e.sim.Refunds(), 1)
	e.waitNotifications()
}

func TestPaymentOutcomeUnknownIsRetriedWithTheSameKey(t *testing.T) {
	e := newEnv(t)
	e.sim.InjectFault(yookassatest.Fault{Kind: yookassatest.FaultInternalAfter, Endpoint: "POST /payments", Count: 2})
	resp, body := e.get("/")
	resp, body = e.submit(resp, body, "/orders", "", url.Values{"email": {"buyer@example.com"}})
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Contains(t, body, "you cannot be charged twice")
	require.Len(t, e.sim.Payments(), 1, "YooKassa created the payment")

	resp, body = e.submit(resp, body, "/pay", "", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	payments := e.sim.Payments()
	require.Len(t, payments, 1, "the same key found the same payment")
	assert.Equal(t, e.sim.CheckoutURL(payments[0].ID), resp.Request.URL.String())
}

func TestLoanPartialCaptureAndRefund(t *testing.T) {
	e := newEnv(t)
	resp, body, paymentID := e.buy("buyer@example.com")
	_, body, orderID := e.choose(resp, body, paymentID, "loan")
	assert.Contains(t, field(body, "option"), "loan")
	assert.Equal(t, "0.00 RUB", field(body, "discount"))
	assert.Equal(t, "5,000.00 RUB", field(body, "to-pay"))
	e.waitNotifications()

	resp, body = e.get("/admin/orders/" + orderID)
	assert.Equal(t, "4,786.50 RUB", field(body, "income"), "5,000.00 less 3.5% and the 22% VAT on it")
	resp, body = e.submit(resp, body, "/capture", "three_quarters", nil)
	assert.Contains(t, body, "Captured 3,750.00 RUB.")
	// The payment now says 3,750.00; the page still knows the price.
	assert.Equal(t, "5,000.00 RUB", field(body, "original"))
	assert.Equal(t, "5,000.00 RUB", field(body, "to-pay"))

	// A loan keeps no trace of its original amount once captured in part,
	// so the refund is planned from the receipt of the captured part.
	_, body = e.submit(resp, body, "/refund", "half", nil)
	assert.Contains(t, body, "Refunded 1,875.00 RUB")
	rs := e.receipts(paymentID, yookassa.ReceiptTypeRefund)
	require.Len(t, rs, 1)
	assert.Equal(t, []string{"Product 1 1125.00 x 1", "Product 2 375.00 x 2"}, lines(rs[0].Items))
	e.waitNotifications()
}

func TestCancel(t *testing.T) {
	e := newEnv(t)
	resp, body, paymentID := e.buy("buyer@example.com")
	_, _, orderID := e.choose(resp, body, paymentID, "installments_6")
	e.waitNotifications()
	resp, body = e.get("/admin/orders/" + orderID)
	_, body = e.submit(resp, body, "/cancel", "", nil)
	assert.Contains(t, body, "order-"+orderID+".cancel-1")
	assert.Equal(t, "canceled", field(body, "status"))
	assert.Equal(t, yookassa.PaymentStatusCanceled, e.payment(paymentID).Status)
	_, body = e.get("/orders/" + orderID)
	assert.Contains(t, field(body, "message"), "repay it in SberBank Online")
	e.waitNotifications()
}

func TestContinueToPayment(t *testing.T) {
	e := newEnv(t)
	_, _, paymentID := e.buy("buyer@example.com")
	orderID := e.payment(paymentID).Metadata["order_id"]

	// The buyer left the bank's page and came back to the shop.
	resp, body := e.get("/orders/" + orderID)
	assert.Equal(t, "pending", field(body, "status"))
	resp, _ = e.submit(resp, body, "/orders/"+orderID+"/pay", "", nil)
	assert.Equal(t, e.sim.CheckoutURL(paymentID), resp.Request.URL.String())
	assert.Len(t, e.sim.Payments(), 1)

	// Once the buyer has decided there is nothing left to pay.
	require.NoError(t, e.sim.Decline(paymentID))
	_, body = e.get("/orders/" + orderID)
	assert.NotContains(t, body, "/pay")
	resp, err := e.http.PostForm(e.url+"/orders/"+orderID+"/pay", nil)
	require.NoError(t, err)
	readBody(t, resp)
	assert.Equal(t, e.url+"/orders/"+orderID, resp.Request.URL.String())
	assert.Len(t, e.sim.Payments(), 1)
	e.waitNotifications()
}

func TestAdminIndex(t *testing.T) {
	e := newEnv(t)
	_, body := e.get("/admin/orders")
	assert.Contains(t, body, "none yet")
	_, _, first := e.buy("buyer@example.com")
	_, _, second := e.buy("buyer@example.com")
	_, body = e.get("/admin/orders")
	a, b := e.payment(first).Metadata["order_id"], e.payment(second).Metadata["order_id"]
	assert.Contains(t, body, `href="/admin/orders/`+a+`"`)
	assert.Contains(t, body, `href="/admin/orders/`+b+`"`)
	assert.Less(t, strings.Index(body, second), strings.Index(body, first), "newest first")
}

func TestTariffsOutOfStepAreShownToTheOperator(t *testing.T) {
	e := newEnv(t, func(c *shopConfig) {
		// The shop believes its 12-month plan costs it 9%; YooKassa applies 10%.
		c.Loan = merchantContract()
		c.Loan.Tariffs["installments_12"] = decimal.NewFromInt(9)
	})
	resp, body, paymentID := e.buy("buyer@example.com")
	_, body, orderID := e.choose(resp, body, paymentID, "installments_12")
	assert.NotContains(t, body, `id="problem"`, "the buyer is not told about the shop's contract")
	assert.NotContains(t, body, "tariff")
	e.waitNotifications()
	resp, body = e.get("/admin/orders/" + orderID)
	assert.Equal(t, "YooKassa applied a discount of 500.00 RUB on 5,000.00 RUB for installments_12, but the shop's 9% tariff "+
		"gives 450.00 RUB: bring the shop's tariffs in line with the YooKassa contract.", field(body, "problem"))
	_, body = e.submit(resp, body, "/capture", "full", nil)
	assert.Contains(t, body, "Refused before sending")
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, e.payment(paymentID).Status)
}

func TestBadEmailCreatesNothing(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get("/")
	resp, body = e.submit(resp, body, "/orders", "", url.Values{"email": {"not an email"}})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, field(body, "error"), "valid email address")
	assert.Empty(t, e.sim.Payments())
	orders, err := e.shop.db.orders(context.Background())
	require.NoError(t, err)
	assert.Empty(t, orders)
}

func TestAdminIsGuarded(t *testing.T) {
	e := newEnv(t, func(c *shopConfig) { c.AdminPassword = "s3cret" })
	resp, body, paymentID := e.buy("buyer@example.com")
	_, _, orderID := e.choose(resp, body, paymentID, "installments_12")
	admin := e.url + "/admin/orders/" + orderID

	resp, err := e.http.Get(admin)
	require.NoError(t, err)
	readBody(t, resp)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	do := func(method string, header http.Header) int {
		req, err := http.NewRequest(http.MethodGet, admin, nil)
		if method == http.MethodPost {
			req, err = http.NewRequest(http.MethodPost, admin+"/capture", strings.NewReader("op=1&part=full"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		req.SetBasicAuth("admin", "s3cret")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		readBody(t, resp)
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, do(http.MethodGet, nil))
	assert.Equal(t, http.StatusForbidden, do(http.MethodPost, http.Header{"Origin": {"https://evil.example"}}))
	assert.Equal(t, http.StatusForbidden, do(http.MethodPost, http.Header{"Sec-Fetch-Site": {"cross-site"}}))
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, e.payment(paymentID).Status)
	e.waitNotifications()
}

// startRun runs the program and returns its start-up lines up to the one
// with the shop's address.
func startRun(t *testing.T, args ...string) (shopURL string, startup []string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, w, io.Discard)
		_ = w.Close()
	}()
	r := bufio.NewReader(out)
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "start-up output: %q", startup)
		startup = append(startup, line)
		if rest, ok := strings.CutPrefix(line, "Shop open at "); ok {
			shopURL = strings.TrimSuffix(strings.Fields(rest)[0], "/")
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	return shopURL, startup, func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(15 * time.Second):
			t.Fatal("run did not stop")
			return -1
		}
	}
}

func TestRunWithSimulator(t *testing.T) {
	t.Setenv("YOOKASSA_SHOP_ID", "")
	t.Setenv("YOOKASSA_SECRET_KEY", "")
	base, startup, stop := startRun(t, "-listen", "127.0.0.1:0")
	assert.Contains(t, startup[0], "Using the YooKassa simulator")

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	e := &env{t: t, url: base, http: &http.Client{Jar: jar, Timeout: time.Minute}}
	resp, body := e.get("/")
	resp, body = e.submit(resp, body, "/orders", "", url.Values{"email": {"buyer@example.com"}})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, body = e.submit(resp, body, "/checkout/"+path.Base(resp.Request.URL.Path), "installments_12", nil)
	require.True(t, strings.HasPrefix(resp.Request.URL.String(), base+"/orders/"), resp.Request.URL.String())
	assert.Equal(t, "waiting_for_capture", field(body, "status"))

	// main's webhook accepts the simulator's notification, which comes as
	// if from YooKassa through a proxy on loopback.
	orderPath := resp.Request.URL.Path
	assert.Eventually(t, func() bool {
		_, body := e.get("/admin" + orderPath)
		return strings.Contains(body, "payment.waiting_for_capture: verified with YooKassa")
	}, time.Minute, 20*time.Millisecond)
	assert.Equal(t, 0, stop())
}

func TestRunWithTheRealAPIExplainsTheSetUp(t *testing.T) {
	t.Setenv("YOOKASSA_SHOP_ID", "123456")
	t.Setenv("YOOKASSA_SECRET_KEY", "live_not_a_real_key")
	t.Setenv("SHOP_ADMIN_PASSWORD", "an admin password")
	db := filepath.Join(t.TempDir(), "orders.sqlite")
	_, startup, stop := startRun(t, "-listen", "127.0.0.1:0", "-db", db)
	all := strings.Join(startup, "")
	assert.Contains(t, all, "Using the real YooKassa API as shop 123456.")
	assert.Contains(t, all, webhookPath)
	assert.Contains(t, all, "payment.waiting_for_capture, payment.succeeded, payment.canceled and refund.succeeded")
	assert.Contains(t, all, "WARNING: YooKassa cannot reach")
	assert.Contains(t, all, "Orders are kept in the SQLite file "+db+".")
	assert.NotContains(t, all, "live_not_a_real_key")
	assert.NotContains(t, all, "an admin password")
	assert.Equal(t, 0, stop())
}

func TestRunWithTheRealAPIRefusesAnOpenAdmin(t *testing.T) {
	t.Setenv("YOOKASSA_SHOP_ID", "123456")
	t.Setenv("YOOKASSA_SECRET_KEY", "live_not_a_real_key")
	t.Setenv("SHOP_ADMIN_PASSWORD", "")
	var stderr bytes.Buffer
	db := filepath.Join(t.TempDir(), "orders.sqlite")
	assert.Equal(t, 2, run(context.Background(), []string{"-listen", "127.0.0.1:0", "-db", db}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "the admin pages need a password; set SHOP_ADMIN_PASSWORD")
	assert.NoFileExists(t, db, "nothing was started")
}

func TestRunRefusesBadInvocations(t *testing.T) {
	for _, tc := range []struct {
		name, shopID, secret string
		args                 []string
	}{
		{"only the shop ID", "123456", "", []string{"-listen", "127.0.0.1:0"}},
		{"only the secret key", "", "live_x", []string{"-listen", "127.0.0.1:0"}},
		{"unknown flag", "", "", []string{"-nope"}},
		{"extra argument", "", "", []string{"serve"}},
		{"relative public URL", "", "", []string{"-listen", "127.0.0.1:0", "-public-url", "shop.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("YOOKASSA_SHOP_ID", tc.shopID)
			t.Setenv("YOOKASSA_SECRET_KEY", tc.secret)
			var stderr bytes.Buffer
			assert.Equal(t, 2, run(context.Background(), tc.args, io.Discard, &stderr))
			assert.NotEmpty(t, stderr.String())
		})
	}
}

func TestShopURL(t *testing.T) {
	for _, tc := range []struct{ public, addr, want string }{
		{"", "127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"", "0.0.0.0:8080", "http://127.0.0.1:8080"},
		{"", "[::]:8080", "http://127.0.0.1:8080"},
		{"", "[::1]:8080", "http://[::1]:8080"},
		{"https://shop.example/", "127.0.0.1:8080", "https://shop.example"},
	} {
		got, err := shopURL(tc.public, addrString(tc.addr))
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, tc)
	}
}

func TestRub(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0.00 RUB", "900": "900.00 RUB", "1687.5": "1,687.50 RUB",
		"4342.5": "4,342.50 RUB", "1234567.891": "1,234,567.89 RUB",
	} {
		assert.Equal(t, want, rub(decimal.RequireFromString(in)), in)
	}
}

// addrString is a net.Addr given as text.
type addrString string

func (a addrString) Network() string { return "tcp" }
func (a addrString) String() string  { return string(a) }

// field returns the text of the element with the given id attribute.
func field(body, id string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1]))
}

// htmlForm is what the tests need of a form: where it posts, its hidden or
// prefilled fields, and its buttons (value to name).
type htmlForm struct {
	action  string
	fields  url.Values
	buttons map[string]string
}

var (
	formRe   = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	inputRe  = regexp.MustCompile(`<input\b([^>]*)>`)
	buttonRe = regexp.MustCompile(`<button\b([^>]*)>`)
	attrRe   = regexp.MustCompile(`\b(action|name|value)="([^"]*)"`)
)

// parseForms finds the forms of a page. It is enough for the pages of the
// shop and of the simulator, not for HTML in general.
func parseForms(body string) []htmlForm {
	attrs := func(tag string) map[string]string {
		out := map[string]string{}
		for _, m := range attrRe.FindAllStringSubmatch(tag, -1) {
			out[m[1]] = html.UnescapeString(m[2])
		}
		return out
	}
	var forms []htmlForm
	for _, m := range formRe.FindAllStringSubmatch(body, -1) {
		f := htmlForm{action: attrs(m[1])["action"], fields: url.Values{}, buttons: map[string]string{}}
		for _, in := range inputRe.FindAllStringSubmatch(m[2], -1) {
			a := attrs(in[1])
			f.fields.Set(a["name"], a["value"])
		}
		for _, b := range buttonRe.FindAllStringSubmatch(m[2], -1) {
			if a := attrs(b[1]); a["name"] != "" {
				f.buttons[a["value"]] = a["name"]
			}
		}
		forms = append(forms, f)
	}
	return forms
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// syncBuffer collects the shop's log; handlers write to it concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRestartResumesThePendingCapture: the shop captures, YooKassa (the
// simulator) performs the capture but every answer is lost to a connection
// reset; the shop stops and starts again on the same database, and sends
// the capture again with its original key: YooKassa performs it once, and
// the shop learns its outcome.
func TestRestartResumesThePendingCapture(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) { testRestartResumes(t, k) })
	}
}

func testRestartResumes(t *testing.T, k dbtest.Kind) {
	dsn := dbtest.NewDSN(t, k)
	// The shop's address stays the same across its restart, as a real
	// shop's does: the simulator delivers notifications there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	base := "http://" + addr

	contract := merchantContract()
	sim := yookassatest.NewServer(
		yookassatest.WithWebhook(base+webhookPath),
		yookassatest.WithNotificationSource(netip.MustParseAddr("185.71.76.1")),
		yookassatest.WithTariffs(contract.Tariffs),
		yookassatest.WithCommission(contract.CommissionPercent),
		yookassatest.WithCommissionVAT(contract.CommissionVATPercent),
	)
	t.Cleanup(sim.Close)
	t.Setenv("YOOKASSA_SHOP_ID", sim.ShopID())
	t.Setenv("YOOKASSA_SECRET_KEY", sim.SecretKey())
	t.Setenv("SHOP_ADMIN_PASSWORD", "")
	args := []string{"-listen", addr, "-db", dsn, "-api", sim.URL()}

	shopURL, startup, stop := startRun(t, args...)
	require.Equal(t, base, shopURL)
	assert.Contains(t, strings.Join(startup, ""), "Using the YooKassa API at "+sim.URL())
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	e := &env{t: t, sim: sim, url: base, http: &http.Client{Jar: jar, Timeout: time.Minute}}
	resp, body, paymentID := e.buy("buyer@example.com")
	_, _, orderID := e.choose(resp, body, paymentID, "installments_12")
	e.waitNotifications()

	// Every attempt of the capture is performed (the first) or replayed, and
	// its answer lost to a connection reset: the outcome is unknown, and the
	// capture stays pending under its key.
	sim.InjectFault(yookassatest.Fault{Kind: yookassatest.FaultResetAfter, Endpoint: "POST /payments/{id}/capture", Count: 1000})
	key := "order-" + orderID + ".capture-1"
	resp, body = e.get("/admin/orders/" + orderID)
	_, body = e.submit(resp, body, "/capture", "three_quarters", nil)
	assert.Contains(t, body, `id="pending"`)
	assert.Contains(t, body, "Operation 1, capture three quarters, was sent with Idempotence-Key <code>"+key+"</code>")
	assert.GreaterOrEqual(t, sim.FaultsInjected(), 1)
	p := e.payment(paymentID)
	require.Equal(t, yookassa.PaymentStatusSucceeded, p.Status, "YooKassa did capture")
	require.Equal(t, "3375.00", p.Amount.Value.StringFixed(2))

	// The shop stops, the network heals, and the shop starts again on the
	// same database. Before it opens, it sends the pending capture again.
	require.Equal(t, 0, stop())
	sim.ClearFaults()
	_, _, stop = startRun(t, args...)
	defer func() { assert.Equal(t, 0, stop()) }()

	_, body = e.get("/admin/orders/" + orderID)
	assert.NotContains(t, body, `id="pending"`)
	assert.Contains(t, body, "<tr><td>1</td><td>retry: capture three quarters</td><td><code>"+key+"</code></td><td>Captured 3,375.00 RUB.</td></tr>")
	assert.Equal(t, 2, strings.Count(body, "<code>"+key+"</code>"), "sent, then resumed, with the original key")
	assert.NotContains(t, body, ".capture-2")
	assert.Equal(t, "3,375.00 RUB", field(body, "captured"))
	// Captured exactly once: one capture receipt, the payment as it was.
	assert.Len(t, e.receipts(paymentID, yookassa.ReceiptTypePayment), 1)
	p = e.payment(paymentID)
	assert.Equal(t, "3375.00", p.Amount.Value.StringFixed(2))

	// The refund form comes back with the next operation number.
	assert.Contains(t, body, `name="op" value="2"`)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, sim.WaitNotifications(ctx))
	_, body = e.get("/admin/orders/" + orderID)
	assert.Equal(t, 1, strings.Count(body, "payment.succeeded: verified with YooKassa"), "recorded once")
}

// TestTwoShopsShareTheDatabase: two instances of the shop on one database
// see the same orders, and a notification delivered again to the other
// instance is recorded once.
func TestTwoShopsShareTheDatabase(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			var cfg shopConfig
			e := newEnvOn(t, k, func(c *shopConfig) { cfg = *c })
			other, h, err := newShop(context.Background(), cfg)
			require.NoError(t, err)
			t.Cleanup(func() { _ = other.Close() })
			second := httptest.NewServer(h)
			t.Cleanup(second.Close)

			resp, body, paymentID := e.buy("buyer@example.com")
			_, _, orderID := e.choose(resp, body, paymentID, "installments_12")
			e.waitNotifications() // delivered to the first instance

			// YooKassa delivers the same notification again, to the second.
			p := e.payment(paymentID)
			object, err := json.Marshal(p)
			require.NoError(t, err)
			note := fmt.Sprintf(`{"type":"notification","event":"payment.waiting_for_capture","object":%s}`, object)
			for range 2 {
				req, err := http.NewRequest(http.MethodPost, second.URL+webhookPath, strings.NewReader(note))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", "185.71.76.1")
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				text := readBody(t, resp)
				assert.Equal(t, http.StatusOK, resp.StatusCode, text)
				assert.Contains(t, text, "already processed")
			}
			_, notes := e.recorded(orderID)
			assert.Len(t, notes, 1)

			// The second instance knows the order and its operations.
			resp2, err := http.Get(second.URL + "/admin/orders/" + orderID)
			require.NoError(t, err)
			body = readBody(t, resp2)
			assert.Equal(t, "waiting_for_capture", field(body, "status"))
			assert.Equal(t, 1, strings.Count(body, "payment.waiting_for_capture: verified with YooKassa"))
		})
	}
}
