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

	"github.com/creditpay/yookassa-go/internal/spectest"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// TestResourceAnswersMatchTheSpecification drives every state of saved
// payment methods, invoices, deals, payouts, SBP banks and personal data
// and validates each answer and notification against the response schemas
// of YooKassa's specification, like TestAnswersMatchTheSpecification does
// for payments.
func TestResourceAnswersMatchTheSpecification(t *testing.T) {
	spec := spectest.Load(t)
	rc := newReceiver(t, 0)
	s := yookassatest.NewServer(yookassatest.WithWebhook(rc.URL), yookassatest.WithPayoutBalance(decimal.RequireFromString("500.00")))
	t.Cleanup(s.Close)
	rec := &recorder{next: http.DefaultTransport}
	hc := &http.Client{Transport: rec}
	c := s.Client(fast, yookassa.WithHTTPClient(hc))
	pc := s.PayoutClient(fast, yookassa.WithHTTPClient(hc))
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		require.NoError(t, err)
	}

	// Saved methods: pending, active, inactive; a payment with one. (SBP
	// bindings, which YooKassa added after the specification's edition,
	// are left out: its SavePaymentMethod knows bank_card only.)
	card, err := c.CreatePaymentMethod(ctx, bindCard())
	require.NoError(t, err)
	require.NoError(t, s.ConfirmPaymentMethod(card.ID))
	must(c.GetPaymentMethod(ctx, card.ID))
	must(c.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: rub("10.00"), PaymentMethodID: card.ID, Capture: true}))
	declined, err := c.CreatePaymentMethod(ctx, bindCard())
	require.NoError(t, err)
	require.NoError(t, s.DeclinePaymentMethod(declined.ID))
	must(c.GetPaymentMethod(ctx, declined.ID))

	// Invoices: pending (self and e-mail), succeeded, canceled.
	inv, err := c.CreateInvoice(ctx, invoice(false))
	require.NoError(t, err)
	p, err := s.PayInvoice(inv.ID)
	require.NoError(t, err)
	require.NoError(t, s.Confirm(p, ""))
	must(c.GetInvoice(ctx, inv.ID))
	must(c.CancelPayment(ctx, p))
	must(c.GetInvoice(ctx, inv.ID))
	mailed := invoice(true)
	mailed.DeliveryMethodData = &yookassa.InvoiceDeliveryMethodData{Type: yookassa.InvoiceDeliveryEmail, Email: "buyer@example.com"}
	must(c.CreateInvoice(ctx, mailed))

	// A deal: opened, paid into, paid out, closed; another refunded; lists.
	d := createDeal(t, c, yookassa.FeeMomentDealClosed, "order 37")
	payIntoDeal(t, s, c, d.ID, "1000.00", "800.00")
	must(c.GetDeal(ctx, d.ID))
	must(c.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("800.00"), PayoutToken: "tok", Deal: &yookassa.PayoutDeal{ID: d.ID}}))
	d2 := createDeal(t, c, yookassa.FeeMomentPaymentSucceeded, "order 38")
	paid := payIntoDeal(t, s, c, d2.ID, "1000.00", "800.00")
	must(c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: paid.ID, Amount: rub("100.00"),
		Deal: &yookassa.RefundDeal{RefundSettlements: []yookassa.Settlement{{Type: yookassa.SettlementPayout, Amount: rub("100.00")}}}}))
	must(c.ListDeals(ctx, &yookassa.DealListParams{Limit: 1}))
	must(c.ListDeals(ctx, &yookassa.DealListParams{Status: yookassa.DealStatusClosed}))

	// Payouts to each destination, succeeded and canceled; personal data; lists; SBP banks; /me.
	pd, err := pc.CreatePersonalData(ctx, &yookassa.PersonalDataRequest{Type: yookassa.PersonalDataSBPPayoutRecipient, LastName: "Иванов", FirstName: "Иван"})
	require.NoError(t, err)
	must(pc.CreatePersonalData(ctx, &yookassa.PersonalDataRequest{Type: yookassa.PersonalDataPayoutStatementRecipient,
		LastName: "Иванов", FirstName: "Иван", Birthdate: "1990-11-18", Metadata: map[string]string{"recipient_id": "37"}}))
	must(pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("80.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "100000000111"},
		PersonalData:          []yookassa.PayoutPersonalData{{ID: pd.ID}}, Metadata: map[string]string{"order_id": "37"}}))
	must(pc.GetPersonalData(ctx, pd.ID))
	must(pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("80.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746"}}))
	must(pc.CreatePayout(ctx, cardPayout("80.00")))
	must(pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("80.00"), PaymentMethodID: card.ID}))
	must(pc.CreatePayout(ctx, cardPayout("400.00"))) // canceled: insufficient_funds
	must(pc.ListPayouts(ctx, &yookassa.PayoutListParams{Limit: 2}))
	must(pc.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"order_id": "37"}}))
	must(pc.ListSBPBanks(ctx))
	must(pc.Me(ctx, nil))
	s.Advance(25 * time.Hour) // the unused personal data expires
	must(c.GetPaymentMethod(ctx, card.ID))

	// Errors: 400 with a parameter, 403, 404.
	_, err = pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("100.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "999999999999"}})
	requireAPIError(t, err, 400, "payout_destination_data.bank_id")
	_, err = c.ListSBPBanks(ctx)
	requireAPIError(t, err, 403, "")
	_, err = c.GetDeal(ctx, "dl-00000000-0000-0000-0000-000000000000")
	requireAPIError(t, err, 404, "")
	waitNotifications(t, s)

	rec.mu.Lock()
	log := rec.log
	rec.mu.Unlock()
	require.Greater(t, len(log), 35)
	for _, e := range log {
		assert.NoError(t, spec.ValidateResponse(e.method, e.path, e.status, e.header, e.body), "%s %s", e.method, e.path)
		checkHabits(t, e.method+" "+e.path, e.body)
	}
	kinds := map[string]int{}
	for _, n := range rc.events() {
		kind, _, _ := strings.Cut(n.Event, ".")
		kinds[kind]++
		require.Contains(t, notificationSchemas, kind, n.Event)
		assert.NoError(t, spec.ValidateSchema(notificationSchemas[kind], n.Object), "%s", n.Event)
		checkHabits(t, "notification "+n.Event, n.Object)
	}
	for kind := range notificationSchemas {
		assert.Positive(t, kinds[kind], "notifications about %s objects", kind)
	}
	t.Logf("%d answers and %d notifications validated", len(log), len(rc.events()))
}
