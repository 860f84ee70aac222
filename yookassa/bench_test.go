package yookassa_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/creditpay/yookassa-go/yookassa"
)

// cannedTransport answers every request with the same payment, without a
// network: what remains is the client's own CPU cost.
type cannedTransport struct{ body []byte }

func (ct cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
		Body:    io.NopCloser(bytes.NewReader(ct.body)),
		Request: req,
	}, nil
}

// handWritten is the baseline: the same exchange written directly with
// net/http and encoding/json, as a careful developer would without this
// module (key per call, Basic auth, status check, JSON both ways).
type handWritten struct {
	hc   *http.Client
	url  string
	auth string
}

func newHandWritten(hc *http.Client, base string) *handWritten {
	return &handWritten{hc: hc, url: base + "/payments",
		auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(testShopID+":"+testSecret))}
}

func (h *handWritten) createPayment(ctx context.Context, in *yookassa.PaymentRequest) (*yookassa.Payment, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", h.auth)
	req.Header.Set("Idempotence-Key", uuid.NewString())
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	out := new(yookassa.Payment)
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return out, nil
}

// BenchmarkCreatePayment is the client's CPU per CreatePayment; compare with
// BenchmarkCreatePaymentBaseline (goal: at most 1.10x its time).
func BenchmarkCreatePayment(b *testing.B) {
	c, err := yookassa.NewClient(testShopID, testSecret, yookassa.WithHTTPClient(&http.Client{Transport: cannedTransport{fixture(b, "payment_sber_loan_pending.json")}}))
	if err != nil {
		b.Fatal(err)
	}
	req := sberLoanRequest()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.CreatePayment(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreatePaymentBaseline is the hand-written net/http +
// encoding/json exchange over the same canned transport.
func BenchmarkCreatePaymentBaseline(b *testing.B) {
	h := newHandWritten(&http.Client{Transport: cannedTransport{fixture(b, "payment_sber_loan_pending.json")}}, apiBase)
	req := sberLoanRequest()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.createPayment(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// loopbackServer answers every POST /v3/payments with a canned payment and
// counts the TCP connections it accepts.
type loopbackServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newLoopbackServer(b *testing.B, tlsOn bool) *loopbackServer {
	body := fixture(b, "payment_sber_loan_pending.json")
	ls := &loopbackServer{}
	ls.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write(body)
	}))
	ls.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			ls.conns.Add(1)
		}
	}
	if tlsOn {
		ls.StartTLS()
	} else {
		ls.Start()
	}
	b.Cleanup(ls.Close)
	return ls
}

func (ls *loopbackServer) rootCAs() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ls.Certificate())
	return pool
}

// concurrentCalls runs 64 goroutines x 200 calls per iteration and reports
// calls/s and the TCP connections opened per iteration.
func concurrentCalls(b *testing.B, ls *loopbackServer, call func(context.Context) error) {
	const goroutines, calls = 64, 200
	ctx := context.Background()
	var elapsed time.Duration
	ls.conns.Store(0)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		var wg sync.WaitGroup
		var failed atomic.Int64
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range calls {
					if err := call(ctx); err != nil {
						failed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		elapsed += time.Since(start)
		if failed.Load() > 0 {
			b.Fatalf("%d calls failed", failed.Load())
		}
	}
	b.ReportMetric(float64(b.N*goroutines*calls)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(ls.conns.Load())/float64(b.N), "conns/run")
}

// BenchmarkConcurrent: our default client (shared tuned transport) against
// a tuned net/http client, plain and TLS, 64 goroutines x 200 CreatePayment.
func BenchmarkConcurrent(b *testing.B) {
	for _, tlsOn := range []bool{false, true} {
		name := "plain"
		if tlsOn {
			name = "tls"
		}
		b.Run(name+"/yookassa-go", func(b *testing.B) {
			ls := newLoopbackServer(b, tlsOn)
			opts := []yookassa.Option{yookassa.WithBaseURL(ls.URL + "/v3")}
			if tlsOn {
				opts = append(opts, yookassa.WithTLSConfig(&tls.Config{RootCAs: ls.rootCAs()}))
			}
			c, err := yookassa.NewClient(testShopID, testSecret, opts...)
			if err != nil {
				b.Fatal(err)
			}
			req := sberLoanRequest()
			concurrentCalls(b, ls, func(ctx context.Context) error {
				_, err := c.CreatePayment(ctx, req)
				return err
			})
		})
		b.Run(name+"/tuned-net-http", func(b *testing.B) {
			ls := newLoopbackServer(b, tlsOn)
			tr := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128, IdleConnTimeout: 90 * time.Second}
			if tlsOn {
				tr.TLSClientConfig = &tls.Config{RootCAs: ls.rootCAs()}
			}
			h := newHandWritten(&http.Client{Transport: tr, Timeout: time.Minute}, ls.URL+"/v3")
			req := sberLoanRequest()
			concurrentCalls(b, ls, func(ctx context.Context) error {
				_, err := h.createPayment(ctx, req)
				return err
			})
		})
	}
}
