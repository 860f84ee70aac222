package yookassa_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

func TestPersonalDataEndpoints(t *testing.T) {
	ctx := context.Background()
	runWireCases(t, []wireCase{
		{
			name: "CreatePersonalData sbp_payout_recipient", method: "POST", path: "/personal_data",
			requestBody: "personal_data_create_sbp_request.json", answer: "personal_data_waiting.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreatePersonalData(ctx, decodeFixture[yookassa.PersonalDataRequest](t, "personal_data_create_sbp_request.json"))
			},
			check: func(t *testing.T, got any) {
				pd := got.(*yookassa.PersonalData)
				assert.Equal(t, personalDataID, pd.ID)
				assert.Equal(t, yookassa.PersonalDataStatusWaitingForOperation, pd.Status)
				assert.False(t, pd.Status.Final())
				assert.Nil(t, pd.ExpiresAt)
			},
		},
		{
			name: "CreatePersonalData payout_statement_recipient", method: "POST", path: "/personal_data",
			requestBody: "personal_data_create_statement_request.json", answer: "personal_data_active.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) {
				return c.CreatePersonalData(ctx, decodeFixture[yookassa.PersonalDataRequest](t, "personal_data_create_statement_request.json"))
			},
			check: func(t *testing.T, got any) {
				pd := got.(*yookassa.PersonalData)
				assert.Equal(t, yookassa.PersonalDataPayoutStatementRecipient, pd.Type)
				require.NotNil(t, pd.ExpiresAt)
				assert.Equal(t, time.Date(2031, 5, 20, 10, 5, 0, 0, time.UTC), pd.ExpiresAt.UTC())
			},
		},
		{
			name: "GetPersonalData", method: "GET", path: "/personal_data/" + personalDataID, answer: "personal_data_canceled.json",
			call: func(t *testing.T, c *yookassa.Client) (any, error) { return c.GetPersonalData(ctx, personalDataID) },
			check: func(t *testing.T, got any) {
				pd := got.(*yookassa.PersonalData)
				assert.Equal(t, yookassa.PersonalDataStatusCanceled, pd.Status)
				assert.True(t, pd.Status.Final())
				assert.Equal(t, yookassa.ReasonExpiredByTimeout, pd.CancellationDetails.Reason)
			},
		},
	})
}

func validStatementRecipient() *yookassa.PersonalDataRequest {
	return &yookassa.PersonalDataRequest{
		Type: yookassa.PersonalDataPayoutStatementRecipient, LastName: "Петров", FirstName: "Пётр", MiddleName: "Петрович",
		Birthdate: "1990-11-18", Metadata: map[string]string{"recipient_id": "37"},
	}
}

func TestPersonalDataRequestValidation(t *testing.T) {
	require.NoError(t, validStatementRecipient().Validate())
	require.NoError(t, (&yookassa.PersonalDataRequest{Type: yookassa.PersonalDataSBPPayoutRecipient, LastName: "Салтыков-Щедрин", FirstName: "Anna Maria"}).Validate())
	for _, tc := range []struct {
		name  string
		edit  func(r *yookassa.PersonalDataRequest)
		field string
	}{
		{"no type", func(r *yookassa.PersonalDataRequest) { r.Type = "" }, "type"},
		{"unknown type", func(r *yookassa.PersonalDataRequest) { r.Type = "payout_recipient" }, "type"},
		{"no last name", func(r *yookassa.PersonalDataRequest) { r.LastName = "" }, "last_name"},
		{"last name 201", func(r *yookassa.PersonalDataRequest) { r.LastName = strings.Repeat("П", 201) }, "last_name"},
		{"last name with a digit", func(r *yookassa.PersonalDataRequest) { r.LastName = "Петров2" }, "last_name"},
		{"last name with an apostrophe", func(r *yookassa.PersonalDataRequest) { r.LastName = "O'Neil" }, "last_name"},
		{"no first name", func(r *yookassa.PersonalDataRequest) { r.FirstName = "" }, "first_name"},
		{"first name 101", func(r *yookassa.PersonalDataRequest) { r.FirstName = strings.Repeat("П", 101) }, "first_name"},
		{"first name with a dot", func(r *yookassa.PersonalDataRequest) { r.FirstName = "П." }, "first_name"},
		{"middle name 201", func(r *yookassa.PersonalDataRequest) { r.MiddleName = strings.Repeat("П", 201) }, "middle_name"},
		{"middle name Ukrainian letter", func(r *yookassa.PersonalDataRequest) { r.MiddleName = "Петрович\u0456" }, "middle_name"},
		{"no birthdate", func(r *yookassa.PersonalDataRequest) { r.Birthdate = "" }, "birthdate"},
		{"birthdate format", func(r *yookassa.PersonalDataRequest) { r.Birthdate = "18.11.1990" }, "birthdate"},
		{"birthdate Feb 30", func(r *yookassa.PersonalDataRequest) { r.Birthdate = "1990-02-30" }, "birthdate"},
		{"birthdate with sbp", func(r *yookassa.PersonalDataRequest) { r.Type = yookassa.PersonalDataSBPPayoutRecipient }, "birthdate"},
		{"invalid UTF-8", func(r *yookassa.PersonalDataRequest) { r.FirstName = "\xff" }, "first_name"},
		{"metadata", func(r *yookassa.PersonalDataRequest) { r.Metadata = map[string]string{strings.Repeat("k", 33): "v"} }, "metadata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validStatementRecipient()
			tc.edit(r)
			err := r.Validate()
			requireValidationError(t, err, tc.field)
			requireNoPersonalData(t, fmt.Sprintf("%v %+v %#v", err, err, err))
		})
	}
}

// namePattern is YooKassa's pattern for names with its reversed range
// "‐-a" read as a literal hyphen: the reading that compiles.
var namePattern = regexp.MustCompile(`^[—–‐\-a-zA-Zа-яёА-ЯЁ ]*$`)

// TestNameRuleMatchesThePattern checks the client's character rule against
// the corrected pattern on every rune of the Basic Multilingual Plane and on
// the documented examples.
func TestNameRuleMatchesThePattern(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		req := &yookassa.PersonalDataRequest{Type: yookassa.PersonalDataSBPPayoutRecipient, LastName: s, FirstName: "Иван"}
		assert.Equal(t, namePattern.MatchString(s), req.Validate() == nil, "rune %U %q", r, s)
	}
	for _, name := range []string{"Иванов", "Салтыков-Щедрин", "Петров–Водкин", "Анна Мария", "Ёлкин", "Smith—Jones", "Nguyễn"} {
		req := &yookassa.PersonalDataRequest{Type: yookassa.PersonalDataSBPPayoutRecipient, LastName: name, FirstName: "Иван"}
		assert.Equal(t, namePattern.MatchString(name), req.Validate() == nil, name)
	}
}

func TestPersonalDataCallsRefuseBeforeSending(t *testing.T) {
	c, mt := mockClient(t)
	ctx := context.Background()
	_, err := c.CreatePersonalData(ctx, nil)
	requireValidationError(t, err, "")
	r := validStatementRecipient()
	r.LastName = "Петров1"
	_, err = c.CreatePersonalData(ctx, r)
	requireValidationError(t, err, "last_name")
	_, err = c.GetPersonalData(ctx, "pd-1")
	requireValidationError(t, err, "personal_data_id")
	_, err = c.GetPersonalData(ctx, "pd-22e12f66-000f-5000-8000-18db351245c7/x")
	requireValidationError(t, err, "personal_data_id")
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestPersonalDataStaysOutOfPrintsAndLogs(t *testing.T) {
	req := validStatementRecipient()
	for _, v := range []any{req, *req} {
		requireNoPersonalData(t, printAll(v))
	}
	// Inside other values fmt still calls Format. (A slog JSON handler
	// encodes a container with encoding/json: log the request itself.)
	for _, v := range []any{[]yookassa.PersonalDataRequest{*req}, struct{ R yookassa.PersonalDataRequest }{*req}, map[string]any{"r": *req}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			requireNoPersonalData(t, fmt.Sprintf(verb, v))
		}
	}
	assert.Contains(t, printAll(req), "payout_statement_recipient")

	// Nor in the debug log of a failing call.
	c, mt := mockClient(t)
	mt.RegisterResponder("POST", apiBase+"/personal_data", jsonResponder(400, fixture(t, "error_400_invalid_request.json")))
	_, err := c.CreatePersonalData(context.Background(), req)
	require.Error(t, err)
	requireNoPersonalData(t, fmt.Sprintf("%v %+v %#v", err, err, err))
}
