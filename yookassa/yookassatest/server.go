package yookassatest

import (
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberbnpl"
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
// income_amount unless WithCommission says otherwise: 3.5%.
func DefaultCommissionPercent() decimal.Decimal { return decimal.New(35, -1) }

// Server is a simulator of YooKassa's API on a loopback port. Its methods
// are safe for concurrent use.
type Server struct {
	srv      *httptest.Server
	listener net.Listener
	base     string // http://host:port
	seed     uint64
	started  bool

	shopID, secret, oauthToken string
	loan                       sberloan.Config
	bnpl                       sberbnpl.Config
	clock                      clock
	requestLog                 requestLogger

	mu       sync.Mutex
	rng      *rand.Rand
	faults   []*fault
	injected int
	state            // every object the API knows; Reset replaces it
	outbox   []event // notifications waiting for the lock to be released
	gateway          // the payout gateway's settings (resources.go)

	notify notifier
}

// state is what the simulator remembers between requests: the objects of
// the API, the remembered Idempotence-Keys and the deadlines. Called with
// s.mu held, like everything that touches it.
type state struct {
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
	resources // saved methods, invoices, deals, payouts, personal data (resources.go)
}

func newState() state {
	return state{
		payments: map[string]*payment{}, refunds: map[string]*refundEntry{}, receipts: map[string]*receiptEntry{},
		webhooks: map[string]yookassa.Webhook{}, keys: map[string]*idemEntry{},
		resources: newResources(),
	}
}

// NewServer starts a simulator on a loopback port. Close it when done.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer returns a simulator that listens on a loopback port
// (or on the listener of WithListener) but does not serve yet, like
// httptest.NewUnstartedServer. URL, Client and OAuthClient work already, so
// the code under test can be built first and its address handed to Start
// with WithWebhook:
//
//	sim := yookassatest.NewUnstartedServer()
//	shop := httptest.NewServer(newShop(sim.Client()))
//	sim.Start(yookassatest.WithWebhook(shop.URL + "/notifications"))
//
// It panics if it cannot listen, as httptest does. Close it when done,
// started or not.
func NewUnstartedServer(opts ...Option) *Server {
	s := &Server{
		shopID: DefaultShopID, secret: DefaultSecretKey, oauthToken: DefaultOAuthToken,
		loan: sberloan.Config{Limits: sberloan.DefaultLimits(), Tariffs: DefaultTariffs(), CommissionPercent: DefaultCommissionPercent()},
		seed: 1,
	}
	s.notify = newNotifier()
	s.gateway = newGateway()
	s.apply(opts)
	s.rng = newRand(s.seed)
	s.state = newState()
	if s.listener == nil {
		s.listener = listenLoopback()
	}
	s.base = "http://" + s.listener.Addr().String()
	s.srv = &httptest.Server{Listener: s.listener, Config: &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second}}
	return s
}

func (s *Server) apply(opts []Option) {
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
}

// listenLoopback opens a listener on a free loopback port, IPv4 or IPv6.
func listenLoopback() net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if l, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic("yookassatest: cannot listen on a loopback port: " + err.Error())
		}
	}
	return l
}

// Start applies opts (settings not known at construction, typically
// WithWebhook; WithListener has no effect here) and starts serving. It
// panics if the server was already started.
func (s *Server) Start(opts ...Option) {
	if s.started {
		panic("yookassatest: Server already started")
	}
	s.apply(opts)
	s.started = true
	s.notify.start()
	s.srv.Start()
}

// URL is the base URL of the API, for example http://127.0.0.1:41234/v3.
func (s *Server) URL() string { return s.base + "/v3" }

// CheckoutURL is the confirmation page of a payment (the confirmation_url
// of a redirect payment).
func (s *Server) CheckoutURL(paymentID string) string { return s.base + "/checkout/" + paymentID }

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

// Close stops the server, waits for the requests it is serving and stops
// delivering notifications.
func (s *Server) Close() {
	if s.started {
		s.notify.stop()
	}
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

// Reset forgets every payment, refund, receipt, webhook registered through
// the API, remembered Idempotence-Key and injected fault, restarts the
// seeded source of faults, the clock's offset and the record of
// notification deliveries. The configuration (credentials, tariffs,
// WithWebhook, ...) stays.
func (s *Server) Reset() {
	s.mu.Lock()
	s.state = newState()
	s.outbox = nil
	s.faults = nil
	s.injected = 0
	s.rng = newRand(s.seed)
	s.clock.reset()
	s.mu.Unlock()
	s.notify.forget()
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
