package yookassa_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

// requestSeeds are request bodies the client sends, each with its
// operation and the Go type that carries it.
var requestSeeds = []struct {
	file, path string
	make       func() validatable
}{
	{"payment_create_with_receipt_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_bank_card_full_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_b2b_sberbank_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_split_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_deal_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_utilities_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_receiver_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_electronic_certificate_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_saved_method_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_token_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"payment_create_sber_loan_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"capture_partial_request.json", "/payments/" + paymentID + "/capture", func() validatable { return new(yookassa.CaptureRequest) }},
	{"capture_split_airline_request.json", "/payments/" + paymentID + "/capture", func() validatable { return new(yookassa.CaptureRequest) }},
	{"capture_deal_request.json", "/payments/" + paymentID + "/capture", func() validatable { return new(yookassa.CaptureRequest) }},
	{"refund_partial_request.json", "/refunds", func() validatable { return new(yookassa.RefundRequest) }},
	{"refund_electronic_certificate_request.json", "/refunds", func() validatable { return new(yookassa.RefundRequest) }},
	{"refund_split_request.json", "/refunds", func() validatable { return new(yookassa.RefundRequest) }},
	{"refund_deal_request.json", "/refunds", func() validatable { return new(yookassa.RefundRequest) }},
	{"receipt_create_refund_marked_request.json", "/receipts", func() validatable { return new(yookassa.ReceiptRequest) }},
	{"receipt_create_request.json", "/receipts", func() validatable { return new(yookassa.ReceiptRequest) }},
	{"deal_create_request.json", "/deals", func() validatable { return new(yookassa.DealRequest) }},
	{"invoice_create_request.json", "/invoices", func() validatable { return new(yookassa.InvoiceRequest) }},
	{"invoice_create_sms_request.json", "/invoices", func() validatable { return new(yookassa.InvoiceRequest) }},
	{"payment_method_create_request.json", "/payment_methods", func() validatable { return new(yookassa.PaymentMethodRequest) }},
	{"payment_method_create_card_request.json", "/payment_methods", func() validatable { return new(yookassa.PaymentMethodRequest) }},
	{"payment_method_create_sbp_request.json", "/payment_methods", func() validatable { return new(yookassa.PaymentMethodRequest) }},
	{"payout_create_bank_card_request.json", "/payouts", func() validatable { return new(yookassa.PayoutRequest) }},
	{"payout_create_deal_request.json", "/payouts", func() validatable { return new(yookassa.PayoutRequest) }},
	{"payout_create_saved_card_request.json", "/payouts", func() validatable { return new(yookassa.PayoutRequest) }},
	{"payout_create_sbp_request.json", "/payouts", func() validatable { return new(yookassa.PayoutRequest) }},
	{"payout_create_yoo_money_request.json", "/payouts", func() validatable { return new(yookassa.PayoutRequest) }},
	{"personal_data_create_sbp_request.json", "/personal_data", func() validatable { return new(yookassa.PersonalDataRequest) }},
	{"personal_data_create_statement_request.json", "/personal_data", func() validatable { return new(yookassa.PersonalDataRequest) }},
	{"webhook_create_request.json", "/webhooks", func() validatable { return new(yookassa.WebhookRequest) }},
}

// TestValidateRefusesWhatTheSpecRefuses changes one thing at a time in
// every request body of testdata/ (each must be among requestSeeds): a
// value is replaced (a string emptied, lengthened, or with a character
// changed; a number made zero, negative, fractional or huge), a member
// removed, an array emptied. Whenever the
// specification refuses the body the client would send for the changed
// request, Validate must have refused it first: a request YooKassa would
// answer with a 400 never leaves.
func TestValidateRefusesWhatTheSpecRefuses(t *testing.T) {
	spec := loadSpec(t)
	header := http.Header{"Content-Type": {"application/json"}, "Idempotence-Key": {"mutated"}, "Authorization": {"Basic eDp5"}}
	check := func(path string, body []byte) error {
		return specRequestError(spec, recorded{method: "POST", path: "/v3" + path, header: header, body: body})
	}
	seeded := map[string]bool{}
	for _, seed := range requestSeeds {
		seeded[seed.file] = true
	}
	bodies, err := filepath.Glob(filepath.Join("..", "testdata", "*_request.json"))
	require.NoError(t, err)
	for _, b := range bodies {
		if name := filepath.Base(b); !strings.HasPrefix(name, "error_") {
			require.True(t, seeded[name], "%s is not among requestSeeds", name)
		}
	}
	for _, seed := range requestSeeds {
		t.Run(strings.TrimSuffix(seed.file, "_request.json"), func(t *testing.T) {
			req := seed.make()
			require.NoError(t, json.Unmarshal(fixture(t, seed.file), req))
			require.NoError(t, req.Validate(), "the seed itself")
			body, err := json.Marshal(req)
			require.NoError(t, err)
			require.NoError(t, check(seed.path, body), "the seed itself:\n%s", body)
			var doc any
			require.NoError(t, json.Unmarshal(body, &doc))

			tried, caught := 0, 0
			var missed []string
			for _, m := range mutations(doc, "") {
				mutated, err := json.Marshal(m.doc)
				require.NoError(t, err)
				req := seed.make()
				if json.Unmarshal(mutated, req) != nil {
					continue // no Go value has this shape
				}
				tried++
				if req.Validate() != nil {
					caught++
					continue
				}
				sent, err := json.Marshal(req)
				require.NoError(t, err)
				if err := check(seed.path, sent); err != nil {
					missed = append(missed, fmt.Sprintf("%s: %s", m.what, specComplaint(err)))
				}
			}
			sort.Strings(missed)
			if len(missed) > 0 {
				t.Fatalf("Validate accepts %d of %d changes the specification refuses:\n%s", len(missed), tried, strings.Join(missed, "\n"))
			}
			require.Positive(t, caught, "no change was refused, so the check proves nothing")
			t.Logf("%d changes decoded, %d refused by Validate", tried, caught)
		})
	}
}

// mutation is a JSON document with one change, and what the change was.
type mutation struct {
	doc  any
	what string
}

// mutations lists the documents that differ from doc in one place.
func mutations(doc any, at string) []mutation {
	var out []mutation
	switch v := doc.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			without := make(map[string]any, len(v))
			for k2, v2 := range v {
				if k2 != k {
					without[k2] = v2
				}
			}
			out = append(out, mutation{without, at + "/" + k + " removed"})
			for _, m := range mutations(v[k], at+"/"+k) {
				with := make(map[string]any, len(v))
				for k2, v2 := range v {
					with[k2] = v2
				}
				with[k] = m.doc
				out = append(out, mutation{with, m.what})
			}
		}
	case []any:
		out = append(out, mutation{[]any{}, at + " emptied"})
		for i := range v {
			for _, m := range mutations(v[i], fmt.Sprintf("%s/%d", at, i)) {
				with := append([]any{}, v...)
				with[i] = m.doc
				out = append(out, mutation{with, m.what})
			}
		}
	case string:
		for _, s := range []string{"", "Ж" + v[min(1, len(v)):], v + "Ж", v + "7", strings.Repeat(v+"7", 2100/(len(v)+1)+1)} {
			out = append(out, mutation{s, fmt.Sprintf("%s = %.40q", at, s)})
		}
	case float64:
		for _, n := range []float64{0, -1, v + 0.5, v + 0.0005, 1e10} {
			out = append(out, mutation{n, fmt.Sprintf("%s = %v", at, n)})
		}
	case bool:
		out = append(out, mutation{!v, fmt.Sprintf("%s = %v", at, !v)})
	}
	return out
}

// specComplaint is the part of the specification's error that says what
// is wrong, without the schema it prints after it.
func specComplaint(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	if _, after, ok := strings.Cut(s, "Error at "); ok {
		return after
	}
	return s
}

// TestPathsAndQueriesTheSpecRefusesAreNotSent does for identifiers in paths
// and for list filters what TestValidateRefusesWhatTheSpecRefuses does for
// bodies: each value is emptied, altered, shortened or lengthened, and a
// request the specification refuses must not be sent: the call returns a
// *yookassa.ValidationError instead.
func TestPathsAndQueriesTheSpecRefusesAreNotSent(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, valid string
		call        func(c *yookassa.Client, v string) error
	}{
		{"GetPayment", paymentID, func(c *yookassa.Client, v string) error { return errOf(c.GetPayment(ctx, v)) }},
		{"CapturePayment", paymentID, func(c *yookassa.Client, v string) error { return errOf(c.CapturePayment(ctx, v, nil)) }},
		{"CancelPayment", paymentID, func(c *yookassa.Client, v string) error { return errOf(c.CancelPayment(ctx, v)) }},
		{"GetRefund", "216749f7-0016-50be-b000-078d43a63ae4", func(c *yookassa.Client, v string) error { return errOf(c.GetRefund(ctx, v)) }},
		{"GetReceipt", "rt-2da5c87d-0384-50e8-a7f3-8d5646dd9e10", func(c *yookassa.Client, v string) error { return errOf(c.GetReceipt(ctx, v)) }},
		{"GetInvoice", invoiceID, func(c *yookassa.Client, v string) error { return errOf(c.GetInvoice(ctx, v)) }},
		{"GetDeal", dealID, func(c *yookassa.Client, v string) error { return errOf(c.GetDeal(ctx, v)) }},
		{"GetPayout", payoutID, func(c *yookassa.Client, v string) error { return errOf(c.GetPayout(ctx, v)) }},
		{"GetPaymentMethod", savedMethodID, func(c *yookassa.Client, v string) error { return errOf(c.GetPaymentMethod(ctx, v)) }},
		{"GetPersonalData", personalDataID, func(c *yookassa.Client, v string) error { return errOf(c.GetPersonalData(ctx, v)) }},
		{"DeleteWebhook", "wh-e44e8088-bd73-43b1-959a-954f3a7d0c54", func(c *yookassa.Client, v string) error { return c.DeleteWebhook(ctx, v) }},
		{"ListPayments status", "succeeded", func(c *yookassa.Client, v string) error {
			return errOf(c.ListPayments(ctx, &yookassa.PaymentListParams{Status: yookassa.PaymentStatus(v)}))
		}},
		{"ListPayments payment_method", "sber_loan", func(c *yookassa.Client, v string) error {
			return errOf(c.ListPayments(ctx, &yookassa.PaymentListParams{PaymentMethod: yookassa.PaymentMethodType(v)}))
		}},
		{"ListPayments cursor", "37a5c87d-3984-51e8-a7f3-8de646d39ec15", func(c *yookassa.Client, v string) error {
			return errOf(c.ListPayments(ctx, &yookassa.PaymentListParams{Cursor: v}))
		}},
		{"ListRefunds payment_id", paymentID, func(c *yookassa.Client, v string) error {
			return errOf(c.ListRefunds(ctx, &yookassa.RefundListParams{PaymentID: v}))
		}},
		{"ListRefunds status", "succeeded", func(c *yookassa.Client, v string) error {
			return errOf(c.ListRefunds(ctx, &yookassa.RefundListParams{Status: yookassa.RefundStatus(v)}))
		}},
		{"ListReceipts payment_id", paymentID, func(c *yookassa.Client, v string) error {
			return errOf(c.ListReceipts(ctx, &yookassa.ReceiptListParams{PaymentID: v}))
		}},
		{"ListReceipts refund_id", "216749f7-0016-50be-b000-078d43a63ae4", func(c *yookassa.Client, v string) error {
			return errOf(c.ListReceipts(ctx, &yookassa.ReceiptListParams{RefundID: v}))
		}},
		{"ListReceipts status", "succeeded", func(c *yookassa.Client, v string) error {
			return errOf(c.ListReceipts(ctx, &yookassa.ReceiptListParams{Status: yookassa.ReceiptStatus(v)}))
		}},
		{"ListDeals status", "opened", func(c *yookassa.Client, v string) error {
			return errOf(c.ListDeals(ctx, &yookassa.DealListParams{Status: yookassa.DealStatus(v)}))
		}},
		{"ListDeals full_text_search", "SAFE_DEAL", func(c *yookassa.Client, v string) error {
			return errOf(c.ListDeals(ctx, &yookassa.DealListParams{FullTextSearch: v}))
		}},
		{"ListPayouts status", "succeeded", func(c *yookassa.Client, v string) error {
			return errOf(c.ListPayouts(ctx, &yookassa.PayoutListParams{Status: yookassa.PayoutStatus(v)}))
		}},
		{"ListPayouts payout_destination.type", "sbp", func(c *yookassa.Client, v string) error {
			return errOf(c.ListPayouts(ctx, &yookassa.PayoutListParams{PayoutDestinationType: yookassa.PayoutDestinationType(v)}))
		}},
		{"SearchPayouts metadata.order_id", "37", func(c *yookassa.Client, v string) error {
			return errOf(c.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"order_id": v}}))
		}},
		{"ListPayments limit", "10", func(c *yookassa.Client, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return &yookassa.ValidationError{Field: "limit"} // no int has this spelling
			}
			_, err = c.ListPayments(ctx, &yookassa.PaymentListParams{Limit: n})
			return err
		}},
	}
	spec := loadSpec(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			values := []string{tc.valid, "", "Ж" + tc.valid[1:], tc.valid + "Ж", tc.valid + "7", tc.valid[:len(tc.valid)-1],
				strings.Repeat(tc.valid, 300/len(tc.valid)+1), "-1", "101", "0"}
			var missed []string
			for i, v := range values {
				c, mt := mockClient(t)
				if strings.Contains(tc.name, "Webhook") {
					var err error
					c, err = yookassa.NewOAuthClient("oauth-token-canary", yookassa.WithHTTPClient(&http.Client{Transport: mt}))
					require.NoError(t, err)
				}
				var reqs []recorded
				mt.RegisterNoResponder(recordingResponder(&reqs, 200, []byte(`{"items":[]}`)))
				err := tc.call(c, v)
				if i == 0 {
					require.NoError(t, err, "the valid value")
				}
				if len(reqs) == 0 {
					var ve *yookassa.ValidationError
					require.ErrorAs(t, err, &ve, "%q was not sent, so it must be refused as invalid", v)
					require.Equal(t, fieldOf(tc.name), ve.Field, "the refusal names the parameter")
					continue
				}
				if err := specRequestError(spec, reqs[0]); err != nil {
					require.NotZero(t, i, "the valid value: %v", err)
					missed = append(missed, fmt.Sprintf("%.40q: %s", v, specComplaint(err)))
				}
			}
			if len(missed) > 0 {
				t.Fatalf("sent what the specification refuses:\n%s", strings.Join(missed, "\n"))
			}
		})
	}
}

// errOf is the error of a call that also returns a value.
func errOf[T any](_ T, err error) error { return err }

// fieldOf is the parameter a case of TestPathsAndQueriesTheSpecRefusesAreNotSent
// changes: the filter after the method's name, or the identifier in the
// path of a method of one object.
func fieldOf(name string) string {
	if _, filter, ok := strings.Cut(name, " "); ok {
		return filter
	}
	return map[string]string{
		"GetPayment": "payment_id", "CapturePayment": "payment_id", "CancelPayment": "payment_id",
		"GetRefund": "refund_id", "GetReceipt": "receipt_id", "GetInvoice": "invoice_id", "GetDeal": "deal_id",
		"GetPayout": "payout_id", "GetPaymentMethod": "payment_method_id", "GetPersonalData": "personal_data_id",
		"DeleteWebhook": "webhook_id",
	}[name]
}
