package yookassa_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

const (
	canarySecret = "live_CANARY9secret7key3do4not5leak"
	canaryToken  = "AAEAAAAA-CANARY-oauth-token-do-not-leak"
)

// forbidden lists every form in which the credentials could leak.
func forbiddenForms() []string {
	basic := base64.StdEncoding.EncodeToString([]byte(testShopID + ":" + canarySecret))
	return []string{canarySecret, canaryToken, basic, basic[:16], "CANARY"}
}

func requireNoLeak(t *testing.T, where, text string) {
	t.Helper()
	for _, f := range forbiddenForms() {
		require.NotContains(t, text, f, "credential leaked in %s", where)
	}
}

// echoCredentials answers with the request's Authorization header in the
// body: what a misconfigured proxy or a debugging page might do.
func echoCredentials(status int, asJSON bool) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if asJSON {
			reply(status, fmt.Sprintf(`{"type":"error","code":"invalid_request","description":"bad header %s","parameter":"Authorization"}`, auth))(w, r)
			return
		}
		reply(status, "<html>you sent Authorization: "+auth+" and "+strings.TrimPrefix(strings.TrimPrefix(auth, "Bearer "), "Basic ")+"</html>")(w, r)
	}
}

// TestCredentialsNeverLeak drives a Basic and an OAuth client through every
// failure path with debug logging on, and checks error strings (all fmt
// verbs), log lines, and the fmt output of clients and requests.
func TestCredentialsNeverLeak(t *testing.T) {
	paths := map[string]func(http.ResponseWriter, *http.Request){
		"400 json":         reply(400, string(fixture(t, "error_400_invalid_request.json"))),
		"401":              reply(401, string(fixture(t, "error_401_invalid_credentials.json"))),
		"403":              reply(403, string(fixture(t, "error_403_forbidden.json"))),
		"404":              reply(404, string(fixture(t, "error_404_not_found.json"))),
		"405 html":         reply(405, string(fixture(t, "error_405_method_not_allowed.html"))),
		"410":              reply(410, string(fixture(t, "error_410_gone.json"))),
		"415 html":         reply(415, string(fixture(t, "error_415_unsupported_media_type.html"))),
		"429":              reply(429, `{"type":"error","code":"too_many_requests","retry_after":1}`),
		"500":              reply(500, string(fixture(t, "error_500_internal.json"))),
		"502 empty":        reply(502, ""),
		"202 exhausted":    reply(202, `{"type":"processing","retry_after":1}`),
		"connection reset": resetConnection,
		"bad json 200":     reply(200, `{"id":`),
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://evil.example/steal", http.StatusFound)
		},
		"echo in json":   echoCredentials(400, true),
		"echo in html":   echoCredentials(400, false),
		"echo on 500":    echoCredentials(500, false),
		"slow (timeout)": func(http.ResponseWriter, *http.Request) { time.Sleep(300 * time.Millisecond) },
	}
	for _, oauth := range []bool{false, true} {
		for name, answer := range paths {
			t.Run(fmt.Sprintf("oauth=%v/%s", oauth, name), func(t *testing.T) {
				srv := newScriptedServer(t, answer)
				var logs bytes.Buffer
				opts := []yookassa.Option{
					yookassa.WithBaseURL(srv.URL), yookassa.WithRetryPolicy(fastRetries),
					yookassa.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
				}
				var c *yookassa.Client
				var err error
				if oauth {
					c, err = yookassa.NewOAuthClient(canaryToken, opts...)
				} else {
					c, err = yookassa.NewClient(testShopID, canarySecret, opts...)
				}
				require.NoError(t, err)
				ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
				defer cancel()
				var errs []error
				_, e := c.CreatePayment(ctx, sberLoanRequest())
				errs = append(errs, e)
				_, e = c.GetPayment(ctx, paymentID)
				errs = append(errs, e)
				_, e = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: paymentID, Amount: rub("1.00")})
				errs = append(errs, e)
				if oauth && name != "bad json 200" { // DELETE ignores the body of a 200
					errs = append(errs, c.DeleteWebhook(ctx, "wh-1"))
				}
				for i, e := range errs {
					require.Error(t, e, "call %d", i)
					for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
						requireNoLeak(t, "error "+verb, fmt.Sprintf(verb, e))
					}
				}
				requireNoLeak(t, "debug log", logs.String())
				for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
					requireNoLeak(t, "client "+verb, fmt.Sprintf(verb, c))
					requireNoLeak(t, "client value "+verb, fmt.Sprintf(verb, *c))
				}
			})
		}
	}
}

func TestConstructionErrorsDoNotEchoSecrets(t *testing.T) {
	for _, secret := range []string{canarySecret + "\n", "\r" + canarySecret} {
		_, err := yookassa.NewClient(testShopID, secret)
		require.Error(t, err)
		requireNoLeak(t, "NewClient error", fmt.Sprintf("%+v %#v", err, err))
	}
	_, err := yookassa.NewOAuthClient(canaryToken + " x")
	require.Error(t, err)
	requireNoLeak(t, "NewOAuthClient error", fmt.Sprintf("%+v %#v", err, err))
	_, err = yookassa.NewClient(testShopID, canarySecret, yookassa.WithBaseURL("https://u:"+canarySecret+"@api.yookassa.ru/v3"))
	require.Error(t, err)
	requireNoLeak(t, "WithBaseURL error", fmt.Sprintf("%+v", err))
}

func TestDialFailureDoesNotLeak(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, err := yookassa.NewClient(testShopID, canarySecret, yookassa.WithBaseURL("http://"+addr+"/v3"), yookassa.WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	_, err = c.CreatePayment(context.Background(), sberLoanRequest())
	require.Error(t, err)
	requireNoLeak(t, "dial error", fmt.Sprintf("%+v", err))
}

func TestEchoedCredentialsAreScrubbed(t *testing.T) {
	srv := newScriptedServer(t, echoCredentials(400, false))
	c := serverClient(t, srv.URL, fastRetries)
	_, err := c.GetPayment(context.Background(), paymentID)
	var apiErr *yookassa.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Body, "[redacted]", "the echo is kept, the secret is not")
	assert.NotContains(t, apiErr.Body, testSecret)
}
