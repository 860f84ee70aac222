package yookassatest_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func createDeal(t *testing.T, c *yookassa.Client, moment yookassa.FeeMoment, description string) *yookassa.SafeDeal {
	t.Helper()
	d, err := c.CreateDeal(context.Background(), &yookassa.DealRequest{FeeMoment: moment, Description: description,
		Metadata: map[string]string{"order_id": "37"}})
	require.NoError(t, err)
	return d
}

// payIntoDeal creates a card payment of amount into deal with the seller's
// settlement, and has the buyer pay it (captured at once).
func payIntoDeal(t *testing.T, s *yookassatest.Server, c *yookassa.Client, dealID, amount, seller string) *yookassa.Payment {
	t.Helper()
	p := create(t, c, &yookassa.PaymentRequest{
		Amount: rub(amount), Capture: true, Description: "Order No. 37",
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		Deal:         &yookassa.Deal{ID: dealID, Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub(seller)}}},
	})
	require.NotNil(t, p.Deal, "the payment shows its deal")
	assert.Equal(t, dealID, p.Deal.ID)
	require.NoError(t, s.Confirm(p.ID, ""))
	return get(t, c, p.ID)
}

func getDeal(t *testing.T, c *yookassa.Client, id string) *yookassa.SafeDeal {
	t.Helper()
	d, err := c.GetDeal(context.Background(), id)
	require.NoError(t, err)
	return d
}

func assertBalances(t *testing.T, d *yookassa.SafeDeal, balance, payout string) {
	t.Helper()
	assert.Equal(t, balance, d.Balance.Value.StringFixed(2), "balance")
	assert.Equal(t, payout, d.PayoutBalance.Value.StringFixed(2), "payout_balance")
}

// The deal of the examples: 1,000.00 paid in, 800.00 for the seller, paid
// out to the seller's card; the deal closes and says so.
func TestDealPaymentThenPayoutCloses(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL))
	d := createDeal(t, c, yookassa.FeeMomentPaymentSucceeded, "SAFE_DEAL order 37")
	assert.Equal(t, yookassa.DealStatusOpened, d.Status)
	assert.Equal(t, yookassa.DealTypeSafeDeal, d.Type)
	assertBalances(t, d, "0.00", "0.00")
	assert.Len(t, d.ID, 39)
	assert.Equal(t, d.CreatedAt.Add(yookassatest.DefaultDealLifetime), d.ExpiresAt)

	p := payIntoDeal(t, s, c, d.ID, "1000.00", "800.00")
	require.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	// payment_succeeded: the platform's reward leaves at once; the seller's
	// part stays in the deal.
	assertBalances(t, getDeal(t, c, d.ID), "800.00", "800.00")

	po, err := c.CreatePayout(context.Background(), &yookassa.PayoutRequest{Amount: rub("800.00"), PayoutToken: "hoiCz_UVAdi_eKEthqhjRIJp.SC.001.202101",
		Description: "Payout for order No. 37", Deal: &yookassa.PayoutDeal{ID: d.ID}})
	require.NoError(t, err, "a deal's payout is made with the shop's credentials")
	assert.Equal(t, yookassa.PayoutStatusSucceeded, po.Status)
	require.NotNil(t, po.Deal)
	assert.Equal(t, d.ID, po.Deal.ID)

	closed := getDeal(t, c, d.ID)
	assert.Equal(t, yookassa.DealStatusClosed, closed.Status)
	assertBalances(t, closed, "0.00", "0.00")

	waitNotifications(t, s)
	var dealClosed []yookassa.SafeDeal
	for _, n := range rc.events() {
		if n.Event == string(yookassa.EventDealClosed) {
			var obj yookassa.SafeDeal
			require.NoError(t, json.Unmarshal(n.Object, &obj))
			dealClosed = append(dealClosed, obj)
		}
	}
	require.Len(t, dealClosed, 1)
	assert.Equal(t, d.ID, dealClosed[0].ID)
	assert.Equal(t, yookassa.DealStatusClosed, dealClosed[0].Status)

	// Nothing more goes into a closed deal.
	_, err = c.CreatePayment(context.Background(), &yookassa.PaymentRequest{Amount: rub("100.00"),
		Deal: &yookassa.Deal{ID: d.ID, Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("50.00")}}}})
	requireAPIError(t, err, 400, "deal.id")
}

// With fee moment deal_closed the whole income stays in the deal until
// it closes; a partial capture replaces the seller's settlement.
func TestDealClosedFeeMomentAndPartialCapture(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	d := createDeal(t, c, yookassa.FeeMomentDealClosed, "freelance order 38")
	p := create(t, c, &yookassa.PaymentRequest{Amount: rub("2000.00"),
		Deal: &yookassa.Deal{ID: d.ID, Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("1600.00")}}}})
	require.NoError(t, s.Confirm(p.ID, ""))
	assertBalances(t, getDeal(t, c, d.ID), "0.00", "0.00") // held, not captured: nothing yet

	_, err := c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("1000.00"),
		Deal: &yookassa.Deal{Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("990.00")}}}})
	requireAPIError(t, err, 400, "deal.settlements")
	assertBalances(t, getDeal(t, c, d.ID), "0.00", "0.00")
	_, err = c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("1000.00"),
		Deal: &yookassa.Deal{Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("800.00")}}}})
	require.NoError(t, err)
	// Income of 1,000.00 after 3.5%: 965.00; the seller's part 800.00.
	assertBalances(t, getDeal(t, c, d.ID), "965.00", "800.00")

	_, err = c.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("800.01"), PayoutToken: "tok", Deal: &yookassa.PayoutDeal{ID: d.ID}})
	requireAPIError(t, err, 400, "amount")
	_, err = c.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("800.00"), PayoutToken: "tok", Deal: &yookassa.PayoutDeal{ID: d.ID}})
	require.NoError(t, err)
	closed := getDeal(t, c, d.ID)
	assert.Equal(t, yookassa.DealStatusClosed, closed.Status)
	assertBalances(t, closed, "0.00", "0.00")
}

func TestDealRefundShrinksAndCloses(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	d := createDeal(t, c, yookassa.FeeMomentPaymentSucceeded, "order 39")
	p := payIntoDeal(t, s, c, d.ID, "1000.00", "800.00")

	// Only the seller's part can be refunded with payment_succeeded.
	_, err := c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("900.00")})
	requireAPIError(t, err, 400, "amount")
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("500.00"),
		Deal: &yookassa.RefundDeal{RefundSettlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("600.00")}}}})
	requireAPIError(t, err, 400, "deal.refund_settlements")

	r, err := c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("500.00"),
		Deal: &yookassa.RefundDeal{RefundSettlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("450.00")}}}})
	require.NoError(t, err)
	require.NotNil(t, r.Deal, "the refund names the payment's deal")
	assert.Equal(t, d.ID, r.Deal.ID)

	after := getDeal(t, c, d.ID)
	assert.Equal(t, yookassa.DealStatusClosed, after.Status, "a refund closes the deal")
	assertBalances(t, after, "300.00", "350.00")

	_, err = c.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("100.00"), PayoutToken: "tok", Deal: &yookassa.PayoutDeal{ID: d.ID}})
	requireAPIError(t, err, 400, "deal.id")
}

func TestDealRefusesWhatYooKassaRefuses(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	d := createDeal(t, c, yookassa.FeeMomentPaymentSucceeded, "order 40")
	settle := func(v string) *yookassa.Deal {
		return &yookassa.Deal{ID: d.ID, Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub(v)}}}
	}
	// The platform's share (10.00) is less than YooKassa's fee (35.00).
	_, err := c.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: rub("1000.00"), Deal: settle("990.00")})
	requireAPIError(t, err, 400, "deal.settlements")
	// An unknown deal.
	_, err = c.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: rub("1000.00"),
		Deal: &yookassa.Deal{ID: "dl-00000000-0000-0000-0000-000000000000", Settlements: settle("800.00").Settlements}})
	requireAPIError(t, err, 400, "deal.id")
	// SBP is not available in a Safe deal.
	_, err = c.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: rub("1000.00"), Deal: settle("800.00"),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSBP},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationQR}})
	requireAPIError(t, err, 400, "payment_method_data.type")
	// The payout gateway does not pay out of a shop's deal.
	_, err = s.PayoutClient(fast).CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("1.00"), PayoutToken: "tok", Deal: &yookassa.PayoutDeal{ID: d.ID}})
	requireAPIError(t, err, 403, "")
	// An OAuth token cannot reach deals.
	_, err = s.OAuthClient(fast).CreateDeal(ctx, &yookassa.DealRequest{FeeMoment: yookassa.FeeMomentDealClosed})
	requireAPIError(t, err, 403, "")
}

func TestDealExpires(t *testing.T) {
	rc := newReceiver(t, 0)
	s, c := newSim(t, yookassatest.WithWebhook(rc.URL), yookassatest.WithStartTime(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)))
	d := createDeal(t, c, yookassa.FeeMomentPaymentSucceeded, "order 41")
	payIntoDeal(t, s, c, d.ID, "1000.00", "800.00")
	s.Advance(yookassatest.DefaultDealLifetime - time.Second)
	assert.Equal(t, yookassa.DealStatusOpened, getDeal(t, c, d.ID).Status)
	s.Advance(time.Second)
	expired := getDeal(t, c, d.ID)
	assert.Equal(t, yookassa.DealStatusClosed, expired.Status)
	assertBalances(t, expired, "0.00", "0.00")
	waitNotifications(t, s)
	var events []string
	for _, n := range rc.events() {
		events = append(events, n.Event)
	}
	assert.Contains(t, events, "deal.closed")
}

func TestDealListFilters(t *testing.T) {
	s, c := newSim(t, yookassatest.WithStartTime(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	var ids []string
	for i, text := range []string{"seller Alice order 1", "seller Bob order 2", "seller Alice order 3"} {
		ids = append(ids, createDeal(t, c, yookassa.FeeMomentPaymentSucceeded, text).ID)
		s.Advance(time.Duration(i+1) * time.Minute)
	}
	p := payIntoDeal(t, s, c, ids[1], "1000.00", "800.00")
	_, err := c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("800.00")})
	require.NoError(t, err)

	collect := func(params *yookassa.DealListParams) []string {
		var out []string
		for d, err := range c.Deals(ctx, params) {
			require.NoError(t, err)
			out = append(out, d.ID)
		}
		return out
	}
	assert.Equal(t, []string{ids[2], ids[1], ids[0]}, collect(&yookassa.DealListParams{Limit: 1}), "newest first, page by page")
	assert.Equal(t, []string{ids[2], ids[0]}, collect(&yookassa.DealListParams{FullTextSearch: "alice"}))
	assert.Equal(t, []string{ids[1]}, collect(&yookassa.DealListParams{Status: yookassa.DealStatusClosed}))
	assert.Equal(t, []string{ids[2]}, collect(&yookassa.DealListParams{CreatedAtGTE: time.Date(2026, 11, 1, 10, 3, 0, 0, time.UTC)}))
	_, err = c.GetDeal(ctx, "dl-00000000-0000-0000-0000-000000000000")
	requireAPIError(t, err, 404, "")
	assert.ErrorIs(t, err, yookassa.ErrNotFound)
}
