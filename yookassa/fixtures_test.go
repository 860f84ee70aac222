package yookassa_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

// fixtureTypes maps every JSON fixture to the type it decodes into.
var fixtureTypes = map[string]func() any{
	"payment_sber_loan_pending.json":                     func() any { return new(yookassa.Payment) },
	"payment_sber_loan_succeeded_loan.json":              func() any { return new(yookassa.Payment) },
	"payment_sber_loan_succeeded_installments.json":      func() any { return new(yookassa.Payment) },
	"payment_bank_card_succeeded.json":                   func() any { return new(yookassa.Payment) },
	"payment_pending_redirect_suspended.json":            func() any { return new(yookassa.Payment) },
	"payment_list.json":                                  func() any { return new(yookassa.PaymentList) },
	"payment_create_sber_loan_request.json":              func() any { return new(yookassa.PaymentRequest) },
	"payment_create_with_receipt_request.json":           func() any { return new(yookassa.PaymentRequest) },
	"capture_partial_request.json":                       func() any { return new(yookassa.CaptureRequest) },
	"refund_partial_request.json":                        func() any { return new(yookassa.RefundRequest) },
	"refund_succeeded.json":                              func() any { return new(yookassa.Refund) },
	"refund_canceled_sbp.json":                           func() any { return new(yookassa.Refund) },
	"refund_list.json":                                   func() any { return new(yookassa.RefundList) },
	"receipt_succeeded.json":                             func() any { return new(yookassa.Receipt) },
	"receipt_list.json":                                  func() any { return new(yookassa.ReceiptList) },
	"receipt_create_request.json":                        func() any { return new(yookassa.ReceiptRequest) },
	"receipt_create_refund_marked_request.json":          func() any { return new(yookassa.ReceiptRequest) },
	"payment_create_bank_card_full_request.json":         func() any { return new(yookassa.PaymentRequest) },
	"payment_create_b2b_sberbank_request.json":           func() any { return new(yookassa.PaymentRequest) },
	"payment_create_split_request.json":                  func() any { return new(yookassa.PaymentRequest) },
	"payment_create_deal_request.json":                   func() any { return new(yookassa.PaymentRequest) },
	"payment_create_utilities_request.json":              func() any { return new(yookassa.PaymentRequest) },
	"payment_create_receiver_request.json":               func() any { return new(yookassa.PaymentRequest) },
	"payment_create_electronic_certificate_request.json": func() any { return new(yookassa.PaymentRequest) },
	"refund_electronic_certificate_request.json":         func() any { return new(yookassa.RefundRequest) },
	"refund_split_request.json":                          func() any { return new(yookassa.RefundRequest) },
	"refund_deal_request.json":                           func() any { return new(yookassa.RefundRequest) },
	"capture_split_airline_request.json":                 func() any { return new(yookassa.CaptureRequest) },
	"capture_deal_request.json":                          func() any { return new(yookassa.CaptureRequest) },
	"payment_create_saved_method_request.json":           func() any { return new(yookassa.PaymentRequest) },
	"payment_create_token_request.json":                  func() any { return new(yookassa.PaymentRequest) },
	"payment_method_create_card_request.json":            func() any { return new(yookassa.PaymentMethodRequest) },
	"me.json":                     func() any { return new(yookassa.Me) },
	"webhook.json":                func() any { return new(yookassa.Webhook) },
	"webhook_list.json":           func() any { return new(yookassa.WebhookList) },
	"webhook_create_request.json": func() any { return new(yookassa.WebhookRequest) },
}

// Error bodies are read by the transport, not by a public type; their
// decoding is covered in the error tests.
var errorFixtures = []string{
	"error_400_invalid_request.json", "error_401_invalid_credentials.json", "error_403_forbidden.json",
	"error_404_not_found.json", "error_410_gone.json", "error_429_too_many_requests.json",
	"error_500_internal.json", "processing_202.json",
}

func TestEveryFixtureHasATest(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("..", "testdata"))
	require.NoError(t, err)
	known := map[string]bool{}
	for _, name := range errorFixtures {
		known[name] = true
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		_, typed := fixtureTypes[e.Name()]
		assert.True(t, typed || known[e.Name()], "fixture %s is not covered by the round-trip test", e.Name())
	}
}

// TestFixturesRoundTrip decodes every documented body into its type and
// encodes it again: no field may be lost or changed.
func TestFixturesRoundTrip(t *testing.T) {
	for name, newValue := range fixtureTypes {
		t.Run(name, func(t *testing.T) {
			data := fixture(t, name)
			v := newValue()
			require.NoError(t, json.Unmarshal(data, v))
			out, err := json.Marshal(v)
			require.NoError(t, err)
			requireJSONEqual(t, data, out, "re-encoded %s differs", name)
		})
	}
}

func TestSeedInstallmentsPaymentDecodes(t *testing.T) {
	var p yookassa.Payment
	require.NoError(t, json.Unmarshal(fixture(t, "payment_sber_loan_succeeded_installments.json"), &p))

	assert.Equal(t, "22c5d0f0-000f-5000-8000-13ece77bc6c1", p.ID)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.True(t, p.Paid)
	assert.True(t, p.Amount.Equal(rub("4500.00")), "amount %s", p.Amount)
	require.NotNil(t, p.IncomeAmount)
	assert.True(t, p.IncomeAmount.Equal(rub("4342.50")), "income %s", p.IncomeAmount)
	require.NotNil(t, p.PaymentMethod)
	assert.Equal(t, yookassa.PaymentMethodSberLoan, p.PaymentMethod.Type)
	assert.Equal(t, yookassa.LoanOptionInstallments(12), p.PaymentMethod.LoanOption)
	require.NotNil(t, p.PaymentMethod.DiscountAmount)
	assert.True(t, p.PaymentMethod.DiscountAmount.Equal(rub("500.00")))
	assert.Equal(t, time.Date(2021, 6, 22, 21, 44, 55, 506e6, time.UTC), p.CapturedAt.UTC())
	assert.Equal(t, "37", p.Metadata["order_id"])
	assert.Equal(t, "100700", p.Recipient.GatewayID)
	require.NotNil(t, p.RefundedAmount)
	assert.True(t, p.RefundedAmount.Value.IsZero())
}

func TestSeedLoanAndPendingPaymentsDecode(t *testing.T) {
	var loan, pending yookassa.Payment
	require.NoError(t, json.Unmarshal(fixture(t, "payment_sber_loan_succeeded_loan.json"), &loan))
	require.NoError(t, json.Unmarshal(fixture(t, "payment_sber_loan_pending.json"), &pending))

	assert.Equal(t, yookassa.LoanOptionLoan, loan.PaymentMethod.LoanOption)
	assert.Nil(t, loan.PaymentMethod.DiscountAmount)
	assert.True(t, loan.Amount.Equal(rub("5000.00")))
	assert.True(t, loan.IncomeAmount.Equal(rub("4825.00")))

	assert.Equal(t, yookassa.PaymentStatusPending, pending.Status)
	assert.False(t, pending.Paid)
	assert.Empty(t, pending.PaymentMethod.LoanOption)
	require.NotNil(t, pending.Confirmation)
	assert.Equal(t, yookassa.ConfirmationRedirect, pending.Confirmation.Type)
	assert.Equal(t, "https://yoomoney.ru/payments/internal/confirmation?orderId=22c5d0f0-000f-5000-8000-13ece77bc6c1", pending.Confirmation.ConfirmationURL)
	assert.Nil(t, pending.CapturedAt)
}

func TestSuspendedUntilDecodes(t *testing.T) {
	var p yookassa.Payment
	require.NoError(t, json.Unmarshal(fixture(t, "payment_pending_redirect_suspended.json"), &p))
	require.NotNil(t, p.PaymentMethod.SuspendedUntil)
	assert.Equal(t, time.Date(2025, 10, 1, 13, 0, 0, 0, time.UTC), p.PaymentMethod.SuspendedUntil.UTC())
	assert.True(t, p.Confirmation.Enforce)
}

func TestLenientDecoding(t *testing.T) {
	// Unknown fields, unknown enum values and an unknown payment method
	// type all decode; numbers sent as strings are accepted.
	body := `{"id":"x","status":"brand_new_status","amount":{"value":12.5,"currency":"RUB"},
	  "created_at":"2024-01-02T03:04:05.123456Z","paid":false,"test":false,"refundable":false,
	  "something_new":{"a":1},
	  "payment_method":{"type":"quantum_wallet","id":"pm","saved":false,"fancy":"yes"}}`
	var p yookassa.Payment
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	assert.Equal(t, yookassa.PaymentStatus("brand_new_status"), p.Status)
	assert.Equal(t, yookassa.PaymentMethodType("quantum_wallet"), p.PaymentMethod.Type)
	assert.True(t, p.Amount.Value.Equal(dec("12.5")))
	assert.Equal(t, 123456000, p.CreatedAt.Nanosecond())

	var list yookassa.ReceiptList
	require.NoError(t, json.Unmarshal(fixture(t, "receipt_list.json"), &list))
	require.Len(t, list.Items, 1)
	assert.True(t, list.Items[0].Items[0].Quantity.Equal(dec("2")))
	assert.Equal(t, yookassa.Vat20, list.Items[0].Items[0].VatCode)
}

func TestDecodingRefusesGarbage(t *testing.T) {
	for _, body := range []string{
		`{"amount":{"value":"12,50","currency":"RUB"}}`,
		`{"amount":{"value":"1e999999999","currency":"RUB"}}`,
		`{"amount":{"value":true,"currency":"RUB"}}`,
		`{"created_at":"yesterday"}`,
	} {
		var p yookassa.Payment
		assert.Error(t, json.Unmarshal([]byte(body), &p), body)
	}
	var it yookassa.ReceiptItem
	assert.Error(t, json.Unmarshal([]byte(`{"quantity":"two"}`), &it))
	assert.Error(t, json.Unmarshal([]byte(`{"vat_code":"four"}`), &it))
}

// TestThreeDSecureDetailsAreCarried decodes the 3-D Secure details real
// notifications carry beyond the specification's "applied", and writes them
// back unchanged.
func TestThreeDSecureDetailsAreCarried(t *testing.T) {
	const body = `{"rrn":"603668680243","auth_code":"000000","three_d_secure":{"applied":true,"method_completed":false,"challenge_completed":true,"protocol":"v2"}}`
	var d yookassa.AuthorizationDetails
	require.NoError(t, json.Unmarshal([]byte(body), &d))
	require.NotNil(t, d.ThreeDSecure)
	assert.True(t, d.ThreeDSecure.Applied)
	require.NotNil(t, d.ThreeDSecure.MethodCompleted)
	assert.False(t, *d.ThreeDSecure.MethodCompleted)
	require.NotNil(t, d.ThreeDSecure.ChallengeCompleted)
	assert.True(t, *d.ThreeDSecure.ChallengeCompleted)
	assert.Equal(t, "v2", d.ThreeDSecure.Protocol)
	again, err := json.Marshal(d)
	require.NoError(t, err)
	requireJSONEqual(t, []byte(body), again)
}

func TestStatusStages(t *testing.T) {
	order := []yookassa.PaymentStatus{"", yookassa.PaymentStatusPending, yookassa.PaymentStatusWaitingForCapture, yookassa.PaymentStatusSucceeded}
	for i := 1; i < len(order); i++ {
		assert.Less(t, order[i-1].Stage(), order[i].Stage(), "%s before %s", order[i-1], order[i])
	}
	assert.Equal(t, yookassa.PaymentStatusSucceeded.Stage(), yookassa.PaymentStatusCanceled.Stage())
	assert.Zero(t, yookassa.PaymentStatus("unheard_of").Stage())
	assert.Less(t, yookassa.RefundStatusPending.Stage(), yookassa.RefundStatusSucceeded.Stage())
	assert.Equal(t, yookassa.RefundStatusSucceeded.Stage(), yookassa.RefundStatusCanceled.Stage())
	assert.True(t, yookassa.RefundStatusCanceled.Final())
	assert.False(t, yookassa.RefundStatusPending.Final())
}
