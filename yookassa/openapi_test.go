package yookassa_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/spectest"
	"github.com/creditpay/yookassa-go/yookassa"
)

// The client's requests are checked against YooKassa's OpenAPI
// specification with internal/spectest, which loads it (from shared/
// beside the repository) and repairs its own defects. Saving an SBP
// account is a gap rather than a defect, and this package's business: it
// exists in YooKassa's guides and SDKs (type sbp, with a redirect or qr
// confirmation) but not in the specification, so extendSpec adds it.
var extendOnce sync.Once

// loadSpec returns the specification with the additions this package's
// requests need; it skips tb when the specification is absent.
func loadSpec(tb testing.TB) *spectest.Spec {
	tb.Helper()
	spec := spectest.Load(tb)
	extendOnce.Do(func() { extendSpec(spec.Doc()) })
	return spec
}

// extendSpec adds saving an SBP account: sbp in the type's enum of
// POST /payment_methods and a qr confirmation beside redirect.
func extendSpec(doc *openapi3.T) {
	data := doc.Components.Schemas["SavePaymentMethodData"].Value
	data.Properties["type"].Value.Enum = append(data.Properties["type"].Value.Enum, "sbp")
	qr := &openapi3.Schema{
		Type: &openapi3.Types{openapi3.TypeObject},
		Properties: openapi3.Schemas{
			"type":       {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Enum: []any{"qr"}}},
			"return_url": doc.Components.Schemas["ReturnUrl"],
		},
		Required: []string{"type"},
	}
	confirmation := data.Properties["confirmation"].Value
	confirmation.OneOf = append(confirmation.OneOf, &openapi3.SchemaRef{Value: qr})
}

// requireRequestMatchesSpec validates a recorded request (path, query,
// headers and body) against the specification's operation.
func requireRequestMatchesSpec(t testing.TB, r recorded) {
	t.Helper()
	err := specRequestError(loadSpec(t), r)
	require.NoError(t, err, "%s %s does not match the specification:\n%s", r.method, r.path, r.body)
}

// specRequestError is what the specification finds wrong with a request.
func specRequestError(spec *spectest.Spec, r recorded) error {
	u := apiBase + strings.TrimPrefix(r.path, "/v3")
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequest(r.method, u, nil)
	if err != nil {
		return err
	}
	req.Header = r.header.Clone()
	return spec.ValidateRequest(req, r.body)
}

// TestSpecCheckCanFail feeds the specification check requests it must
// refuse, so that its passes mean something.
func TestSpecCheckCanFail(t *testing.T) {
	spec := loadSpec(t)
	post := func(path, body string) recorded {
		return recorded{method: "POST", path: "/v3" + path, header: http.Header{
			"Content-Type": {"application/json"}, "Idempotence-Key": {"k1"}, "Authorization": {"Basic eDp5"}}, body: []byte(body)}
	}
	for name, r := range map[string]recorded{
		"payout without amount":      post("/payouts", `{"payout_token":"t"}`),
		"payout card of 15 digits":   post("/payouts", `{"amount":{"value":"1.00","currency":"RUB"},"payout_destination_data":{"type":"bank_card","card":{"number":"555555555555447"}}}`),
		"payout three data":          post("/payouts", `{"amount":{"value":"1.00","currency":"RUB"},"payout_token":"t","personal_data":[{"id":"pd-22e12f66-000f-5000-8000-18db351245c7"},{"id":"pd-22e12f66-000f-5000-8000-18db351245c8"},{"id":"pd-22e12f66-000f-5000-8000-18db351245c9"}]}`),
		"deal with a made-up moment": post("/deals", `{"type":"safe_deal","fee_moment":"later"}`),
		"invoice without cart":       post("/invoices", `{"payment_data":{"amount":{"value":"1.00","currency":"RUB"}},"expires_at":"2024-10-18T10:51:18.139Z"}`),
		"invoice sms without phone":  post("/invoices", `{"payment_data":{"amount":{"value":"1.00","currency":"RUB"}},"cart":[],"delivery_method_data":{"type":"sms"},"expires_at":"2024-10-18T10:51:18.139Z"}`),
		"name with a digit":          post("/personal_data", `{"type":"sbp_payout_recipient","last_name":"Иванов1","first_name":"Иван"}`),
		"statement without date":     post("/personal_data", `{"type":"payout_statement_recipient","last_name":"Иванов","first_name":"Иван"}`),
		"save a wallet":              post("/payment_methods", `{"type":"yoo_money"}`),
		"redirect without url":       post("/payment_methods", `{"type":"bank_card","confirmation":{"type":"redirect"}}`),
		"no idempotence key":         {method: "POST", path: "/v3/deals", header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"type":"safe_deal","fee_moment":"deal_closed"}`)},
		"deal list limit 101":        {method: "GET", path: "/v3/deals", query: url.Values{"limit": {"101"}}},
		"deal search of 3":           {method: "GET", path: "/v3/deals", query: url.Values{"full_text_search": {"abc"}}},
		"payout status":              {method: "GET", path: "/v3/payouts", query: url.Values{"status": {"paid"}}},
		"no such operation":          {method: "DELETE", path: "/v3/payouts/po-27ced252-0025-5000-9000-0a682a8bab8f"},
	} {
		assert.Error(t, specRequestError(spec, r), name)
	}
}

// TestEverySpecFieldIsCarried walks the request and response schemas of the
// operations of saved payment methods, invoices, deals, payouts, SBP banks
// and personal data, and checks that every property the specification
// defines (through allOf, every oneOf branch and array items) has a field in
// the Go type that carries it, under the same JSON name.
func TestEverySpecFieldIsCarried(t *testing.T) {
	doc := loadSpec(t).Doc()
	for _, op := range []struct {
		method, path  string
		request, resp any
	}{
		{"POST", "/payment_methods", yookassa.PaymentMethodRequest{}, yookassa.SavedPaymentMethod{}},
		{"GET", "/payment_methods/{payment_method_id}", nil, yookassa.SavedPaymentMethod{}},
		{"POST", "/invoices", yookassa.InvoiceRequest{}, yookassa.Invoice{}},
		{"GET", "/invoices/{invoice_id}", nil, yookassa.Invoice{}},
		{"POST", "/deals", yookassa.DealRequest{}, yookassa.SafeDeal{}},
		{"GET", "/deals", nil, yookassa.DealList{}},
		{"GET", "/deals/{deal_id}", nil, yookassa.SafeDeal{}},
		{"POST", "/payouts", yookassa.PayoutRequest{}, yookassa.Payout{}},
		{"GET", "/payouts", nil, yookassa.PayoutList{}},
		{"GET", "/payouts/search", nil, yookassa.PayoutList{}},
		{"GET", "/payouts/{payout_id}", nil, yookassa.Payout{}},
		{"GET", "/sbp_banks", nil, yookassa.SBPBankList{}},
		{"POST", "/personal_data", yookassa.PersonalDataRequest{}, yookassa.PersonalData{}},
		{"GET", "/personal_data/{personal_data_id}", nil, yookassa.PersonalData{}},
	} {
		operation := doc.Paths.Find(op.path).GetOperation(op.method)
		require.NotNil(t, operation, "%s %s", op.method, op.path)
		if op.request != nil {
			schema := operation.RequestBody.Value.Content["application/json"].Schema
			for _, p := range specProperties(schema) {
				assert.True(t, goCarries(reflect.TypeOf(op.request), p), "%s %s request: %s has no Go field", op.method, op.path, strings.Join(p, "."))
			}
		}
		schema := operation.Responses.Status(200).Value.Content["application/json"].Schema
		for _, p := range specProperties(schema) {
			assert.True(t, goCarries(reflect.TypeOf(op.resp), p), "%s %s answer: %s has no Go field", op.method, op.path, strings.Join(p, "."))
		}
	}
}

// specProperties lists the property paths of a schema: the properties of
// the schema, of its allOf parts and of every oneOf branch, recursively,
// with array items in place of the array. Maps (additionalProperties) are
// leaves.
func specProperties(ref *openapi3.SchemaRef) [][]string {
	var out [][]string
	seen := map[*openapi3.Schema]int{}
	var walk func(prefix []string, s *openapi3.Schema)
	walk = func(prefix []string, s *openapi3.Schema) {
		if s == nil || seen[s] > 1 || len(prefix) > 8 {
			return
		}
		seen[s]++
		defer func() { seen[s]-- }()
		for _, part := range append(append(openapi3.SchemaRefs{}, s.AllOf...), s.OneOf...) {
			walk(prefix, part.Value)
		}
		if s.Items != nil {
			walk(prefix, s.Items.Value)
		}
		for name, prop := range s.Properties {
			p := append(append([]string{}, prefix...), name)
			out = append(out, p)
			walk(p, prop.Value)
		}
	}
	walk(nil, ref.Value)
	return out
}

// goCarries reports whether the Go type t has a chain of fields with the
// JSON names of path.
func goCarries(t reflect.Type, path []string) bool {
	for _, name := range path {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t == reflect.TypeOf(yookassa.Amount{}) {
			t = reflect.TypeOf(struct {
				Value    string `json:"value"`
				Currency string `json:"currency"`
			}{})
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == name && f.IsExported() {
				t, found = f.Type, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// TestResponseFixturesMatchTheSpec validates every documented answer of the
// new resources against the specification's response schema, so the
// fixtures the wire tests answer with are bodies YooKassa can send.
func TestResponseFixturesMatchTheSpec(t *testing.T) {
	spec := loadSpec(t)
	for name, op := range map[string][2]string{
		"payment_method_pending.json":      {"GET", "/payment_methods/" + savedMethodID},
		"payment_method_active.json":       {"GET", "/payment_methods/" + savedMethodID},
		"payment_method_inactive.json":     {"GET", "/payment_methods/" + savedMethodID},
		"invoice_pending.json":             {"GET", "/invoices/" + invoiceID},
		"invoice_succeeded.json":           {"GET", "/invoices/" + invoiceID},
		"invoice_canceled.json":            {"GET", "/invoices/" + invoiceID},
		"deal_opened.json":                 {"GET", "/deals/" + dealID},
		"deal_closed.json":                 {"GET", "/deals/" + dealID},
		"deal_list.json":                   {"GET", "/deals"},
		"payout_succeeded_sbp.json":        {"GET", "/payouts/" + payoutID},
		"payout_succeeded_deal.json":       {"GET", "/payouts/" + payoutID},
		"payout_canceled_bank_card.json":   {"GET", "/payouts/" + payoutID},
		"payout_self_employed_legacy.json": {"GET", "/payouts/" + payoutID},
		"payout_list.json":                 {"GET", "/payouts"},
		"sbp_banks.json":                   {"GET", "/sbp_banks"},
		"personal_data_waiting.json":       {"GET", "/personal_data/" + personalDataID},
		"personal_data_active.json":        {"GET", "/personal_data/" + personalDataID},
		"personal_data_canceled.json":      {"GET", "/personal_data/" + personalDataID},
	} {
		assert.NoError(t, spec.ValidateResponse(op[0], op[1], 200, nil, fixture(t, name)), name)
	}
	// Saving an SBP account is not in the specification (see extendSpec):
	// its answers are checked as the saved card's schema less the card.
	for _, name := range []string{"payment_method_sbp_pending.json", "payment_method_sbp_active.json"} {
		body := strings.Replace(string(fixture(t, name)), `"type": "sbp"`, `"type": "bank_card"`, 1)
		body = strings.Replace(body, `"type": "qr"`, `"type": "redirect"`, 1)
		body = strings.Replace(body, `"confirmation_data"`, `"confirmation_url"`, 1)
		assert.NoError(t, spec.ValidateResponse("GET", "/payment_methods/"+savedMethodID, 200, nil, []byte(body)), name)
	}
}
