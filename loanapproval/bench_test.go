package loanapproval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// benchBody returns a valid loan request whose search_id is derived from n,
// so that every request of a benchmark is a new search.
func benchBody(n uint64) []byte {
	return fmt.Appendf(nil, `{"phone_number":"79991234567","amount":250000,"term":"24","product_type":"loan",`+
		`"search_id":"00000000-0000-4000-8000-%012x"}`, n)
}

// runRequests POSTs through h from parallel goroutines and reports
// requests per second.
func runRequests(b *testing.B, h http.Handler) {
	var seq atomic.Uint64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest(http.MethodPost, "/integrations/v1/api/loan_approval", bytes.NewReader(benchBody(seq.Add(1))))
			r.Header.Set("Authorization", "Bearer "+testToken)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Errorf("status %d: %s", w.Code, w.Body)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkHandler measures a synchronous decision through Handler: token
// check, decoding, validation, the store, a decider returning a prepared
// answer, validation and encoding of the answer. Every request is a new
// search_id, and the handler's clock moves a millisecond per reading with a
// TTL of a second, so the store keeps dropping expired answers as a busy
// handler does.
func BenchmarkHandler(b *testing.B) {
	data := []loanapproval.Offer{offerFor(loanapproval.ProductLoan)}
	fixed := loanapproval.DeciderFunc(func(context.Context, *loanapproval.Request) (*loanapproval.Response, error) {
		return &loanapproval.Response{Name: "Test Bank", Decision: loanapproval.DecisionHasApprove, Data: data}, nil
	})
	var ms atomic.Int64
	start := time.Now()
	clock := func() time.Time { return start.Add(time.Duration(ms.Add(1)) * time.Millisecond) }
	runRequests(b, loanapproval.Handler(fixed, testToken, loanapproval.WithTTL(time.Second), loanapproval.WithClock(clock)))
}

// baselineRequest and baselineResponse are plain structs with the wire
// names, for the baseline handler.
type baselineRequest struct {
	PhoneNumber string      `json:"phone_number"`
	Amount      json.Number `json:"amount"`
	Term        string      `json:"term"`
	ProductType string      `json:"product_type"`
	SearchID    string      `json:"search_id"`
	Props       []string    `json:"props"`
}

type baselineRange struct {
	Min json.Number `json:"min"`
	Max json.Number `json:"max"`
}

type baselineResponse struct {
	SearchID string `json:"search_id"`
	Status   string `json:"status"`
	Name     string `json:"name"`
	Decision string `json:"decision"`
	Data     []struct {
		ProductType  string            `json:"product_type"`
		Decision     string            `json:"decision"`
		Amount       baselineRange     `json:"amount"`
		Term         baselineRange     `json:"term"`
		Rate         baselineRange     `json:"rate"`
		TotalCost    baselineRange     `json:"total_cost"`
		Payment      baselineRange     `json:"payment"`
		ProposalLink map[string]string `json:"propousal_link"`
	} `json:"data"`
}

// BenchmarkHandlerBaseline is the floor to compare BenchmarkHandler with: a
// hand-written handler that only decodes the same request and encodes a
// fixed answer.
func BenchmarkHandlerBaseline(b *testing.B) {
	var fixed baselineResponse
	fixed.Status, fixed.Name, fixed.Decision = "done", "Test Bank", "has_approve"
	fixed.Data = make([]struct {
		ProductType  string            `json:"product_type"`
		Decision     string            `json:"decision"`
		Amount       baselineRange     `json:"amount"`
		Term         baselineRange     `json:"term"`
		Rate         baselineRange     `json:"rate"`
		TotalCost    baselineRange     `json:"total_cost"`
		Payment      baselineRange     `json:"payment"`
		ProposalLink map[string]string `json:"propousal_link"`
	}, 1)
	o := &fixed.Data[0]
	o.ProductType, o.Decision = "loan", "pre_approved"
	o.Amount = baselineRange{"10000", "300000"}
	o.Term = baselineRange{"6", "60"}
	o.Rate = baselineRange{"9.9", "24.9"}
	o.TotalCost = baselineRange{"10.4", "27.2"}
	o.Payment = baselineRange{"1200", "15000"}
	o.ProposalLink = map[string]string{"link": "https://bank.example/apply"}

	runRequests(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req baselineRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		resp := fixed
		resp.SearchID = req.SearchID
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(&resp)
	}))
}
