package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// Both engines accept the SQL the module's stores are written in: numbered
// placeholders, ON CONFLICT DO NOTHING and integer milliseconds.
func TestEachEngineSpeaksTheCommonDialect(t *testing.T) {
	Each(t, func(t *testing.T, k Kind, db *sql.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, `CREATE TABLE kv (k TEXT PRIMARY KEY, at BIGINT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			res, err := db.ExecContext(ctx, `INSERT INTO kv (k, at) VALUES ($1, $2) ON CONFLICT (k) DO NOTHING`, "a", int64(1733568000123))
			if err != nil {
				t.Fatal(err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				t.Fatal(err)
			}
			if want := int64(1 - i); n != want {
				t.Fatalf("%s: insert %d affected %d rows, want %d", k, i+1, n, want)
			}
		}
		var at int64
		if err := db.QueryRowContext(ctx, `SELECT at FROM kv WHERE k = $1`, "a").Scan(&at); err != nil {
			t.Fatal(err)
		}
		if at != 1733568000123 {
			t.Fatalf("%s: read %d", k, at)
		}
	})
}

// fatalRecorder stands in for a test: it keeps what Fatalf says and stops
// the call there, as t.Fatalf would.
type fatalRecorder struct {
	testing.TB
	msg string
}

type stopped struct{}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic(stopped{})
}

// A DSN that is not a URL is refused without repeating it: it may hold the
// server's password.
func TestNewDSNKeepsABadDSNOutOfTheLog(t *testing.T) {
	const password = "s3cret-pg-pass"
	t.Setenv(EnvPostgres, "postgres://postgres:"+password+"@[::1:5432/postgres")
	r := &fatalRecorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != nil {
				if _, ok := p.(stopped); !ok {
					panic(p)
				}
			}
		}()
		NewDSN(r, Postgres)
	}()
	if r.msg == "" {
		t.Fatal("NewDSN accepted a DSN that is not a URL")
	}
	if strings.Contains(r.msg, password) {
		t.Fatalf("the failure repeats the password: %s", r.msg)
	}
}
