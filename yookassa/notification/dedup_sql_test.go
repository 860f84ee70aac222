package notification

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/dbtest"
	"github.com/creditpay/yookassa-go/internal/sqlscript"
	"github.com/creditpay/yookassa-go/yookassa"
)

func dialectOf(k dbtest.Kind) Dialect {
	if k == dbtest.Postgres {
		return PostgreSQL
	}
	return SQLite
}

// newSQLDedup returns a migrated SQLDeduplicator on a fresh pool of dsn.
func newSQLDedup(t testing.TB, k dbtest.Kind, dsn string, opts ...SQLDeduplicatorOption) (*SQLDeduplicator, *sql.DB) {
	t.Helper()
	db := dbtest.Open(t, k, dsn)
	d, err := NewSQLDeduplicator(db, dialectOf(k), opts...)
	require.NoError(t, err)
	require.NoError(t, d.Migrate(context.Background()))
	return d, db
}

func TestNewSQLDeduplicatorRefusesBadArguments(t *testing.T) {
	_, err := NewSQLDeduplicator(nil, Dialect(7), WithTTL(-time.Second))
	require.ErrorIs(t, err, ErrInvalidDeduplicator)
	for _, want := range []string{"nil *sql.DB", "unknown dialect Dialect(7)", "WithTTL: -1s"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Equal(t, "postgresql", PostgreSQL.String())
	assert.Equal(t, "sqlite", SQLite.String())
}

func TestSQLSchemaStatements(t *testing.T) {
	stmts := sqlscript.Statements(SQLSchema())
	require.Len(t, stmts, 2)
	assert.True(t, strings.HasPrefix(stmts[0], "CREATE TABLE IF NOT EXISTS yookassa_notifications"), stmts[0])
	assert.True(t, strings.HasPrefix(stmts[1], "CREATE INDEX IF NOT EXISTS"), stmts[1])
	assert.Equal(t, dedupSchema, SQLSchema())
}

func TestSQLDeduplicator(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			clock := &fakeClock{t: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
			d, db := newSQLDedup(t, k, dbtest.NewDSN(t, k), WithTTL(time.Hour))
			d.now = clock.now
			require.NoError(t, d.Migrate(ctx), "Migrate twice is harmless")

			claim := func(key string, commit bool) bool {
				t.Helper()
				tx, err := db.BeginTx(ctx, nil)
				require.NoError(t, err)
				ok, err := d.Claim(ctx, tx, key)
				require.NoError(t, err)
				if commit {
					require.NoError(t, tx.Commit())
				} else {
					require.NoError(t, tx.Rollback())
				}
				return ok
			}

			assert.False(t, seen(t, d, "payment.succeeded:a"))
			assert.True(t, claim("payment.succeeded:a", false))
			assert.False(t, seen(t, d, "payment.succeeded:a"), "a rolled-back claim does not count")
			assert.True(t, claim("payment.succeeded:a", true))
			assert.True(t, seen(t, d, "payment.succeeded:a"))
			assert.False(t, claim("payment.succeeded:a", true), "handled already")
			assert.False(t, seen(t, d, "payment.canceled:a"))

			clock.advance(59 * time.Minute)
			mark(t, d, "payment.succeeded:b")
			mark(t, d, "payment.succeeded:b")
			assert.True(t, seen(t, d, "payment.succeeded:a"))
			assert.False(t, claim("payment.succeeded:b", true))

			clock.advance(time.Minute)
			assert.False(t, seen(t, d, "payment.succeeded:a"), "forgotten after the TTL")
			assert.True(t, seen(t, d, "payment.succeeded:b"))
			n, err := d.Purge(ctx)
			require.NoError(t, err)
			assert.Equal(t, int64(1), n)
			var rows int
			require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM yookassa_notifications").Scan(&rows))
			assert.Equal(t, 1, rows)

			// An expired row that was not purged yet is taken over.
			clock.advance(time.Hour)
			assert.True(t, claim("payment.succeeded:b", true))
			assert.True(t, seen(t, d, "payment.succeeded:b"))
		})
	}
}

// notificationBody is a payment.succeeded notification for payment id.
func notificationBody(t testing.TB, id string) []byte {
	t.Helper()
	var env map[string]any
	require.NoError(t, json.Unmarshal(readTestdata(t, "payment_succeeded.json"), &env))
	obj := env["object"].(map[string]any)
	obj["id"] = id
	obj["payment_method"].(map[string]any)["id"] = id
	body, err := json.Marshal(env)
	require.NoError(t, err)
	return body
}

// replica is one instance of a shop: its own pool on the shared database,
// its own SQLDeduplicator and notification handler.
type replica struct {
	db      *sql.DB
	dedup   *SQLDeduplicator
	handler http.Handler
}

// shopSchema is the shop's own table in the tests: one row per handled
// payment, with no unique key, so that a second handling would show.
const shopSchema = "CREATE TABLE shop_paid (payment_id TEXT NOT NULL)"

func newReplica(t *testing.T, k dbtest.Kind, dsn string, fn func(ctx context.Context, tx *sql.Tx, ev *Event) error) *replica {
	t.Helper()
	d, db := newSQLDedup(t, k, dsn)
	h, err := NewHandler(nil, d.InTx(fn), WithoutRefetch(), WithoutIPCheck(), WithDeduplication(d))
	require.NoError(t, err)
	return &replica{db: db, dedup: d, handler: h}
}

func deliver(h http.Handler, body []byte) (int, string) {
	r := httptest.NewRequest(http.MethodPost, "/yookassa/notifications", bytes.NewReader(body))
	r.RemoteAddr = yooKassaPeer
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// TestSQLDeduplicatorReplicas: two handlers sharing one database; 100
// notifications, each delivered 3 times to replicas drawn at random, all at
// once. A delivery answered with anything but 200 is delivered again, as
// YooKassa does. The callback runs exactly once per notification.
func TestSQLDeduplicatorReplicas(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			dsn := dbtest.NewDSN(t, k)
			setup := dbtest.Open(t, k, dsn)
			_, err := setup.ExecContext(ctx, shopSchema)
			require.NoError(t, err)

			var calls atomic.Int64
			fn := func(ctx context.Context, tx *sql.Tx, ev *Event) error {
				calls.Add(1)
				_, err := tx.ExecContext(ctx, rebind(k, "INSERT INTO shop_paid (payment_id) VALUES (?)"), ev.Payment.ID)
				return err
			}
			replicas := []*replica{newReplica(t, k, dsn, fn), newReplica(t, k, dsn, fn)}

			const notifications, copies = 100, 3
			var ids []string
			var queue [][]byte
			for range notifications {
				id := uuid.NewString()
				ids = append(ids, id)
				body := notificationBody(t, id)
				for range copies {
					queue = append(queue, body)
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			rng.Shuffle(len(queue), func(i, j int) { queue[i], queue[j] = queue[j], queue[i] })

			work := make(chan []byte)
			var (
				wg       sync.WaitGroup
				statuses sync.Map // status code -> *atomic.Int64
			)
			for w := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rng := rand.New(rand.NewPCG(uint64(w), 99))
					for body := range work {
						// Like YooKassa, deliver again until the answer is
						// 200, pausing a little after a refusal; give up
						// only if that takes absurdly long.
						deadline := time.Now().Add(2 * time.Minute)
						for {
							code, text := deliver(replicas[rng.IntN(len(replicas))].handler, body)
							n, _ := statuses.LoadOrStore(code, new(atomic.Int64))
							n.(*atomic.Int64).Add(1)
							if code == http.StatusOK {
								break
							}
							if time.Now().After(deadline) {
								t.Errorf("delivery still answered %d after two minutes: %s", code, text)
								break
							}
							time.Sleep(time.Millisecond)
						}
					}
				}()
			}
			for _, body := range queue {
				work <- body
			}
			close(work)
			wg.Wait()

			statuses.Range(func(code, n any) bool {
				t.Logf("answers %d: %d", code, n.(*atomic.Int64).Load())
				return true
			})
			assert.Equal(t, int64(notifications), calls.Load(), "the callback ran once per notification")
			var total, distinct int
			require.NoError(t, setup.QueryRowContext(ctx, "SELECT COUNT(*), COUNT(DISTINCT payment_id) FROM shop_paid").Scan(&total, &distinct))
			assert.Equal(t, notifications, total)
			assert.Equal(t, notifications, distinct)
			for _, r := range replicas {
				for _, id := range ids {
					ok, err := r.dedup.Seen(ctx, "payment.succeeded:"+id)
					require.NoError(t, err)
					require.True(t, ok, id)
				}
			}
		})
	}
}

// TestSQLDeduplicatorFailedCallback: a callback that fails rolls back its
// own changes and leaves the notification not handled, so the next delivery
// (here to the other replica) runs it again; after that it is not run.
func TestSQLDeduplicatorFailedCallback(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			ctx := context.Background()
			dsn := dbtest.NewDSN(t, k)
			setup := dbtest.Open(t, k, dsn)
			_, err := setup.ExecContext(ctx, shopSchema)
			require.NoError(t, err)

			var calls atomic.Int64
			fail := errors.New("the order could not be updated")
			fn := func(ctx context.Context, tx *sql.Tx, ev *Event) error {
				n := calls.Add(1)
				if _, err := tx.ExecContext(ctx, rebind(k, "INSERT INTO shop_paid (payment_id) VALUES (?)"), ev.Payment.ID); err != nil {
					return err
				}
				if n == 1 {
					return fail
				}
				return nil
			}
			a, b := newReplica(t, k, dsn, fn), newReplica(t, k, dsn, fn)
			id := uuid.NewString()
			body := notificationBody(t, id)
			paid := func() int {
				var n int
				require.NoError(t, setup.QueryRowContext(ctx, "SELECT COUNT(*) FROM shop_paid").Scan(&n))
				return n
			}

			code, text := deliver(a.handler, body)
			assert.Equal(t, http.StatusInternalServerError, code, text)
			assert.Equal(t, 0, paid(), "the failed callback's changes were rolled back")
			for _, r := range []*replica{a, b} {
				ok, err := r.dedup.Seen(ctx, "payment.succeeded:"+id)
				require.NoError(t, err)
				assert.False(t, ok, "not marked")
			}

			code, text = deliver(b.handler, body)
			assert.Equal(t, http.StatusOK, code, text)
			assert.Equal(t, int64(2), calls.Load(), "the re-delivery ran the callback again")
			assert.Equal(t, 1, paid())

			for _, r := range []*replica{a, b, a} {
				code, text = deliver(r.handler, body)
				assert.Equal(t, http.StatusOK, code, text)
			}
			assert.Equal(t, int64(2), calls.Load())
			assert.Equal(t, 1, paid())
		})
	}
}

// TestSQLDeduplicatorInTxWithoutHandler: the claim and the callback's
// changes commit together, and a panic rolls both back.
func TestSQLDeduplicatorInTxPanic(t *testing.T) {
	k := dbtest.SQLite
	d, db := newSQLDedup(t, k, dbtest.NewDSN(t, k))
	ctx := context.Background()
	_, err := db.ExecContext(ctx, shopSchema)
	require.NoError(t, err)
	ev, err := Parse(notificationBody(t, uuid.NewString()))
	require.NoError(t, err)
	cb := d.InTx(func(ctx context.Context, tx *sql.Tx, ev *Event) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO shop_paid (payment_id) VALUES (?)", ev.Payment.ID)
		require.NoError(t, err)
		panic("bug in the shop")
	})
	assert.Panics(t, func() { _ = cb(ctx, ev) })
	assert.False(t, seen(t, d, ev.Key()))
	var n int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM shop_paid").Scan(&n))
	assert.Equal(t, 0, n)
}

// rebind turns the ? placeholders of a query into PostgreSQL's $n.
func rebind(k dbtest.Kind, q string) string {
	if k != dbtest.Postgres {
		return q
	}
	return sqlscript.Numbered(q)
}

// BenchmarkDeduplicator measures de-duplicated notifications per second
// from 16 goroutines: for each a new key, Seen then Mark (what Handler
// does), on the in-memory and the SQL deduplicators; and on the SQL ones the
// transactional claim of InTx (begin, claim, commit). PostgreSQL runs when
// YOOKASSA_TEST_POSTGRES is set:
//
//	go test -run '^$' -bench Deduplicator -benchtime 3s ./yookassa/notification/
func BenchmarkDeduplicator(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	parallelism := (16 + procs - 1) / procs // 16 goroutines in all
	var seq atomic.Int64
	prefix := uuid.NewString()[:8]
	key := func() string { return fmt.Sprintf("%s-%d", prefix, seq.Add(1)) }
	run := func(b *testing.B, call func(ctx context.Context, key string) error) {
		b.SetParallelism(parallelism)
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			for pb.Next() {
				if err := call(ctx, key()); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
	}
	seenMark := func(d Deduplicator) func(ctx context.Context, key string) error {
		return func(ctx context.Context, key string) error {
			if _, err := d.Seen(ctx, key); err != nil {
				return err
			}
			return d.Mark(ctx, key)
		}
	}

	b.Run("memory", func(b *testing.B) {
		run(b, seenMark(NewMemoryDeduplicator(0, 0)))
	})
	for _, k := range []dbtest.Kind{dbtest.Postgres, dbtest.SQLite} {
		b.Run(string(k), func(b *testing.B) {
			d, db := newSQLDedup(b, k, dbtest.NewDSN(b, k))
			db.SetMaxOpenConns(16)
			db.SetMaxIdleConns(16)
			run(b, seenMark(d))
		})
		b.Run(string(k)+"-intx", func(b *testing.B) {
			d, db := newSQLDedup(b, k, dbtest.NewDSN(b, k))
			db.SetMaxOpenConns(16)
			db.SetMaxIdleConns(16)
			cb := d.InTx(func(context.Context, *sql.Tx, *Event) error { return nil })
			run(b, func(ctx context.Context, key string) error {
				return cb(ctx, &Event{Event: "payment.succeeded", Payment: &yookassa.Payment{ID: key}})
			})
		})
	}
}

// Instances that start together each call Migrate on the same fresh
// database: every call succeeds.
func TestSQLDeduplicatorMigrateTogether(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			dsn := dbtest.NewDSN(t, k)
			start := make(chan struct{})
			errs := make(chan error, 12)
			var wg sync.WaitGroup
			for range cap(errs) {
				d, err := NewSQLDeduplicator(dbtest.Open(t, k, dsn), dialectOf(k))
				require.NoError(t, err)
				wg.Go(func() {
					<-start
					errs <- d.Migrate(context.Background())
				})
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
		})
	}
}
