package yookassatest

import (
	"bytes"
	"container/heap"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// Default credentials of a simulator; change them with WithCredentials and
// WithOAuthToken.
const (
	DefaultShopID     = "100500"
	DefaultSecretKey  = "test_simulator_secret_key"
	DefaultOAuthToken = "test_simulator_oauth_token"
	DefaultGatewayID  = "100700"
)

// DefaultTariffs are the installment options enabled by default:
// installments_3 at 4.5%, installments_6 at 7% and installments_12 at 10%,
// so the default installment minimum is 3,300 RUB.
func DefaultTariffs() map[sberloan.Option]decimal.Decimal {
	return map[sberloan.Option]decimal.Decimal{
		"installments_3":  decimal.RequireFromString("4.5"),
		"installments_6":  decimal.RequireFromString("7"),
		"installments_12": decimal.RequireFromString("10"),
	}
}

// DefaultCommissionPercent is YooKassa's fee the simulator takes from
// income_amount unless WithCommission says otherwise.
var DefaultCommissionPercent = decimal.RequireFromString("3.5")

// idempotenceTTL is how long YooKassa remembers an Idempotence-Key.
const idempotenceTTL = 24 * time.Hour

// maxRequestBody bounds the JSON bodies the simulator reads.
const maxRequestBody = 1 << 20

// Server is a running simulator. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server

	shopID, secret, oauthToken string
	loan                       sberloan.Config
	clock                      clock

	mu        sync.Mutex
	rng       *rand.Rand
	faults    []*fault
	injected  int
	payments  map[string]*payment
	order     []*payment // creation order
	refunds   map[string]*refundEntry
	refundSeq []*refundEntry
	receipts  map[string]*receiptEntry
	rcptSeq   []*receiptEntry
	webhooks  map[string]yookassa.Webhook
	keys      map[string]*idemEntry
	keyOrder  []*idemEntry
	timers    timerHeap
	seq       int
	outbox    []event // notifications waiting for the lock to be released
	resources         // saved methods, invoices, deals, payouts, personal data (resources.go)
	gateway           // the payout gateway's settings (resources.go)

	notify notifier
}

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the shop ID and secret key the simulator accepts
// with HTTP Basic authentication.
func WithCredentials(shopID, secretKey string) Option {
	return func(s *Server) { s.shopID, s.secret = shopID, secretKey }
}

// WithOAuthToken sets the OAuth token the simulator accepts (Bearer).
func WithOAuthToken(token string) Option { return func(s *Server) { s.oauthToken = token } }

// WithTariffs replaces the enabled installment options and their discount
// percentages (DefaultTariffs).
func WithTariffs(t map[sberloan.Option]decimal.Decimal) Option {
	return func(s *Server) { s.loan.Tariffs = copyTariffs(t) }
}

// WithLimits replaces the sber_loan limits (sberloan.DefaultLimits).
func WithLimits(l sberloan.Limits) Option { return func(s *Server) { s.loan.Limits = l } }

// WithCommission sets YooKassa's fee in percent (DefaultCommissionPercent).
func WithCommission(percent decimal.Decimal) Option {
	return func(s *Server) { s.loan.CommissionPercent = percent }
}

// WithStartTime freezes the simulator's clock at t; only Advance moves it.
// By default the clock follows the wall clock (plus whatever Advance adds).
func WithStartTime(t time.Time) Option {
	return func(s *Server) { s.clock.frozen, s.clock.base = true, t }
}

// WithSeed seeds the source of probabilistic faults, so that a run can be
// repeated exactly.
func WithSeed(seed uint64) Option { return func(s *Server) { s.rng = newRand(seed) } }

// WithFaults injects faults from the start (see Server.InjectFault).
func WithFaults(faults ...Fault) Option {
	return func(s *Server) {
		for _, f := range faults {
			s.faults = append(s.faults, &fault{Fault: f})
		}
	}
}

// WithWebhook makes the simulator POST notifications to url on every
// payment and refund transition (payment.waiting_for_capture,
// payment.succeeded, payment.canceled, refund.succeeded). Each notification
// is delivered on its own, so two of them may arrive in either order, as
// with YooKassa; the object in each is a snapshot as of its event.
func WithWebhook(url string) Option { return func(s *Server) { s.notify.url = url } }

// WithNotificationSource sets the address notifications come from. A
// loopback address (127.0.0.2, ...) is used as the local address of the
// connection. Any other address (for example 185.71.76.1, one of
// YooKassa's) is sent in X-Forwarded-For from a loopback peer, as if through
// a reverse proxy in front of the shop: the receiving handler must then
// trust loopback as a proxy. The default is 127.0.0.1.
func WithNotificationSource(addr netip.Addr) Option {
	return func(s *Server) { s.notify.source = addr }
}

// WithNotificationRetry bounds re-delivery: at most attempts deliveries of
// each notification, waiting delay (doubling) between them. The default is
// 5 attempts, 50 ms apart at first.
func WithNotificationRetry(attempts int, delay time.Duration) Option {
	return func(s *Server) {
		if attempts > 0 {
			s.notify.attempts = attempts
		}
		if delay > 0 {
			s.notify.delay = delay
		}
	}
}

// NewServer starts a simulator on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		shopID: DefaultShopID, secret: DefaultSecretKey, oauthToken: DefaultOAuthToken,
		loan:     sberloan.Config{Limits: sberloan.DefaultLimits, Tariffs: DefaultTariffs(), CommissionPercent: DefaultCommissionPercent},
		rng:      newRand(1),
		payments: map[string]*payment{}, refunds: map[string]*refundEntry{}, receipts: map[string]*receiptEntry{},
		webhooks: map[string]yookassa.Webhook{}, keys: map[string]*idemEntry{},
		resources: newResources(), gateway: newGateway(),
	}
	s.notify = notifier{attempts: 5, delay: 50 * time.Millisecond, source: netip.MustParseAddr("127.0.0.1")}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	s.srv = httptest.NewServer(s.routes())
	s.notify.start()
	return s
}

// URL is the base URL of the API, for example http://127.0.0.1:41234/v3.
func (s *Server) URL() string { return s.srv.URL + "/v3" }

// CheckoutURL is the confirmation page of a payment (the confirmation_url
// of a redirect payment).
func (s *Server) CheckoutURL(paymentID string) string { return s.srv.URL + "/checkout/" + paymentID }

// ShopID and SecretKey are the Basic credentials the simulator accepts.
func (s *Server) ShopID() string { return s.shopID }

// SecretKey is the secret key the simulator accepts with ShopID.
func (s *Server) SecretKey() string { return s.secret }

// OAuthToken is the OAuth token the simulator accepts.
func (s *Server) OAuthToken() string { return s.oauthToken }

// LoanConfig is the sber_loan configuration the simulator applies: limits,
// tariffs and commission (a copy).
func (s *Server) LoanConfig() sberloan.Config {
	c := s.loan
	c.Tariffs = copyTariffs(s.loan.Tariffs)
	return c
}

func copyTariffs(t map[sberloan.Option]decimal.Decimal) map[sberloan.Option]decimal.Decimal {
	out := make(map[sberloan.Option]decimal.Decimal, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

// Client returns a client with the simulator's Basic credentials, pointed at
// it; opts are applied after those. It panics if an option is invalid, as
// the misuse of a test helper.
func (s *Server) Client(opts ...yookassa.Option) *yookassa.Client {
	c, err := yookassa.NewClient(s.shopID, s.secret, append([]yookassa.Option{yookassa.WithBaseURL(s.URL())}, opts...)...)
	if err != nil {
		panic("yookassatest: " + err.Error())
	}
	return c
}

// OAuthClient returns a client with the simulator's OAuth token (needed for
// webhooks), pointed at it. It panics if an option is invalid.
func (s *Server) OAuthClient(opts ...yookassa.Option) *yookassa.Client {
	c, err := yookassa.NewOAuthClient(s.oauthToken, append([]yookassa.Option{yookassa.WithBaseURL(s.URL())}, opts...)...)
	if err != nil {
		panic("yookassatest: " + err.Error())
	}
	return c
}

// Close stops the server and waits for notifications in flight.
func (s *Server) Close() {
	s.notify.stop()
	s.srv.Close()
}

// Now is the simulator's current time.
func (s *Server) Now() time.Time { return s.clock.now() }

// Advance moves the simulator's clock forward by d and applies what falls
// due: pending payments past their deadline are canceled
// (expired_on_confirmation), cooling-off pauses end, holds past expires_at
// are canceled (expired_on_capture), and idempotence keys older than 24 hours
// are forgotten.
func (s *Server) Advance(d time.Duration) {
	s.clock.advance(d)
	s.mu.Lock()
	s.tick()
	s.mu.Unlock()
	s.flushOutbox()
}

// InjectFault adds a fault for the requests that follow.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, &fault{Fault: f})
	s.mu.Unlock()
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// FaultsInjected is how many faults fired so far.
func (s *Server) FaultsInjected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.injected
}

// identity is who made a request.
type identity struct {
	oauth bool
	name  string // scope of idempotence keys
}

func (s *Server) authenticate(r *http.Request) (identity, bool) {
	h := r.Header.Get("Authorization")
	if token, ok := strings.CutPrefix(h, "Bearer "); ok {
		return identity{oauth: true, name: "oauth"}, subtle.ConstantTimeCompare([]byte(token), []byte(s.oauthToken)) == 1
	}
	if enc, ok := strings.CutPrefix(h, "Basic "); ok {
		raw, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return identity{}, false
		}
		if s.isAgent(raw) {
			return identity{name: agentIdentity}, true
		}
		want := s.shopID + ":" + s.secret
		return identity{name: "basic"}, subtle.ConstantTimeCompare(raw, []byte(want)) == 1
	}
	return identity{}, false
}

// apiRequest is what an endpoint handler gets.
type apiRequest struct {
	id   identity
	r    *http.Request
	body []byte
	key  string
}

// answer is what an endpoint handler returns: a status and a JSON value.
type answer struct {
	status int
	body   any
}

func ok(v any) answer { return answer{http.StatusOK, v} }

// errorObject is YooKassa's error body.
type errorObject struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
	Parameter   string `json:"parameter,omitempty"`
	RetryAfter  int64  `json:"retry_after,omitempty"`
}

func apiError(status int, code, parameter, format string, args ...any) answer {
	return answer{status, errorObject{Type: "error", ID: newID(), Code: code, Parameter: parameter, Description: fmt.Sprintf(format, args...)}}
}

func invalid(parameter, format string, args ...any) answer {
	return apiError(http.StatusBadRequest, yookassa.CodeInvalidRequest, parameter, format, args...)
}

func notFound(parameter, what string) answer {
	return apiError(http.StatusNotFound, yookassa.CodeNotFound, parameter, "%s not found or forbidden", what)
}

// idemEntry is a remembered Idempotence-Key.
type idemEntry struct {
	scope       string
	fingerprint [32]byte
	at          time.Time
	status      int
	body        []byte
}

type handler func(*apiRequest) answer

// routes wires the API. Patterns double as the endpoint names of faults.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	api := map[string]handler{
		"POST /v3/payments":              s.createPayment,
		"GET /v3/payments":               s.listPayments,
		"GET /v3/payments/{id}":          s.getPayment,
		"POST /v3/payments/{id}/capture": s.capturePayment,
		"POST /v3/payments/{id}/cancel":  s.cancelPayment,
		"POST /v3/refunds":               s.createRefund,
		"GET /v3/refunds":                s.listRefunds,
		"GET /v3/refunds/{id}":           s.getRefund,
		"POST /v3/receipts":              s.createReceipt,
		"GET /v3/receipts":               s.listReceipts,
		"GET /v3/receipts/{id}":          s.getReceipt,
		"GET /v3/me":                     s.me,
		"POST /v3/webhooks":              s.createWebhook,
		"GET /v3/webhooks":               s.listWebhooks,
		"DELETE /v3/webhooks/{id}":       s.deleteWebhook,
	}
	for pattern, h := range s.resourceRoutes() {
		api[pattern] = h
	}
	for pattern, h := range api {
		mux.Handle(pattern, s.api(pattern, h))
	}
	mux.HandleFunc("GET /checkout/{id}", s.checkoutPage)
	mux.HandleFunc("POST /checkout/{id}", s.checkoutSubmit)
	s.resourcePages(mux)
	return mux
}

// api wraps an endpoint: authentication, faults, idempotence and locking.
func (s *Server) api(pattern string, h handler) http.Handler {
	endpoint := endpointName(pattern)
	webhooks := strings.Contains(pattern, "/webhooks")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, authed := s.authenticate(r)
		if !authed {
			writeJSON(w, apiError(http.StatusUnauthorized, yookassa.CodeInvalidCredentials, "", "Authentication by given credentials failed"))
			return
		}
		if webhooks && !id.oauth {
			writeJSON(w, apiError(http.StatusForbidden, yookassa.CodeForbidden, "", "Webhooks are available with an OAuth token only"))
			return
		}
		if refusal := scope(endpoint, id); refusal != nil {
			writeJSON(w, *refusal)
			return
		}
		s.mu.Lock()
		latency, failure := s.pickFaults(endpoint)
		s.mu.Unlock()
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		if failure != nil {
			switch failure.Kind {
			case FaultInternalBefore:
				writeJSON(w, apiError(http.StatusInternalServerError, yookassa.CodeInternalServerError, "", "Internal server error"))
				return
			case FaultProcessing:
				writeJSON(w, answer{http.StatusAccepted, map[string]any{"type": "processing",
					"description": "Request accepted, but not processed yet. Retry again with the same Idempotence-Key",
					"retry_after": retryAfterMillis(failure.RetryAfter)}})
				return
			case FaultTooManyRequests:
				e := apiError(http.StatusTooManyRequests, yookassa.CodeTooManyRequests, "", "Too many requests")
				eo := e.body.(errorObject)
				eo.RetryAfter = retryAfterMillis(failure.RetryAfter)
				writeJSON(w, answer{e.status, eo})
				return
			}
		}

		req := &apiRequest{id: id, r: r}
		var status int
		var body []byte
		if r.Method == http.MethodGet {
			s.mu.Lock()
			s.tick()
			a := h(req)
			status, body = a.status, marshal(a.body)
			s.mu.Unlock()
		} else {
			var refusal *answer
			status, body, refusal = s.idempotent(req, endpoint, h, w)
			if refusal != nil {
				writeJSON(w, *refusal)
				return
			}
		}
		s.flushOutbox()
		if failure != nil {
			switch failure.Kind {
			case FaultInternalAfter:
				writeJSON(w, apiError(http.StatusInternalServerError, yookassa.CodeInternalServerError, "", "Internal server error"))
				return
			case FaultResetAfter:
				resetConnection(w)
				return
			}
		}
		writeRaw(w, status, body)
	})
}

func retryAfterMillis(d time.Duration) int64 {
	if d <= 0 {
		d = 10 * time.Millisecond
	}
	return max(1, d.Milliseconds())
}

// idempotent runs a state-changing request once per Idempotence-Key. A
// repeat with the same key and body gets the first answer; with another
// body, a 400.
func (s *Server) idempotent(req *apiRequest, endpoint string, h handler, w http.ResponseWriter) (int, []byte, *answer) {
	r := req.r
	if r.Method == http.MethodPost {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			return 0, nil, &answer{http.StatusUnsupportedMediaType, nil}
		}
	}
	key := r.Header.Get("Idempotence-Key")
	if r.Method == http.MethodPost {
		if key == "" {
			a := invalid("Idempotence-Key", "Idempotence key is empty")
			return 0, nil, &a
		}
		if !yookassa.ValidIdempotenceKey(key) {
			a := invalid("Idempotence-Key", "Idempotence key is too long or has forbidden characters")
			return 0, nil, &a
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		a := invalid("", "Failed to parse request body")
		return 0, nil, &a
	}
	req.body, req.key = body, key
	fingerprint := sha256.Sum256(append([]byte(endpoint+" "+r.URL.Path+"\n"), body...))
	scope := req.id.name + "\x00" + key

	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick()
	if key != "" {
		if e, seen := s.keys[scope]; seen {
			if e.fingerprint != fingerprint {
				a := invalid("Idempotence-Key", "Duplicate idempotence key: it was used for another request within the last 24 hours")
				return 0, nil, &a
			}
			return e.status, e.body, nil
		}
	}
	a := h(req)
	out := marshal(a.body)
	if key != "" && a.status < 500 {
		e := &idemEntry{scope: scope, fingerprint: fingerprint, at: s.clock.now(), status: a.status, body: out}
		s.keys[scope] = e
		s.keyOrder = append(s.keyOrder, e)
	}
	return a.status, out, nil
}

// forgetOldKeys drops keys older than 24 hours. Called with s.mu held.
func (s *Server) forgetOldKeys(now time.Time) {
	n := 0
	for n < len(s.keyOrder) && now.Sub(s.keyOrder[n].at) >= idempotenceTTL {
		if s.keys[s.keyOrder[n].scope] == s.keyOrder[n] {
			delete(s.keys, s.keyOrder[n].scope)
		}
		n++
	}
	if n > 0 {
		s.keyOrder = append(s.keyOrder[:0:0], s.keyOrder[n:]...)
	}
}

func marshal(v any) []byte {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{"type":"error","code":"internal_server_error","description":"encoding failed"}`)
	}
	return b
}

func writeJSON(w http.ResponseWriter, a answer) { writeRaw(w, a.status, marshal(a.body)) }

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	if body == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status)+"\n")
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// decode reads a request body into v, refusing malformed JSON.
func decode(body []byte, v any) *answer {
	if len(bytes.TrimSpace(body)) == 0 {
		a := invalid("", "Failed to parse request body: empty")
		return &a
	}
	if err := json.Unmarshal(body, v); err != nil {
		a := invalid("", "Failed to parse request body: %v", err)
		return &a
	}
	return nil
}

// validation turns a *yookassa.ValidationError (or any other error) into
// YooKassa's 400 answer.
func validation(err error) answer {
	var ve *yookassa.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, "%s", ve.Reason)
	}
	return invalid("", "%v", err)
}

// timer is a moment something falls due for a payment.
type timer struct {
	at time.Time
	id string
}

type timerHeap []timer

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h timerHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)        { *h = append(*h, x.(timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

// schedule asks tick to look at a payment at time at. Called with s.mu held.
func (s *Server) schedule(at time.Time, id string) { heap.Push(&s.timers, timer{at, id}) }

// tick applies everything that fell due. Called with s.mu held.
func (s *Server) tick() {
	now := s.clock.now()
	for s.timers.Len() > 0 && !s.timers[0].at.After(now) {
		t := heap.Pop(&s.timers).(timer)
		if p := s.payments[t.id]; p != nil {
			s.dueEvents(p, now)
		}
	}
	s.tickResources(now)
	s.forgetOldKeys(now)
}
