package yookassa_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

func TestDealEndpoints(t *testing.T) {
	ctx := context.Background()
	created := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	expires := time.Date(2021, 9, 1, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600))
	runWireCases(t, []wireCase{
		{
			name: "CreateDeal", method: "POST", path: "/deals",
			requestBody: "deal_create_request.json", answer: "deal_opened.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreateDeal(ctx, decodeFixture[yookassa.DealRequest](t, "deal_create_request.json"))
			},
			check: func(t *testing.T, got any) {
				d := got.(*yookassa.SafeDeal)
				assert.Equal(t, dealID, d.ID)
				assert.Equal(t, yookassa.DealTypeSafeDeal, d.Type)
				assert.Equal(t, yookassa.DealStatusOpened, d.Status)
				assert.False(t, d.Status.Final())
				assert.Equal(t, yookassa.FeeMomentPaymentSucceeded, d.FeeMoment)
				assert.True(t, d.Balance.Equal(rub("0")))
				assert.Equal(t, 390513000, d.ExpiresAt.Nanosecond(), "microseconds survive")
			},
		},
		{
			name: "CreateDeal type defaults to safe_deal", method: "POST", path: "/deals",
			requestBody: "deal_create_request.json", answer: "deal_opened.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreateDeal(ctx, &yookassa.DealRequest{FeeMoment: yookassa.FeeMomentPaymentSucceeded,
					Description: "SAFE_DEAL 123554642-2432FF344R", Metadata: map[string]string{"order_id": "37"}})
			},
		},
		{
			name: "GetDeal", method: "GET", path: "/deals/" + dealID, answer: "deal_closed.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) { return c.GetDeal(ctx, dealID) },
			check: func(t *testing.T, got any) {
				d := got.(*yookassa.SafeDeal)
				assert.Equal(t, yookassa.DealStatusClosed, d.Status)
				assert.True(t, d.Status.Final())
				assert.Equal(t, yookassa.FeeMomentDealClosed, d.FeeMoment)
			},
		},
		{
			name: "ListDeals", method: "GET", path: "/deals",
			query: url.Values{"created_at.gte": {"2021-06-01T00:00:00.000Z"}, "expires_at.lt": {"2021-09-01T09:00:00.000Z"},
				"status": {"opened"}, "full_text_search": {"123554642-2432FF344R"}, "limit": {"2"}, "cursor": {"c1"}},
			answer: "deal_list.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.ListDeals(ctx, &yookassa.DealListParams{CreatedAtGTE: created, ExpiresAtLT: expires, Status: yookassa.DealStatusOpened,
					FullTextSearch: "123554642-2432FF344R", Limit: 2, Cursor: "c1"})
			},
			check: func(t *testing.T, got any) {
				l := got.(*yookassa.DealList)
				require.Len(t, l.Items, 2)
				assert.True(t, l.Items[0].PayoutBalance.Equal(rub("800.00")))
				assert.True(t, l.Items[1].Balance.Value.Equal(dec("-45")), "a negative balance decodes")
				assert.Equal(t, "37a5c87d-3984-51e8-a7f3-8de646d39ec15", l.NextCursor)
			},
		},
		{
			name: "Deals", method: "GET", path: "/deals",
			query: url.Values{"status": {"opened"}, "limit": {"100"}}, answer: "deal_list.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				for d, err := range c.Deals(ctx, &yookassa.DealListParams{Status: yookassa.DealStatusOpened, Limit: 100}) {
					return d, err // the first deal: one page fetched
				}
				return nil, nil
			},
			check: func(t *testing.T, got any) { assert.Equal(t, dealID, got.(*yookassa.SafeDeal).ID) },
		},
	})
}

func TestDealsIteratorWalksEveryPage(t *testing.T) {
	c, mt := mockClient(t)
	var cursors []string
	mt.RegisterResponder("GET", apiBase+"/deals", func(req *http.Request) (*http.Response, error) {
		cursor := req.URL.Query().Get("cursor")
		cursors = append(cursors, cursor)
		assert.Equal(t, "closed", req.URL.Query().Get("status"), "filters are kept on every page")
		if cursor == "" {
			return jsonResponder(200, fixture(t, "deal_list.json"))(req)
		}
		return jsonResponder(200, []byte(`{"type":"list","items":[`+string(fixture(t, "deal_closed.json"))+`]}`))(req)
	})
	n := 0
	for d, err := range c.Deals(context.Background(), &yookassa.DealListParams{Status: yookassa.DealStatusClosed}) {
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(d.ID, "dl-"))
		n++
	}
	assert.Equal(t, 3, n)
	assert.Equal(t, []string{"", "37a5c87d-3984-51e8-a7f3-8de646d39ec15"}, cursors)

	// An error ends the walk with a nil deal.
	mt.RegisterResponder("GET", apiBase+"/deals", jsonResponder(403, fixture(t, "error_403_forbidden.json")))
	for d, err := range c.Deals(context.Background(), nil) {
		assert.Nil(t, d)
		assert.ErrorIs(t, err, yookassa.ErrForbidden)
	}
}

func TestDealRequestValidation(t *testing.T) {
	ok := &yookassa.DealRequest{FeeMoment: yookassa.FeeMomentDealClosed, Description: strings.Repeat("я", 128)}
	require.NoError(t, ok.Validate())
	for _, tc := range []struct {
		name  string
		req   yookassa.DealRequest
		field string
	}{
		{"no fee moment", yookassa.DealRequest{Type: yookassa.DealTypeSafeDeal}, "fee_moment"},
		{"unknown fee moment", yookassa.DealRequest{FeeMoment: "payout_succeeded"}, "fee_moment"},
		{"unknown type", yookassa.DealRequest{Type: "escrow", FeeMoment: yookassa.FeeMomentDealClosed}, "type"},
		{"description 129", yookassa.DealRequest{FeeMoment: yookassa.FeeMomentDealClosed, Description: strings.Repeat("я", 129)}, "description"},
		{"metadata key 33", yookassa.DealRequest{FeeMoment: yookassa.FeeMomentDealClosed, Metadata: map[string]string{strings.Repeat("k", 33): "v"}}, "metadata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireValidationError(t, tc.req.Validate(), tc.field)
		})
	}
	out, err := json.Marshal(yookassa.DealRequest{FeeMoment: yookassa.FeeMomentDealClosed})
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"safe_deal","fee_moment":"deal_closed"}`, string(out))
}

func TestDealCallsRefuseBeforeSending(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	_, err := c.CreateDeal(ctx, nil)
	requireValidationError(t, err, "")
	_, err = c.CreateDeal(ctx, &yookassa.DealRequest{})
	requireValidationError(t, err, "fee_moment")
	_, err = c.GetDeal(ctx, "dl-1")
	requireValidationError(t, err, "deal_id")
	_, err = c.GetDeal(ctx, "")
	requireValidationError(t, err, "deal_id")
	_, err = c.ListDeals(ctx, &yookassa.DealListParams{FullTextSearch: "abc"})
	requireValidationError(t, err, "full_text_search")
	_, err = c.ListDeals(ctx, &yookassa.DealListParams{FullTextSearch: strings.Repeat("a", 129)})
	requireValidationError(t, err, "full_text_search")
	_, err = c.ListDeals(ctx, &yookassa.DealListParams{Status: "open"})
	requireValidationError(t, err, "status")
	_, err = c.ListDeals(ctx, &yookassa.DealListParams{Limit: -1})
	requireValidationError(t, err, "limit")
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

// One iterator may be ranged by two goroutines at once: each page request
// has its own copy of the filters.
func TestDealsAndPayoutsIteratorsRangeConcurrently(t *testing.T) {
	c, mt := mockClient(t)
	lastPage := func(body string) []byte { return []byte(`{"type":"list","items":[` + body + `]}`) }
	mt.RegisterResponder("GET", apiBase+"/deals", func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("cursor") == "" {
			return jsonResponder(200, fixture(t, "deal_list.json"))(req)
		}
		return jsonResponder(200, lastPage(string(fixture(t, "deal_closed.json"))))(req)
	})
	mt.RegisterResponder("GET", apiBase+"/payouts", func(req *http.Request) (*http.Response, error) {
		if req.URL.Query().Get("cursor") == "" {
			return jsonResponder(200, fixture(t, "payout_list.json"))(req)
		}
		return jsonResponder(200, lastPage(string(fixture(t, "payout_succeeded_sbp.json"))))(req)
	})
	deals := c.Deals(context.Background(), &yookassa.DealListParams{Status: yookassa.DealStatusOpened})
	payouts := c.Payouts(context.Background(), nil)
	counts := make(chan int, 4)
	for range 2 {
		go func() {
			n := 0
			for _, err := range deals {
				assert.NoError(t, err)
				n++
			}
			counts <- n
		}()
		go func() {
			n := 0
			for _, err := range payouts {
				assert.NoError(t, err)
				n++
			}
			counts <- n
		}()
	}
	for range 4 {
		assert.Equal(t, 3, <-counts)
	}
}
