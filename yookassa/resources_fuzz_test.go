package yookassa_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/creditpay/yookassa-go/yookassa"
)

// validatable is a request type the client checks before sending.
type validatable interface{ Validate() error }

// requireSpecAcceptsValidated decodes data into a request of type T and, if
// the client's own validation accepts it, checks that the body the client
// would send matches the specification's request schema of method path:
// whatever passes Validate must be a request YooKassa documents.
func requireSpecAcceptsValidated[T any, PT interface {
	*T
	validatable
}](t *testing.T, data []byte, method, path string) {
	t.Helper()
	req := PT(new(T))
	if json.Unmarshal(data, req) != nil || req.Validate() != nil {
		return
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatalf("a valid request does not encode: %v", err)
	}
	err = specRequestError(loadSpec(t), recorded{method: method, path: "/v3" + path, body: body, header: http.Header{
		"Content-Type": {"application/json"}, "Idempotence-Key": {"fuzz-key"}, "Authorization": {"Basic eDp5"}}})
	if err != nil {
		t.Fatalf("Validate accepts a request the specification refuses:\n%s\n%v", body, err)
	}
}

func FuzzDecodePayout(f *testing.F) {
	seedFixtures(f, "payout_")
	f.Add([]byte(`{"amount":{"value":"1","currency":"RUB"},"payout_destination_data":{"type":"sbp","phone":"7900","bank_id":"AAAAAAAAAAAA","card":null}}`))
	f.Add([]byte(`{"payout_destination":{"type":"sbp","recipient_checked":"yes"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.Payout](t, data)
		roundTrip[yookassa.PayoutList](t, data)
		roundTrip[yookassa.PayoutRequest](t, data)
		requireSpecAcceptsValidated[yookassa.PayoutRequest](t, data, "POST", "/payouts")
	})
}

func FuzzDecodeDeal(f *testing.F) {
	seedFixtures(f, "deal_")
	f.Add([]byte(`{"fee_moment":"deal_closed","description":"` + "\u00ff" + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.SafeDeal](t, data)
		roundTrip[yookassa.DealList](t, data)
		roundTrip[yookassa.DealRequest](t, data)
		requireSpecAcceptsValidated[yookassa.DealRequest](t, data, "POST", "/deals")
	})
}

func FuzzDecodeInvoice(f *testing.F) {
	seedFixtures(f, "invoice_")
	f.Add([]byte(`{"payment_data":{"amount":{"value":"1.00","currency":"RUB"}},"cart":[{"description":"x","price":{"value":"1.00","currency":"RUB"},"quantity":"1e-3"}],"expires_at":"2024-10-18T10:51:18Z","delivery_method_data":{"type":"email","email":"a@b"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.Invoice](t, data)
		roundTrip[yookassa.InvoiceRequest](t, data)
		requireSpecAcceptsValidated[yookassa.InvoiceRequest](t, data, "POST", "/invoices")
	})
}

func FuzzDecodePaymentMethod(f *testing.F) {
	seedFixtures(f, "payment_method_")
	f.Add([]byte(`{"type":"bank_card","card":{"number":"55555555555544","expiry_year":"2030","expiry_month":"12","cardholder":"A1"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.SavedPaymentMethod](t, data)
		roundTrip[yookassa.PaymentMethodRequest](t, data)
		requireSpecAcceptsValidated[yookassa.PaymentMethodRequest](t, data, "POST", "/payment_methods")
	})
}

func FuzzDecodePersonalData(f *testing.F) {
	seedFixtures(f, "personal_data_")
	f.Add([]byte(`{"type":"sbp_payout_recipient","last_name":"‐","first_name":"ё—"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.PersonalData](t, data)
		roundTrip[yookassa.PersonalDataRequest](t, data)
		requireSpecAcceptsValidated[yookassa.PersonalDataRequest](t, data, "POST", "/personal_data")
	})
}

func FuzzDecodeSBPBanks(f *testing.F) {
	seedFixtures(f, "sbp_banks")
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.SBPBankList](t, data)
	})
}
