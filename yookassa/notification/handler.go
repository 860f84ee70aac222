package notification

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/creditpay/yookassa-go/internal/clientip"
	"github.com/creditpay/yookassa-go/yookassa"
)

// ErrInvalidConfig is matched by the error of NewHandler when the handler
// cannot work as configured (a nil callback, a nil client without
// WithoutRefetch, an invalid prefix, ...).
var ErrInvalidConfig = errors.New("notification: invalid handler configuration")

// HandlerOption configures Handler and NewHandler.
type HandlerOption func(*handlerConfig)

type handlerConfig struct {
	allowed    []netip.Prefix
	allowedSet bool
	trusted    []netip.Prefix
	noIPCheck  bool
	noRefetch  bool
	unverified map[yookassa.EventType]bool
	payouts    *yookassa.Client
	payoutsSet bool
	policy     *yookassa.RetryPolicy
	maxBody    int64
	dedup      Deduplicator
	logger     *slog.Logger
	errs       []error
}

func (c *handlerConfig) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
}

// prefixes normalises prefixes for option name, recording invalid ones.
func (c *handlerConfig) prefixes(name string, in []netip.Prefix) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(in))
	for i, p := range in {
		np, ok := clientip.NormalizePrefix(p)
		if !ok {
			c.fail("%s: prefix %d is not a valid prefix", name, i)
			continue
		}
		out = append(out, np)
	}
	return out
}

// WithAllowedSources replaces YooKassaNetworks as the list of addresses that
// may deliver notifications. IPv4-mapped IPv6 prefixes are read as the IPv4
// prefixes they map. An empty list is a configuration error: it would refuse
// every request (use WithoutIPCheck to accept any source).
func WithAllowedSources(prefixes ...netip.Prefix) HandlerOption {
	return func(c *handlerConfig) {
		c.allowed = c.prefixes("WithAllowedSources", prefixes)
		c.allowedSet = true
	}
}

// WithTrustedProxies names the reverse proxies (load balancers, CDN edges)
// in front of the handler. When the immediate peer (r.RemoteAddr) is one of
// them, the source of the request is read from X-Forwarded-For: all its
// lines form one comma-separated list, walked from the right, and the
// right-most address that is not a trusted proxy is the source. Entries
// further left were written by whoever sent the request and are never
// believed. An entry that is not an IP address makes the request foreign.
//
// Without this option X-Forwarded-For is ignored: anyone can send it. Name
// only proxies you run, and make sure they append to the header. Keep
// middleware that rewrites r.RemoteAddr from request headers off this
// route: it would let any sender choose its own source address.
func WithTrustedProxies(prefixes ...netip.Prefix) HandlerOption {
	return func(c *handlerConfig) {
		c.trusted = c.prefixes("WithTrustedProxies", prefixes)
	}
}

// WithoutIPCheck accepts notifications from any source address. Use it only
// when something in front of the handler already filters sources, or in
// tests; the re-read of the object then remains the only defence.
func WithoutIPCheck() HandlerOption {
	return func(c *handlerConfig) { c.noIPCheck = true }
}

// WithoutRefetch hands the callback the delivered payment or refund instead
// of re-reading it through the API, and allows a nil client. The callback
// then gets what the sender claims; only the source check (if on) stands
// between a forged body and the shop.
func WithoutRefetch() HandlerOption {
	return func(c *handlerConfig) { c.noRefetch = true }
}

// WithoutRefetchFor hands the callback the delivered object of the named
// events instead of re-reading it, with Event.Verified false; every other
// event is still re-read. It is the opt-out for an event whose object the
// handler's client cannot read, and the way to receive an event this
// package does not know (such events are otherwise acknowledged and logged
// without reaching the callback). The callback must verify such an event
// itself before acting on it.
//
// Prefer WithPayoutClient for payouts: it keeps their re-read.
func WithoutRefetchFor(events ...yookassa.EventType) HandlerOption {
	return func(c *handlerConfig) {
		if c.unverified == nil {
			c.unverified = make(map[yookassa.EventType]bool, len(events))
		}
		for _, e := range events {
			if !validEventName(string(e)) {
				c.fail("WithoutRefetchFor: %.40q is not an event name of the form <object>.<status>", e)
				continue
			}
			c.unverified[e] = true
		}
	}
}

// WithPayoutClient re-reads payouts (payout.succeeded, payout.canceled)
// with pc instead of the handler's client. Regular payouts belong to the
// payout gateway: the shop's credentials cannot read them, and pc must be
// made with the gateway's agent ID and its own secret key
// (yookassa.NewClient(agentID, payoutSecretKey)). Payouts of a Safe deal
// belong to the platform's shop and are read with the handler's client,
// so they need no option.
func WithPayoutClient(pc *yookassa.Client) HandlerOption {
	return func(c *handlerConfig) {
		if pc == nil {
			c.fail("WithPayoutClient: nil client")
			return
		}
		c.payouts, c.payoutsSet = pc, true
	}
}

// WithRefetchPolicy gives every re-read its own retry policy
// (yookassa.WithCallRetryPolicy) instead of the client's, so the shop's one
// client serves the handler too: YooKassa waits for the answer and delivers
// again anyway, so few, short attempts suit a re-read. MaxAttempts below 1
// or negative delays are a configuration error.
func WithRefetchPolicy(p yookassa.RetryPolicy) HandlerOption {
	return func(c *handlerConfig) {
		if p.MaxAttempts < 1 || p.BaseDelay < 0 || p.MaxDelay < 0 {
			c.fail("WithRefetchPolicy: MaxAttempts must be 1 or more and the delays not negative")
			return
		}
		c.policy = &p
	}
}

// WithMaxBodySize sets the largest body the handler reads; larger requests
// get 413. The default is MaxBodySize (1 MiB). n must be positive.
func WithMaxBodySize(n int64) HandlerOption {
	return func(c *handlerConfig) {
		if n <= 0 {
			c.fail("WithMaxBodySize: %d is not a positive size", n)
			return
		}
		c.maxBody = n
	}
}

// WithDeduplication skips deliveries that d has seen processed: they are
// answered with 200 without calling the callback or the API. A delivery is
// marked in d only after its callback returned nil. See Deduplicator and
// NewMemoryDeduplicator.
func WithDeduplication(d Deduplicator) HandlerOption {
	return func(c *handlerConfig) {
		if d == nil {
			c.fail("WithDeduplication: nil Deduplicator")
			return
		}
		c.dedup = d
	}
}

// WithLogger logs every refusal (status, source and peer address, event,
// object id, reason) at warn level or above, and every failure of the
// callback, the API or the Deduplicator. It never logs bodies. The handler is silent by default,
// except about a configuration error of Handler, which it reports to
// slog.Default when no logger is set.
func WithLogger(l *slog.Logger) HandlerOption {
	return func(c *handlerConfig) { c.logger = l }
}

// handler is the http.Handler of NewHandler.
type handler struct {
	client  *yookassa.Client
	fn      func(context.Context, *Event) error
	allowed []netip.Prefix
	trusted []netip.Prefix
	ipCheck bool
	refetch bool
	// unverified are the events passed on as delivered (WithoutRefetchFor).
	unverified map[yookassa.EventType]bool
	// payoutClient re-reads payouts when set (WithPayoutClient).
	payoutClient *yookassa.Client
	// refetchOpts are the per-call options of the re-reads
	// (WithRefetchPolicy).
	refetchOpts []yookassa.CallOption
	maxBody     int64
	dedup       Deduplicator
	logger      *slog.Logger
	inflight    inflight
}

// NewHandler is Handler that reports a configuration error instead of
// returning a handler that fails every request. The error matches
// ErrInvalidConfig and names every problem.
func NewHandler(c *yookassa.Client, fn func(context.Context, *Event) error, opts ...HandlerOption) (http.Handler, error) {
	h, _, err := newHandler(c, fn, opts)
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Handler returns an http.Handler that receives YooKassa's notifications and
// passes the verified ones to fn. For each request it checks, in order:
//
//   - the method is POST: otherwise 405, with "Allow: POST";
//   - the source address (see WithTrustedProxies) is one of
//     YooKassaNetworks (or WithAllowedSources): otherwise 403 (unless
//     WithoutIPCheck);
//   - the body is at most 1 MiB (WithMaxBodySize): otherwise 413;
//   - the body parses (see Parse): otherwise 400;
//   - no delivery with the same Event.Key is being processed by this handler
//     at the moment: otherwise 503, and YooKassa delivers it again later;
//   - with WithDeduplication, the delivery was not processed before:
//     otherwise 200 at once ("already processed"); 500 if the store fails;
//   - the object re-read through the API (unless WithoutRefetch, or
//     WithoutRefetchFor names the event): c.GetPayment for payment.*,
//     c.GetRefund for refund.*, c.GetPayout for payout.* (the client of
//     WithPayoutClient if set), c.GetDeal for deal.* and c.GetPaymentMethod
//     for payment_method.*: 422 if YooKassa does not know it (a forged id,
//     or a notification for another shop), 500 if the read fails (network,
//     5xx, credentials), 503 if its status is still behind the event
//     (pending or waiting_for_capture for payment.succeeded: not yet, retry
//     later), 200 without calling fn if it has moved past the event
//     (payment.waiting_for_capture for a payment already succeeded or
//     canceled: a late delivery, whose news another notification carries),
//     and 409 if it contradicts the event (succeeded for payment.canceled,
//     or an unknown status). The event's status part must equal the fetched
//     status: payment.succeeded needs succeeded, payout.canceled canceled,
//     deal.closed closed, payment_method.active active, and so on.
//
// Then fn is called with an Event whose typed field (Payment, Refund,
// Payout, Deal or PaymentMethod) is the object as re-read from YooKassa,
// with Verified true, and whose Object is the body's raw object. If fn
// returns an error the answer is 500 and YooKassa delivers the notification
// again later; otherwise the delivery is marked in the Deduplicator and the
// answer is 200. Every refusal has a short plain-text body saying why.
//
// An event of an object this package does not know (none exists today; see
// KnownEvents) cannot be re-read: it is acknowledged with 200 and logged at
// warn level without reaching fn, unless WithoutRefetchFor names it, in
// which case fn receives it with Object only. Events named in
// WithoutRefetchFor (and every event with WithoutRefetch) reach fn as
// delivered, with Verified false, after the source check; fn must verify
// them itself before acting on them.
//
// Regular payouts can be read only with the payout gateway's credentials:
// give the handler such a client with WithPayoutClient, or opt out with
// WithoutRefetchFor(yookassa.EventPayoutSucceeded,
// yookassa.EventPayoutCanceled). Without either, their re-read fails with
// 500 and the log says which option is missing.
//
// The re-read uses c's retry policy and timeouts while YooKassa waits for
// the answer, or for payments and refunds the policy of WithRefetchPolicy;
// since YooKassa delivers again anyway, few retries suit the handler well.
//
// fn is called with the request's context. It must be idempotent: two
// instances of a service, or a Deduplicator that failed to mark, can still
// deliver the same event twice.
//
// c may be nil only with WithoutRefetch, and fn must not be nil. When the
// configuration is wrong, Handler logs the problem and returns a handler
// that answers every request with 500; use NewHandler to get the error at
// start-up instead.
func Handler(c *yookassa.Client, fn func(context.Context, *Event) error, opts ...HandlerOption) http.Handler {
	h, logger, err := newHandler(c, fn, opts)
	if err == nil {
		return h
	}
	if logger == nil {
		logger = slog.Default()
	}
	logger.Error("notification handler is misconfigured; it will answer every request with 500", "error", err)
	return &brokenHandler{err: err, logger: logger}
}

func newHandler(c *yookassa.Client, fn func(context.Context, *Event) error, opts []HandlerOption) (*handler, *slog.Logger, error) {
	cfg := handlerConfig{maxBody: MaxBodySize}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if fn == nil {
		cfg.fail("nil callback")
	}
	if c == nil && !cfg.noRefetch {
		cfg.fail("nil client: pass a *yookassa.Client to re-read notified objects, or opt out with WithoutRefetch()")
	}
	allowed := yooKassaNetworks
	if cfg.allowedSet {
		allowed = cfg.allowed
		if len(allowed) == 0 && !cfg.noIPCheck {
			cfg.fail("WithAllowedSources with no valid prefix would refuse every request; use WithoutIPCheck() to accept any source")
		}
	}
	if err := errors.Join(cfg.errs...); err != nil {
		return nil, cfg.logger, err
	}
	return &handler{
		client:       c,
		fn:           fn,
		allowed:      allowed,
		trusted:      cfg.trusted,
		ipCheck:      !cfg.noIPCheck,
		refetch:      !cfg.noRefetch,
		unverified:   cfg.unverified,
		payoutClient: cfg.payouts,
		refetchOpts:  refetchOptions(cfg.policy),
		maxBody:      cfg.maxBody,
		dedup:        cfg.dedup,
		logger:       cfg.logger,
	}, cfg.logger, nil
}

// refetchOptions are the per-call options of the re-reads for policy (nil:
// the client's own).
func refetchOptions(policy *yookassa.RetryPolicy) []yookassa.CallOption {
	if policy == nil {
		return nil
	}
	return []yookassa.CallOption{yookassa.WithCallRetryPolicy(*policy)}
}

// delivery is what the handler knows about a request, for its log.
type delivery struct {
	source, peer netip.Addr
	event, id    string
}

// refusal is a non-200 answer (or a 200 without processing) and why.
type refusal struct {
	status int
	body   string
	level  slog.Level
	reason string
	err    error
}

// ServeHTTP checks and processes one delivery; see Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := &delivery{}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.answer(w, r, d, refusal{status: http.StatusMethodNotAllowed, level: slog.LevelWarn,
			body: "method not allowed: notifications are POST requests", reason: "method not allowed"})
		return
	}

	source, peer, err := clientip.Source(r, h.trusted)
	d.source, d.peer = source, peer
	if h.ipCheck {
		if err == nil && !clientip.Contains(h.allowed, source) {
			err = errors.New("source is not an allowed address")
		}
		if err != nil {
			h.answer(w, r, d, refusal{status: http.StatusForbidden, level: slog.LevelWarn,
				body: "forbidden: the source address may not deliver notifications", reason: err.Error()})
			return
		}
	}

	if r.ContentLength > h.maxBody {
		h.answer(w, r, d, tooLarge(h.maxBody))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.answer(w, r, d, tooLarge(h.maxBody))
		} else {
			h.answer(w, r, d, refusal{status: http.StatusBadRequest, level: slog.LevelWarn,
				body: "cannot read the request body", reason: "reading the body failed", err: err})
		}
		return
	}

	ev, err := parse(body, h.maxBody)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "notification: ")
		h.answer(w, r, d, refusal{status: http.StatusBadRequest, level: slog.LevelWarn, body: msg, reason: msg})
		return
	}
	d.event, d.id = string(ev.Event), ev.ObjectID()

	key := ev.Key()
	if !h.inflight.acquire(key) {
		h.answer(w, r, d, refusal{status: http.StatusServiceUnavailable, level: slog.LevelInfo,
			body: "the same notification is being processed; retry later", reason: "concurrent delivery"})
		return
	}
	defer h.inflight.release(key)

	if h.dedup != nil {
		seen, err := h.dedup.Seen(ctx, key)
		if err != nil {
			h.answer(w, r, d, refusal{status: http.StatusInternalServerError, level: slog.LevelError,
				body: "cannot check for a repeated delivery; retry later", reason: "deduplicator failed", err: err})
			return
		}
		if seen {
			h.answer(w, r, d, refusal{status: http.StatusOK, level: slog.LevelDebug,
				body: "already processed", reason: "repeated delivery"})
			return
		}
	}

	verified, ref := h.verify(ctx, ev)
	if ref != nil {
		h.answer(w, r, d, *ref)
		return
	}

	if err := h.fn(ctx, verified); err != nil {
		h.answer(w, r, d, refusal{status: http.StatusInternalServerError, level: slog.LevelError,
			body: "processing the notification failed; retry later", reason: "callback failed", err: err})
		return
	}
	if h.dedup != nil {
		if err := h.dedup.Mark(context.WithoutCancel(ctx), key); err != nil {
			h.log(ctx, slog.LevelError, "notification processed but not marked; a repeated delivery will be processed again",
				d, http.StatusOK, "deduplicator failed", err)
		}
	}
	h.answer(w, r, d, refusal{status: http.StatusOK, level: slog.LevelDebug, body: "ok", reason: "processed"})
}

func tooLarge(limit int64) refusal {
	return refusal{status: http.StatusRequestEntityTooLarge, level: slog.LevelWarn,
		body: fmt.Sprintf("request body too large: the limit is %d bytes", limit), reason: "body too large"}
}

// answer writes the response and logs it.
func (h *handler) answer(w http.ResponseWriter, r *http.Request, d *delivery, ref refusal) {
	msg := "notification refused"
	switch {
	case ref.status == http.StatusOK:
		msg = "notification acknowledged"
	case ref.status >= 500:
		msg = "notification not processed"
	}
	level := ref.level
	if ref.status != http.StatusOK {
		level = max(level, slog.LevelWarn) // every refusal says why at warn level
	}
	h.log(r.Context(), level, msg, d, ref.status, ref.reason, ref.err)
	if ref.status == http.StatusOK {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, ref.body+"\n")
		return
	}
	http.Error(w, ref.body, ref.status)
}

func (h *handler) log(ctx context.Context, level slog.Level, msg string, d *delivery, status int, reason string, err error) {
	if h.logger == nil || !h.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.Int("status", status), slog.String("reason", reason))
	if d.source.IsValid() {
		attrs = append(attrs, slog.String("source", d.source.String()))
	}
	if d.peer.IsValid() && d.peer != d.source {
		attrs = append(attrs, slog.String("peer", d.peer.String()))
	}
	if d.event != "" {
		attrs = append(attrs, slog.String("event", d.event))
	}
	if d.id != "" {
		attrs = append(attrs, slog.String("object_id", d.id))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	h.logger.LogAttrs(ctx, level, msg, attrs...)
}

// brokenHandler answers every request of a misconfigured Handler with 500.
type brokenHandler struct {
	err    error
	logger *slog.Logger
}

func (b *brokenHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.logger.LogAttrs(r.Context(), slog.LevelError, "notification handler is misconfigured",
		slog.String("error", b.err.Error()))
	http.Error(w, "notification handler is misconfigured", http.StatusInternalServerError)
}

// inflight tracks the keys of deliveries being processed, so that a
// notification delivered again while its first delivery is still running is
// not processed twice at once.
type inflight struct {
	mu   sync.Mutex
	keys map[string]struct{}
}

func (f *inflight) acquire(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, busy := f.keys[key]; busy {
		return false
	}
	if f.keys == nil {
		f.keys = make(map[string]struct{})
	}
	f.keys[key] = struct{}{}
	return true
}

func (f *inflight) release(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, key)
}
