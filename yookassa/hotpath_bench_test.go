package yookassa_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/creditpay/yookassa-go/yookassa"
)

// The hot-path benchmarks compare one call of the client with the same call
// written by hand, in three subjects:
//
//   - yookassa-go: this module's client;
//   - hand-typed: net/http + encoding/json with this module's types;
//   - hand-plain: net/http + encoding/json with plain structs whose money is
//     a string, the cheapest code a careful developer would write.
//
// and two transports: "canned" answers from memory (the client's CPU alone),
// "loopback" is a real TCP connection to a server in another process, so that
// an instruction count of this process (scripts/instructions.sh) counts the
// client and the kernel boundary but not the server.

const benchServeEnv = "YOOKASSA_BENCH_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(benchServeEnv) == "1" {
		serveBench()
		return
	}
	os.Exit(m.Run())
}

// benchBodies are the canned answers: the created payment, the read one and
// a page of 100.
type benchBodies struct{ created, read, page []byte }

func loadBenchBodies() (benchBodies, error) {
	created, err := os.ReadFile("../testdata/payment_sber_loan_pending.json")
	if err != nil {
		return benchBodies{}, err
	}
	read, err := os.ReadFile("../testdata/payment_sber_loan_succeeded_installments.json")
	if err != nil {
		return benchBodies{}, err
	}
	var page bytes.Buffer
	page.WriteString(`{"type":"list","items":[`)
	for i := range 100 {
		if i > 0 {
			page.WriteByte(',')
		}
		page.Write(bytes.TrimSpace(read))
	}
	page.WriteString(`],"next_cursor":"37a5c87d-3984-51e8-a7f3-8de646d39ec15"}`)
	return benchBodies{created: created, read: read, page: page.Bytes()}, nil
}

func (bb benchBodies) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		switch {
		case r.Method == http.MethodPost:
			_, _ = w.Write(bb.created)
		case r.URL.Path == "/v3/payments":
			_, _ = w.Write(bb.page)
		default:
			_, _ = w.Write(bb.read)
		}
	})
}

// serveBench is the server process: it prints its address, serves until its
// standard input closes (the benchmark process ended), then exits.
func serveBench() {
	bb, err := loadBenchBodies()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	_ = http.Serve(ln, bb.handler())
}

var benchServer struct {
	once  sync.Once
	base  string
	err   error
	stdin io.WriteCloser // held, never closed: the server exits when this process does
}

// loopbackBase starts the server process once per test binary and returns
// its API base URL.
func loopbackBase(b *testing.B) string {
	b.Helper()
	benchServer.once.Do(func() {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), benchServeEnv+"=1", "GOMAXPROCS=1")
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			benchServer.err = err
			return
		}
		benchServer.stdin = stdin
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			benchServer.err = err
			return
		}
		if err := cmd.Start(); err != nil {
			benchServer.err = err
			return
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			benchServer.err = fmt.Errorf("bench server: %w", err)
			return
		}
		benchServer.base = "http://" + strings.TrimSpace(line) + "/v3"
	})
	if benchServer.err != nil {
		b.Fatal(benchServer.err)
	}
	return benchServer.base
}

// hotSubject is one way of making the three calls.
type hotSubject struct {
	create func(context.Context) error
	get    func(context.Context) error
	list   func(context.Context) error
}

func newHotSubject(b *testing.B, name string, hc *http.Client, base string) hotSubject {
	b.Helper()
	switch name {
	case "yookassa-go":
		opts := []yookassa.Option{yookassa.WithBaseURL(base)}
		if hc != nil {
			opts = append(opts, yookassa.WithHTTPClient(hc))
		}
		c, err := yookassa.NewClient(testShopID, testSecret, opts...)
		if err != nil {
			b.Fatal(err)
		}
		req := sberLoanRequest()
		params := &yookassa.PaymentListParams{Limit: 100}
		return hotSubject{
			create: func(ctx context.Context) error { _, err := c.CreatePayment(ctx, req); return err },
			get:    func(ctx context.Context) error { _, err := c.GetPayment(ctx, paymentID); return err },
			list:   func(ctx context.Context) error { _, err := c.ListPayments(ctx, params); return err },
		}
	case "hand-typed":
		h := newHandWritten(defaultHC(hc), base)
		req := sberLoanRequest()
		return hotSubject{
			create: func(ctx context.Context) error { _, err := h.createPayment(ctx, req); return err },
			get: func(ctx context.Context) error {
				return h.get(ctx, base+"/payments/"+paymentID, new(yookassa.Payment))
			},
			list: func(ctx context.Context) error {
				return h.get(ctx, base+"/payments?limit=100", new(yookassa.PaymentList))
			},
		}
	case "hand-plain":
		h := newHandWritten(defaultHC(hc), base)
		req := plainSberLoanRequest()
		return hotSubject{
			create: func(ctx context.Context) error {
				return h.do(ctx, http.MethodPost, base+"/payments", req, new(plainPayment))
			},
			get: func(ctx context.Context) error {
				return h.get(ctx, base+"/payments/"+paymentID, new(plainPayment))
			},
			list: func(ctx context.Context) error {
				return h.get(ctx, base+"/payments?limit=100", new(plainPaymentList))
			},
		}
	}
	b.Fatalf("unknown subject %q", name)
	return hotSubject{}
}

// defaultHC is what the hand-written code uses on a real connection: a
// client with an overall timeout and the standard transport.
func defaultHC(hc *http.Client) *http.Client {
	if hc != nil {
		return hc
	}
	return &http.Client{Timeout: time.Minute}
}

var hotSubjects = []string{"yookassa-go", "hand-typed", "hand-plain"}

// BenchmarkHotPath is one call per iteration, from one goroutine, for every
// operation x transport x subject. Over loopback the server runs in another
// process. Wall time on a shared machine varies; count instructions with
//
//	scripts/instructions.sh ./yookassa 'BenchmarkHotPath/create/loopback/yookassa-go' ...
//
// and compare subjects interleaved with scripts/interleave.sh.
func BenchmarkHotPath(b *testing.B) {
	bb, err := loadBenchBodies()
	if err != nil {
		b.Fatal(err)
	}
	for _, op := range []string{"create", "get", "list"} {
		for _, transport := range []string{"canned", "loopback"} {
			for _, subject := range hotSubjects {
				b.Run(op+"/"+transport+"/"+subject, func(b *testing.B) {
					var hc *http.Client
					base := apiBase
					if transport == "canned" {
						hc = &http.Client{Transport: handlerTransport{bb.handler()}}
					} else {
						base = loopbackBase(b)
					}
					s := newHotSubject(b, subject, hc, base)
					call := map[string]func(context.Context) error{"create": s.create, "get": s.get, "list": s.list}[op]
					ctx := context.Background()
					if err := call(ctx); err != nil { // warm the connection
						b.Fatal(err)
					}
					b.ReportAllocs()
					for b.Loop() {
						if err := call(ctx); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// handlerTransport serves requests from an http.Handler in memory.
type handlerTransport struct{ h http.Handler }

func (ht handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := &memResponse{header: http.Header{}, status: http.StatusOK}
	ht.h.ServeHTTP(rec, req)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode: rec.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: rec.header, Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), Request: req,
		ContentLength: int64(rec.body.Len()),
	}, nil
}

type memResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (m *memResponse) Header() http.Header         { return m.header }
func (m *memResponse) Write(p []byte) (int, error) { return m.body.Write(p) }
func (m *memResponse) WriteHeader(status int)      { m.status = status }

// do is the hand-written exchange for any body and answer.
func (h *handWritten) do(ctx context.Context, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", h.auth)
	if in != nil {
		req.Header.Set("Idempotence-Key", uuid.NewString())
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

func (h *handWritten) get(ctx context.Context, url string, out any) error {
	return h.do(ctx, http.MethodGet, url, nil, out)
}

// The plain structs: what the API sends, with money as strings and no
// enumerations, for the cheapest baseline.
type plainAmount struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

type plainPaymentRequest struct {
	Amount            plainAmount       `json:"amount"`
	PaymentMethodData *plainMethod      `json:"payment_method_data,omitempty"`
	Confirmation      *plainConfirm     `json:"confirmation,omitempty"`
	Description       string            `json:"description,omitempty"`
	Metadata          map[string]string `json:"metadata,omitempty"`
}

type plainMethod struct {
	Type           string       `json:"type"`
	ID             string       `json:"id,omitempty"`
	Saved          bool         `json:"saved,omitempty"`
	LoanOption     string       `json:"loan_option,omitempty"`
	DiscountAmount *plainAmount `json:"discount_amount,omitempty"`
}

type plainConfirm struct {
	Type            string `json:"type"`
	ReturnURL       string `json:"return_url,omitempty"`
	ConfirmationURL string `json:"confirmation_url,omitempty"`
}

type plainPayment struct {
	ID             string            `json:"id"`
	Status         string            `json:"status"`
	Paid           bool              `json:"paid"`
	Amount         plainAmount       `json:"amount"`
	IncomeAmount   *plainAmount      `json:"income_amount,omitempty"`
	Confirmation   *plainConfirm     `json:"confirmation,omitempty"`
	CapturedAt     string            `json:"captured_at,omitempty"`
	CreatedAt      string            `json:"created_at"`
	ExpiresAt      string            `json:"expires_at,omitempty"`
	Description    string            `json:"description,omitempty"`
	Metadata       map[string]string `json:"metadata,omitempty"`
	PaymentMethod  *plainMethod      `json:"payment_method,omitempty"`
	Recipient      map[string]string `json:"recipient,omitempty"`
	Refundable     bool              `json:"refundable"`
	RefundedAmount *plainAmount      `json:"refunded_amount,omitempty"`
	Test           bool              `json:"test"`
}

type plainPaymentList struct {
	Type       string         `json:"type"`
	Items      []plainPayment `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

func plainSberLoanRequest() *plainPaymentRequest {
	return &plainPaymentRequest{
		Amount:            plainAmount{Value: "5000.00", Currency: "RUB"},
		PaymentMethodData: &plainMethod{Type: "sber_loan"},
		Confirmation:      &plainConfirm{Type: "redirect", ReturnURL: "https://www.example.com/return_url"},
		Description:       "Order No. 37",
		Metadata:          map[string]string{"order_id": "37"},
	}
}

// The baselines must read what the client reads, or the comparison is
// unfair: each subject decodes the same fields from the same answers.
func TestHotPathSubjectsAgree(t *testing.T) {
	bb, err := loadBenchBodies()
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: handlerTransport{bb.handler()}}
	h := newHandWritten(hc, apiBase)
	ctx := context.Background()

	var typed yookassa.PaymentList
	if err := h.get(ctx, apiBase+"/payments?limit=100", &typed); err != nil {
		t.Fatal(err)
	}
	var plain plainPaymentList
	if err := h.get(ctx, apiBase+"/payments?limit=100", &plain); err != nil {
		t.Fatal(err)
	}
	if len(typed.Items) != 100 || len(plain.Items) != 100 {
		t.Fatalf("pages of %d and %d items, want 100", len(typed.Items), len(plain.Items))
	}
	p, q := typed.Items[99], plain.Items[99]
	if p.ID != q.ID || string(p.Status) != q.Status || p.Amount.Value.StringFixed(2) != q.Amount.Value ||
		p.IncomeAmount.Value.StringFixed(2) != q.IncomeAmount.Value || string(p.PaymentMethod.LoanOption) != q.PaymentMethod.LoanOption {
		t.Fatalf("typed %+v and plain %+v differ", p, q)
	}
	var sent bytes.Buffer
	enc := json.NewEncoder(&sent)
	if err := enc.Encode(sberLoanRequest()); err != nil {
		t.Fatal(err)
	}
	plainSent, err := json.Marshal(plainSberLoanRequest())
	if err != nil {
		t.Fatal(err)
	}
	requireJSONEqual(t, sent.Bytes(), plainSent)
}
