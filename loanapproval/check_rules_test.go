package loanapproval_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

const postPath, pollPath = "/integrations/v1/api/loan_approval", "/api/banking/loan_approval"

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// forwardedFor returns a client that sends through base's transport with
// X-Forwarded-For: addr, as a trusted proxy in front of the bank would.
func forwardedFor(base *http.Client, addr string) *http.Client {
	inner := base.Transport
	if inner == nil {
		inner = http.DefaultTransport
	}
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("X-Forwarded-For", addr)
		return inner.RoundTrip(r)
	})}
}

func TestCheckHTTPSRule(t *testing.T) {
	t.Run("https", func(t *testing.T) {
		srv := httptest.NewTLSServer(loanapproval.Handler(counting(approve), testToken))
		defer srv.Close()
		report, err := loanapproval.Check(context.Background(), srv.URL+postPath, testToken,
			loanapproval.CheckHTTPClient(srv.Client()))
		require.NoError(t, err)
		assert.True(t, report.Passed(), report.String())
		res, ok := report.Result("transport/https")
		require.True(t, ok)
		assert.False(t, res.Skipped)
		assert.Equal(t, "every answer came over TLS", res.Reason)
	})
	t.Run("plain http to a loopback host", func(t *testing.T) {
		report := runCheck(t, loanapproval.Handler(counting(approve), testToken))
		res, _ := report.Result("transport/https")
		assert.True(t, res.Skipped, res.Reason)
	})
	t.Run("plain http to any other host", func(t *testing.T) {
		var sent atomic.Int32
		hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			sent.Add(1)
			return nil, http.ErrHandlerTimeout
		})}
		report, err := loanapproval.Check(context.Background(), "http://bank.example"+postPath, testToken,
			loanapproval.CheckHTTPClient(hc))
		require.NoError(t, err)
		assert.False(t, report.Passed())
		require.Len(t, report.Results, 1)
		assert.Equal(t, "transport/https", report.Results[0].Rule)
		assert.Contains(t, report.Results[0].Reason, "no request was sent")
		assert.Equal(t, int32(0), sent.Load(), "the token never travels in clear")
	})
}

func TestCheckPollsTheDocumentedURL(t *testing.T) {
	// gated returns an asynchronous handler whose decisions wait for the
	// first GET to reach the server, so that the first POST is always
	// answered pending, and the server wrapping that releases them.
	gated := func(inner func(h http.Handler) http.Handler) (http.Handler, *pathSet) {
		release := make(chan struct{})
		var once sync.Once
		d := loanapproval.DeciderFunc(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return approve(ctx, req)
		})
		h := loanapproval.Handler(d, testToken, loanapproval.WithAsync())
		polled := &pathSet{}
		served := inner(h)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				polled.add(r.URL.Path)
				once.Do(func() { close(release) })
			}
			served.ServeHTTP(w, r)
		}), polled
	}
	atBoth := func(h http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle(postPath, h)
		mux.Handle(pollPath, h)
		return mux
	}
	atPost := func(h http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle(postPath, h)
		return mux
	}

	t.Run("served at both documented paths", func(t *testing.T) {
		h, polled := gated(atBoth)
		report := runCheck(t, h)
		assert.True(t, report.Passed(), report.String())
		res, _ := report.Result("async/polling")
		assert.False(t, res.Skipped)
		res, _ = report.Result("get/documented-path")
		assert.False(t, res.Skipped)
		assert.Equal(t, []string{pollPath}, polled.list(), "every GET went to the documented path")
	})
	t.Run("GET served only at the POST path", func(t *testing.T) {
		h, _ := gated(atPost)
		report := runCheck(t, h)
		assert.False(t, report.Passed())
		res, _ := report.Result("async/polling")
		assert.False(t, res.Passed)
		assert.Contains(t, res.Reason, "expected 200, got 404")
		assert.Contains(t, failedRules(report), "get/unknown-search_id")
	})
	t.Run("a poll URL named by the bank", func(t *testing.T) {
		h, polled := gated(atPost)
		srv := httptest.NewServer(h)
		defer srv.Close()
		report, err := loanapproval.Check(context.Background(), srv.URL+postPath, testToken,
			loanapproval.CheckPollURL(srv.URL+postPath),
			loanapproval.CheckPolling(2*time.Millisecond, 20*time.Millisecond, passTimeout))
		require.NoError(t, err)
		assert.True(t, report.Passed(), report.String())
		assert.Equal(t, []string{postPath}, polled.list())
	})
	t.Run("endpoint off the documented path", func(t *testing.T) {
		h, _ := gated(func(h http.Handler) http.Handler { return h })
		srv := httptest.NewServer(h)
		defer srv.Close()
		report, err := loanapproval.Check(context.Background(), srv.URL+"/yandex/offers", testToken,
			loanapproval.CheckPolling(2*time.Millisecond, 20*time.Millisecond, passTimeout))
		require.NoError(t, err)
		assert.True(t, report.Passed(), report.String())
		res, _ := report.Result("get/documented-path")
		assert.True(t, res.Skipped)
		assert.Contains(t, res.Reason, "CheckPollURL")
	})
}

func TestCheckAllowlistRule(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	const yandex, foreign = "192.0.2.10", "203.0.113.9"
	run := func(t *testing.T, h http.Handler) *loanapproval.Report {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		report, err := loanapproval.Check(context.Background(), srv.URL+postPath, testToken,
			loanapproval.CheckHTTPClient(forwardedFor(srv.Client(), yandex)),
			loanapproval.CheckForeignClient(forwardedFor(srv.Client(), foreign)))
		require.NoError(t, err)
		return report
	}
	t.Run("allowlist configured", func(t *testing.T) {
		report := run(t, loanapproval.Handler(counting(approve), testToken,
			loanapproval.WithAllowedSources(netip.MustParsePrefix(yandex+"/32")),
			loanapproval.WithTrustedProxies(loopback...)))
		assert.True(t, report.Passed(), report.String())
		res, _ := report.Result("allowlist/foreign-address")
		assert.False(t, res.Skipped)
		assert.Equal(t, "403", res.Reason)
	})
	t.Run("no allowlist", func(t *testing.T) {
		report := run(t, loanapproval.Handler(counting(approve), testToken))
		assert.Equal(t, []string{"allowlist/foreign-address"}, failedRules(report), report.String())
		res, _ := report.Result("allowlist/foreign-address")
		assert.Contains(t, res.Reason, "expected 403, got 200")
	})
	t.Run("not configured in the check", func(t *testing.T) {
		report := runCheck(t, loanapproval.Handler(counting(approve), testToken))
		res, _ := report.Result("allowlist/foreign-address")
		assert.True(t, res.Skipped)
	})
}

func TestCheckConfigErrors(t *testing.T) {
	ctx := context.Background()
	const ep = "https://bank.example" + postPath
	for name, opt := range map[string]loanapproval.CheckOption{
		"poll URL not http":   loanapproval.CheckPollURL("ftp://bank.example/"),
		"poll URL plain http": loanapproval.CheckPollURL("http://bank.example" + pollPath),
		"nil http client":     loanapproval.CheckHTTPClient(nil),
		"nil foreign client":  loanapproval.CheckForeignClient(nil),
	} {
		_, err := loanapproval.Check(ctx, ep, testToken, opt)
		assert.ErrorIs(t, err, loanapproval.ErrInvalidConfig, name)
	}
	for _, bad := range []string{"not a url", "https://user:pw@bank.example/", "https://bank.example/#x"} {
		_, err := loanapproval.Check(ctx, bad, testToken)
		assert.ErrorIs(t, err, loanapproval.ErrInvalidConfig, bad)
	}
	_, err := loanapproval.Check(ctx, ep, "")
	assert.ErrorIs(t, err, loanapproval.ErrInvalidConfig)
}

func TestCheckReasonsNeverCarryTheToken(t *testing.T) {
	const token = "Tq7/canary+Xw=secret-long-value"
	correct := loanapproval.Handler(counting(approve), token)
	// An endpoint that echoes the Authorization header in every error
	// message, after enough text that a cut at 100 bytes splits it.
	echo := rewrite(correct, func(r *http.Request, status int, body []byte) (int, []byte) {
		if status == http.StatusOK {
			return status, body
		}
		msg := strings.Repeat("x", 90) + r.Header.Get("Authorization")
		return http.StatusInternalServerError, []byte(`{"search_id":"","message":"` + strings.ReplaceAll(msg, "/", `\/`) + `"}`)
	})
	srv := httptest.NewServer(echo)
	defer srv.Close()
	report, err := loanapproval.Check(context.Background(), srv.URL+postPath, token)
	require.NoError(t, err)
	out := report.String()
	for _, res := range report.Results {
		out += res.Reason + res.Description
	}
	require.Contains(t, out, "expected 403, got 500")
	for _, piece := range []string{"Tq7", "canary", "Xw=", "secret-long"} {
		assert.NotContains(t, out, piece)
	}
}

// pathSet collects the distinct paths of requests, safely.
type pathSet struct {
	mu    sync.Mutex
	paths []string
}

func (p *pathSet) add(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !slices.Contains(p.paths, path) {
		p.paths = append(p.paths, path)
	}
}

func (p *pathSet) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.paths)
}
