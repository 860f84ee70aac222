package yookassa_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

func TestNewClientRefusesBadCredentials(t *testing.T) {
	for _, tc := range []struct{ shop, secret, field string }{
		{"", "s", "shopID"}, {"a:b", "s", "shopID"}, {"1", "", "secretKey"}, {"1", "a\nb", "secretKey"},
	} {
		_, err := yookassa.NewClient(tc.shop, tc.secret)
		var ve *yookassa.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, tc.field, ve.Field)
		assert.NotContains(t, err.Error(), tc.secret+"x")
	}
	_, err := yookassa.NewOAuthClient("")
	assert.Error(t, err)
	_, err = yookassa.NewOAuthClient("two words")
	assert.Error(t, err)
}

func TestWithBaseURL(t *testing.T) {
	for _, ok := range []string{"https://api.yookassa.ru/v3", "https://api.yookassa.ru/v3/", "http://127.0.0.1:8080/v3",
		"http://localhost:1234", "http://[::1]:9/v3", "https://proxy.internal:8443/yookassa/v3"} {
		_, err := yookassa.NewClient("1", "s", yookassa.WithBaseURL(ok))
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"http://api.yookassa.ru/v3", "ftp://127.0.0.1", "https://user:pw@api.yookassa.ru/v3",
		"127.0.0.1:8080", "https://", "https://api.yookassa.ru/v3?x=1", "http://10.0.0.1/v3", "http://localhost.evil.com/v3"} {
		_, err := yookassa.NewClient("1", "s", yookassa.WithBaseURL(bad))
		var ve *yookassa.ValidationError
		assert.ErrorAs(t, err, &ve, bad)
	}
	_, err := yookassa.NewClient("1", "s", yookassa.WithRetryPolicy(yookassa.RetryPolicy{}))
	assert.Error(t, err, "MaxAttempts 0")
	_, err = yookassa.NewClient("1", "s", yookassa.WithHTTPClient(nil))
	assert.Error(t, err)
}

func TestTrailingSlashInBaseURL(t *testing.T) {
	c, mt := mockClient(t, yookassa.WithBaseURL("https://api.yookassa.ru/v3/"))
	var reqs []recorded
	mt.RegisterResponder("GET", apiBase+"/me", recordingResponder(&reqs, 200, fixture(t, "me.json")))
	_, err := c.Me(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	assert.Equal(t, "/v3/me", reqs[0].path)
}

func TestUserAgentOption(t *testing.T) {
	c, mt := mockClient(t, yookassa.WithUserAgent("MyShop/2.1"))
	var reqs []recorded
	mt.RegisterResponder("GET", apiBase+"/me", recordingResponder(&reqs, 200, fixture(t, "me.json")))
	_, err := c.Me(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "MyShop/2.1 yookassa-go/"+yookassa.Version, reqs[0].header.Get("User-Agent"))
	assert.True(t, strings.HasSuffix(reqs[0].header.Get("YM-User-Agent"), "YooKassa.Go/"+yookassa.Version+" MyShop/2.1"))
}

func TestClientNeverPrintsItsSecret(t *testing.T) {
	basic, err := yookassa.NewClient(testShopID, testSecret)
	require.NoError(t, err)
	oauth, err := yookassa.NewOAuthClient("oauth-token-canary")
	require.NoError(t, err)
	for _, c := range []*yookassa.Client{basic, oauth} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%T %v"} {
			for _, v := range []any{c, *c, []any{c}, struct{ C *yookassa.Client }{c}} {
				out := fmt.Sprintf(verb, v)
				assert.NotContains(t, out, testSecret, verb)
				assert.NotContains(t, out, "oauth-token-canary", verb)
				assert.NotContains(t, out, "dGVzd", "base64 of the credentials") // "test..." in base64
			}
		}
	}
	assert.Contains(t, fmt.Sprint(basic), "shop 100500")
	assert.Contains(t, fmt.Sprint(basic), "redacted")
}

func TestCardDataIsMaskedWhenPrinted(t *testing.T) {
	card := yookassa.CardData{Number: "5105105105105100", ExpiryYear: "2030", ExpiryMonth: "07", CSC: "123", Cardholder: "JOHN SMITH"}
	req := &yookassa.PaymentRequest{PaymentMethodData: &yookassa.PaymentMethodData{Type: "bank_card", Card: &card}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{card, &card, *req.PaymentMethodData} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, "5105105105105100", verb)
			assert.NotContains(t, out, "510510", verb)
			assert.NotContains(t, out, "123}", verb)
			assert.NotContains(t, out, "CSC:123", verb)
		}
	}
	assert.Contains(t, fmt.Sprint(card), "****5100")
}

func TestDebugLogHasTheFactsAndNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := newScriptedServer(t, reply(500, "{}"), reply(200, string(fixture(t, "payment_sber_loan_pending.json"))))
	c := serverClient(t, srv.URL, fastRetries, yookassa.WithLogger(logger))
	req := sberLoanRequest()
	req.PaymentMethodData = &yookassa.PaymentMethodData{Type: "bank_card", Card: &yookassa.CardData{Number: "5105105105105100", ExpiryYear: "2030", ExpiryMonth: "07", CSC: "987"}}
	_, err := c.CreatePayment(context.Background(), req, yookassa.WithIdempotenceKey("order-37.pay"))
	require.NoError(t, err)
	log := buf.String()
	lines := strings.Split(strings.TrimSpace(log), "\n")
	require.Len(t, lines, 2, log)
	for i, want := range []string{`"status":500`, `"status":200`} {
		assert.Contains(t, lines[i], want)
		assert.Contains(t, lines[i], `"method":"POST"`)
		assert.Contains(t, lines[i], `"path":"/payments"`)
		assert.Contains(t, lines[i], fmt.Sprintf(`"attempt":%d`, i+1))
		assert.Contains(t, lines[i], `"idempotence_key":"order-37.pay"`)
		assert.Contains(t, lines[i], `"duration":`)
	}
	// The time and the duration are the only values that vary; they can
	// contain any digits, so the CSC is looked for in everything else, and
	// the set of attributes is fixed.
	for _, line := range lines {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		keys := slices.Sorted(maps.Keys(rec))
		assert.Equal(t, []string{"attempt", "duration", "idempotence_key", "level", "method", "msg", "path", "status", "time"}, keys)
		delete(rec, "time")
		delete(rec, "duration")
		rest, err := json.Marshal(rec)
		require.NoError(t, err)
		for _, secret := range []string{testSecret, "Basic", "5105105105105100", "510510", "987"} {
			assert.NotContains(t, string(rest), secret)
		}
	}
	for _, secret := range []string{testSecret, "Basic", "5105105105105100", "csc"} {
		assert.NotContains(t, log, secret)
	}
}

func TestSilentByDefault(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)
	c, mt := mockClient(t)
	mt.RegisterResponder("GET", apiBase+"/me", jsonResponder(200, fixture(t, "me.json")))
	_, err := c.Me(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

func TestWaitPaymentPollsUntilItLeavesPending(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pending := string(fixture(t, "payment_sber_loan_pending.json"))
		done := string(fixture(t, "payment_sber_loan_succeeded_installments.json"))
		f, c := newFakeAPI(t, fakeReply(200, pending), fakeReply(200, pending), fakeReply(200, pending), fakeReply(200, done))
		p, err := c.WaitPayment(context.Background(), paymentID, yookassa.WithPollInterval(10*time.Millisecond, 25*time.Millisecond))
		require.NoError(t, err)
		assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
		reqs := f.requests()
		require.Len(t, reqs, 4)
		// Fibonacci-like growth: 10, 10, 20 ms (capped at 25).
		gaps := []time.Duration{reqs[1].at.Sub(reqs[0].at), reqs[2].at.Sub(reqs[1].at), reqs[3].at.Sub(reqs[2].at)}
		assert.Equal(t, []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}, gaps)
	})
}

// TestWaitPaymentStopsWithTheContext runs on synctest's fake clock: the
// deadline lands once between two reads and once during a read, and both
// times the last payment read comes back with the context's error.
func TestWaitPaymentStopsWithTheContext(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hangs int // the read that waits until the context ends (0: none)
		reads int
	}{
		{"deadline between reads", 0, 6},
		{"deadline during a read", 4, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				pending := fixture(t, "payment_sber_loan_pending.json")
				reads := 0
				c := funcClient(t, func(req *http.Request) (*http.Response, error) {
					reads++
					if reads == tc.hangs {
						<-req.Context().Done()
						return nil, req.Context().Err()
					}
					return answer(req, 200, pending), nil
				})
				// Reads at 0, 5, 10, 20, 30 and 40 ms; the deadline at 47 ms
				// lands in the wait after the sixth read, or during the
				// fourth read when that one hangs.
				start := time.Now()
				ctx, cancel := context.WithTimeout(context.Background(), 47*time.Millisecond)
				defer cancel()
				p, err := c.WaitPayment(ctx, paymentID, yookassa.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				require.NotNil(t, p, "the last state read is returned")
				assert.Equal(t, yookassa.PaymentStatusPending, p.Status)
				assert.Equal(t, paymentID, p.ID)
				assert.Equal(t, tc.reads, reads)
				assert.Equal(t, 47*time.Millisecond, time.Since(start), "returns when the deadline lands, not later")
			})
		})
	}
}

func TestWaitPaymentReturnsAFailedReadAtOnce(t *testing.T) {
	nf := newScriptedServer(t, reply(404, string(fixture(t, "error_404_not_found.json"))))
	p, err := serverClient(t, nf.URL, fastRetries).WaitPayment(context.Background(), paymentID)
	assert.ErrorIs(t, err, yookassa.ErrNotFound)
	assert.Nil(t, p)
	assert.Len(t, nf.requests(), 1)
}

// TestDefaultClientReusesConnections runs 64 goroutines x 200 CreatePayment
// calls through one default client against a loopback server and counts the
// TCP connections the server accepted.
func TestDefaultClientReusesConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("12,800 calls")
	}
	answer := fixture(t, "payment_sber_loan_pending.json")
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := yookassa.NewClient(testShopID, testSecret, yookassa.WithBaseURL(srv.URL))
	require.NoError(t, err)

	const goroutines, calls = 64, 200
	var wg sync.WaitGroup
	var failures atomic.Int64
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				if _, err := c.CreatePayment(context.Background(), sberLoanRequest()); err != nil {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failures.Load())
	t.Logf("%d calls opened %d TCP connections", goroutines*calls, conns.Load())
	assert.LessOrEqual(t, conns.Load(), int64(2*goroutines), "at most 2 connections per goroutine")
}
