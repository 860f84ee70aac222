package loanapproval_test

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/dbtest"
	"github.com/creditpay/yookassa-go/loanapproval"
)

// replicaDB opens one replica's pool on dsn, with a bounded number of
// connections as a service would configure it.
func replicaDB(t *testing.T, k dbtest.Kind, dsn string) *sql.DB {
	db := dbtest.Open(t, k, dsn)
	db.SetMaxOpenConns(16)
	return db
}

// sqlDSN returns a fresh database of kind k with the store's table.
func sqlDSN(t *testing.T, k dbtest.Kind) string {
	dsn := dbtest.NewDSN(t, k)
	db := dbtest.Open(t, k, dsn)
	require.NoError(t, loanapproval.Migrate(context.Background(), db))
	require.NoError(t, loanapproval.Migrate(context.Background(), db), "Migrate runs again without harm")
	return dsn
}

// eachDB runs fn for each database engine.
func eachDB(t *testing.T, fn func(t *testing.T, k dbtest.Kind)) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) { fn(t, k) })
	}
}

// eventually polls cond until it holds. The deadline only stops a test that
// would otherwise hang; it is far beyond what a slow machine needs.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSQLStoreContract(t *testing.T) {
	eachDB(t, func(t *testing.T, k dbtest.Kind) {
		testStoreContract(t, func(t *testing.T) loanapproval.Store {
			return loanapproval.NewSQLStore(replicaDB(t, k, sqlDSN(t, k)))
		})
	})
}

func TestSQLStoreSchema(t *testing.T) {
	schema := loanapproval.Schema()
	assert.Contains(t, schema, "CREATE TABLE IF NOT EXISTS loanapproval_decisions")
	assert.Contains(t, schema, "CREATE INDEX IF NOT EXISTS")
}

func TestSQLStoreDeleteExpired(t *testing.T) {
	eachDB(t, func(t *testing.T, k dbtest.Kind) {
		ctx := context.Background()
		s := loanapproval.NewSQLStore(replicaDB(t, k, sqlDSN(t, k)))
		t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		for i, id := range []string{uuid.NewString(), uuid.NewString(), uuid.NewString()} {
			_, won, err := s.Claim(ctx, id, "t", t0, t0.Add(time.Minute))
			require.NoError(t, err)
			require.True(t, won)
			if i > 0 {
				require.NoError(t, s.Complete(ctx, id, "t", 200, []byte("{}"), t0.Add(time.Duration(i)*time.Hour)))
			}
		}
		n, err := s.DeleteExpired(ctx, t0.Add(time.Minute))
		require.NoError(t, err)
		assert.Equal(t, int64(1), n, "the claim past its lease")
		n, err = s.DeleteExpired(ctx, t0.Add(90*time.Minute))
		require.NoError(t, err)
		assert.Equal(t, int64(1), n, "the answer past its TTL")

		// A claim a purge interval after the last purge deletes the rest.
		_, won, err := s.Claim(ctx, uuid.NewString(), "t", t0.Add(3*time.Hour), t0.Add(3*time.Hour+time.Minute))
		require.NoError(t, err)
		require.True(t, won)
		n, err = s.DeleteExpired(ctx, t0.Add(3*time.Hour))
		require.NoError(t, err)
		assert.Equal(t, int64(0), n)
	})
}

// Two replicas share one database: a POST to one is served by a poll of the
// other, and a synchronous POST of the same search_id on the other waits for
// the first replica's decision instead of deciding again.
func TestSQLStoreReplicasServeEachOther(t *testing.T) {
	eachDB(t, func(t *testing.T, k dbtest.Kind) {
		dsn := sqlDSN(t, k)
		release := make(chan struct{})
		d := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
			<-release
			return approve(ctx, req)
		})
		async1 := loanapproval.Handler(d, testToken, loanapproval.WithAsync(),
			loanapproval.WithStore(loanapproval.NewSQLStore(replicaDB(t, k, dsn))))
		async2 := loanapproval.Handler(d, testToken, loanapproval.WithAsync(),
			loanapproval.WithStore(loanapproval.NewSQLStore(replicaDB(t, k, dsn))))

		id := uuid.NewString()
		require.True(t, isPending(call(t, async1, http.MethodPost, "/", testToken, loanBody(t, id))))
		require.True(t, isPending(call(t, async2, http.MethodGet, "/?search_id="+id, testToken, nil)))
		require.True(t, isPending(call(t, async2, http.MethodPost, "/", testToken, loanBody(t, id))))
		close(release)
		var final answer
		eventually(t, "the other replica serves the decision", func() bool {
			final = call(t, async2, http.MethodGet, "/?search_id="+id, testToken, nil)
			return isDone(final)
		})
		assert.Equal(t, string(final.body), string(call(t, async1, http.MethodGet, "/?search_id="+id, testToken, nil).body))
		assert.Equal(t, string(final.body), string(call(t, async2, http.MethodPost, "/", testToken, loanBody(t, id)).body))
		assert.Equal(t, int32(1), d.calls.Load())

		// Synchronous replicas: the second POST waits for the first's decision.
		gate := make(chan struct{})
		started := make(chan struct{}, 1)
		ds := counting(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
			started <- struct{}{}
			<-gate
			return approve(ctx, req)
		})
		var waiting atomic.Int32
		sync1 := loanapproval.Handler(ds, testToken, loanapproval.WithStore(loanapproval.NewSQLStore(replicaDB(t, k, dsn))))
		sync2 := loanapproval.Handler(ds, testToken, loanapproval.WithStore(loanapproval.NewSQLStore(replicaDB(t, k, dsn))),
			loanapproval.WithWaitHook(func() { waiting.Add(1) }))
		id = uuid.NewString()
		answers := make(chan answer, 2)
		go func() { answers <- call(t, sync1, http.MethodPost, "/", testToken, loanBody(t, id)) }()
		<-started
		go func() { answers <- call(t, sync2, http.MethodPost, "/", testToken, loanBody(t, id)) }()
		eventually(t, "the second replica waiting", func() bool { return waiting.Load() == 1 })
		close(gate)
		a, b := <-answers, <-answers
		require.True(t, isDone(a), string(a.body))
		assert.Equal(t, string(a.body), string(b.body))
		assert.Equal(t, int32(1), ds.calls.Load())
	})
}

// 200 concurrent synchronous POSTs of 50 search_ids, each search_id sent
// twice to each of two replicas: every search_id is decided exactly once,
// and every POST gets that decision.
func TestSQLStoreReplicasDecideOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, k dbtest.Kind) {
		dsn := sqlDSN(t, k)
		var mu sync.Mutex
		calls := map[string]int{}
		release := make(chan struct{})
		d := loanapproval.DeciderFunc(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
			mu.Lock()
			calls[req.SearchID]++
			mu.Unlock()
			<-release
			return approve(ctx, req)
		})
		var waiting atomic.Int32
		var logs lockedBuffer
		replicas := make([]http.Handler, 2)
		for i := range replicas {
			replicas[i] = loanapproval.Handler(d, testToken,
				loanapproval.WithStore(loanapproval.NewSQLStore(replicaDB(t, k, dsn))),
				loanapproval.WithWaitHook(func() { waiting.Add(1) }),
				loanapproval.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		}
		const ids, posts = 50, 200
		searchIDs := make([]string, ids)
		for i := range searchIDs {
			searchIDs[i] = uuid.NewString()
		}
		answers := make([]answer, posts)
		var wg sync.WaitGroup
		for i := range posts {
			wg.Go(func() {
				answers[i] = call(t, replicas[(i/ids)%2], http.MethodPost, "/", testToken, loanBody(t, searchIDs[i%ids]))
			})
		}
		// Every POST but the one deciding each search_id waits for it.
		eventually(t, "all repeated POSTs waiting", func() bool { return waiting.Load() == posts-ids })
		close(release)
		wg.Wait()

		assert.Empty(t, logs.String())
		require.Len(t, calls, ids)
		for _, id := range searchIDs {
			assert.Equal(t, 1, calls[id], id)
		}
		for i, a := range answers {
			require.True(t, isDone(a), "%d %s", a.status, a.body)
			assert.Equal(t, string(answers[i%ids].body), string(a.body))
			assert.True(t, strings.Contains(string(a.body), searchIDs[i%ids]))
		}
	})
}

// A replica dies mid-decision: it can no longer write to the database when
// its decision's context is cancelled. Its claim keeps the other replica from
// deciding until the lease ends; then the other replica decides.
func TestSQLStoreReplicaKilledMidDecision(t *testing.T) {
	eachDB(t, func(t *testing.T, k dbtest.Kind) {
		dsn := sqlDSN(t, k)
		clock := newFakeClock()
		const timeout = time.Minute

		killed, kill := context.WithCancel(context.Background())
		defer kill()
		started := make(chan struct{}, 1)
		returned := make(chan struct{})
		dying := counting(func(ctx context.Context, _ *loanapproval.Request) (*loanapproval.Response, error) {
			defer close(returned)
			started <- struct{}{}
			select {
			case <-killed.Done():
				return nil, killed.Err()
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		})
		dbA := replicaDB(t, k, dsn)
		var logsA lockedBuffer
		replicaA := loanapproval.Handler(dying, testToken, loanapproval.WithAsync(), loanapproval.WithClock(clock.Now),
			loanapproval.WithDecideTimeout(timeout), loanapproval.WithStore(loanapproval.NewSQLStore(dbA)),
			loanapproval.WithLogger(slog.New(slog.NewTextHandler(&logsA, nil))))
		healthy := counting(approve)
		replicaB := loanapproval.Handler(healthy, testToken, loanapproval.WithAsync(), loanapproval.WithClock(clock.Now),
			loanapproval.WithDecideTimeout(timeout), loanapproval.WithStore(loanapproval.NewSQLStore(replicaDB(t, k, dsn))))

		id := uuid.NewString()
		require.True(t, isPending(call(t, replicaA, http.MethodPost, "/", testToken, loanBody(t, id))))
		<-started
		require.NoError(t, dbA.Close())
		kill()
		<-returned
		eventually(t, "replica A failing to store its answer", func() bool {
			return strings.Contains(logsA.String(), "store failed")
		})

		// Within the lease the search_id stays claimed by the dead replica.
		clock.Advance(timeout + loanapproval.LeaseMargin - time.Millisecond)
		require.True(t, isPending(call(t, replicaB, http.MethodGet, "/?search_id="+id, testToken, nil)))
		require.True(t, isPending(call(t, replicaB, http.MethodPost, "/", testToken, loanBody(t, id))))
		assert.Equal(t, int32(0), healthy.calls.Load())

		// After it, the poll learns that the decision is lost, and a POST
		// decides on replica B.
		clock.Advance(time.Millisecond)
		assert.Equal(t, http.StatusNotFound, call(t, replicaB, http.MethodGet, "/?search_id="+id, testToken, nil).status)
		call(t, replicaB, http.MethodPost, "/", testToken, loanBody(t, id))
		eventually(t, "replica B deciding", func() bool {
			return isDone(call(t, replicaB, http.MethodGet, "/?search_id="+id, testToken, nil))
		})
		assert.Equal(t, int32(1), healthy.calls.Load())
		assert.Equal(t, int32(1), dying.calls.Load())
	})
}

// Replicas that start together each run Migrate on the same fresh
// database: every call succeeds. On PostgreSQL, concurrent CREATE TABLE IF
// NOT EXISTS statements fail with "type ... already exists" unless Migrate
// serialises them.
func TestMigrateReplicasStartingTogether(t *testing.T) {
	eachDB(t, func(t *testing.T, k dbtest.Kind) {
		for range 4 {
			dsn := dbtest.NewDSN(t, k)
			start := make(chan struct{})
			errs := make(chan error, 16)
			var wg sync.WaitGroup
			for range cap(errs) {
				db := replicaDB(t, k, dsn)
				wg.Go(func() {
					<-start
					errs <- loanapproval.Migrate(context.Background(), db)
				})
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
		}
	})
}
