package yookassatest_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/spectest"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// receiver is a webhook endpoint that records what arrives and fails the
// first failures deliveries.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	failures int
	got      []received
}

type received struct {
	Event  string          `json:"event"`
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
	remote string
	xff    string
}

func newReceiver(t *testing.T, failures int) *receiver {
	rc := &receiver{failures: failures}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var n received
		_ = json.Unmarshal(body, &n)
		n.remote, n.xff = r.RemoteAddr, r.Header.Get("X-Forwarded-For")
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if rc.failures > 0 {
			rc.failures--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		rc.got = append(rc.got, n)
	}))
	t.Cleanup(rc.Close)
	t.Cleanup(func() { validateNotifications(t, rc.events()) })
	return rc
}

// notificationSchemas are the specification's schemas of the objects of
// notifications, by the object part of the event name.
var notificationSchemas = map[string]string{"payment": "Payment", "refund": "Refund", "payout": "Payout",
	"deal": "SafeDeal", "payment_method": "SavePaymentMethod"}

// validateNotifications checks the object of each notification against
// the specification's schema of its kind (notificationSchemas), if the
// specification is at hand.
func validateNotifications(t *testing.T, got []received) {
	spec, ok := spectest.Find()
	if !ok {
		return
	}
	for _, n := range got {
		kind, _, _ := strings.Cut(n.Event, ".")
		schema, known := notificationSchemas[kind]
		if !known {
			t.Errorf("notification %s: no schema for %q objects", n.Event, kind)
			continue
		}
		if err := spec.ValidateSchema(schema, n.Object); err != nil {
			t.Errorf("notification %s outside the specification: %v", n.Event, err)
		}
	}
}

func (rc *receiver) events() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

func waitNotifications(t *testing.T, s *yookassatest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, s.WaitNotifications(ctx))
}

func TestNotificationsOnEveryTransition(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL))
	ctx := context.Background()
	p := create(t, c, sberLoan("5000.00", false))
	require.NoError(t, s.Confirm(p.ID, "installments_12"))
	waitNotifications(t, s)
	_, err := c.CapturePayment(ctx, p.ID, nil)
	require.NoError(t, err)
	waitNotifications(t, s)
	r, err := c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("4500.00")})
	require.NoError(t, err)
	waitNotifications(t, s)
	declined := create(t, c, sberLoan("5000.00", false))
	require.NoError(t, s.Decline(declined.ID))
	waitNotifications(t, s)

	got := rc.events()
	require.Len(t, got, 4)
	var events []string
	for _, n := range got {
		assert.Equal(t, "notification", n.Type)
		events = append(events, n.Event)
	}
	assert.Equal(t, []string{"payment.waiting_for_capture", "payment.succeeded", "refund.succeeded", "payment.canceled"}, events)

	var held yookassa.Payment
	require.NoError(t, json.Unmarshal(got[0].Object, &held))
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, held.Status, "a snapshot as of the event")
	assert.Equal(t, "4500.00", held.Amount.Value.StringFixed(2))
	var refund yookassa.Refund
	require.NoError(t, json.Unmarshal(got[2].Object, &refund))
	assert.Equal(t, r.ID, refund.ID)
}

func TestExpiryNotifies(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL))
	p := create(t, c, sberLoan("5000.00", false))
	require.NoError(t, s.Confirm(p.ID, "loan"))
	waitNotifications(t, s)
	s.Advance(3 * time.Hour)
	waitNotifications(t, s)
	got := rc.events()
	require.Len(t, got, 2)
	assert.Equal(t, "payment.canceled", got[1].Event)
}

func TestRedeliveryUntil200AndBounded(t *testing.T) {
	rc := newReceiver(t, 2)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL), yookassatest.WithNotificationRetry(4, time.Millisecond))
	p := create(t, c, sberLoan("5000.00", true))
	require.NoError(t, s.Confirm(p.ID, "loan"))
	waitNotifications(t, s)
	require.Len(t, rc.events(), 1)
	d := s.Deliveries()
	require.Len(t, d, 1)
	assert.Equal(t, 3, d[0].Attempts)
	assert.True(t, d[0].Delivered)

	never := newReceiver(t, 1000)
	s2, c2 := newSim(t, yookassatest.WithWebhook(never.URL), yookassatest.WithNotificationRetry(3, time.Millisecond))
	p = create(t, c2, sberLoan("5000.00", true))
	require.NoError(t, s2.Confirm(p.ID, "loan"))
	waitNotifications(t, s2)
	d = s2.Deliveries()
	require.Len(t, d, 1)
	assert.Equal(t, 3, d[0].Attempts)
	assert.False(t, d[0].Delivered)
	assert.Equal(t, 500, d[0].Status)
}

func TestNotificationSource(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL), yookassatest.WithNotificationSource(netip.MustParseAddr("185.71.76.1")))
	p := create(t, c, sberLoan("5000.00", true))
	require.NoError(t, s.Confirm(p.ID, "loan"))
	waitNotifications(t, s)
	got := rc.events()
	require.Len(t, got, 1)
	assert.Equal(t, "185.71.76.1", got[0].xff, "a public source is forwarded as by a proxy")

	// A loopback source is the connection's own address.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("127.0.0.2 is not available here")
	}
	ln.Close()
	rc2 := newReceiver(t, 0)
	s2, c2 := newSim(t, yookassatest.WithWebhook(rc2.URL), yookassatest.WithNotificationSource(netip.MustParseAddr("127.0.0.2")))
	p = create(t, c2, sberLoan("5000.00", true))
	require.NoError(t, s2.Confirm(p.ID, "loan"))
	waitNotifications(t, s2)
	got = rc2.events()
	require.Len(t, got, 1)
	host, _, _ := net.SplitHostPort(got[0].remote)
	assert.Equal(t, "127.0.0.2", host)
	assert.Empty(t, got[0].xff)
}

func TestRegisteredWebhooksReceiveTheirEvents(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t)
	oauth := s.OAuthClient(fast)
	// The receiver is plain http on loopback; the API insists on https, so
	// register an https URL that points to the same place for the record and
	// check the simulator's own delivery log instead.
	_, err := oauth.CreateWebhook(context.Background(), &yookassa.WebhookRequest{Event: yookassa.EventPaymentSucceeded, URL: strings.Replace(rc.URL, "http://", "https://", 1)})
	require.NoError(t, err)
	p := create(t, c, sberLoan("5000.00", true))
	require.NoError(t, s.Confirm(p.ID, "loan"))
	waitNotifications(t, s)
	d := s.Deliveries()
	require.Len(t, d, 1)
	assert.Equal(t, "payment.succeeded", d[0].Event)
	assert.Equal(t, p.ID, d[0].ObjectID)
	u, _ := url.Parse(d[0].URL)
	assert.Equal(t, "https", u.Scheme)
}

func TestCheckoutPage(t *testing.T) {
	s, c := newSim(t)
	req := sberLoan("5000.00", false)
	req.Confirmation.ReturnURL = "https://shop.example/return?order=37"
	p := create(t, c, req)

	resp, err := http.Get(p.Confirmation.ConfirmationURL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	html := string(page)
	assert.Equal(t, 200, resp.StatusCode)
	for _, want := range []string{`value="loan"`, `value="installments_3"`, `value="installments_6"`, `value="installments_12"`, `value="decline"`, "5000.00 RUB in all, no overpayment: 12 monthly payments of about 416.67 RUB",
		"3 monthly payments of about 1666.67 RUB"} {
		assert.Contains(t, html, want)
	}
	assert.NotContains(t, html, "4500.00", "the shop's discounted sum is not the buyer's business")
	assert.NotContains(t, html, "4342.50", "nor is the shop's income")
	assert.Less(t, strings.Index(html, "installments_3"), strings.Index(html, "installments_12"), "options in order of months")

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(s.CheckoutURL(p.ID), url.Values{"choice": {"installments_12"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "https://shop.example/return?order=37", resp.Header.Get("Location"))
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, p.Status)
	assert.Equal(t, yookassa.LoanOptionInstallments(12), p.PaymentMethod.LoanOption)

	resp, err = noFollow.PostForm(s.CheckoutURL(p.ID), url.Values{"choice": {"loan"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode, "a paid payment cannot be confirmed again")

	resp, err = http.Get(s.CheckoutURL("nope"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 404, resp.StatusCode)
}
