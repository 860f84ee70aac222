package loanapproval_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// addFixtures seeds f with every fixture whose name starts with prefix, plus
// extra shapes.
func addFixtures(f *testing.F, prefix string, extra ...string) {
	names, err := filepath.Glob(filepath.Join("testdata", prefix+"*.json"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no %s fixtures: %v", prefix, err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, e := range extra {
		f.Add([]byte(e))
	}
}

// checkDecodeError fails unless err is one of the documented decoding errors.
func checkDecodeError(t *testing.T, err error) {
	var verr *loanapproval.ValidationError
	switch {
	case errors.Is(err, loanapproval.ErrMalformed):
	case errors.As(err, &verr):
		if len(verr.Fields) == 0 {
			t.Fatal("a validation error must name at least one property")
		}
		_ = verr.Error()
	default:
		t.Fatalf("unexpected error type %T: %v", err, err)
	}
}

func FuzzRequestDecode(f *testing.F) {
	addFixtures(f, "yandex_request_")
	addFixtures(f, "request_",
		`{"phone_number":79991234567,"amount":"1e3","term":12,"product_type":"loan","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}`,
		`{"phone_number":"","amount":1e999999999,"product_type":null,"search_id":[]}`,
		`{"amount":-0.0000001,"term":"0012","props":[null,1,"x"]}`,
		`[]`, `null`, `"x"`, `{"phone_number":"\u0000"}`,
	)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := loanapproval.ParseRequest(body)
		if req == nil {
			t.Fatal("ParseRequest returned a nil request")
		}
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if err := req.Validate(); err != nil {
			t.Fatalf("parsed request fails Validate: %v", err)
		}
		out, err := json.Marshal(req)
		if err != nil {
			t.Fatalf("encode a valid request: %v", err)
		}
		again, err := loanapproval.ParseRequest(out)
		if err != nil {
			t.Fatalf("re-parse %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the request:\n%s\n%s", out, out2)
		}
	})
}

func FuzzResponseDecode(f *testing.F) {
	addFixtures(f, "yandex_response_")
	addFixtures(f, "response_",
		`{"search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b","status":"done","name":"B","decision":"rejected","data":[null,{},[]]}`,
		`{"search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b","status":"done","name":"B","decision":"has_approve",`+
			`"data":[{"product_type":"credit_card","decision":"pre_approved","amount":{"min":"1","max":"1E2"},`+
			`"rate":{"min":0,"max":0},"total_cost":{"min":0,"max":0.5},"grace_period":"55","payment":{"cc_rate":"3.5"},`+
			`"propousal_link":{"deep":"app://x"}}]}`,
		`{"data":{"min":1e-99999}}`, `{"search_id":1}`,
	)
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := loanapproval.ParseResponse(body)
		if resp == nil {
			t.Fatal("ParseResponse returned a nil response")
		}
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		// The only liberty read that the field table forbids is a null
		// range bound; Validate, the writing side, refuses exactly those.
		notGiven := notGivenBounds(resp)
		verr := &loanapproval.ValidationError{}
		if err := resp.Validate(); len(notGiven) == 0 && err != nil {
			t.Fatalf("parsed response fails Validate: %v", err)
		} else if len(notGiven) > 0 && (!errors.As(err, &verr) || !equalSets(verr.Properties(), notGiven)) {
			t.Fatalf("Validate must name exactly the null bounds %v: %v", notGiven, err)
		}
		out, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("encode a valid response: %v", err)
		}
		// Whatever was accepted leniently goes out in the documented kinds,
		// a null bound as null.
		check := loanapproval.WireCheckResponse
		if len(notGiven) > 0 {
			check = loanapproval.WireCheckResponseLenient
		}
		if problems := check(out); len(problems) > 0 {
			t.Fatalf("encoded response breaks the wire kinds: %v\n%s", problems, out)
		}
		again, err := loanapproval.ParseResponse(out)
		if err != nil {
			t.Fatalf("re-parse %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the response:\n%s\n%s", out, out2)
		}
		if strings.Contains(string(out), `"propousal_link"`) != hasLinks(resp) {
			t.Fatal("propousal_link must be encoded exactly when offers carry it")
		}
	})
}

// notGivenBounds lists the paths of the range bounds read as null.
func notGivenBounds(r *loanapproval.Response) []string {
	var out []string
	for i, o := range r.Data {
		for _, rg := range []struct {
			name string
			r    *loanapproval.Range
		}{{"amount", o.Amount}, {"term", o.Term}, {"rate", o.Rate}, {"total_cost", o.TotalCost}} {
			if rg.r == nil {
				continue
			}
			p := "data[" + strconv.Itoa(i) + "]." + rg.name
			if !rg.r.HasMin() {
				out = append(out, p+".min")
			}
			if !rg.r.HasMax() {
				out = append(out, p+".max")
			}
		}
	}
	return out
}

func equalSets(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func hasLinks(r *loanapproval.Response) bool {
	for _, o := range r.Data {
		if o.ProposalLink != nil {
			return true
		}
	}
	return false
}

func FuzzScrub(f *testing.F) {
	f.Add("bad header Bearer Zk8/Qm+vR2=wX9-tail", "Zk8/Qm+vR2=wX9-tail")
	f.Add(`{"message":"Zk8\/Qm\u002bvR2\u003DwX9-tail"}`, "Zk8/Qm+vR2=wX9-tail")
	f.Add("aaaaaaaaaaaaaaaaaaaab", "aaaaaaaaab")
	f.Fuzz(func(t *testing.T, text, secret string) {
		if len(secret) < 9 || strings.ContainsAny(secret, "[]") {
			t.Skip("a secret that could be spelled by the [REDACTED] marker itself")
		}
		out := loanapproval.Scrub(text, secret)
		if strings.Contains(out, secret) {
			t.Fatalf("secret survived: %q", out)
		}
		// Every character of an ASCII secret JSON-escaped: it still goes.
		ascii := true
		var esc strings.Builder
		for i := 0; i < len(secret); i++ {
			ascii = ascii && secret[i] < 0x80
			fmt.Fprintf(&esc, `\u%04X`, secret[i])
		}
		if got := loanapproval.Scrub(text+esc.String(), secret); ascii && strings.Contains(got, esc.String()) {
			t.Fatalf("escaped secret survived: %q", got)
		}
		// Text that holds neither the secret nor an escape is left alone.
		if !strings.Contains(text, secret) && !strings.Contains(text, `\`) && out != text {
			t.Fatalf("text changed without a secret: %q -> %q", text, out)
		}
	})
}
