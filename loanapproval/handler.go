package loanapproval

import (
	"context"
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
)

// HandlerOption configures [Handler].
type HandlerOption func(*handlerConfig)

type handlerConfig struct {
	async         bool
	ttl           time.Duration
	maxEntries    int
	decideTimeout time.Duration
	maxBody       int64
	logger        *slog.Logger
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

// WithMaxEntries bounds the number of search_ids kept (default
// [DefaultMaxEntries]). When the store is full the oldest answer is dropped
// first; expired ones are dropped whenever they are seen.
func WithMaxEntries(n int) HandlerOption {
	return func(c *handlerConfig) {
		if n > 0 {
			c.maxEntries = n
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

// WithLogger sets where the handler reports decider errors, panics and
// invalid decider responses. The handler is silent by default. Tokens and
// request bodies are never logged.
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
)

const statusOK = http.StatusOK

// Handler returns the bank's endpoint for Yandex. It answers
//
//   - POST with a request body: validates it (400 listing the bad
//     properties), then answers 200 with the decision of d, or in the
//     asynchronous mode ([WithAsync]) 200 with status pending;
//   - GET ?search_id=: 200 pending while the decision runs, 200 with the
//     final answer once done, 404 for a search_id it does not know (or no
//     longer keeps), 500 when the decision failed;
//   - any other method: 405.
//
// Every request must carry "Authorization: Bearer <token>"; otherwise the
// answer is 403. The token is compared in constant time. An empty token
// rejects every request.
//
// The handler ignores the URL path, so it can be mounted at both documented
// paths, /integrations/v1/api/loan_approval and /api/banking/loan_approval.
//
// A POST repeating a search_id gets the stored answer instead of a second
// decision, also when both arrive at the same time. A failed decision is not
// kept for repeated POSTs: the next POST decides again.
func Handler(d Decider, token string, opts ...HandlerOption) http.Handler {
	cfg := handlerConfig{
		ttl:           DefaultTTL,
		maxEntries:    DefaultMaxEntries,
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
	h := &handler{
		decider:   d,
		tokenHash: sha256.Sum256([]byte(token)),
		tokenSet:  token != "",
		cfg:       cfg,
		store:     newStore(cfg.ttl, cfg.maxEntries, cfg.now),
	}
	return h
}

type handler struct {
	decider   Decider
	tokenHash [sha256.Size]byte
	tokenSet  bool
	cfg       handlerConfig
	store     *store
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

	e, fresh := h.store.acquire(strings.ToLower(req.SearchID))
	if fresh {
		h.decide(r.Context(), e, req) // returns at once; the decider runs in its own goroutine
	}
	if h.cfg.async {
		if s := h.store.snapshot(e); s.finished {
			writeBody(w, s.status, s.body)
			return
		}
		writePending(w, req.SearchID)
		return
	}
	if h.cfg.waitHook != nil && !fresh {
		h.cfg.waitHook()
	}
	select {
	case <-e.done:
		writeBody(w, e.status, e.body)
	case <-r.Context().Done():
		// Yandex gave up; the decision still completes and is kept for a
		// repeated POST.
	}
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
	s, ok := h.store.lookup(strings.ToLower(id))
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, ErrorBody{SearchID: id, Message: msgNotFound})
	case !s.finished:
		writePending(w, id)
	default:
		writeBody(w, s.status, s.body)
	}
}

// decide runs the decider for e in its own goroutine and records the answer.
// The context keeps the request's values but not its cancellation: the
// decision outlives the POST in the asynchronous mode, and in the synchronous
// mode it is kept for a repeated POST after Yandex gave up waiting. When the
// timeout passes first, the answer is a 500 at once, even if the decider does
// not return.
func (h *handler) decide(parent context.Context, e *entry, req *Request) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), h.cfg.decideTimeout)
	stop := context.AfterFunc(ctx, func() {
		h.cfg.logger.Error("loanapproval: decision not finished in time",
			"search_id", req.SearchID, "timeout", h.cfg.decideTimeout.String())
		h.store.complete(e, http.StatusInternalServerError, internalError(req.SearchID))
	})
	go func() {
		defer cancel()
		status, body := h.run(ctx, req)
		if stop() {
			h.store.complete(e, status, body)
		}
	}()
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
