package loanapproval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

const testToken = "t0ken-4f1c9a7e"

// approve answers every request with one offer of the requested product.
func approve(_ context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
	return &loanapproval.Response{
		Name:     "Test Bank",
		Decision: loanapproval.DecisionHasApprove,
		Data:     []loanapproval.Offer{offerFor(req.ProductType)},
	}, nil
}

func offerFor(p loanapproval.ProductType) loanapproval.Offer {
	o := loanapproval.Offer{
		ProductType:  p,
		Decision:     loanapproval.OfferPreApproved,
		Amount:       loanapproval.NewRange(dec("10000"), dec("300000")),
		Rate:         loanapproval.NewRange(dec("9.9"), dec("24.9")),
		TotalCost:    loanapproval.NewRange(dec("10.4"), dec("27.2")),
		ProposalLink: &loanapproval.ProposalLink{Link: "https://bank.example/apply"},
	}
	if p == loanapproval.ProductLoan {
		o.Term = loanapproval.NewRange(dec("6"), dec("60"))
		o.Payment = &loanapproval.Payment{Min: decp("1200"), Max: decp("15000")}
	} else {
		o.GracePeriod = intp(100)
		o.Payment = &loanapproval.Payment{CCRate: decp("3")}
	}
	return o
}

// countingDecider counts calls of its function.
type countingDecider struct {
	calls atomic.Int32
	fn    loanapproval.DeciderFunc
}

func (d *countingDecider) Decide(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
	d.calls.Add(1)
	return d.fn(ctx, req)
}

func counting(fn loanapproval.DeciderFunc) *countingDecider { return &countingDecider{fn: fn} }

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// lockedBuffer is a bytes.Buffer safe for the handler's background logging.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func call(t testing.TB, h http.Handler, method, target, token string, body []byte) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return answer{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
}

func loanBody(t testing.TB, searchID string) []byte {
	t.Helper()
	amount := dec("250000")
	b, err := json.Marshal(&loanapproval.Request{
		PhoneNumber: "79991234567", Amount: &amount, Term: "24",
		ProductType: loanapproval.ProductLoan, SearchID: searchID,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func errorBody(t testing.TB, a answer) loanapproval.ErrorBody {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(a.body, &m), string(a.body))
	_, hasID := m["search_id"]
	require.True(t, hasID, "error bodies always carry search_id: "+string(a.body))
	var eb loanapproval.ErrorBody
	require.NoError(t, json.Unmarshal(a.body, &eb))
	return eb
}

func TestHandlerAuth(t *testing.T) {
	d := counting(approve)
	h := loanapproval.Handler(d, testToken)
	id := uuid.NewString()
	body := loanBody(t, id)

	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"no header", "", http.StatusForbidden},
		{"wrong token", "Bearer nope", http.StatusForbidden},
		{"token prefix only", "Bearer " + testToken[:4], http.StatusForbidden},
		{"token with suffix", "Bearer " + testToken + "x", http.StatusForbidden},
		{"basic scheme", "Basic " + testToken, http.StatusForbidden},
		{"scheme without token", "Bearer ", http.StatusForbidden},
		{"bare token", testToken, http.StatusForbidden},
		{"lowercase scheme", "bearer " + testToken, http.StatusOK},
		{"right token", "Bearer " + testToken, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{http.MethodPost, http.MethodGet} {
				var r *http.Request
				if method == http.MethodPost {
					r = httptest.NewRequest(method, "/integrations/v1/api/loan_approval", bytes.NewReader(body))
				} else {
					r = httptest.NewRequest(method, "/api/banking/loan_approval?search_id="+id, nil)
				}
				if tt.header != "" {
					r.Header.Set("Authorization", tt.header)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				require.Equal(t, tt.want, w.Code, method)
				if tt.want == http.StatusForbidden {
					eb := errorBody(t, answer{body: w.Body.Bytes()})
					assert.Equal(t, id, eb.SearchID, method)
					assert.NotEmpty(t, eb.Message)
					assert.NotContains(t, w.Body.String(), testToken)
				}
			}
		})
	}
	assert.Equal(t, int32(1), d.calls.Load(), "only the authorised POST reaches the decider")

	// An empty configured token rejects everything, including an empty one.
	open := loanapproval.Handler(d, "")
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(loanBody(t, uuid.NewString())))
	r.Header.Set("Authorization", "Bearer ")
	w := httptest.NewRecorder()
	open.ServeHTTP(w, r)
	assert.Equal(t, http.StatusForbidden, w.Code)
}

func TestHandlerRejectsInvalidRequests(t *testing.T) {
	d := counting(approve)
	h := loanapproval.Handler(d, testToken, loanapproval.WithMaxBodySize(2048))
	id := uuid.NewString()
	tests := []struct {
		name  string
		body  string
		props []string
		id    string
	}{
		{"bad phone", `{"phone_number":"7999abc4567","term":"12","product_type":"loan","search_id":"` + id + `"}`,
			[]string{"phone_number"}, id},
		{"loan without term", `{"phone_number":"79991234567","product_type":"loan","search_id":"` + id + `"}`,
			[]string{"term"}, id},
		{"missing product_type", `{"phone_number":"79991234567","search_id":"` + id + `"}`,
			[]string{"product_type"}, id},
		{"bad search_id", `{"phone_number":"79991234567","product_type":"credit_card","search_id":"42"}`,
			[]string{"search_id"}, "42"},
		{"several", `{"phone_number":"1","amount":-3,"product_type":"loan"}`,
			[]string{"phone_number", "amount", "term", "search_id"}, ""},
		{"wrong kinds", `{"phone_number":true,"amount":"x","product_type":"credit_card","search_id":"` + id + `"}`,
			[]string{"phone_number", "amount"}, id},
		{"malformed", `{"phone_number":`, nil, ""},
		{"empty body", ``, nil, ""},
		{"too large", `{"phone_number":"79991234567","props":["` + strings.Repeat("x", 4096) + `"]}`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, h, http.MethodPost, "/", testToken, []byte(tt.body))
			require.Equal(t, http.StatusBadRequest, a.status, string(a.body))
			assert.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))
			eb := errorBody(t, a)
			assert.Equal(t, tt.id, eb.SearchID)
			assert.NotEmpty(t, eb.Message)
			assert.ElementsMatch(t, tt.props, eb.Properties)
		})
	}
	assert.Equal(t, int32(0), d.calls.Load())

	// The message names the reason, without echoing values.
	a := call(t, h, http.MethodPost, "/", testToken, []byte(`{"phone_number":"secret12","product_type":"loan","search_id":"`+id+`"}`))
	eb := errorBody(t, a)
	assert.Contains(t, eb.Message, "phone_number")
	assert.NotContains(t, eb.Message, "secret12")
}

func TestHandlerMethodNotAllowed(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken)
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead, http.MethodOptions} {
		a := call(t, h, m, "/", testToken, nil)
		assert.Equal(t, http.StatusMethodNotAllowed, a.status, m)
		assert.Equal(t, "GET, POST", a.header.Get("Allow"), m)
	}
}

func TestHandlerSynchronous(t *testing.T) {
	d := counting(approve)
	h := loanapproval.Handler(d, testToken)
	for _, path := range []string{"/integrations/v1/api/loan_approval", "/api/banking/loan_approval", "/anything"} {
		id := uuid.NewString()
		a := call(t, h, http.MethodPost, path, testToken, loanBody(t, id))
		require.Equal(t, http.StatusOK, a.status, string(a.body))
		resp, err := loanapproval.ParseResponse(a.body)
		require.NoError(t, err)
		assert.Equal(t, id, resp.SearchID)
		assert.Equal(t, loanapproval.StatusDone, resp.Status)
		assert.Equal(t, "Test Bank", resp.Name)
		require.Len(t, resp.Data, 1)
		assert.Empty(t, loanapproval.WireCheckResponse(a.body))

		// The decision is kept for a poll, whatever the path.
		g := call(t, h, http.MethodGet, "/api/banking/loan_approval?search_id="+id, testToken, nil)
		assert.Equal(t, http.StatusOK, g.status)
		assert.Equal(t, string(a.body), string(g.body))
	}
	assert.Equal(t, int32(3), d.calls.Load())
}

func TestHandlerGet(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken)
	id := uuid.NewString()

	a := call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)
	require.Equal(t, http.StatusNotFound, a.status)
	eb := errorBody(t, a)
	assert.Equal(t, id, eb.SearchID)
	assert.NotEmpty(t, eb.Message)

	a = call(t, h, http.MethodGet, "/", testToken, nil)
	require.Equal(t, http.StatusBadRequest, a.status)
	assert.Equal(t, []string{"search_id"}, errorBody(t, a).Properties)

	a = call(t, h, http.MethodGet, "/?search_id=not-a-uuid", testToken, nil)
	require.Equal(t, http.StatusBadRequest, a.status)
	assert.Equal(t, []string{"search_id"}, errorBody(t, a).Properties)
}

func TestHandlerAsynchronous(t *testing.T) {
	release := make(chan struct{})
	ctxErr := make(chan error, 1)
	d := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		<-release
		// The POST has been answered long ago; the context must still be
		// alive, and bounded.
		_, hasDeadline := ctx.Deadline()
		if !hasDeadline {
			ctxErr <- errors.New("no deadline")
		} else {
			ctxErr <- ctx.Err()
		}
		return approve(ctx, req)
	})
	h := loanapproval.Handler(d, testToken, loanapproval.WithAsync())
	id := uuid.NewString()

	a := call(t, h, http.MethodPost, "/integrations/v1/api/loan_approval", testToken, loanBody(t, id))
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, `{"search_id":"`+id+`","status":"pending"}`, string(a.body))

	poll := func() answer {
		return call(t, h, http.MethodGet, "/api/banking/loan_approval?search_id="+id, testToken, nil)
	}
	p := poll()
	require.Equal(t, http.StatusOK, p.status)
	assert.JSONEq(t, `{"search_id":"`+id+`","status":"pending"}`, string(p.body))

	// A repeated POST while pending does not start a second decision.
	a = call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
	assert.JSONEq(t, `{"search_id":"`+id+`","status":"pending"}`, string(a.body))

	close(release)
	require.NoError(t, <-ctxErr)
	var final answer
	eventually(t, "done", func() bool {
		final = poll()
		resp, err := loanapproval.ParseResponse(final.body)
		return err == nil && resp.Status == loanapproval.StatusDone
	})
	resp, err := loanapproval.ParseResponse(final.body)
	require.NoError(t, err)
	assert.Equal(t, loanapproval.DecisionHasApprove, resp.Decision)

	// Once done, a repeated POST gets the final answer at once.
	a = call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
	assert.Equal(t, string(final.body), string(a.body))
	assert.Equal(t, int32(1), d.calls.Load())
}

func TestHandlerDecideTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := counting(func(ctx context.Context, _ *loanapproval.Request) (*loanapproval.Response, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		})
		h := loanapproval.Handler(d, testToken, loanapproval.WithAsync(), loanapproval.WithDecideTimeout(20*time.Second))
		id := uuid.NewString()
		a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
		require.Equal(t, http.StatusOK, a.status)
		synctest.Wait()
		assert.Equal(t, http.StatusOK, call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil).status)
		time.Sleep(20 * time.Second) // the bubble's clock: no real time passes
		synctest.Wait()
		p := call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)
		assert.Equal(t, http.StatusInternalServerError, p.status)
		assert.Equal(t, id, errorBody(t, p).SearchID)
	})
}

func TestHandlerDeciderIgnoringContextStillTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		defer close(block)
		h := loanapproval.Handler(loanapproval.DeciderFunc(func(context.Context, *loanapproval.Request) (*loanapproval.Response, error) {
			<-block
			return nil, errors.New("late")
		}), testToken, loanapproval.WithDecideTimeout(20*time.Second))
		a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, uuid.NewString()))
		assert.Equal(t, http.StatusInternalServerError, a.status)
	})
}

func TestHandlerRepeatedSearchID(t *testing.T) {
	d := counting(approve)
	h := loanapproval.Handler(d, testToken)
	id := uuid.NewString()
	first := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
	again := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
	upper := call(t, h, http.MethodPost, "/", testToken, loanBody(t, strings.ToUpper(id)))
	require.Equal(t, http.StatusOK, first.status)
	assert.Equal(t, string(first.body), string(again.body))
	assert.Equal(t, string(first.body), string(upper.body))
	assert.Equal(t, int32(1), d.calls.Load())
}

func TestHandlerConcurrentRepeatedSearchID(t *testing.T) {
	const n = 8
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock()
	d := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		<-release
		return approve(ctx, req)
	})
	var waiting atomic.Int32
	h := loanapproval.Handler(d, testToken, loanapproval.WithWaitHook(func() { waiting.Add(1) }))
	srv := httptest.NewServer(h)
	defer srv.Close()

	id := uuid.NewString()
	body := loanBody(t, id)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testToken)
			res, err := srv.Client().Do(req)
			if err != nil {
				bodies[i] = "error: " + err.Error()
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			bodies[i] = string(b)
		}()
	}
	// Release the decider only once every other POST is waiting for it.
	eventually(t, "all POSTs waiting", func() bool { return waiting.Load() == n-1 })
	unblock()
	wg.Wait()

	assert.Equal(t, int32(1), d.calls.Load())
	resp, err := loanapproval.ParseResponse([]byte(bodies[0]))
	require.NoError(t, err, bodies[0])
	assert.Equal(t, loanapproval.StatusDone, resp.Status)
	for i := 1; i < n; i++ {
		assert.Equal(t, bodies[0], bodies[i])
	}
}

func TestHandlerSyncDecisionOutlivesCancelledRequest(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	d := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		started <- struct{}{}
		<-release
		return approve(ctx, req)
	})
	h := loanapproval.Handler(d, testToken)
	id := uuid.NewString()

	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(loanBody(t, id))).WithContext(ctx)
	r.Header.Set("Authorization", "Bearer "+testToken)
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), r)
		close(done)
	}()
	<-started
	cancel()
	<-done
	close(release)

	var p answer
	eventually(t, "decision kept", func() bool {
		p = call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)
		return p.status == http.StatusOK && bytes.Contains(p.body, []byte(`"done"`))
	})
	a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
	assert.Equal(t, string(p.body), string(a.body))
	assert.Equal(t, int32(1), d.calls.Load())
}

func TestHandlerDeciderFailures(t *testing.T) {
	const internals = "db password=hunter2 at 10.0.0.7"
	invalid := func(mutate func(r *loanapproval.Response)) loanapproval.DeciderFunc {
		return func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
			r, _ := approve(ctx, req)
			mutate(r)
			return r, nil
		}
	}
	tests := []struct {
		name    string
		decider loanapproval.Decider
		log     string
	}{
		{"panic", loanapproval.DeciderFunc(func(context.Context, *loanapproval.Request) (*loanapproval.Response, error) {
			panic(internals)
		}), "panicked"},
		{"error", loanapproval.DeciderFunc(func(context.Context, *loanapproval.Request) (*loanapproval.Response, error) {
			return nil, errors.New(internals)
		}), internals},
		{"nil response", loanapproval.DeciderFunc(func(context.Context, *loanapproval.Request) (*loanapproval.Response, error) {
			return nil, nil
		}), "no response"},
		{"nil decider", nil, "no decider"},
		{"offer without link", invalid(func(r *loanapproval.Response) { r.Data[0].ProposalLink = nil }), "propousal_link"},
		{"loan offer without term", invalid(func(r *loanapproval.Response) { r.Data[0].Term = nil }), "data[0].term"},
		{"no name", invalid(func(r *loanapproval.Response) { r.Name = "" }), "name"},
		{"pending", invalid(func(r *loanapproval.Response) { r.Status = loanapproval.StatusPending }), "pending"},
		{"other search_id", invalid(func(r *loanapproval.Response) { r.SearchID = uuid.NewString() }), "search_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs lockedBuffer
			h := loanapproval.Handler(tt.decider, testToken, loanapproval.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			id := uuid.NewString()
			a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
			require.Equal(t, http.StatusInternalServerError, a.status)
			eb := errorBody(t, a)
			assert.Equal(t, id, eb.SearchID)
			assert.Equal(t, "internal error", eb.Message)
			assert.NotContains(t, string(a.body), "hunter2")
			assert.NotContains(t, string(a.body), "goroutine")
			assert.Contains(t, logs.String(), tt.log)
			assert.NotContains(t, logs.String(), testToken)

			// The failure is visible to a poll.
			g := call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)
			assert.Equal(t, http.StatusInternalServerError, g.status)
		})
	}
}

func TestHandlerRetriesAfterFailure(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	d := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		if fail.Load() {
			return nil, errors.New("core banking down")
		}
		return approve(ctx, req)
	})
	h := loanapproval.Handler(d, testToken)
	id := uuid.NewString()
	assert.Equal(t, http.StatusInternalServerError, call(t, h, http.MethodPost, "/", testToken, loanBody(t, id)).status)
	fail.Store(false)
	assert.Equal(t, http.StatusOK, call(t, h, http.MethodPost, "/", testToken, loanBody(t, id)).status)
	assert.Equal(t, int32(2), d.calls.Load())
}

func TestHandlerTTL(t *testing.T) {
	clock := newFakeClock()
	d := counting(approve)
	h := loanapproval.Handler(d, testToken, loanapproval.WithTTL(time.Minute), loanapproval.WithClock(clock.Now))
	id := uuid.NewString()
	first := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
	require.Equal(t, http.StatusOK, first.status)

	clock.Advance(59 * time.Second)
	assert.Equal(t, http.StatusOK, call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil).status)
	assert.Equal(t, string(first.body), string(call(t, h, http.MethodPost, "/", testToken, loanBody(t, id)).body))
	assert.Equal(t, int32(1), d.calls.Load())

	clock.Advance(time.Second)
	assert.Equal(t, http.StatusNotFound, call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil).status)
	assert.Equal(t, http.StatusOK, call(t, h, http.MethodPost, "/", testToken, loanBody(t, id)).status)
	assert.Equal(t, int32(2), d.calls.Load(), "an expired search_id is decided anew")

	// Expired answers are dropped when new ones arrive.
	for range 3 {
		call(t, h, http.MethodPost, "/", testToken, loanBody(t, uuid.NewString()))
	}
	assert.Equal(t, 4, loanapproval.StoreLen(h))
	clock.Advance(2 * time.Minute)
	call(t, h, http.MethodPost, "/", testToken, loanBody(t, uuid.NewString()))
	assert.Equal(t, 1, loanapproval.StoreLen(h))
}

func TestHandlerBoundedStore(t *testing.T) {
	clock := newFakeClock()
	d := counting(approve)
	h := loanapproval.Handler(d, testToken, loanapproval.WithMaxEntries(2), loanapproval.WithTTL(time.Minute),
		loanapproval.WithClock(clock.Now))
	ids := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
	for _, id := range ids[:2] {
		require.Equal(t, http.StatusOK, call(t, h, http.MethodPost, "/", testToken, loanBody(t, id)).status)
	}
	// Full of answers within their TTL: a new search_id is refused, none is
	// dropped.
	a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, ids[2]))
	require.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Equal(t, "1", a.header.Get("Retry-After"))
	assert.Equal(t, ids[2], errorBody(t, a).SearchID)
	assert.Equal(t, 2, loanapproval.StoreLen(h))
	for _, id := range ids[:2] {
		assert.Equal(t, http.StatusOK, call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil).status)
		assert.Equal(t, http.StatusOK, call(t, h, http.MethodPost, "/", testToken, loanBody(t, id)).status)
	}
	assert.Equal(t, int32(2), d.calls.Load())

	// Expired answers make room.
	clock.Advance(time.Minute)
	require.Equal(t, http.StatusOK, call(t, h, http.MethodPost, "/", testToken, loanBody(t, ids[2])).status)
	assert.Equal(t, 1, loanapproval.StoreLen(h))
}

// A failed answer is dropped first when the store is full: it would be
// decided again anyway.
func TestHandlerBoundedStoreDropsFailuresFirst(t *testing.T) {
	fail := uuid.NewString()
	d := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		if req.SearchID == fail {
			return nil, errors.New("core banking down")
		}
		return approve(ctx, req)
	})
	h := loanapproval.Handler(d, testToken, loanapproval.WithMaxEntries(2))
	ok := uuid.NewString()
	require.Equal(t, http.StatusOK, call(t, h, http.MethodPost, "/", testToken, loanBody(t, ok)).status)
	require.Equal(t, http.StatusInternalServerError, call(t, h, http.MethodPost, "/", testToken, loanBody(t, fail)).status)
	require.Equal(t, http.StatusOK, call(t, h, http.MethodPost, "/", testToken, loanBody(t, uuid.NewString())).status)
	assert.Equal(t, http.StatusNotFound, call(t, h, http.MethodGet, "/?search_id="+fail, testToken, nil).status)
	assert.Equal(t, http.StatusOK, call(t, h, http.MethodGet, "/?search_id="+ok, testToken, nil).status)
}

func TestHandlerResponseHeaders(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken)
	a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, uuid.NewString()))
	assert.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))
	assert.Equal(t, "no-store", a.header.Get("Cache-Control"))
}

func TestHandlerOversizedBodyWithoutToken(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken, loanapproval.WithMaxBodySize(64))
	big := []byte(`{"props":["` + strings.Repeat("x", 1024) + `"]}`)
	assert.Equal(t, http.StatusForbidden, call(t, h, http.MethodPost, "/", "", big).status)
	assert.Equal(t, http.StatusBadRequest, call(t, h, http.MethodPost, "/", testToken, big).status)
}
