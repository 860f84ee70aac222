package notification_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/notification"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// The simulator notifies about a payout, a deal and a saved card; the
// handler re-reads each with the right credentials and hands the callback
// YooKassa's copies.
func TestHandlerWithSimulator(t *testing.T) {
	// The receiver's address goes to the simulator, whose clients go to
	// the handler behind that address.
	var h http.Handler
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(receiver.Close)
	sim := yookassatest.NewServer(yookassatest.WithWebhook(receiver.URL))
	t.Cleanup(sim.Close)
	shop := sim.Client()
	var mu sync.Mutex
	got := map[yookassa.EventType]*notification.Event{}
	h, err := notification.NewHandler(shop, func(_ context.Context, ev *notification.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got[ev.Event] = ev
		return nil
	}, notification.WithPayoutClient(sim.PayoutClient()),
		notification.WithAllowedSources(netip.MustParsePrefix("127.0.0.1/32")))
	require.NoError(t, err)

	ctx := context.Background()
	m, err := shop.CreatePaymentMethod(ctx, &yookassa.PaymentMethodRequest{Type: yookassa.PaymentMethodBankCard,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/cards"}})
	require.NoError(t, err)
	require.NoError(t, sim.ConfirmPaymentMethod(m.ID))
	po, err := sim.PayoutClient().CreatePayout(ctx, &yookassa.PayoutRequest{Amount: yookassa.RUB(decimal.RequireFromString("320.00")), PaymentMethodID: m.ID})
	require.NoError(t, err)
	d, err := shop.CreateDeal(ctx, &yookassa.DealRequest{FeeMoment: yookassa.FeeMomentPaymentSucceeded})
	require.NoError(t, err)
	sim.Advance(yookassatest.DefaultDealLifetime)

	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, sim.WaitNotifications(wait))
	for _, dl := range sim.Deliveries() {
		assert.True(t, dl.Delivered, "%s %s: status %d", dl.Event, dl.ObjectID, dl.Status)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Contains(t, got, yookassa.EventPaymentMethodActive)
	require.Contains(t, got, yookassa.EventPayoutSucceeded)
	require.Contains(t, got, yookassa.EventDealClosed)
	for _, ev := range got {
		assert.True(t, ev.Verified, ev.Event)
	}
	assert.Equal(t, m.ID, got[yookassa.EventPaymentMethodActive].PaymentMethod.ID)
	assert.Equal(t, po.ID, got[yookassa.EventPayoutSucceeded].Payout.ID)
	assert.Equal(t, d.ID, got[yookassa.EventDealClosed].Deal.ID)
	assert.Equal(t, yookassa.DealStatusClosed, got[yookassa.EventDealClosed].Deal.Status)
}
