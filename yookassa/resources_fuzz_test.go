package yookassa_test

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// pick returns one of the options, chosen by r.
func pick[T any](r *rand.Rand, options ...T) T { return options[r.IntN(len(options))] }

// vary returns good most of the time and one of the bad values otherwise,
// so that a generated request is often entirely valid.
func vary[T any](r *rand.Rand, good T, bad ...T) T {
	if r.IntN(6) > 0 {
		return good
	}
	return pick(r, bad...)
}

// TestValidatedRequestsMatchTheSpec builds requests from pools of valid and
// invalid field values and checks, for each request that Validate accepts,
// that the body the client sends matches the specification's request
// schema. Each generator must produce both accepted and refused requests,
// so the check cannot pass vacuously.
func TestValidatedRequestsMatchTheSpec(t *testing.T) {
	spec := loadSpec(t)
	r := rand.New(rand.NewPCG(1, 2))
	ya := strings.Repeat("я", 128)
	metadata := []map[string]string{nil, {"order_id": "37"}, {strings.Repeat("k", 33): "v"}, {"k": strings.Repeat("v", 513)}}
	generators := []struct {
		name string
		path string
		make func() validatable
	}{
		{"payout", "/payouts", func() validatable {
			return &yookassa.PayoutRequest{
				Amount: vary(r, pick(r, rub("80.00"), rub("0.01")), rub("1.005"), rub("0"), yookassa.Amount{Value: dec("5"), Currency: "XXX"}),
				PayoutDestinationData: pick(r, nil,
					&yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746"},
					&yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100"},
					&yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard, Card: &yookassa.PayoutCardData{Number: "5555555555554477"}},
					&yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard, Card: &yookassa.PayoutCardData{Number: "55555555555544"}},
					&yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "100000000111"},
					&yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "1000000001"},
					&yookassa.PayoutDestinationData{Type: "qiwi"}),
				PayoutToken:     pick(r, "", "", "hoiCz_UVAdi_eKEthqhjRIJp.SC.001.202101"),
				PaymentMethodID: pick(r, "", "", savedMethodID),
				Description:     vary(r, pick(r, "", "Выплата по заказу №37", ya), ya+"я"),
				Deal:            vary(r, pick(r, nil, &yookassa.PayoutDeal{ID: dealID}), &yookassa.PayoutDeal{ID: "dl-1"}),
				PersonalData: pick(r, nil, []yookassa.PayoutPersonalData{{ID: personalDataID}},
					[]yookassa.PayoutPersonalData{{ID: personalDataID}, {ID: "pd-22e12f66-000f-5000-8000-18db351245c9"}},
					[]yookassa.PayoutPersonalData{{ID: personalDataID}, {ID: personalDataID + "1"}, {ID: personalDataID + "2"}},
					[]yookassa.PayoutPersonalData{}, []yookassa.PayoutPersonalData{{ID: "pd-1"}}),
				Metadata: vary(r, pick(r, metadata[:2]...), metadata[2:]...),
			}
		}},
		{"personal data", "/personal_data", func() validatable {
			return &yookassa.PersonalDataRequest{
				Type:       vary(r, pick(r, yookassa.PersonalDataSBPPayoutRecipient, yookassa.PersonalDataPayoutStatementRecipient), "", "recipient"),
				LastName:   vary(r, pick(r, "Иванов", "Салтыков-Щедрин", "Петров–Водкин", strings.Repeat("Я", 200)), "", "Иванов1", strings.Repeat("Я", 201)),
				FirstName:  vary(r, pick(r, "Иван", "Anna Maria", strings.Repeat("Я", 100)), "", "O'Neil", strings.Repeat("Я", 101)),
				MiddleName: vary(r, pick(r, "", "Иванович"), "Иванович.", strings.Repeat("ё", 201)),
				Birthdate:  pick(r, "", "1990-11-18", "1990-11-18", "18.11.1990", "1990-02-30"),
				Metadata:   vary(r, pick(r, metadata[:2]...), metadata[2:]...),
			}
		}},
		{"deal", "/deals", func() validatable {
			return &yookassa.DealRequest{
				Type:        vary(r, pick(r, "", yookassa.DealTypeSafeDeal), "escrow"),
				FeeMoment:   vary(r, pick(r, yookassa.FeeMomentPaymentSucceeded, yookassa.FeeMomentDealClosed), "", "later"),
				Description: vary(r, pick(r, "", "SAFE_DEAL 123554642-2432FF344R", ya), ya+"я"),
				Metadata:    vary(r, pick(r, metadata[:2]...), metadata[2:]...),
			}
		}},
		{"payment method", "/payment_methods", func() validatable {
			return &yookassa.PaymentMethodRequest{
				Type: pick(r, yookassa.PaymentMethodBankCard, yookassa.PaymentMethodSBP, yookassa.PaymentMethodYooMoney),
				Card: pick(r, nil, nil, &yookassa.CardData{Number: "5555555555554444", ExpiryYear: "2030", ExpiryMonth: "07", CSC: "123"},
					&yookassa.CardData{Number: "5555", ExpiryYear: "2030", ExpiryMonth: "07"}),
				Holder:   vary(r, pick(r, nil, &yookassa.Recipient{GatewayID: "100700"}), &yookassa.Recipient{}),
				ClientIP: vary(r, pick(r, "", "192.0.2.10", "2001:db8::1"), "not an ip"),
				Confirmation: pick(r, nil,
					&yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://www.example.com/return_url", Enforce: true, Locale: "en_US"},
					&yookassa.Confirmation{Type: yookassa.ConfirmationRedirect},
					&yookassa.Confirmation{Type: yookassa.ConfirmationQR, ReturnURL: "https://www.example.com/return_url"},
					&yookassa.Confirmation{Type: yookassa.ConfirmationQR},
					&yookassa.Confirmation{Type: yookassa.ConfirmationEmbedded}),
				Metadata: vary(r, pick(r, metadata[:2]...), metadata[2:]...),
			}
		}},
		{"invoice", "/invoices", func() validatable {
			amount := vary(r, rub("10.00"), rub("0"), rub("10.001"))
			return &yookassa.InvoiceRequest{
				PaymentData: yookassa.InvoicePaymentData{
					Amount:            amount,
					Recipient:         vary(r, pick(r, nil, &yookassa.Recipient{GatewayID: "100700"}), &yookassa.Recipient{}),
					SavePaymentMethod: pick[*bool](r, nil, new(bool)),
					Capture:           pick(r, false, true),
					ClientIP:          vary(r, pick(r, "", "192.0.2.10"), "::ffff:1.2.3.4x"),
					Description:       vary(r, pick(r, "", ya), ya+"я"),
					Metadata:          vary(r, pick(r, metadata[:2]...), metadata[2:]...),
				},
				Cart: vary(r, pick(r,
					[]yookassa.InvoiceItem{{Description: "Товар", Price: rub("10.00"), Quantity: dec("1")}},
					[]yookassa.InvoiceItem{{Description: "Товар", Price: rub("9.00"), DiscountPrice: &yookassa.Amount{Value: dec("7"), Currency: "RUB"}, Quantity: dec("1.5")}}),
					nil,
					[]yookassa.InvoiceItem{{Description: "", Price: rub("10.00"), Quantity: dec("1")}},
					[]yookassa.InvoiceItem{{Description: "Товар", Price: rub("10.00"), Quantity: dec("0")}}),
				DeliveryMethodData: pick(r, nil,
					&yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliverySelf},
					&yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliverySMS, Phone: "79000000000"},
					&yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliverySMS},
					&yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail, Email: "user@example.com"},
					&yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail, Email: "user"},
					&yookassa.InvoiceDeliveryMethodData{Type: "post"}),
				ExpiresAt:   vary(r, time.Now().Add(time.Hour), time.Time{}, time.Now().Add(40*24*time.Hour)),
				Locale:      yookassa.Locale(vary(r, pick(r, "", "ru_RU", "en_US"), "de_DE")),
				Description: vary(r, pick(r, "", ya), ya+"я"),
				Metadata:    vary(r, pick(r, metadata[:2]...), metadata[2:]...),
			}
		}},
	}
	header := http.Header{"Content-Type": {"application/json"}, "Idempotence-Key": {"generated"}, "Authorization": {"Basic eDp5"}}
	for _, g := range generators {
		t.Run(g.name, func(t *testing.T) {
			accepted, refused := 0, 0
			for range 1500 {
				req := g.make()
				if req.Validate() != nil {
					refused++
					continue
				}
				accepted++
				body, err := json.Marshal(req)
				require.NoError(t, err)
				err = specRequestError(spec, recorded{method: "POST", path: "/v3" + g.path, header: header, body: body})
				require.NoError(t, err, "Validate accepts a request the specification refuses:\n%s", body)
			}
			assert.Positive(t, accepted, "no generated request was valid")
			assert.Positive(t, refused, "no generated request was invalid")
			t.Logf("%d accepted, %d refused", accepted, refused)
		})
	}
}
