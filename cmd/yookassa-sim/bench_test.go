//go:build unix

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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
	before, ok := cpuTime(s.cmd.Process.Pid)
	benchCreateGet(b, c)
	if after, ok2 := cpuTime(s.cmd.Process.Pid); ok && ok2 {
		// The server's own CPU time per request, which the load of the
		// machine changes much less than the throughput.
		b.ReportMetric(float64((after-before).Microseconds())/float64(2*b.N), "server-cpu-µs/req")
	}
}

// cpuTime is the user and system CPU time a process has used so far, read
// from /proc (Linux; ok is false elsewhere).
func cpuTime(pid int) (time.Duration, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// Fields after the command name, which is in parentheses: utime and
	// stime are the 12th and 13th of them, in clock ticks (USER_HZ, 100).
	rest := string(raw[strings.LastIndexByte(string(raw), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
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
	ownCPU, ok := selfCPU()
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
	if ok {
		if after, ok := selfCPU(); ok {
			// This process's CPU time per request: the client's (and, in
			// the baseline, the canned handler's too).
			b.ReportMetric(float64((after-ownCPU).Microseconds())/float64(2*b.N), "bench-cpu-µs/req")
		}
	}
}

// selfCPU is the user and system CPU time this process has used so far.
func selfCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
