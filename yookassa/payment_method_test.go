package yookassa_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

const savedMethodID = "22e12f66-000f-5000-8000-18db351245c7"

func TestPaymentMethodEndpoints(t *testing.T) {
	ctx := context.Background()
	runWireCases(t, []wireCase{
		{
			name: "CreatePaymentMethod bank_card", method: "POST", path: "/payment_methods",
			requestBody: "payment_method_create_request.json", answer: "payment_method_pending.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreatePaymentMethod(ctx, decodeFixture[yookassa.PaymentMethodRequest](t, "payment_method_create_request.json"))
			},
			check: func(t *testing.T, got any) {
				m := got.(*yookassa.SavedPaymentMethod)
				assert.Equal(t, yookassa.PaymentMethodStatusPending, m.Status)
				assert.False(t, m.Usable())
				require.NotNil(t, m.Confirmation)
				assert.Equal(t, yookassa.ConfirmationRedirect, m.Confirmation.Type)
				assert.Contains(t, m.Confirmation.ConfirmationURL, "paymentMethodId="+savedMethodID)
				assert.Equal(t, "100500", m.Holder.AccountID)
			},
		},
		{
			name: "CreatePaymentMethod sbp", method: "POST", path: "/payment_methods",
			requestBody: "payment_method_create_sbp_request.json", answer: "payment_method_sbp_pending.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreatePaymentMethod(ctx, decodeFixture[yookassa.PaymentMethodRequest](t, "payment_method_create_sbp_request.json"))
			},
			check: func(t *testing.T, got any) {
				m := got.(*yookassa.SavedPaymentMethod)
				assert.Equal(t, yookassa.ConfirmationQR, m.Confirmation.Type)
				assert.Equal(t, "https://qr.nspk.ru/QR_ID", m.Confirmation.ConfirmationData)
			},
		},
		{
			name: "GetPaymentMethod active card", method: "GET", path: "/payment_methods/" + savedMethodID, answer: "payment_method_active.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) { return c.GetPaymentMethod(ctx, savedMethodID) },
			check: func(t *testing.T, got any) {
				m := got.(*yookassa.SavedPaymentMethod)
				assert.True(t, m.Usable())
				assert.Equal(t, "Bank card *4444", m.Title)
				assert.Equal(t, "4444", m.Card.Last4)
				assert.Equal(t, "MCP", m.Card.CardProduct.Code)
			},
		},
		{
			name: "GetPaymentMethod active sbp", method: "GET", path: "/payment_methods/22e12f66-000f-5000-8000-18db351245c8",
			answer: "payment_method_sbp_active.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.GetPaymentMethod(ctx, "22e12f66-000f-5000-8000-18db351245c8")
			},
			check: func(t *testing.T, got any) {
				m := got.(*yookassa.SavedPaymentMethod)
				assert.True(t, m.Usable())
				assert.Equal(t, yookassa.PaymentMethodSBP, m.Type)
				assert.Equal(t, "100000000022", m.PayerBankDetails.BankID)
			},
		},
		{
			name: "GetPaymentMethod inactive", method: "GET", path: "/payment_methods/22e12f66-000f-5000-8000-18db351245c9",
			answer: "payment_method_inactive.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.GetPaymentMethod(ctx, "22e12f66-000f-5000-8000-18db351245c9")
			},
			check: func(t *testing.T, got any) {
				m := got.(*yookassa.SavedPaymentMethod)
				assert.False(t, m.Usable())
				assert.Empty(t, m.Holder.GatewayID)
			},
		},
	})
}

func TestCreatePaymentMethodWithCardData(t *testing.T) {
	c, mt := mockClient(t)
	var reqs []recorded
	mt.RegisterResponder("POST", apiBase+"/payment_methods", recordingResponder(&reqs, 200, fixture(t, "payment_method_active.json")))
	req := &yookassa.PaymentMethodRequest{
		Type: yookassa.PaymentMethodBankCard,
		Card: &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07", CSC: "123", Cardholder: "IVAN IVANOV"},
	}
	_, err := c.CreatePaymentMethod(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	assert.JSONEq(t, `{"type":"bank_card","card":{"number":"5555555555554444","expiry_year":"2030","expiry_month":"07","csc":"123","cardholder":"IVAN IVANOV"}}`, string(reqs[0].body))
	requireRequestMatchesSpec(t, reqs[0])
	assert.NotContains(t, printAll(req), "5555555555554444")
}

func validSaveCard() *yookassa.PaymentMethodRequest {
	return &yookassa.PaymentMethodRequest{
		Type:         yookassa.PaymentMethodBankCard,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://www.example.com/return_url"},
		Holder:       &yookassa.Recipient{GatewayID: "100700"},
		Metadata:     map[string]string{"order_id": "37"},
	}
}

func TestPaymentMethodRequestValidation(t *testing.T) {
	require.NoError(t, validSaveCard().Validate())
	for _, holder := range []string{"", "IVAN IVANOV", "D'ARTAGNAN-SMITH", strings.Repeat("A", 26)} {
		r := validSaveCard()
		r.Card = &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07", Cardholder: holder}
		assert.NoError(t, r.Validate(), "cardholder %q", holder)
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *yookassa.PaymentMethodRequest)
		field string
	}{
		{"no type", func(r *yookassa.PaymentMethodRequest) { r.Type = "" }, "type"},
		{"unsupported type", func(r *yookassa.PaymentMethodRequest) { r.Type = yookassa.PaymentMethodYooMoney }, "type"},
		{"card number 13", func(r *yookassa.PaymentMethodRequest) {
			r.Card = &yookassa.CardData{Number: "5555555555554", ExpiryYear: "2030", ExpiryMonth: "07"}
		}, "card.number"},
		{"card month 13", func(r *yookassa.PaymentMethodRequest) {
			r.Card = &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "13"}
		}, "card.expiry_month"},
		{"card csc 5", func(r *yookassa.PaymentMethodRequest) {
			r.Card = &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07", CSC: "12345"}
		}, "card.csc"},
		{"cardholder in Cyrillic", func(r *yookassa.PaymentMethodRequest) {
			r.Card = &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07", Cardholder: "ИВАН ИВАНОВ"}
		}, "card.cardholder"},
		{"cardholder with a digit", func(r *yookassa.PaymentMethodRequest) {
			r.Card = &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07", Cardholder: "IVAN IVANOV 2"}
		}, "card.cardholder"},
		{"cardholder of 27", func(r *yookassa.PaymentMethodRequest) {
			r.Card = &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07", Cardholder: strings.Repeat("A", 27)}
		}, "card.cardholder"},
		{"card with sbp", func(r *yookassa.PaymentMethodRequest) {
			r.Type = yookassa.PaymentMethodSBP
			r.Confirmation.Type = yookassa.ConfirmationQR
			r.Card = &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07"}
		}, "card"},
		{"holder without gateway", func(r *yookassa.PaymentMethodRequest) { r.Holder = &yookassa.Recipient{} }, "holder.gateway_id"},
		{"holder with account", func(r *yookassa.PaymentMethodRequest) { r.Holder.AccountID = "100500" }, "holder.account_id"},
		{"client ip", func(r *yookassa.PaymentMethodRequest) { r.ClientIP = "localhost" }, "client_ip"},
		{"redirect without return url", func(r *yookassa.PaymentMethodRequest) { r.Confirmation.ReturnURL = "" }, "confirmation.return_url"},
		{"return url 2049", func(r *yookassa.PaymentMethodRequest) {
			r.Confirmation.ReturnURL = "https://example.com/" + strings.Repeat("a", 2029)
		}, "confirmation.return_url"},
		{"locale", func(r *yookassa.PaymentMethodRequest) { r.Confirmation.Locale = "de_DE" }, "confirmation.locale"},
		{"qr for a card", func(r *yookassa.PaymentMethodRequest) { r.Confirmation.Type = yookassa.ConfirmationQR }, "confirmation.type"},
		{"embedded", func(r *yookassa.PaymentMethodRequest) { r.Confirmation.Type = yookassa.ConfirmationEmbedded }, "confirmation.type"},
		{"no confirmation type", func(r *yookassa.PaymentMethodRequest) { r.Confirmation.Type = "" }, "confirmation.type"},
		{"qr with enforce", func(r *yookassa.PaymentMethodRequest) {
			r.Type = yookassa.PaymentMethodSBP
			r.Confirmation = &yookassa.Confirmation{Type: yookassa.ConfirmationQR, Enforce: true}
		}, "confirmation.type"},
		{"confirmation url sent", func(r *yookassa.PaymentMethodRequest) { r.Confirmation.ConfirmationURL = "https://x" }, "confirmation.confirmation_url"},
		{"metadata", func(r *yookassa.PaymentMethodRequest) { r.Metadata = map[string]string{"": "v"} }, "metadata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validSaveCard()
			tc.edit(r)
			requireValidationError(t, r.Validate(), tc.field)
		})
	}
}

func TestPaymentMethodCallsRefuseBeforeSending(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	_, err := c.CreatePaymentMethod(ctx, nil)
	requireValidationError(t, err, "")
	_, err = c.CreatePaymentMethod(ctx, &yookassa.PaymentMethodRequest{Type: "sber_loan"})
	requireValidationError(t, err, "type")
	_, err = c.GetPaymentMethod(ctx, "../payments")
	requireValidationError(t, err, "payment_method_id")
	_, err = c.GetPaymentMethod(ctx, "")
	requireValidationError(t, err, "payment_method_id")
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
