package yookassa_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

const (
	payoutID       = "po-27ced252-0025-5000-9000-0a682a8bab8f"
	dealID         = "dl-285e5ee7-0022-5000-8000-01516a44b147"
	personalDataID = "pd-22e12f66-000f-5000-8000-18db351245c7"
)

func TestPayoutEndpoints(t *testing.T) {
	ctx := context.Background()
	created := time.Date(2020, 7, 1, 0, 0, 0, 0, time.UTC)
	var cases []wireCase
	for _, name := range []string{"bank_card", "yoo_money", "sbp", "deal", "saved_card"} {
		body := "payout_create_" + name + "_request.json"
		cases = append(cases, wireCase{
			name: "CreatePayout " + name, method: "POST", path: "/payouts",
			requestBody: body, answer: "payout_succeeded_sbp.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreatePayout(ctx, decodeFixture[yookassa.PayoutRequest](t, body))
			},
		})
	}
	cases = append(cases,
		wireCase{
			name: "GetPayout", method: "GET", path: "/payouts/" + payoutID, answer: "payout_succeeded_sbp.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) { return c.GetPayout(ctx, payoutID) },
			check: func(t *testing.T, got any) {
				p := got.(*yookassa.Payout)
				assert.Equal(t, yookassa.PayoutStatusSucceeded, p.Status)
				assert.True(t, p.Status.Final())
				assert.True(t, p.Amount.Equal(rub("80.00")))
				assert.Equal(t, yookassa.PayoutDestinationSBP, p.PayoutDestination.Type)
				assert.True(t, p.PayoutDestination.RecipientChecked)
				assert.Equal(t, "100000000111", p.PayoutDestination.BankID)
				require.NotNil(t, p.SucceededAt)
				assert.Equal(t, time.Date(2020, 7, 3, 11, 52, 42, 312e6, time.UTC), p.SucceededAt.UTC())
			},
		},
		wireCase{
			name: "GetPayout canceled", method: "GET", path: "/payouts/po-285ec15d-0003-5000-a000-08d1bec7dade",
			answer: "payout_canceled_bank_card.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.GetPayout(ctx, "po-285ec15d-0003-5000-a000-08d1bec7dade")
			},
			check: func(t *testing.T, got any) {
				p := got.(*yookassa.Payout)
				assert.Equal(t, yookassa.PayoutStatusCanceled, p.Status)
				require.NotNil(t, p.CancellationDetails)
				assert.Equal(t, yookassa.PartyYooMoney, p.CancellationDetails.Party)
				assert.Equal(t, yookassa.ReasonGeneralDecline, p.CancellationDetails.Reason)
				assert.Equal(t, "4448", p.PayoutDestination.Card.Last4)
			},
		},
		wireCase{
			name: "ListPayouts", method: "GET", path: "/payouts",
			query: url.Values{"created_at.gte": {"2020-07-01T00:00:00.000Z"}, "payout_destination.type": {"sbp"},
				"status": {"canceled"}, "limit": {"2"}, "cursor": {"c1"}},
			answer: "payout_list.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.ListPayouts(ctx, &yookassa.PayoutListParams{CreatedAtGTE: created, PayoutDestinationType: yookassa.PayoutDestinationSBP,
					Status: yookassa.PayoutStatusCanceled, Limit: 2, Cursor: "c1"})
			},
			check: func(t *testing.T, got any) {
				l := got.(*yookassa.PayoutList)
				require.Len(t, l.Items, 2)
				assert.Equal(t, "37a5c87d-3984-51e8-a7f3-8de646d39ec15", l.NextCursor)
				assert.Equal(t, yookassa.PartyPayoutNetwork, l.Items[1].CancellationDetails.Party)
				assert.Equal(t, yookassa.ReasonRecipientNotFound, l.Items[1].CancellationDetails.Reason)
			},
		},
		wireCase{
			name: "Payouts", method: "GET", path: "/payouts",
			query: url.Values{"payout_destination.type": {"yoo_money"}}, answer: "payout_list.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				for p, err := range c.Payouts(ctx, &yookassa.PayoutListParams{PayoutDestinationType: yookassa.PayoutDestinationYooMoney}) {
					return p, err // the first payout: one page fetched
				}
				return nil, nil
			},
			check: func(t *testing.T, got any) { assert.Equal(t, payoutID, got.(*yookassa.Payout).ID) },
		},
		wireCase{
			name: "SearchPayouts", method: "GET", path: "/payouts/search",
			query:  url.Values{"metadata[order_id]": {"37"}, "created_at.lt": {"2020-07-01T00:00:00.000Z"}, "limit": {"50"}},
			answer: "payout_list.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"order_id": "37"}, CreatedAtLT: created, Limit: 50})
			},
		},
		wireCase{
			name: "ListSBPBanks", method: "GET", path: "/sbp_banks", answer: "sbp_banks.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) { return c.ListSBPBanks(ctx) },
			check: func(t *testing.T, got any) {
				l := got.(*yookassa.SBPBankList)
				require.Len(t, l.Items, 2)
				assert.Equal(t, yookassa.SBPBank{BankID: "100000000111", Name: "Сбербанк", BIC: "044525225"}, l.Items[0])
			},
		},
	)
	runWireCases(t, cases)
}

func TestSearchPayoutsEncodesTheMetadataKey(t *testing.T) {
	c, mt := mockClient(t)
	var reqs []recorded
	mt.RegisterResponder("GET", apiBase+"/payouts/search", recordingResponder(&reqs, 200, fixture(t, "payout_list.json")))
	_, err := c.SearchPayouts(context.Background(), &yookassa.PayoutSearchParams{Metadata: map[string]string{"operation id": "a&b=c"}})
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	assert.Equal(t, url.Values{"metadata[operation id]": {"a&b=c"}}, reqs[0].query)
}

func TestPayoutsIteratorWalksEveryPage(t *testing.T) {
	c, mt := mockClient(t)
	var cursors []string
	mt.RegisterResponder("GET", apiBase+"/payouts", func(req *http.Request) (*http.Response, error) {
		cursor := req.URL.Query().Get("cursor")
		cursors = append(cursors, cursor)
		assert.Equal(t, "succeeded", req.URL.Query().Get("status"), "filters are kept on every page")
		if cursor == "" {
			return jsonResponder(200, fixture(t, "payout_list.json"))(req)
		}
		return jsonResponder(200, []byte(`{"type":"list","items":[`+string(fixture(t, "payout_succeeded_sbp.json"))+`]}`))(req)
	})
	var ids []string
	for p, err := range c.Payouts(context.Background(), &yookassa.PayoutListParams{Status: yookassa.PayoutStatusSucceeded}) {
		require.NoError(t, err)
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{payoutID, "po-27ced252-0025-5000-9000-0a682a8bab90", payoutID}, ids)
	assert.Equal(t, []string{"", "37a5c87d-3984-51e8-a7f3-8de646d39ec15"}, cursors)
}

func validPayout() *yookassa.PayoutRequest {
	return &yookassa.PayoutRequest{
		Amount:                rub("80.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "100000000111"},
		Description:           "Выплата по заказу №37",
		PersonalData:          []yookassa.PayoutPersonalData{{ID: personalDataID}},
		Metadata:              map[string]string{"order_id": "37"},
	}
}

func TestPayoutRequestValidation(t *testing.T) {
	require.NoError(t, validPayout().Validate())
	long := string(bytes.Repeat([]byte("я"), 129))
	cases := []struct {
		name  string
		edit  func(r *yookassa.PayoutRequest)
		field string
	}{
		{"zero amount", func(r *yookassa.PayoutRequest) { r.Amount = rub("0") }, "amount.value"},
		{"three decimals", func(r *yookassa.PayoutRequest) { r.Amount = rub("1.005") }, "amount.value"},
		{"no currency", func(r *yookassa.PayoutRequest) { r.Amount.Currency = "" }, "amount.currency"},
		{"dollars", func(r *yookassa.PayoutRequest) { r.Amount.Currency = "USD" }, "amount.currency"},
		{"sbp under 1", func(r *yookassa.PayoutRequest) { r.Amount = rub("0.99") }, "amount.value"},
		{"card under 5", func(r *yookassa.PayoutRequest) {
			r.Amount = rub("4.99")
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard, Card: &yookassa.PayoutCardData{Number: "5555555555554477"}}
		}, "amount.value"},
		{"token under 5", func(r *yookassa.PayoutRequest) {
			r.Amount = rub("4.99")
			r.PayoutDestinationData, r.PayoutToken = nil, "tok"
		}, "amount.value"},
		{"wallet under 1", func(r *yookassa.PayoutRequest) {
			r.Amount = rub("0.99")
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746"}
		}, "amount.value"},
		{"no destination", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData = nil }, "payout_destination_data"},
		{"destination and token", func(r *yookassa.PayoutRequest) { r.PayoutToken = "tok" }, "payout_destination_data"},
		{"destination and saved method", func(r *yookassa.PayoutRequest) { r.PaymentMethodID = "pm" }, "payout_destination_data"},
		{"no type", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.Type = "" }, "payout_destination_data.type"},
		{"unknown type", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.Type = "qiwi" }, "payout_destination_data.type"},
		{"sbp phone missing", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.Phone = "" }, "payout_destination_data.phone"},
		{"sbp phone with plus", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.Phone = "+79000000000" }, "payout_destination_data.phone"},
		{"sbp phone too long", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.Phone = "1234567890123456" }, "payout_destination_data.phone"},
		{"sbp bank 11", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.BankID = "10000000011" }, "payout_destination_data.bank_id"},
		{"sbp bank space", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.BankID = " 10000000011" }, "payout_destination_data.bank_id"},
		{"sbp bank cyrillic", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.BankID = "10000000011я" }, "payout_destination_data.bank_id"},
		{"sbp with card", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData.Card = &yookassa.PayoutCardData{Number: "5555555555554477"}
		}, "payout_destination_data.card"},
		{"sbp with wallet", func(r *yookassa.PayoutRequest) { r.PayoutDestinationData.AccountNumber = "4100116075156746" }, "payout_destination_data.account_number"},
		{"card missing", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard}
		}, "payout_destination_data.card"},
		{"card 15 digits", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard, Card: &yookassa.PayoutCardData{Number: "555555555555447"}}
		}, "payout_destination_data.card.number"},
		{"card with spaces", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard, Card: &yookassa.PayoutCardData{Number: "5555 5555 5555 4477"}}
		}, "payout_destination_data.card.number"},
		{"card with phone", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationBankCard, Phone: "79000000000", Card: &yookassa.PayoutCardData{Number: "5555555555554477"}}
		}, "payout_destination_data.phone"},
		{"wallet 10 digits", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075"}
		}, "payout_destination_data.account_number"},
		{"wallet 34 digits", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746410011607515674612"}
		}, "payout_destination_data.account_number"},
		{"wallet letters", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "41001160751567x6"}
		}, "payout_destination_data.account_number"},
		{"wallet with bank", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746", BankID: "100000000111"}
		}, "payout_destination_data.bank_id"},
		{"description 129", func(r *yookassa.PayoutRequest) { r.Description = long }, "description"},
		{"deal id short", func(r *yookassa.PayoutRequest) {
			r.PersonalData = nil
			r.PayoutDestinationData = nil
			r.PayoutToken = "tok"
			r.Deal = &yookassa.PayoutDeal{ID: "dl-1"}
		}, "deal.id"},
		{"deal with sbp", func(r *yookassa.PayoutRequest) { r.PersonalData = nil; r.Deal = &yookassa.PayoutDeal{ID: dealID} }, "payout_destination_data.type"},
		{"deal with personal data", func(r *yookassa.PayoutRequest) {
			r.PayoutDestinationData = nil
			r.PayoutToken = "tok"
			r.Deal = &yookassa.PayoutDeal{ID: dealID}
		}, "personal_data"},
		{"empty personal data", func(r *yookassa.PayoutRequest) { r.PersonalData = []yookassa.PayoutPersonalData{} }, "personal_data"},
		{"three personal data", func(r *yookassa.PayoutRequest) {
			r.PersonalData = []yookassa.PayoutPersonalData{{ID: personalDataID}, {ID: personalDataID + "1"}, {ID: personalDataID + "2"}}
		}, "personal_data"},
		{"repeated personal data", func(r *yookassa.PayoutRequest) {
			r.PersonalData = []yookassa.PayoutPersonalData{{ID: personalDataID}, {ID: personalDataID}}
		}, "personal_data[1].id"},
		{"short personal data id", func(r *yookassa.PayoutRequest) { r.PersonalData = []yookassa.PayoutPersonalData{{ID: "pd-1"}} }, "personal_data[0].id"},
		{"17 metadata keys", func(r *yookassa.PayoutRequest) {
			for i := range 17 {
				r.Metadata[fmt.Sprint("k", i)] = "v"
			}
		}, "metadata"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := validPayout()
			tc.edit(r)
			err := r.Validate()
			requireValidationError(t, err, tc.field)
			requireNoPersonalData(t, err.Error())
		})
	}
}

func TestPayoutLimits(t *testing.T) {
	for _, tc := range []struct {
		dest     yookassa.PayoutDestinationType
		deal     bool
		min, max string
	}{
		{yookassa.PayoutDestinationBankCard, false, "5", "500000"},
		{yookassa.PayoutDestinationBankCard, true, "1", "150000"},
		{yookassa.PayoutDestinationSBP, false, "1", "500000"},
		{yookassa.PayoutDestinationSBP, true, "0", "0"},
		{yookassa.PayoutDestinationYooMoney, false, "1", "500000"},
		{yookassa.PayoutDestinationYooMoney, true, "1", "500000"},
		{"qiwi", false, "0", "0"},
	} {
		lo, hi := yookassa.PayoutLimits(tc.dest, tc.deal)
		assert.True(t, lo.Equal(dec(tc.min)) && hi.Equal(dec(tc.max)), "%s, Safe deal %v: %s-%s", tc.dest, tc.deal, lo, hi)
	}
	// The minimum is refused before sending (YooKassa answers it with a
	// 400); the maximum is YooKassa's to enforce, with a canceled payout.
	card := func(amount string, deal bool) *yookassa.PayoutRequest {
		r := &yookassa.PayoutRequest{Amount: rub(amount), PayoutToken: "tok"}
		if deal {
			r.Deal = &yookassa.PayoutDeal{ID: dealID}
		}
		return r
	}
	assert.NoError(t, card("5.00", false).Validate())
	assert.NoError(t, card("1.00", true).Validate())
	assert.NoError(t, card("500000.01", false).Validate())
	requireValidationError(t, card("0.99", true).Validate(), "amount.value")
}

func TestCreatePayoutRefusesBeforeSending(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	_, err := c.CreatePayout(ctx, nil)
	requireValidationError(t, err, "")
	r := validPayout()
	r.PayoutToken = "tok"
	_, err = c.CreatePayout(ctx, r)
	requireValidationError(t, err, "payout_destination_data")
	_, err = c.GetPayout(ctx, "po-short")
	requireValidationError(t, err, "payout_id")
	_, err = c.GetPayout(ctx, "../payouts/search")
	requireValidationError(t, err, "payout_id")
	_, err = c.ListPayouts(ctx, &yookassa.PayoutListParams{Status: "paid"})
	requireValidationError(t, err, "status")
	_, err = c.ListPayouts(ctx, &yookassa.PayoutListParams{PayoutDestinationType: "qiwi"})
	requireValidationError(t, err, "payout_destination.type")
	_, err = c.ListPayouts(ctx, &yookassa.PayoutListParams{Limit: 101})
	requireValidationError(t, err, "limit")
	_, err = c.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"a": "1", "b": "2"}})
	requireValidationError(t, err, "metadata")
	_, err = c.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"a": string(bytes.Repeat([]byte("x"), 513))}})
	requireValidationError(t, err, "metadata.a")
	_, err = c.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"a][b": "1"}})
	requireValidationError(t, err, "metadata")
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

// The recipient's numbers and name must not leak into fmt output or logs.
var personalCanaries = []string{"79001234567", "5555555555554477", "4100116075156746", "Петров", "Пётр", "Петрович", "1990-11-18", "user@example.com"}

func requireNoPersonalData(t testing.TB, text string) {
	t.Helper()
	for _, c := range personalCanaries {
		require.NotContains(t, text, c, "personal data leaked")
	}
}

// printAll prints v with every fmt verb and through slog's text and JSON
// handlers, at top level and as a pointer.
func printAll(v any) string {
	var b bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		fmt.Fprintf(&b, verb+"\n", v)
	}
	for _, h := range []slog.Handler{slog.NewTextHandler(&b, nil), slog.NewJSONHandler(&b, nil)} {
		slog.New(h).Info("value", "v", v)
	}
	return b.String()
}

func TestPayoutDataStaysOutOfPrintsAndLogs(t *testing.T) {
	card := &yookassa.PayoutRequest{Amount: rub("80.00"), PayoutDestinationData: &yookassa.PayoutDestinationData{
		Type: yookassa.PayoutDestinationBankCard, Card: &yookassa.PayoutCardData{Number: "5555555555554477"}}}
	wallet := &yookassa.PayoutRequest{Amount: rub("80.00"), PayoutDestinationData: &yookassa.PayoutDestinationData{
		Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746"}}
	sbp := &yookassa.PayoutRequest{Amount: rub("80.00"), PayoutDestinationData: &yookassa.PayoutDestinationData{
		Type: yookassa.PayoutDestinationSBP, Phone: "79001234567", BankID: "100000000111"}}
	payout := yookassa.Payout{ID: payoutID, Status: yookassa.PayoutStatusSucceeded, Amount: rub("80.00"),
		PayoutDestination: yookassa.PayoutDestination{Type: yookassa.PayoutDestinationSBP, Phone: "79001234567", BankID: "100000000111"}}
	walletPayout := yookassa.Payout{ID: payoutID, PayoutDestination: yookassa.PayoutDestination{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "4100116075156746"}}
	for _, v := range []any{
		card, *card, card.PayoutDestinationData, *card.PayoutDestinationData, card.PayoutDestinationData.Card, *card.PayoutDestinationData.Card,
		wallet, *wallet, *wallet.PayoutDestinationData, sbp, *sbp, *sbp.PayoutDestinationData,
		payout, &payout, payout.PayoutDestination, walletPayout, walletPayout.PayoutDestination,
		yookassa.PayoutList{Items: []yookassa.Payout{payout, walletPayout}},
	} {
		out := printAll(v)
		requireNoPersonalData(t, out)
	}
	// What is printed still identifies the payout.
	out := printAll(payout)
	assert.Contains(t, out, payoutID)
	assert.Contains(t, out, "100000000111")
	assert.Contains(t, printAll(*card.PayoutDestinationData.Card), "****4477")
}

func TestPayoutDestinationRecipientCheckedRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{`{"type":"sbp","phone":"79000000000","bank_id":"100000000111","recipient_checked":false}`, `"recipient_checked":false`},
		{`{"type":"sbp","phone":"79000000000","bank_id":"100000000111","recipient_checked":true}`, `"recipient_checked":true`},
	} {
		var d yookassa.PayoutDestination
		require.NoError(t, json.Unmarshal([]byte(tc.in), &d))
		out, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Contains(t, string(out), tc.want)
	}
	out, err := json.Marshal(yookassa.PayoutDestination{Type: yookassa.PayoutDestinationYooMoney, AccountNumber: "41001614575714"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"yoo_money","account_number":"41001614575714"}`, string(out))
}

func TestPayoutStatusFinal(t *testing.T) {
	assert.False(t, yookassa.PayoutStatusPending.Final())
	assert.True(t, yookassa.PayoutStatusSucceeded.Final())
	assert.True(t, yookassa.PayoutStatusCanceled.Final())
}

// A payout that meets a 500 is retried with the same key and body, and a
// pinned key is used as given.
func TestCreatePayoutRetriesWithTheSameKeyAndBody(t *testing.T) {
	c, mt := mockClient(t)
	var reqs []recorded
	fail := recordingResponder(&reqs, 500, fixture(t, "error_500_internal.json"))
	ok := recordingResponder(&reqs, 200, fixture(t, "payout_succeeded_sbp.json"))
	mt.RegisterResponder("POST", apiBase+"/payouts", func(req *http.Request) (*http.Response, error) {
		if len(reqs) == 0 {
			return fail(req)
		}
		return ok(req)
	})
	p, err := c.CreatePayout(context.Background(), validPayout(), yookassa.WithIdempotenceKey("payout-37"))
	require.NoError(t, err)
	assert.Equal(t, payoutID, p.ID)
	require.Len(t, reqs, 2)
	assert.Equal(t, "payout-37", reqs[0].header.Get("Idempotence-Key"))
	assert.Equal(t, "payout-37", reqs[1].header.Get("Idempotence-Key"))
	assert.Equal(t, reqs[0].body, reqs[1].body)

	// Retries exhausted: the error says the outcome is unknown and names
	// the key to retry with.
	reqs = nil
	mt.RegisterResponder("POST", apiBase+"/payouts", recordingResponder(&reqs, 500, fixture(t, "error_500_internal.json")))
	_, err = c.CreatePayout(context.Background(), validPayout())
	var unknown *yookassa.OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, reqs[0].header.Get("Idempotence-Key"), unknown.IdempotenceKey)
	requireNoPersonalData(t, fmt.Sprintf("%v %+v %#v", err, err, err))
}

// Reads of the new resources take per-call options like the others: here a
// single attempt and the answer's metadata.
func TestNewReadsTakeCallOptions(t *testing.T) {
	c, mt := mockClient(t)
	calls := 0
	mt.RegisterResponder("GET", apiBase+"/payouts/"+payoutID, func(req *http.Request) (*http.Response, error) {
		calls++
		return jsonResponder(500, fixture(t, "error_500_internal.json"))(req)
	})
	mt.RegisterResponder("GET", apiBase+"/sbp_banks", jsonResponder(200, fixture(t, "sbp_banks.json")))
	ctx := context.Background()
	_, err := c.GetPayout(ctx, payoutID, yookassa.WithCallRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
	assert.ErrorIs(t, err, yookassa.ErrInternal)
	assert.Equal(t, 1, calls, "the call's own policy replaces the client's three attempts")

	var resp yookassa.Response
	_, err = c.ListSBPBanks(ctx, yookassa.WithResponseInto(&resp))
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.Empty(t, resp.IdempotenceKey)
}

func TestNewStatusStages(t *testing.T) {
	assert.Equal(t, []int{1, 2, 2, 0}, []int{yookassa.PayoutStatusPending.Stage(), yookassa.PayoutStatusSucceeded.Stage(),
		yookassa.PayoutStatusCanceled.Stage(), yookassa.PayoutStatus("paid").Stage()})
	assert.Equal(t, []int{1, 2, 0}, []int{yookassa.DealStatusOpened.Stage(), yookassa.DealStatusClosed.Stage(), yookassa.DealStatus("x").Stage()})
	assert.Equal(t, []int{1, 2, 3, 0}, []int{yookassa.PersonalDataStatusWaitingForOperation.Stage(), yookassa.PersonalDataStatusActive.Stage(),
		yookassa.PersonalDataStatusCanceled.Stage(), yookassa.PersonalDataStatus("x").Stage()})
	assert.Equal(t, []int{1, 2, 3, 0}, []int{yookassa.InvoiceStatusPending.Stage(), yookassa.InvoiceStatusSucceeded.Stage(),
		yookassa.InvoiceStatusCanceled.Stage(), yookassa.InvoiceStatus("x").Stage()})
	// Final statuses are those of the last stage.
	assert.True(t, yookassa.PersonalDataStatusCanceled.Final())
	assert.False(t, yookassa.PersonalDataStatusActive.Final())
	assert.True(t, yookassa.DealStatusClosed.Final())
}
