package yookassa

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/creditpay/yookassa-go/internal/redact"
)

// Version is the version of this module, sent in the YM-User-Agent header.
const Version = "0.1.0"

// DefaultBaseURL is YooKassa's API endpoint.
const DefaultBaseURL = "https://api.yookassa.ru/v3"

// Client calls the YooKassa API. It is safe for concurrent use; create one
// per set of credentials and share it.
type Client struct {
	baseURL    string
	base       *url.URL // baseURL parsed once; each request copies it
	httpClient *http.Client
	retry      RetryPolicy
	logger     *slog.Logger
	auth       *credentials
	userAgent  string
	ymAgent    string
	tlsConfig  *tls.Config
	headers    staticHeaders
	// direct is the transport of the client's own *http.Client (the
	// default one, or the one built for WithTLSConfig), which the client
	// calls without the http.Client (see send), bounding each attempt by
	// the http.Client's Timeout; nil with WithHTTPClient.
	direct http.RoundTripper
}

// staticHeaders are the header values every request of a client carries,
// built once; net/http only reads them. The Authorization header is not
// among them: it stays inside credentials.
type staticHeaders struct {
	userAgent, ymAgent, contentType []string
}

// credentials keep the Authorization header out of reach of anything that
// prints a Client: fmt (Client formats itself), slog (Client is a
// LogValuer) and reflection-based dumpers such as testify's and spew, which
// see only two function values. The secret itself lives only in the
// closures' captured variables.
type credentials struct {
	// header returns the Authorization header ("Basic ..." or
	// "Bearer ..."), as the one-element slice net/http stores.
	header func() []string
	// scrub replaces every form of the credentials in text that came from
	// the network, such as an error page that echoes the request's headers.
	scrub  func(string) string
	shopID string // for descriptions; not secret
	oauth  bool
}

// newCredentials builds the credentials for an Authorization header and
// the secret (secret key or token) it carries.
func newCredentials(header, secret, shopID string, oauth bool) *credentials {
	value := []string{header}
	scrubber := newScrubber(header, secret)
	return &credentials{
		header: func() []string { return value },
		scrub:  scrubber,
		shopID: shopID,
		oauth:  oauth,
	}
}

// redacted replaces a credential in text from the network.
const redactedMark = "[redacted]"

// newScrubber returns a function that replaces every form of the
// credentials in a text: the whole header, its base64 part (also without
// padding and in the URL-safe alphabet), the raw secret or token, and each
// of them with any character written as a JSON escape (\/, \u002b,
// \u003d, ...) or percent-encoded (%2B, %2F, %3D, ...).
func newScrubber(header, secret string) func(string) string {
	forms := []string{header, secret}
	if _, encoded, ok := strings.Cut(header, " "); ok {
		forms = append(forms, encoded)
		if raw, err := base64.StdEncoding.DecodeString(encoded); err == nil {
			forms = append(forms, base64.RawStdEncoding.EncodeToString(raw),
				base64.URLEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw))
		}
	}
	return func(s string) string {
		if s == "" {
			return s
		}
		return redact.Replace(s, redactedMark, forms...)
	}
}

// Format prints the client's configuration with the credentials redacted,
// whatever the verb.
func (c Client) Format(f fmt.State, _ rune) {
	kind, who := "none", ""
	if c.auth != nil {
		if c.auth.oauth {
			kind = "oauth"
		} else {
			kind, who = "basic", " shop "+c.auth.shopID
		}
	}
	fmt.Fprintf(f, "yookassa.Client{base: %s, auth: %s%s (secret redacted)}", c.baseURL, kind, who)
}

// LogValue logs the client as Format prints it, without credentials.
func (c Client) LogValue() slog.Value { return slog.StringValue(fmt.Sprint(c)) }

// Option configures a Client.
type Option func(*Client) error

// RetryPolicy controls how a call is repeated after a network error, a 202
// "processing", a 429 or a 5xx answer. Every attempt of a call carries the
// same Idempotence-Key and the same body.
type RetryPolicy struct {
	// MaxAttempts is the most requests a call may send, the first included
	// (1 disables retries).
	MaxAttempts int
	// BaseDelay is the wait before the second attempt; each further wait
	// doubles, with jitter.
	BaseDelay time.Duration
	// MaxDelay caps the computed backoff. A wait YooKassa asks for
	// (retry_after, Retry-After) is obeyed as given, up to one minute.
	MaxDelay time.Duration
}

// DefaultRetryPolicy returns the policy used unless WithRetryPolicy says
// otherwise: up to 4 attempts, waits of about 0.3 s, 0.6 s and 1.2 s. It is
// a function so that no caller can change the default of every client.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 300 * time.Millisecond, MaxDelay: 5 * time.Second}
}

// maxServerDelay caps a wait that the server asks for.
const maxServerDelay = time.Minute

// WithBaseURL points the client at another endpoint. It must be https,
// except for loopback hosts (127.0.0.0/8, ::1, localhost), where plain http
// is allowed for local servers and the simulator in package yookassatest.
func WithBaseURL(u string) Option {
	return func(c *Client) error {
		parsed, err := url.Parse(u)
		if err != nil {
			return &ValidationError{Field: "base URL", Reason: "not a URL"}
		}
		if parsed.User != nil {
			return &ValidationError{Field: "base URL", Reason: "must not carry credentials"}
		}
		if parsed.Host == "" {
			return &ValidationError{Field: "base URL", Reason: "has no host"}
		}
		switch parsed.Scheme {
		case "https":
		case "http":
			if !isLoopback(parsed.Hostname()) {
				return &ValidationError{Field: "base URL", Reason: "plain http is allowed only for loopback hosts"}
			}
		default:
			return &ValidationError{Field: "base URL", Reason: "scheme must be https"}
		}
		if parsed.RawQuery != "" || parsed.Fragment != "" {
			return &ValidationError{Field: "base URL", Reason: "must not have a query or fragment"}
		}
		c.baseURL = strings.TrimRight(parsed.String(), "/")
		return nil
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithHTTPClient makes the client send its requests through hc.Do, with
// hc's transport, timeout and cookie jar. Redirects are never followed,
// whatever hc's CheckRedirect says: YooKassa does not redirect, and a
// followed 307 would replay a POST, card data included, to another host.
// The client keeps a copy of hc with its own CheckRedirect, so hc itself
// is left as it was.
//
// The default is a shared transport with connect, TLS and overall timeouts
// that keeps enough idle connections for parallel callers; the client calls
// it directly and bounds each attempt to a minute.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return &ValidationError{Field: "http client", Reason: "nil"}
		}
		cp := *hc
		cp.CheckRedirect = refuseRedirects
		c.httpClient = &cp
		return nil
	}
}

// WithTLSConfig keeps the default HTTP client's timeouts and connection
// pool but verifies the server with cfg, for example a pool of corporate
// root certificates (cfg.RootCAs). It cannot be combined with
// WithHTTPClient. TLS versions below 1.2 are never used.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *Client) error {
		if cfg == nil {
			return &ValidationError{Field: "TLS config", Reason: "nil"}
		}
		c.tlsConfig = cfg.Clone()
		if c.tlsConfig.MinVersion < tls.VersionTLS12 {
			c.tlsConfig.MinVersion = tls.VersionTLS12
		}
		return nil
	}
}

// WithRetryPolicy replaces DefaultRetryPolicy for every call of the client;
// WithCallRetryPolicy does so for one call.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if err := checkRetryPolicy(&p); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// checkRetryPolicy refuses a policy without attempts or with negative
// delays, and raises MaxDelay to BaseDelay.
func checkRetryPolicy(p *RetryPolicy) error {
	if p.MaxAttempts < 1 {
		return &ValidationError{Field: "MaxAttempts", Reason: "must be at least 1"}
	}
	if p.BaseDelay < 0 || p.MaxDelay < 0 {
		return &ValidationError{Field: "BaseDelay", Reason: "delays must not be negative"}
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	return nil
}

// WithLogger logs every attempt at debug level: method, path, status,
// attempt, idempotence key and duration. It never logs credentials, the
// Authorization header or request bodies. A client is silent by default.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		c.logger = l
		return nil
	}
}

// WithUserAgent adds a product token (such as "MyShop/2.1") in front of the
// User-Agent header and to the YM-User-Agent header YooKassa reads.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		product = strings.TrimSpace(product)
		if product == "" || strings.ContainsAny(product, "\r\n") {
			return &ValidationError{Field: "user agent", Reason: "must be one non-empty line"}
		}
		c.userAgent = product + " " + c.userAgent
		c.ymAgent = c.ymAgent + " " + product
		return nil
	}
}

// NewClient returns a client that authenticates with HTTP Basic: the shop ID
// and the secret key from the merchant profile.
//
// Payouts have credentials of their own: for CreatePayout and the other
// payout calls (GetPayout, ListPayouts, Payouts, SearchPayouts,
// ListSBPBanks, CreatePersonalData, GetPersonalData), make a second client
// with the payout gateway's agent ID as shopID and the secret key issued for
// the gateway as secretKey. Safe deal payouts use the shop's own pair.
func NewClient(shopID, secretKey string, opts ...Option) (*Client, error) {
	if shopID == "" || strings.ContainsAny(shopID, ":\r\n") {
		return nil, &ValidationError{Field: "shopID", Reason: "must be non-empty and contain no colon"}
	}
	if secretKey == "" || strings.ContainsAny(secretKey, "\r\n") {
		return nil, &ValidationError{Field: "secretKey", Reason: "must be non-empty and one line"}
	}
	token := base64.StdEncoding.EncodeToString([]byte(shopID + ":" + secretKey))
	return newClient(newCredentials("Basic "+token, secretKey, shopID, false), opts)
}

// NewOAuthClient returns a client that authenticates with an OAuth token
// (partner applications). Only such a client may manage webhooks.
func NewOAuthClient(token string, opts ...Option) (*Client, error) {
	if token == "" || strings.ContainsAny(token, " \r\n") {
		return nil, &ValidationError{Field: "token", Reason: "must be non-empty and contain no spaces"}
	}
	return newClient(newCredentials("Bearer "+token, token, "", true), opts)
}

func newClient(auth *credentials, opts []Option) (*Client, error) {
	c := &Client{
		baseURL:   DefaultBaseURL,
		retry:     DefaultRetryPolicy(),
		auth:      auth,
		userAgent: "yookassa-go/" + Version,
		ymAgent:   systemAgent() + " YooKassa.Go/" + Version,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	base, err := url.Parse(c.baseURL)
	if err != nil {
		return nil, &ValidationError{Field: "base URL", Reason: "not a URL"}
	}
	c.base = base
	c.headers = staticHeaders{
		userAgent: []string{c.userAgent},
		ymAgent:   []string{c.ymAgent}, contentType: []string{"application/json"},
	}
	own := c.httpClient == nil
	switch {
	case c.tlsConfig != nil && c.httpClient != nil:
		return nil, &ValidationError{Field: "TLS config", Reason: "WithTLSConfig and WithHTTPClient cannot be combined; configure TLS in your client"}
	case c.tlsConfig != nil:
		c.httpClient = newDefaultHTTPClient(c.tlsConfig)
	case c.httpClient == nil:
		c.httpClient = defaultHTTPClient()
	}
	if own {
		c.direct = c.httpClient.Transport
	}
	return c, nil
}

// Timeouts of the default HTTP client. YooKassa answers within about 30
// seconds or gives up with a 500. The overall timeout also bounds a server
// that accepts a request and never answers; a separate response-header
// timeout would add a timer and a channel to every request for no further
// guarantee.
const (
	dialTimeout         = 10 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
	overallTimeout      = 60 * time.Second
	// maxConnsPerHost bounds the default client's connections to one API
	// host: 128 calls in flight, far more than YooKassa serves one shop at
	// once without 429s.
	maxConnsPerHost = 128
)

// defaultHTTPClient is shared by every client made without WithHTTPClient
// or WithTLSConfig, so that clients created per request still share one
// connection pool.
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	return newDefaultHTTPClient(&tls.Config{MinVersion: tls.VersionTLS12})
})

// newDefaultHTTPClient builds the tuned client: timeouts on every phase and
// a pool that keeps a connection per parallel caller.
func newDefaultHTTPClient(tlsConfig *tls.Config) *http.Client {
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       tlsConfig,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ExpectContinueTimeout: time.Second,
		// The standard library keeps 2 idle connections per host; parallel
		// callers would then open a new connection for most calls. Keep
		// them all, and cap the connections per host: while a warm pool
		// returns a connection, net/http would otherwise dial a spare one,
		// so a burst of callers opened up to twice as many (and as many TLS
		// handshakes). Beyond the cap, calls wait for a free connection.
		MaxIdleConns:        2 * maxConnsPerHost,
		MaxIdleConnsPerHost: maxConnsPerHost,
		MaxConnsPerHost:     maxConnsPerHost,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   overallTimeout,
		// The API never redirects; following one could replay a POST
		// elsewhere. Report it as an APIError instead.
		CheckRedirect: refuseRedirects,
	}
}

// refuseRedirects makes http.Client return a 3xx answer as it is; the
// client reports it as an APIError.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// systemAgent is the "<os>/<version> Go/<runtime>" part of YM-User-Agent.
var systemAgent = sync.OnceValue(func() string {
	name, version := osNameVersion()
	return agentToken(name) + "/" + agentToken(version) + " Go/" + agentToken(strings.TrimPrefix(runtime.Version(), "go"))
})

// osNameVersion reads the distribution from /etc/os-release on Linux and
// falls back to GOOS.
func osNameVersion() (string, string) {
	if runtime.GOOS == "linux" {
		if data, err := os.ReadFile("/etc/os-release"); err == nil {
			var name, version string
			for _, line := range strings.Split(string(data), "\n") {
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					continue
				}
				v = strings.Trim(v, `"'`)
				switch k {
				case "NAME":
					name = v
				case "VERSION_ID":
					version = v
				}
			}
			if name != "" {
				if version == "" {
					version = "unknown"
				}
				return name, version
			}
		}
	}
	return runtime.GOOS, "unknown"
}

// agentToken replaces the characters YooKassa's user agent format reserves
// (spaces and slashes) with dots.
func agentToken(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '/' || r < 0x20 || r == 0x7f {
			return '.'
		}
		return r
	}, strings.TrimSpace(s))
}
