package loanapproval

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Decider is the bank's decision logic behind [Handler]. Decide gets a
// validated request and returns the final answer: Status done (or empty,
// which the handler sets to done), the bank's Name, a Decision and the
// offers. SearchID may be left empty; the handler fills in the request's.
//
// The handler calls Decide at most once per search_id while the answer is
// kept, with a context bounded by [WithDecideTimeout] that is not cancelled
// when Yandex's HTTP request ends. An error, a panic, a nil response or a
// response that fails [Response.Validate] becomes a 500 for Yandex; the
// details go only to the handler's logger.
type Decider interface {
	Decide(ctx context.Context, req *Request) (*Response, error)
}

// DeciderFunc adapts a function to the [Decider] interface.
type DeciderFunc func(ctx context.Context, req *Request) (*Response, error)

// Decide calls f(ctx, req).
func (f DeciderFunc) Decide(ctx context.Context, req *Request) (*Response, error) {
	return f(ctx, req)
}

// Defaults of the handler options.
const (
	DefaultTTL           = 15 * time.Minute
	DefaultMaxEntries    = 10000
	DefaultDecideTimeout = 30 * time.Second
	DefaultMaxBodySize   = 64 << 10
	DefaultMaxInFlight   = 256
)

// LeaseMargin is how much longer than the decide timeout a claim on a
// search_id lasts in the [Store]. Within the lease no other replica decides
// the search_id; after it, the decision is presumed lost with its replica and
// the next POST decides anew. The margin covers the time to store the answer
// and the skew between the replicas' clocks.
const LeaseMargin = 15 * time.Second

// HandlerOption configures [Handler].
type HandlerOption func(*handlerConfig)

type handlerConfig struct {
	async         bool
	ttl           time.Duration
	maxEntries    int
	maxInFlight   int
	decideTimeout time.Duration
	maxBody       int64
	logger        *slog.Logger
	store         Store
	now           func() time.Time
	waitHook      func()
	sources       sourceFilter // WithAllowedSources, WithTrustedProxies (allowlist.go)
}

// WithAsync switches the handler to the asynchronous model: a POST is
// answered at once with the search_id and status pending while the decision
// runs in the background, and Yandex polls GET ?search_id= until done. A POST
// whose decision is already finished gets the final answer directly.
func WithAsync() HandlerOption { return func(c *handlerConfig) { c.async = true } }

// WithTTL sets how long a finished answer is kept for polls and repeated
// POSTs (default [DefaultTTL]). After it a GET gets 404 and a POST with the
// same search_id is decided anew.
func WithTTL(d time.Duration) HandlerOption {
	return func(c *handlerConfig) {
		if d > 0 {
			c.ttl = d
		}
	}
}

// WithMaxEntries bounds the number of search_ids the default in-memory store
// keeps (default [DefaultMaxEntries]); it does not apply with [WithStore].
// No entry is dropped before its time (see [MemoryStore]): when the store is
// full of running decisions and answers within their TTL, a POST with a new
// search_id is answered 503 until entries expire.
func WithMaxEntries(n int) HandlerOption {
	return func(c *handlerConfig) {
		if n > 0 {
			c.maxEntries = n
		}
	}
}

// WithMaxInFlight bounds the calls of [Decider.Decide] running at once in
// this handler (default [DefaultMaxInFlight]). A POST that would start one
// more is answered at once with 503 Service Unavailable and "Retry-After: 1";
// nothing queues. A call counts until Decide returns, also when its decide
// timeout has passed and the answer was already given. A POST for a
// search_id that is decided or being decided is served as usual.
func WithMaxInFlight(n int) HandlerOption {
	return func(c *handlerConfig) {
		if n > 0 {
			c.maxInFlight = n
		}
	}
}

// WithStore makes the handler keep its decisions in s instead of its own
// [MemoryStore]. Handlers on several replicas sharing one store, such as an
// [SQLStore] on one database, serve each other's decisions and decide each
// search_id once between them. A synchronous POST whose search_id is being
// decided on another replica waits for that decision, reading the store at
// growing intervals (from 5 ms up to 250 ms); when the other replica's lease
// ends without an answer, the waiting replica decides.
func WithStore(s Store) HandlerOption {
	return func(c *handlerConfig) {
		if s != nil {
			c.store = s
		}
	}
}

// WithDecideTimeout bounds each call of [Decider.Decide] (default
// [DefaultDecideTimeout]). A decision that takes longer is answered with 500.
func WithDecideTimeout(d time.Duration) HandlerOption {
	return func(c *handlerConfig) {
		if d > 0 {
			c.decideTimeout = d
		}
	}
}

// WithMaxBodySize caps the size of a request body (default
// [DefaultMaxBodySize]); a larger body is answered with 400. n <= 0 keeps the
// default. The name is the one package notification uses.
func WithMaxBodySize(n int64) HandlerOption {
	return func(c *handlerConfig) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithLogger sets where the handler reports decider errors, panics, invalid
// decider responses and store errors. The handler is silent by default.
// Tokens and request bodies are never logged.
func WithLogger(l *slog.Logger) HandlerOption {
	return func(c *handlerConfig) {
		if l != nil {
			c.logger = l
		}
	}
}

// Messages of the error bodies. The 500 message is deliberately generic.
const (
	msgForbidden      = "missing or invalid bearer token"
	msgInvalid        = "invalid request"
	msgMalformed      = "request body is not valid JSON"
	msgTooLarge       = "request body too large"
	msgNotFound       = "unknown search_id"
	msgInternal       = "internal error"
	msgMethod         = "method not allowed"
	msgSearchIDNeeded = "search_id query parameter required"
	msgBusy           = "too many decisions in progress, retry later"
)

const statusOK = http.StatusOK

// Waiting for a decision that runs on another replica: the store is read
// again after pollFirst, then at growing intervals up to pollLongest.
const (
	pollFirst   = 5 * time.Millisecond
	pollLongest = 250 * time.Millisecond
)

// storeTimeout bounds the store calls that must not end with the caller's
// request: a claim and the answer's write.
const storeTimeout = 10 * time.Second

// Handler returns the bank's endpoint for Yandex. It answers
//
//   - POST with a request body: validates it (400 listing the bad
//     properties), then answers 200 with the decision of d, or in the
//     asynchronous mode ([WithAsync]) 200 with status pending;
//   - GET ?search_id=: 200 pending while the decision runs, 200 with the
//     final answer once done, 404 for a search_id it does not know (or no
//     longer keeps), 500 when the decision failed;
//   - 503 Service Unavailable with "Retry-After: 1" to a POST that would
//     start a decision while [WithMaxInFlight] decisions are running or while
//     the store is full ([ErrStoreFull]); nothing is queued;
//   - 500 when the store fails (the error goes to the logger);
//   - any other method: 405.
//
// Every request must carry "Authorization: Bearer <token>"; otherwise the
// answer is 403. The token is compared in constant time. An empty token
// rejects every request. With [WithAllowedSources], a request from any other
// source address is answered 403 before anything else is looked at.
//
// The handler ignores the URL path, so it can be mounted at both documented
// paths, /integrations/v1/api/loan_approval and /api/banking/loan_approval.
//
// A POST repeating a search_id gets the stored answer instead of a second
// decision, also when both arrive at the same time, and also on another
// replica when the replicas share a [Store] ([WithStore]). A failed decision
// is not kept for repeated POSTs: the next POST decides again.
//
// A synchronous caller that hangs up before its answer does not stop the
// decision: it runs to its end (within the decide timeout, holding its place
// among [WithMaxInFlight]) and its answer is kept for the TTL, so that a
// repeated POST or a GET gets it without a second decision.
func Handler(d Decider, token string, opts ...HandlerOption) http.Handler {
	cfg := handlerConfig{
		ttl:           DefaultTTL,
		maxEntries:    DefaultMaxEntries,
		maxInFlight:   DefaultMaxInFlight,
		decideTimeout: DefaultDecideTimeout,
		maxBody:       DefaultMaxBodySize,
		logger:        slog.New(slog.DiscardHandler),
		now:           time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.store == nil {
		cfg.store = NewMemoryStore(cfg.maxEntries)
	}
	h := &handler{
		decider:   d,
		tokenHash: sha256.Sum256([]byte(token)),
		tokenSet:  token != "",
		cfg:       cfg,
		store:     cfg.store,
		lease:     cfg.decideTimeout + LeaseMargin,
		slots:     make(chan struct{}, cfg.maxInFlight),
		flights:   make(map[string]*flight),
	}
	return h
}

type handler struct {
	decider   Decider
	tokenHash [sha256.Size]byte
	tokenSet  bool
	cfg       handlerConfig
	store     Store
	lease     time.Duration
	slots     chan struct{} // one element per Decide call running

	mu      sync.Mutex
	flights map[string]*flight // decisions claimed by this handler and not finished
}

// flight is a decision this handler runs: done is closed once status and
// body hold its answer.
type flight struct {
	done   chan struct{}
	once   sync.Once
	status int
	body   []byte
}

// ServeHTTP dispatches on the method only; the path is ignored.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.refuseForeign(w, r) {
		return
	}
	switch r.Method {
	case http.MethodPost:
		h.post(w, r)
	case http.MethodGet:
		h.get(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, ErrorBody{Message: msgMethod})
	}
}

// authorized compares the bearer token in constant time. Both sides are
// hashed first so that the comparison does not reveal the token's length.
func (h *handler) authorized(r *http.Request) bool {
	got, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok || !h.tokenSet {
		return false
	}
	sum := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(sum[:], h.tokenHash[:]) == 1
}

func bearerToken(header string) (string, bool) {
	const prefix = "bearer "
	if len(header) <= len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(header[len(prefix):]), true
}

func (h *handler) post(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBody))
	if err != nil {
		if !h.authorized(r) {
			writeError(w, http.StatusForbidden, ErrorBody{Message: msgForbidden})
			return
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, http.StatusBadRequest, ErrorBody{Message: msgTooLarge})
			return
		}
		writeError(w, http.StatusBadRequest, ErrorBody{Message: msgInvalid})
		return
	}
	if !h.authorized(r) {
		writeError(w, http.StatusForbidden, ErrorBody{SearchID: peekSearchID(body), Message: msgForbidden})
		return
	}
	req, err := ParseRequest(body)
	if err != nil {
		eb := ErrorBody{SearchID: echoID(req.SearchID), Message: msgMalformed}
		var verr *ValidationError
		if errors.As(err, &verr) {
			eb.Message = msgInvalid + ": " + strings.Join(reasons(verr), "; ")
			eb.Properties = verr.Properties()
		}
		writeError(w, http.StatusBadRequest, eb)
		return
	}
	h.answer(r.Context(), w, req)
}

// answer serves a valid POST: the stored answer, a decision this handler
// starts or joins, or in the synchronous mode the end of a decision another
// replica runs.
func (h *handler) answer(ctx context.Context, w http.ResponseWriter, req *Request) {
	key := strings.ToLower(req.SearchID)
	waiting := false
	wait := func() {
		if !waiting && h.cfg.waitHook != nil {
			h.cfg.waitHook()
		}
		waiting = true
	}
	for delay := pollFirst; ; {
		fl, own, e, err := h.begin(ctx, key, req)
		switch {
		case errors.Is(err, ErrStoreFull) || errors.Is(err, errBusy):
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, ErrorBody{SearchID: req.SearchID, Message: msgBusy})
			return
		case err != nil:
			h.storeFailed(ctx, "claim", req.SearchID, err)
			writeBody(w, http.StatusInternalServerError, internalError(req.SearchID))
			return
		}
		if fl != nil {
			if h.cfg.async {
				select {
				case <-fl.done:
					writeBody(w, fl.status, fl.body)
				default:
					writePending(w, req.SearchID)
				}
				return
			}
			if !own {
				wait()
			}
			select {
			case <-fl.done:
				writeBody(w, fl.status, fl.body)
			case <-ctx.Done():
				// The caller hung up; the decision still completes and is
				// kept for a repeated POST.
			}
			return
		}
		for {
			if e.Done {
				writeBody(w, e.Status, e.Body)
				return
			}
			if h.cfg.async {
				writePending(w, req.SearchID)
				return
			}
			// Another replica decides, or this one has just claimed the
			// search_id and is about to register its flight: wait, then
			// look again.
			wait()
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			delay = min(2*delay, pollLongest)
			if h.local(key) != nil {
				break
			}
			var ok bool
			e, ok, err = h.store.Load(ctx, key, h.cfg.now())
			if err != nil {
				if ctx.Err() == nil {
					h.storeFailed(ctx, "load", req.SearchID, err)
					writeBody(w, http.StatusInternalServerError, internalError(req.SearchID))
				}
				return
			}
			if !ok {
				// The lease ended without an answer: claim it again.
				break
			}
		}
	}
}

// errBusy reports that no decision may start: WithMaxInFlight are running.
var errBusy = errors.New("loanapproval: too many decisions in flight")

// begin returns the decision of key that runs in this handler, starting it
// when the store lets this handler claim key (own reports that), or else the
// entry of another replica's decision or its stored answer.
func (h *handler) begin(ctx context.Context, key string, req *Request) (fl *flight, own bool, e Entry, err error) {
	if fl := h.local(key); fl != nil {
		return fl, false, Entry{}, nil
	}
	now := h.cfg.now()
	select {
	case h.slots <- struct{}{}:
	default:
		// No decision may start: serve only what the store has.
		e, ok, err := h.store.Load(ctx, key, now)
		switch {
		case err != nil:
			return nil, false, Entry{}, err
		case !ok || (e.Done && e.Status != statusOK):
			return nil, false, Entry{}, errBusy
		}
		return nil, false, e, nil
	}
	token := rand.Text()
	// The claim must not be cut off by the caller hanging up: a claim
	// recorded but reported as failed would block key until its lease ends.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	e, won, err := h.store.Claim(sctx, key, token, now, now.Add(h.lease))
	cancel()
	if err != nil || !won {
		<-h.slots
		return nil, false, e, err
	}
	return h.launch(ctx, key, token, req), true, Entry{}, nil
}

// local returns the running decision of key in this handler, if any.
func (h *handler) local(key string) *flight {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.flights[key]
}

func (h *handler) get(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("search_id")
	if !h.authorized(r) {
		writeError(w, http.StatusForbidden, ErrorBody{SearchID: echoID(id), Message: msgForbidden})
		return
	}
	if id == "" {
		writeError(w, http.StatusBadRequest, ErrorBody{Message: msgSearchIDNeeded, Properties: []string{"search_id"}})
		return
	}
	if !ValidSearchID(id) {
		writeError(w, http.StatusBadRequest, ErrorBody{
			SearchID: echoID(id), Message: msgInvalid + ": search_id: must be a UUID", Properties: []string{"search_id"},
		})
		return
	}
	e, ok, err := h.store.Load(r.Context(), strings.ToLower(id), h.cfg.now())
	switch {
	case err != nil:
		if r.Context().Err() == nil {
			h.storeFailed(r.Context(), "load", id, err)
			writeBody(w, http.StatusInternalServerError, internalError(id))
		}
	case !ok:
		writeError(w, http.StatusNotFound, ErrorBody{SearchID: id, Message: msgNotFound})
	case !e.Done:
		writePending(w, id)
	default:
		writeBody(w, e.Status, e.Body)
	}
}

func (h *handler) storeFailed(_ context.Context, op, searchID string, err error) {
	h.cfg.logger.Error("loanapproval: store failed", "op", op, "search_id", searchID, "error", err.Error())
}

// launch runs the decider for key in its own goroutine, holding one of
// h.slots until Decide returns, and stores the answer under token. The
// context keeps the request's values but not its cancellation: the decision
// outlives the POST in the asynchronous mode, and in the synchronous mode it
// is kept for a repeated POST after Yandex gave up waiting. When the timeout
// passes first, the answer is a 500 at once, even if the decider does not
// return.
func (h *handler) launch(parent context.Context, key, token string, req *Request) *flight {
	fl := &flight{done: make(chan struct{})}
	h.mu.Lock()
	h.flights[key] = fl
	h.mu.Unlock()

	finish := func(status int, body []byte) {
		fl.once.Do(func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(parent), storeTimeout)
			err := h.store.Complete(sctx, key, token, status, body, h.cfg.now().Add(h.cfg.ttl))
			cancel()
			if err != nil {
				h.storeFailed(parent, "complete", req.SearchID, err)
			}
			fl.status, fl.body = status, body
			h.mu.Lock()
			if h.flights[key] == fl {
				delete(h.flights, key)
			}
			h.mu.Unlock()
			close(fl.done)
		})
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), h.cfg.decideTimeout)
	stop := context.AfterFunc(ctx, func() {
		h.cfg.logger.Error("loanapproval: decision not finished in time",
			"search_id", req.SearchID, "timeout", h.cfg.decideTimeout.String())
		finish(http.StatusInternalServerError, internalError(req.SearchID))
	})
	go func() {
		status, body := h.run(ctx, req)
		first := stop()
		cancel()
		// The place is free before the answer is given, so that a caller
		// who posts again once answered does not find it taken.
		<-h.slots
		if first {
			finish(status, body)
		}
	}()
	return fl
}

// run calls the decider and turns its outcome into an answer.
func (h *handler) run(ctx context.Context, req *Request) (status int, body []byte) {
	defer func() {
		if p := recover(); p != nil {
			h.cfg.logger.Error("loanapproval: decider panicked",
				"search_id", req.SearchID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			status, body = http.StatusInternalServerError, internalError(req.SearchID)
		}
	}()
	if h.decider == nil {
		h.cfg.logger.Error("loanapproval: no decider configured", "search_id", req.SearchID)
		return http.StatusInternalServerError, internalError(req.SearchID)
	}
	in := *req
	resp, err := h.decider.Decide(ctx, &in)
	switch {
	case err != nil:
		h.cfg.logger.Error("loanapproval: decider failed", "search_id", req.SearchID, "error", err.Error())
	case resp == nil:
		h.cfg.logger.Error("loanapproval: decider returned no response", "search_id", req.SearchID)
	default:
		b, err := h.finalize(req, resp)
		if err == nil {
			return http.StatusOK, b
		}
		h.cfg.logger.Error("loanapproval: decider returned an invalid response",
			"search_id", req.SearchID, "error", err.Error())
	}
	return http.StatusInternalServerError, internalError(req.SearchID)
}

func internalError(searchID string) []byte {
	return encodeError(ErrorBody{SearchID: searchID, Message: msgInternal})
}

// finalize fills in what the decider may leave out, validates the answer and
// encodes it.
func (h *handler) finalize(req *Request, resp *Response) ([]byte, error) {
	out := *resp
	switch {
	case out.SearchID == "":
		out.SearchID = req.SearchID
	case !strings.EqualFold(out.SearchID, req.SearchID):
		return nil, errors.New("search_id differs from the request's")
	}
	switch out.Status {
	case "":
		out.Status = StatusDone
	case StatusPending:
		return nil, errors.New("status pending: a Decider must return a final answer")
	}
	return encodeAnswer(&out)
}

func reasons(verr *ValidationError) []string {
	out := make([]string, 0, len(verr.Fields))
	for _, f := range verr.Fields {
		out = append(out, f.String())
	}
	return out
}

// peekSearchID reads search_id from a body that has not been checked yet, for
// the 403 answer.
func peekSearchID(body []byte) string {
	var v struct {
		SearchID json.RawMessage `json:"search_id"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(v.SearchID, &s) != nil {
		return ""
	}
	return echoID(s)
}

// echoID returns a search_id fit to repeat in an answer: an unchecked value
// longer than a UUID is dropped rather than echoed.
func echoID(s string) string {
	if len(s) > 36 {
		return ""
	}
	return s
}

func setHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	setHeaders(w)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, status int, eb ErrorBody) {
	writeBody(w, status, encodeError(eb))
}

func writePending(w http.ResponseWriter, searchID string) {
	r := Response{SearchID: searchID, Status: StatusPending}
	writeBody(w, http.StatusOK, r.appendJSON(nil))
}

func encodeError(eb ErrorBody) []byte {
	// Encoding strings cannot fail.
	b, _ := json.Marshal(eb)
	return b
}
