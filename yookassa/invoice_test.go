package yookassa_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

const invoiceID = "in-e44e8088-bd73-43b1-959a-954f3a7d0c54"

func TestInvoiceEndpoints(t *testing.T) {
	ctx := context.Background()
	runWireCases(t, []wireCase{
		{
			name: "CreateInvoice self", method: "POST", path: "/invoices",
			requestBody: "invoice_create_request.json", answer: "invoice_pending.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreateInvoice(ctx, decodeFixture[yookassa.InvoiceRequest](t, "invoice_create_request.json"))
			},
			check: func(t *testing.T, got any) {
				inv := got.(*yookassa.Invoice)
				assert.Equal(t, invoiceID, inv.ID)
				assert.Equal(t, yookassa.InvoiceStatusPending, inv.Status)
				require.NotNil(t, inv.DeliveryMethod)
				assert.Equal(t, yookassa.InvoiceDeliverySelf, inv.DeliveryMethod.Type)
				assert.Equal(t, "https://yookassa.ru/my/i/Zqncq0lhxSqo/a", inv.DeliveryMethod.URL)
				require.Len(t, inv.Cart, 2)
				assert.True(t, inv.Cart[1].Quantity.Equal(dec("3")))
				assert.True(t, inv.Cart[0].DiscountPrice.Equal(rub("7.00")))
			},
		},
		{
			name: "CreateInvoice sms", method: "POST", path: "/invoices",
			requestBody: "invoice_create_sms_request.json", answer: "invoice_pending.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreateInvoice(ctx, decodeFixture[yookassa.InvoiceRequest](t, "invoice_create_sms_request.json"))
			},
		},
		{
			name: "GetInvoice succeeded", method: "GET", path: "/invoices/" + invoiceID, answer: "invoice_succeeded.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) { return c.GetInvoice(ctx, invoiceID) },
			check: func(t *testing.T, got any) {
				inv := got.(*yookassa.Invoice)
				assert.Equal(t, yookassa.InvoiceStatusSucceeded, inv.Status)
				require.NotNil(t, inv.PaymentDetails)
				assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, inv.PaymentDetails.Status)
				assert.Nil(t, inv.DeliveryMethod)
				assert.Nil(t, inv.ExpiresAt)
			},
		},
		{
			name: "GetInvoice canceled", method: "GET", path: "/invoices/" + invoiceID, answer: "invoice_canceled.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) { return c.GetInvoice(ctx, invoiceID) },
			check: func(t *testing.T, got any) {
				inv := got.(*yookassa.Invoice)
				assert.Equal(t, yookassa.InvoiceStatusCanceled, inv.Status)
				assert.Equal(t, yookassa.ReasonInvoiceExpired, inv.CancellationDetails.Reason)
				assert.Equal(t, yookassa.PartyYooMoney, inv.CancellationDetails.Party)
			},
		},
	})
}

func TestCreateInvoiceSendsExpiryInUTC(t *testing.T) {
	c, mt := mockClient(t)
	var reqs []recorded
	mt.RegisterResponder("POST", apiBase+"/invoices", recordingResponder(&reqs, 200, fixture(t, "invoice_pending.json")))
	req := validInvoice()
	msk := time.FixedZone("MSK", 3*3600)
	req.ExpiresAt = time.Date(2024, 10, 18, 13, 51, 18, 139e6, msk)
	_, err := c.CreateInvoice(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	assert.Contains(t, string(reqs[0].body), `"expires_at":"2024-10-18T10:51:18.139Z"`)
	assert.Equal(t, msk, req.ExpiresAt.Location(), "the caller's request is not changed")
}

func validInvoice() *yookassa.InvoiceRequest {
	return &yookassa.InvoiceRequest{
		PaymentData: yookassa.InvoicePaymentData{Amount: rub("10.00"), Capture: true, Description: "Заказ №37"},
		Cart: []yookassa.InvoiceItem{
			{Description: "Товар арт. 12345", Price: rub("9.00"), DiscountPrice: &yookassa.Amount{Value: dec("7.00"), Currency: "RUB"}, Quantity: dec("1")},
			{Description: "Товар арт. 67890", Price: rub("1.00"), Quantity: dec("3")},
		},
		DeliveryMethodData: &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliverySMS, Phone: "79001234567"},
		ExpiresAt:          time.Now().Add(24 * time.Hour),
		Locale:             "ru_RU",
	}
}

func TestInvoiceRequestValidation(t *testing.T) {
	require.NoError(t, validInvoice().Validate())
	for _, tc := range []struct {
		name  string
		edit  func(r *yookassa.InvoiceRequest)
		field string
	}{
		{"no amount", func(r *yookassa.InvoiceRequest) { r.PaymentData.Amount = yookassa.Amount{} }, "payment_data.amount.currency"},
		{"amount three decimals", func(r *yookassa.InvoiceRequest) { r.PaymentData.Amount = rub("10.001") }, "payment_data.amount.value"},
		{"payment description 129", func(r *yookassa.InvoiceRequest) { r.PaymentData.Description = strings.Repeat("я", 129) }, "payment_data.description"},
		{"client ip", func(r *yookassa.InvoiceRequest) { r.PaymentData.ClientIP = "300.1.1.1" }, "payment_data.client_ip"},
		{"recipient without gateway", func(r *yookassa.InvoiceRequest) { r.PaymentData.Recipient = &yookassa.Recipient{} }, "payment_data.recipient.gateway_id"},
		{"payment metadata", func(r *yookassa.InvoiceRequest) {
			r.PaymentData.Metadata = map[string]string{"k": strings.Repeat("v", 513)}
		}, "payment_data.metadata.k"},
		{"receipt does not add up", func(r *yookassa.InvoiceRequest) {
			r.PaymentData.Receipt = &yookassa.ReceiptData{Customer: &yookassa.Customer{Email: "a@b.ru"},
				Items: []yookassa.ReceiptItem{{Description: "x", Amount: rub("9.00"), VatCode: 1, Quantity: dec("1")}}}
		}, "payment_data.receipt.items"},
		{"no cart", func(r *yookassa.InvoiceRequest) { r.Cart = nil }, "cart"},
		{"empty description", func(r *yookassa.InvoiceRequest) { r.Cart[0].Description = "" }, "cart[0].description"},
		{"description 129", func(r *yookassa.InvoiceRequest) { r.Cart[1].Description = strings.Repeat("я", 129) }, "cart[1].description"},
		{"zero price", func(r *yookassa.InvoiceRequest) { r.Cart[1].Price = rub("0") }, "cart[1].price.value"},
		{"price in another currency", func(r *yookassa.InvoiceRequest) {
			r.Cart[1].Price = yookassa.Amount{Value: dec("1"), Currency: "EUR"}
		}, "cart[1].price.currency"},
		{"discount three decimals", func(r *yookassa.InvoiceRequest) { r.Cart[0].DiscountPrice.Value = dec("6.999") }, "cart[0].discount_price.value"},
		{"discount currency", func(r *yookassa.InvoiceRequest) { r.Cart[0].DiscountPrice.Currency = "USD" }, "cart[0].discount_price.currency"},
		{"zero quantity", func(r *yookassa.InvoiceRequest) { r.Cart[0].Quantity = dec("0") }, "cart[0].quantity"},
		{"quantity four decimals", func(r *yookassa.InvoiceRequest) { r.Cart[0].Quantity = dec("1.0001") }, "cart[0].quantity"},
		{"no delivery type", func(r *yookassa.InvoiceRequest) { r.DeliveryMethodData.Type = "" }, "delivery_method_data.type"},
		{"unknown delivery type", func(r *yookassa.InvoiceRequest) { r.DeliveryMethodData.Type = "post" }, "delivery_method_data.type"},
		{"sms without phone", func(r *yookassa.InvoiceRequest) { r.DeliveryMethodData.Phone = "" }, "delivery_method_data.phone"},
		{"sms with a formatted phone", func(r *yookassa.InvoiceRequest) { r.DeliveryMethodData.Phone = "+7 900 123-45-67" }, "delivery_method_data.phone"},
		{"sms with email", func(r *yookassa.InvoiceRequest) { r.DeliveryMethodData.Email = "user@example.com" }, "delivery_method_data.email"},
		{"email without address", func(r *yookassa.InvoiceRequest) {
			r.DeliveryMethodData = &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail}
		}, "delivery_method_data.email"},
		{"email not an address", func(r *yookassa.InvoiceRequest) {
			r.DeliveryMethodData = &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail, Email: "user.example.com"}
		}, "delivery_method_data.email"},
		{"email with phone", func(r *yookassa.InvoiceRequest) {
			r.DeliveryMethodData = &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail, Email: "user@example.com", Phone: "79001234567"}
		}, "delivery_method_data.phone"},
		{"self with phone", func(r *yookassa.InvoiceRequest) {
			r.DeliveryMethodData = &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliverySelf, Phone: "79001234567"}
		}, "delivery_method_data.type"},
		{"no expiry", func(r *yookassa.InvoiceRequest) { r.ExpiresAt = time.Time{} }, "expires_at"},
		{"expiry 31 days ahead", func(r *yookassa.InvoiceRequest) { r.ExpiresAt = time.Now().Add(31 * 24 * time.Hour) }, "expires_at"},
		{"locale", func(r *yookassa.InvoiceRequest) { r.Locale = "ru" }, "locale"},
		{"description 129", func(r *yookassa.InvoiceRequest) { r.Description = strings.Repeat("я", 129) }, "description"},
		{"17 metadata keys", func(r *yookassa.InvoiceRequest) {
			r.Metadata = map[string]string{}
			for _, k := range strings.Split("a b c d e f g h i j k l m n o p q", " ") {
				r.Metadata[k] = "v"
			}
		}, "metadata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validInvoice()
			tc.edit(r)
			err := r.Validate()
			requireValidationError(t, err, tc.field)
			requireNoPersonalData(t, err.Error())
		})
	}
}

func TestInvoiceCallsRefuseBeforeSending(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	_, err := c.CreateInvoice(ctx, nil)
	requireValidationError(t, err, "")
	r := validInvoice()
	r.Cart = nil
	_, err = c.CreateInvoice(ctx, r)
	requireValidationError(t, err, "cart")
	// The specification's own default for the path parameter has a stray
	// "?>", 41 characters; an invoice ID is exactly 39.
	_, err = c.GetInvoice(ctx, invoiceID+"?>")
	requireValidationError(t, err, "invoice_id")
	_, err = c.GetInvoice(ctx, invoiceID[:38])
	requireValidationError(t, err, "invoice_id")
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestInvoiceItemQuantityIsANumber(t *testing.T) {
	out, err := json.Marshal(yookassa.InvoiceItem{Description: "x", Price: rub("1"), Quantity: dec("1.500")})
	require.NoError(t, err)
	assert.Contains(t, string(out), `"quantity":1.5`)
	var it yookassa.InvoiceItem
	require.NoError(t, json.Unmarshal([]byte(`{"description":"x","price":{"value":"1.00","currency":"RUB"},"quantity":"2.5"}`), &it))
	assert.True(t, it.Quantity.Equal(dec("2.5")))
	assert.Error(t, json.Unmarshal([]byte(`{"quantity":"two"}`), &it))
}

func TestInvoiceContactsStayOutOfPrintsAndLogs(t *testing.T) {
	req := validInvoice()
	email := &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail, Email: "user@example.com"}
	for _, v := range []any{req, *req, req.DeliveryMethodData, *req.DeliveryMethodData, email, *email} {
		requireNoPersonalData(t, printAll(v))
	}
	assert.Contains(t, printAll(*req.DeliveryMethodData), "sms")
}
