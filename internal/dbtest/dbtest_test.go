package dbtest

import (
	"context"
	"database/sql"
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
