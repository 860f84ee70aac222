package yookassatest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// BenchmarkSimulatorCreateGet measures the simulator's throughput: each
// operation is a CreatePayment and a GetPayment through a client, from 16
// goroutines on 2 cores. requests/s counts both requests.
func BenchmarkSimulatorCreateGet(b *testing.B) {
	s := yookassatest.NewServer()
	defer s.Close()
	c := s.Client()
	benchCreateGet(b, c)
}

// BenchmarkSimulatorBaseline is the same exchange against a handler that
// answers a canned payment: the cost of HTTP, JSON and the client alone.
func BenchmarkSimulatorBaseline(b *testing.B) {
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
	c, err := yookassa.NewClient("1", "s", yookassa.WithBaseURL(srv.URL+"/v3"))
	if err != nil {
		b.Fatal(err)
	}
	benchCreateGet(b, c)
}

func benchCreateGet(b *testing.B, c *yookassa.Client) {
	req := sberLoan("5000.00", false)
	ctx := context.Background()
	// 8 x GOMAXPROCS callers keep the server busy; with one caller per
	// core the figure would be latency, not throughput.
	b.SetParallelism(8)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
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
	b.ReportMetric(float64(2*b.N)/time.Since(start).Seconds(), "requests/s")
}
