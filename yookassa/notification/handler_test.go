package notification

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

const (
	yooKassaPeer = "185.71.76.5:41234"
	foreignPeer  = "203.0.113.7:41234"
	refundID     = "2824d8bb-0015-5000-9000-1b4a6c1d8e11"
)

// fakeAPI plays YooKassa's GET /payments/{id} and GET /refunds/{id}.
type fakeAPI struct {
	mu       sync.Mutex
	objects  map[string][]byte // path -> JSON answer
	failWith int               // when set, every request gets this status
	requests []string
}

func (a *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests = append(a.requests, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json")
	if a.failWith != 0 {
		code := map[int]string{
			http.StatusUnauthorized:        "invalid_credentials",
			http.StatusInternalServerError: "internal_server_error",
		}[a.failWith]
		w.WriteHeader(a.failWith)
		_, _ = w.Write([]byte(`{"type":"error","id":"0195a7c5-1d5b-7a4c-8f2e-1b2c3d4e5f60","code":"` + code + `","description":"` + http.StatusText(a.failWith) + `"}`))
		return
	}
	body, ok := a.objects[r.URL.Path]
	if r.Method != http.MethodGet || !ok {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"type":"error","id":"0195a7c5-1d5b-7a4c-8f2e-1b2c3d4e5f61","code":"not_found","description":"Object not found"}`))
		return
	}
	_, _ = w.Write(body)
}

// put makes the API answer GET path with the object of a testdata
// notification, its status replaced by status (if not empty).
func (a *fakeAPI) put(t *testing.T, path, file, status string) {
	t.Helper()
	var env struct {
		Object map[string]any `json:"object"`
	}
	require.NoError(t, json.Unmarshal(readTestdata(t, file), &env))
	if status != "" {
		env.Object["status"] = status
	}
	body, err := json.Marshal(env.Object)
	require.NoError(t, err)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.objects[path] = body
}

func (a *fakeAPI) fail(status int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failWith = status
}

func (a *fakeAPI) calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.requests...)
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
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

// harness is a Handler wired to a fake API with a recording callback.
type harness struct {
	api     *fakeAPI
	client  *yookassa.Client
	handler http.Handler
	logs    *syncBuffer

	mu      sync.Mutex
	events  []*Event
	failErr error
}

func newHarness(t *testing.T, opts ...HandlerOption) *harness {
	t.Helper()
	h := &harness{api: &fakeAPI{objects: map[string][]byte{}}, logs: &syncBuffer{}}
	srv := httptest.NewServer(h.api)
	t.Cleanup(srv.Close)
	client, err := yookassa.NewClient("100500", "test_secret",
		yookassa.WithBaseURL(srv.URL), yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	h.client = client
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts = append([]HandlerOption{WithLogger(logger)}, opts...)
	handler, err := NewHandler(client, h.callback, opts...)
	require.NoError(t, err)
	h.handler = handler
	return h
}

func (h *harness) callback(_ context.Context, ev *Event) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
	return h.failErr
}

func (h *harness) setCallbackError(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failErr = err
}

func (h *harness) received() []*Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Event(nil), h.events...)
}

// deliver POSTs body to the handler from remote, with the given
// X-Forwarded-For lines.
func (h *harness) deliver(body []byte, remote string, xff ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/yookassa/notifications", bytes.NewReader(body))
	r.RemoteAddr = remote
	r.Header.Set("Content-Type", "application/json")
	for _, v := range xff {
		r.Header.Add("X-Forwarded-For", v)
	}
	w := httptest.NewRecorder()
	h.handler.ServeHTTP(w, r)
	return w
}

func assertAnswer(t *testing.T, w *httptest.ResponseRecorder, status int, bodyPart string) {
	t.Helper()
	assert.Equal(t, status, w.Code, "body: %s", w.Body.String())
	assert.Contains(t, w.Body.String(), bodyPart)
	assert.True(t, strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain"), w.Header().Get("Content-Type"))
}

func TestHandlerProcessesVerifiedPayment(t *testing.T) {
	h := newHarness(t)
	// YooKassa's current copy differs from the delivered one in a field
	// the callback can see, so the test can tell which one it got.
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	h.api.mu.Lock()
	h.api.objects["/payments/"+paymentID] = bytes.Replace(h.api.objects["/payments/"+paymentID],
		[]byte(`"description":"Order No. 37"`), []byte(`"description":"Order No. 37 (as stored)"`), 1)
	h.api.mu.Unlock()

	body := readTestdata(t, "payment_succeeded.json")
	w := h.deliver(body, yooKassaPeer)
	assertAnswer(t, w, http.StatusOK, "ok")

	assert.Equal(t, []string{"GET /payments/" + paymentID}, h.api.calls())
	events := h.received()
	require.Len(t, events, 1)
	ev := events[0]
	assert.Equal(t, yookassa.EventPaymentSucceeded, ev.Event)
	assert.True(t, ev.Verified)
	require.NotNil(t, ev.Payment)
	assert.Nil(t, ev.Refund)
	assert.Equal(t, "Order No. 37 (as stored)", ev.Payment.Description, "the callback gets the fetched payment")
	assert.Equal(t, yookassa.PaymentStatusSucceeded, ev.Payment.Status)

	var delivered struct {
		Object json.RawMessage `json:"object"`
	}
	require.NoError(t, json.Unmarshal(body, &delivered))
	assert.JSONEq(t, string(delivered.Object), string(ev.Object), "Object is the delivered object")
}

func TestHandlerTypedEvents(t *testing.T) {
	tests := []struct {
		file, path string
	}{
		{"payment_succeeded.json", "/payments/" + paymentID},
		{"payment_waiting_for_capture.json", "/payments/" + paymentID},
		{"payment_canceled.json", "/payments/" + paymentID},
		{"refund_succeeded.json", "/refunds/" + refundID},
		{"payout_succeeded.json", "/payouts/" + payoutID},
		{"payout_canceled.json", "/payouts/po-285ec15d-0003-5000-a000-08d1bec7dade"},
		{"deal_closed.json", "/deals/" + dealID},
		{"payment_method_active.json", "/payment_methods/" + methodID},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			h := newHarness(t)
			h.api.put(t, tt.path, tt.file, "")
			// YooKassa's copy differs from the delivered one in a field
			// the callback can see, so the test can tell which one it got.
			h.api.mu.Lock()
			h.api.objects[tt.path] = bytes.Replace(h.api.objects[tt.path], []byte(`{`), []byte(`{"metadata":{"copy":"stored"},`), 1)
			h.api.mu.Unlock()
			w := h.deliver(readTestdata(t, tt.file), yooKassaPeer)
			assertAnswer(t, w, http.StatusOK, "ok")
			assert.Equal(t, []string{"GET " + tt.path}, h.api.calls())
			events := h.received()
			require.Len(t, events, 1)
			ev := events[0]
			assert.True(t, ev.Verified)
			id, typed := typedObject(ev)
			assert.Equal(t, 1, typed)
			assert.Equal(t, strings.TrimPrefix(tt.path, tt.path[:strings.LastIndex(tt.path, "/")+1]), id)
			var status string
			var metadata map[string]string
			switch {
			case ev.Payment != nil:
				status, metadata = string(ev.Payment.Status), ev.Payment.Metadata
			case ev.Refund != nil:
				status, metadata = string(ev.Refund.Status), ev.Refund.Metadata
			case ev.Payout != nil:
				status, metadata = string(ev.Payout.Status), ev.Payout.Metadata
			case ev.Deal != nil:
				status, metadata = string(ev.Deal.Status), ev.Deal.Metadata
			case ev.PaymentMethod != nil:
				status, metadata = string(ev.PaymentMethod.Status), ev.PaymentMethod.Metadata
			}
			assert.Equal(t, ev.Status(), status)
			assert.Equal(t, "stored", metadata["copy"], "the callback gets the object as re-read")
		})
	}
}

func TestHandlerRefusesForeignSource(t *testing.T) {
	h := newHarness(t)
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	body := readTestdata(t, "payment_succeeded.json")

	for _, remote := range []string{foreignPeer, "[2a02:5181::1]:443", "[::ffff:203.0.113.7]:443", "127.0.0.1:5000", "not-an-address"} {
		w := h.deliver(body, remote)
		assertAnswer(t, w, http.StatusForbidden, "source address")
	}
	assert.Empty(t, h.received())
	assert.Empty(t, h.api.calls(), "a foreign request never reaches the API")
	logs := h.logs.String()
	assert.Contains(t, logs, "source=203.0.113.7")
	assert.Contains(t, logs, "unreadable remote address")
	assert.NotContains(t, logs, "Order No. 37", "bodies are not logged")
}

func TestHandlerIgnoresSpoofedForwardedFor(t *testing.T) {
	body := readTestdata(t, "payment_succeeded.json")

	// No trusted proxies: the header is never read.
	h := newHarness(t)
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	w := h.deliver(body, foreignPeer, "185.71.76.5")
	assertAnswer(t, w, http.StatusForbidden, "source address")

	// Trusted proxies configured, but the peer is not one of them.
	h = newHarness(t, WithTrustedProxies(netip.MustParsePrefix("10.0.0.0/8")))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	w = h.deliver(body, foreignPeer, "185.71.76.5")
	assertAnswer(t, w, http.StatusForbidden, "source address")
	w = h.deliver(body, foreignPeer, "10.0.0.1", "185.71.76.5")
	assertAnswer(t, w, http.StatusForbidden, "source address")

	assert.Empty(t, h.received())
	assert.Empty(t, h.api.calls())
}

func TestHandlerTrustedProxyChain(t *testing.T) {
	body := readTestdata(t, "payment_succeeded.json")
	h := newHarness(t, WithTrustedProxies(
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("fd00::/8"),
	))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")

	// client -> CDN (192.168.1.1) -> balancer (10.1.1.1) -> ingress (10.0.0.2)
	// -> handler. The left-most entry is whatever the sender claimed.
	w := h.deliver(body, "10.0.0.2:5555", "198.51.100.1, 185.71.76.5, 192.168.1.1", "10.1.1.1")
	assertAnswer(t, w, http.StatusOK, "ok")
	// IPv6 proxies and an IPv6 source.
	w = h.deliver(body, "[fd00::2]:5555", "2a02:5180::15, fd00::9")
	assertAnswer(t, w, http.StatusOK, "ok")
	require.Len(t, h.received(), 2)

	// A YooKassa address written by the sender, left of a foreign hop, is
	// not believed.
	w = h.deliver(body, "10.0.0.2:5555", "185.71.76.5, 198.51.100.1, 192.168.1.1")
	assertAnswer(t, w, http.StatusForbidden, "source address")
	// A malformed entry makes the request foreign.
	w = h.deliver(body, "10.0.0.2:5555", "185.71.76.5, _gateway")
	assertAnswer(t, w, http.StatusForbidden, "source address")
	// A proxy that forwards without the header: the proxy is the source.
	w = h.deliver(body, "10.0.0.2:5555")
	assertAnswer(t, w, http.StatusForbidden, "source address")
	// Only proxies listed: the left-most proxy is the source.
	w = h.deliver(body, "10.0.0.2:5555", "192.168.7.7, 10.1.1.1")
	assertAnswer(t, w, http.StatusForbidden, "source address")

	assert.Len(t, h.received(), 2)
	assert.Contains(t, h.logs.String(), "malformed X-Forwarded-For entry")
	assert.Contains(t, h.logs.String(), "peer=10.0.0.2")
}

func TestHandlerIPv6AndMappedSources(t *testing.T) {
	h := newHarness(t)
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	body := readTestdata(t, "payment_succeeded.json")
	for _, remote := range []string{
		"[2a02:5180::1]:443",
		"[2a02:5180:0:2655::10]:8443",
		"[::ffff:185.71.76.5]:443",
		"[::ffff:77.75.156.11]:443",
		"[2a02:5180::1%eth0]:443",
		"77.75.154.200:443",
	} {
		w := h.deliver(body, remote)
		assertAnswer(t, w, http.StatusOK, "ok")
	}
	assert.Len(t, h.received(), 6)
}

func TestHandlerAllowedSourcesOption(t *testing.T) {
	body := readTestdata(t, "payment_succeeded.json")
	h := newHarness(t, WithAllowedSources(netip.MustParsePrefix("::ffff:198.51.100.0/120")))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	assertAnswer(t, h.deliver(body, "198.51.100.20:1"), http.StatusOK, "ok")
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusForbidden, "source address")
}

func TestHandlerWithoutIPCheck(t *testing.T) {
	h := newHarness(t, WithoutIPCheck())
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	w := h.deliver(readTestdata(t, "payment_succeeded.json"), foreignPeer)
	assertAnswer(t, w, http.StatusOK, "ok")
	assert.Len(t, h.api.calls(), 1, "the object is still re-read")
	assert.Len(t, h.received(), 1)
}

func TestHandlerWithoutRefetch(t *testing.T) {
	var got []*Event
	handler, err := NewHandler(nil, func(_ context.Context, ev *Event) error {
		got = append(got, ev)
		return nil
	}, WithoutRefetch())
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(readTestdata(t, "payment_canceled.json")))
	r.RemoteAddr = yooKassaPeer
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	assertAnswer(t, w, http.StatusOK, "ok")
	require.Len(t, got, 1)
	require.NotNil(t, got[0].Payment)
	assert.Equal(t, yookassa.PaymentStatusCanceled, got[0].Payment.Status, "the delivered payment")
	require.NotNil(t, got[0].Payment.CancellationDetails)
	assert.Equal(t, yookassa.ReasonGeneralDecline, got[0].Payment.CancellationDetails.Reason)

	// The source check still applies.
	r = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(readTestdata(t, "payment_canceled.json")))
	r.RemoteAddr = foreignPeer
	w = httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	assertAnswer(t, w, http.StatusForbidden, "source address")
	assert.Len(t, got, 1)
}

func TestHandlerOversizedBody(t *testing.T) {
	h := newHarness(t)
	body := append([]byte(`{"type":"notification","event":"deal.closed","object":{"id":"dl-1","pad":"`),
		bytes.Repeat([]byte("x"), MaxBodySize)...)
	body = append(body, `"}}`...)

	w := h.deliver(body, yooKassaPeer)
	assertAnswer(t, w, http.StatusRequestEntityTooLarge, "too large")

	// Without a Content-Length the limit applies while reading.
	r := httptest.NewRequest(http.MethodPost, "/", struct{ *bytes.Reader }{bytes.NewReader(body)})
	r.ContentLength = -1
	r.RemoteAddr = yooKassaPeer
	w = httptest.NewRecorder()
	h.handler.ServeHTTP(w, r)
	assertAnswer(t, w, http.StatusRequestEntityTooLarge, "too large")

	// A smaller limit by option.
	small := newHarness(t, WithMaxBodySize(512))
	small.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	w = small.deliver(readTestdata(t, "payment_succeeded.json"), yooKassaPeer)
	assertAnswer(t, w, http.StatusRequestEntityTooLarge, "the limit is 512 bytes")

	// A larger limit by option lets a body over MaxBodySize through.
	large := newHarness(t, WithMaxBodySize(2*MaxBodySize), WithoutRefetchFor(yookassa.EventDealClosed))
	w = large.deliver(body, yooKassaPeer)
	assertAnswer(t, w, http.StatusOK, "ok")

	assert.Empty(t, h.received())
	assert.Empty(t, small.received())
	assert.Len(t, large.received(), 1)
}

func TestHandlerMethodNotAllowed(t *testing.T) {
	h := newHarness(t)
	for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete} {
		r := httptest.NewRequest(method, "/yookassa/notifications", nil)
		r.RemoteAddr = yooKassaPeer
		w := httptest.NewRecorder()
		h.handler.ServeHTTP(w, r)
		assert.Equal(t, http.StatusMethodNotAllowed, w.Code, method)
		assert.Equal(t, "POST", w.Header().Get("Allow"), method)
		if method != http.MethodHead {
			assert.Contains(t, w.Body.String(), "POST")
		}
	}
	assert.Empty(t, h.received())
}

func TestHandlerMalformedBody(t *testing.T) {
	h := newHarness(t)
	tests := []struct{ name, body, want string }{
		{"not JSON", `<xml/>`, "not a JSON notification object"},
		{"empty", ``, "not a JSON notification object"},
		{"wrong type", `{"type":"payment","event":"payment.succeeded","object":{"id":"` + paymentID + `"}}`, `type is "payment"`},
		{"missing object", `{"type":"notification","event":"payment.succeeded"}`, "object is missing"},
		{"payment without id", `{"type":"notification","event":"payment.succeeded","object":{"status":"succeeded"}}`, "id is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := h.deliver([]byte(tt.body), yooKassaPeer)
			assertAnswer(t, w, http.StatusBadRequest, tt.want)
			assert.Contains(t, w.Body.String(), "malformed notification")
		})
	}
	assert.Empty(t, h.received())
	assert.Empty(t, h.api.calls())
}

// An event of an object the package does not know cannot be verified: it
// is acknowledged (YooKassa would repeat it for a day) but not passed on,
// unless WithoutRefetchFor names it.
func TestHandlerUnknownObjectEvents(t *testing.T) {
	body := []byte(`{"type":"notification","event":"invoice.succeeded","object":{"id":"in-e44e8088-bd73-43b1-959a-954f3a7d0c54","status":"succeeded"}}`)
	h := newHarness(t)
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "ignored")
	assert.Empty(t, h.received())
	assert.Empty(t, h.api.calls())
	assert.Contains(t, h.logs.String(), "level=WARN")
	assert.Contains(t, h.logs.String(), "event=invoice.succeeded")

	h = newHarness(t, WithoutRefetchFor("invoice.succeeded"))
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "ok")
	assert.Empty(t, h.api.calls())
	events := h.received()
	require.Len(t, events, 1)
	ev := events[0]
	assert.Equal(t, yookassa.EventType("invoice.succeeded"), ev.Event)
	assert.False(t, ev.Verified)
	_, typed := typedObject(ev)
	assert.Zero(t, typed)
	assert.Equal(t, "in-e44e8088-bd73-43b1-959a-954f3a7d0c54", ev.ObjectID())
	// It still needs a YooKassa source.
	assertAnswer(t, h.deliver(body, foreignPeer), http.StatusForbidden, "source address")
	assert.Len(t, h.received(), 1)
}

// Regular payouts are read with the payout gateway's credentials: the
// shop's client does not find them.
func TestHandlerPayoutClient(t *testing.T) {
	body := readTestdata(t, "payout_succeeded.json")
	path := "/payouts/" + payoutID

	h := newHarness(t)
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusUnprocessableEntity, "does not exist")
	assert.Empty(t, h.received())

	h = newHarness(t)
	h.api.fail(http.StatusUnauthorized)
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusInternalServerError, "cannot verify")
	assert.Contains(t, h.logs.String(), "WithPayoutClient", "the log says what is missing")

	gateway := &fakeAPI{objects: map[string][]byte{}}
	srv := httptest.NewServer(gateway)
	t.Cleanup(srv.Close)
	gatewayClient, err := yookassa.NewClient("505050", "payout_secret", yookassa.WithBaseURL(srv.URL))
	require.NoError(t, err)
	gateway.put(t, path, "payout_succeeded.json", "")
	h = newHarness(t, WithPayoutClient(gatewayClient))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "ok")
	assert.Equal(t, []string{"GET " + path}, gateway.calls(), "payouts are read with the gateway's client")
	assertAnswer(t, h.deliver(readTestdata(t, "payment_succeeded.json"), yooKassaPeer), http.StatusOK, "ok")
	assert.Equal(t, []string{"GET /payments/" + paymentID}, h.api.calls(), "everything else with the shop's")
	events := h.received()
	require.Len(t, events, 2)
	require.NotNil(t, events[0].Payout)
	assert.True(t, events[0].Verified)
	assert.Equal(t, yookassa.PayoutStatusSucceeded, events[0].Payout.Status)
}

// WithoutRefetchFor is the explicit opt-out: the named events reach the
// callback as delivered, marked unverified; the others are still re-read.
func TestHandlerWithoutRefetchFor(t *testing.T) {
	h := newHarness(t, WithoutRefetchFor(yookassa.EventPayoutSucceeded, yookassa.EventPayoutCanceled))
	assertAnswer(t, h.deliver(readTestdata(t, "payout_canceled.json"), yooKassaPeer), http.StatusOK, "ok")
	assert.Empty(t, h.api.calls(), "not re-read")
	events := h.received()
	require.Len(t, events, 1)
	require.NotNil(t, events[0].Payout, "the delivered payout, decoded")
	assert.False(t, events[0].Verified)
	assert.Equal(t, yookassa.ReasonGeneralDecline, events[0].Payout.CancellationDetails.Reason)

	assertAnswer(t, h.deliver(readTestdata(t, "deal_closed.json"), yooKassaPeer), http.StatusUnprocessableEntity, "does not exist")
	assert.Equal(t, []string{"GET /deals/" + dealID}, h.api.calls(), "other events are still re-read")
}

func TestHandlerDeduplicatesRepeatedDelivery(t *testing.T) {
	h := newHarness(t, WithDeduplication(NewMemoryDeduplicator(0, 0)))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	body := readTestdata(t, "payment_succeeded.json")

	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "ok")
	for range 3 {
		assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "already processed")
	}
	assert.Len(t, h.received(), 1, "the callback runs once")
	assert.Len(t, h.api.calls(), 1, "a repeated delivery is not re-read")

	// Another event of the same payment is a different delivery.
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "canceled")
	assertAnswer(t, h.deliver(readTestdata(t, "payment_canceled.json"), yooKassaPeer), http.StatusOK, "ok")
	assert.Len(t, h.received(), 2)
}

func TestHandlerRefetchDisagrees(t *testing.T) {
	tests := []struct {
		name, file, fetched string
		status              int
		want                string
	}{
		{"succeeded but still waiting", "payment_succeeded.json", "waiting_for_capture", http.StatusServiceUnavailable, `still "waiting_for_capture", not yet "succeeded"`},
		{"succeeded but still pending", "payment_succeeded.json", "pending", http.StatusServiceUnavailable, "retry later"},
		{"canceled but still pending", "payment_canceled.json", "pending", http.StatusServiceUnavailable, "retry later"},
		{"succeeded but canceled", "payment_succeeded.json", "canceled", http.StatusConflict, `is "canceled", not "succeeded"`},
		{"canceled but succeeded", "payment_canceled.json", "succeeded", http.StatusConflict, `is "succeeded", not "canceled"`},

		{"unknown fetched status", "payment_succeeded.json", "frozen", http.StatusConflict, `is "frozen"`},
		{"refund still pending", "refund_succeeded.json", "pending", http.StatusServiceUnavailable, `still "pending"`},
		{"refund canceled", "refund_succeeded.json", "canceled", http.StatusConflict, `is "canceled", not "succeeded"`},
		{"payout still pending", "payout_succeeded.json", "pending", http.StatusServiceUnavailable, `still "pending"`},
		{"payout canceled", "payout_succeeded.json", "canceled", http.StatusConflict, `is "canceled", not "succeeded"`},
		{"payout succeeded", "payout_canceled.json", "succeeded", http.StatusConflict, `is "succeeded", not "canceled"`},
		{"deal still opened", "deal_closed.json", "opened", http.StatusServiceUnavailable, `still "opened"`},
		{"method still pending", "payment_method_active.json", "pending", http.StatusServiceUnavailable, `still "pending"`},
		{"method inactive", "payment_method_active.json", "inactive", http.StatusConflict, `is "inactive", not "active"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, WithDeduplication(NewMemoryDeduplicator(time.Hour, 10)))
			path := pathOf(t, tt.file)
			h.api.put(t, path, tt.file, tt.fetched)
			w := h.deliver(readTestdata(t, tt.file), yooKassaPeer)
			assertAnswer(t, w, tt.status, tt.want)
			assert.Empty(t, h.received(), "the callback is not called")

			// Once YooKassa's copy agrees, the redelivery goes through: the
			// refusal was not marked as processed.
			h.api.put(t, path, tt.file, "")
			assertAnswer(t, h.deliver(readTestdata(t, tt.file), yooKassaPeer), http.StatusOK, "ok")
			assert.Len(t, h.received(), 1)
		})
	}
}

// A waiting_for_capture notification that arrives after the payment was
// captured or canceled is genuine but late: it is acknowledged, so YooKassa
// stops repeating it, and the callback is not called with stale news.
func TestHandlerAcknowledgesLateNotifications(t *testing.T) {
	for _, fetched := range []string{"succeeded", "canceled"} {
		t.Run(fetched, func(t *testing.T) {
			h := newHarness(t)
			h.api.put(t, "/payments/"+paymentID, "payment_waiting_for_capture.json", fetched)
			w := h.deliver(readTestdata(t, "payment_waiting_for_capture.json"), yooKassaPeer)
			assertAnswer(t, w, http.StatusOK, `already "`+fetched+`"`)
			assert.Empty(t, h.received(), "the callback is not called")
		})
	}
}

func TestHandlerRefetchNotFound(t *testing.T) {
	h := newHarness(t)
	// The API knows no such payment: a forged or foreign id.
	w := h.deliver(readTestdata(t, "payment_succeeded.json"), yooKassaPeer)
	assertAnswer(t, w, http.StatusUnprocessableEntity, "does not exist at YooKassa")
	assert.Equal(t, []string{"GET /payments/" + paymentID}, h.api.calls())
	assert.Empty(t, h.received())

	logs := h.logs.String()
	assert.Contains(t, logs, "level=WARN")
	assert.Contains(t, logs, "status=422")
	assert.Contains(t, logs, "source=185.71.76.5")
	assert.Contains(t, logs, "event=payment.succeeded")
	assert.Contains(t, logs, "object_id="+paymentID)
	assert.Contains(t, logs, "a forged id")
	assert.NotContains(t, logs, "4825.00", "bodies are not logged")

	w = h.deliver(readTestdata(t, "refund_succeeded.json"), yooKassaPeer)
	assertAnswer(t, w, http.StatusUnprocessableEntity, "does not exist at YooKassa")
	assert.Empty(t, h.received())
}

func TestHandlerRefetchFails(t *testing.T) {
	h := newHarness(t)
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	h.api.fail(http.StatusInternalServerError)
	w := h.deliver(readTestdata(t, "payment_succeeded.json"), yooKassaPeer)
	assertAnswer(t, w, http.StatusInternalServerError, "cannot verify")
	assert.Empty(t, h.received())
	assert.Contains(t, h.logs.String(), "level=ERROR")

	// Wrong credentials are the shop's problem, not the sender's: 500 so
	// that YooKassa keeps trying while the shop fixes them.
	h.api.fail(http.StatusUnauthorized)
	w = h.deliver(readTestdata(t, "payment_succeeded.json"), yooKassaPeer)
	assertAnswer(t, w, http.StatusInternalServerError, "cannot verify")
	assert.Contains(t, h.logs.String(), "check the client's credentials")

	// YooKassa is back: the redelivery is processed.
	h.api.fail(0)
	assertAnswer(t, h.deliver(readTestdata(t, "payment_succeeded.json"), yooKassaPeer), http.StatusOK, "ok")
	assert.Len(t, h.received(), 1)
}

func TestHandlerRefetchNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	client, err := yookassa.NewClient("100500", "test_secret",
		yookassa.WithBaseURL(url), yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
	require.NoError(t, err)
	called := false
	handler := Handler(client, func(context.Context, *Event) error { called = true; return nil })
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(readTestdata(t, "payment_succeeded.json")))
	r.RemoteAddr = yooKassaPeer
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	assertAnswer(t, w, http.StatusInternalServerError, "cannot verify")
	assert.False(t, called)
}

func TestHandlerCallbackFailureIsRetried(t *testing.T) {
	h := newHarness(t, WithDeduplication(NewMemoryDeduplicator(time.Hour, 100)))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	body := readTestdata(t, "payment_succeeded.json")

	h.setCallbackError(errors.New("database is down"))
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusInternalServerError, "retry later")
	assert.Contains(t, h.logs.String(), "database is down")

	h.setCallbackError(nil)
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "ok")
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "already processed")
	assert.Len(t, h.received(), 2, "called for the failed delivery and its redelivery, not after")
}

// failingStore is a Deduplicator whose store is down.
type failingStore struct {
	seenErr, markErr error
	marked           []string
}

func (f *failingStore) Seen(context.Context, string) (bool, error) { return false, f.seenErr }

func (f *failingStore) Mark(ctx context.Context, key string) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	f.marked = append(f.marked, key)
	return f.markErr
}

func TestHandlerDeduplicatorFailures(t *testing.T) {
	body := readTestdata(t, "payment_succeeded.json")

	store := &failingStore{seenErr: errors.New("redis: connection refused")}
	h := newHarness(t, WithDeduplication(store))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusInternalServerError, "repeated delivery")
	assert.Empty(t, h.received())
	assert.Empty(t, h.api.calls())

	// Marking fails after the callback succeeded: acknowledged, logged.
	store = &failingStore{markErr: errors.New("redis: read only")}
	h = newHarness(t, WithDeduplication(store))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	assertAnswer(t, h.deliver(body, yooKassaPeer), http.StatusOK, "ok")
	assert.Len(t, h.received(), 1)
	assert.Equal(t, []string{"payment.succeeded:" + paymentID}, store.marked)
	assert.Contains(t, h.logs.String(), "redis: read only")
}

func TestHandlerMarksWithLiveContext(t *testing.T) {
	// The request's context ends as soon as the callback returns (the
	// sender hung up); the delivery is marked all the same.
	store := &failingStore{}
	h := newHarness(t, WithDeduplication(store))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	ctx, cancel := context.WithCancel(context.Background())
	handler, err := NewHandler(h.client, func(context.Context, *Event) error { cancel(); return nil },
		WithDeduplication(store))
	require.NoError(t, err)
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(readTestdata(t, "payment_succeeded.json")))
	r.RemoteAddr = yooKassaPeer
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	assertAnswer(t, w, http.StatusOK, "ok")
	assert.Equal(t, []string{"payment.succeeded:" + paymentID}, store.marked)
}

func TestHandlerConcurrentRedelivery(t *testing.T) {
	h := newHarness(t, WithDeduplication(NewMemoryDeduplicator(time.Hour, 100)))
	h.api.put(t, "/payments/"+paymentID, "payment_succeeded.json", "")
	body := readTestdata(t, "payment_succeeded.json")

	entered := make(chan struct{})
	release := make(chan struct{})
	var calls int
	var mu sync.Mutex
	handler, err := NewHandler(h.client, func(context.Context, *Event) error {
		mu.Lock()
		calls++
		mu.Unlock()
		entered <- struct{}{}
		<-release
		return nil
	}, WithDeduplication(NewMemoryDeduplicator(time.Hour, 100)))
	require.NoError(t, err)
	post := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.RemoteAddr = yooKassaPeer
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		return w
	}

	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- post() }()
	<-entered
	// YooKassa gave up waiting and delivers again while the first
	// delivery is still being processed.
	assertAnswer(t, post(), http.StatusServiceUnavailable, "being processed")
	close(release)
	assertAnswer(t, <-first, http.StatusOK, "ok")
	assertAnswer(t, post(), http.StatusOK, "already processed")
	assert.Equal(t, 1, calls)
}

func TestHandlerConfiguration(t *testing.T) {
	client, err := yookassa.NewClient("100500", "test_secret")
	require.NoError(t, err)
	fn := func(context.Context, *Event) error { return nil }

	tests := []struct {
		name   string
		client *yookassa.Client
		fn     func(context.Context, *Event) error
		opts   []HandlerOption
		want   string
	}{
		{"nil client", nil, fn, nil, "nil client"},
		{"nil callback", client, nil, nil, "nil callback"},
		{"empty allowlist", client, fn, []HandlerOption{WithAllowedSources()}, "refuse every request"},
		{"invalid allowed prefix", client, fn, []HandlerOption{WithAllowedSources(netip.Prefix{})}, "WithAllowedSources: prefix 0"},
		{"invalid proxy prefix", client, fn, []HandlerOption{WithTrustedProxies(netip.MustParsePrefix("10.0.0.0/8"), netip.Prefix{})}, "WithTrustedProxies: prefix 1"},
		{"zero body size", client, fn, []HandlerOption{WithMaxBodySize(0)}, "not a positive size"},
		{"nil deduplicator", client, fn, []HandlerOption{WithDeduplication(nil)}, "nil Deduplicator"},
		{"nil payout client", client, fn, []HandlerOption{WithPayoutClient(nil)}, "WithPayoutClient: nil client"},
		{"bad event name", client, fn, []HandlerOption{WithoutRefetchFor(yookassa.EventPayoutSucceeded, "Payout Succeeded")}, "is not an event name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewHandler(tt.client, tt.fn, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, h)
			assert.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), tt.want)

			// Handler does not panic: it logs and answers 500.
			var logs syncBuffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			broken := Handler(tt.client, tt.fn, append(tt.opts, WithLogger(logger))...)
			require.NotNil(t, broken)
			assert.Contains(t, logs.String(), tt.want, "logged at construction")
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(readTestdata(t, "payment_succeeded.json")))
			r.RemoteAddr = yooKassaPeer
			w := httptest.NewRecorder()
			broken.ServeHTTP(w, r)
			assertAnswer(t, w, http.StatusInternalServerError, "misconfigured")
		})
	}

	// Several problems are all reported.
	_, err = NewHandler(nil, nil, WithMaxBodySize(-1))
	require.Error(t, err)
	for _, want := range []string{"nil client", "nil callback", "not a positive size"} {
		assert.Contains(t, err.Error(), want)
	}

	// An empty allowlist is fine when the IP check is off on purpose, and
	// a nil client is fine without re-reads.
	_, err = NewHandler(nil, fn, WithAllowedSources(), WithoutIPCheck(), WithoutRefetch())
	assert.NoError(t, err)
}

// pathOf is the API path of the object of a testdata notification.
func pathOf(t *testing.T, file string) string {
	t.Helper()
	ev, err := Parse(readTestdata(t, file))
	require.NoError(t, err)
	collection := map[string]string{"payment": "/payments/", "refund": "/refunds/", "payout": "/payouts/",
		"deal": "/deals/", "payment_method": "/payment_methods/"}[ev.Kind()]
	require.NotEmpty(t, collection, file)
	return collection + ev.ObjectID()
}

// WithRefetchPolicy bounds the re-read of a payment by its own policy, not
// the client's.
func TestHandlerRefetchPolicy(t *testing.T) {
	// Every kind of object is re-read under the handler's policy.
	for _, name := range []string{"payment_succeeded.json", "refund_succeeded.json", "payout_succeeded.json", "deal_closed.json", "payment_method_active.json"} {
		t.Run(name, func(t *testing.T) {
			api := &fakeAPI{objects: map[string][]byte{}}
			api.fail(http.StatusInternalServerError)
			srv := httptest.NewServer(api)
			t.Cleanup(srv.Close)
			patient, err := yookassa.NewClient("100500", "test_secret", yookassa.WithBaseURL(srv.URL),
				yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
			require.NoError(t, err)
			fn := func(context.Context, *Event) error { return nil }
			deliver := func(h http.Handler) int {
				r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(readTestdata(t, name)))
				r.RemoteAddr = yooKassaPeer
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				return w.Code
			}

			h, err := NewHandler(patient, fn)
			require.NoError(t, err)
			assert.Equal(t, http.StatusInternalServerError, deliver(h))
			assert.Len(t, api.calls(), 4, "the client's policy")

			h, err = NewHandler(patient, fn, WithRefetchPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
			require.NoError(t, err)
			assert.Equal(t, http.StatusInternalServerError, deliver(h))
			assert.Len(t, api.calls(), 5, "one attempt more: the handler's policy")

			_, err = NewHandler(patient, fn, WithRefetchPolicy(yookassa.RetryPolicy{}))
			assert.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
}
