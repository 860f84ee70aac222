package yookassa_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

// scriptedServer answers the n-th request with script[n] (the last entry
// repeats) and records every request.
type scriptedServer struct {
	*httptest.Server
	mu     sync.Mutex
	script []func(w http.ResponseWriter, r *http.Request)
	seen   []seenRequest
}

type seenRequest struct {
	at   time.Time
	key  string
	body []byte
}

func newScriptedServer(t *testing.T, script ...func(w http.ResponseWriter, r *http.Request)) *scriptedServer {
	s := &scriptedServer{script: script}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.seen)
		s.seen = append(s.seen, seenRequest{time.Now(), r.Header.Get("Idempotence-Key"), body})
		step := s.script[min(n, len(s.script)-1)]
		s.mu.Unlock()
		step(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *scriptedServer) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

func reply(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// resetConnection closes the connection abruptly (RST) after the request was
// read: the effect may have happened, the answer is lost.
func resetConnection(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func serverClient(t *testing.T, url string, policy yookassa.RetryPolicy, opts ...yookassa.Option) *yookassa.Client {
	t.Helper()
	c, err := yookassa.NewClient(testShopID, testSecret, append([]yookassa.Option{
		yookassa.WithBaseURL(url), yookassa.WithRetryPolicy(policy),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

var fastRetries = yookassa.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}

func sberLoanRequest() *yookassa.PaymentRequest {
	return &yookassa.PaymentRequest{
		Amount:            rub("5000.00"),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://www.example.com/return_url"},
		Description:       "Order No. 37",
		Metadata:          map[string]string{"order_id": "37"},
	}
}

func requireSameKeyAndBody(t *testing.T, reqs []seenRequest) {
	t.Helper()
	require.NotEmpty(t, reqs)
	for i, r := range reqs {
		assert.Equal(t, reqs[0].key, r.key, "attempt %d key", i+1)
		assert.True(t, bytes.Equal(reqs[0].body, r.body), "attempt %d body differs", i+1)
	}
	assert.Regexp(t, uuidV4, reqs[0].key)
}

func TestRetriesReuseKeyAndBody(t *testing.T) {
	pending := string(fixture(t, "payment_sber_loan_pending.json"))
	for _, tc := range []struct {
		name  string
		first func(http.ResponseWriter, *http.Request)
	}{
		{"500", reply(500, string(fixture(t, "error_500_internal.json")))},
		{"502 without a body", reply(502, "")},
		{"202 processing", reply(202, `{"type":"processing","retry_after":1}`)},
		{"429", reply(429, `{"type":"error","code":"too_many_requests","retry_after":1}`)},
		{"connection reset", resetConnection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScriptedServer(t, tc.first, tc.first, reply(200, pending))
			c := serverClient(t, srv.URL, fastRetries)
			p, err := c.CreatePayment(context.Background(), sberLoanRequest())
			require.NoError(t, err)
			assert.Equal(t, paymentID, p.ID)
			reqs := srv.requests()
			assert.Len(t, reqs, 3)
			requireSameKeyAndBody(t, reqs)
		})
	}
}

func TestExhaustedRetriesReportOutcomeUnknown(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request)
		is     error
	}{
		{"500", reply(500, string(fixture(t, "error_500_internal.json"))), yookassa.ErrInternal},
		{"202", reply(202, `{"type":"processing","retry_after":1}`), nil},
		{"connection reset", resetConnection, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newScriptedServer(t, tc.answer)
			c := serverClient(t, srv.URL, fastRetries)
			_, err := c.CreatePayment(context.Background(), sberLoanRequest())
			require.ErrorIs(t, err, yookassa.ErrOutcomeUnknown)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			var ou *yookassa.OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			reqs := srv.requests()
			assert.Len(t, reqs, 3, "at most MaxAttempts requests")
			assert.Equal(t, 3, ou.Attempts)
			assert.Equal(t, reqs[0].key, ou.IdempotenceKey)
			assert.Equal(t, "POST", ou.Method)
			assert.Equal(t, "/payments", ou.Path)
			requireSameKeyAndBody(t, reqs)
			assert.Contains(t, err.Error(), ou.IdempotenceKey)
		})
	}
}

func TestOutcomeUnknownKeyRetriesToTheSamePayment(t *testing.T) {
	// The first logical call dies with 500s; the second, with the key from
	// the error, gets the payment.
	pending := string(fixture(t, "payment_sber_loan_pending.json"))
	srv := newScriptedServer(t, reply(500, "{}"), reply(500, "{}"), reply(500, "{}"), reply(200, pending))
	c := serverClient(t, srv.URL, fastRetries)
	_, err := c.CreatePayment(context.Background(), sberLoanRequest())
	var ou *yookassa.OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	p, err := c.CreatePayment(context.Background(), sberLoanRequest(), yookassa.WithIdempotenceKey(ou.IdempotenceKey))
	require.NoError(t, err)
	assert.Equal(t, paymentID, p.ID)
	requireSameKeyAndBody(t, srv.requests())
}

func TestTooManyRequestsExhaustedIsNotOutcomeUnknown(t *testing.T) {
	srv := newScriptedServer(t, reply(429, string(fixture(t, "error_429_too_many_requests.json"))))
	c := serverClient(t, srv.URL, yookassa.RetryPolicy{MaxAttempts: 1})
	_, err := c.CreatePayment(context.Background(), sberLoanRequest())
	require.ErrorIs(t, err, yookassa.ErrTooManyRequests)
	assert.NotErrorIs(t, err, yookassa.ErrOutcomeUnknown, "a 429 was not performed")
	var apiErr *yookassa.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1800*time.Millisecond, apiErr.RetryAfter)
	assert.Regexp(t, uuidV4, apiErr.IdempotenceKey)
}

func TestClientErrorsAreNeverRetried(t *testing.T) {
	for _, tc := range []struct {
		status  int
		fixture string
		is      error
	}{
		{400, "error_400_invalid_request.json", yookassa.ErrInvalidRequest},
		{401, "error_401_invalid_credentials.json", yookassa.ErrInvalidCredentials},
		{403, "error_403_forbidden.json", yookassa.ErrForbidden},
		{404, "error_404_not_found.json", yookassa.ErrNotFound},
		{405, "error_405_method_not_allowed.html", yookassa.ErrInvalidRequest},
		{410, "error_410_gone.json", yookassa.ErrGone},
		{415, "error_415_unsupported_media_type.html", yookassa.ErrInvalidRequest},
		{409, "", nil},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			body := ""
			if tc.fixture != "" {
				body = string(fixture(t, tc.fixture))
			}
			srv := newScriptedServer(t, reply(tc.status, body))
			c := serverClient(t, srv.URL, fastRetries)
			_, err := c.CreatePayment(context.Background(), sberLoanRequest())
			require.Error(t, err)
			assert.Len(t, srv.requests(), 1, "a %d is final", tc.status)
			assert.NotErrorIs(t, err, yookassa.ErrOutcomeUnknown)
			var apiErr *yookassa.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			for _, other := range []error{yookassa.ErrInvalidRequest, yookassa.ErrInvalidCredentials, yookassa.ErrForbidden,
				yookassa.ErrNotFound, yookassa.ErrGone, yookassa.ErrTooManyRequests, yookassa.ErrInternal} {
				if other != tc.is {
					assert.NotErrorIs(t, err, other)
				}
			}
		})
	}
}

func TestErrorObjectIsDecoded(t *testing.T) {
	srv := newScriptedServer(t, reply(400, string(fixture(t, "error_400_invalid_request.json"))))
	c := serverClient(t, srv.URL, fastRetries)
	_, err := c.CancelPayment(context.Background(), paymentID, yookassa.WithIdempotenceKey("k-1"))
	var apiErr *yookassa.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, yookassa.APIError{
		StatusCode: 400, Type: "error", ID: "ab5a11cd-13cc-4e33-af8b-75a74e18dd09", Code: "invalid_request",
		Description: "Idempotence key is too long. Max length is 64", Parameter: "Idempotence-Key",
		IdempotenceKey: "k-1", Method: "POST", Path: "/payments/" + paymentID + "/cancel",
	}, *apiErr)
	assert.Equal(t, "yookassa: POST /payments/"+paymentID+"/cancel: 400 invalid_request: Idempotence key is too long. Max length is 64 (parameter Idempotence-Key) [error id ab5a11cd-13cc-4e33-af8b-75a74e18dd09]", err.Error())
}

func TestNonJSONErrorBodies(t *testing.T) {
	srv := newScriptedServer(t, reply(405, string(fixture(t, "error_405_method_not_allowed.html"))))
	c := serverClient(t, srv.URL, fastRetries)
	_, err := c.GetPayment(context.Background(), paymentID)
	var apiErr *yookassa.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 405, apiErr.StatusCode)
	assert.Empty(t, apiErr.Code)
	assert.Contains(t, apiErr.Body, "405 Not Allowed")
	assert.Contains(t, err.Error(), "405 Method Not Allowed")
}

// fakeAPI answers the n-th request with script[n] (the last entry repeats)
// and records every request, without a network: inside a testing/synctest
// bubble its clock is the bubble's fake one, so waits are exact.
type fakeAPI struct {
	mu     sync.Mutex
	script []func(*http.Request) (*http.Response, error)
	seen   []seenRequest
}

func (f *fakeAPI) roundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	f.mu.Lock()
	n := len(f.seen)
	f.seen = append(f.seen, seenRequest{time.Now(), req.Header.Get("Idempotence-Key"), body})
	step := f.script[min(n, len(f.script)-1)]
	f.mu.Unlock()
	return step(req)
}

func (f *fakeAPI) requests() []seenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seenRequest(nil), f.seen...)
}

// fakeReply answers with status, body and header pairs (name, value).
func fakeReply(status int, body string, header ...string) func(*http.Request) (*http.Response, error) {
	return func(req *http.Request) (*http.Response, error) {
		resp := answer(req, status, []byte(body))
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

func newFakeAPI(t *testing.T, script ...func(*http.Request) (*http.Response, error)) (*fakeAPI, *yookassa.Client) {
	f := &fakeAPI{script: script}
	return f, funcClient(t, f.roundTrip, yookassa.WithRetryPolicy(fastRetries))
}

func TestServerDelayIsObeyed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, c := newFakeAPI(t, fakeReply(202, `{"type":"processing","retry_after":150}`), fakeReply(200, string(fixture(t, "payment_sber_loan_pending.json"))))
		_, err := c.CreatePayment(context.Background(), sberLoanRequest())
		require.NoError(t, err)
		reqs := f.requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, 150*time.Millisecond, reqs[1].at.Sub(reqs[0].at), "retry_after is in milliseconds and not clipped to MaxDelay")
	})
}

func TestRetryAfterHeaderIsObeyed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, c := newFakeAPI(t, fakeReply(503, "", "Retry-After", "1"), fakeReply(200, string(fixture(t, "payment_sber_loan_pending.json"))))
		_, err := c.GetPayment(context.Background(), paymentID)
		require.NoError(t, err)
		reqs := f.requests()
		require.Len(t, reqs, 2)
		assert.Equal(t, time.Second, reqs[1].at.Sub(reqs[0].at))
	})
}

func TestCancelEndsTheBackoffAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, c := newFakeAPI(t, fakeReply(500, `{"type":"error","code":"internal_server_error","retry_after":30000}`))
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(20 * time.Millisecond) // the bubble's clock: inside the 30 s wait
			cancel()
		}()
		start := time.Now()
		_, err := c.CreatePayment(ctx, sberLoanRequest())
		assert.Equal(t, 20*time.Millisecond, time.Since(start), "the 30 s wait ends with the context")
		require.ErrorIs(t, err, yookassa.ErrOutcomeUnknown, "the first attempt may have reached YooKassa")
		assert.ErrorIs(t, err, context.Canceled)
		assert.Len(t, f.requests(), 1)
	})
}

func TestDeadlineShorterThanTheWaitStopsEarly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, c := newFakeAPI(t, fakeReply(500, `{"type":"error","code":"internal_server_error","retry_after":30000}`))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := c.CreatePayment(ctx, sberLoanRequest())
		require.ErrorIs(t, err, yookassa.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, yookassa.ErrInternal)
		assert.Zero(t, time.Since(start), "returned at once instead of sleeping into the deadline")
		assert.NoError(t, ctx.Err())
		assert.Len(t, f.requests(), 1)
	})
}

// TestContextEndingMidFlightIsOutcomeUnknown cancels the context once the
// server holds the request, so the request was written whatever the load.
func TestContextEndingMidFlightIsOutcomeUnknown(t *testing.T) {
	arrived := make(chan struct{})
	srv := newScriptedServer(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})
	c := serverClient(t, srv.URL, fastRetries)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := c.CreatePayment(ctx, sberLoanRequest())
	require.ErrorIs(t, err, yookassa.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, srv.requests(), 1)
}

func TestCanceledBeforeSendingIsNotOutcomeUnknown(t *testing.T) {
	srv := newScriptedServer(t, reply(200, "{}"))
	c := serverClient(t, srv.URL, fastRetries)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.CreatePayment(ctx, sberLoanRequest())
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, yookassa.ErrOutcomeUnknown)
	assert.Empty(t, srv.requests())
}

func TestRefusedConnectionIsNotOutcomeUnknown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := serverClient(t, "http://"+addr+"/v3", fastRetries)
	_, err = c.CreatePayment(context.Background(), sberLoanRequest())
	require.Error(t, err)
	assert.NotErrorIs(t, err, yookassa.ErrOutcomeUnknown, "nothing reached the server")
	assert.Contains(t, err.Error(), "POST /payments")
}

func TestGetFailuresAreNotOutcomeUnknown(t *testing.T) {
	srv := newScriptedServer(t, reply(500, "{}"))
	c := serverClient(t, srv.URL, fastRetries)
	_, err := c.GetPayment(context.Background(), paymentID)
	require.ErrorIs(t, err, yookassa.ErrInternal)
	assert.NotErrorIs(t, err, yookassa.ErrOutcomeUnknown, "a read has no effect to be unsure about")
	assert.Len(t, srv.requests(), 3)
}

func TestUndecodableSuccessIsOutcomeUnknown(t *testing.T) {
	srv := newScriptedServer(t, reply(200, `{"id": 42`))
	c := serverClient(t, srv.URL, fastRetries)
	_, err := c.CreatePayment(context.Background(), sberLoanRequest())
	require.ErrorIs(t, err, yookassa.ErrOutcomeUnknown)
	assert.Len(t, srv.requests(), 1, "a 200 is final")
}

// trackingTransport wraps a RoundTripper and records how much of each
// answer was read and whether it was closed.
type trackingTransport struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies []*trackedBody
}

type trackedBody struct {
	io.ReadCloser
	read   atomic.Int64
	closed atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (b *trackedBody) Close() error { b.closed.Store(true); return b.ReadCloser.Close() }

func (tt *trackingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := tt.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	tb := &trackedBody{ReadCloser: resp.Body}
	tt.mu.Lock()
	tt.bodies = append(tt.bodies, tb)
	tt.mu.Unlock()
	resp.Body = tb
	return resp, nil
}

func TestEveryAnswerIsClosedAndErrorBodiesAreBounded(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)
	srv := newScriptedServer(t, reply(500, "{}"), reply(503, huge), reply(400, huge))
	tt := &trackingTransport{next: http.DefaultTransport}
	c := serverClient(t, srv.URL, fastRetries, yookassa.WithHTTPClient(&http.Client{Transport: tt}))
	_, err := c.CreatePayment(context.Background(), sberLoanRequest())
	var apiErr *yookassa.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Len(t, apiErr.Body, 512, "only an excerpt of a non-JSON body is kept")
	require.Len(t, tt.bodies, 3)
	for i, b := range tt.bodies {
		assert.True(t, b.closed.Load(), "answer %d closed", i+1)
		assert.LessOrEqual(t, b.read.Load(), int64(1<<20)+32*1024, "answer %d read past the 1 MiB limit", i+1)
	}
}

func TestMaxAttemptsOneDisablesRetries(t *testing.T) {
	c, mt := mockClient(t, yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
	mt.RegisterResponder("POST", apiBase+"/payments", jsonResponder(500, []byte("{}")))
	_, err := c.CreatePayment(context.Background(), sberLoanRequest())
	assert.ErrorIs(t, err, yookassa.ErrOutcomeUnknown)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestNetworkErrorFromTransportIsRetried(t *testing.T) {
	c, mt := mockClient(t)
	calls := 0
	mt.RegisterResponder("POST", apiBase+"/payments", func(req *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return nil, errors.New("connection reset by peer")
		}
		return jsonResponder(200, fixture(t, "payment_sber_loan_pending.json"))(req)
	})
	_, err := c.CreatePayment(context.Background(), sberLoanRequest())
	require.NoError(t, err)
	assert.Equal(t, 2, calls)
}

// failingWrites is a connection whose writes fail with a reset: the
// request never leaves the machine. Its reads wait until the test ends, so
// that the transport reports the failed write and not a read of the
// connection it closed after it (which would be classed, conservatively,
// as possibly sent).
type failingWrites struct {
	net.Conn
	release <-chan struct{}
}

func (c failingWrites) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.ECONNRESET}
}

func (c failingWrites) Read([]byte) (int, error) {
	<-c.release
	return 0, io.EOF
}

// TestOutcomeIsUnknownOnlyOnceTheRequestWasWritten takes a POST through each
// stage at which a connection can fail, and checks which failures are
// retried and which leave the outcome unknown: only a request that was
// written in full may have reached YooKassa, and a certificate or protocol
// error is final.
func TestOutcomeIsUnknownOnlyOnceTheRequestWasWritten(t *testing.T) {
	quiet := log.New(io.Discard, "", 0)
	for _, tc := range []struct {
		name string
		// setup returns the base URL, extra options, and the number of
		// connections that reached the server (or were dialled).
		setup    func(t *testing.T) (string, []yookassa.Option, func() int64)
		unknown  bool
		attempts int64 // connections expected: 3 when retried, 1 when final
		is       func(t *testing.T, err error)
	}{
		{name: "dial refused", attempts: 3, setup: func(t *testing.T) (string, []yookassa.Option, func() int64) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := ln.Addr().String()
			require.NoError(t, ln.Close())
			var dials atomic.Int64
			d := &net.Dialer{}
			hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
				dials.Add(1)
				return d.DialContext(ctx, network, a)
			}}}
			return "http://" + addr + "/v3", []yookassa.Option{yookassa.WithHTTPClient(hc)}, dials.Load
		}},
		{name: "untrusted certificate", attempts: 1, setup: func(t *testing.T) (string, []yookassa.Option, func() int64) {
			var conns atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				t.Error("no request may reach the server")
			}))
			srv.Config.ErrorLog = quiet
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.StartTLS()
			t.Cleanup(srv.Close)
			return srv.URL + "/v3", nil, conns.Load
		}, is: func(t *testing.T, err error) {
			var certErr *tls.CertificateVerificationError
			assert.ErrorAs(t, err, &certErr)
		}},
		{name: "plain http behind an https URL", attempts: 1, setup: func(t *testing.T) (string, []yookassa.Option, func() int64) {
			var conns atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			srv.Config.ErrorLog = quiet
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			t.Cleanup(srv.Close)
			return strings.Replace(srv.URL, "http://", "https://", 1) + "/v3", nil, conns.Load
		}},
		{name: "reset before the request is written", attempts: 3, setup: func(t *testing.T) (string, []yookassa.Option, func() int64) {
			srv := newScriptedServer(t, reply(200, "{}"))
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			var dials atomic.Int64
			d := &net.Dialer{}
			hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
				dials.Add(1)
				conn, err := d.DialContext(ctx, network, a)
				if err != nil {
					return nil, err
				}
				return failingWrites{conn, release}, nil
			}}}
			return srv.URL, []yookassa.Option{yookassa.WithHTTPClient(hc)}, dials.Load
		}},
		{name: "reset after the request was written", attempts: 3, unknown: true, setup: func(t *testing.T) (string, []yookassa.Option, func() int64) {
			srv := newScriptedServer(t, resetConnection)
			return srv.URL, nil, func() int64 { return int64(len(srv.requests())) }
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, opts, count := tc.setup(t)
			c := serverClient(t, base, fastRetries, opts...)
			_, err := c.CreatePayment(context.Background(), sberLoanRequest())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "POST /payments")
			if tc.unknown {
				assert.ErrorIs(t, err, yookassa.ErrOutcomeUnknown)
			} else {
				assert.NotErrorIs(t, err, yookassa.ErrOutcomeUnknown, "the request cannot have reached the server")
			}
			assert.Equal(t, tc.attempts, count(), "connections: 3 when the failure is retried, 1 when it is final")
			if tc.is != nil {
				tc.is(t, err)
			}
		})
	}
}

// TestCallOptions: a call's own retry policy and timeout, and the metadata
// of its answer.
func TestCallOptions(t *testing.T) {
	pending := string(fixture(t, "payment_sber_loan_pending.json"))
	t.Run("retry policy", func(t *testing.T) {
		for _, attempts := range []int{1, 5} {
			f, c := newFakeAPI(t, fakeReply(500, "{}"))
			_, err := c.GetPayment(context.Background(), paymentID, yookassa.WithCallRetryPolicy(yookassa.RetryPolicy{MaxAttempts: attempts}))
			require.ErrorIs(t, err, yookassa.ErrInternal)
			assert.Len(t, f.requests(), attempts, "the call's policy, not the client's 3 attempts")
		}
		f, c := newFakeAPI(t, fakeReply(200, pending))
		_, err := c.CreatePayment(context.Background(), sberLoanRequest(), yookassa.WithCallRetryPolicy(yookassa.RetryPolicy{}))
		var ve *yookassa.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "MaxAttempts", ve.Field)
		assert.Empty(t, f.requests())
	})
	t.Run("timeout", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c := funcClient(t, func(req *http.Request) (*http.Response, error) {
				<-req.Context().Done()
				return nil, req.Context().Err()
			})
			start := time.Now()
			_, err := c.GetPayment(context.Background(), paymentID, yookassa.WithCallTimeout(2*time.Second))
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 2*time.Second, time.Since(start))
		})
	})
	t.Run("response metadata", func(t *testing.T) {
		f, c := newFakeAPI(t, fakeReply(500, "{}"), fakeReply(200, pending, "X-Request-Id", "req-42", "Signature", "v1 x"))
		var resp yookassa.Response
		p, err := c.CreatePayment(context.Background(), sberLoanRequest(), yookassa.WithIdempotenceKey("order-37.pay"), yookassa.WithResponseInto(&resp))
		require.NoError(t, err)
		assert.Equal(t, paymentID, p.ID)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "req-42", resp.RequestID)
		assert.Equal(t, "v1 x", resp.Header.Get("Signature"))
		assert.Equal(t, "order-37.pay", resp.IdempotenceKey)
		assert.Equal(t, 2, resp.Attempts)
		assert.Len(t, f.requests(), 2)

		var untouched yookassa.Response
		_, c = newFakeAPI(t, fakeReply(404, string(fixture(t, "error_404_not_found.json"))))
		_, err = c.GetPayment(context.Background(), paymentID, yookassa.WithResponseInto(&untouched))
		require.ErrorIs(t, err, yookassa.ErrNotFound)
		assert.Zero(t, untouched, "a failed call leaves the response as it was")
	})
}
