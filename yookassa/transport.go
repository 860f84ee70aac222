package yookassa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Limits on how much of an answer is read.
const (
	maxErrorBody    = 1 << 20  // error bodies: 1 MiB
	maxResponseBody = 32 << 20 // successful bodies: 32 MiB
	maxBodyExcerpt  = 512      // non-JSON error bodies kept in APIError.Body
)

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	idempotenceKey string
}

// WithIdempotenceKey sends the call with this Idempotence-Key instead of a
// fresh UUIDv4: 1-64 characters of [0-9A-Za-z+._-]. Derive it from your own
// identifiers (order ID plus operation) so that a retry after a crash or a
// restart repeats the first request instead of performing a second one.
// YooKassa remembers keys for 24 hours.
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
	var cfg callConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
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
	target := c.baseURL + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}

	st := attemptState{method: method, path: path, key: key}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return st.final(keyed, err)
		}
		st.attempts = attempt
		res := c.attempt(ctx, &st, target, body, out)
		switch {
		case res.err == nil:
			return nil
		case res.interrupted:
			return st.final(keyed, res.err)
		case !res.retry:
			return res.err
		case attempt >= c.retry.MaxAttempts:
			return st.final(keyed, res.err)
		}
		wait := res.wait
		if wait <= 0 {
			wait = c.backoff(attempt)
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
func (c *Client) attempt(ctx context.Context, st *attemptState, target string, body []byte, out any) attemptResult {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, st.method, target, reader)
	if err != nil {
		return attemptResult{err: fmt.Errorf("yookassa: %s %s: building request: %w", st.method, st.path, err)}
	}
	// NewRequestWithContext gives a *bytes.Reader body a GetBody, so a
	// redirect or a connection retry inside net/http resends the same bytes.
	h := req.Header
	h["Authorization"] = c.headers.auth
	h["User-Agent"] = c.headers.userAgent
	h["Ym-User-Agent"] = c.headers.ymAgent
	if st.key != "" {
		h["Idempotence-Key"] = []string{st.key}
	}
	if st.method == http.MethodPost {
		h["Content-Type"] = c.headers.contentType
	}

	start := time.Now()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		if !isDialError(err) {
			st.maybeSent = true
		}
		c.log(ctx, st, 0, start, err)
		return attemptResult{err: err, retry: true, interrupted: ctx.Err() != nil}
	}
	defer resp.Body.Close()
	c.log(ctx, st, resp.StatusCode, start, nil)

	if resp.StatusCode >= 200 && resp.StatusCode < 300 && resp.StatusCode != http.StatusAccepted {
		st.maybeSent = true
		if err := decodeBody(resp.Body, out); err != nil {
			err = fmt.Errorf("yookassa: %s %s: decoding the %d answer: %w", st.method, st.path, resp.StatusCode, err)
			if st.key != "" {
				// The operation happened, but its result was lost: the same
				// key returns it again.
				err = &OutcomeUnknownError{IdempotenceKey: st.key, Method: st.method, Path: st.path, Attempts: st.attempts, Err: err}
			}
			return attemptResult{err: err}
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

// decodeBody decodes a successful answer into out and drains what is left,
// so the connection can be reused.
func decodeBody(r io.Reader, out any) error {
	limited := &io.LimitedReader{R: r, N: maxResponseBody}
	var err error
	if out != nil {
		err = json.NewDecoder(limited).Decode(out)
		if errors.Is(err, io.EOF) {
			err = errors.New("empty body")
		}
	}
	limited.N = min(limited.N, maxErrorBody)
	_, _ = io.Copy(io.Discard, limited)
	return err
}

// readError reads an answer that is not a success into an *APIError.
func (c *Client) readError(resp *http.Response, st *attemptState) *APIError {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{StatusCode: resp.StatusCode, IdempotenceKey: st.key, Method: st.method, Path: st.path}
	var eb errorBody
	if err := json.Unmarshal(data, &eb); err == nil && (eb.Type != "" || eb.Code != "") {
		e.Type, e.ID, e.Code, e.Parameter, e.Reason = eb.Type, eb.ID, eb.Code, eb.Parameter, eb.Reason
		e.Description = c.auth.scrub(eb.Description)
		if ms, err := strconv.ParseInt(string(bytes.Trim(eb.RetryAfter, `"`)), 10, 64); err == nil && ms > 0 {
			e.RetryAfter = time.Duration(min(ms, maxServerDelay.Milliseconds())) * time.Millisecond
		}
	} else if len(data) > 0 {
		body := c.auth.scrub(string(bytes.ToValidUTF8(data, []byte("?"))))
		if len(body) > maxBodyExcerpt {
			body = strings.ToValidUTF8(body[:maxBodyExcerpt], "")
		}
		e.Body = body
	}
	if e.RetryAfter == 0 {
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return e
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

// backoff is the wait before attempt n+1: BaseDelay doubled n-1 times,
// capped at MaxDelay, with "equal jitter" (between half and all of it).
func (c *Client) backoff(n int) time.Duration {
	d := c.retry.BaseDelay
	for i := 1; i < n && d < c.retry.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, c.retry.MaxDelay)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
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
