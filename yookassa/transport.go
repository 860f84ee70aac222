package yookassa

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
)

// Limits on how much of an answer is read.
const (
	maxErrorBody    = 1 << 20  // error bodies: 1 MiB
	maxResponseBody = 32 << 20 // successful bodies: 32 MiB
	maxBodyExcerpt  = 512      // APIError fields and non-JSON error bodies kept in APIError.Body
)

// CallOption configures one call: WithIdempotenceKey, WithCallRetryPolicy,
// WithCallTimeout, WithResponseInto.
type CallOption func(*callConfig)

type callConfig struct {
	idempotenceKey string
	retry          *RetryPolicy
	timeout        time.Duration
	response       *Response
}

// WithCallRetryPolicy gives one call its own retry policy instead of the
// client's (see WithRetryPolicy), for example a single attempt for a read
// that must answer quickly. A policy with MaxAttempts below 1 or negative
// delays is refused with a *ValidationError before anything is sent.
func WithCallRetryPolicy(p RetryPolicy) CallOption {
	return func(c *callConfig) { c.retry = &p }
}

// WithCallTimeout bounds one call, every attempt and every wait between
// them included, as a context deadline would; the caller's context still
// applies. d <= 0 sets no bound.
func WithCallTimeout(d time.Duration) CallOption {
	return func(c *callConfig) { c.timeout = d }
}

// WithResponseInto fills *r with the metadata of the answer when the call
// succeeds: status, headers, the request's Idempotence-Key and the number
// of attempts. On failure *r is left as it was; the error carries what is
// known (see APIError and OutcomeUnknownError).
func WithResponseInto(r *Response) CallOption {
	return func(c *callConfig) { c.response = r }
}

// Response is the metadata of a successful answer, read with
// WithResponseInto.
type Response struct {
	// StatusCode is the HTTP status of the answer, 200 for YooKassa's
	// successful answers.
	StatusCode int
	// Header holds the answer's HTTP headers.
	Header http.Header
	// RequestID is the answer's X-Request-Id header, empty when the answer
	// has none. YooKassa documents no request-id header; a POST is
	// identified by its IdempotenceKey, and an error by APIError.ID.
	RequestID string
	// IdempotenceKey is the key every attempt was sent with (empty for a
	// GET).
	IdempotenceKey string
	// Attempts is how many requests the call sent.
	Attempts int
}

// WithIdempotenceKey sends the call with this Idempotence-Key instead of a
// fresh UUIDv4: 1-64 characters of [0-9A-Za-z+._-]. Derive it from your own
// identifiers (order ID plus operation) so that a retry after a crash or a
// restart repeats the first request instead of performing a second one.
// YooKassa remembers keys for 24 hours. Reads (GET) carry no key and
// ignore this option.
func WithIdempotenceKey(key string) CallOption {
	return func(c *callConfig) { c.idempotenceKey = key }
}

// ValidIdempotenceKey reports whether key is 1-64 characters of
// [0-9A-Za-z+._-], the form YooKassa accepts.
func ValidIdempotenceKey(key string) bool {
	if len(key) == 0 || len(key) > 64 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' ||
			c == '+' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// errorBody is YooKassa's error object, and the 202 "processing" object.
type errorBody struct {
	Type        string          `json:"type"`
	ID          string          `json:"id"`
	Code        string          `json:"code"`
	Description string          `json:"description"`
	Parameter   string          `json:"parameter"`
	Reason      string          `json:"reason"`
	RetryAfter  json.RawMessage `json:"retry_after"`
}

// call sends one logical API call: every attempt goes through here. in is
// encoded once; out receives the decoded answer (nil: discard it).
func (c *Client) call(ctx context.Context, method, path string, query url.Values, in, out any, opts []CallOption) error {
	cfg := readCallOptions(opts)
	policy := c.retry
	if cfg.retry != nil {
		policy = *cfg.retry // a copy: the option may be shared between calls
		if err := checkRetryPolicy(&policy); err != nil {
			return err
		}
	}
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	keyed := method != http.MethodGet
	key := ""
	if keyed {
		key = cfg.idempotenceKey
		if key == "" {
			key = uuid.NewString()
		} else if !ValidIdempotenceKey(key) {
			return &ValidationError{Field: "Idempotence-Key", Reason: "must be 1-64 characters of [0-9A-Za-z+._-]"}
		}
	}
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("yookassa: %s %s: encoding request: %w", method, path, err)
		}
	}

	// One allocation holds what every attempt shares: the URL, the
	// Idempotence-Key header and the hooks that watch the wire.
	st := &attemptState{method: method, path: path, key: key, response: cfg.response, url: *c.base}
	st.url.Path += path
	if len(query) > 0 {
		st.url.RawQuery = query.Encode()
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return st.final(keyed, err)
		}
		st.attempts = attempt
		res := c.attempt(ctx, st, body, out)
		switch {
		case res.err == nil:
			return nil
		case res.interrupted:
			return st.final(keyed, res.err)
		case !res.retry:
			return res.err
		case attempt >= policy.MaxAttempts:
			return st.final(keyed, res.err)
		}
		wait := res.wait
		if wait <= 0 {
			wait = backoff(policy, attempt)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			// The next attempt could not start in time; report now.
			return st.final(keyed, res.err)
		}
		if err := sleep(ctx, wait); err != nil {
			return st.final(keyed, err)
		}
	}
}

// readCallOptions applies opts to a fresh callConfig. A call without
// options, the usual case, does not allocate one.
func readCallOptions(opts []CallOption) callConfig {
	if len(opts) == 0 {
		return callConfig{}
	}
	cfg := new(callConfig)
	for _, o := range opts {
		if o != nil {
			o(cfg)
		}
	}
	return *cfg
}

// sleep waits for d, or until ctx ends, and then returns ctx's error. It is
// the one context-aware wait of the package: between retries and between
// the reads of WaitPayment.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// attemptState is what one logical call learns across its attempts.
type attemptState struct {
	method, path, key string
	attempts          int
	// maybeSent is set once any attempt may have reached YooKassa.
	maybeSent bool
	// response receives the metadata of a successful answer (nil: none
	// asked for).
	response *Response
	// url is the address of every attempt.
	url url.URL
	// keyHeader is the Idempotence-Key header's value, as net/http stores
	// it.
	keyHeader [1]string
	// body is the first attempt's request body. A later attempt reads a
	// reader of its own: the transport may still be reading an earlier
	// one after it returned.
	body bytes.Reader
	// wire watches the stages of a keyed attempt.
	wire wireTrace
}

// wireTrace learns from net/http/httptrace how far an attempt got: whether
// the transport reports its stages at all, and whether the request was
// written in full. Hooks run on the transport's goroutines.
type wireTrace struct {
	hooks httptrace.ClientTrace
	// traced: the transport called GetConn, so it reports its stages
	// (http.Transport does; a RoundTripper of its own may not).
	traced atomic.Bool
	// wrote: the request, body included, was written to a connection.
	wrote atomic.Bool
}

// start readies w for another attempt and returns its hooks.
func (w *wireTrace) start() *httptrace.ClientTrace {
	if w.hooks.GetConn == nil {
		w.hooks.GetConn = func(string) { w.traced.Store(true) }
		w.hooks.WroteRequest = func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				w.wrote.Store(true)
			}
		}
	}
	w.traced.Store(false)
	w.wrote.Store(false)
	return &w.hooks
}

// mayHaveReached reports whether a request that failed with err may have
// reached the server. Only a request written in full can have been acted
// on: a failure to connect, a TLS handshake that failed, or a write that
// failed cannot. WroteRequest reports that the request was handed to the
// connection's buffer; a write error from the connection then means it did
// not all leave. When the transport does not report its stages, only a
// dial error is taken as proof that nothing was sent.
func (w *wireTrace) mayHaveReached(err error) bool {
	if w.traced.Load() {
		return w.wrote.Load() && !isWriteError(err)
	}
	return !isDialError(err)
}

// attemptResult is how one attempt ended.
type attemptResult struct {
	err error
	// retry: the call may be repeated with the same key and body.
	retry bool
	// wait is the delay the server asked for (0: use the backoff).
	wait time.Duration
	// interrupted: the context ended while the request was in flight.
	interrupted bool
}

// final is the error of a call that stops with err after st.attempts
// attempts. A keyed call that may have reached YooKassa gets an
// OutcomeUnknownError; otherwise err is returned as it is, with context.
func (st *attemptState) final(keyed bool, err error) error {
	if keyed && st.maybeSent {
		return &OutcomeUnknownError{IdempotenceKey: st.key, Method: st.method, Path: st.path, Attempts: st.attempts, Err: err}
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return err
	}
	return fmt.Errorf("yookassa: %s %s: %w", st.method, st.path, err)
}

// attempt sends one request and reads its answer into out.
func (c *Client) attempt(ctx context.Context, st *attemptState, body []byte, out any) attemptResult {
	var reader io.Reader
	u := &st.url
	switch {
	case body == nil:
	case st.attempts == 1:
		st.body.Reset(body)
		reader = &st.body
	default:
		// The transport may still hold the earlier attempts' requests.
		reader = bytes.NewReader(body)
		u = new(url.URL)
		*u = st.url
	}
	reqCtx := ctx
	if st.key != "" {
		// Only a keyed call asks whether an attempt may have reached
		// YooKassa (a GET is repeated freely), so only it is traced.
		reqCtx = httptrace.WithClientTrace(ctx, st.wire.start())
	}
	if c.direct != nil {
		// What http.Client.Timeout would do (see send).
		var cancel context.CancelFunc
		reqCtx, cancel = context.WithTimeout(reqCtx, c.httpClient.Timeout)
		defer cancel()
	}
	// The URL is built from the base parsed once, not parsed again from a
	// string on every request: an empty URL here, the real one below.
	req, err := http.NewRequestWithContext(reqCtx, st.method, "", reader)
	if err != nil {
		return attemptResult{err: fmt.Errorf("yookassa: %s %s: building request: %w", st.method, st.path, err)}
	}
	req.URL, req.Host = u, u.Host
	// NewRequestWithContext gives a *bytes.Reader body a GetBody, so a
	// redirect or a connection retry inside net/http resends the same bytes.
	h := req.Header
	h["Authorization"] = c.auth.header()
	h["User-Agent"] = c.headers.userAgent
	h["Ym-User-Agent"] = c.headers.ymAgent
	if st.key != "" {
		st.keyHeader[0] = st.key
		h["Idempotence-Key"] = st.keyHeader[:]
	}
	if st.method == http.MethodPost {
		h["Content-Type"] = c.headers.contentType
	}

	start := time.Now()
	resp, err := c.send(req)
	if err != nil {
		if st.key != "" && st.wire.mayHaveReached(err) {
			st.maybeSent = true
		}
		if c.direct != nil && ctx.Err() == nil && reqCtx.Err() != nil {
			err = fmt.Errorf("no answer within %s: %w", c.httpClient.Timeout, err)
		}
		c.log(ctx, st, 0, start, err)
		if isFinalTransportError(err) {
			// Retrying cannot help, and nothing reached the server.
			return attemptResult{err: fmt.Errorf("yookassa: %s %s: %w", st.method, st.path, err)}
		}
		return attemptResult{err: err, retry: true, interrupted: ctx.Err() != nil}
	}
	defer resp.Body.Close()
	c.log(ctx, st, resp.StatusCode, start, nil)

	if resp.StatusCode >= 200 && resp.StatusCode < 300 && resp.StatusCode != http.StatusAccepted {
		st.maybeSent = true
		if err := decodeBody(resp.Body, resp.ContentLength, out); err != nil {
			if de, ok := err.(decodeError); ok {
				// A decoding error may quote a piece of the body: scrub it.
				err = fmt.Errorf("yookassa: %s %s: decoding the %d answer: %s", st.method, st.path, resp.StatusCode, c.auth.scrub(de.err.Error()))
			} else {
				// A read error, such as the context's, quotes nothing.
				err = fmt.Errorf("yookassa: %s %s: reading the %d answer: %w", st.method, st.path, resp.StatusCode, err)
			}
			if st.key != "" {
				// The operation happened, but its result was lost: the same
				// key returns it again.
				err = &OutcomeUnknownError{IdempotenceKey: st.key, Method: st.method, Path: st.path, Attempts: st.attempts, Err: err}
			}
			return attemptResult{err: err}
		}
		if r := st.response; r != nil {
			*r = Response{StatusCode: resp.StatusCode, Header: resp.Header, RequestID: resp.Header.Get("X-Request-Id"),
				IdempotenceKey: st.key, Attempts: st.attempts}
		}
		return attemptResult{}
	}

	apiErr := c.readError(resp, st)
	switch {
	case resp.StatusCode == http.StatusAccepted, resp.StatusCode >= 500:
		st.maybeSent = true
		return attemptResult{err: apiErr, retry: true, wait: apiErr.RetryAfter}
	case resp.StatusCode == http.StatusTooManyRequests:
		return attemptResult{err: apiErr, retry: true, wait: apiErr.RetryAfter}
	default:
		return attemptResult{err: apiErr}
	}
}

// send hands req to the network. A caller's *http.Client (WithHTTPClient)
// sends it with its own redirect policy, cookies and timeout. The client's
// own http.Client is skipped and its transport called directly: that keeps
// what the http.Client guaranteed, at a lower cost per request. It follows
// no redirect (a 3xx is the answer, as CheckRedirect made it), and the
// timeout bounds each attempt through req's context (attempt sets it), the
// very deadline http.Client.Timeout would set. What is saved is the work
// http.Client does on every request for features this client never uses:
// a copy of the headers and the URL for redirects, and a wrapper around the
// answer's body with a closure for its timer.
func (c *Client) send(req *http.Request) (*http.Response, error) {
	if c.direct != nil {
		return c.direct.RoundTrip(req)
	}
	return c.httpClient.Do(req)
}

// decodeBody reads a successful answer whole into a pooled buffer and
// decodes it into out (nil: the answer is only drained, so the connection
// can be reused). size is the announced length, -1 when unknown. A failure
// to decode is a decodeError; a failure to read is returned as it is.
func decodeBody(r io.Reader, size int64, out any) error {
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(r, maxErrorBody))
		return nil
	}
	p := bodyBuffers.Get().(*[]byte)
	data, err := readLimited(r, (*p)[:0], size)
	if cap(data) <= maxPooledBody {
		*p = data
		defer bodyBuffers.Put(p)
	}
	switch {
	case err != nil:
		return err
	case len(data) == 0:
		return decodeError{errors.New("empty body")}
	}
	// Unmarshal copies every string and raw message out of data, so the
	// buffer can go back to the pool.
	if err := json.Unmarshal(data, out); err != nil {
		return decodeError{err}
	}
	return nil
}

// decodeError is a failure to decode an answer that was read in full. Its
// text may quote a piece of the answer.
type decodeError struct{ err error }

func (e decodeError) Error() string { return e.err.Error() }

// readLimited appends r's content to buf, refusing more than
// maxResponseBody bytes. size, the announced length (-1: unknown), sizes
// the buffer once.
func readLimited(r io.Reader, buf []byte, size int64) ([]byte, error) {
	if size > 0 && size <= maxResponseBody && cap(buf) < int(size)+1 {
		// One byte more, so that the end is seen without growing.
		buf = make([]byte, 0, size+1)
	}
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, bytes.MinRead)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case len(buf) > maxResponseBody:
			return buf, fmt.Errorf("answer larger than %d bytes", maxResponseBody)
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
}

// bodyBuffers keep the buffers of successful answers between calls;
// buffers grown past maxPooledBody (a large list page) are left to the GC.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledBody = 256 << 10

// readError reads an answer that is not a success into an *APIError.
func (c *Client) readError(resp *http.Response, st *attemptState) *APIError {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{StatusCode: resp.StatusCode, IdempotenceKey: st.key, Method: st.method, Path: st.path}
	var eb errorBody
	if err := json.Unmarshal(data, &eb); err == nil && (eb.Type != "" || eb.Code != "") {
		// Every string came from the network: scrub each one, then cut it.
		for dst, src := range map[*string]string{&e.Type: eb.Type, &e.ID: eb.ID, &e.Code: eb.Code,
			&e.Description: eb.Description, &e.Parameter: eb.Parameter, &e.Reason: eb.Reason} {
			*dst = excerpt(c.auth.scrub(src))
		}
		if ms, err := strconv.ParseInt(string(bytes.Trim(eb.RetryAfter, `"`)), 10, 64); err == nil && ms > 0 {
			e.RetryAfter = time.Duration(min(ms, maxServerDelay.Milliseconds())) * time.Millisecond
		}
	} else if len(data) > 0 {
		e.Body = excerpt(c.auth.scrub(string(bytes.ToValidUTF8(data, []byte("?")))))
	}
	if e.RetryAfter == 0 {
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return e
}

// excerpt cuts s to maxBodyExcerpt bytes on a character boundary. Callers
// scrub first, so that no cut-off credential can slip through.
func excerpt(s string) string {
	if len(s) <= maxBodyExcerpt {
		return s
	}
	return strings.ToValidUTF8(s[:maxBodyExcerpt], "")
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		d = time.Duration(min(secs, int64(maxServerDelay/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, maxServerDelay))
}

// backoff is the wait before attempt n+1 under policy p: BaseDelay doubled
// n-1 times, capped at MaxDelay, with "equal jitter" (between half and all
// of it).
func backoff(p RetryPolicy, n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// isFinalTransportError reports whether err is a certificate or protocol
// error: the server cannot be trusted or does not speak TLS, so no request
// reached it and no retry can succeed.
func isFinalTransportError(err error) bool {
	var (
		verification *tls.CertificateVerificationError
		authority    x509.UnknownAuthorityError
		hostname     x509.HostnameError
		invalid      x509.CertificateInvalidError
		record       tls.RecordHeaderError
		alert        tls.AlertError
	)
	return errors.As(err, &verification) || errors.As(err, &authority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &record) || errors.As(err, &alert) ||
		// net/http reports a plain-http answer to a TLS hello as text only.
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client")
}

// isWriteError reports whether err is a failed write to the connection:
// part of the request, at least, never left.
func isWriteError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "write"
}

// isDialError reports whether err happened while connecting, so that
// nothing can have reached the server.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) log(ctx context.Context, st *attemptState, status int, start time.Time, err error) {
	if c.logger == nil || !c.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", st.method),
		slog.String("path", st.path),
		slog.Int("status", status),
		slog.Int("attempt", st.attempts),
		slog.Duration("duration", time.Since(start)),
	}
	if st.key != "" {
		attrs = append(attrs, slog.String("idempotence_key", st.key))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "yookassa request", attrs...)
}
