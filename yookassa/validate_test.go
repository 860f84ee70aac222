package yookassa_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

func item(desc, price, qty string) yookassa.ReceiptItem {
	return yookassa.ReceiptItem{Description: desc, Amount: rub(price), VatCode: yookassa.Vat20, Quantity: dec(qty)}
}

func validPayment() *yookassa.PaymentRequest {
	r := sberLoanRequest()
	r.Receipt = &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: "user@example.com"},
		Items:    []yookassa.ReceiptItem{item("Product 1", "3000.00", "1"), item("Product 2", "1000.00", "2")},
	}
	return r
}

func metadata(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = "v"
	}
	return m
}

// TestPaymentValidation: each rule, the field it names, and that nothing
// is sent.
func TestPaymentValidation(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(r *yookassa.PaymentRequest)
		field  string
	}{
		{"zero amount", func(r *yookassa.PaymentRequest) { r.Amount = rub("0") }, "amount.value"},
		{"negative amount", func(r *yookassa.PaymentRequest) { r.Amount = rub("-1.00") }, "amount.value"},
		{"three decimals", func(r *yookassa.PaymentRequest) { r.Amount = rub("5000.001") }, "amount.value"},
		{"no currency", func(r *yookassa.PaymentRequest) { r.Amount.Currency = "" }, "amount.currency"},
		{"bad currency", func(r *yookassa.PaymentRequest) { r.Amount.Currency = "rub" }, "amount.currency"},
		{"description 129", func(r *yookassa.PaymentRequest) { r.Description = strings.Repeat("я", 129) }, "description"},
		{"17 metadata keys", func(r *yookassa.PaymentRequest) { r.Metadata = metadata(17) }, "metadata"},
		{"metadata key 33", func(r *yookassa.PaymentRequest) { r.Metadata = map[string]string{strings.Repeat("k", 33): "v"} }, "metadata"},
		{"metadata value 513", func(r *yookassa.PaymentRequest) { r.Metadata = map[string]string{"k": strings.Repeat("v", 513)} }, "metadata.k"},
		{"return_url 2049", func(r *yookassa.PaymentRequest) {
			r.Confirmation.ReturnURL = "https://example.com/" + strings.Repeat("a", 2029)
		}, "confirmation.return_url"},
		{"redirect without return_url", func(r *yookassa.PaymentRequest) { r.Confirmation.ReturnURL = "" }, "confirmation.return_url"},
		{"unknown confirmation", func(r *yookassa.PaymentRequest) { r.Confirmation.Type = "telepathy" }, "confirmation.type"},
		{"confirmation_url in a request", func(r *yookassa.PaymentRequest) { r.Confirmation.ConfirmationURL = "https://x" }, "confirmation.confirmation_url"},
		{"bad locale", func(r *yookassa.PaymentRequest) { r.Confirmation.Locale = "de_DE" }, "confirmation.locale"},
		{"method data and id", func(r *yookassa.PaymentRequest) { r.PaymentMethodID = "pm-1" }, "payment_method_data"},
		{"token and id", func(r *yookassa.PaymentRequest) {
			r.PaymentMethodData = nil
			r.PaymentMethodID, r.PaymentToken = "pm-1", "tok"
		}, "payment_method_data"},
		{"method data without type", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.Type = "" }, "payment_method_data.type"},
		{"mobile_balance without phone", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.Type = yookassa.PaymentMethodMobileBalance }, "payment_method_data.phone"},
		{"bad card number", func(r *yookassa.PaymentRequest) {
			r.PaymentMethodData = &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodBankCard, Card: &yookassa.CardData{Number: "4111", ExpiryYear: "2030", ExpiryMonth: "01"}}
		}, "payment_method_data.card.number"},
		{"bad client_ip", func(r *yookassa.PaymentRequest) { r.ClientIP = "300.1.1.1" }, "client_ip"},
		{"receipt without items", func(r *yookassa.PaymentRequest) { r.Receipt.Items = nil }, "receipt.items"},
		{"receipt with 101 items", func(r *yookassa.PaymentRequest) {
			r.Receipt.Items = nil
			for range 101 {
				r.Receipt.Items = append(r.Receipt.Items, item("x", "1.00", "1"))
			}
			r.Amount = rub("101.00")
		}, "receipt.items"},
		{"item without description", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].Description = "" }, "receipt.items[0].description"},
		{"item description 129", func(r *yookassa.PaymentRequest) { r.Receipt.Items[1].Description = strings.Repeat("d", 129) }, "receipt.items[1].description"},
		{"zero quantity", func(r *yookassa.PaymentRequest) { r.Receipt.Items[1].Quantity = dec("0") }, "receipt.items[1].quantity"},
		{"quantity with 4 decimals", func(r *yookassa.PaymentRequest) { r.Receipt.Items[1].Quantity = dec("2.0001") }, "receipt.items[1].quantity"},
		{"vat_code 0", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].VatCode = 0 }, "receipt.items[0].vat_code"},
		{"vat_code 13", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].VatCode = 13 }, "receipt.items[0].vat_code"},
		{"item price three decimals", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].Amount = rub("2999.995") }, "receipt.items[0].amount.value"},
		{"item in another currency", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].Amount.Currency = "EUR" }, "receipt.items[0].amount.currency"},
		{"no email and no phone", func(r *yookassa.PaymentRequest) { r.Receipt.Customer = &yookassa.Customer{FullName: "Ivan"} }, "receipt.customer"},
		{"no customer", func(r *yookassa.PaymentRequest) { r.Receipt.Customer = nil }, "receipt.customer"},
		{"bad phone", func(r *yookassa.PaymentRequest) { r.Receipt.Customer.Phone = "+7 900 000-00-00" }, "receipt.customer.phone"},
		{"bad inn", func(r *yookassa.PaymentRequest) { r.Receipt.Customer.INN = "12345" }, "receipt.customer.inn"},
		{"items do not add up", func(r *yookassa.PaymentRequest) { r.Amount = rub("5000.01") }, "receipt.items"},
		{"mark_mode 1", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].MarkMode = "1" }, "receipt.items[0].mark_mode"},
		{"unknown payment_subject", func(r *yookassa.PaymentRequest) { r.Receipt.Items[1].PaymentSubject = "c\xffmmodity" }, "receipt.items[1].payment_subject"},
		{"unknown payment_mode", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].PaymentMode = "full" }, "receipt.items[0].payment_mode"},
		{"unknown measure", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].Measure = "pieces" }, "receipt.items[0].measure"},
		{"unknown agent_type", func(r *yookassa.PaymentRequest) { r.Receipt.Items[0].AgentType = "broker" }, "receipt.items[0].agent_type"},
		{"ean_13 of 12", func(r *yookassa.PaymentRequest) {
			r.Receipt.Items[0].MarkCodeInfo = &yookassa.MarkCodeInfo{EAN13: "460000000000"}
		}, "receipt.items[0].mark_code_info.ean_13"},
		{"federal_id 074", func(r *yookassa.PaymentRequest) {
			r.Receipt.Items[0].PaymentSubjectIndustryDetails = []yookassa.IndustryDetails{{FederalID: "074", DocumentDate: "2020-11-23", DocumentNumber: "1869", Value: "1"}}
		}, "receipt.items[0].payment_subject_industry_details[0].federal_id"},
		{"industry document date", func(r *yookassa.PaymentRequest) {
			r.Receipt.ReceiptIndustryDetails = []yookassa.IndustryDetails{{FederalID: "001", DocumentDate: "23.11.2020", DocumentNumber: "1869", Value: "1"}}
		}, "receipt.receipt_industry_details[0].document_date"},
		{"operation 256", func(r *yookassa.PaymentRequest) {
			r.Receipt.ReceiptOperationalDetails = &yookassa.OperationalDetails{OperationID: 256, Value: "x"}
		}, "receipt.receipt_operational_details.operation_id"},
		{"a method of old payments", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.Type = yookassa.PaymentMethodQiwi }, "payment_method_data.type"},
		{"b2b rate 18", func(r *yookassa.PaymentRequest) {
			r.PaymentMethodData = &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodB2BSberbank, PaymentPurpose: "Оплата",
				VatData: &yookassa.VatData{Type: yookassa.VatDataCalculated, Rate: "18", Amount: &yookassa.Amount{Value: dec("1"), Currency: "RUB"}}}
		}, "payment_method_data.vat_data.rate"},
		{"basket of 23 digits", func(r *yookassa.PaymentRequest) {
			r.PaymentMethodData = &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodElectronicCertificate,
				ElectronicCertificate: &yookassa.ElectronicCertificatePayment{Amount: rub("5000.00"), BasketID: strings.Repeat("1", 23)}}
		}, "payment_method_data.electronic_certificate.basket_id"},
		{"article tru_code of 29", func(r *yookassa.PaymentRequest) {
			r.PaymentMethodData = &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodElectronicCertificate,
				Articles: []yookassa.ElectronicCertificateArticle{{ArticleNumber: 1, TruCode: strings.Repeat("1", 29), ArticleName: "x", Quantity: 1, Price: rub("1.00")}}}
		}, "payment_method_data.articles[0].tru_code"},
		{"carrier code of 4", func(r *yookassa.PaymentRequest) {
			r.Airline = &yookassa.Airline{BookingReference: "IIIKRV", Legs: []yookassa.FlightLeg{{DepartureAirport: "LED", DestinationAirport: "AMS", DepartureDate: "2024-10-20", CarrierCode: "KLMX"}}}
		}, "airline.legs[0].carrier_code"},
		{"tax system 7", func(r *yookassa.PaymentRequest) { r.Receipt.TaxSystemCode = 7 }, "receipt.tax_system_code"},
		{"recipient without gateway", func(r *yookassa.PaymentRequest) { r.Recipient = &yookassa.Recipient{} }, "recipient.gateway_id"},
		{"deal id too short", func(r *yookassa.PaymentRequest) {
			r.Deal = &yookassa.Deal{ID: "dl-1", Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("1")}}}
		}, "deal.id"},
		{"transfer without account", func(r *yookassa.PaymentRequest) {
			r.Transfers = []yookassa.TransferRequest{{Amount: rub("1")}}
		}, "transfers[0].account_id"},
		{"airline without references", func(r *yookassa.PaymentRequest) { r.Airline = &yookassa.Airline{} }, "airline.booking_reference"},
		{"merchant_customer_id 201", func(r *yookassa.PaymentRequest) { r.MerchantCustomerID = strings.Repeat("m", 201) }, "merchant_customer_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := validPayment()
			require.NoError(t, req.Validate(), "the base request is valid")
			tc.mutate(req)
			c, mt := mockClient(t)
			_, err := c.CreatePayment(context.Background(), req)
			var ve *yookassa.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field, "reason: %s", ve.Reason)
			assert.NotEmpty(t, ve.Reason)
			assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing may be sent")
		})
	}
}

// TestSberCreditRulesOfEveryContract: what sber_loan and sber_bnpl refuse
// whatever the merchant's contract is checked by CreatePayment itself,
// before sending, when payment_method_data names the method.
func TestSberCreditRulesOfEveryContract(t *testing.T) {
	cases := []struct {
		name     string
		mutate   func(r *yookassa.PaymentRequest)
		field    string
		loanOnly bool // a rule of sber_loan alone
	}{
		{"save_payment_method", func(r *yookassa.PaymentRequest) { r.SavePaymentMethod = true }, "save_payment_method", false},
		{"2,999.99 RUB", func(r *yookassa.PaymentRequest) { r.Amount = rub("2999.99") }, "amount.value", true},
		{"1.00 RUB", func(r *yookassa.PaymentRequest) { r.Amount = rub("1.00") }, "amount.value", true},
		{"not roubles", func(r *yookassa.PaymentRequest) {
			r.Amount = yookassa.Amount{Value: dec("5000.00"), Currency: yookassa.CurrencyEUR}
		}, "amount.currency", false},
		{"no confirmation", func(r *yookassa.PaymentRequest) { r.Confirmation = nil }, "confirmation", false},
		{"embedded confirmation", func(r *yookassa.PaymentRequest) {
			r.Confirmation = &yookassa.Confirmation{Type: yookassa.ConfirmationEmbedded}
		}, "confirmation.type", false},
		{"qr confirmation", func(r *yookassa.PaymentRequest) {
			r.Confirmation = &yookassa.Confirmation{Type: yookassa.ConfirmationQR}
		}, "confirmation.type", false},
		{"airline", func(r *yookassa.PaymentRequest) { r.Airline = &yookassa.Airline{BookingReference: "IIIKRV"} }, "airline", false},
		{"transfers", func(r *yookassa.PaymentRequest) {
			r.Transfers = []yookassa.TransferRequest{{AccountID: "123", Amount: rub("5000.00")}}
		}, "transfers", false},
		{"deal", func(r *yookassa.PaymentRequest) {
			r.Deal = &yookassa.Deal{ID: "dl-285e5ee7-0022-5000-8000-01516a44b147", Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("5000.00")}}}
		}, "deal", false},
		{"a phone in the method data", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.Phone = "79000000000" }, "payment_method_data", true},
		{"a payment purpose in the method data", func(r *yookassa.PaymentRequest) { r.PaymentMethodData.PaymentPurpose = "order 37" }, "payment_method_data", false},
	}
	for _, method := range []yookassa.PaymentMethodType{yookassa.PaymentMethodSberLoan, yookassa.PaymentMethodSberBNPL} {
		base := func() *yookassa.PaymentRequest {
			req := sberLoanRequest()
			req.PaymentMethodData.Type = method
			return req
		}
		for _, tc := range cases {
			t.Run(string(method)+"/"+tc.name, func(t *testing.T) {
				req := base()
				require.NoError(t, req.Validate(), "the base request is valid")
				tc.mutate(req)
				if tc.loanOnly && method != yookassa.PaymentMethodSberLoan {
					assert.NoError(t, req.Validate(), "not a rule of %s", method)
					return
				}
				c, mt := mockClient(t)
				_, err := c.CreatePayment(context.Background(), req)
				var ve *yookassa.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, tc.field, ve.Field, "reason: %s", ve.Reason)
				assert.Contains(t, ve.Reason, string(method))
				assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing may be sent")
			})
		}
	}
	// The floor is inclusive, and the rules bind only a payment that names
	// the method: without payment_method_data the buyer chooses it.
	floor := sberLoanRequest()
	floor.Amount = rub("3000.00")
	assert.NoError(t, floor.Validate())
	open := sberLoanRequest()
	open.PaymentMethodData, open.Amount, open.SavePaymentMethod = nil, rub("10.00"), true
	assert.NoError(t, open.Validate())
}

func TestPaymentValidationAcceptsTheLimits(t *testing.T) {
	r := validPayment()
	r.Description = strings.Repeat("я", 128)
	r.Metadata = metadata(16)
	r.Metadata[strings.Repeat("k", 32)] = strings.Repeat("з", 512)
	delete(r.Metadata, "k0")
	r.Confirmation.ReturnURL = "https://example.com/" + strings.Repeat("a", 2028)
	r.Receipt.Items[1].Quantity = dec("2.000")
	r.Receipt.Items[1].VatCode = 12
	r.ClientIP = "2a02:6b8::1"
	require.NoError(t, r.Validate())
}

func TestReceiptTotalRoundsEachLine(t *testing.T) {
	items := []yookassa.ReceiptItem{item("kg", "99.99", "1.333"), item("pcs", "0.01", "3")}
	// 99.99 x 1.333 = 133.28667 -> 133.29; 0.01 x 3 = 0.03.
	assert.Equal(t, "133.29", items[0].LineTotal().StringFixed(2))
	assert.Equal(t, "133.32", yookassa.ReceiptTotal(items).StringFixed(2))
	// Half a kopeck rounds away from zero.
	assert.Equal(t, "0.02", item("h", "0.01", "1.5").LineTotal().StringFixed(2))

	data := yookassa.ReceiptData{Customer: &yookassa.Customer{Phone: "79000000000"}, Items: items}
	require.NoError(t, data.Validate(rub("133.32")))
	err := data.Validate(rub("133.31"))
	var ve *yookassa.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "items", ve.Field)
	assert.Contains(t, ve.Reason, "133.32")
	assert.Contains(t, ve.Reason, "133.31")
}

func TestCaptureAndRefundValidation(t *testing.T) {
	receipt := &yookassa.ReceiptData{Customer: &yookassa.Customer{Email: "a@b.ru"},
		Items: []yookassa.ReceiptItem{item("Product 1", "2025.00", "1"), item("Product 2", "675.00", "2")}}
	amt := rub("3375.00")
	require.NoError(t, (&yookassa.CaptureRequest{Amount: &amt, Receipt: receipt}).Validate())
	bad := rub("3375.01")
	var ve *yookassa.ValidationError
	require.ErrorAs(t, (&yookassa.CaptureRequest{Amount: &bad, Receipt: receipt}).Validate(), &ve)
	assert.Equal(t, "receipt.items", ve.Field)
	zero := rub("0")
	require.ErrorAs(t, (&yookassa.CaptureRequest{Amount: &zero}).Validate(), &ve)
	assert.Equal(t, "amount.value", ve.Field)

	refund := &yookassa.RefundRequest{PaymentID: paymentID, Amount: rub("3375.00"), Receipt: receipt}
	require.NoError(t, refund.Validate())
	refund.Description = strings.Repeat("r", 251)
	require.ErrorAs(t, refund.Validate(), &ve)
	assert.Equal(t, "description", ve.Field)
	refund.Description = strings.Repeat("r", 250)
	require.NoError(t, refund.Validate())
	refund.PaymentID = ""
	require.ErrorAs(t, refund.Validate(), &ve)
	assert.Equal(t, "payment_id", ve.Field)
	refund.PaymentID = paymentID[:35]
	require.ErrorAs(t, refund.Validate(), &ve)
	assert.Equal(t, "payment_id", ve.Field)
	assert.Contains(t, ve.Reason, "36")

	for field, mutate := range map[string]func(r *yookassa.RefundRequest){
		"sources[0].platform_fee_amount.currency": func(r *yookassa.RefundRequest) {
			r.Sources = []yookassa.RefundSource{{AccountID: "123", Amount: rub("1.00"), PlatformFeeAmount: &yookassa.Amount{Value: dec("1"), Currency: "RUR"}}}
		},
		"refund_method_data.electronic_certificate.basket_id": func(r *yookassa.RefundRequest) {
			r.RefundMethodData.ElectronicCertificate.BasketID = "12345678901234567890123x"
		},
		"refund_method_data.articles[0].payment_article_number": func(r *yookassa.RefundRequest) {
			r.RefundMethodData.Articles[0].PaymentArticleNumber = 1000
		},
		"refund_method_data.articles[0].quantity": func(r *yookassa.RefundRequest) { r.RefundMethodData.Articles[0].Quantity = 0 },
	} {
		r := decodeFixture[yookassa.RefundRequest](t, "refund_electronic_certificate_request.json")
		require.NoError(t, r.Validate())
		mutate(r)
		require.ErrorAs(t, r.Validate(), &ve, field)
		assert.Equal(t, field, ve.Field)
	}
}

func TestReceiptRequestValidation(t *testing.T) {
	base := func() *yookassa.ReceiptRequest {
		return decodeFixture[yookassa.ReceiptRequest](t, "receipt_create_request.json")
	}
	require.NoError(t, base().Validate())
	for field, mutate := range map[string]func(r *yookassa.ReceiptRequest){
		"type":        func(r *yookassa.ReceiptRequest) { r.Type = "sale" },
		"payment_id":  func(r *yookassa.ReceiptRequest) { r.PaymentID = "" },
		"refund_id":   func(r *yookassa.ReceiptRequest) { r.Type = yookassa.ReceiptTypeRefund },
		"customer":    func(r *yookassa.ReceiptRequest) { r.Customer = nil },
		"settlements": func(r *yookassa.ReceiptRequest) { r.Settlements = nil },
		"settlements[0].type": func(r *yookassa.ReceiptRequest) {
			r.Settlements[0].Type = yookassa.SettlementPayout
		},
		"items[0].payment_mode": func(r *yookassa.ReceiptRequest) {
			r.Items[0].PaymentMode = "full_payment7"
		},
		"additional_user_props.value": func(r *yookassa.ReceiptRequest) {
			r.AdditionalUserProps.Value = strings.Repeat("v", 235)
		},
	} {
		r := base()
		mutate(r)
		var ve *yookassa.ValidationError
		require.ErrorAs(t, r.Validate(), &ve, field)
		assert.Equal(t, field, ve.Field)
	}
	// Payments and refunds have identifiers of 36 characters.
	r := base()
	r.PaymentID += "7"
	var ve *yookassa.ValidationError
	require.ErrorAs(t, r.Validate(), &ve)
	assert.Equal(t, "payment_id", ve.Field)
	r.Type, r.PaymentID, r.RefundID = yookassa.ReceiptTypeRefund, "", "2ea2a0b5-0015-5000-9000-1cbc4d0a6e8"
	require.ErrorAs(t, r.Validate(), &ve)
	assert.Equal(t, "refund_id", ve.Field)
	r.RefundID += "d"
	require.NoError(t, r.Validate())
}

// TestReceiptRequestAlwaysSends: a receipt request cannot say anything but
// "send": true, whoever builds it, and a body saying otherwise (or
// nothing) does not decode.
func TestReceiptRequestAlwaysSends(t *testing.T) {
	for _, r := range []*yookassa.ReceiptRequest{{}, decodeFixture[yookassa.ReceiptRequest](t, "receipt_create_request.json")} {
		body, err := json.Marshal(r)
		require.NoError(t, err)
		var w struct {
			Send *bool `json:"send"`
		}
		require.NoError(t, json.Unmarshal(body, &w))
		require.NotNil(t, w.Send)
		assert.True(t, *w.Send)
	}
	for _, body := range []string{`{"type":"payment","send":false}`, `{"type":"payment"}`, `{"type":"payment","send":"true"}`} {
		var r yookassa.ReceiptRequest
		assert.Error(t, json.Unmarshal([]byte(body), &r), body)
	}
	var r yookassa.ReceiptRequest
	require.NoError(t, json.Unmarshal([]byte(`{"type":"refund","refund_id":"rf-1","send":true}`), &r))
	assert.Equal(t, "rf-1", r.RefundID)
}

func TestWebhookRequestValidation(t *testing.T) {
	ok := &yookassa.WebhookRequest{Event: yookassa.EventRefundSucceeded, URL: "https://shop.example/hook"}
	require.NoError(t, ok.Validate())
	var ve *yookassa.ValidationError
	require.ErrorAs(t, (&yookassa.WebhookRequest{Event: yookassa.EventDealClosed, URL: ok.URL}).Validate(), &ve)
	assert.Equal(t, "event", ve.Field)
	require.ErrorAs(t, (&yookassa.WebhookRequest{Event: ok.Event, URL: "http://shop.example/hook"}).Validate(), &ve)
	assert.Equal(t, "url", ve.Field)
}

func TestNilRequestsAreRefused(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	var ve *yookassa.ValidationError
	_, err := c.CreatePayment(ctx, nil)
	assert.ErrorAs(t, err, &ve)
	_, err = c.CreateRefund(ctx, nil)
	assert.ErrorAs(t, err, &ve)
	_, err = c.CreateReceipt(ctx, nil)
	assert.ErrorAs(t, err, &ve)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestReturnURLMustBeAbsolute(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://shop.example/return?x=1": true, "myapp://paid": true, "http://127.0.0.1:8080/r": true,
		"/relative": false, "shop.example/return": false, "https://shop example/": false, "1http://x": false,
		"https:": false, "https://shop.example/\n": false,
	} {
		r := validPayment()
		r.Confirmation.ReturnURL = url
		err := r.Validate()
		if ok {
			assert.NoError(t, err, url)
		} else {
			assert.Error(t, err, url)
		}
	}
}

func TestAbsurdExponentsAreRefusedBeforeArithmetic(t *testing.T) {
	r := validPayment()
	r.Amount = yookassa.RUB(decimal.New(1, -200_000_000))
	var ve *yookassa.ValidationError
	require.ErrorAs(t, r.Validate(), &ve)
	assert.Equal(t, "amount.value", ve.Field)

	r = validPayment()
	r.Receipt.Items[0].Quantity = decimal.New(3, 100_000_000)
	require.ErrorAs(t, r.Validate(), &ve)
	assert.Equal(t, "receipt.items[0].quantity", ve.Field)
}
