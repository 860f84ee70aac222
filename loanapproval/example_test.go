package loanapproval_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// exampleBank offers a credit card to everyone and rejects cash loans.
var exampleBank = loanapproval.DeciderFunc(func(_ context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
	if req.ProductType != loanapproval.ProductCreditCard {
		return &loanapproval.Response{Name: "Example Bank", Decision: loanapproval.DecisionRejected}, nil
	}
	limit := decimal.NewFromInt(150000)
	if req.Amount != nil && req.Amount.LessThan(limit) {
		limit = *req.Amount
	}
	grace := 120
	ccRate := decimal.NewFromInt(3)
	return &loanapproval.Response{
		Name:     "Example Bank",
		Decision: loanapproval.DecisionHasApprove,
		Data: []loanapproval.Offer{{
			ProductType:  loanapproval.ProductCreditCard,
			Decision:     loanapproval.OfferPreApproved,
			Amount:       loanapproval.NewRange(decimal.NewFromInt(10000), limit),
			Rate:         loanapproval.NewRange(decimal.RequireFromString("19.9"), decimal.RequireFromString("39.9")),
			TotalCost:    loanapproval.NewRange(decimal.Zero, decimal.RequireFromString("39.875")),
			GracePeriod:  &grace,
			Payment:      &loanapproval.Payment{CCRate: &ccRate},
			ProposalLink: &loanapproval.ProposalLink{Link: "https://bank.example/card", Deep: "bankapp://card"},
		}},
	}, nil
})

// A bank serves its decisions with Handler; Yandex's side is played by
// Client.
func Example() {
	const token = "shared-bearer-token"
	h := loanapproval.Handler(exampleBank, token)
	mux := http.NewServeMux()
	mux.Handle("/integrations/v1/api/loan_approval", h)
	mux.Handle("/api/banking/loan_approval", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	client, err := loanapproval.NewClient(srv.URL+"/integrations/v1/api/loan_approval", token,
		loanapproval.WithPollURL(srv.URL+"/api/banking/loan_approval"))
	if err != nil {
		fmt.Println(err)
		return
	}
	limit := decimal.NewFromInt(100000)
	resp, err := client.Await(context.Background(), &loanapproval.Request{
		PhoneNumber: "79991234567",
		Amount:      &limit,
		ProductType: loanapproval.ProductCreditCard,
		SearchID:    "6f1c2b9e-4a7d-4c3e-9b1a-2d5e8f0a1c3b",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Name, resp.Status, resp.Decision)
	for _, o := range resp.Data {
		fmt.Printf("%s: limit %s-%s, rate %s-%s%%, %d days grace, minimum payment %s%%\n",
			o.ProductType, o.Amount.Min, o.Amount.Max, o.Rate.Min, o.Rate.Max, *o.GracePeriod, o.Payment.CCRate)
	}
	// Output:
	// Example Bank done has_approve
	// credit_card: limit 10000-100000, rate 19.9-39.9%, 120 days grace, minimum payment 3%
}

// In the asynchronous model the POST is answered with status pending, and
// Client.Await polls until the decision is done.
func ExampleWithAsync() {
	const token = "shared-bearer-token"
	scored := make(chan struct{}) // closed when the bank's scoring is done
	slowBank := loanapproval.DeciderFunc(func(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
		select {
		case <-scored:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return exampleBank.Decide(ctx, req)
	})
	srv := httptest.NewServer(loanapproval.Handler(slowBank, token, loanapproval.WithAsync()))
	defer srv.Close()
	client, err := loanapproval.NewClient(srv.URL, token, loanapproval.WithPollInterval(10*time.Millisecond, 100*time.Millisecond))
	if err != nil {
		fmt.Println(err)
		return
	}

	req := &loanapproval.Request{
		PhoneNumber: "79991234567",
		ProductType: loanapproval.ProductCreditCard,
		SearchID:    "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b",
	}
	first, err := client.Send(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("POST:", first.Status)
	close(scored)
	final, err := client.Await(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after polling:", final.Status, final.Decision)
	// Output:
	// POST: pending
	// after polling: done has_approve
}

// Check runs the conformance suite against a live endpoint.
func ExampleCheck() {
	const token = "shared-bearer-token"
	srv := httptest.NewServer(loanapproval.Handler(exampleBank, token))
	defer srv.Close()

	report, err := loanapproval.Check(context.Background(), srv.URL+"/integrations/v1/api/loan_approval", token)
	if err != nil {
		fmt.Println("could not run:", err)
		return
	}
	fmt.Print(report)
	fmt.Println("passed:", report.Passed())
	// Output:
	// RULE                           RESULT  DETAIL
	// post/loan                      PASS    200 done, decision rejected, 0 offers
	// post/credit_card               PASS    200 done, decision has_approve, 1 offer
	// transport/https                SKIP    plain http to a loopback host: allowed for tests only
	// async/polling                  SKIP    the endpoint answered synchronously
	// get/documented-path            PASS    200 with the same answer
	// repeat/search_id               PASS    same answer
	// auth/missing-token             PASS    403
	// auth/wrong-token               PASS    403
	// allowlist/foreign-address      SKIP    no foreign vantage point configured (CheckForeignClient)
	// get/unknown-search_id          PASS    404
	// invalid/phone_number/missing   PASS    400 naming phone_number
	// invalid/phone_number/letters   PASS    400 naming phone_number
	// invalid/phone_number/short     PASS    400 naming phone_number
	// invalid/product_type/missing   PASS    400 naming product_type
	// invalid/product_type/unknown   PASS    400 naming product_type
	// invalid/search_id/missing      PASS    400 naming search_id
	// invalid/search_id/not-uuid     PASS    400 naming search_id
	// invalid/term/missing-for-loan  PASS    400 naming term
	// invalid/term/not-a-number      PASS    400 naming term
	// invalid/amount/negative        PASS    400 naming amount
	// invalid/amount/not-a-number    PASS    400 naming amount
	// invalid/body/malformed         PASS    400
	// 22 rules: 19 passed, 0 failed, 3 skipped
	// passed: true
}

// ParseRequest reports every invalid property at once, as the 400 answer
// lists them.
func ExampleParseRequest() {
	_, err := loanapproval.ParseRequest([]byte(`{
		"phone_number": "+7 999 123-45-67",
		"amount": 0,
		"product_type": "loan",
		"search_id": "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"
	}`))
	var verr *loanapproval.ValidationError
	if errors.As(err, &verr) {
		for _, f := range verr.Fields {
			fmt.Printf("%s: %s\n", f.Property, f.Reason)
		}
	}
	// Output:
	// phone_number: must contain digits only
	// amount: must be positive
	// term: required for product_type loan
}

// Amounts and rates are decimal.Decimal values that travel as JSON numbers.
func ExampleRange() {
	r := loanapproval.NewRange(decimal.RequireFromString("10000.50"), decimal.NewFromInt(500000))
	b, _ := r.MarshalJSON()
	fmt.Println(string(b))
	// Output:
	// {"min":10000.5,"max":500000}
}
