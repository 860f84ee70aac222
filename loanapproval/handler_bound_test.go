package loanapproval_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// gate is a decider that blocks until released and records how many of its
// calls run at once and how often each search_id was decided.
type gate struct {
	release chan struct{}
	once    sync.Once

	mu      sync.Mutex
	running int
	peak    int
	calls   map[string]int
}

func newGate() *gate { return &gate{release: make(chan struct{}), calls: make(map[string]int)} }

// open releases every call, now and later. Tests defer it, so that a failed
// assertion does not leave the bubble's goroutines blocked.
func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

func (g *gate) Decide(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
	g.mu.Lock()
	g.running++
	g.peak = max(g.peak, g.running)
	g.calls[req.SearchID]++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.running--
		g.mu.Unlock()
	}()
	<-g.release
	return approve(ctx, req)
}

func (g *gate) stats() (running, peak, total int, most int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, n := range g.calls {
		total += n
		most = max(most, n)
	}
	return g.running, g.peak, total, most
}

func (g *gate) callsOf(id string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls[id]
}

func isPending(a answer) bool {
	return a.status == http.StatusOK && bytes.Contains(a.body, []byte(`"status":"pending"`))
}

func isDone(a answer) bool {
	return a.status == http.StatusOK && bytes.Contains(a.body, []byte(`"status":"done"`))
}

// requireBusy checks the documented answer to a POST over the bounds.
func requireBusy(t *testing.T, a answer, id string) {
	t.Helper()
	require.Equal(t, http.StatusServiceUnavailable, a.status, string(a.body))
	assert.Equal(t, "1", a.header.Get("Retry-After"))
	assert.Equal(t, id, errorBody(t, a).SearchID)
}

// 5,001 POSTs of new search_ids against a store of 100 entries: at most 100
// decisions run, every accepted one stays visible to a poll while it runs,
// the rest are refused with 503, and no search_id is decided twice.
func TestHandlerStoreBoundUnderLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate()
		defer g.open()
		h := loanapproval.Handler(g, testToken, loanapproval.WithAsync(), loanapproval.WithMaxEntries(100))
		ids := make([]string, 5001)
		var accepted []string
		for i := range ids {
			ids[i] = uuid.NewString()
			a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, ids[i]))
			if isPending(a) {
				accepted = append(accepted, ids[i])
				continue
			}
			requireBusy(t, a, ids[i])
		}
		synctest.Wait()
		running, peak, _, _ := g.stats()
		require.Equal(t, 100, len(accepted))
		assert.Equal(t, 100, running)
		assert.Equal(t, 100, peak)

		// Every running decision is still known, and repeating any search_id
		// (accepted or refused) starts nothing new.
		for _, id := range accepted {
			require.True(t, isPending(call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)), id)
		}
		for _, id := range ids {
			a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
			require.True(t, isPending(a) || a.status == http.StatusServiceUnavailable, string(a.body))
		}
		synctest.Wait()
		_, _, total, most := g.stats()
		assert.Equal(t, 100, total)
		assert.Equal(t, 1, most)

		g.open()
		synctest.Wait()
		for _, id := range accepted {
			require.True(t, isDone(call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)), id)
			require.True(t, isDone(call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))), id)
		}
		_, _, total, most = g.stats()
		assert.Equal(t, 100, total, "no answer within its TTL is dropped to make room")
		assert.Equal(t, 1, most)
	})
}

// With a store large enough, the bound on deciders in flight is what refuses
// work; a refused POST starts nothing, and capacity comes back as deciders
// return.
func TestHandlerMaxInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate()
		defer g.open()
		h := loanapproval.Handler(g, testToken, loanapproval.WithAsync(), loanapproval.WithMaxInFlight(10))
		var accepted, refused []string
		for range 50 {
			id := uuid.NewString()
			a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
			if isPending(a) {
				accepted = append(accepted, id)
			} else {
				requireBusy(t, a, id)
				refused = append(refused, id)
			}
		}
		synctest.Wait()
		running, peak, _, _ := g.stats()
		assert.Equal(t, 10, len(accepted))
		assert.Equal(t, 10, running)
		assert.Equal(t, 10, peak)
		for _, id := range refused {
			assert.Equal(t, http.StatusNotFound, call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil).status)
		}

		g.open()
		synctest.Wait()
		for _, id := range refused {
			a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
			require.True(t, isPending(a) || isDone(a), "%d %s", a.status, a.body)
			synctest.Wait()
			a = call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)
			require.True(t, isDone(a), "%d %s", a.status, a.body)
		}
		_, peak, total, most := g.stats()
		assert.Equal(t, 50, total)
		assert.Equal(t, 1, most)
		assert.Equal(t, 10, peak)
	})
}

// A decider that ignores its context keeps its place among the deciders in
// flight after the timeout answered 500: the bound counts what runs.
func TestHandlerMaxInFlightCountsDecidersPastTheirTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate()
		defer g.open()
		h := loanapproval.Handler(g, testToken, loanapproval.WithMaxInFlight(1), loanapproval.WithDecideTimeout(time.Second))
		first := uuid.NewString()
		assert.Equal(t, http.StatusInternalServerError, call(t, h, http.MethodPost, "/", testToken, loanBody(t, first)).status)
		second := uuid.NewString()
		requireBusy(t, call(t, h, http.MethodPost, "/", testToken, loanBody(t, second)), second)

		g.open()
		synctest.Wait()
		assert.True(t, isDone(call(t, h, http.MethodPost, "/", testToken, loanBody(t, second))))
		assert.True(t, isDone(call(t, h, http.MethodPost, "/", testToken, loanBody(t, first))), "a timed-out decision is decided again")
		assert.Equal(t, 2, g.callsOf(first))
		assert.Equal(t, 1, g.callsOf(second))
	})
}

// 2,000 synchronous callers hang up while their decisions run: no more than
// DefaultMaxInFlight deciders ever run, the others are refused at once, and
// each decision that started completes and is kept for a repeated POST.
func TestHandlerHungUpSyncCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate()
		defer g.open()
		h := loanapproval.Handler(g, testToken)
		const n = 2000
		ids := make([]string, n)
		codes := make([]int, n)
		ctx, hangUp := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := range ids {
			ids[i] = uuid.NewString()
			r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(loanBody(t, ids[i]))).WithContext(ctx)
			r.Header.Set("Authorization", "Bearer "+testToken)
			wg.Go(func() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				codes[i] = w.Code
			})
		}
		synctest.Wait()
		hangUp()
		wg.Wait()
		synctest.Wait()

		running, peak, total, most := g.stats()
		assert.Equal(t, loanapproval.DefaultMaxInFlight, running)
		assert.Equal(t, loanapproval.DefaultMaxInFlight, peak)
		assert.Equal(t, loanapproval.DefaultMaxInFlight, total)
		assert.Equal(t, 1, most)
		refused := 0
		for _, c := range codes {
			if c == http.StatusServiceUnavailable {
				refused++
			}
		}
		assert.Equal(t, n-loanapproval.DefaultMaxInFlight, refused)

		g.open()
		synctest.Wait()
		for _, id := range ids {
			if g.callsOf(id) == 0 {
				continue
			}
			g := call(t, h, http.MethodGet, "/?search_id="+id, testToken, nil)
			require.True(t, isDone(g), string(g.body))
			p := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
			require.Equal(t, string(g.body), string(p.body))
		}
		_, _, total, _ = g.stats()
		assert.Equal(t, loanapproval.DefaultMaxInFlight, total)
	})
}

// Repeated search_ids and a flood of new ones at once, over a small store:
// each repeated search_id is decided exactly once, and its answer stays.
func TestHandlerOneDecisionPerSearchIDUnderLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate()
		defer g.open()
		h := loanapproval.Handler(g, testToken, loanapproval.WithAsync(), loanapproval.WithMaxEntries(20))
		hot := make([]string, 10)
		for i := range hot {
			hot[i] = uuid.NewString()
		}
		var wg sync.WaitGroup
		for i := range 500 {
			wg.Go(func() { call(t, h, http.MethodPost, "/", testToken, loanBody(t, hot[i%len(hot)])) })
			wg.Go(func() { call(t, h, http.MethodPost, "/", testToken, loanBody(t, uuid.NewString())) })
		}
		wg.Wait()
		synctest.Wait()
		_, peak, _, most := g.stats()
		assert.LessOrEqual(t, peak, 20)
		assert.Equal(t, 1, most)

		g.open()
		synctest.Wait()
		for _, id := range hot {
			a := call(t, h, http.MethodPost, "/", testToken, loanBody(t, id))
			if g.callsOf(id) == 1 {
				assert.True(t, isDone(a), string(a.body))
			} else {
				requireBusy(t, a, id)
			}
		}
		_, _, _, most = g.stats()
		assert.Equal(t, 1, most)
	})
}
