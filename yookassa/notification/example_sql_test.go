package notification_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the program chooses the driver; the package imports none

	"github.com/creditpay/yookassa-go/yookassa/notification"
)

// A shop records a paid order and "this notification was handled" in one
// transaction: a notification delivered twice, to this instance or another
// one sharing the database, marks the order paid once; a callback that fails
// leaves neither.
func ExampleSQLDeduplicator_InTx() {
	dir, err := os.MkdirTemp("", "shop")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.db")+"?_pragma=busy_timeout(5000)&_txlock=immediate")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE orders (id TEXT PRIMARY KEY, paid_times INTEGER NOT NULL)`); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO orders VALUES ('37', 0)`); err != nil {
		fmt.Println(err)
		return
	}

	dedup, err := notification.NewSQLDeduplicator(db, notification.SQLite)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := dedup.Migrate(ctx); err != nil { // or apply notification.SQLSchema() yourself
		fmt.Println(err)
		return
	}
	onPaid := func(ctx context.Context, tx *sql.Tx, ev *notification.Event) error {
		// Use tx, not db: the update commits with the notification's mark.
		_, err := tx.ExecContext(ctx, `UPDATE orders SET paid_times = paid_times + 1 WHERE id = ?`, ev.Payment.Metadata["order_id"])
		return err
	}
	// The example delivers the body itself; a shop keeps the source check
	// and the re-read of the payment that NewHandler does by default.
	h, err := notification.NewHandler(nil, dedup.InTx(onPaid),
		notification.WithDeduplication(dedup), notification.WithoutRefetch(), notification.WithoutIPCheck())
	if err != nil {
		fmt.Println(err)
		return
	}

	body := `{"type":"notification","event":"payment.succeeded","object":{"id":"22c5d0f0-000f-5000-8000-13ece77bc6c1",
		"status":"succeeded","paid":true,"amount":{"value":"4500.00","currency":"RUB"},"created_at":"2021-06-22T21:43:44.794Z",
		"metadata":{"order_id":"37"}}}`
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/yookassa/notifications", strings.NewReader(body)))
		fmt.Println(w.Code, strings.TrimSpace(w.Body.String()))
	}
	var paid int
	if err := db.QueryRowContext(ctx, `SELECT paid_times FROM orders WHERE id = '37'`).Scan(&paid); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("order 37 marked paid", paid, "time(s)")
	// Output:
	// 200 ok
	// 200 already processed
	// order 37 marked paid 1 time(s)
}
