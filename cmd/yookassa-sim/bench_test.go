package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
)

// callers is how many connections the benchmarks keep busy.
const callers = 16

// BenchmarkStandalone measures the standalone server over loopback: each
// operation is a CreatePayment (sber_loan, 5,000.00) and a GetPayment of
// it from one of 16 callers, each with its own connection. requests/s
// counts both requests. The server runs in its own process.
func BenchmarkStandalone(b *testing.B) {
	s := start(b)
	c, err := yookassa.NewClient("100500", "test_secret", yookassa.WithBaseURL(s.api))
	if err != nil {
		b.Fatal(err)
	}
	benchCreateGet(b, c)
}

// BenchmarkStandaloneBaseline is the same exchange against a handler in
// this process that answers a canned payment: the cost of HTTP, JSON and
// the client alone.
func BenchmarkStandaloneBaseline(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "payment_sber_loan_pending.json"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := yookassa.NewClient("100500", "test_secret", yookassa.WithBaseURL(srv.URL+"/v3"))
	if err != nil {
		b.Fatal(err)
	}
	benchCreateGet(b, c)
}

func benchCreateGet(b *testing.B, c *yookassa.Client) {
	req := &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.RequireFromString("5000.00")),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		Description:       "Order No. 37",
	}
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range callers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				p, err := c.CreatePayment(ctx, req)
				if err != nil {
					b.Error(err)
					return
				}
				if _, err := c.GetPayment(ctx, p.ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(2*b.N)/time.Since(start).Seconds(), "requests/s")
}
