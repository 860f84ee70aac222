package loanapproval_test

import (
	"bytes"
	"encoding/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"testing"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// mutated decodes a fixture into generic JSON, applies change and encodes it
// again.
func mutated(t *testing.T, name string, change func(m map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(fixture(t, name)))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	if change != nil {
		change(m)
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func offer0(m map[string]any) map[string]any { return m["data"].([]any)[0].(map[string]any) }

func sub(m map[string]any, key string) map[string]any { return m[key].(map[string]any) }

func num(s string) json.Number { return json.Number(s) }

// TestRequestRules follows the request table of the protocol: every required
// and conditional rule has a case.
func TestRequestRules(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		change  func(m map[string]any)
		want    []string // invalid properties; nil means valid
	}{
		{"valid loan", "request_loan.json", nil, nil},
		{"valid credit card without term", "request_credit_card.json", nil, nil},
		{"credit card with term", "request_credit_card.json", func(m map[string]any) { m["term"] = "12" }, nil},
		{"amount optional", "request_loan.json", func(m map[string]any) { delete(m, "amount") }, nil},
		{"props optional", "request_loan.json", func(m map[string]any) { delete(m, "props") }, nil},
		{"uppercase search_id", "request_loan.json", func(m map[string]any) { m["search_id"] = "1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B" }, nil},
		{"phone 10 digits", "request_loan.json", func(m map[string]any) { m["phone_number"] = "9991234567" }, nil},
		{"phone 15 digits", "request_loan.json", func(m map[string]any) { m["phone_number"] = "799912345671234" }, nil},

		{"phone missing", "request_loan.json", func(m map[string]any) { delete(m, "phone_number") }, []string{"phone_number"}},
		{"phone empty", "request_loan.json", func(m map[string]any) { m["phone_number"] = "" }, []string{"phone_number"}},
		{"phone with plus", "request_loan.json", func(m map[string]any) { m["phone_number"] = "+79991234567" }, []string{"phone_number"}},
		{"phone with letters", "request_loan.json", func(m map[string]any) { m["phone_number"] = "7999abc4567" }, []string{"phone_number"}},
		{"phone with spaces", "request_loan.json", func(m map[string]any) { m["phone_number"] = "7 999 123 45 67" }, []string{"phone_number"}},
		{"phone 9 digits", "request_loan.json", func(m map[string]any) { m["phone_number"] = "999123456" }, []string{"phone_number"}},
		{"phone 16 digits", "request_loan.json", func(m map[string]any) { m["phone_number"] = "7999123456712345" }, []string{"phone_number"}},

		{"amount zero", "request_loan.json", func(m map[string]any) { m["amount"] = num("0") }, []string{"amount"}},
		{"amount negative", "request_loan.json", func(m map[string]any) { m["amount"] = num("-1") }, []string{"amount"}},

		{"loan without term", "request_loan.json", func(m map[string]any) { delete(m, "term") }, []string{"term"}},
		{"term zero", "request_loan.json", func(m map[string]any) { m["term"] = "0" }, []string{"term"}},
		{"term words", "request_loan.json", func(m map[string]any) { m["term"] = "twelve" }, []string{"term"}},
		{"term fraction", "request_loan.json", func(m map[string]any) { m["term"] = "12.5" }, []string{"term"}},
		{"term too long", "request_loan.json", func(m map[string]any) { m["term"] = "1201" }, []string{"term"}},
		{"card with bad term", "request_credit_card.json", func(m map[string]any) { m["term"] = "-3" }, []string{"term"}},

		{"product_type missing", "request_loan.json", func(m map[string]any) { delete(m, "product_type") }, []string{"product_type"}},
		{"product_type unknown", "request_loan.json", func(m map[string]any) { m["product_type"] = "mortgage" }, []string{"product_type"}},
		{"product_type wrong case", "request_loan.json", func(m map[string]any) { m["product_type"] = "LOAN" }, []string{"product_type"}},

		{"search_id missing", "request_loan.json", func(m map[string]any) { delete(m, "search_id") }, []string{"search_id"}},
		{"search_id not a uuid", "request_loan.json", func(m map[string]any) { m["search_id"] = "12345" }, []string{"search_id"}},
		{"search_id without dashes", "request_loan.json", func(m map[string]any) { m["search_id"] = "1b4e28ba2fa14d3ba3f5ef19b5a7633b" }, []string{"search_id"}},
		{"search_id in braces", "request_loan.json", func(m map[string]any) { m["search_id"] = "{1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b}" }, []string{"search_id"}},

		{"everything wrong", "request_loan.json", func(m map[string]any) {
			m["phone_number"] = "x"
			m["amount"] = num("-5")
			delete(m, "term")
			delete(m, "search_id")
		}, []string{"phone_number", "amount", "term", "search_id"}},
		{"everything missing", "request_loan.json", func(m map[string]any) { clear(m) },
			[]string{"phone_number", "product_type", "search_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := loanapproval.ParseRequest(mutated(t, tt.fixture, tt.change))
			require.NotNil(t, req)
			if tt.want == nil {
				require.NoError(t, err)
				require.NoError(t, req.Validate())
				return
			}
			var verr *loanapproval.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.ElementsMatch(t, tt.want, verr.Properties())
			for _, f := range verr.Fields {
				assert.NotEmpty(t, f.Reason, f.Property)
			}
			// Validate on the decoded value agrees with ParseRequest when
			// no wrong kinds were involved.
			require.ErrorAs(t, req.Validate(), &verr)
			assert.ElementsMatch(t, tt.want, verr.Properties())
		})
	}
}

// TestResponseRules follows the 200 table of the protocol: every required and
// conditional field of the answer and of an offer has a case.
func TestResponseRules(t *testing.T) {
	const loan, card = "response_loan.json", "response_credit_card.json"
	tests := []struct {
		name    string
		fixture string
		change  func(m map[string]any)
		want    []string
	}{
		{"valid loan", loan, nil, nil},
		{"valid credit card", card, nil, nil},
		{"valid rejection without data", "response_rejected.json", nil, nil},
		{"valid pending", "response_pending.json", nil, nil},
		{"pending without status", "response_ack.json", nil, nil},
		{"data optional", loan, func(m map[string]any) { delete(m, "data") }, nil},
		{"lists optional", loan, func(m map[string]any) {
			o := offer0(m)
			for _, k := range []string{"special_conditions", "required_documents", "choosable_documents", "props"} {
				delete(o, k)
			}
		}, nil},
		{"link only", loan, func(m map[string]any) { delete(sub(offer0(m), "propousal_link"), "deep") }, nil},
		{"deep only", loan, func(m map[string]any) { delete(sub(offer0(m), "propousal_link"), "link") }, nil},
		{"card needs no term", card, func(m map[string]any) { delete(offer0(m), "term") }, nil},
		{"card may carry payment min and max", card, func(m map[string]any) {
			p := sub(offer0(m), "payment")
			p["min"], p["max"] = num("100"), num("5000")
		}, nil},
		{"loan needs no grace_period", loan, func(m map[string]any) { delete(offer0(m), "grace_period") }, nil},
		{"loan needs no cc_rate", loan, func(m map[string]any) { delete(sub(offer0(m), "payment"), "cc_rate") }, nil},
		{"fixed range", loan, func(m map[string]any) {
			r := sub(offer0(m), "rate")
			r["min"], r["max"] = num("19.9"), num("19.9")
		}, nil},
		{"zero grace period", card, func(m map[string]any) { offer0(m)["grace_period"] = num("0") }, nil},
		{"cc_rate 100", card, func(m map[string]any) { sub(offer0(m), "payment")["cc_rate"] = num("100") }, nil},

		{"search_id missing", loan, func(m map[string]any) { delete(m, "search_id") }, []string{"search_id"}},
		{"search_id not a uuid", loan, func(m map[string]any) { m["search_id"] = "abc" }, []string{"search_id"}},
		{"status missing", loan, func(m map[string]any) { delete(m, "status") }, []string{"status"}},
		{"status unknown", loan, func(m map[string]any) { m["status"] = "ready" }, []string{"status"}},
		{"name missing", loan, func(m map[string]any) { delete(m, "name") }, []string{"name"}},
		{"decision missing", loan, func(m map[string]any) { delete(m, "decision") }, []string{"decision"}},
		{"decision unknown", loan, func(m map[string]any) { m["decision"] = "approved" }, []string{"decision"}},
		{"data not an array", loan, func(m map[string]any) { m["data"] = map[string]any{} }, []string{"data"}},
		{"offer not an object", loan, func(m map[string]any) { m["data"] = []any{"x"} }, []string{"data[0]"}},
		{"offer null", loan, func(m map[string]any) { m["data"] = []any{nil} }, []string{"data[0]"}},

		{"offer product_type missing", loan, func(m map[string]any) { delete(offer0(m), "product_type") }, []string{"data[0].product_type"}},
		{"offer product_type unknown", loan, func(m map[string]any) { offer0(m)["product_type"] = "mortgage" }, []string{"data[0].product_type"}},
		{"offer decision missing", loan, func(m map[string]any) { delete(offer0(m), "decision") }, []string{"data[0].decision"}},
		{"offer decision top-level value", loan, func(m map[string]any) { offer0(m)["decision"] = "has_approve" }, []string{"data[0].decision"}},

		{"amount missing", loan, func(m map[string]any) { delete(offer0(m), "amount") }, []string{"data[0].amount"}},
		{"amount.min missing", loan, func(m map[string]any) { delete(sub(offer0(m), "amount"), "min") }, []string{"data[0].amount.min"}},
		{"amount.max missing", loan, func(m map[string]any) { delete(sub(offer0(m), "amount"), "max") }, []string{"data[0].amount.max"}},
		{"amount min above max", loan, func(m map[string]any) { sub(offer0(m), "amount")["min"] = num("600000") }, []string{"data[0].amount"}},
		{"amount zero", loan, func(m map[string]any) { sub(offer0(m), "amount")["min"] = num("0") }, []string{"data[0].amount.min"}},
		{"amount a string that is not a number", loan, func(m map[string]any) { sub(offer0(m), "amount")["max"] = "many" }, []string{"data[0].amount.max"}},
		{"amount not an object", loan, func(m map[string]any) { offer0(m)["amount"] = num("5") }, []string{"data[0].amount"}},

		{"loan term missing", loan, func(m map[string]any) { delete(offer0(m), "term") }, []string{"data[0].term"}},
		{"term.min missing", loan, func(m map[string]any) { delete(sub(offer0(m), "term"), "min") }, []string{"data[0].term.min"}},
		{"term min above max", loan, func(m map[string]any) { sub(offer0(m), "term")["min"] = num("61") }, []string{"data[0].term"}},
		{"card term still checked", card, func(m map[string]any) {
			offer0(m)["term"] = map[string]any{"min": num("12"), "max": num("6")}
		}, []string{"data[0].term"}},

		{"rate missing", loan, func(m map[string]any) { delete(offer0(m), "rate") }, []string{"data[0].rate"}},
		{"rate.max missing", loan, func(m map[string]any) { delete(sub(offer0(m), "rate"), "max") }, []string{"data[0].rate.max"}},
		{"rate min above max", loan, func(m map[string]any) { sub(offer0(m), "rate")["min"] = num("30") }, []string{"data[0].rate"}},
		{"rate negative", loan, func(m map[string]any) { sub(offer0(m), "rate")["min"] = num("-1") }, []string{"data[0].rate.min"}},

		{"total_cost missing", loan, func(m map[string]any) { delete(offer0(m), "total_cost") }, []string{"data[0].total_cost"}},
		{"total_cost.min missing", loan, func(m map[string]any) { delete(sub(offer0(m), "total_cost"), "min") }, []string{"data[0].total_cost.min"}},
		{"total_cost min above max", card, func(m map[string]any) { sub(offer0(m), "total_cost")["min"] = num("40") }, []string{"data[0].total_cost"}},

		{"card grace_period missing", card, func(m map[string]any) { delete(offer0(m), "grace_period") }, []string{"data[0].grace_period"}},
		{"grace_period negative", card, func(m map[string]any) { offer0(m)["grace_period"] = num("-1") }, []string{"data[0].grace_period"}},
		{"grace_period fractional", card, func(m map[string]any) { offer0(m)["grace_period"] = num("30.5") }, []string{"data[0].grace_period"}},

		{"payment missing", loan, func(m map[string]any) { delete(offer0(m), "payment") }, []string{"data[0].payment"}},
		{"card payment missing", card, func(m map[string]any) { delete(offer0(m), "payment") }, []string{"data[0].payment"}},
		{"loan payment.min missing", loan, func(m map[string]any) { delete(sub(offer0(m), "payment"), "min") }, []string{"data[0].payment.min"}},
		{"loan payment.max missing", loan, func(m map[string]any) { delete(sub(offer0(m), "payment"), "max") }, []string{"data[0].payment.max"}},
		{"loan payment only cc_rate", loan, func(m map[string]any) { offer0(m)["payment"] = map[string]any{"cc_rate": num("5")} },
			[]string{"data[0].payment.min", "data[0].payment.max"}},
		{"payment min above max", loan, func(m map[string]any) { sub(offer0(m), "payment")["min"] = num("20000") }, []string{"data[0].payment"}},
		{"payment negative", loan, func(m map[string]any) { sub(offer0(m), "payment")["min"] = num("-1") }, []string{"data[0].payment.min"}},
		{"card cc_rate missing", card, func(m map[string]any) { delete(sub(offer0(m), "payment"), "cc_rate") }, []string{"data[0].payment.cc_rate"}},
		{"cc_rate zero", card, func(m map[string]any) { sub(offer0(m), "payment")["cc_rate"] = num("0") }, []string{"data[0].payment.cc_rate"}},
		{"cc_rate above 100", card, func(m map[string]any) { sub(offer0(m), "payment")["cc_rate"] = num("100.5") }, []string{"data[0].payment.cc_rate"}},

		{"propousal_link missing", loan, func(m map[string]any) { delete(offer0(m), "propousal_link") }, []string{"data[0].propousal_link"}},
		{"propousal_link empty", loan, func(m map[string]any) { offer0(m)["propousal_link"] = map[string]any{} }, []string{"data[0].propousal_link"}},
		{"correctly spelled proposal_link is not the wire name", loan, func(m map[string]any) {
			o := offer0(m)
			o["proposal_link"] = o["propousal_link"]
			delete(o, "propousal_link")
		}, []string{"data[0].propousal_link"}},
		{"link not http", loan, func(m map[string]any) { sub(offer0(m), "propousal_link")["link"] = "ftp://bank.example/x" }, []string{"data[0].propousal_link.link"}},
		{"link relative", loan, func(m map[string]any) { sub(offer0(m), "propousal_link")["link"] = "/apply" }, []string{"data[0].propousal_link.link"}},
		{"deep without scheme", loan, func(m map[string]any) { sub(offer0(m), "propousal_link")["deep"] = "apply/loan" }, []string{"data[0].propousal_link.deep"}},

		{"lists of non-strings", loan, func(m map[string]any) { offer0(m)["required_documents"] = []any{num("1")} }, []string{"data[0].required_documents[0]"}},
		{"second offer checked", loan, func(m map[string]any) {
			o := offer0(m)
			second := map[string]any{}
			for k, v := range o {
				second[k] = v
			}
			delete(second, "rate")
			m["data"] = []any{o, second}
		}, []string{"data[1].rate"}},
		{"several problems at once", card, func(m map[string]any) {
			o := offer0(m)
			delete(o, "grace_period")
			delete(sub(o, "payment"), "cc_rate")
			o["decision"] = "maybe"
			delete(m, "name")
		}, []string{"name", "data[0].decision", "data[0].grace_period", "data[0].payment.cc_rate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := loanapproval.ParseResponse(mutated(t, tt.fixture, tt.change))
			require.NotNil(t, resp)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			var verr *loanapproval.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.ElementsMatch(t, tt.want, verr.Properties(), err.Error())
		})
	}
}

func TestOfferValidateBuiltInGo(t *testing.T) {
	o := loanapproval.Offer{
		ProductType:  loanapproval.ProductLoan,
		Decision:     loanapproval.OfferFullApproved,
		Amount:       loanapproval.NewRange(dec("50000"), dec("10000")),
		Rate:         loanapproval.NewRange(dec("10"), dec("20")),
		TotalCost:    loanapproval.NewRange(dec("11"), dec("21")),
		Payment:      &loanapproval.Payment{Min: decp("1000")},
		ProposalLink: &loanapproval.ProposalLink{Link: "https://bank.example"},
	}
	var verr *loanapproval.ValidationError
	require.ErrorAs(t, o.Validate(), &verr)
	assert.ElementsMatch(t, []string{"amount", "term", "payment.max"}, verr.Properties())

	o.Amount = loanapproval.NewRange(dec("10000"), dec("50000"))
	o.Term = loanapproval.NewRange(dec("6"), dec("36"))
	o.Payment.Max = decp("9000")
	assert.NoError(t, o.Validate())
}

func TestValidSearchID(t *testing.T) {
	assert.True(t, loanapproval.ValidSearchID("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"))
	assert.True(t, loanapproval.ValidSearchID("00000000-0000-0000-0000-000000000000"))
	assert.False(t, loanapproval.ValidSearchID("urn:uuid:1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"))
	assert.False(t, loanapproval.ValidSearchID("1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633g"))
	assert.False(t, loanapproval.ValidSearchID(""))
}
