package loanapproval

import (
	"context"
	"database/sql"
	_ "embed" // the schema
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/creditpay/yookassa-go/internal/sqlscript"
)

//go:embed schema.sql
var schema string

// Schema returns the SQL that creates the table of [SQLStore] (the file
// schema.sql of this package): one table, loanapproval_decisions, and one
// index. The same statements run on PostgreSQL and SQLite; apply them with
// your own migration tool or with [Migrate].
func Schema() string { return schema }

// Migrate creates the table of [SQLStore] in db if it does not exist yet, by
// running the statements of [Schema] in one transaction. It changes nothing
// when the table is there. Replicas may call it as they start, all at once:
// on PostgreSQL it holds an advisory lock meanwhile, so that they do not
// trip over each other.
func Migrate(ctx context.Context, db *sql.DB) error {
	// Any fixed number will do; this one spells "yk-loana".
	if err := sqlscript.Apply(ctx, db, schema, 0x796b2d6c6f616e61); err != nil {
		return fmt.Errorf("loanapproval: migrate: %w", err)
	}
	return nil
}

// PurgeInterval is how often an [SQLStore] deletes dead rows (answers past
// their TTL, claims past their lease) on its own: at most once per interval
// of the handler's clock, during a claim.
const PurgeInterval = time.Minute

// SQLStore is a [Store] on a database/sql database, PostgreSQL or SQLite,
// shared by the replicas of a service: a decision taken on one replica is
// served by every replica, and a search_id is decided once between them. A
// claim is a row keyed by the search_id, taken with one INSERT ... ON CONFLICT
// statement, so that of concurrent claims exactly one wins; its lease lets
// another replica take the search_id over when the replica that claimed it
// died mid-decision.
//
// The table must exist: see [Schema] and [Migrate]. The store needs a driver
// whose placeholders are $1, $2, ... and that reports the rows an INSERT ...
// ON CONFLICT DO UPDATE changed, such as github.com/jackc/pgx/v5/stdlib for
// PostgreSQL and modernc.org/sqlite for SQLite (3.35 or later). With SQLite,
// let concurrent writers wait for each other: open the database with a busy
// timeout, for example "file:app.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)".
//
// Times are stored as unix milliseconds from the handler's clock, so the
// replicas' clocks should agree to well within [LeaseMargin].
type SQLStore struct {
	db        *sql.DB
	lastPurge atomic.Int64 // unix milliseconds of the last purge
}

// NewSQLStore returns a store on db. It does not create the table.
func NewSQLStore(db *sql.DB) *SQLStore { return &SQLStore{db: db} }

// A claim wins when it inserts the row, or when the row it conflicts with
// may be replaced: its time has passed (lease or TTL) or its answer failed.
// When the row may not be replaced, nothing changes and no row is affected.
const (
	claimSQL = `INSERT INTO loanapproval_decisions (search_id, claim, done, status, body, expires_at)
VALUES ($1, $2, 0, 0, '', $3)
ON CONFLICT (search_id) DO UPDATE
SET claim = excluded.claim, done = 0, status = 0, body = '', expires_at = excluded.expires_at
WHERE loanapproval_decisions.expires_at <= $4
   OR (loanapproval_decisions.done = 1 AND loanapproval_decisions.status <> 200)`

	completeSQL = `UPDATE loanapproval_decisions SET done = 1, status = $3, body = $4, expires_at = $5
WHERE search_id = $1 AND claim = $2 AND done = 0`

	loadSQL = `SELECT done, status, body, expires_at FROM loanapproval_decisions WHERE search_id = $1`

	purgeSQL = `DELETE FROM loanapproval_decisions WHERE expires_at <= $1`
)

// Claim implements [Store].
func (s *SQLStore) Claim(ctx context.Context, searchID, token string, now, leaseUntil time.Time) (Entry, bool, error) {
	nowMS := now.UnixMilli()
	if last := s.lastPurge.Load(); nowMS-last >= PurgeInterval.Milliseconds() && s.lastPurge.CompareAndSwap(last, nowMS) {
		// A failed purge is tried again at the next interval; the claim
		// below reports a database that does not answer.
		_, _ = s.DeleteExpired(ctx, now)
	}
	// The row that stood in the way may change before it is read: answered,
	// failed or gone. Then claim again; a few rounds settle it.
	for range 3 {
		res, err := s.db.ExecContext(ctx, claimSQL, searchID, token, leaseUntil.UnixMilli(), nowMS)
		if err != nil {
			return Entry{}, false, fmt.Errorf("loanapproval: claim: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return Entry{}, false, fmt.Errorf("loanapproval: claim: %w", err)
		}
		if n == 1 {
			return Entry{}, true, nil
		}
		e, expires, ok, err := s.load(ctx, searchID)
		if err != nil {
			return Entry{}, false, err
		}
		if ok && nowMS < expires && (!e.Done || e.Status == statusOK) {
			return e, false, nil
		}
	}
	return Entry{}, false, errors.New("loanapproval: claim: the entry keeps changing")
}

// Complete implements [Store].
func (s *SQLStore) Complete(ctx context.Context, searchID, token string, status int, body []byte, expires time.Time) error {
	res, err := s.db.ExecContext(ctx, completeSQL, searchID, token, status, string(body), expires.UnixMilli())
	if err != nil {
		return fmt.Errorf("loanapproval: complete: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("loanapproval: complete: %w", err)
	}
	if n == 0 {
		return ErrClaimLost
	}
	return nil
}

// Load implements [Store].
func (s *SQLStore) Load(ctx context.Context, searchID string, now time.Time) (Entry, bool, error) {
	e, expires, ok, err := s.load(ctx, searchID)
	if err != nil || !ok || now.UnixMilli() >= expires {
		return Entry{}, false, err
	}
	return e, true, nil
}

func (s *SQLStore) load(ctx context.Context, searchID string) (e Entry, expires int64, ok bool, err error) {
	var done, status int64
	var body string
	err = s.db.QueryRowContext(ctx, loadSQL, searchID).Scan(&done, &status, &body, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Entry{}, 0, false, nil
	case err != nil:
		return Entry{}, 0, false, fmt.Errorf("loanapproval: load: %w", err)
	}
	e = Entry{Done: done != 0, Status: int(status)}
	if e.Done {
		e.Body = []byte(body)
	}
	return e, expires, true, nil
}

// DeleteExpired deletes the rows whose time has passed at now: answers past
// their TTL and claims past their lease. The store does it on its own every
// [PurgeInterval]; call it to purge on a schedule of your own.
func (s *SQLStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, purgeSQL, now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("loanapproval: delete expired: %w", err)
	}
	return res.RowsAffected()
}
