package yookassatest

import (
	"container/heap"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
)

// Default credentials of the payout gateway: payouts, SBP banks and
// personal data are served to the gateway's agent ID and its own secret key,
// not to the shop's. Change them with WithPayoutCredentials.
const (
	DefaultAgentID          = "505050"
	DefaultPayoutSecretKey  = "test_simulator_payout_secret_key"
	defaultPayoutBalanceRUB = "1000000.00"
)

// WithPayoutCredentials sets the payout gateway's agent ID and secret key
// the simulator accepts with HTTP Basic authentication for payouts, SBP
// banks and personal data (DefaultAgentID and DefaultPayoutSecretKey).
// Payouts of a Safe deal are made with the shop's credentials instead, as
// with YooKassa.
func WithPayoutCredentials(agentID, secretKey string) Option {
	return func(s *Server) { s.agentID, s.payoutSecret = agentID, secretKey }
}

// WithPayoutBalance sets the payout gateway's balance (DefaultPayoutBalance).
// A regular payout larger than what is left is canceled with
// insufficient_funds; each succeeded payout takes its amount from it.
func WithPayoutBalance(rub decimal.Decimal) Option {
	return func(s *Server) { s.payoutBalance = rub; s.payoutBalanceSet = true }
}

// DefaultPayoutBalance is the payout gateway's balance unless
// WithPayoutBalance says otherwise: 1,000,000.00 RUB.
func DefaultPayoutBalance() decimal.Decimal {
	return decimal.RequireFromString(defaultPayoutBalanceRUB)
}

// WithPayoutDelay keeps new payouts pending for d of the simulator's clock
// before they succeed or are canceled (see Server.Advance). By default a
// payout is final in the answer that creates it, as most are with YooKassa.
func WithPayoutDelay(d time.Duration) Option { return func(s *Server) { s.payoutDelay = d } }

// AgentID is the payout gateway's agent ID the simulator accepts.
func (s *Server) AgentID() string { return s.agentID }

// PayoutSecretKey is the payout gateway's secret key the simulator accepts
// with AgentID.
func (s *Server) PayoutSecretKey() string { return s.payoutSecret }

// PayoutClient returns a client with the payout gateway's credentials
// (AgentID, PayoutSecretKey), pointed at the simulator: the client for
// payouts, SBP banks and personal data. It panics if an option is invalid.
func (s *Server) PayoutClient(opts ...yookassa.Option) *yookassa.Client {
	c, err := yookassa.NewClient(s.agentID, s.payoutSecret, append([]yookassa.Option{yookassa.WithBaseURL(s.URL())}, opts...)...)
	if err != nil {
		panic("yookassatest: " + err.Error())
	}
	return c
}

// gateway is the configuration and state of the payout gateway, kept apart
// from the shop's.
type gateway struct {
	agentID, payoutSecret string
	payoutBalance         decimal.Decimal
	payoutBalanceSet      bool
	payoutDelay           time.Duration
	sbpBanks              []yookassa.SBPBank
}

func newGateway() gateway {
	return gateway{agentID: DefaultAgentID, payoutSecret: DefaultPayoutSecretKey, payoutBalance: DefaultPayoutBalance(),
		sbpBanks: DefaultSBPBanks()}
}

// agentIdentity is the identity of the payout gateway's credentials.
const agentIdentity = "agent"

// isAgent reports whether Basic credentials "user:password" are the payout
// gateway's.
func (s *Server) isAgent(raw []byte) bool {
	want := s.agentID + ":" + s.payoutSecret
	return s.agentID != "" && subtle.ConstantTimeCompare(raw, []byte(want)) == 1
}

// Who may call what. Regular payouts, SBP banks and personal data belong to
// the payout gateway; payouts are also served to the shop, whose payouts
// are those of its Safe deals, and /me to both. Invoices take Basic authentication only, and
// the Safe deal and payouts no OAuth token.
var (
	gatewayOnly = map[string]bool{
		"GET /sbp_banks": true, "POST /personal_data": true, "GET /personal_data/{id}": true,
	}
	gatewayOrShop = map[string]bool{
		"POST /payouts": true, "GET /payouts": true, "GET /payouts/search": true, "GET /payouts/{id}": true,
	}
	noOAuth = map[string]bool{
		"POST /invoices": true, "GET /invoices/{id}": true,
		"POST /deals": true, "GET /deals": true, "GET /deals/{id}": true,
	}
)

// resourcePages serves the pages behind the links of invoices and
// bindings.
func (s *Server) resourcePages(mux *http.ServeMux) {
	mux.HandleFunc("GET /invoice/{id}", s.invoicePage)
	mux.HandleFunc("POST /invoice/{id}", s.invoiceSubmit)
	mux.HandleFunc("GET /payment-methods/{id}", s.paymentMethodPage)
	mux.HandleFunc("POST /payment-methods/{id}", s.paymentMethodSubmit)
}

// scope refuses a request whose credentials may not call endpoint, or
// returns nil.
func scope(endpoint string, id identity) *answer {
	var a answer
	switch agent := id.name == agentIdentity; {
	case gatewayOnly[endpoint] && !agent:
		a = apiError(http.StatusForbidden, yookassa.CodeForbidden, "", "This operation is available with the payout gateway's credentials only (agent ID and its secret key)")
	case agent && !gatewayOnly[endpoint] && !gatewayOrShop[endpoint] && endpoint != "GET /me":
		a = apiError(http.StatusForbidden, yookassa.CodeForbidden, "", "The payout gateway's credentials cannot be used for this operation; use the shop's")
	case id.oauth && (gatewayOnly[endpoint] || gatewayOrShop[endpoint] || noOAuth[endpoint]):
		a = apiError(http.StatusForbidden, yookassa.CodeForbidden, "", "This operation is not available with an OAuth token")
	default:
		return nil
	}
	return &a
}

// resources are the objects of the newer parts of the API. Called with
// s.mu held, like the rest of the state.
type resources struct {
	methods   map[string]*savedMethod
	invoices  map[string]*invoiceEntry
	deals     map[string]*dealEntry
	dealSeq   []*dealEntry
	payouts   map[string]*payoutEntry
	payoutSeq []*payoutEntry
	personal  map[string]*personalEntry
	// saving are the payments that save their method once paid.
	saving map[string]bool
	// spent is what succeeded regular payouts took from the gateway's
	// balance.
	spent decimal.Decimal
	// declines are the reasons of the next payouts to cancel
	// (DeclineNextPayout), oldest first.
	declines []yookassa.CancellationReason
	due      dueHeap
}

func newResources() resources {
	return resources{
		methods: map[string]*savedMethod{}, invoices: map[string]*invoiceEntry{}, deals: map[string]*dealEntry{},
		payouts: map[string]*payoutEntry{}, personal: map[string]*personalEntry{}, saving: map[string]bool{},
	}
}

// due is a moment something falls due for one of the resources: fire
// applies it (and does nothing if the object moved on meanwhile).
type due struct {
	at   time.Time
	fire func(now time.Time)
}

type dueHeap []due

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(due)) }
func (h *dueHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	*h = old[:len(old)-1]
	return d
}

// at asks tickResources to call fire at time t. Called with s.mu held.
func (s *Server) at(t time.Time, fire func(now time.Time)) { heap.Push(&s.due, due{t, fire}) }

// tickResources applies what fell due for the resources. Called with s.mu
// held, from tick.
func (s *Server) tickResources(now time.Time) {
	for s.due.Len() > 0 && !s.due[0].at.After(now) {
		heap.Pop(&s.due).(due).fire(now)
	}
}

// prefixedID is an identifier in YooKassa's style for the objects whose id
// carries their kind: "dl-", "po-", "pd-" or "in-" and a UUID.
func prefixedID(prefix string) string { return prefix + newID() }

func zeroRUB() yookassa.Amount { return yookassa.RUB(decimal.Zero) }

// cloneJSON deep-copies an object through its JSON form, so that a copy
// handed to a test shares no map or pointer with the simulator's state.
func cloneJSON[T any](v T) T {
	var out T
	_ = json.Unmarshal(marshal(v), &out)
	return out
}

// The payments of the other resources: a payment with a saved method, into
// a Safe deal, through an invoice or saving its method. The payment code
// calls these three at its seams.

// checkPaymentLinks refuses a payment request whose saved method or deal
// YooKassa would refuse. Called with s.mu held, before the payment exists.
func (s *Server) checkPaymentLinks(in *yookassa.PaymentRequest) *answer {
	if a := s.checkSavedMethod(in); a != nil {
		return a
	}
	return s.checkDealPayment(in)
}

// linkPayment attaches to a new payment what its request asked of the
// other resources: its deal, the wish to save its method, and a saved
// method, which pays at once without the user. Called with s.mu held,
// once the payment is stored.
func (s *Server) linkPayment(p *payment, in *yookassa.PaymentRequest) {
	if in.Deal != nil && p.p.Deal == nil {
		d := *in.Deal
		p.p.Deal = &d
	}
	if in.SavePaymentMethod && in.PaymentMethodID == "" {
		s.saving[p.p.ID] = true
	}
	if m := s.methods[in.PaymentMethodID]; m != nil {
		p.p.PaymentMethod = m.paymentMethod()
		p.p.Confirmation = nil
		s.pay(p, "")
	}
}

// paymentMoved applies a payment's new status to the other resources: the
// invoice it was made through, the deal it pays into (once succeeded), and
// the method it saves (once paid). Called with s.mu held, on every
// transition of a payment, before its notification is queued.
func (s *Server) paymentMoved(p *payment) {
	s.invoicePaymentMoved(p)
	if p.p.Status == yookassa.PaymentStatusSucceeded {
		s.dealPaid(p)
	}
	if p.p.Paid && s.saving[p.p.ID] {
		delete(s.saving, p.p.ID)
		s.savePaymentMethodOf(p)
	}
}
