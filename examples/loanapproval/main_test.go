package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

func TestSelfCheck(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		summary string
	}{
		{nil, "22 rules: 19 passed, 0 failed, 3 skipped"},
		{[]string{"-async"}, "22 rules: 20 passed, 0 failed, 2 skipped"},
	} {
		t.Run(strings.Join(append([]string{"args"}, tt.args...), " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			assert.Equal(t, 0, code, stdout.String()+stderr.String())
			assert.Contains(t, stdout.String(), tt.summary)
			assert.NotContains(t, stdout.String(), "FAIL")
		})
	}
}

func TestServe(t *testing.T) {
	const token = "serve-test-token"
	t.Setenv("LOANAPPROVAL_TOKEN", token)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, w := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0"}, w, io.Discard)
		_ = w.Close()
	}()

	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	// "serving on http://ADDR/integrations/v1/api/loan_approval and ..."
	fields := strings.Fields(line)
	require.GreaterOrEqual(t, len(fields), 3, line)
	endpoint := fields[2]
	require.True(t, strings.HasSuffix(endpoint, postPath), endpoint)
	go func() { _, _ = io.Copy(io.Discard, out) }()

	checkCtx, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	report, err := loanapproval.Check(checkCtx, endpoint, token)
	require.NoError(t, err)
	assert.True(t, report.Passed(), report.String())

	// The poll path answers too.
	client, err := loanapproval.NewClient(strings.TrimSuffix(endpoint, postPath)+postPath, token,
		loanapproval.WithPollURL(strings.TrimSuffix(endpoint, postPath)+pollPath))
	require.NoError(t, err)
	resp, err := client.Await(checkCtx, &loanapproval.Request{
		PhoneNumber: "79991234568", ProductType: loanapproval.ProductCreditCard, SearchID: uuid.NewString(),
	})
	require.NoError(t, err)
	assert.Equal(t, loanapproval.DecisionHasApprove, resp.Decision)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop")
	}
}

func TestUsageErrors(t *testing.T) {
	t.Setenv("LOANAPPROVAL_TOKEN", "")
	var stderr bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"-listen", "127.0.0.1:0"}, io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "LOANAPPROVAL_TOKEN")
	assert.Equal(t, 2, run(context.Background(), []string{"-nope"}, io.Discard, io.Discard))
	assert.Equal(t, 2, run(context.Background(), []string{"extra"}, io.Discard, io.Discard))
}

func TestToyBankDecisions(t *testing.T) {
	amount := func(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
	tests := []struct {
		name  string
		req   loanapproval.Request
		want  loanapproval.Decision
		check func(t *testing.T, o loanapproval.Offer)
	}{
		{"card, even phone", loanapproval.Request{PhoneNumber: "79991234568", ProductType: loanapproval.ProductCreditCard, Amount: amount("200000")},
			loanapproval.DecisionHasApprove, func(t *testing.T, o loanapproval.Offer) {
				assert.True(t, o.Amount.Max.Equal(decimal.NewFromInt(200000)), o.Amount.Max.String())
				assert.Equal(t, 120, *o.GracePeriod)
			}},
		{"card, limit capped", loanapproval.Request{PhoneNumber: "79991234560", ProductType: loanapproval.ProductCreditCard, Amount: amount("900000")},
			loanapproval.DecisionHasApprove, func(t *testing.T, o loanapproval.Offer) {
				assert.True(t, o.Amount.Max.Equal(maxCard))
			}},
		{"card, small limit", loanapproval.Request{PhoneNumber: "79991234560", ProductType: loanapproval.ProductCreditCard, Amount: amount("5000")},
			loanapproval.DecisionHasApprove, func(t *testing.T, o loanapproval.Offer) {
				assert.True(t, o.Amount.Min.Equal(o.Amount.Max))
			}},
		{"card, odd phone", loanapproval.Request{PhoneNumber: "79991234567", ProductType: loanapproval.ProductCreditCard},
			loanapproval.DecisionRejected, nil},
		{"loan under the limit", loanapproval.Request{PhoneNumber: "79991234567", ProductType: loanapproval.ProductLoan, Amount: amount("120000"), Term: "12"},
			loanapproval.DecisionHasApprove, func(t *testing.T, o loanapproval.Offer) {
				// 120000 at 14.9% simple interest over 12 months: 137880 / 12.
				assert.Equal(t, "11490", o.Payment.Min.String())
				// At 24.9%: 149880 / 12.
				assert.Equal(t, "12490", o.Payment.Max.String())
				assert.True(t, o.Term.Min.Equal(decimal.NewFromInt(12)))
			}},
		{"loan at the limit", loanapproval.Request{PhoneNumber: "79991234567", ProductType: loanapproval.ProductLoan, Amount: amount("1000000"), Term: "60"},
			loanapproval.DecisionHasApprove, nil},
		{"loan over the limit", loanapproval.Request{PhoneNumber: "79991234567", ProductType: loanapproval.ProductLoan, Amount: amount("1000000.01"), Term: "60"},
			loanapproval.DecisionRejected, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.SearchID = uuid.NewString()
			require.NoError(t, tt.req.Validate())
			resp, err := toyBank{}.Decide(context.Background(), &tt.req)
			require.NoError(t, err)
			resp.SearchID, resp.Status = tt.req.SearchID, loanapproval.StatusDone
			require.NoError(t, resp.Validate(), "the toy bank's answers follow the protocol")
			assert.Equal(t, tt.want, resp.Decision)
			if tt.want == loanapproval.DecisionRejected {
				assert.Empty(t, resp.Data)
				return
			}
			require.Len(t, resp.Data, 1)
			assert.Equal(t, tt.req.ProductType, resp.Data[0].ProductType)
			if tt.check != nil {
				tt.check(t, resp.Data[0])
			}
		})
	}
}
