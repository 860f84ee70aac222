package loanapproval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// allRules is every rule Check reports, in order.
var allRules = []string{
	"post/loan", "post/credit_card", "transport/https", "async/polling", "get/documented-path", "repeat/search_id",
	"auth/missing-token", "auth/wrong-token", "allowlist/foreign-address", "get/unknown-search_id",
	"invalid/phone_number/missing", "invalid/phone_number/letters", "invalid/phone_number/short",
	"invalid/product_type/missing", "invalid/product_type/unknown",
	"invalid/search_id/missing", "invalid/search_id/not-uuid",
	"invalid/term/missing-for-loan", "invalid/term/not-a-number",
	"invalid/amount/negative", "invalid/amount/not-a-number", "invalid/body/malformed",
}

// invalidRules are the rules about invalid requests, the last ones.
var invalidRules = allRules[10:]

// passTimeout bounds the polling of a check that is expected to pass. Such
// a check ends as soon as its decisions are done, so the bound is never
// reached on a healthy run; it is long so that a slow, busy machine cannot
// turn a pending answer into a failed rule.
const passTimeout = time.Minute

func runCheck(t *testing.T, h http.Handler, opts ...loanapproval.CheckOption) *loanapproval.Report {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	opts = append([]loanapproval.CheckOption{
		loanapproval.CheckHTTPClient(srv.Client()),
		loanapproval.CheckPolling(2*time.Millisecond, 20*time.Millisecond, passTimeout),
	}, opts...)
	report, err := loanapproval.Check(context.Background(), srv.URL+"/integrations/v1/api/loan_approval", testToken, opts...)
	require.NoError(t, err)
	var rules []string
	for _, r := range report.Results {
		rules = append(rules, r.Rule)
		assert.NotEmpty(t, r.Reason, r.Rule)
		assert.NotEmpty(t, r.Description, r.Rule)
	}
	require.Equal(t, allRules, rules)
	return report
}

func failedRules(r *loanapproval.Report) []string {
	var out []string
	for _, res := range r.Failed() {
		out = append(out, res.Rule)
	}
	return out
}

func TestCheckPassesCorrectHandler(t *testing.T) {
	t.Run("synchronous", func(t *testing.T) {
		report := runCheck(t, loanapproval.Handler(counting(approve), testToken))
		assert.True(t, report.Passed(), report.String())
		polling, _ := report.Result("async/polling")
		assert.True(t, polling.Skipped)
		loan, _ := report.Result("post/loan")
		assert.Equal(t, "200 done, decision has_approve, 1 offer", loan.Reason)
		prop, _ := report.Result("invalid/term/missing-for-loan")
		assert.Equal(t, "400 naming term", prop.Reason)
	})
	t.Run("asynchronous", func(t *testing.T) {
		// Decisions wait for the first poll, so the first POST is always
		// answered pending, however slow the machine.
		polled := make(chan struct{})
		var once sync.Once
		slow := loanapproval.DeciderFunc(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
			select {
			case <-polled:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return approve(ctx, req)
		})
		h := loanapproval.Handler(slow, testToken, loanapproval.WithAsync())
		report := runCheck(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet {
				once.Do(func() { close(polled) })
			}
			h.ServeHTTP(w, r)
		}))
		assert.True(t, report.Passed(), report.String())
		polling, _ := report.Result("async/polling")
		assert.False(t, polling.Skipped)
		assert.True(t, polling.Passed)
	})
	t.Run("rejecting", func(t *testing.T) {
		reject := loanapproval.DeciderFunc(func(context.Context, *loanapproval.Request) (*loanapproval.Response, error) {
			return &loanapproval.Response{Name: "Strict Bank", Decision: loanapproval.DecisionRejected}, nil
		})
		report := runCheck(t, loanapproval.Handler(reject, testToken))
		assert.True(t, report.Passed(), report.String())
	})
}

// rewrite wraps h, letting edit change the status and body of its answers.
func rewrite(h http.Handler, edit func(r *http.Request, status int, body []byte) (int, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		status, body := edit(r, rec.Code, rec.Body.Bytes())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

var rangeNumber = regexp.MustCompile(`"(min|max|cc_rate)":(-?[0-9.]+)`)

func TestCheckFailsBrokenHandlers(t *testing.T) {
	correct := loanapproval.Handler(counting(approve), testToken)
	var counter atomic.Int64
	tests := []struct {
		name    string
		handler http.Handler
		failed  []string
		reason  map[string]string // rule -> fragment of the reason
	}{
		{
			name: "quotes amounts as strings",
			handler: rewrite(correct, func(_ *http.Request, status int, body []byte) (int, []byte) {
				return status, rangeNumber.ReplaceAll(body, []byte(`"$1":"$2"`))
			}),
			failed: []string{"post/loan", "post/credit_card", "get/documented-path", "repeat/search_id"},
			reason: map[string]string{
				"post/loan":        "data[0].amount.min: must be a JSON number, not a string",
				"post/credit_card": "data[0].payment.cc_rate: must be a JSON number, not a string",
				"repeat/search_id": "no valid first answer",
			},
		},
		{
			name: "ignores the token",
			handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Header.Set("Authorization", "Bearer "+testToken)
				correct.ServeHTTP(w, r)
			}),
			failed: []string{"auth/missing-token", "auth/wrong-token"},
			reason: map[string]string{"auth/wrong-token": "expected 403, got 200"},
		},
		{
			name: "answers 200 for unknown ids",
			handler: rewrite(correct, func(r *http.Request, status int, body []byte) (int, []byte) {
				if status == http.StatusNotFound {
					id := r.URL.Query().Get("search_id")
					return http.StatusOK, []byte(`{"search_id":"` + id + `","status":"done","name":"B","decision":"rejected"}`)
				}
				return status, body
			}),
			failed: []string{"get/unknown-search_id"},
			reason: map[string]string{"get/unknown-search_id": "expected 404, got 200"},
		},
		{
			name: "error bodies without search_id",
			handler: rewrite(correct, func(_ *http.Request, status int, body []byte) (int, []byte) {
				if status != http.StatusOK {
					return status, []byte(`{"error":"nope"}`)
				}
				return status, body
			}),
			failed: append([]string{"auth/missing-token", "auth/wrong-token", "get/unknown-search_id"}, invalidRules...),
			reason: map[string]string{"auth/wrong-token": "search_id: required in the error body"},
		},
		{
			name: "decides anew on every POST",
			handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// A fresh handler per request keeps no state, and the
				// decider offers a different maximum every time.
				d := loanapproval.DeciderFunc(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
					resp, _ := approve(ctx, req)
					resp.Data[0].Amount = loanapproval.NewRange(dec("10000"), decimal.NewFromInt(20000+counter.Add(1)))
					return resp, nil
				})
				loanapproval.Handler(d, testToken).ServeHTTP(w, r)
			}),
			failed: []string{"repeat/search_id"},
			reason: map[string]string{"repeat/search_id": "differs"},
		},
		{
			name: "accepts invalid requests",
			handler: rewrite(correct, func(r *http.Request, status int, body []byte) (int, []byte) {
				if status == http.StatusBadRequest {
					return http.StatusOK, []byte(`{"search_id":"` + uuid.NewString() + `","status":"done","name":"B","decision":"rejected"}`)
				}
				return status, body
			}),
			failed: invalidRules,
			reason: map[string]string{"invalid/term/missing-for-loan": "expected 400, got 200"},
		},
		{
			name: "names the wrong property",
			handler: rewrite(correct, func(_ *http.Request, status int, body []byte) (int, []byte) {
				if status == http.StatusBadRequest {
					return status, bytes.ReplaceAll(body, []byte(`"properties":["phone_number"]`), []byte(`"properties":["phone"]`))
				}
				return status, body
			}),
			failed: []string{"invalid/phone_number/missing", "invalid/phone_number/letters", "invalid/phone_number/short"},
			reason: map[string]string{"invalid/phone_number/letters": "do not name phone_number"},
		},
		{
			name: "offers without the documented link spelling",
			handler: rewrite(correct, func(_ *http.Request, status int, body []byte) (int, []byte) {
				return status, bytes.ReplaceAll(body, []byte(`"propousal_link"`), []byte(`"proposal_link"`))
			}),
			failed: []string{"post/loan", "post/credit_card", "get/documented-path", "repeat/search_id"},
			reason: map[string]string{"post/loan": "data[0].propousal_link: required"},
		},
		{
			name: "grace period as a fraction",
			handler: rewrite(correct, func(_ *http.Request, status int, body []byte) (int, []byte) {
				return status, bytes.ReplaceAll(body, []byte(`"grace_period":100`), []byte(`"grace_period":100.5`))
			}),
			failed: []string{"post/credit_card"},
			reason: map[string]string{"post/credit_card": "data[0].grace_period: must be a JSON integer"},
		},
		{
			name: "stays pending forever",
			handler: rewrite(correct, func(r *http.Request, status int, body []byte) (int, []byte) {
				if status != http.StatusOK {
					return status, body
				}
				var resp struct {
					SearchID string `json:"search_id"`
				}
				_ = json.Unmarshal(body, &resp)
				return status, []byte(`{"search_id":"` + resp.SearchID + `","status":"pending"}`)
			}),
			failed: []string{"post/loan", "post/credit_card", "async/polling", "get/documented-path", "repeat/search_id"},
			reason: map[string]string{"async/polling": "still pending"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report := runCheck(t, tt.handler, loanapproval.CheckPolling(time.Millisecond, 5*time.Millisecond, 100*time.Millisecond))
			assert.False(t, report.Passed())
			assert.ElementsMatch(t, tt.failed, failedRules(report), report.String())
			for rule, fragment := range tt.reason {
				res, ok := report.Result(rule)
				require.True(t, ok, rule)
				assert.Contains(t, res.Reason, fragment, rule)
			}
			assert.Contains(t, report.String(), "FAIL")
		})
	}
}

func TestCheckCannotRun(t *testing.T) {
	ctx := context.Background()
	_, err := loanapproval.Check(ctx, "not a url", testToken)
	assert.Error(t, err)
	_, err = loanapproval.Check(ctx, "https://bank.example/", "")
	assert.Error(t, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = loanapproval.Check(cancelled, "https://bank.example/", testToken)
	assert.ErrorIs(t, err, context.Canceled)

	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	report, err := loanapproval.Check(ctx, url, testToken)
	assert.Nil(t, report)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testToken)
}

func TestReportString(t *testing.T) {
	r := &loanapproval.Report{Results: []loanapproval.Result{
		{Rule: "post/loan", Passed: true, Reason: "200 done"},
		{Rule: "async/polling", Passed: true, Skipped: true, Reason: "synchronous"},
		{Rule: "auth/wrong-token", Reason: "expected 403,\n got 200"},
	}}
	assert.False(t, r.Passed())
	assert.Equal(t, ""+
		"RULE              RESULT  DETAIL\n"+
		"post/loan         PASS    200 done\n"+
		"async/polling     SKIP    synchronous\n"+
		"auth/wrong-token  FAIL    expected 403, got 200\n"+
		"3 rules: 1 passed, 1 failed, 1 skipped\n", r.String())
	assert.False(t, (&loanapproval.Report{}).Passed(), "an empty report proves nothing")
}
