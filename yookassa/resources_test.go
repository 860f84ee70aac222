package yookassa_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

// resourceFixtureTypes maps the fixtures of saved payment methods,
// invoices, deals, payouts, SBP banks and personal data to the types they
// decode into. They join fixtureTypes, so the round-trip test and the
// every-fixture-has-a-test check cover them.
var resourceFixtureTypes = map[string]func() any{
	"payment_method_create_request.json":     func() any { return new(yookassa.PaymentMethodRequest) },
	"payment_method_create_sbp_request.json": func() any { return new(yookassa.PaymentMethodRequest) },
	"payment_method_pending.json":            func() any { return new(yookassa.SavedPaymentMethod) },
	"payment_method_active.json":             func() any { return new(yookassa.SavedPaymentMethod) },
	"payment_method_inactive.json":           func() any { return new(yookassa.SavedPaymentMethod) },
	"payment_method_sbp_pending.json":        func() any { return new(yookassa.SavedPaymentMethod) },
	"payment_method_sbp_active.json":         func() any { return new(yookassa.SavedPaymentMethod) },

	"invoice_create_request.json":     func() any { return new(yookassa.InvoiceRequest) },
	"invoice_create_sms_request.json": func() any { return new(yookassa.InvoiceRequest) },
	"invoice_pending.json":            func() any { return new(yookassa.Invoice) },
	"invoice_succeeded.json":          func() any { return new(yookassa.Invoice) },
	"invoice_canceled.json":           func() any { return new(yookassa.Invoice) },

	"deal_create_request.json": func() any { return new(yookassa.DealRequest) },
	"deal_opened.json":         func() any { return new(yookassa.SafeDeal) },
	"deal_closed.json":         func() any { return new(yookassa.SafeDeal) },
	"deal_list.json":           func() any { return new(yookassa.DealList) },

	"payout_create_bank_card_request.json":  func() any { return new(yookassa.PayoutRequest) },
	"payout_create_yoo_money_request.json":  func() any { return new(yookassa.PayoutRequest) },
	"payout_create_sbp_request.json":        func() any { return new(yookassa.PayoutRequest) },
	"payout_create_deal_request.json":       func() any { return new(yookassa.PayoutRequest) },
	"payout_create_saved_card_request.json": func() any { return new(yookassa.PayoutRequest) },
	"payout_succeeded_sbp.json":             func() any { return new(yookassa.Payout) },
	"payout_succeeded_deal.json":            func() any { return new(yookassa.Payout) },
	"payout_canceled_bank_card.json":        func() any { return new(yookassa.Payout) },
	"payout_self_employed_legacy.json":      func() any { return new(yookassa.Payout) },
	"payout_list.json":                      func() any { return new(yookassa.PayoutList) },

	"sbp_banks.json": func() any { return new(yookassa.SBPBankList) },

	"personal_data_create_sbp_request.json":       func() any { return new(yookassa.PersonalDataRequest) },
	"personal_data_create_statement_request.json": func() any { return new(yookassa.PersonalDataRequest) },
	"personal_data_waiting.json":                  func() any { return new(yookassa.PersonalData) },
	"personal_data_active.json":                   func() any { return new(yookassa.PersonalData) },
	"personal_data_canceled.json":                 func() any { return new(yookassa.PersonalData) },
}

func init() {
	for name, newValue := range resourceFixtureTypes {
		fixtureTypes[name] = newValue
	}
}

// wireCase is one call of the client and what it must put on the wire.
type wireCase struct {
	name        string
	method      string
	path        string     // the path after /v3
	query       url.Values // nil: none
	requestBody string     // fixture of the body; "" for none
	answer      string     // fixture of the answer
	call        func(t *testing.T, c *yookassa.Client) (any, error)
	check       func(t *testing.T, got any)
}

// runWireCases sends each case through a Basic-auth client over an httpmock
// transport and checks the method, path, query, headers and body on the
// wire, that the request validates against the OpenAPI specification, and
// the decoding of the documented answer.
func runWireCases(t *testing.T, cases []wireCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			c, err := yookassa.NewClient(testShopID, testSecret, yookassa.WithHTTPClient(&http.Client{Transport: mt}))
			require.NoError(t, err)
			var reqs []recorded
			mt.RegisterResponder(tc.method, "=~^"+regexp.QuoteMeta(apiBase), recordingResponder(&reqs, 200, fixture(t, tc.answer)))

			got, err := tc.call(t, c)
			require.NoError(t, err)
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.method)
			assert.Equal(t, "/v3"+tc.path, r.path)
			want := tc.query
			if want == nil {
				want = url.Values{}
			}
			assert.Equal(t, want, r.query)
			assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte(testShopID+":"+testSecret)), r.header.Get("Authorization"))
			assert.Equal(t, "yookassa-go/"+yookassa.Version, r.header.Get("User-Agent"))
			assert.Regexp(t, ymAgent, r.header.Get("YM-User-Agent"))
			if tc.method == "GET" {
				assert.Empty(t, r.header.Values("Idempotence-Key"), "GET carries no key")
				assert.Empty(t, r.header.Values("Content-Type"))
			} else {
				assert.Regexp(t, uuidV4, r.header.Get("Idempotence-Key"))
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			}
			if tc.requestBody == "" {
				assert.Empty(t, r.body)
			} else {
				requireJSONEqual(t, fixture(t, tc.requestBody), r.body)
			}
			requireRequestMatchesSpec(t, r)
			require.NotNil(t, got)
			if tc.check != nil {
				tc.check(t, got)
			}
		})
	}
}

// requireValidationError asserts that err is a *ValidationError naming
// field.
func requireValidationError(t *testing.T, err error, field string, msgAndArgs ...any) *yookassa.ValidationError {
	t.Helper()
	var ve *yookassa.ValidationError
	require.True(t, errors.As(err, &ve), "want a *ValidationError for %s, got %v %v", field, err, msgAndArgs)
	assert.Equal(t, field, ve.Field, msgAndArgs...)
	return ve
}
