package yookassatest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// The code under test is built with the simulator's client first; the
// simulator learns the webhook URL when it starts.
func TestUnstartedServerTakesTheWebhookAtStart(t *testing.T) {
	sim := yookassatest.NewUnstartedServer()
	t.Cleanup(sim.Close)
	client := sim.Client(fast)
	paths := make(chan string, 4)
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths <- r.URL.Path
	}))
	t.Cleanup(shop.Close)
	sim.Start(yookassatest.WithWebhook(shop.URL + "/notifications"))

	p := create(t, client, sberLoan("5000.00", true))
	require.NoError(t, sim.Confirm(p.ID, "loan"))
	waitNotifications(t, sim)
	require.Len(t, sim.Deliveries(), 1)
	assert.True(t, sim.Deliveries()[0].Delivered)
	assert.Equal(t, "/notifications", <-paths)
	assert.Panics(t, func() { sim.Start() }, "a second Start is a misuse")
}

func TestUnstartedServerClosesWithoutStarting(t *testing.T) {
	sim := yookassatest.NewUnstartedServer()
	url := sim.URL()
	sim.Close()
	_, err := http.Get(url + "/me")
	assert.Error(t, err, "nothing listens any more")
}

func TestResetForgetsEverything(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	key := yookassa.WithIdempotenceKey("order-1")
	first := create(t, c, sberLoan("5000.00", false))
	_, err := c.CreatePayment(ctx, sberLoan("5000.00", false), key)
	require.NoError(t, err)
	s.InjectFault(yookassatest.Fault{Kind: yookassatest.FaultInternalBefore, Endpoint: "GET /me", Count: 5})
	s.Reset()
	assert.Empty(t, s.Payments())
	_, err = c.GetPayment(ctx, first.ID)
	assert.ErrorIs(t, err, yookassa.ErrNotFound)
	again, err := c.CreatePayment(ctx, sberLoan("5000.00", false), key)
	require.NoError(t, err, "the key is forgotten too")
	assert.NotEqual(t, first.ID, again.ID)
	_, err = c.Me(ctx, nil)
	assert.NoError(t, err, "faults are gone")
}

func TestBuyerErrorsAreTyped(t *testing.T) {
	s, c := newSim(t, yookassatest.WithTariffs(nil))
	p := create(t, c, sberLoan("5000.00", false))
	err := s.Confirm(p.ID, "installments_12")
	require.ErrorIs(t, err, yookassatest.ErrOptionNotEnabled)
	var be *yookassatest.BuyerError
	require.True(t, errors.As(err, &be))
	assert.Equal(t, p.ID, be.PaymentID)
	assert.Equal(t, "installments_12", be.Option)
	assert.ErrorIs(t, s.Confirm(p.ID, "installments_x"), yookassatest.ErrOptionNotEnabled)
	assert.ErrorIs(t, s.Confirm("missing", "loan"), yookassatest.ErrUnknownPayment)

	card := create(t, c, &yookassa.PaymentRequest{Amount: rub("10.00"),
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/r"}})
	assert.ErrorIs(t, s.Confirm(card.ID, "loan"), yookassatest.ErrOptionNotApplicable)
	require.NoError(t, s.Confirm(card.ID, ""))
	assert.ErrorIs(t, s.Confirm(card.ID, ""), yookassatest.ErrNotPending)
	assert.ErrorIs(t, s.Decline(card.ID), yookassatest.ErrNotPending)
}
