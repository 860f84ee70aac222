package loanapproval_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver, for the example only

	"github.com/creditpay/yookassa-go/loanapproval"
)

// Two replicas of a bank's endpoint share their decisions through one
// database: Yandex's POST reaches one replica, its polls reach the other. In
// production the database would be PostgreSQL (for example with the driver
// github.com/jackc/pgx/v5/stdlib); the SQL is the same.
func ExampleSQLStore() {
	dir, err := os.MkdirTemp("", "loanapproval-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	dsn := "file:" + filepath.Join(dir, "bank.db") + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"

	const token = "shared-bearer-token"
	scored := make(chan struct{}) // closed when the bank's scoring is done
	slowBank := loanapproval.DeciderFunc(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		select {
		case <-scored:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return exampleBank.Decide(ctx, req)
	})
	replica := func() *httptest.Server {
		db, err := sql.Open("sqlite", dsn) // each replica has its own pool
		if err != nil {
			panic(err)
		}
		if err := loanapproval.Migrate(context.Background(), db); err != nil {
			panic(err)
		}
		store := loanapproval.NewSQLStore(db)
		return httptest.NewServer(loanapproval.Handler(slowBank, token, loanapproval.WithAsync(), loanapproval.WithStore(store)))
	}
	one, two := replica(), replica()
	defer one.Close()
	defer two.Close()

	client, err := loanapproval.NewClient(one.URL, token, loanapproval.WithPollURL(two.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	req := &loanapproval.Request{
		PhoneNumber: "79991234567",
		ProductType: loanapproval.ProductCreditCard,
		SearchID:    "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
	}
	first, err := client.Send(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("POST to replica one:", first.Status)
	close(scored)
	// A bound against a hang, far above what the decision takes.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		final, err := client.Poll(ctx, req.SearchID) // GET to replica two
		if err != nil {
			fmt.Println(err)
			return
		}
		if final.Status == loanapproval.StatusDone {
			fmt.Println("polls of replica two:", final.Status, final.Decision)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Output:
	// POST to replica one: pending
	// polls of replica two: done has_approve
}
