package sqlscript

import (
	"slices"
	"testing"
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
