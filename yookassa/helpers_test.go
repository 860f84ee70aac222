package yookassa_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

const (
	testShopID = "100500"
	testSecret = "test_SECRET-canary-1f2e3d4c5b6a"
	apiBase    = "https://api.yookassa.ru/v3"
)

// fixture reads a file of the module's testdata directory.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", name))
	require.NoError(t, err)
	return data
}

// mockClient returns a Basic-auth client whose requests go to an httpmock
// transport, with fast retries.
func mockClient(t testing.TB, opts ...yookassa.Option) (*yookassa.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]yookassa.Option{
		yookassa.WithHTTPClient(&http.Client{Transport: mt}),
		yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}),
	}, opts...)
	c, err := yookassa.NewClient(testShopID, testSecret, all...)
	require.NoError(t, err)
	return c, mt
}

// jsonResponder answers with status and body as application/json.
func jsonResponder(status int, body []byte) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json;charset=UTF-8")
		return resp, nil
	}
}

// requireJSONEqual compares two JSON documents by meaning: object keys in
// any order, numbers as decimals, timestamps as instants, and quantity and
// vat_code numbers equal to the same value written as a string.
func requireJSONEqual(t testing.TB, want, got []byte, msgAndArgs ...any) {
	t.Helper()
	w, g := normalizeJSON(t, want), normalizeJSON(t, got)
	if !jsonDeepEqual(w, g) {
		wj, _ := json.MarshalIndent(w, "", "  ")
		gj, _ := json.MarshalIndent(g, "", "  ")
		require.Equal(t, string(wj), string(gj), msgAndArgs...)
	}
}

func normalizeJSON(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "invalid JSON: %s", data)
	return normalizeValue("", v)
}

func normalizeValue(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalizeValue(k, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeValue(key, e)
		}
		return out
	case json.Number:
		d, err := decimal.NewFromString(x.String())
		if err != nil {
			return "number:" + x.String()
		}
		return "number:" + d.String()
	case string:
		if key == "quantity" || key == "vat_code" {
			if d, err := decimal.NewFromString(x); err == nil {
				return "number:" + d.String()
			}
		}
		if strings.Contains(x, "T") {
			if ts, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return "time:" + ts.UTC().Format(time.RFC3339Nano)
			}
		}
		return x
	}
	return v
}

func jsonDeepEqual(a, b any) bool {
	aj, _ := json.Marshal(a)
	bj, _ := json.Marshal(b)
	return bytes.Equal(aj, bj)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func rub(s string) yookassa.Amount { return yookassa.RUB(dec(s)) }

// roundTripFunc is an http.RoundTripper made of a function. Without a
// network it also runs inside a testing/synctest bubble, where time is fake.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// funcClient returns a Basic-auth client that sends every request to rt.
func funcClient(t testing.TB, rt roundTripFunc, opts ...yookassa.Option) *yookassa.Client {
	t.Helper()
	c, err := yookassa.NewClient(testShopID, testSecret, append([]yookassa.Option{
		yookassa.WithHTTPClient(&http.Client{Transport: rt}),
		yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}),
	}, opts...)...)
	require.NoError(t, err)
	return c
}

// answer is a response with status and a JSON body, for roundTripFunc.
func answer(req *http.Request, status int, body []byte) *http.Response {
	return &http.Response{
		StatusCode: status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(bytes.NewReader(body)),
		Request: req,
	}
}
