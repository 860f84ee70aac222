package yookassatest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func bindCard() *yookassa.PaymentMethodRequest {
	return &yookassa.PaymentMethodRequest{Type: yookassa.PaymentMethodBankCard,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/cards"},
		Metadata:     map[string]string{"user_id": "37"}}
}

func TestSavedCardBecomesActiveAndPays(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL))
	ctx := context.Background()

	m, err := c.CreatePaymentMethod(ctx, bindCard())
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentMethodStatusPending, m.Status)
	assert.False(t, m.Saved)
	assert.False(t, m.Usable())
	assert.Equal(t, yookassa.PaymentMethodHolder{AccountID: s.ShopID(), GatewayID: yookassatest.DefaultGatewayID}, m.Holder)
	require.NotNil(t, m.Confirmation)
	assert.Equal(t, s.PaymentMethodURL(m.ID), m.Confirmation.ConfirmationURL)
	assert.Equal(t, "https://shop.example/cards", m.Confirmation.ReturnURL)

	// Not usable while pending.
	_, err = c.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: rub("100.00"), PaymentMethodID: m.ID, Capture: true})
	requireAPIError(t, err, 400, "payment_method_id")

	require.NoError(t, s.ConfirmPaymentMethod(m.ID))
	active, err := c.GetPaymentMethod(ctx, m.ID)
	require.NoError(t, err)
	assert.True(t, active.Usable())
	assert.Nil(t, active.Confirmation)
	assert.Equal(t, "Bank card *4444", active.Title)
	require.NotNil(t, active.Card)
	assert.Equal(t, "4444", active.Card.Last4)
	assert.ErrorIs(t, s.ConfirmPaymentMethod(m.ID), yookassatest.ErrPaymentMethodNotPending)

	// An automatic payment: no confirmation, no user.
	p, err := c.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: rub("199.00"), PaymentMethodID: m.ID, Capture: true,
		Description: "Subscription, December"})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Nil(t, p.Confirmation)
	require.NotNil(t, p.PaymentMethod)
	assert.Equal(t, m.ID, p.PaymentMethod.ID)
	assert.True(t, p.PaymentMethod.Saved)
	assert.Equal(t, yookassa.PaymentMethodStatusActive, p.PaymentMethod.Status)

	waitNotifications(t, s)
	var activeEvents []yookassa.SavedPaymentMethod
	for _, n := range rc.events() {
		if n.Event == string(yookassa.EventPaymentMethodActive) {
			var obj yookassa.SavedPaymentMethod
			require.NoError(t, json.Unmarshal(n.Object, &obj))
			activeEvents = append(activeEvents, obj)
		}
	}
	require.Len(t, activeEvents, 1)
	assert.Equal(t, m.ID, activeEvents[0].ID)
	assert.True(t, activeEvents[0].Usable())
}

func TestSavedMethodDeclinedOrExpired(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL), yookassatest.WithStartTime(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)))
	ctx := context.Background()

	declined, err := c.CreatePaymentMethod(ctx, bindCard())
	require.NoError(t, err)
	require.NoError(t, s.DeclinePaymentMethod(declined.ID))
	got, err := c.GetPaymentMethod(ctx, declined.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentMethodStatusInactive, got.Status)
	assert.False(t, got.Saved)

	late, err := c.CreatePaymentMethod(ctx, bindCard())
	require.NoError(t, err)
	s.Advance(59 * time.Minute)
	got, err = c.GetPaymentMethod(ctx, late.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentMethodStatusPending, got.Status)
	s.Advance(time.Minute)
	got, err = c.GetPaymentMethod(ctx, late.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentMethodStatusInactive, got.Status, "the link lives an hour")
	assert.ErrorIs(t, s.ConfirmPaymentMethod(late.ID), yookassatest.ErrPaymentMethodNotPending)

	waitNotifications(t, s)
	assert.Empty(t, rc.events(), "inactive sends nothing")
	_, err = c.GetPaymentMethod(ctx, "22e12f66-000f-5000-8000-18db351245c7")
	requireAPIError(t, err, 404, "")
}

func TestSavedMethodWithCardDataAndSBP(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	m, err := c.CreatePaymentMethod(ctx, &yookassa.PaymentMethodRequest{Type: yookassa.PaymentMethodBankCard,
		Card:         &yookassa.CardData{Number: "2202201234564477", ExpiryYear: "2031", ExpiryMonth: "09", CSC: "123"},
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/cards"}})
	require.NoError(t, err)
	require.NoError(t, s.ConfirmPaymentMethod(m.ID))
	got, err := c.GetPaymentMethod(ctx, m.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.BankCard{First6: "220220", Last4: "4477", ExpiryYear: "2031", ExpiryMonth: "09", CardType: "Mir", IssuerCountry: "RU"}, *got.Card)
	assert.Equal(t, "Bank card *4477", got.Title)

	// SBP bindings came after the specification's edition (its
	// SavePaymentMethod knows bank_card only), so this client's answers are
	// not validated against it.
	c = s.Client(fast)
	sbp, err := c.CreatePaymentMethod(ctx, &yookassa.PaymentMethodRequest{Type: yookassa.PaymentMethodSBP,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationQR}})
	require.NoError(t, err)
	assert.NotEmpty(t, sbp.Confirmation.ConfirmationData)
	assert.Empty(t, sbp.Confirmation.ConfirmationURL)
	require.NoError(t, s.ConfirmPaymentMethod(sbp.ID))
	got, err = c.GetPaymentMethod(ctx, sbp.ID)
	require.NoError(t, err)
	require.NotNil(t, got.PayerBankDetails)
	assert.Len(t, got.PayerBankDetails.BankID, 12)
}

// The confirmation page saves the card when the user presses Save and
// sends them back to the shop.
func TestSavedMethodConfirmationPage(t *testing.T) {
	s, c := newSim(t)
	m, err := c.CreatePaymentMethod(context.Background(), bindCard())
	require.NoError(t, err)
	page, err := http.Get(m.Confirmation.ConfirmationURL)
	require.NoError(t, err)
	page.Body.Close()
	assert.Equal(t, 200, page.StatusCode)

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(m.Confirmation.ConfirmationURL, url.Values{"choice": {"confirm"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "https://shop.example/cards", resp.Header.Get("Location"))
	got, err := s.PaymentMethod(m.ID)
	require.NoError(t, err)
	assert.True(t, got.Usable())
}

// A payment made with save_payment_method saves its card once paid.
func TestPaymentSavesItsMethod(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	first := create(t, c, &yookassa.PaymentRequest{Amount: rub("10.00"), Capture: true, SavePaymentMethod: true,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"}})
	require.NoError(t, s.Confirm(first.ID, ""))
	paid := get(t, c, first.ID)
	require.NotNil(t, paid.PaymentMethod)
	assert.True(t, paid.PaymentMethod.Saved)
	assert.Equal(t, yookassa.PaymentMethodStatusActive, paid.PaymentMethod.Status)

	next, err := c.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: rub("10.00"), PaymentMethodID: paid.PaymentMethod.ID})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, next.Status, "two-stage: held at once")
}
