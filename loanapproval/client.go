package loanapproval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/creditpay/yookassa-go/internal/redact"
)

// Defaults of the client options.
const (
	DefaultPollInitial = 500 * time.Millisecond
	DefaultPollMax     = 5 * time.Second
	// DefaultClientTimeout is the timeout of the *http.Client a Client makes
	// for itself when none is given.
	DefaultClientTimeout = 30 * time.Second
	// maxResponseBytes caps how much of an answer is read.
	maxResponseBytes = 1 << 20
)

// Client calls a bank's endpoint the way Yandex does. It is safe for
// concurrent use. Its token never appears in errors, when the client is
// printed, or in a reflection-based dump of it (such as a failing testify
// assertion): the client keeps it behind a function value.
type Client struct {
	endpoint    *url.URL
	pollURL     *url.URL
	token       func() string
	hc          *http.Client
	pollInitial time.Duration
	pollMax     time.Duration
}

// ErrInvalidConfig is matched by the errors of [NewClient] and [Check] for a
// configuration that cannot work: a bad endpoint or poll URL, an empty token,
// a nil HTTP client, a negative interval.
var ErrInvalidConfig = errors.New("loanapproval: invalid configuration")

func configError(what, reason string) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidConfig, what, reason)
}

// ClientOption configures [NewClient]. An option given a value that cannot
// work makes NewClient return an error.
type ClientOption func(*Client) error

// WithHTTPClient makes the client send its requests through hc (nil is an
// error). By default it uses its own *http.Client with a
// [DefaultClientTimeout] timeout. Whatever hc's CheckRedirect, the client
// never follows a redirect: a 3xx answer is an *APIError.
func WithHTTPClient(hc *http.Client) ClientOption {
	return func(c *Client) error {
		if hc == nil {
			return configError("http client", "nil")
		}
		c.hc = noRedirects(hc)
		return nil
	}
}

// WithPollInterval sets the wait before the first poll of [Client.Await] and
// the longest wait between polls; the wait doubles after each pending answer
// (defaults [DefaultPollInitial] and [DefaultPollMax]). Zero keeps a default;
// a negative duration is an error.
func WithPollInterval(initial, longest time.Duration) ClientOption {
	return func(c *Client) error {
		if initial < 0 || longest < 0 {
			return configError("poll interval", "must not be negative")
		}
		if initial > 0 {
			c.pollInitial = initial
		}
		if longest > 0 {
			c.pollMax = longest
		}
		return nil
	}
}

// WithPollURL sets the URL polled by [Client.Await] and [Client.Poll], for
// banks that serve the GET at the documented /api/banking/loan_approval and
// the POST elsewhere. By default the client polls the endpoint it POSTs to.
// The URL follows the endpoint's rules (see [NewClient]); one that breaks
// them is an error.
func WithPollURL(u string) ClientOption {
	return func(c *Client) error {
		p, err := parseEndpoint("poll URL", u)
		if err != nil {
			return err
		}
		c.pollURL = p
		return nil
	}
}

// NewClient returns a client for the bank endpoint at endpoint (the full URL
// the POST goes to, such as
// https://bank.example/integrations/v1/api/loan_approval), authenticating
// with the bearer token. The endpoint must be an absolute https URL without
// user information or fragment; plain http is allowed only for loopback
// hosts (127.0.0.0/8, ::1, localhost), for tests. A bad endpoint, an empty
// token or a bad option is an error matching [ErrInvalidConfig].
func NewClient(endpoint, token string, opts ...ClientOption) (*Client, error) {
	ep, err := parseEndpoint("endpoint", endpoint)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, configError("token", "required")
	}
	c := &Client{
		endpoint:    ep,
		token:       func() string { return token },
		hc:          noRedirects(&http.Client{Timeout: DefaultClientTimeout}),
		pollInitial: DefaultPollInitial,
		pollMax:     DefaultPollMax,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.pollMax < c.pollInitial {
		c.pollMax = c.pollInitial
	}
	return c, nil
}

// noRedirects returns a copy of hc that never follows a redirect: the
// bearer token and the applicant's phone number go only where the caller
// said. The copy shares hc's transport.
func noRedirects(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// parseEndpoint checks a URL the client or the check sends the token to.
func parseEndpoint(what, s string) (*url.URL, error) {
	u, err := parseHTTPURL(what, s)
	if err != nil {
		return nil, err
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, configError(what, "plain http is allowed only for loopback hosts")
	}
	return u, nil
}

// parseHTTPURL accepts an absolute http or https URL without user
// information or fragment.
func parseHTTPURL(what, s string) (*url.URL, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, configError(what, "not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, configError(what, "scheme must be https")
	case u.Host == "" || u.Hostname() == "":
		return nil, configError(what, "has no host")
	case u.User != nil:
		return nil, configError(what, "must not carry credentials")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return nil, configError(what, "must not have a fragment")
	}
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// String describes the client without its token. It has a value receiver,
// so that a Client printed by value is redacted too.
func (c Client) String() string {
	ep := "<invalid endpoint>"
	if c.endpoint != nil {
		ep = c.endpoint.Redacted()
	}
	tok := "[EMPTY]"
	if c.token != nil && c.token() != "" {
		tok = redacted
	}
	return fmt.Sprintf("loanapproval.Client{endpoint: %q, token: %s}", ep, tok)
}

// GoString is like String, for %#v.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so that no verb (%v, %+v, %#v, %s,
// %x ...) reaches the token.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

func (c *Client) bearer() string {
	if c.token == nil {
		return ""
	}
	return c.token()
}

const redacted = "[REDACTED]"

// APIError is a non-200 answer of the endpoint, decoded from the documented
// error body. StatusCode tells the kind: 400 invalid request (Properties
// names the fields), 403 bad token, 404 unknown search_id, 500 bank failure;
// a 3xx is a redirect the client refused to follow. Every string in it came
// from the network and has had the token, and for a POST the applicant's
// phone number, removed (also in their JSON-escaped forms) before anything
// was cut short.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// SearchID is the search_id the body repeats, if any.
	SearchID string
	// Message is the body's message, or the start of a body that is not
	// the documented JSON (such as a proxy's error page), at most
	// maxErrorMessage bytes.
	Message string
	// Properties names the invalid fields of a 400.
	Properties []string
	// Method is GET or POST.
	Method string
}

// maxErrorMessage bounds APIError.Message.
const maxErrorMessage = 200

// Error describes the answer.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loanapproval: %s answered %d %s", e.Method, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if len(e.Properties) > 0 {
		fmt.Fprintf(&b, " (properties: %s)", strings.Join(e.Properties, ", "))
	}
	if e.SearchID != "" {
		fmt.Fprintf(&b, " [search_id %s]", e.SearchID)
	}
	return b.String()
}

// Send validates req, POSTs it once and returns the answer. The answer may be
// pending if the bank decides asynchronously; [Client.Await] polls until done.
// A non-200 answer is an *APIError; an invalid request, or an answer that
// breaks the protocol (including a search_id other than the request's), is a
// *ValidationError (wrapped). Answers are read leniently, as [ParseResponse]
// reads them.
func (c *Client) Send(ctx context.Context, req *Request) (*Response, error) {
	if req == nil {
		return nil, errors.New("loanapproval: nil request")
	}
	if err := req.Validate(); err != nil {
		return nil, fmt.Errorf("loanapproval: request not sent: %w", err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("loanapproval: encode request: %w", err)
	}
	return c.do(ctx, http.MethodPost, c.endpoint.String(), body, req.SearchID, req.PhoneNumber)
}

// Await sends req like [Client.Send] and, while the answer is pending, polls
// GET ?search_id= with growing intervals until the status is done or ctx
// ends. The polls are answered and validated like Send's; the first error
// stops polling.
func (c *Client) Await(ctx context.Context, req *Request) (*Response, error) {
	resp, err := c.Send(ctx, req)
	if err != nil {
		return nil, err
	}
	wait := c.pollInitial
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for resp.Status != StatusDone {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("loanapproval: search %s still pending: %w", req.SearchID, ctx.Err())
		case <-timer.C:
		}
		if resp, err = c.Poll(ctx, req.SearchID); err != nil {
			return nil, err
		}
		wait = min(wait*2, c.pollMax)
		timer.Reset(wait)
	}
	return resp, nil
}

// Poll asks once for the state of searchID with GET ?search_id=.
func (c *Client) Poll(ctx context.Context, searchID string) (*Response, error) {
	if !ValidSearchID(searchID) {
		return nil, fmt.Errorf("loanapproval: poll not sent: %w",
			&ValidationError{Fields: []FieldError{{Property: "search_id", Reason: "must be a UUID"}}})
	}
	base := c.pollURL
	if base == nil {
		base = c.endpoint
	}
	return c.do(ctx, http.MethodGet, withSearchID(base, searchID), nil, searchID, "")
}

// withSearchID returns base with the query parameter search_id set.
func withSearchID(base *url.URL, searchID string) string {
	u := *base
	q := u.Query()
	q.Set("search_id", searchID)
	u.RawQuery = q.Encode()
	return u.String()
}

// do sends one request. phone is the applicant's phone number the request
// carries, if any: like the token, it is removed from whatever an error
// answer echoes.
func (c *Client) do(ctx context.Context, method, target string, body []byte, searchID, phone string) (*Response, error) {
	token := c.bearer()
	ans, err := roundTrip(ctx, c.hc, method, target, token, body)
	if err != nil {
		return nil, err
	}
	if ans.status != http.StatusOK {
		return nil, decodeAPIError(method, ans.status, ans.body, token, phone)
	}
	resp, err := ParseResponse(ans.body)
	if err != nil {
		return nil, fmt.Errorf("loanapproval: invalid answer to %s: %w", method, err)
	}
	if !strings.EqualFold(resp.SearchID, searchID) {
		return nil, fmt.Errorf("loanapproval: invalid answer to %s: %w", method,
			&ValidationError{Fields: []FieldError{{Property: "search_id", Reason: "differs from the request's"}}})
	}
	return resp, nil
}

// answer is one HTTP answer.
type answer struct {
	status int
	body   []byte
	tls    bool // the answer came over TLS
}

// roundTrip sends one request and reads at most maxResponseBytes of the
// answer. Errors never contain the token.
func roundTrip(ctx context.Context, hc *http.Client, method, target, token string, body []byte) (answer, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hr, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return answer{}, fmt.Errorf("loanapproval: build %s request: %s", method, scrub(err.Error(), token))
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	hr.Header.Set("Accept", "application/json")
	res, err := hc.Do(hr)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return answer{}, fmt.Errorf("loanapproval: %s: %w", method, ctxErr)
		}
		return answer{}, &TransportError{Method: method, msg: scrub(err.Error(), token)}
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes+1))
	if err != nil {
		return answer{}, &TransportError{Method: method, msg: "read answer: " + scrub(err.Error(), token)}
	}
	if len(data) > maxResponseBytes {
		return answer{}, &TransportError{Method: method, msg: "answer larger than " + strconv.Itoa(maxResponseBytes) + " bytes"}
	}
	return answer{status: res.StatusCode, body: data, tls: res.TLS != nil}, nil
}

// TransportError reports that a request did not get an HTTP answer (the
// connection failed, or the answer could not be read).
type TransportError struct {
	// Method is GET or POST.
	Method string
	msg    string
}

// Error describes the failure.
func (e *TransportError) Error() string { return "loanapproval: " + e.Method + ": " + e.msg }

// decodeAPIError builds the error of a non-200 answer. Every string taken
// from the body is scrubbed of the secrets (the token, the applicant's
// phone number) first and only then cut short, so that no cut-off piece of
// them survives.
func decodeAPIError(method string, status int, data []byte, secrets ...string) *APIError {
	e := &APIError{StatusCode: status, Method: method}
	if status >= 300 && status < 400 {
		e.Message = "redirect not followed"
		return e
	}
	var eb struct {
		SearchID   json.RawMessage `json:"search_id"`
		Message    json.RawMessage `json:"message"`
		Properties json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(data, &eb) == nil {
		var d fieldDecoder
		e.SearchID = cut(scrub(d.str("search_id", eb.SearchID, false), secrets...), 64)
		e.Message = cut(scrub(d.str("message", eb.Message, false), secrets...), maxErrorMessage)
		for _, p := range d.strings("properties", eb.Properties) {
			e.Properties = append(e.Properties, cut(scrub(p, secrets...), 64))
		}
	} else {
		e.Message = cut(scrub(strings.TrimSpace(string(data)), secrets...), maxErrorMessage)
	}
	return e
}

// cut shortens s to at most n bytes plus "..." and makes it valid UTF-8.
func cut(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}

// scrub replaces every occurrence of each secret in text with [REDACTED]:
// the raw secret, and the secret with any of its characters JSON-escaped
// (\/ or \u002b, \u003D ...) or percent-encoded, as an echo of it may carry
// it. Empty secrets are ignored.
func scrub(text string, secrets ...string) string {
	return redact.Replace(text, redacted, secrets...)
}
