package loanapproval_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// postFrom POSTs a valid loan request with the right token as if it came
// from remote, with the X-Forwarded-For lines xff.
func postFrom(t *testing.T, h http.Handler, remote string, xff ...string) *httptest.ResponseRecorder {
	t.Helper()
	body, err := json.Marshal(loanRequest())
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/integrations/v1/api/loan_approval", bytes.NewReader(body))
	r.RemoteAddr = remote
	r.Header.Set("Authorization", "Bearer "+testToken)
	for _, v := range xff {
		r.Header.Add("X-Forwarded-For", v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandlerAllowlistOffByDefault(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken)
	for _, remote := range []string{"203.0.113.7:4000", "[2001:db8::1]:4000", "pipe"} {
		assert.Equal(t, http.StatusOK, postFrom(t, h, remote).Code, remote)
	}
}

func TestHandlerAllowlist(t *testing.T) {
	yandex := netip.MustParsePrefix("192.0.2.0/24")
	proxies := netip.MustParsePrefix("10.0.0.0/8")
	tests := []struct {
		name   string
		opts   []loanapproval.HandlerOption
		remote string
		xff    []string
		want   int
	}{
		{"allowed peer", nil, "192.0.2.5:4000", nil, http.StatusOK},
		{"allowed peer, IPv4-mapped", nil, "[::ffff:192.0.2.5]:4000", nil, http.StatusOK},
		{"foreign peer", nil, "203.0.113.7:4000", nil, http.StatusForbidden},
		{"foreign peer claims an allowed source", nil, "203.0.113.7:4000", []string{"192.0.2.5"}, http.StatusForbidden},
		{"unreadable peer", nil, "pipe", nil, http.StatusForbidden},
		{"trusted proxy, allowed source", []loanapproval.HandlerOption{loanapproval.WithTrustedProxies(proxies)},
			"10.0.0.2:4000", []string{"192.0.2.5, 10.1.1.1"}, http.StatusOK},
		{"trusted proxy, spoofed left part", []loanapproval.HandlerOption{loanapproval.WithTrustedProxies(proxies)},
			"10.0.0.2:4000", []string{"192.0.2.5, 203.0.113.9"}, http.StatusForbidden},
		{"trusted proxy, garbage entry", []loanapproval.HandlerOption{loanapproval.WithTrustedProxies(proxies)},
			"10.0.0.2:4000", []string{"192.0.2.5, unknown"}, http.StatusForbidden},
		{"trusted proxy, no header", []loanapproval.HandlerOption{loanapproval.WithTrustedProxies(proxies)},
			"10.0.0.2:4000", nil, http.StatusForbidden},
		{"proxy not trusted", nil, "10.0.0.2:4000", []string{"192.0.2.5"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := counting(approve)
			var logs lockedBuffer
			opts := append([]loanapproval.HandlerOption{
				loanapproval.WithAllowedSources(yandex),
				loanapproval.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
			}, tt.opts...)
			w := postFrom(t, loanapproval.Handler(d, testToken, opts...), tt.remote, tt.xff...)
			require.Equal(t, tt.want, w.Code, w.Body.String())
			if tt.want != http.StatusForbidden {
				return
			}
			assert.Equal(t, int32(0), d.calls.Load(), "no decision for a foreign source")
			var eb loanapproval.ErrorBody
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &eb))
			assert.Equal(t, "source address not allowed", eb.Message)
			assert.Contains(t, w.Body.String(), `"search_id":""`, "the documented 403 body")
			assert.Contains(t, logs.String(), "foreign address refused")
			assert.NotContains(t, logs.String(), testToken)
		})
	}
}

func TestHandlerAllowlistCoversPolls(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken,
		loanapproval.WithAllowedSources(netip.MustParsePrefix("192.0.2.0/24")))
	id := uuid.NewString()
	r := httptest.NewRequest(http.MethodGet, "/api/banking/loan_approval?search_id="+id, nil)
	r.RemoteAddr = "203.0.113.7:4000"
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Contains(t, w.Body.String(), id, "the poll's search_id is repeated")
}

func TestHandlerAllowlistWithoutValidPrefixRefusesAll(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken, loanapproval.WithAllowedSources(netip.Prefix{}))
	assert.Equal(t, http.StatusForbidden, postFrom(t, h, "192.0.2.5:4000").Code)
	assert.Equal(t, http.StatusForbidden, postFrom(t, h, "127.0.0.1:4000").Code)
}
