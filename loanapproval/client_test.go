package loanapproval_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

func loanRequest() *loanapproval.Request {
	amount := dec("250000")
	return &loanapproval.Request{
		PhoneNumber: "79991234567", Amount: &amount, Term: "24",
		ProductType: loanapproval.ProductLoan, SearchID: uuid.NewString(),
	}
}

func newTestClient(srv *httptest.Server, token string, opts ...loanapproval.ClientOption) *loanapproval.Client {
	c, err := loanapproval.NewClient(srv.URL+"/integrations/v1/api/loan_approval", token,
		append([]loanapproval.ClientOption{loanapproval.WithHTTPClient(srv.Client())}, opts...)...)
	if err != nil {
		panic(err)
	}
	return c
}

func mustClient(t testing.TB, endpoint, token string, opts ...loanapproval.ClientOption) *loanapproval.Client {
	t.Helper()
	c, err := loanapproval.NewClient(endpoint, token, opts...)
	require.NoError(t, err)
	return c
}

func TestClientSend(t *testing.T) {
	var seen struct {
		sync.Mutex
		auth, ctype string
		body        map[string]any
	}
	h := loanapproval.Handler(counting(approve), testToken)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen.Lock()
		seen.auth, seen.ctype = r.Header.Get("Authorization"), r.Header.Get("Content-Type")
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		_ = dec.Decode(&seen.body)
		seen.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	c := newTestClient(srv, testToken)
	req := loanRequest()
	resp, err := c.Send(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, req.SearchID, resp.SearchID)
	assert.Equal(t, loanapproval.StatusDone, resp.Status)
	assert.Equal(t, loanapproval.DecisionHasApprove, resp.Decision)
	require.Len(t, resp.Data, 1)
	assert.True(t, resp.Data[0].Amount.Max.Equal(dec("300000")))

	seen.Lock()
	defer seen.Unlock()
	assert.Equal(t, "Bearer "+testToken, seen.auth)
	assert.Equal(t, "application/json", seen.ctype)
	assert.Equal(t, json.Number("250000"), seen.body["amount"], "amount travels as a JSON number")
	assert.Equal(t, "24", seen.body["term"])
}

func TestClientValidatesBeforeSending(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	c := newTestClient(srv, testToken)

	req := loanRequest()
	req.Term = ""
	req.PhoneNumber = "+7 999"
	for _, send := range []func(context.Context, *loanapproval.Request) (*loanapproval.Response, error){c.Send, c.Await} {
		_, err := send(context.Background(), req)
		var verr *loanapproval.ValidationError
		require.ErrorAs(t, err, &verr)
		assert.ElementsMatch(t, []string{"term", "phone_number"}, verr.Properties())
	}
	_, err := c.Send(context.Background(), nil)
	assert.Error(t, err)
	_, err = c.Poll(context.Background(), "not-a-uuid")
	assert.Error(t, err)
	assert.Equal(t, int32(0), hits.Load())
}

func TestClientErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		check  func(t *testing.T, err error)
	}{
		{"400 with properties", 400, `{"search_id":"x","message":"invalid request","properties":["phone_number","term"]}`,
			func(t *testing.T, err error) {
				var apiErr *loanapproval.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, 400, apiErr.StatusCode)
				assert.Equal(t, "invalid request", apiErr.Message)
				assert.Equal(t, []string{"phone_number", "term"}, apiErr.Properties)
				assert.Contains(t, err.Error(), "phone_number, term")
			}},
		{"403", 403, `{"search_id":"x","message":"forbidden"}`, func(t *testing.T, err error) {
			var apiErr *loanapproval.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 403, apiErr.StatusCode)
			assert.Equal(t, "x", apiErr.SearchID)
		}},
		{"500 with only search_id", 500, `{"search_id":"x"}`, func(t *testing.T, err error) {
			var apiErr *loanapproval.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 500, apiErr.StatusCode)
		}},
		{"502 from a proxy", 502, `<html>bad gateway</html>`, func(t *testing.T, err error) {
			var apiErr *loanapproval.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 502, apiErr.StatusCode)
			assert.Contains(t, apiErr.Message, "bad gateway")
		}},
		{"200 breaking the protocol", 200, `{"search_id":"%s","status":"done","name":"B","decision":"has_approve",` +
			`"data":[{"product_type":"credit_card","decision":"pre_approved","amount":{"min":1,"max":2},` +
			`"rate":{"min":1,"max":2},"total_cost":{"min":1,"max":2},"payment":{},"propousal_link":{}}]}`,
			func(t *testing.T, err error) {
				var verr *loanapproval.ValidationError
				require.ErrorAs(t, err, &verr)
				assert.ElementsMatch(t, []string{"data[0].grace_period", "data[0].payment.cc_rate", "data[0].propousal_link"}, verr.Properties())
			}},
		{"200 for another search_id", 200, `{"search_id":"` + uuid.NewString() + `","status":"done","name":"B","decision":"rejected"}`,
			func(t *testing.T, err error) {
				var verr *loanapproval.ValidationError
				require.ErrorAs(t, err, &verr)
				assert.Equal(t, []string{"search_id"}, verr.Properties())
			}},
		{"200 not JSON", 200, `ok`, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, loanapproval.ErrMalformed)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := loanRequest()
			body := tt.body
			if strings.Contains(body, "%s") {
				body = fmt.Sprintf(body, req.SearchID)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, body)
			}))
			defer srv.Close()
			resp, err := newTestClient(srv, testToken).Send(context.Background(), req)
			assert.Nil(t, resp)
			tt.check(t, err)
		})
	}
}

func TestClientAwaitPollsUntilDone(t *testing.T) {
	var polls atomic.Int32
	d := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		// Stay pending until Yandex's side has polled three times.
		for polls.Load() < 3 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Millisecond):
			}
		}
		return approve(ctx, req)
	})
	h := loanapproval.Handler(d, testToken, loanapproval.WithAsync())
	var paths sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			polls.Add(1)
			paths.Store(r.URL.Path, true)
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()

	const initial, max = 10 * time.Millisecond, 20 * time.Millisecond
	c := newTestClient(srv, testToken,
		loanapproval.WithPollInterval(initial, max),
		loanapproval.WithPollURL(srv.URL+"/api/banking/loan_approval"))
	req := loanRequest()
	start := time.Now()
	resp, err := c.Await(context.Background(), req)
	require.NoError(t, err)
	elapsed := time.Since(start)
	assert.Equal(t, loanapproval.StatusDone, resp.Status)
	assert.Equal(t, req.SearchID, resp.SearchID)
	assert.GreaterOrEqual(t, polls.Load(), int32(3))
	// Waits of 10, 20 and 20 ms come before the third poll: the interval
	// doubles and is capped.
	assert.GreaterOrEqual(t, elapsed, initial+max+max)
	_, polledElsewhere := paths.Load("/integrations/v1/api/loan_approval")
	assert.False(t, polledElsewhere, "polls go to the poll URL")
	_, polledThere := paths.Load("/api/banking/loan_approval")
	assert.True(t, polledThere)
}

func TestClientAwaitStopsWithContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	h := loanapproval.Handler(loanapproval.DeciderFunc(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		<-release
		return approve(ctx, req)
	}), testToken, loanapproval.WithAsync())
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := newTestClient(srv, testToken, loanapproval.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	_, err := c.Await(ctx, loanRequest())
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestClientAwaitStopsOnPollError(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			var req loanapproval.Request
			b, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(b, &req)
			_, _ = fmt.Fprintf(w, `{"search_id":%q}`, req.SearchID)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = fmt.Fprintf(w, `{"search_id":%q,"message":"unknown search_id"}`, r.URL.Query().Get("search_id"))
	}))
	defer srv.Close()
	c := newTestClient(srv, testToken, loanapproval.WithPollInterval(time.Millisecond, time.Millisecond))
	_, err := c.Await(context.Background(), loanRequest())
	var apiErr *loanapproval.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, http.MethodGet, apiErr.Method)
	assert.Equal(t, int32(1), posts.Load())
}

func TestClientNeverShowsToken(t *testing.T) {
	const token = "s3cr3t-bearer-value"
	// A server that echoes the Authorization header in its error message.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, `{"search_id":"","message":"bad header %s"}`, r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	c := newTestClient(srv, token)
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, v := range []any{c, *c, []any{c}} {
			out := fmt.Sprintf(format, v)
			assert.NotContains(t, out, token, format)
			assert.NotContains(t, out, fmt.Sprintf("%x", token), format)
		}
	}
	assert.Contains(t, fmt.Sprint(c), "[REDACTED]")
	assert.Contains(t, c.String(), srv.URL)

	_, err := c.Send(context.Background(), loanRequest())
	require.Error(t, err)
	assert.NotContains(t, err.Error(), token)
	assert.NotContains(t, fmt.Sprintf("%+v", err), token)

	// Transport errors do not carry it either.
	dead := mustClient(t, "http://127.0.0.1:1/", token)
	_, err = dead.Send(context.Background(), loanRequest())
	var te *loanapproval.TransportError
	require.ErrorAs(t, err, &te)
	assert.NotContains(t, err.Error(), token)

	_, err = loanapproval.NewClient("https://user:pass@bank.example/", token)
	require.ErrorIs(t, err, loanapproval.ErrInvalidConfig)
	assert.NotContains(t, err.Error(), "pass")
}

func TestClientResponseTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"search_id":"`+strings.Repeat("x", 2<<20)+`"}`)
	}))
	defer srv.Close()
	_, err := newTestClient(srv, testToken).Send(context.Background(), loanRequest())
	var te *loanapproval.TransportError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "larger than")
}
