package loanapproval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// The search_id of Yandex's published examples.
const yandexSearchID = "e2b4948b-7d8a-4eec-875c-b1c11d7d8372"

// withSearchID puts searchID in place of the one of Yandex's examples.
func withSearchID(body []byte, searchID string) []byte {
	return bytes.ReplaceAll(body, []byte(yandexSearchID), []byte(searchID))
}

func TestYandexPublishedRequests(t *testing.T) {
	loan, err := loanapproval.ParseRequest(fixture(t, "yandex_request_loan.json"))
	require.NoError(t, err, "a 10-digit phone and a numeric term are read")
	assert.Equal(t, "9330445040", loan.PhoneNumber)
	assert.Equal(t, "36", loan.Term)
	require.NotNil(t, loan.Amount)
	assert.True(t, loan.Amount.Equal(dec("500000")))
	assert.Equal(t, loanapproval.ProductLoan, loan.ProductType)
	assert.Equal(t, yandexSearchID, loan.SearchID)

	card, err := loanapproval.ParseRequest(fixture(t, "yandex_request_credit_card.json"))
	require.NoError(t, err)
	assert.Equal(t, loanapproval.ProductCreditCard, card.ProductType)
	assert.Nil(t, card.Amount)

	// What the package writes is the field table's form: term a string.
	out, err := json.Marshal(loan)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"term":"36"`)
}

func TestHandlerAnswersYandexPublishedRequests(t *testing.T) {
	h := loanapproval.Handler(counting(approve), testToken)
	for _, name := range []string{"yandex_request_loan.json", "yandex_request_credit_card.json"} {
		r := httptest.NewRequest(http.MethodPost, "/integrations/v1/api/loan_approval", bytes.NewReader(fixture(t, name)))
		r.Header.Set("Authorization", "Bearer "+testToken)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Equal(t, http.StatusOK, w.Code, name+": "+w.Body.String())
		resp, err := loanapproval.ParseResponse(w.Body.Bytes())
		require.NoError(t, err, name)
		assert.Equal(t, yandexSearchID, resp.SearchID, name)
		assert.Equal(t, loanapproval.DecisionHasApprove, resp.Decision, name)
	}
}

func TestYandexPublishedOffers(t *testing.T) {
	loan, err := loanapproval.ParseResponse(fixture(t, "yandex_response_loan.json"))
	require.NoError(t, err, `"min": null is read as not given`)
	require.Len(t, loan.Data, 1)
	o := loan.Data[0]
	assert.False(t, o.Amount.HasMin())
	assert.True(t, o.Amount.HasMax())
	assert.True(t, o.Amount.Max.Equal(dec("1000000")))
	assert.True(t, o.Term.HasMin() && o.Term.Min.Equal(dec("36")))
	assert.Nil(t, o.SpecialConditions)
	assert.Equal(t, []string{"Паспорт РФ", "СНИЛС"}, o.RequiredDocuments)
	assert.Equal(t, "https://my.bank.ru/propousals?id=1", o.ProposalLink.Link)
	assert.Equal(t, "АО Супер-банк", loan.Name)

	card, err := loanapproval.ParseResponse(fixture(t, "yandex_response_credit_card.json"))
	require.NoError(t, err)
	require.Len(t, card.Data, 1)
	assert.True(t, card.Data[0].Amount.Min.Equal(dec("120000")))
	assert.Equal(t, 120, *card.Data[0].GracePeriod)
	assert.True(t, card.Data[0].Payment.CCRate.Equal(dec("10")))
	require.NoError(t, card.Validate(), "the credit card example keeps the field table")

	// The null bound survives a round trip, so nothing is made up.
	out, err := json.Marshal(loan)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"amount":{"min":null,"max":1000000}`)
	again, err := loanapproval.ParseResponse(out)
	require.NoError(t, err)
	assert.False(t, again.Data[0].Amount.HasMin())

	// Writing is strict: the same answer breaks the field table.
	var verr *loanapproval.ValidationError
	require.ErrorAs(t, loan.Validate(), &verr)
	assert.Equal(t, []string{"data[0].amount.min"}, verr.Properties())
	assert.NotEmpty(t, loanapproval.WireCheckResponse(out), "the strict kind check refuses the null")
	assert.Empty(t, loanapproval.WireCheckResponseLenient(out))
}

func TestLenientReadingHasLimits(t *testing.T) {
	body := string(fixture(t, "yandex_response_loan.json"))
	for name, tt := range map[string]struct{ from, to, property string }{
		"absent bound":     {`"min": null,`, ``, "data[0].amount.min"},
		"null rate bound":  {`"min": 24.3`, `"min": null`, ""},
		"bound as text":    {`"max": 1000000.0`, `"max": "lots"`, "data[0].amount.max"},
		"null range":       {`"term": {`, `"term": null, "x": {`, "data[0].term"},
		"null payment min": {`"min": 13000`, `"min": null`, "data[0].payment.min"},
	} {
		t.Run(name, func(t *testing.T) {
			edited := strings.Replace(body, tt.from, tt.to, 1)
			require.NotEqual(t, body, edited)
			_, err := loanapproval.ParseResponse([]byte(edited))
			if tt.property == "" {
				assert.NoError(t, err)
				return
			}
			var verr *loanapproval.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.True(t, verr.Has(tt.property), verr.Error())
		})
	}
}

// yandexBank answers loans with Yandex's published loan offer and credit
// cards with its credit card offer, as a bank copying them would.
func yandexBank(t *testing.T) http.Handler {
	loanOffer := fixture(t, "yandex_response_loan.json")
	cardOffer := fixture(t, "yandex_response_credit_card.json")
	correct := loanapproval.Handler(counting(approve), testToken)
	return rewrite(correct, func(r *http.Request, status int, body []byte) (int, []byte) {
		var resp struct {
			SearchID string `json:"search_id"`
			Status   string `json:"status"`
			Data     []struct {
				ProductType string `json:"product_type"`
			} `json:"data"`
		}
		if status != http.StatusOK || json.Unmarshal(body, &resp) != nil || resp.Status != "done" || len(resp.Data) == 0 {
			return status, body
		}
		if resp.Data[0].ProductType == "loan" {
			return status, withSearchID(loanOffer, resp.SearchID)
		}
		return status, withSearchID(cardOffer, resp.SearchID)
	})
}

func TestClientReadsYandexExample(t *testing.T) {
	srv := httptest.NewServer(yandexBank(t))
	defer srv.Close()
	resp, err := newTestClient(srv, testToken).Send(context.Background(), loanRequest())
	require.NoError(t, err)
	require.Len(t, resp.Data, 1)
	assert.False(t, resp.Data[0].Amount.HasMin())
}

func TestCheckPassesYandexExample(t *testing.T) {
	report := runCheck(t, yandexBank(t))
	assert.True(t, report.Passed(), report.String())
	loan, _ := report.Result("post/loan")
	assert.Equal(t, "200 done, decision has_approve, 1 offer", loan.Reason)
}

func TestHandlerRefusesToSendTheNullBound(t *testing.T) {
	example, err := loanapproval.ParseResponse(fixture(t, "yandex_response_loan.json"))
	require.NoError(t, err)
	var logs lockedBuffer
	d := loanapproval.DeciderFunc(func(_ context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		resp := *example
		resp.SearchID = req.SearchID
		return &resp, nil
	})
	h := loanapproval.Handler(d, testToken, loanapproval.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	req := loanRequest()
	body, err := json.Marshal(req)
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.NotContains(t, w.Body.String(), "null")
	// The decision is logged before the synchronous answer is written.
	assert.Contains(t, logs.String(), "data[0].amount.min", "the log names the field at fault")
}
