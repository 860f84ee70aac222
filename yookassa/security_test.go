package yookassa_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/leaktest"
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
		"slow (timeout)": func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
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

// credentialForms is every form in which a credential could come back in an
// answer: the raw secret or token, the whole Authorization header, its
// base64 part, and their JSON-escaped forms ("\/", "\u002b", "\u003d").
type credentialForms struct {
	secret, header, encoded string
}

// jsonEscapings are the escaped forms a JSON encoder may write for the
// characters of base64.
func jsonEscapings(s string) []string {
	return []string{
		strings.ReplaceAll(s, "/", `\/`),
		strings.NewReplacer("/", `\/`, "+", `\u002b`, "=", `\u003d`).Replace(s),
		strings.NewReplacer("/", `\u002F`, "+", `\u002B`, "=", `\u003D`).Replace(s),
	}
}

// leakySecret is a secret key whose Basic credentials in base64
// ("MTAwNTAwOkNBTkFSWXNrPz8/Pz8+Pw==") contain "+", "/" and "=", so that
// every escaped form differs from the raw one.
const leakySecret = "CANARYsk?????>?"

// forbidden lists the texts that must not appear: every form, and the
// secret-dependent start of the secret and of its base64, so that a cut-off
// secret is caught too.
func (f credentialForms) forbidden() []string {
	out := []string{f.secret, f.header, f.encoded, f.secret[:10]}
	if len(f.encoded) > 24 {
		out = append(out, f.encoded[10:24])
	}
	for _, s := range []string{f.header, f.encoded} {
		out = append(out, jsonEscapings(s)...)
	}
	return out
}

// TestAPIErrorScrubsEveryFieldAndForm echoes each credential form in each
// string field of YooKassa's error object, and in a non-JSON body, for a
// Basic and an OAuth client, and looks for any of the forms in every field
// of the APIError, in its Error() and in its %v, %+v and %#v.
func TestAPIErrorScrubsEveryFieldAndForm(t *testing.T) {
	secret := leakySecret
	const token = "AAEAAAAA-CANARYtok+/en=="
	basicEnc := base64.StdEncoding.EncodeToString([]byte(testShopID + ":" + secret))
	kinds := []struct {
		name  string
		forms credentialForms
		make  func(opts ...yookassa.Option) (*yookassa.Client, error)
	}{
		{"basic", credentialForms{secret, "Basic " + basicEnc, basicEnc}, func(opts ...yookassa.Option) (*yookassa.Client, error) {
			return yookassa.NewClient(testShopID, secret, opts...)
		}},
		{"oauth", credentialForms{token, "Bearer " + token, token}, func(opts ...yookassa.Option) (*yookassa.Client, error) {
			return yookassa.NewOAuthClient(token, opts...)
		}},
	}
	for _, kind := range kinds {
		f := kind.forms
		// The texts to echo: each raw form, and each JSON-escaped form as
		// it would stand, already escaped, in a string field.
		echoes := []string{f.secret, f.header, f.encoded}
		for _, s := range []string{f.header, f.encoded} {
			echoes = append(echoes, jsonEscapings(s)...)
		}
		for _, field := range []string{"type", "id", "code", "description", "parameter", "reason"} {
			for i, echo := range echoes {
				t.Run(fmt.Sprintf("%s/%s/form%d", kind.name, field, i), func(t *testing.T) {
					obj := map[string]string{"type": "error", "code": "invalid_request", "description": "bad", "parameter": "x"}
					obj[field] = "seen " + echo + " end"
					body, err := json.Marshal(obj)
					require.NoError(t, err)
					checkScrubbed(t, kind.make, f, string(body))
				})
			}
		}
		for i, echo := range echoes {
			t.Run(fmt.Sprintf("%s/body/form%d", kind.name, i), func(t *testing.T) {
				checkScrubbed(t, kind.make, f, "<html>you sent "+echo+"</html>")
			})
			// The echo straddles the 512-byte cut of the excerpt: scrubbed
			// first, nothing of it survives the cut.
			t.Run(fmt.Sprintf("%s/body-cut/form%d", kind.name, i), func(t *testing.T) {
				checkScrubbed(t, kind.make, f, strings.Repeat("x", 512-len(echo)/2)+echo+strings.Repeat("y", 100))
			})
		}
	}
}

func checkScrubbed(t *testing.T, make func(...yookassa.Option) (*yookassa.Client, error), f credentialForms, body string) {
	t.Helper()
	c, mt := func() (*yookassa.Client, *httpmock.MockTransport) {
		mt := httpmock.NewMockTransport()
		c, err := make(yookassa.WithHTTPClient(&http.Client{Transport: mt}), yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
		require.NoError(t, err)
		return c, mt
	}()
	mt.RegisterNoResponder(httpmock.NewStringResponder(400, body))
	_, err := c.GetPayment(context.Background(), paymentID)
	var apiErr *yookassa.APIError
	require.ErrorAs(t, err, &apiErr)
	texts := map[string]string{
		"Error()": err.Error(), "%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", *apiErr),
		"Type": apiErr.Type, "ID": apiErr.ID, "Code": apiErr.Code, "Description": apiErr.Description,
		"Parameter": apiErr.Parameter, "Reason": apiErr.Reason, "Body": apiErr.Body,
	}
	for where, text := range texts {
		for _, form := range f.forbidden() {
			assert.NotContains(t, text, form, "credential form leaked in %s", where)
		}
	}
	assert.Contains(t, fmt.Sprintf("%#v", *apiErr), "[redact", "the echo is kept (perhaps cut), the secret is not")
}

// failureOutput captures what testify prints for a failed assertion.
type failureOutput struct{ strings.Builder }

func (f *failureOutput) Errorf(format string, args ...any) { fmt.Fprintf(&f.Builder, format, args...) }

// TestReflectionCannotPrintCredentials fails an assert.Equal on structs that
// hold clients, so that testify dumps them with its reflection-based
// printer (which ignores Format), and looks for the credentials in the dump.
func TestReflectionCannotPrintCredentials(t *testing.T) {
	basicEnc := base64.StdEncoding.EncodeToString([]byte(testShopID + ":" + canarySecret))
	// Each client gets an HTTP client of its own: the dump walks it, and the
	// shared default one holds live connections of other tests, whose
	// goroutines write to it while it is read.
	basic, err := yookassa.NewClient(testShopID, canarySecret, yookassa.WithHTTPClient(&http.Client{}))
	require.NoError(t, err)
	oauth, err := yookassa.NewOAuthClient(canaryToken, yookassa.WithHTTPClient(&http.Client{}))
	require.NoError(t, err)
	type service struct {
		Name   string
		Client *yookassa.Client
	}
	for _, pair := range [][2]any{
		{service{"a", basic}, service{"b", oauth}},
		{*basic, *oauth},
		{[]*yookassa.Client{basic}, []*yookassa.Client{oauth}},
		{map[string]*yookassa.Client{"c": basic}, map[string]*yookassa.Client{"c": oauth}},
	} {
		var out failureOutput
		assert.Equal(&out, pair[0], pair[1])
		dump := out.String()
		require.NotEmpty(t, dump, "the assertion failed and printed its values")
		for _, form := range []string{canarySecret, canaryToken, basicEnc, "CANARY"} {
			assert.NotContains(t, dump, form)
		}
	}
}

// TestSlogNeverPrintsCardDataOrCredentials logs every type that holds card
// data or credentials, by value and by pointer, alone and in a group,
// through slog's JSON and text handlers.
func TestSlogNeverPrintsCardDataOrCredentials(t *testing.T) {
	const number, csc, holder = "5105105105105100", "9731", "JOHN CANARYHOLDER"
	card := yookassa.CardData{Number: number, ExpiryYear: "2030", ExpiryMonth: "07", CSC: csc, Cardholder: holder}
	data := yookassa.PaymentMethodData{Type: yookassa.PaymentMethodBankCard, Card: &card}
	req := yookassa.PaymentRequest{Amount: rub("100.00"), PaymentMethodData: &data, Description: "order 37"}
	client, err := yookassa.NewClient(testShopID, canarySecret)
	require.NoError(t, err)
	oauth, err := yookassa.NewOAuthClient(canaryToken)
	require.NoError(t, err)
	values := map[string]any{
		"card": card, "*card": &card, "method data": data, "*method data": &data, "request": req, "*request": &req,
		"client": client, "client value": *client, "oauth": oauth,
	}
	basicEnc := base64.StdEncoding.EncodeToString([]byte(testShopID + ":" + canarySecret))
	// The time is left out of the records: its digits could spell the CSC
	// by chance and fail the test for no leak.
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	for handlerName, newHandler := range map[string]func(io.Writer) slog.Handler{
		"json": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, noTime) },
		"text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, noTime) },
	} {
		for name, v := range values {
			var buf bytes.Buffer
			logger := slog.New(newHandler(&buf))
			logger.Info("alone", "v", v)
			logger.Info("grouped", slog.Group("g", slog.Any("v", v)))
			logger.With("w", v).Info("with")
			out := buf.String()
			for _, leak := range []string{number, "510510", csc, holder, "CANARYHOLDER", canarySecret, canaryToken, basicEnc, "CANARY"} {
				assert.NotContains(t, out, leak, "%s handler, %s", handlerName, name)
			}
			if strings.Contains(name, "card") || strings.Contains(name, "method") || strings.Contains(name, "request") {
				assert.Contains(t, out, "5100", "%s handler, %s: the last four digits identify the card", handlerName, name)
			}
		}
	}
}

// The buyer's contacts on a receipt and the passengers' names are personal
// data: no fmt verb and no slog handler prints them, whether the value is
// printed alone or inside the request that carries it.
func TestReceiptContactsAndPassengersStayOutOfPrintsAndLogs(t *testing.T) {
	const inn = "503612345678"
	customer := &yookassa.Customer{FullName: "Петров Пётр Петрович", INN: inn, Email: "user@example.com", Phone: "79001234567"}
	receipt := &yookassa.ReceiptData{Customer: customer, Items: []yookassa.ReceiptItem{{
		Description: "Холодильник", Quantity: dec("1"), Amount: rub("5000.00"),
		VatCode: yookassa.Vat22, PaymentSubject: "commodity", PaymentMode: "full_payment"}}}
	airline := &yookassa.Airline{BookingReference: "IIIKRV", Passengers: []yookassa.Passenger{{FirstName: "Пётр", LastName: "Петров"}}}
	total := rub("5000.00")
	capture := &yookassa.CaptureRequest{Amount: &total, Receipt: receipt, Airline: airline}
	refund := &yookassa.RefundRequest{PaymentID: paymentID, Amount: rub("5000.00"), Receipt: receipt}
	separate := &yookassa.ReceiptRequest{Type: yookassa.ReceiptTypePayment, PaymentID: paymentID, Customer: customer,
		Items: receipt.Items, Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPrepayment, Amount: rub("5000.00")}}}
	secrets := append([]string{inn}, personalCanaries...)
	assert.Empty(t, leaktest.Leaks(secrets, customer, *customer, receipt, *receipt, airline, *airline, airline.Passengers[0],
		capture, *capture, refund, *refund, separate, *separate))
	// Inside a container fmt still calls Format. (A slog JSON handler
	// encodes a container with encoding/json: log the value itself.)
	for _, v := range []any{airline.Passengers, []yookassa.Customer{*customer}, map[string]any{"c": *customer}} {
		for _, verb := range leaktest.Verbs() {
			out := fmt.Sprintf(verb, v)
			requireNoPersonalData(t, out)
			require.NotContains(t, out, inn)
		}
	}
	assert.Contains(t, printAll(*customer), "[redacted]")
	assert.Contains(t, printAll(*receipt), `"email":true`, "the log says which contacts there are")
	assert.Contains(t, printAll(*capture), `"passengers":1`)
}
