package yookassatest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

var simStart = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)

func invoice(capture bool) *yookassa.InvoiceRequest {
	return &yookassa.InvoiceRequest{
		PaymentData: yookassa.InvoicePaymentData{Amount: rub("10.00"), Capture: capture, Description: "Order No. 37",
			Metadata: map[string]string{"order_id": "37"}},
		Cart: []yookassa.InvoiceItem{
			{Description: "Item 12345", Price: rub("9.00"), DiscountPrice: amountPtr("7.00"), Quantity: decimal.NewFromInt(1)},
			{Description: "Item 67890", Price: rub("1.00"), Quantity: decimal.NewFromInt(3)},
		},
		DeliveryMethodData: &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliverySelf},
		ExpiresAt:          time.Now().Add(7 * 24 * time.Hour),
		Description:        "Invoice for order No. 37",
	}
}

func getInvoice(t *testing.T, c *yookassa.Client, id string) *yookassa.Invoice {
	t.Helper()
	inv, err := c.GetInvoice(context.Background(), id)
	require.NoError(t, err)
	return inv
}

func TestInvoiceLinkLeadsToAPayment(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	inv, err := c.CreateInvoice(ctx, invoice(true))
	require.NoError(t, err)
	assert.Equal(t, yookassa.InvoiceStatusPending, inv.Status)
	assert.Len(t, inv.ID, 39)
	require.NotNil(t, inv.DeliveryMethod)
	assert.Equal(t, s.InvoiceURL(inv.ID), inv.DeliveryMethod.URL)
	require.Len(t, inv.Cart, 2)
	assert.Equal(t, "7.00", inv.Cart[0].DiscountPrice.Value.StringFixed(2))

	// The buyer opens the link and presses Pay: a payment with the
	// invoice's data, and the checkout page.
	page, err := http.Get(inv.DeliveryMethod.URL)
	require.NoError(t, err)
	page.Body.Close()
	assert.Equal(t, 200, page.StatusCode)
	resp, err := http.Post(inv.DeliveryMethod.URL, "application/x-www-form-urlencoded", strings.NewReader(""))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Request.URL.String(), s.CheckoutURL("")), resp.Request.URL.String())
	paymentID := strings.TrimPrefix(resp.Request.URL.Path, "/checkout/")

	p := get(t, c, paymentID)
	require.NotNil(t, p.InvoiceDetails)
	assert.Equal(t, inv.ID, p.InvoiceDetails.ID)
	assert.Equal(t, "10.00", p.Amount.Value.StringFixed(2))
	assert.Equal(t, "37", p.Metadata["order_id"])
	assert.Nil(t, getInvoice(t, c, inv.ID).PaymentDetails, "nothing confirmed yet")
	again, err := s.PayInvoice(inv.ID)
	require.NoError(t, err)
	assert.Equal(t, paymentID, again, "the payment in progress is resumed")

	require.NoError(t, s.Confirm(paymentID, ""))
	paid := getInvoice(t, c, inv.ID)
	assert.Equal(t, yookassa.InvoiceStatusSucceeded, paid.Status)
	assert.Equal(t, &yookassa.InvoicePaymentDetails{ID: paymentID, Status: yookassa.PaymentStatusSucceeded}, paid.PaymentDetails)
	assert.Nil(t, paid.DeliveryMethod)
	assert.Nil(t, paid.ExpiresAt)
	_, err = s.PayInvoice(inv.ID)
	assert.ErrorIs(t, err, yookassatest.ErrInvoiceNotPending, "an invoice is paid once")
}

func TestInvoiceTwoStage(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(simStart))
	ctx := context.Background()
	req := invoice(false)
	req.ExpiresAt = simStart.Add(24 * time.Hour)
	inv, err := c.CreateInvoice(ctx, req)
	require.NoError(t, err)

	// A declined payment leaves the invoice open for another try.
	first, err := s.PayInvoice(inv.ID)
	require.NoError(t, err)
	require.NoError(t, s.Decline(first))
	open := getInvoice(t, c, inv.ID)
	assert.Equal(t, yookassa.InvoiceStatusPending, open.Status)
	second, err := s.PayInvoice(inv.ID)
	require.NoError(t, err)
	assert.NotEqual(t, first, second)

	require.NoError(t, s.Confirm(second, ""))
	held := getInvoice(t, c, inv.ID)
	assert.Equal(t, yookassa.InvoiceStatusSucceeded, held.Status, "succeeded as soon as the payment is held")
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, held.PaymentDetails.Status)

	_, err = c.CancelPayment(ctx, second)
	require.NoError(t, err)
	canceled := getInvoice(t, c, inv.ID)
	assert.Equal(t, yookassa.InvoiceStatusCanceled, canceled.Status)
	assert.Equal(t, &yookassa.CancellationDetails{Party: yookassa.PartyMerchant, Reason: yookassa.ReasonPaymentCanceled}, canceled.CancellationDetails)

	// A hold that expires cancels its invoice too.
	inv2, err := c.CreateInvoice(ctx, req)
	require.NoError(t, err)
	p2, err := s.PayInvoice(inv2.ID)
	require.NoError(t, err)
	require.NoError(t, s.Confirm(p2, ""))
	s.Advance(8 * 24 * time.Hour)
	assert.Equal(t, yookassa.ReasonPaymentExpiredOnCapture, getInvoice(t, c, inv2.ID).CancellationDetails.Reason)
}

func TestInvoiceExpires(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(simStart))
	ctx := context.Background()
	req := invoice(true)
	req.ExpiresAt = simStart.Add(time.Hour)
	req.DeliveryMethodData = &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail, Email: "buyer@example.com"}
	inv, err := c.CreateInvoice(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, &yookassa.InvoiceDeliveryMethod{Type: yookassa.InvoiceDeliveryEmail}, inv.DeliveryMethod, "no link for e-mail delivery")
	s.Advance(time.Hour)
	expired := getInvoice(t, c, inv.ID)
	assert.Equal(t, yookassa.InvoiceStatusCanceled, expired.Status)
	assert.Equal(t, &yookassa.CancellationDetails{Party: yookassa.PartyYooMoney, Reason: yookassa.ReasonInvoiceExpired}, expired.CancellationDetails)
	_, err = s.PayInvoice(inv.ID)
	assert.ErrorIs(t, err, yookassatest.ErrInvoiceNotPending)
}

func TestInvoiceRefusals(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(simStart))
	ctx := context.Background()
	past := invoice(true)
	past.ExpiresAt = simStart.Add(-time.Minute)
	_, err := c.CreateInvoice(ctx, past)
	requireAPIError(t, err, 400, "expires_at")

	sms := invoice(true)
	sms.ExpiresAt = simStart.Add(time.Hour)
	sms.DeliveryMethodData = &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliverySMS, Phone: "79000000000"}
	_, err = c.CreateInvoice(ctx, sms)
	requireAPIError(t, err, 400, "payment_data.amount")

	_, err = s.OAuthClient(fast).GetInvoice(ctx, "in-e44e8088-bd73-43b1-959a-954f3a7d0c54")
	requireAPIError(t, err, 403, "")
	_, err = c.GetInvoice(ctx, "in-e44e8088-bd73-43b1-959a-954f3a7d0c54")
	requireAPIError(t, err, 404, "")
}
