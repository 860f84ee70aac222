package notification

import (
	"context"
	"database/sql"
	_ "embed" // the schema
	"errors"
	"fmt"
	"time"

	"github.com/creditpay/yookassa-go/internal/sqlscript"
)

// Dialect is the SQL dialect of the database behind a SQLDeduplicator. The
// package imports no driver: the program registers one (for example
// github.com/jackc/pgx/v5/stdlib for PostgreSQL, modernc.org/sqlite for
// SQLite) and opens the *sql.DB itself.
type Dialect int

// The dialects SQLDeduplicator speaks.
const (
	// PostgreSQL, version 9.5 or later (INSERT ... ON CONFLICT).
	PostgreSQL Dialect = iota + 1
	// SQLite, version 3.24 or later (upsert).
	SQLite
)

// String returns "postgresql" or "sqlite".
func (d Dialect) String() string {
	switch d {
	case PostgreSQL:
		return "postgresql"
	case SQLite:
		return "sqlite"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

//go:embed dedup_schema.sql
var dedupSchema string

// SQLSchema returns the SQL that creates the table of SQLDeduplicator,
// yookassa_notifications, and its index. It is the same for PostgreSQL and
// SQLite, and idempotent (CREATE ... IF NOT EXISTS). Apply it with your own
// migration tool, or let SQLDeduplicator.Migrate apply it.
func SQLSchema() string { return dedupSchema }

// SQLDeduplicator is a Deduplicator kept in a PostgreSQL or SQLite table,
// shared by every instance of the shop that uses the same database, and able
// to record a notification as handled in the transaction of the shop's own
// update (see InTx). It is safe for concurrent use.
//
// Use it in two places:
//
//	dedup, err := notification.NewSQLDeduplicator(db, notification.PostgreSQL)
//	...
//	h := notification.Handler(client,
//	    dedup.InTx(func(ctx context.Context, tx *sql.Tx, ev *notification.Event) error {
//	        // update the order with tx, not with db
//	    }),
//	    notification.WithDeduplication(dedup))
//
// InTx makes "this notification was handled" and the shop's changes one
// transaction: exactly once across instances, even when two of them receive
// the same notification at the same moment. WithDeduplication lets a
// repeated delivery be answered from the table, without re-reading the
// object from YooKassa.
//
// Rows older than the retention time (DefaultDedupTTL unless WithTTL) no
// longer count; Purge deletes them. Create the table with Migrate or from
// SQLSchema.
type SQLDeduplicator struct {
	db      *sql.DB
	dialect Dialect
	ttl     time.Duration
	now     func() time.Time

	claim, seen, purge string
}

// SQLDeduplicatorOption configures NewSQLDeduplicator.
type SQLDeduplicatorOption func(*SQLDeduplicator)

// WithTTL sets how long a handled notification is remembered (the default
// is DefaultDedupTTL, which covers YooKassa's day of re-deliveries). A
// notification handled longer ago than ttl is handled again if it comes
// back. ttl must be positive.
func WithTTL(ttl time.Duration) SQLDeduplicatorOption {
	return func(d *SQLDeduplicator) { d.ttl = ttl }
}

// ErrInvalidDeduplicator is matched by the error of NewSQLDeduplicator when
// its arguments cannot work (a nil database, an unknown dialect, a ttl that
// is not positive).
var ErrInvalidDeduplicator = errors.New("notification: invalid SQL deduplicator")

// NewSQLDeduplicator returns a SQLDeduplicator on db, a database of the
// given dialect. It does not touch the database: create the table with
// Migrate or SQLSchema first.
//
// For SQLite, open the database so that a writer waits for another instead
// of failing at once: a busy timeout such as "_pragma=busy_timeout(5000)"
// in the DSN of modernc.org/sqlite. A transaction that still finds the
// database locked fails, the handler answers 500, and YooKassa delivers the
// notification again.
func NewSQLDeduplicator(db *sql.DB, dialect Dialect, opts ...SQLDeduplicatorOption) (*SQLDeduplicator, error) {
	d := &SQLDeduplicator{db: db, dialect: dialect, ttl: DefaultDedupTTL, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o(d)
		}
	}
	var errs []error
	if db == nil {
		errs = append(errs, fmt.Errorf("%w: nil *sql.DB", ErrInvalidDeduplicator))
	}
	if d.ttl <= 0 {
		errs = append(errs, fmt.Errorf("%w: WithTTL: %v is not a positive duration", ErrInvalidDeduplicator, d.ttl))
	}
	// A claim inserts the key, or takes over a row whose time is up; a row
	// still within the TTL is left alone and nothing is affected. On
	// PostgreSQL an INSERT that meets the uncommitted row of another
	// transaction waits for it to end, so of two concurrent claims exactly
	// one succeeds.
	const table = "yookassa_notifications"
	switch dialect {
	case PostgreSQL:
		d.claim = "INSERT INTO " + table + " (event_key, handled_at) VALUES ($1, $2) " +
			"ON CONFLICT (event_key) DO UPDATE SET handled_at = EXCLUDED.handled_at WHERE " + table + ".handled_at <= $3"
		d.seen = "SELECT 1 FROM " + table + " WHERE event_key = $1 AND handled_at > $2"
		d.purge = "DELETE FROM " + table + " WHERE handled_at <= $1"
	case SQLite:
		d.claim = "INSERT INTO " + table + " (event_key, handled_at) VALUES (?, ?) " +
			"ON CONFLICT (event_key) DO UPDATE SET handled_at = excluded.handled_at WHERE " + table + ".handled_at <= ?"
		d.seen = "SELECT 1 FROM " + table + " WHERE event_key = ? AND handled_at > ?"
		d.purge = "DELETE FROM " + table + " WHERE handled_at <= ?"
	default:
		errs = append(errs, fmt.Errorf("%w: unknown dialect %v", ErrInvalidDeduplicator, dialect))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// Migrate creates the table and its index if they do not exist (see
// SQLSchema). On PostgreSQL it holds an advisory lock meanwhile, so that
// instances starting together do not trip over each other.
func (d *SQLDeduplicator) Migrate(ctx context.Context) error {
	// Any fixed number will do; this one spells "yk-notif".
	if err := sqlscript.Apply(ctx, d.db, dedupSchema, 7998423337850283622); err != nil {
		return fmt.Errorf("notification: migrate: %w", err)
	}
	return nil
}

// Claim records key (an Event.Key) as handled in tx and reports whether
// this transaction is the one that handles it: false means it was handled
// less than the TTL ago. The record stands only if tx commits; if tx is
// rolled back the notification counts as not handled.
//
// On PostgreSQL a Claim that meets the uncommitted claim of another
// transaction waits until that transaction ends, then reports false if it
// committed and true if it rolled back.
func (d *SQLDeduplicator) Claim(ctx context.Context, tx *sql.Tx, key string) (bool, error) {
	now := d.now()
	res, err := tx.ExecContext(ctx, d.claim, key, now.UnixMilli(), now.Add(-d.ttl).UnixMilli())
	if err != nil {
		return false, fmt.Errorf("notification: claiming the notification: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("notification: claiming the notification: %w", err)
	}
	return n > 0, nil
}

// InTx turns fn into a callback for Handler that runs in a database
// transaction together with the notification's claim. For each delivery
// the callback begins a transaction on the deduplicator's database, claims
// the event's key (see Claim), and then:
//
//   - if the notification was already handled, it rolls back and returns
//     nil without calling fn, so the handler answers 200;
//   - otherwise it calls fn with the transaction; if fn returns an error
//     (or panics) it rolls back, so the notification stays unhandled and
//     YooKassa's next delivery runs fn again; if fn returns nil it commits:
//     the shop's changes and the claim are kept together.
//
// fn must do all its database work through tx, and must not commit or roll
// it back. Work outside the database (an email, a call to YooKassa) is not
// undone by a rollback: make it idempotent, or do it after the commit.
func (d *SQLDeduplicator) InTx(fn func(ctx context.Context, tx *sql.Tx, ev *Event) error) func(context.Context, *Event) error {
	return func(ctx context.Context, ev *Event) error {
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("notification: beginning a transaction: %w", err)
		}
		defer func() { _ = tx.Rollback() }()
		claimed, err := d.Claim(ctx, tx, ev.Key())
		if err != nil || !claimed {
			return err
		}
		if err := fn(ctx, tx, ev); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("notification: committing the notification: %w", err)
		}
		return nil
	}
}

// Seen reports whether a notification with this key was handled less than
// the TTL ago. A claim not yet committed does not count.
func (d *SQLDeduplicator) Seen(ctx context.Context, key string) (bool, error) {
	var one int
	err := d.db.QueryRowContext(ctx, d.seen, key, d.now().Add(-d.ttl).UnixMilli()).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("notification: checking for a repeated notification: %w", err)
	}
	return true, nil
}

// Mark records key as handled in a transaction of its own; a key handled
// less than the TTL ago keeps its time. Handler calls it after a callback
// succeeded; after an InTx callback the key is already recorded and Mark
// changes nothing.
func (d *SQLDeduplicator) Mark(ctx context.Context, key string) error {
	now := d.now()
	if _, err := d.db.ExecContext(ctx, d.claim, key, now.UnixMilli(), now.Add(-d.ttl).UnixMilli()); err != nil {
		return fmt.Errorf("notification: marking the notification: %w", err)
	}
	return nil
}

// Purge deletes the rows of notifications handled longer ago than the TTL
// and returns how many it deleted. They no longer count anyway; call it
// from time to time (hourly, daily) to keep the table small.
func (d *SQLDeduplicator) Purge(ctx context.Context) (int64, error) {
	res, err := d.db.ExecContext(ctx, d.purge, d.now().Add(-d.ttl).UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("notification: purging old notifications: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("notification: purging old notifications: %w", err)
	}
	return n, nil
}
