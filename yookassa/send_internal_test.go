package yookassa

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client made without WithHTTPClient sends through its transport
// directly (send). These tests hold that path to what http.Client's
// Timeout and CheckRedirect guaranteed.

// stallingServer answers every request with stall, then blocks until the
// test ends.
func stallingServer(t *testing.T, stall func(http.ResponseWriter)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		requests.Add(1)
		stall(w)
		<-release
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv, &requests
}

func TestOwnTransportBoundsEachAttempt(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stall func(http.ResponseWriter)
	}{
		{name: "no answer", stall: func(http.ResponseWriter) {}},
		{name: "half an answer", stall: func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"id":"2d`)
			w.(http.Flusher).Flush()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, requests := stallingServer(t, tc.stall)
			// WithTLSConfig gives the client an http.Client of its own, not
			// the shared default, so that its bound can be shortened here.
			c, err := NewClient("123", "test_secret", WithBaseURL(srv.URL+"/v3"), WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12}),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: 1, MaxDelay: 1}))
			require.NoError(t, err)
			require.NotNil(t, c.direct, "a client without WithHTTPClient sends through its own transport")
			// The real bound is a minute; the test does not wait that long.
			c.httpClient.Timeout = 50 * time.Millisecond

			var out Payment
			err = c.call(context.Background(), http.MethodPost, "/payments", nil, map[string]string{"k": "v"}, &out, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			var unknown *OutcomeUnknownError
			assert.ErrorAs(t, err, &unknown, "the request was written: the outcome is unknown")
			if tc.name == "no answer" {
				assert.Contains(t, err.Error(), "no answer within 50ms: ")
				assert.EqualValues(t, 2, requests.Load(), "a silent attempt is retried with the same key")
			}

			err = c.call(context.Background(), http.MethodGet, "/payments/2d", nil, nil, &out, nil)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.False(t, errors.As(err, &unknown), "a read never has an unknown outcome")
		})
	}
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	t.Cleanup(target.Close)
	redirect := func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/v3/payments", http.StatusTemporaryRedirect)
	}
	plain := httptest.NewServer(http.HandlerFunc(redirect))
	t.Cleanup(plain.Close)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(redirect))
	t.Cleanup(tlsSrv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(tlsSrv.Certificate())

	// A caller's client that would follow anything.
	followAll := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	for name, opts := range map[string][]Option{
		"default":        {WithBaseURL(plain.URL + "/v3")},
		"WithTLSConfig":  {WithBaseURL(tlsSrv.URL + "/v3"), WithTLSConfig(&tls.Config{RootCAs: roots})},
		"WithHTTPClient": {WithBaseURL(plain.URL + "/v3"), WithHTTPClient(followAll)},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := NewClient("123", "test_secret", opts...)
			require.NoError(t, err)
			assert.Equal(t, name != "WithHTTPClient", c.direct != nil)
			var out Payment
			err = c.call(context.Background(), http.MethodPost, "/payments", nil, map[string]string{"k": "v"}, &out, nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusTemporaryRedirect, apiErr.StatusCode)
		})
	}
	assert.Zero(t, elsewhere.Load(), "no request followed the redirect")
	assert.NoError(t, followAll.CheckRedirect(nil, nil), "the caller's client is left as it was")
}

func TestReadLimitedStopsPastTheLimit(t *testing.T) {
	body := strings.Repeat("x", maxResponseBody)
	for _, tc := range []struct {
		name string
		r    io.Reader
		size int64
		want int
		err  bool
	}{
		{name: "at the limit, length announced", r: strings.NewReader(body), size: maxResponseBody, want: maxResponseBody},
		{name: "at the limit, length unknown", r: strings.NewReader(body), size: -1, want: maxResponseBody},
		{name: "over the limit, length announced", r: strings.NewReader(body + "x"), size: maxResponseBody + 1, err: true},
		{name: "over the limit, length unknown", r: io.MultiReader(strings.NewReader(body), strings.NewReader("xyz")), size: -1, err: true},
		{name: "empty", r: strings.NewReader(""), size: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readLimited(tc.r, nil, tc.size)
			if tc.err {
				assert.ErrorContains(t, err, "answer larger than 33554432 bytes")
				assert.LessOrEqual(t, len(got), maxResponseBody+bytes.MinRead, "reading stops soon after the limit")
				return
			}
			require.NoError(t, err)
			assert.Len(t, got, tc.want)
		})
	}
	// A pooled buffer is reused, not grown, when the answer fits.
	buf := make([]byte, 0, 1024)
	got, err := readLimited(strings.NewReader(`{"id":"2d"}`), buf, 11)
	require.NoError(t, err)
	assert.Equal(t, `{"id":"2d"}`, string(got))
	assert.Equal(t, 1024, cap(got))
}
