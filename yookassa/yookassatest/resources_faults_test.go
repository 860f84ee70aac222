package yookassatest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// Each new POST endpoint loses its first answer after the effect; the
// client's retry with the same Idempotence-Key gets the object made, and a
// repeat with that key makes no second one.
func TestNewResourcesSurviveLostAnswers(t *testing.T) {
	inv := invoice(true) // one body for every call: its expires_at is a time
	tests := []struct {
		endpoint string
		create   func(s *yookassatest.Server, c *yookassa.Client, key string) (string, error)
	}{
		{"POST /payment_methods", func(_ *yookassatest.Server, c *yookassa.Client, key string) (string, error) {
			m, err := c.CreatePaymentMethod(context.Background(), bindCard(), yookassa.WithIdempotenceKey(key))
			if err != nil {
				return "", err
			}
			return m.ID, nil
		}},
		{"POST /invoices", func(_ *yookassatest.Server, c *yookassa.Client, key string) (string, error) {
			created, err := c.CreateInvoice(context.Background(), inv, yookassa.WithIdempotenceKey(key))
			if err != nil {
				return "", err
			}
			return created.ID, nil
		}},
		{"POST /deals", func(_ *yookassatest.Server, c *yookassa.Client, key string) (string, error) {
			d, err := c.CreateDeal(context.Background(), &yookassa.DealRequest{FeeMoment: yookassa.FeeMomentDealClosed}, yookassa.WithIdempotenceKey(key))
			if err != nil {
				return "", err
			}
			return d.ID, nil
		}},
		{"POST /personal_data", func(s *yookassatest.Server, _ *yookassa.Client, key string) (string, error) {
			pd, err := s.PayoutClient(fast).CreatePersonalData(context.Background(), &yookassa.PersonalDataRequest{
				Type: yookassa.PersonalDataSBPPayoutRecipient, LastName: "Иванов", FirstName: "Иван"}, yookassa.WithIdempotenceKey(key))
			if err != nil {
				return "", err
			}
			return pd.ID, nil
		}},
		{"POST /payouts", func(s *yookassatest.Server, _ *yookassa.Client, key string) (string, error) {
			p, err := s.PayoutClient(fast).CreatePayout(context.Background(), cardPayout("10.00"), yookassa.WithIdempotenceKey(key))
			if err != nil {
				return "", err
			}
			return p.ID, nil
		}},
	}
	for _, kind := range []yookassatest.FaultKind{yookassatest.FaultInternalAfter, yookassatest.FaultResetAfter} {
		for _, tt := range tests {
			t.Run(kind.String()+" "+tt.endpoint, func(t *testing.T) {
				s, c := newSim(t, yookassatest.WithFaults(yookassatest.Fault{Kind: kind, Endpoint: tt.endpoint, Count: 1}))
				first, err := tt.create(s, c, "order-37.op")
				require.NoError(t, err, "the retry gets the object")
				assert.Equal(t, 1, s.FaultsInjected())
				again, err := tt.create(s, c, "order-37.op")
				require.NoError(t, err)
				assert.Equal(t, first, again, "the same key, the same object")
				other, err := tt.create(s, c, "order-38.op")
				require.NoError(t, err)
				assert.NotEqual(t, first, other, "another key, another object")
			})
		}
	}
}
