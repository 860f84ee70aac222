package main

import (
	"context"
	"database/sql"
	_ "embed" // the schema
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	// The SQL drivers: pgx for PostgreSQL, and modernc.org/sqlite, a SQLite
	// in pure Go, so that the example needs no C compiler and no set-up.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/creditpay/yookassa-go/internal/sqlscript"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/notification"
)

//go:embed schema.sql
var schema string

// store keeps the shop's orders, their pending operations, operations log
// and notifications in PostgreSQL or SQLite. Every instance of the shop that
// shares the database shares them.
type store struct {
	db      *sql.DB
	dialect notification.Dialect
}

// openStore opens the database named by dsn: a postgres:// or
// postgresql:// URL for PostgreSQL, otherwise the path of a SQLite file
// (created if missing), and creates the tables that are missing.
func openStore(ctx context.Context, dsn string) (*store, error) {
	driver, dialect := "sqlite", notification.SQLite
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		driver, dialect = "pgx", notification.PostgreSQL
	} else if !strings.HasPrefix(dsn, "file:") {
		// A writer waits up to 10 s for another instead of failing, WAL lets
		// pages be read while an order is written, and _txlock=immediate
		// takes the write lock when a transaction begins, so that two
		// transactions never deadlock upgrading a read lock.
		dsn = "file:" + dsn + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	s := &store{db: db, dialect: dialect}
	if err := s.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

func (s *store) Close() error { return s.db.Close() }

// migrate applies schema.sql in one transaction; instances of the shop
// that start together on one PostgreSQL database take turns.
func (s *store) migrate(ctx context.Context) error {
	// Any fixed number will do; this one spells "yk-shop".
	if err := sqlscript.Apply(ctx, s.db, schema, 0x796b2d73686f70); err != nil {
		return fmt.Errorf("database: creating the tables: %w", err)
	}
	return nil
}

// q turns the ? placeholders of a query into PostgreSQL's $1, $2, ...
func (s *store) q(query string) string {
	if s.dialect != notification.PostgreSQL {
		return query
	}
	return sqlscript.Numbered(query)
}

// execer is what *sql.DB and *sql.Tx have in common.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in a transaction and commits it if fn returns nil.
func (s *store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// nullJSON is v as JSON, or NULL when v is nil.
func nullJSON[T any](v *T) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	s, err := toJSON(v)
	return sql.NullString{String: s, Valid: err == nil}, err
}

func fromJSON[T any](s sql.NullString) (*T, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal([]byte(s.String), v); err != nil {
		return nil, err
	}
	return v, nil
}

// createOrder writes a new order with its payment request, before the
// request is sent.
func (s *store) createOrder(ctx context.Context, o *order) error {
	rcpt, err := toJSON(o.Receipt)
	if err != nil {
		return err
	}
	req, err := toJSON(o.Request)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO shop_orders (id, created_at, email, receipt, payment_request, next_op)
		VALUES (?, ?, ?, ?, ?, 1)`), o.ID, o.Created.UnixNano(), o.Email, rcpt, req)
	return err
}

// order returns the order with the given ID, or nil.
func (s *store) order(ctx context.Context, id string) (*order, error) {
	var (
		o              = &order{ID: id}
		created        int64
		rcpt, req, rfb sql.NullString
		status         string
	)
	err := s.db.QueryRowContext(ctx, s.q(`SELECT created_at, email, receipt, payment_request, payment_id, status, refund_basis, next_op
		FROM shop_orders WHERE id = ?`), id).Scan(&created, &o.Email, &rcpt, &req, &o.PaymentID, &status, &rfb, &o.NextOp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o.Created, o.Status = time.Unix(0, created), yookassa.PaymentStatus(status)
	if o.Receipt, err = fromJSON[yookassa.ReceiptData](rcpt); err != nil {
		return nil, fmt.Errorf("order %s: receipt: %w", id, err)
	}
	if o.Request, err = fromJSON[yookassa.PaymentRequest](req); err != nil {
		return nil, fmt.Errorf("order %s: payment request: %w", id, err)
	}
	if o.RefundBasis, err = fromJSON[yookassa.ReceiptData](rfb); err != nil {
		return nil, fmt.Errorf("order %s: refund basis: %w", id, err)
	}
	return o, nil
}

// orders lists the orders, newest first.
func (s *store) orders(ctx context.Context) ([]orderView, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, created_at, payment_id, status FROM shop_orders ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []orderView
	for rows.Next() {
		var (
			v       orderView
			created int64
			status  string
		)
		if err := rows.Scan(&v.ID, &created, &v.PaymentID, &status); err != nil {
			return nil, err
		}
		v.Created, v.Status = time.Unix(0, created), yookassa.PaymentStatus(status)
		out = append(out, v)
	}
	return out, rows.Err()
}

// learn moves the recorded status forward, never back (PaymentStatus.Stage
// orders them): notifications and answers can arrive out of order. An
// unknown status is ignored.
func (s *store) learn(ctx context.Context, ex execer, orderID string, status yookassa.PaymentStatus) error {
	stage := status.Stage()
	if stage == 0 {
		return nil
	}
	_, err := ex.ExecContext(ctx, s.q(`UPDATE shop_orders SET status = ?, stage = ? WHERE id = ? AND stage <= ?`),
		string(status), stage, orderID, stage)
	return err
}

// setPayment records the order's payment, if none is recorded yet, and its
// status. It reports false if the order has another payment.
func (s *store) setPayment(ctx context.Context, ex execer, orderID, paymentID string, status yookassa.PaymentStatus) (bool, error) {
	var current string
	err := ex.QueryRowContext(ctx, s.q(`SELECT payment_id FROM shop_orders WHERE id = ?`), orderID).Scan(&current)
	if err != nil {
		return false, err
	}
	if current == "" {
		if _, err := ex.ExecContext(ctx, s.q(`UPDATE shop_orders SET payment_id = ? WHERE id = ? AND payment_id = ''`),
			paymentID, orderID); err != nil {
			return false, err
		}
		err = ex.QueryRowContext(ctx, s.q(`SELECT payment_id FROM shop_orders WHERE id = ?`), orderID).Scan(&current)
		if err != nil {
			return false, err
		}
	}
	if current != paymentID {
		return false, nil
	}
	return true, s.learn(ctx, ex, orderID, status)
}

// orderOfPayment returns the ID of the order whose payment is paymentID.
func (s *store) orderOfPayment(ctx context.Context, ex execer, paymentID string) (string, error) {
	var id string
	err := ex.QueryRowContext(ctx, s.q(`SELECT id FROM shop_orders WHERE payment_id = ?`), paymentID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// note appends a verified notification to the order's list.
func (s *store) note(ctx context.Context, ex execer, orderID, text string) error {
	_, err := ex.ExecContext(ctx, s.q(`INSERT INTO shop_notifications (order_id, at, text) VALUES (?, ?, ?)`),
		orderID, time.Now().UnixNano(), text)
	return err
}

func (s *store) notifications(ctx context.Context, orderID string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT text FROM shop_notifications WHERE order_id = ? ORDER BY at, text`), orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return nil, err
		}
		out = append(out, text)
	}
	return out, rows.Err()
}

// takeNumber gives the order's next operation number. With want > 0 it
// does so only if want is the next number (the number an admin form was
// built with) and reports false otherwise.
func (s *store) takeNumber(ctx context.Context, orderID string, want int) (int, bool, error) {
	query, args := `UPDATE shop_orders SET next_op = next_op + 1 WHERE id = ? RETURNING next_op - 1`, []any{orderID}
	if want > 0 {
		query, args = `UPDATE shop_orders SET next_op = next_op + 1 WHERE id = ? AND next_op = ? RETURNING next_op - 1`, []any{orderID, want}
	}
	var n int
	err := s.db.QueryRowContext(ctx, s.q(query), args...).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return n, err == nil, err
}

// record appends op to the order's operations log.
func (s *store) record(ctx context.Context, ex execer, orderID string, op operation) error {
	_, err := ex.ExecContext(ctx, s.q(`INSERT INTO shop_operations (order_id, at, n, what, idem_key, outcome, failed, retry)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), orderID, time.Now().UnixNano(), op.N, op.What, op.Key, op.Outcome, boolInt(op.Failed), boolInt(op.Retry))
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *store) operations(ctx context.Context, orderID string) ([]operation, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT n, what, idem_key, outcome, failed, retry FROM shop_operations
		WHERE order_id = ? ORDER BY at, n`), orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []operation
	for rows.Next() {
		var (
			op            operation
			failed, retry int
		)
		if err := rows.Scan(&op.N, &op.What, &op.Key, &op.Outcome, &failed, &retry); err != nil {
			return nil, err
		}
		op.Failed, op.Retry = failed != 0, retry != 0
		out = append(out, op)
	}
	return out, rows.Err()
}

// errBusy: the order already has a pending operation.
var errBusy = errors.New("the order has an operation whose outcome is unknown")

// begin writes op as the order's pending operation, with its key and body,
// before it is sent. It fails with errBusy if the order has one already.
func (s *store) begin(ctx context.Context, orderID string, op operation) error {
	var body any = struct{}{}
	switch {
	case op.capture != nil:
		body = op.capture
	case op.refund != nil:
		body = op.refund
	}
	text, err := toJSON(body)
	if err != nil {
		return err
	}
	basis, err := nullJSON(op.basis)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO shop_pending (order_id, n, action, what, idem_key, body, basis)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`), orderID, op.N, op.Action, op.What, op.Key, text, basis)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(errBusy, err)
	}
	return nil
}

// pending returns the order's pending operation, or nil.
func (s *store) pending(ctx context.Context, orderID string) (*operation, error) {
	ops, err := s.pendingWhere(ctx, `WHERE order_id = ?`, orderID)
	if err != nil || len(ops) == 0 {
		return nil, err
	}
	return &ops[0].op, nil
}

// pendingOp is a pending operation and its order.
type pendingOp struct {
	orderID string
	op      operation
}

func (s *store) allPending(ctx context.Context) ([]pendingOp, error) {
	return s.pendingWhere(ctx, `ORDER BY order_id`)
}

func (s *store) pendingWhere(ctx context.Context, where string, args ...any) ([]pendingOp, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT order_id, n, action, what, idem_key, body, basis FROM shop_pending `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingOp
	for rows.Next() {
		var (
			p     pendingOp
			body  sql.NullString
			basis sql.NullString
		)
		if err := rows.Scan(&p.orderID, &p.op.N, &p.op.Action, &p.op.What, &p.op.Key, &body, &basis); err != nil {
			return nil, err
		}
		switch p.op.Action {
		case "capture":
			p.op.capture, err = fromJSON[yookassa.CaptureRequest](body)
		case "refund":
			p.op.refund, err = fromJSON[yookassa.RefundRequest](body)
		}
		if err == nil {
			p.op.basis, err = fromJSON[yookassa.ReceiptData](basis)
		}
		if err != nil {
			return nil, fmt.Errorf("pending operation of order %s: %w", p.orderID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// finish records the final outcome of op, sent under its key: the log entry,
// the status learned and, after a capture, the refund basis; and unless the
// outcome is still unknown, removes the pending operation. One transaction.
func (s *store) finish(ctx context.Context, orderID string, op operation, unknown bool, status yookassa.PaymentStatus, captured bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if !unknown {
			if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM shop_pending WHERE order_id = ? AND idem_key = ?`), orderID, op.Key); err != nil {
				return err
			}
		}
		if status != "" {
			if err := s.learn(ctx, tx, orderID, status); err != nil {
				return err
			}
		}
		if captured {
			basis, err := nullJSON(op.basis)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE shop_orders SET refund_basis = ? WHERE id = ?`), basis, orderID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, orderID, op)
	})
}
