package sqlscript

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/creditpay/yookassa-go/internal/dbtest"
)

func TestStatements(t *testing.T) {
	src := `-- a header; with a semicolon in a comment
CREATE TABLE t (
    a TEXT NOT NULL, -- trailing comment; also with one
    b INTEGER
);

  -- an indented comment
CREATE INDEX IF NOT EXISTS t_a ON t (a);
`
	want := []string{
		"CREATE TABLE t (\n    a TEXT NOT NULL, \n    b INTEGER\n)",
		"CREATE INDEX IF NOT EXISTS t_a ON t (a)",
	}
	if got := Statements(src); !slices.Equal(got, want) {
		t.Fatalf("Statements =\n%q\nwant\n%q", got, want)
	}
	if got := Statements("-- only a comment\n\n"); len(got) != 0 {
		t.Fatalf("Statements of a comment = %q", got)
	}
}

func TestNumbered(t *testing.T) {
	for q, want := range map[string]string{
		"SELECT 1":                        "SELECT 1",
		"UPDATE t SET a = ? WHERE id = ?": "UPDATE t SET a = $1 WHERE id = $2",
		"INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?,?)": "INSERT INTO t VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
		"-- é ?": "-- é $1",
	} {
		if got := Numbered(q); got != want {
			t.Errorf("Numbered(%q) = %q, want %q", q, got, want)
		}
	}
}

// Apply creates what the script says, again without harm, and leaves
// nothing behind when a statement fails.
func TestApply(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, k dbtest.Kind, db *sql.DB) {
		ctx := context.Background()
		const good = "CREATE TABLE IF NOT EXISTS a (x BIGINT);\nCREATE INDEX IF NOT EXISTS a_x ON a (x);"
		for range 2 {
			if err := Apply(ctx, db, good, 1); err != nil {
				t.Fatal(err)
			}
		}
		if err := Apply(ctx, db, "CREATE TABLE b (x BIGINT);\nCREATE TABLE nonsense (;", 1); err == nil {
			t.Fatal("a broken statement was accepted")
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO b (x) VALUES (1)"); err == nil {
			t.Fatal("the statement before the broken one was kept")
		}
		if _, err := db.ExecContext(ctx, "INSERT INTO a (x) VALUES (1)"); err != nil {
			t.Fatal(err)
		}
	})
}
