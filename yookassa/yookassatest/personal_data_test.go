package yookassatest_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func TestPersonalDataLifecycle(t *testing.T) {
	s, shop := newSim(t, yookassatest.WithStartTime(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	pc := s.PayoutClient(fast)

	sbpData, err := pc.CreatePersonalData(ctx, &yookassa.PersonalDataRequest{Type: yookassa.PersonalDataSBPPayoutRecipient,
		LastName: "Иванов", FirstName: "Иван", MiddleName: "Иванович", Metadata: map[string]string{"recipient_id": "37"}})
	require.NoError(t, err)
	assert.Equal(t, yookassa.PersonalDataStatusWaitingForOperation, sbpData.Status)
	assert.Len(t, sbpData.ID, 39)
	assert.Nil(t, sbpData.ExpiresAt)
	assert.Equal(t, "37", sbpData.Metadata["recipient_id"])

	// The names never come back.
	req, _ := http.NewRequest("GET", s.URL()+"/personal_data/"+sbpData.ID, nil)
	req.SetBasicAuth(s.AgentID(), s.PayoutSecretKey())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotContains(t, string(raw), "Иван")

	// Recipient data for the SBP check goes with SBP payouts only.
	_, err = pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("10.00"), PayoutToken: "tok",
		PersonalData: []yookassa.PayoutPersonalData{{ID: sbpData.ID}}})
	requireAPIError(t, err, 400, "personal_data[0].id")

	p, err := pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("80.00"),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: "100000000111"},
		PersonalData:          []yookassa.PayoutPersonalData{{ID: sbpData.ID}}})
	require.NoError(t, err)
	assert.True(t, p.PayoutDestination.RecipientChecked)
	used, err := pc.GetPersonalData(ctx, sbpData.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PersonalDataStatusActive, used.Status)
	require.NotNil(t, used.ExpiresAt, "active data says until when it can be used")
	assert.True(t, used.ExpiresAt.After(s.Now()))

	// Data no payout uses expires.
	unused, err := pc.CreatePersonalData(ctx, &yookassa.PersonalDataRequest{Type: yookassa.PersonalDataPayoutStatementRecipient,
		LastName: "Петров-Водкин", FirstName: "Кузьма", Birthdate: "1990-11-18"})
	require.NoError(t, err)
	s.Advance(24 * time.Hour)
	expired, err := pc.GetPersonalData(ctx, unused.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PersonalDataStatusCanceled, expired.Status)
	require.NotNil(t, expired.CancellationDetails)
	assert.Equal(t, yookassa.CancellationDetails{Party: yookassa.PartyYooMoney, Reason: yookassa.ReasonExpiredByTimeout}, *expired.CancellationDetails)
	_, err = pc.CreatePayout(ctx, &yookassa.PayoutRequest{Amount: rub("10.00"), PayoutToken: "tok",
		PersonalData: []yookassa.PayoutPersonalData{{ID: unused.ID}}})
	requireAPIError(t, err, 400, "personal_data[0].id")

	// Active data expires at expires_at.
	s.Advance(used.ExpiresAt.Sub(s.Now()))
	gone, err := pc.GetPersonalData(ctx, sbpData.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PersonalDataStatusCanceled, gone.Status)
	assert.Nil(t, gone.ExpiresAt)

	// Personal data belongs to the payout gateway.
	_, err = shop.GetPersonalData(ctx, sbpData.ID)
	requireAPIError(t, err, 403, "")
	_, err = pc.GetPersonalData(ctx, "pd-00000000-0000-0000-0000-000000000000")
	requireAPIError(t, err, 404, "")
}
