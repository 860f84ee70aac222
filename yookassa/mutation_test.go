package yookassa_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
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
	{"payment_create_sber_loan_request.json", "/payments", func() validatable { return new(yookassa.PaymentRequest) }},
	{"capture_partial_request.json", "/payments/" + paymentID + "/capture", func() validatable { return new(yookassa.CaptureRequest) }},
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
// every request the client sends: a value is replaced (a string emptied,
// lengthened, or with a character changed; a number made zero, negative,
// fractional or huge), a member removed, an array emptied. Whenever the
// specification refuses the body the client would send for the changed
// request, Validate must have refused it first: a request YooKassa would
// answer with a 400 never leaves.
func TestValidateRefusesWhatTheSpecRefuses(t *testing.T) {
	spec := loadSpec(t)
	header := http.Header{"Content-Type": {"application/json"}, "Idempotence-Key": {"mutated"}, "Authorization": {"Basic eDp5"}}
	check := func(path string, body []byte) error {
		return specRequestError(spec, recorded{method: "POST", path: "/v3" + path, header: header, body: body})
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
		for _, s := range []string{"", "Ж" + strings.TrimPrefix(v, v[:min(1, len(v))]), v + "Ж", v + "7", strings.Repeat(v+"7", 2100/(len(v)+1)+1)} {
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
