package loanapproval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
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
// concurrent use. Its token never appears in errors or when the client is
// printed.
type Client struct {
	endpoint    *url.URL
	pollURL     *url.URL
	token       *secret
	hc          *http.Client
	pollInitial time.Duration
	pollMax     time.Duration
}

// ClientOption configures [NewClient].
type ClientOption func(*Client)

// WithHTTPClient makes the client send its requests through hc. By default it
// uses its own *http.Client with a [DefaultClientTimeout] timeout.
func WithHTTPClient(hc *http.Client) ClientOption {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithPollInterval sets the wait before the first poll of [Client.Await] and
// the longest wait between polls; the wait doubles after each pending answer
// (defaults [DefaultPollInitial] and [DefaultPollMax]).
func WithPollInterval(initial, longest time.Duration) ClientOption {
	return func(c *Client) {
		if initial > 0 {
			c.pollInitial = initial
		}
		if longest > 0 {
			c.pollMax = longest
		}
	}
}

// WithPollURL sets the URL polled by [Client.Await], for banks that serve the
// GET at /api/banking/loan_approval and the POST elsewhere. By default the
// client polls the endpoint it POSTs to.
func WithPollURL(u string) ClientOption {
	return func(c *Client) {
		if p, err := parseEndpoint(u); err == nil {
			c.pollURL = p
		}
	}
}

// NewClient returns a client for the bank endpoint at endpoint (the full URL
// the POST goes to, such as
// https://bank.example/integrations/v1/api/loan_approval), authenticating
// with the bearer token. An endpoint that is not an absolute http or https URL
// makes every call fail with an error.
func NewClient(endpoint, token string, opts ...ClientOption) *Client {
	c := &Client{
		token:       &secret{value: token},
		hc:          &http.Client{Timeout: DefaultClientTimeout},
		pollInitial: DefaultPollInitial,
		pollMax:     DefaultPollMax,
	}
	c.endpoint, _ = parseEndpoint(endpoint)
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.pollMax < c.pollInitial {
		c.pollMax = c.pollInitial
	}
	return c
}

func parseEndpoint(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("loanapproval: endpoint must be an absolute http or https URL")
	}
	return u, nil
}

// String describes the client without its token. It has a value receiver,
// so that a Client printed by value is redacted too.
func (c Client) String() string {
	ep := "<invalid endpoint>"
	if c.endpoint != nil {
		ep = c.endpoint.Redacted()
	}
	return fmt.Sprintf("loanapproval.Client{endpoint: %q, token: %s}", ep, c.token)
}

// GoString is like String, for %#v.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so that no verb (%v, %+v, %#v, %s,
// %x ...) reaches the token.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// secret is a credential. It sits behind a pointer in Client, so that even
// reflection-based printing of the struct shows an address, not the value.
type secret struct{ value string }

const redacted = "[REDACTED]"

// String hides the credential.
func (s *secret) String() string {
	if s == nil || s.value == "" {
		return "[EMPTY]"
	}
	return redacted
}

// scrub removes every occurrence of token from text.
func scrub(text, token string) string {
	if token == "" {
		return text
	}
	return strings.ReplaceAll(text, token, redacted)
}

// APIError is a non-200 answer of the endpoint, decoded from the documented
// error body. StatusCode tells the kind: 400 invalid request (Properties
// names the fields), 403 bad token, 404 unknown search_id, 500 bank failure.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// SearchID is the search_id the body repeats, if any.
	SearchID string
	// Message is the body's message, or the start of a body that is not
	// the documented JSON (such as a proxy's error page).
	Message string
	// Properties names the invalid fields of a 400.
	Properties []string
	// Method is GET or POST.
	Method string
}

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
	return b.String()
}

// Send validates req, POSTs it once and returns the answer. The answer may be
// pending if the bank decides asynchronously; [Client.Await] polls until done.
// A non-200 answer is an *APIError; an invalid request, or an answer that
// breaks the protocol (including a search_id other than the request's), is a
// *ValidationError (wrapped).
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
	if c.endpoint == nil {
		return nil, errors.New("loanapproval: endpoint must be an absolute http or https URL")
	}
	return c.do(ctx, http.MethodPost, c.endpoint.String(), body, req.SearchID)
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
	if base == nil {
		return nil, errors.New("loanapproval: endpoint must be an absolute http or https URL")
	}
	u := *base
	q := u.Query()
	q.Set("search_id", searchID)
	u.RawQuery = q.Encode()
	return c.do(ctx, http.MethodGet, u.String(), nil, searchID)
}

func (c *Client) do(ctx context.Context, method, target string, body []byte, searchID string) (*Response, error) {
	status, data, err := roundTrip(ctx, c.hc, method, target, c.token.value, body)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, decodeAPIError(method, status, data, c.token.value)
	}
	resp, err := ParseResponse(data)
	if err != nil {
		return nil, fmt.Errorf("loanapproval: invalid answer to %s: %w", method, err)
	}
	if !strings.EqualFold(resp.SearchID, searchID) {
		return nil, fmt.Errorf("loanapproval: invalid answer to %s: %w", method,
			&ValidationError{Fields: []FieldError{{Property: "search_id", Reason: "differs from the request's"}}})
	}
	return resp, nil
}

// roundTrip sends one request and reads at most maxResponseBytes of the
// answer. Errors never contain the token.
func roundTrip(ctx context.Context, hc *http.Client, method, target, token string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hr, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return 0, nil, fmt.Errorf("loanapproval: build %s request: %s", method, scrub(err.Error(), token))
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
			return 0, nil, fmt.Errorf("loanapproval: %s: %w", method, ctxErr)
		}
		return 0, nil, &TransportError{Method: method, msg: scrub(err.Error(), token)}
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes+1))
	if err != nil {
		return 0, nil, &TransportError{Method: method, msg: "read answer: " + scrub(err.Error(), token)}
	}
	if len(data) > maxResponseBytes {
		return 0, nil, &TransportError{Method: method, msg: "answer larger than " + strconv.Itoa(maxResponseBytes) + " bytes"}
	}
	return res.StatusCode, data, nil
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

func decodeAPIError(method string, status int, data []byte, token string) *APIError {
	e := &APIError{StatusCode: status, Method: method}
	var eb struct {
		SearchID   json.RawMessage `json:"search_id"`
		Message    json.RawMessage `json:"message"`
		Properties json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(data, &eb) == nil {
		var d fieldDecoder
		e.SearchID = d.str("search_id", eb.SearchID, false)
		e.Message = d.str("message", eb.Message, false)
		e.Properties = d.strings("properties", eb.Properties)
	} else {
		e.Message = strings.ToValidUTF8(truncate(strings.TrimSpace(string(data)), 200), "?")
	}
	e.Message = scrub(e.Message, token)
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
