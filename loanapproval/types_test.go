package loanapproval_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/leaktest"
	"github.com/creditpay/yookassa-go/loanapproval"
)

func TestFixturesRoundTrip(t *testing.T) {
	for _, name := range []string{
		"response_loan.json", "response_credit_card.json", "response_rejected.json", "response_pending.json",
	} {
		t.Run(name, func(t *testing.T) {
			raw := fixture(t, name)
			resp, err := loanapproval.ParseResponse(raw)
			require.NoError(t, err)
			out, err := json.Marshal(resp)
			require.NoError(t, err)
			assert.JSONEq(t, string(raw), string(out))
			assert.Empty(t, loanapproval.WireCheckResponse(out))
		})
	}
	for _, name := range []string{"request_loan.json", "request_credit_card.json"} {
		t.Run(name, func(t *testing.T) {
			raw := fixture(t, name)
			req, err := loanapproval.ParseRequest(raw)
			require.NoError(t, err)
			out, err := json.Marshal(req)
			require.NoError(t, err)
			assert.JSONEq(t, string(raw), string(out))
		})
	}
}

func TestFixtureFields(t *testing.T) {
	resp, err := loanapproval.ParseResponse(fixture(t, "response_loan.json"))
	require.NoError(t, err)
	assert.Equal(t, loanapproval.StatusDone, resp.Status)
	assert.Equal(t, loanapproval.DecisionHasApprove, resp.Decision)
	require.Len(t, resp.Data, 1)
	o := resp.Data[0]
	assert.Equal(t, loanapproval.ProductLoan, o.ProductType)
	assert.Equal(t, loanapproval.OfferPreApproved, o.Decision)
	assert.True(t, o.Amount.Min.Equal(dec("10000")))
	assert.True(t, o.Amount.Max.Equal(dec("500000")))
	assert.True(t, o.Term.Max.Equal(dec("60")))
	assert.True(t, o.Rate.Min.Equal(dec("14.9")))
	assert.True(t, o.TotalCost.Max.Equal(dec("30.456")))
	assert.True(t, o.Payment.Min.Equal(dec("4500")))
	assert.Nil(t, o.Payment.CCRate)
	assert.Nil(t, o.GracePeriod)
	assert.Equal(t, "https://bank.example/apply/loan?sid=1b4e28ba", o.ProposalLink.Link)
	assert.Equal(t, "bankapp://apply/loan", o.ProposalLink.Deep)
	assert.Equal(t, []string{"2-NDFL certificate, employer's certificate", "Confirmation via Gosuslugi"}, o.ChoosableDocuments)
	assert.Equal(t, []string{"offer-7"}, o.Props)

	card, err := loanapproval.ParseResponse(fixture(t, "response_credit_card.json"))
	require.NoError(t, err)
	c := card.Data[0]
	require.NotNil(t, c.GracePeriod)
	assert.Equal(t, 120, *c.GracePeriod)
	assert.True(t, c.Payment.CCRate.Equal(dec("3")))
	assert.Nil(t, c.Term)
}

func TestEncodingKeepsNumbersAsJSONNumbers(t *testing.T) {
	amount := dec("10000.50")
	req := loanapproval.Request{
		PhoneNumber: "79991234567", Amount: &amount, Term: "12",
		ProductType: loanapproval.ProductLoan, SearchID: "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
	}
	b, err := json.Marshal(req)
	require.NoError(t, err)
	assert.Equal(t,
		`{"phone_number":"79991234567","amount":10000.5,"term":"12","product_type":"loan","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}`,
		string(b))

	b, err = json.Marshal(loanapproval.NewRange(dec("10000"), dec("500000")))
	require.NoError(t, err)
	assert.Equal(t, `{"min":10000,"max":500000}`, string(b))

	b, err = json.Marshal(loanapproval.Payment{CCRate: decp("3.5")})
	require.NoError(t, err)
	assert.Equal(t, `{"cc_rate":3.5}`, string(b))

	b, err = json.Marshal(loanapproval.Payment{Min: decp("1000"), Max: decp("2000")})
	require.NoError(t, err)
	assert.Equal(t, `{"min":1000,"max":2000}`, string(b))

	offer := loanapproval.Offer{
		ProductType: loanapproval.ProductCreditCard, Decision: loanapproval.OfferFullApproved,
		Amount: loanapproval.NewRange(dec("1"), dec("2")), Rate: loanapproval.NewRange(dec("0"), dec("0")),
		TotalCost: loanapproval.NewRange(dec("0"), dec("1")), GracePeriod: intp(55),
		Payment: &loanapproval.Payment{CCRate: decp("5")}, ProposalLink: &loanapproval.ProposalLink{Link: "https://b.example"},
	}
	b, err = json.Marshal(offer)
	require.NoError(t, err)
	assert.Equal(t, `{"product_type":"credit_card","decision":"full_approved","amount":{"min":1,"max":2},`+
		`"rate":{"min":0,"max":0},"total_cost":{"min":0,"max":1},"grace_period":55,"payment":{"cc_rate":5},`+
		`"propousal_link":{"link":"https://b.example"}}`, string(b))

	pending, err := json.Marshal(loanapproval.Response{SearchID: "x", Status: loanapproval.StatusPending})
	require.NoError(t, err)
	assert.Equal(t, `{"search_id":"x","status":"pending"}`, string(pending))
}

func TestLenientDecoding(t *testing.T) {
	req, err := loanapproval.ParseRequest([]byte(`{"phone_number":79991234567,"amount":"300000","term":24,` +
		`"product_type":"loan","search_id":"1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B","unknown":{"x":[1,2]},"props":null}`))
	require.NoError(t, err)
	assert.Equal(t, "79991234567", req.PhoneNumber)
	assert.True(t, req.Amount.Equal(dec("300000")))
	assert.Equal(t, "24", req.Term)
	assert.Nil(t, req.Props)

	resp, err := loanapproval.ParseResponse([]byte(`{"search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b","status":"done",` +
		`"name":"B","decision":"has_approve","extra":1,"data":[{"product_type":"credit_card","decision":"pre_approved",` +
		`"amount":{"min":"1000","max":"2e3"},"rate":{"min":1,"max":2},"total_cost":{"min":1,"max":2},` +
		`"grace_period":"100","payment":{"cc_rate":"5"},"propousal_link":{"link":"https://b.example","x":1},"new_field":true}]}`))
	require.NoError(t, err)
	o := resp.Data[0]
	assert.True(t, o.Amount.Min.Equal(dec("1000")))
	assert.True(t, o.Amount.Max.Equal(dec("2000")))
	assert.Equal(t, 100, *o.GracePeriod)
	assert.True(t, o.Payment.CCRate.Equal(dec("5")))

	// A bare acknowledgement of the asynchronous model reads as pending.
	ack, err := loanapproval.ParseResponse(fixture(t, "response_ack.json"))
	require.NoError(t, err)
	assert.Equal(t, loanapproval.StatusPending, ack.Status)
}

func TestDecodingReportsWrongKinds(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"phone as boolean", `{"phone_number":true,"product_type":"credit_card","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}`,
			[]string{"phone_number"}},
		{"phone as signed number", `{"phone_number":-79991234567,"product_type":"credit_card","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}`,
			[]string{"phone_number"}},
		{"amount as words", `{"phone_number":"79991234567","amount":"lots","product_type":"credit_card","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}`,
			[]string{"amount"}},
		{"amount with huge exponent", `{"phone_number":"79991234567","amount":1e999999999,"product_type":"credit_card","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}`,
			[]string{"amount"}},
		{"amount in hex string", `{"phone_number":"79991234567","amount":"0x10","product_type":"credit_card","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}`,
			[]string{"amount"}},
		{"search_id as number", `{"phone_number":"79991234567","product_type":"credit_card","search_id":12}`,
			[]string{"search_id"}},
		{"props not strings", `{"phone_number":"79991234567","product_type":"credit_card","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b","props":[1]}`,
			[]string{"props[0]"}},
		{"body an array", `[1,2]`, []string{"", "phone_number", "product_type", "search_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loanapproval.ParseRequest([]byte(tt.body))
			var verr *loanapproval.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.ElementsMatch(t, tt.want, verr.Properties())
		})
	}

	// json.Unmarshal reports wrong kinds as a *ValidationError and still
	// fills in the rest.
	var req loanapproval.Request
	err := json.Unmarshal([]byte(`{"phone_number":"79991234567","term":{"a":1}}`), &req)
	var verr *loanapproval.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, []string{"term"}, verr.Properties())
	assert.Equal(t, "79991234567", req.PhoneNumber)

	_, err = loanapproval.ParseRequest([]byte(`{"phone_number":`))
	assert.ErrorIs(t, err, loanapproval.ErrMalformed)
	assert.False(t, errors.As(err, &verr))
}

func TestValidationErrorMessage(t *testing.T) {
	_, err := loanapproval.ParseRequest([]byte(`{"phone_number":"secret-79991234567","product_type":"loan","search_id":"x"}`))
	var verr *loanapproval.ValidationError
	require.ErrorAs(t, err, &verr)
	msg := err.Error()
	assert.Contains(t, msg, "phone_number: must contain digits only")
	assert.Contains(t, msg, "term: required for product_type loan")
	assert.Contains(t, msg, "search_id: must be a UUID")
	assert.NotContains(t, msg, "secret", "values must not leak into errors")
	assert.True(t, verr.Has("term"))
	assert.False(t, verr.Has("amount"))
}

func TestMarshalDoesNotEscapeIntoInvalidJSON(t *testing.T) {
	resp := loanapproval.Response{SearchID: "a\"b", Status: loanapproval.StatusDone, Name: "Bank <&>\n", Decision: loanapproval.DecisionRejected}
	b, err := json.Marshal(resp)
	require.NoError(t, err)
	assert.True(t, json.Valid(b))
	var back map[string]string
	require.NoError(t, json.NewDecoder(bytes.NewReader(b)).Decode(&back))
	assert.Equal(t, "Bank <&>\n", back["name"])
	assert.Equal(t, "a\"b", back["search_id"])
}

func TestStringEncodingMatchesEncodingJSON(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, s := range []string{
		"", "plain", `quote " backslash \ slash /`, "tab\tnewline\nreturn\r", "\x00\x01\x1f\x7f",
		"<script>&amp;</script>", "кредит наличными", "emoji 😀", "line\u2028para\u2029",
		"bad utf8 \xff\xfe end", "truncated \xe2\x82", string(all),
	} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(loanapproval.AppendString(nil, s)), "%q", s)
	}
}

func TestRequestPrintsNoPhoneNumber(t *testing.T) {
	const phone = "79991234567"
	amount := decimal.RequireFromString("150000")
	r := loanapproval.Request{PhoneNumber: phone, Amount: &amount, Term: "24", ProductType: loanapproval.ProductLoan,
		SearchID: "0d4ef2b3-5d0b-4d1e-9f3a-9c1e0a6a8a11"}
	assert.Empty(t, leaktest.Leaks([]string{phone}, r, &r))
	assert.Contains(t, leaktest.Prints(r)["slog json"], r.SearchID, "the log says which request it is")
}
