// Package sqlscript splits the schema files of the module's database stores
// (loanapproval, notification, examples/checkout) into the statements that
// database/sql runs one at a time.
package sqlscript

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Statements returns the statements of src, trimmed, in order. A "--"
// comment runs to the end of its line and is dropped; a semicolon ends a
// statement. The schemas have neither inside a string literal, which this
// simple reading does not recognise.
func Statements(src string) []string {
	var b strings.Builder
	for line := range strings.Lines(src) {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i] + "\n"
		}
		b.WriteString(line)
	}
	var out []string
	for stmt := range strings.SplitSeq(b.String(), ";") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

// Numbered turns the ? placeholders of query into PostgreSQL's $1, $2, ...
// in order, for code that writes one query for SQLite and PostgreSQL. The
// query must have no ? inside a string literal.
func Numbered(query string) string {
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Apply runs the statements of src on db in one transaction. On PostgreSQL
// it first takes the transaction's advisory lock lockKey, so that replicas
// applying the same schema at the same moment run one after the other:
// without it, two concurrent CREATE TABLE IF NOT EXISTS can fail there
// with "type ... already exists". PostgreSQL is told from SQLite by its
// version() function, which SQLite lacks.
func Apply(ctx context.Context, db *sql.DB, src string, lockKey int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	// On SQLite the failed statement leaves the transaction usable.
	var version string
	if tx.QueryRowContext(ctx, "SELECT version()").Scan(&version) == nil && strings.HasPrefix(version, "PostgreSQL") {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey); err != nil {
			return err
		}
	}
	for _, stmt := range Statements(src) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Commit()
}
