package yookassatest_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func cardPayout(amount string) *yookassa.PayoutRequest {
	return &yookassa.PayoutRequest{Amount: rub(amount), Description: "Payout for order No. 37",
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard,
			Card: &yookassa.PayoutCardData{Number: "2202202212345678"}},
		Metadata: map[string]string{"order_id": "37"}}
}

// rawPayoutJSON is req's body as the client would send it.
func rawPayoutJSON(t testing.TB, req *yookassa.PayoutRequest) string {
	t.Helper()
	b, err := json.Marshal(req)
	require.NoError(t, err)
	return string(b)
}

// payoutEvents returns the payouts delivered to rc, by event.
func payoutEvents(t *testing.T, rc *receiver) map[string][]yookassa.Payout {
	t.Helper()
	out := map[string][]yookassa.Payout{}
	for _, n := range rc.events() {
		if n.Event == string(yookassa.EventPayoutSucceeded) || n.Event == string(yookassa.EventPayoutCanceled) {
			var p yookassa.Payout
			require.NoError(t, json.Unmarshal(n.Object, &p))
			out[n.Event] = append(out[n.Event], p)
		}
	}
	return out
}

func TestPayoutSucceedsAndNotifies(t *testing.T) {
	rc := newReceiver(t, 0)
	s, _ := newSim(t, yookassatest.WithWebhook(rc.URL))
	pc := s.PayoutClient(fast)
	ctx := context.Background()

	p, err := pc.CreatePayout(ctx, cardPayout("320.00"))
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusSucceeded, p.Status)
	assert.Len(t, p.ID, 39)
	require.NotNil(t, p.SucceededAt)
	assert.Equal(t, yookassa.PayoutDestinationBankCard, p.PayoutDestination.Type)
	require.NotNil(t, p.PayoutDestination.Card)
	assert.Equal(t, yookassa.PayoutCard{First6: "220220", Last4: "5678", CardType: "Mir", IssuerCountry: "RU"}, *p.PayoutDestination.Card)
	assert.True(t, p.Test)
	assert.Equal(t, "37", p.Metadata["order_id"])

	got, err := pc.GetPayout(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p, got)

	waitNotifications(t, s)
	events := payoutEvents(t, rc)
	require.Len(t, events["payout.succeeded"], 1)
	assert.Equal(t, p.ID, events["payout.succeeded"][0].ID)
	assert.Empty(t, events["payout.canceled"])
}

func TestPayoutCanceledWithAReason(t *testing.T) {
	rc := newReceiver(t, 0)
	s, _ := newSim(t, yookassatest.WithWebhook(rc.URL), yookassatest.WithPayoutBalance(decimal.RequireFromString("1000.00")))
	pc := s.PayoutClient(fast)
	ctx := context.Background()

	first, err := pc.CreatePayout(ctx, cardPayout("600.00"))
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusSucceeded, first.Status)

	// 400.00 are left on the gateway's balance.
	me, err := pc.Me(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, s.AgentID(), me.AccountID)
	require.NotNil(t, me.PayoutBalance)
	assert.Equal(t, "400.00 RUB", me.PayoutBalance.String())
	short, err := pc.CreatePayout(ctx, cardPayout("400.01"))
	require.NoError(t, err, "a declined payout is an answer, not an error")
	assert.Equal(t, yookassa.PayoutStatusCanceled, short.Status)
	require.NotNil(t, short.CancellationDetails)
	assert.Equal(t, yookassa.CancellationDetails{Party: yookassa.PartyYooMoney, Reason: yookassa.ReasonInsufficientFunds}, *short.CancellationDetails)
	assert.Nil(t, short.SucceededAt)

	// Above the limit of one card payout.
	big := cardPayout("500000.01")
	s2, _ := newSim(t)
	limited, err := s2.PayoutClient(fast).CreatePayout(ctx, big)
	require.NoError(t, err)
	assert.Equal(t, yookassa.ReasonOneTimeLimitExceeded, limited.CancellationDetails.Reason)

	// A scripted decline from the network.
	s.DeclineNextPayout(yookassa.ReasonRecipientNotFound)
	sbp, err := pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("100.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "100000000111"}})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusCanceled, sbp.Status)
	assert.Equal(t, yookassa.CancellationDetails{Party: yookassa.PartyPayoutNetwork, Reason: yookassa.ReasonRecipientNotFound}, *sbp.CancellationDetails)

	// A canceled payout is final; a new request (a new key) pays.
	again, err := pc.CreatePayout(ctx, cardPayout("400.00"))
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusSucceeded, again.Status)

	waitNotifications(t, s)
	events := payoutEvents(t, rc)
	assert.Len(t, events["payout.succeeded"], 2)
	require.Len(t, events["payout.canceled"], 2)
	// Notifications are delivered each on its own, in either order.
	reasons := map[string]yookassa.CancellationReason{}
	for _, p := range events["payout.canceled"] {
		reasons[p.ID] = p.CancellationDetails.Reason
	}
	assert.Equal(t, map[string]yookassa.CancellationReason{short.ID: yookassa.ReasonInsufficientFunds,
		sbp.ID: yookassa.ReasonRecipientNotFound}, reasons)
}

func TestPayoutIdempotence(t *testing.T) {
	s, _ := newSim(t, yookassatest.WithFaults(yookassatest.Fault{Kind: yookassatest.FaultInternalAfter, Endpoint: "POST /payouts", Count: 1}))
	ctx := context.Background()
	pc := s.PayoutClient(fast)
	p, err := pc.CreatePayout(ctx, cardPayout("100.00"), yookassa.WithIdempotenceKey("order-37-payout"))
	require.NoError(t, err, "the retry with the same key gets the payout the lost answer carried")
	assert.Equal(t, 1, s.FaultsInjected())
	again, err := pc.CreatePayout(ctx, cardPayout("100.00"), yookassa.WithIdempotenceKey("order-37-payout"))
	require.NoError(t, err)
	assert.Equal(t, p.ID, again.ID)
	page, err := pc.ListPayouts(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.Items, 1, "one payout for one key")
}

func TestPayoutDelaySettlesOnTheClock(t *testing.T) {
	rc := newReceiver(t, 0)
	s, _ := newSim(t, yookassatest.WithWebhook(rc.URL), yookassatest.WithPayoutDelay(time.Minute),
		yookassatest.WithStartTime(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)))
	pc := s.PayoutClient(fast)
	ctx := context.Background()
	p, err := pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("80.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746"}})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusPending, p.Status)
	assert.Equal(t, "4100116075156746", p.PayoutDestination.AccountNumber)
	s.Advance(time.Minute)
	got, err := pc.GetPayout(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusSucceeded, got.Status)
	assert.Equal(t, time.Date(2026, 11, 1, 10, 1, 0, 0, time.UTC), got.SucceededAt.UTC())
	waitNotifications(t, s)
	assert.Len(t, payoutEvents(t, rc)["payout.succeeded"], 1)
}

func TestPayoutCredentials(t *testing.T) {
	s, shop := newSim(t, yookassatest.WithPayoutCredentials("777000", "payout_secret"))
	ctx := context.Background()
	assert.Equal(t, "777000", s.AgentID())
	pc := s.PayoutClient(fast)
	p, err := pc.CreatePayout(ctx, cardPayout("10.00"))
	require.NoError(t, err)

	// The shop's credentials make no regular payouts and see none.
	_, err = shop.CreatePayout(ctx, cardPayout("10.00"))
	requireAPIError(t, err, 403, "")
	_, err = shop.GetPayout(ctx, p.ID)
	requireAPIError(t, err, 404, "")
	// The gateway's credentials do not reach the shop's API.
	_, err = pc.CreatePayment(ctx, sberLoan("5000.00", false))
	requireAPIError(t, err, 403, "")
	// Wrong gateway credentials are refused like any others.
	wrong, err := yookassa.NewClient("777000", "wrong", yookassa.WithBaseURL(s.URL()))
	require.NoError(t, err)
	_, err = wrong.GetPayout(ctx, p.ID)
	assert.ErrorIs(t, err, yookassa.ErrInvalidCredentials)
}

func TestPayoutDestinations(t *testing.T) {
	s, shop := newSim(t)
	ctx := context.Background()
	pc := s.PayoutClient(fast)

	_, err := pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("100.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "999999999999"}})
	requireAPIError(t, err, 400, "payout_destination_data.bank_id")
	_, err = pc.CreatePayout(ctx, cardPayout("4.99"))
	var invalid *yookassa.ValidationError
	require.ErrorAs(t, err, &invalid, "the client refuses it before sending")
	status, raw := rawPost(t, s.URL()+"/payouts", s.AgentID(), s.PayoutSecretKey(), rawPayoutJSON(t, cardPayout("4.99")))
	assert.Equal(t, 400, status)
	assert.Contains(t, string(raw), `"parameter":"amount.value"`)

	tok, err := pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("100.00"), PayoutToken: "hoiCz_UVAdi_eKEthqhjRIJp.SC.001.202101"})
	require.NoError(t, err)
	assert.Equal(t, "4477", tok.PayoutDestination.Card.Last4)

	// A saved card pays out once it is active.
	m, err := shop.CreatePaymentMethod(ctx, &yookassa.PaymentMethodRequest{Type: yookassa.PaymentMethodBankCard,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/cards"}})
	require.NoError(t, err)
	_, err = pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("100.00"), PaymentMethodID: m.ID})
	requireAPIError(t, err, 400, "payment_method_id")
	require.NoError(t, s.ConfirmPaymentMethod(m.ID))
	saved, err := pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("100.00"), PaymentMethodID: m.ID})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusSucceeded, saved.Status)
	assert.Equal(t, "4444", saved.PayoutDestination.Card.Last4)
}

func TestPayoutListAndSearch(t *testing.T) {
	s, _ := newSim(t, yookassatest.WithStartTime(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	pc := s.PayoutClient(fast)
	var ids []string
	for _, order := range []string{"1", "2", "3"} {
		req := cardPayout("10.00")
		req.Metadata = map[string]string{"order_id": order}
		if order == "2" {
			req.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746"}
		}
		p, err := pc.CreatePayout(ctx, req)
		require.NoError(t, err)
		ids = append(ids, p.ID)
		s.Advance(time.Minute)
	}
	var all []string
	for p, err := range pc.Payouts(ctx, &yookassa.PayoutListParams{Limit: 2}) {
		require.NoError(t, err)
		all = append(all, p.ID)
	}
	assert.Equal(t, []string{ids[2], ids[1], ids[0]}, all)
	wallets, err := pc.ListPayouts(ctx, &yookassa.PayoutListParams{PayoutDestinationType: yookassa.PayoutDestinationYooMoney})
	require.NoError(t, err)
	require.Len(t, wallets.Items, 1)
	assert.Equal(t, ids[1], wallets.Items[0].ID)

	found, err := pc.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"order_id": "3"}})
	require.NoError(t, err)
	require.Len(t, found.Items, 1)
	assert.Equal(t, ids[2], found.Items[0].ID)
	// The search looks back three months only.
	s.Advance(91 * 24 * time.Hour)
	found, err = pc.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"order_id": "3"}})
	require.NoError(t, err)
	assert.Empty(t, found.Items)
	_, err = pc.SearchPayouts(ctx, nil)
	requireAPIError(t, err, 400, "metadata")
}

func TestSBPBanks(t *testing.T) {
	s, shop := newSim(t)
	ctx := context.Background()
	banks, err := s.PayoutClient(fast).ListSBPBanks(ctx)
	require.NoError(t, err)
	assert.Equal(t, "list", banks.Type)
	require.Len(t, banks.Items, len(yookassatest.DefaultSBPBanks()))
	for i := 1; i < len(banks.Items); i++ {
		assert.Greater(t, banks.Items[i-1].BankID, banks.Items[i].BankID, "sorted by bank_id, descending")
	}
	assert.Contains(t, banks.Items, yookassa.SBPBank{BankID: "100000000111", Name: "Сбербанк", BIC: "044525225"})
	_, err = shop.ListSBPBanks(ctx)
	requireAPIError(t, err, 403, "")

	own := yookassa.SBPBank{BankID: "1crediTbank1", Name: "Test bank", BIC: "044500000"}
	s2, _ := newSim(t, yookassatest.WithSBPBanks(own))
	banks, err = s2.PayoutClient(fast).ListSBPBanks(ctx)
	require.NoError(t, err)
	assert.Equal(t, []yookassa.SBPBank{own}, banks.Items)
	p, err := s2.PayoutClient(fast).CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("10.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: own.BankID}})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusSucceeded, p.Status)
	assert.NotEmpty(t, p.PayoutDestination.SBPOperationID)
	assert.False(t, p.PayoutDestination.RecipientChecked, "no recipient data, no check")
}
