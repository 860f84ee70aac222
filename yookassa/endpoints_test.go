package yookassa_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

var (
	uuidV4  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	ymAgent = regexp.MustCompile(`^[^ /]+/[^ /]+ Go/[^ /]+ YooKassa\.Go/` + regexp.QuoteMeta(yookassa.Version) + `$`)
)

// recorded is one request as the mock transport saw it.
type recorded struct {
	method, path string
	query        url.Values
	header       http.Header
	body         []byte
}

// recordingResponder records each request and answers with status and body.
func recordingResponder(into *[]recorded, status int, body []byte) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		var b []byte
		if req.Body != nil {
			b, _ = io.ReadAll(req.Body)
		}
		*into = append(*into, recorded{req.Method, req.URL.Path, req.URL.Query(), req.Header.Clone(), b})
		return jsonResponder(status, body)(req)
	}
}

func decodeFixture[T any](t *testing.T, name string) *T {
	t.Helper()
	v := new(T)
	require.NoError(t, json.Unmarshal(fixture(t, name), v))
	return v
}

const paymentID = "22c5d0f0-000f-5000-8000-13ece77bc6c1"

// TestEndpointsSendTheDocumentedRequests checks, for every endpoint, the
// method, path, query, headers and body on the wire, and the decoding of the
// documented answer.
func TestEndpointsSendTheDocumentedRequests(t *testing.T) {
	ctx := context.Background()
	created := time.Date(2021, 6, 22, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name        string
		oauth       bool
		method      string
		path        string
		query       url.Values
		requestBody string // fixture name, "{}" or "" for no body
		answer      string // fixture name of the answer
		call        func(c *yookassa.Client) (any, error)
		check       func(t *testing.T, got any)
	}{
		{
			name: "CreatePayment", method: "POST", path: "/v3/payments",
			requestBody: "payment_create_with_receipt_request.json", answer: "payment_sber_loan_pending.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.CreatePayment(ctx, decodeFixture[yookassa.PaymentRequest](t, "payment_create_with_receipt_request.json"))
			},
			check: func(t *testing.T, got any) {
				p := got.(*yookassa.Payment)
				assert.Equal(t, yookassa.PaymentStatusPending, p.Status)
				assert.Contains(t, p.Confirmation.ConfirmationURL, "orderId="+paymentID)
			},
		},
		{
			name: "GetPayment", method: "GET", path: "/v3/payments/" + paymentID,
			answer: "payment_sber_loan_succeeded_installments.json",
			call:   func(c *yookassa.Client) (any, error) { return c.GetPayment(ctx, paymentID) },
			check: func(t *testing.T, got any) {
				assert.Equal(t, yookassa.LoanOptionInstallments(12), got.(*yookassa.Payment).PaymentMethod.LoanOption)
			},
		},
		{
			name: "ListPayments", method: "GET", path: "/v3/payments",
			query: url.Values{"created_at.gte": {"2021-06-22T00:00:00.000Z"}, "status": {"waiting_for_capture"},
				"payment_method": {"sber_loan"}, "limit": {"2"}, "cursor": {"c1"}},
			answer: "payment_list.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.ListPayments(ctx, &yookassa.PaymentListParams{CreatedAtGTE: created, Status: yookassa.PaymentStatusWaitingForCapture,
					PaymentMethod: yookassa.PaymentMethodSberLoan, Limit: 2, Cursor: "c1"})
			},
			check: func(t *testing.T, got any) {
				l := got.(*yookassa.PaymentList)
				assert.Len(t, l.Items, 2)
				assert.Equal(t, "37a5c87d-3984-51e8-a7f3-8de646d39ec15", l.NextCursor)
			},
		},
		{
			name: "CapturePayment full", method: "POST", path: "/v3/payments/" + paymentID + "/capture",
			requestBody: "{}", answer: "payment_sber_loan_succeeded_installments.json",
			call: func(c *yookassa.Client) (any, error) { return c.CapturePayment(ctx, paymentID, nil) },
		},
		{
			name: "CapturePayment partial", method: "POST", path: "/v3/payments/" + paymentID + "/capture",
			requestBody: "capture_partial_request.json", answer: "payment_sber_loan_succeeded_installments.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.CapturePayment(ctx, paymentID, decodeFixture[yookassa.CaptureRequest](t, "capture_partial_request.json"))
			},
		},
		{
			name: "CancelPayment", method: "POST", path: "/v3/payments/" + paymentID + "/cancel",
			answer: "payment_sber_loan_pending.json",
			call:   func(c *yookassa.Client) (any, error) { return c.CancelPayment(ctx, paymentID) },
		},
		{
			name: "CreateRefund", method: "POST", path: "/v3/refunds",
			requestBody: "refund_partial_request.json", answer: "refund_succeeded.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.CreateRefund(ctx, decodeFixture[yookassa.RefundRequest](t, "refund_partial_request.json"))
			},
			check: func(t *testing.T, got any) {
				assert.True(t, got.(*yookassa.Refund).Amount.Equal(rub("2250")))
			},
		},
		{
			name: "GetRefund", method: "GET", path: "/v3/refunds/216749f7-0016-50be-b000-078d43a63ae4",
			answer: "refund_succeeded.json",
			call:   func(c *yookassa.Client) (any, error) { return c.GetRefund(ctx, "216749f7-0016-50be-b000-078d43a63ae4") },
		},
		{
			name: "ListRefunds", method: "GET", path: "/v3/refunds",
			query:  url.Values{"payment_id": {paymentID}, "status": {"succeeded"}, "created_at.lt": {"2021-06-22T00:00:00.000Z"}},
			answer: "refund_list.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.ListRefunds(ctx, &yookassa.RefundListParams{PaymentID: paymentID, Status: yookassa.RefundStatusSucceeded, CreatedAtLT: created})
			},
		},
		{
			name: "CreateReceipt", method: "POST", path: "/v3/receipts",
			requestBody: "receipt_create_request.json", answer: "receipt_succeeded.json",
			call: func(c *yookassa.Client) (any, error) {
				// The fixture's "send": true comes back though the request
				// has no Send field.
				return c.CreateReceipt(ctx, decodeFixture[yookassa.ReceiptRequest](t, "receipt_create_request.json"))
			},
		},
		{
			name: "GetReceipt", method: "GET", path: "/v3/receipts/rt-1da5c87d-0984-50e8-a7f3-8de646dd9ec9",
			answer: "receipt_succeeded.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.GetReceipt(ctx, "rt-1da5c87d-0984-50e8-a7f3-8de646dd9ec9")
			},
		},
		{
			name: "ListReceipts", method: "GET", path: "/v3/receipts",
			query: url.Values{"refund_id": {"216749f7-0016-50be-b000-078d43a63ae4"}, "status": {"pending"}}, answer: "receipt_list.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.ListReceipts(ctx, &yookassa.ReceiptListParams{RefundID: "216749f7-0016-50be-b000-078d43a63ae4", Status: yookassa.ReceiptStatusPending})
			},
		},
		{
			name: "CreateWebhook", oauth: true, method: "POST", path: "/v3/webhooks",
			requestBody: "webhook_create_request.json", answer: "webhook.json",
			call: func(c *yookassa.Client) (any, error) {
				return c.CreateWebhook(ctx, &yookassa.WebhookRequest{Event: yookassa.EventPaymentSucceeded, URL: "https://www.example.com/notification_url"})
			},
		},
		{
			name: "ListWebhooks", oauth: true, method: "GET", path: "/v3/webhooks", answer: "webhook_list.json",
			call: func(c *yookassa.Client) (any, error) { return c.ListWebhooks(ctx) },
			check: func(t *testing.T, got any) {
				assert.Len(t, got.(*yookassa.WebhookList).Items, 2)
			},
		},
		{
			name: "DeleteWebhook", oauth: true, method: "DELETE", path: "/v3/webhooks/wh-e44e8088-bd73-43b1-959a-954f3a7d0c54",
			call: func(c *yookassa.Client) (any, error) {
				return nil, c.DeleteWebhook(ctx, "wh-e44e8088-bd73-43b1-959a-954f3a7d0c54")
			},
		},
		{
			name: "Me", method: "GET", path: "/v3/me", query: url.Values{"on_behalf_of": {"6321"}}, answer: "me.json",
			call: func(c *yookassa.Client) (any, error) { return c.Me(ctx, &yookassa.MeParams{OnBehalfOf: "6321"}) },
			check: func(t *testing.T, got any) {
				me := got.(*yookassa.Me)
				assert.Equal(t, "avanpost", me.Fiscalization.Provider)
				assert.True(t, me.PayoutBalance.Equal(rub("1000")))
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			opts := []yookassa.Option{yookassa.WithHTTPClient(&http.Client{Transport: mt})}
			var c *yookassa.Client
			var err error
			wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte(testShopID+":"+testSecret))
			if tc.oauth {
				c, err = yookassa.NewOAuthClient("oauth-token-canary", opts...)
				wantAuth = "Bearer oauth-token-canary"
			} else {
				c, err = yookassa.NewClient(testShopID, testSecret, opts...)
			}
			require.NoError(t, err)
			answer := []byte("{}")
			if tc.answer != "" {
				answer = fixture(t, tc.answer)
			}
			var reqs []recorded
			mt.RegisterResponder(tc.method, "=~^"+regexp.QuoteMeta(apiBase), recordingResponder(&reqs, 200, answer))

			got, err := tc.call(c)
			require.NoError(t, err)
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.method)
			assert.Equal(t, tc.path, r.path)
			if tc.query == nil {
				tc.query = url.Values{}
			}
			assert.Equal(t, tc.query, r.query)
			assert.Equal(t, wantAuth, r.header.Get("Authorization"))
			assert.Equal(t, "yookassa-go/"+yookassa.Version, r.header.Get("User-Agent"))
			assert.Regexp(t, ymAgent, r.header.Get("YM-User-Agent"))
			if tc.method == "GET" {
				assert.Empty(t, r.header.Values("Idempotence-Key"), "GET carries no key")
				assert.Empty(t, r.body)
			} else {
				assert.Regexp(t, uuidV4, r.header.Get("Idempotence-Key"))
			}
			if tc.method == "POST" {
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			}
			switch tc.requestBody {
			case "":
				assert.Empty(t, r.body)
			case "{}":
				assert.JSONEq(t, "{}", string(r.body))
			default:
				requireJSONEqual(t, fixture(t, tc.requestBody), r.body)
			}
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

func TestKeysAreFreshPerCallAndPinnable(t *testing.T) {
	c, mt := mockClient(t)
	var reqs []recorded
	mt.RegisterResponder("POST", apiBase+"/payments/"+paymentID+"/cancel", recordingResponder(&reqs, 200, fixture(t, "payment_sber_loan_pending.json")))
	ctx := context.Background()
	for range 2 {
		_, err := c.CancelPayment(ctx, paymentID)
		require.NoError(t, err)
	}
	_, err := c.CancelPayment(ctx, paymentID, yookassa.WithIdempotenceKey("order-37.cancel"))
	require.NoError(t, err)
	require.Len(t, reqs, 3)
	assert.NotEqual(t, reqs[0].header.Get("Idempotence-Key"), reqs[1].header.Get("Idempotence-Key"))
	assert.Equal(t, "order-37.cancel", reqs[2].header.Get("Idempotence-Key"))
}

func TestInvalidIdempotenceKeyIsRefusedBeforeSending(t *testing.T) {
	c, mt := mockClient(t)
	for _, key := range []string{"with space", "кириллица", "a/b", string(make([]byte, 65))} {
		_, err := c.CancelPayment(context.Background(), paymentID, yookassa.WithIdempotenceKey(key))
		var ve *yookassa.ValidationError
		require.ErrorAs(t, err, &ve, "key %q", key)
		assert.Equal(t, "Idempotence-Key", ve.Field)
	}
	assert.Equal(t, 0, mt.GetTotalCallCount())
	assert.True(t, yookassa.ValidIdempotenceKey("A-z_0.9+"))
	assert.True(t, yookassa.ValidIdempotenceKey(string(make64('k'))))
}

func make64(b byte) []byte {
	out := make([]byte, 64)
	for i := range out {
		out[i] = b
	}
	return out
}

func TestWebhooksNeedOAuth(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	_, err := c.CreateWebhook(ctx, &yookassa.WebhookRequest{Event: yookassa.EventPaymentSucceeded, URL: "https://example.com/hook"})
	assert.ErrorIs(t, err, yookassa.ErrOAuthRequired)
	_, err = c.ListWebhooks(ctx)
	assert.ErrorIs(t, err, yookassa.ErrOAuthRequired)
	assert.ErrorIs(t, c.DeleteWebhook(ctx, "wh-1"), yookassa.ErrOAuthRequired)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestIteratorsWalkEveryPage(t *testing.T) {
	c, mt := mockClient(t)
	page1 := fixture(t, "payment_list.json")
	page2 := []byte(`{"type":"list","items":[{"id":"p3","status":"succeeded","amount":{"value":"1.00","currency":"RUB"},"created_at":"2021-06-20T00:00:00.000Z","paid":true,"test":false,"refundable":true}]}`)
	var seenCursors []string
	mt.RegisterResponder("GET", apiBase+"/payments", func(req *http.Request) (*http.Response, error) {
		cursor := req.URL.Query().Get("cursor")
		seenCursors = append(seenCursors, cursor)
		assert.Equal(t, "sber_loan", req.URL.Query().Get("payment_method"), "filters are kept on every page")
		if cursor == "" {
			return jsonResponder(200, page1)(req)
		}
		return jsonResponder(200, page2)(req)
	})
	var ids []string
	for p, err := range c.Payments(context.Background(), &yookassa.PaymentListParams{PaymentMethod: yookassa.PaymentMethodSberLoan}) {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{paymentID, "2a1f6b3e-000f-5000-9000-1b2e3c4d5e6f", "p3"}, ids)
	assert.Equal(t, []string{"", "37a5c87d-3984-51e8-a7f3-8de646d39ec15"}, seenCursors)

	// Stopping early fetches no further page.
	seenCursors = nil
	for range c.Payments(context.Background(), &yookassa.PaymentListParams{PaymentMethod: yookassa.PaymentMethodSberLoan}) {
		break
	}
	assert.Len(t, seenCursors, 1)
}

func TestIteratorsYieldTheError(t *testing.T) {
	c, mt := mockClient(t)
	mt.RegisterResponder("GET", apiBase+"/refunds", jsonResponder(401, fixture(t, "error_401_invalid_credentials.json")))
	mt.RegisterResponder("GET", apiBase+"/receipts", jsonResponder(200, fixture(t, "receipt_list.json")))
	n := 0
	for r, err := range c.Refunds(context.Background(), nil) {
		n++
		assert.Nil(t, r)
		assert.ErrorIs(t, err, yookassa.ErrInvalidCredentials)
	}
	assert.Equal(t, 1, n)

	assert.Equal(t, 1, n)
}

// pagedLists serves /payments, /refunds and /receipts as cursor-paged
// lists: next maps a request's cursor to the page's next_cursor (absent:
// the last page), and each page holds one item named after its cursor.
func pagedLists(t *testing.T, next map[string]string) (*yookassa.Client, *atomic.Int64) {
	var requests atomic.Int64
	c := funcClient(t, func(req *http.Request) (*http.Response, error) {
		requests.Add(1)
		cursor := req.URL.Query().Get("cursor")
		page := map[string]any{"type": "list", "items": []map[string]string{{"id": "item-" + cursor}}}
		if n, ok := next[cursor]; ok {
			page["next_cursor"] = n
		}
		body, err := json.Marshal(page)
		if err != nil {
			return nil, err
		}
		return answer(req, 200, body), nil
	})
	return c, &requests
}

// collect ranges over seq and returns the ids and errors it yields.
func collect[T any](seq iter.Seq2[*T, error], id func(*T) string) (ids []string, errs []error) {
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, id(v))
	}
	return ids, errs
}

// iterators returns, for each listing iterator, a function that ranges over
// one iter.Seq2 value made once, every time it is called.
func iterators(c *yookassa.Client) map[string]func() ([]string, []error) {
	ctx := context.Background()
	payments := c.Payments(ctx, &yookassa.PaymentListParams{Limit: 1})
	refunds := c.Refunds(ctx, &yookassa.RefundListParams{Limit: 1})
	receipts := c.Receipts(ctx, &yookassa.ReceiptListParams{Limit: 1})
	return map[string]func() ([]string, []error){
		"Payments": func() ([]string, []error) { return collect(payments, func(p *yookassa.Payment) string { return p.ID }) },
		"Refunds":  func() ([]string, []error) { return collect(refunds, func(r *yookassa.Refund) string { return r.ID }) },
		"Receipts": func() ([]string, []error) { return collect(receipts, func(r *yookassa.Receipt) string { return r.ID }) },
	}
}

// TestIteratorsRestartFromTheParams ranges twice over the same iterator,
// then from several goroutines at once (run with -race): every range walks
// all three pages from the caller's params.
func TestIteratorsRestartFromTheParams(t *testing.T) {
	c, _ := pagedLists(t, map[string]string{"": "c1", "c1": "c2"})
	want := []string{"item-", "item-c1", "item-c2"}
	for name, walk := range iterators(c) {
		t.Run(name, func(t *testing.T) {
			for i := range 2 {
				ids, errs := walk()
				assert.Empty(t, errs)
				assert.Equal(t, want, ids, "range %d", i+1)
			}
			var wg sync.WaitGroup
			results := make([][]string, 4)
			for g := range results {
				wg.Go(func() { results[g], _ = walk() })
			}
			wg.Wait()
			for g, ids := range results {
				assert.Equal(t, want, ids, "goroutine %d", g)
			}
		})
	}
}

// TestIteratorsStopAtACursorCycle serves c1 -> c2 -> c1: each iterator
// requests the three pages once and ends with an error naming the cursor.
func TestIteratorsStopAtACursorCycle(t *testing.T) {
	for _, tc := range []struct {
		name   string
		next   map[string]string
		cursor string
		ids    []string
	}{
		{"c1 -> c2 -> c1", map[string]string{"": "c1", "c1": "c2", "c2": "c1"}, "c1", []string{"item-", "item-c1", "item-c2"}},
		{"a page naming itself", map[string]string{"": "same", "same": "same"}, "same", []string{"item-", "item-same"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, requests := pagedLists(t, tc.next)
			for name, walk := range iterators(c) {
				requests.Store(0)
				ids, errs := walk()
				assert.Equal(t, tc.ids, ids, name)
				require.Len(t, errs, 1, name)
				assert.ErrorIs(t, errs[0], yookassa.ErrCursorCycle, name)
				assert.Contains(t, errs[0].Error(), strconv.Quote(tc.cursor), name)
				assert.Equal(t, int64(len(tc.ids)), requests.Load(), "%s: no page is requested twice", name)
			}
		})
	}
}

func TestListParamsAreChecked(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	_, err := c.ListPayments(ctx, &yookassa.PaymentListParams{Limit: 101})
	var ve *yookassa.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "limit", ve.Field)
	_, err = c.ListReceipts(ctx, &yookassa.ReceiptListParams{PaymentID: "a", RefundID: "b"})
	require.ErrorAs(t, err, &ve)
	_, err = c.GetPayment(ctx, "../me")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "payment_id", ve.Field)
	_, err = c.GetPayment(ctx, "")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
