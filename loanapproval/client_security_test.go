package loanapproval_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// captureT records what a failing testify assertion prints.
type captureT struct{ out strings.Builder }

func (c *captureT) Errorf(format string, args ...any) { fmt.Fprintf(&c.out, format, args...) }

func TestClientTokenSurvivesNoReflectionDump(t *testing.T) {
	const token = "reflect-canary-7Qz2"
	type holder struct{ Client *loanapproval.Client }
	a := mustClient(t, "https://bank.example/integrations/v1/api/loan_approval", token)
	b := mustClient(t, "https://bank.example/integrations/v1/api/loan_approval", token+"-other")
	var ct captureT
	// A failing assertion dumps both values with spew, which ignores
	// String and Format and follows pointers.
	assert.Equal(&ct, holder{a}, holder{b})
	assert.Equal(&ct, *a, *b)
	assert.Equal(&ct, []any{a}, nil)
	out := ct.out.String()
	require.Contains(t, out, "Not equal", "the assertions failed and printed their dumps")
	assert.NotContains(t, out, token)
	assert.NotContains(t, out, "Bearer")
}

func TestClientRefusesRedirects(t *testing.T) {
	var stolen atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer plain.Close()
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/steal", http.StatusTemporaryRedirect)
	})
	secure := httptest.NewTLSServer(redirect)
	defer secure.Close()
	local := httptest.NewServer(redirect)
	defer local.Close()

	clients := map[string]*loanapproval.Client{
		// An https endpoint answering 307 to plain http, through a caller's
		// *http.Client that would follow it.
		"caller's http.Client": newTestClient(secure, testToken),
		// The client's own *http.Client.
		"default http.Client": mustClient(t, local.URL+"/integrations/v1/api/loan_approval", testToken),
	}
	for name, c := range clients {
		t.Run(name, func(t *testing.T) {
			_, err := c.Send(context.Background(), loanRequest())
			var apiErr *loanapproval.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusTemporaryRedirect, apiErr.StatusCode)
			assert.Contains(t, err.Error(), "redirect not followed")
			assert.NotContains(t, err.Error(), plain.URL)
		})
	}
	assert.Equal(t, int32(0), stolen.Load(), "the token and the phone number never reached the redirect target")
}

func TestClientConstructorRules(t *testing.T) {
	for _, ep := range []string{
		"https://bank.example/integrations/v1/api/loan_approval",
		"http://127.0.0.1:8080/integrations/v1/api/loan_approval",
		"http://127.1.2.3/",
		"http://localhost:9000/",
		"http://[::1]:9000/",
		"https://bank.example/path?partner=yandex",
	} {
		_, err := loanapproval.NewClient(ep, testToken)
		assert.NoError(t, err, ep)
	}
	for ep, reason := range map[string]string{
		"":                                      "scheme must be https",
		"bank.example/path":                     "scheme must be https",
		"ftp://bank.example/":                   "scheme must be https",
		"http://":                               "has no host",
		"https://:443/":                         "has no host",
		"http://bank.example/":                  "plain http is allowed only for loopback hosts",
		"http://10.0.0.1/":                      "plain http is allowed only for loopback hosts",
		"http://localhost.bank.example/":        "plain http is allowed only for loopback hosts",
		"https://user:secret@bank.example/":     "must not carry credentials",
		"https://bank.example/#fragment":        "must not have a fragment",
		"https://bank.example/%zz":              "not a URL",
		"https://bank.example/ loan_approval\n": "not a URL",
	} {
		_, err := loanapproval.NewClient(ep, testToken)
		require.ErrorIs(t, err, loanapproval.ErrInvalidConfig, "%q", ep)
		assert.Contains(t, err.Error(), "endpoint: "+reason, "%q", ep)
		assert.NotContains(t, err.Error(), "secret", "%q", ep)
	}

	const ep = "https://bank.example/integrations/v1/api/loan_approval"
	_, err := loanapproval.NewClient(ep, "")
	assert.ErrorIs(t, err, loanapproval.ErrInvalidConfig, "empty token")
	for name, opt := range map[string]loanapproval.ClientOption{
		"poll URL not a URL":  loanapproval.WithPollURL("::not a url"),
		"poll URL plain http": loanapproval.WithPollURL("http://bank.example/api/banking/loan_approval"),
		"poll URL relative":   loanapproval.WithPollURL("/api/banking/loan_approval"),
		"nil http client":     loanapproval.WithHTTPClient(nil),
		"negative interval":   loanapproval.WithPollInterval(-1, 0),
	} {
		_, err := loanapproval.NewClient(ep, testToken, opt)
		assert.ErrorIs(t, err, loanapproval.ErrInvalidConfig, name)
	}
	_, err = loanapproval.NewClient(ep, testToken, loanapproval.WithPollURL("https://bank.example/api/banking/loan_approval"), nil)
	assert.NoError(t, err, "a nil option is ignored")
}

func TestClientScrubsBeforeCutting(t *testing.T) {
	// A token with the characters JSON encoders like to escape.
	const token = "Zk8/Qm+vR2=wX9-tail"
	escapedForms := []string{
		token,
		`Zk8\/Qm+vR2=wX9-tail`,
		`Zk8\/Qm\u002bvR2\u003dwX9-tail`,
		`Zk8\u002FQm\u002BvR2\u003DwX9-tail`,
	}
	bodies := map[string]func(echo string) string{
		// Not JSON: the start of the body becomes the message; the token
		// straddles the cut at 200 bytes.
		"proxy page": func(echo string) string { return strings.Repeat("x", 190) + echo + strings.Repeat("y", 50) },
		// JSON: every field Error() prints carries it.
		"error body": func(echo string) string {
			return `{"search_id":"` + echo + `","message":"` + strings.Repeat("m", 190) + echo + `","properties":["phone ` + echo + `"]}`
		},
	}
	for name, body := range bodies {
		for _, echo := range escapedForms {
			t.Run(name+" "+echo, func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					w.WriteHeader(http.StatusBadRequest)
					_, _ = fmt.Fprint(w, body(echo))
				}))
				defer srv.Close()
				_, err := newTestClient(srv, token).Send(context.Background(), loanRequest())
				var apiErr *loanapproval.APIError
				require.ErrorAs(t, err, &apiErr)
				all := fmt.Sprintf("%v %+v %#v %q %v", err, apiErr, apiErr, apiErr.SearchID, apiErr.Properties)
				assert.Contains(t, all, "[REDACTED]")
				// No piece of the token long enough to matter survives.
				for _, piece := range []string{"Zk8", "Qm+v", `Qm\u002b`, "R2=", `R2\u003d`, "wX9-tail"} {
					assert.NotContains(t, all, piece)
				}
			})
		}
	}
}

// An endpoint (or a proxy before it) that echoes the request in its error
// answer does not put the applicant's phone number into the error, in a
// JSON error body or in a page that is not JSON.
func TestClientErrorLeavesOutThePhoneNumber(t *testing.T) {
	for name, page := range map[string]func(body string) string{
		"json message": func(body string) string {
			return `{"message":` + strconv.Quote("cannot decide on "+body) + `}`
		},
		"plain page": func(body string) string { return "<h1>400 Bad Request</h1><pre>" + body + "</pre>" },
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, page(string(b)))
			}))
			defer srv.Close()
			req := loanRequest()
			_, err := newTestClient(srv, testToken).Send(context.Background(), req)
			var apiErr *loanapproval.APIError
			require.ErrorAs(t, err, &apiErr)
			require.NotEmpty(t, apiErr.Message)
			assert.NotContains(t, err.Error(), req.PhoneNumber)
			assert.NotContains(t, fmt.Sprintf("%+v", apiErr), req.PhoneNumber)
		})
	}
}

// Check quotes what the endpoint answered in its report, but not the phone
// number it was given, however the endpoint echoes it.
func TestCheckReportLeavesOutThePhoneNumber(t *testing.T) {
	const phone = "79161234567"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = fmt.Fprintf(w, `{"message":%q}`, "failed on "+string(b))
	}))
	defer srv.Close()
	report, err := loanapproval.Check(context.Background(), srv.URL+"/integrations/v1/api/loan_approval", testToken,
		loanapproval.CheckHTTPClient(srv.Client()), loanapproval.CheckPhoneNumber(phone))
	require.NoError(t, err)
	require.False(t, report.Passed())
	out := report.String()
	require.Contains(t, out, "failed on", "the report quotes the answers")
	assert.NotContains(t, out, phone)
}
