// Package dbtest gives tests a fresh, empty database of each kind the module's
// stores support: SQLite in a temporary file, always available, and
// PostgreSQL on the server named by the YOOKASSA_TEST_POSTGRES environment
// variable, skipped with a message when it is unset.
//
// Only tests import this package, so the SQL drivers it registers are
// compiled into test binaries and never into a program that imports the
// library packages.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Kind names a database engine.
type Kind string

// The engines the module's stores are tested on.
const (
	SQLite   Kind = "sqlite"
	Postgres Kind = "postgres"
)

// EnvPostgres is the environment variable holding the DSN of a PostgreSQL
// server whose user may create and drop databases, for example
// postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable.
// scripts/pg-test.sh starts such a server and prints the line to export.
const EnvPostgres = "YOOKASSA_TEST_POSTGRES"

// Kinds lists every engine, SQLite first.
func Kinds() []Kind { return []Kind{SQLite, Postgres} }

// Driver is the database/sql driver name for k.
func Driver(k Kind) string {
	if k == Postgres {
		return "pgx"
	}
	return "sqlite"
}

// NewDSN creates a fresh, empty database of kind k for the calling test and
// returns its DSN; the database is removed when the test ends. Several
// *sql.DB opened on the same DSN share it, as replicas of a service would.
// For PostgreSQL without EnvPostgres set, the test is skipped with a message
// that says how to run it.
func NewDSN(t testing.TB, k Kind) string {
	t.Helper()
	switch k {
	case SQLite:
		path := filepath.Join(t.TempDir(), "test.db")
		// WAL lets readers run beside a writer; busy_timeout makes concurrent
		// writers wait for the lock instead of failing at once; _txlock takes
		// the write lock at BEGIN so two transactions cannot deadlock on an
		// upgrade from read to write.
		return "file:" + path + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_txlock=immediate"
	case Postgres:
		admin := os.Getenv(EnvPostgres)
		if admin == "" {
			t.Skipf("PostgreSQL tests skipped: set %s to a server's DSN (scripts/pg-test.sh start prints one) to run them", EnvPostgres)
		}
		u, err := url.Parse(admin)
		if err != nil {
			// url.Parse's error repeats the DSN, password and all.
			t.Fatalf("%s is not a URL", EnvPostgres)
		}
		name := "yk_test_" + randomHex(t)
		exec(t, admin, "CREATE DATABASE "+name)
		t.Cleanup(func() { exec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
		u.Path = "/" + name
		return u.String()
	default:
		t.Fatalf("dbtest: unknown kind %q", k)
		return ""
	}
}

// Open opens dsn with the driver of kind k, checks the connection, and closes
// the pool when the test ends.
func Open(t testing.TB, k Kind, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(Driver(k), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", k, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("ping %s: %v", k, err)
	}
	return db
}

// New is NewDSN followed by Open: one pool on a fresh database.
func New(t testing.TB, k Kind) *sql.DB {
	t.Helper()
	return Open(t, k, NewDSN(t, k))
}

// Each runs fn as a subtest named after each kind, with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, k Kind, db *sql.DB)) {
	t.Helper()
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) { fn(t, k, New(t, k)) })
	}
}

func exec(t testing.TB, dsn, stmt string) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func randomHex(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:]) + fmt.Sprint(os.Getpid())
}
