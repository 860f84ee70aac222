package yookassatest_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func oneAttempt(s *yookassatest.Server) *yookassa.Client {
	return s.Client(yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
}

func TestFaultsBeforeTheEffect(t *testing.T) {
	for _, tc := range []struct {
		kind yookassatest.FaultKind
		is   error
	}{
		{yookassatest.FaultInternalBefore, yookassa.ErrOutcomeUnknown},
		{yookassatest.FaultProcessing, yookassa.ErrOutcomeUnknown},
		{yookassatest.FaultTooManyRequests, yookassa.ErrTooManyRequests},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			s, _ := newSim(t, yookassatest.WithFaults(yookassatest.Fault{Kind: tc.kind, Endpoint: "POST /payments", Count: 1}))
			_, err := oneAttempt(s).CreatePayment(context.Background(), sberLoan("5000.00", false))
			assert.ErrorIs(t, err, tc.is)
			assert.Empty(t, s.Payments(), "no effect")
			assert.Equal(t, 1, s.FaultsInjected())
			_, err = oneAttempt(s).CreatePayment(context.Background(), sberLoan("5000.00", false))
			assert.NoError(t, err, "Count 1 fires once")
		})
	}
}

func TestFaultsAfterTheEffect(t *testing.T) {
	for _, kind := range []yookassatest.FaultKind{yookassatest.FaultInternalAfter, yookassatest.FaultResetAfter} {
		t.Run(kind.String(), func(t *testing.T) {
			s, _ := newSim(t, yookassatest.WithFaults(yookassatest.Fault{Kind: kind, Endpoint: "POST /payments", Count: 1}))
			c := oneAttempt(s)
			_, err := c.CreatePayment(context.Background(), sberLoan("5000.00", false))
			var ou *yookassa.OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			require.Len(t, s.Payments(), 1, "the payment was created; only the answer was lost")
			p, err := c.CreatePayment(context.Background(), sberLoan("5000.00", false), yookassa.WithIdempotenceKey(ou.IdempotenceKey))
			require.NoError(t, err)
			assert.Equal(t, s.Payments()[0].ID, p.ID, "the key returns the payment already made")
			assert.Len(t, s.Payments(), 1)
		})
	}
}

func TestProcessingCarriesRetryAfter(t *testing.T) {
	s, _ := newSim(t, yookassatest.WithFaults(yookassatest.Fault{Kind: yookassatest.FaultProcessing, Endpoint: "POST /payments", Count: 1, RetryAfter: 60 * time.Millisecond}))
	c := s.Client(yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	start := time.Now()
	_, err := c.CreatePayment(context.Background(), sberLoan("5000.00", false))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond)
	assert.Len(t, s.Payments(), 1)
}

func TestLatencyAndEndpointMatching(t *testing.T) {
	// Which request the fault hit is read from the simulator's count, not
	// from a clock; only the delay itself is timed, as a lower bound.
	const delay = 50 * time.Millisecond
	s, c := newSim(t, yookassatest.WithFaults(yookassatest.Fault{Kind: yookassatest.FaultLatency, Endpoint: "GET /payments/{id}", Count: 1, Delay: delay}))
	p := create(t, c, sberLoan("5000.00", false))
	assert.Zero(t, s.FaultsInjected(), "POST /payments is not matched")
	start := time.Now()
	get(t, c, p.ID)
	assert.GreaterOrEqual(t, time.Since(start), delay)
	assert.EqualValues(t, 1, s.FaultsInjected(), "GET /payments/{id} is")
	get(t, c, p.ID)
	assert.EqualValues(t, 1, s.FaultsInjected(), "a fault with Count 1 fires once")
	s.ClearFaults()
}

func TestProbabilisticFaultsAreReproducible(t *testing.T) {
	count := func(seed uint64) int {
		s, c := newSim(t, yookassatest.WithSeed(seed),
			yookassatest.WithFaults(yookassatest.Fault{Kind: yookassatest.FaultLatency, Probability: 0.3, Delay: time.Microsecond}))
		for range 50 {
			_, err := c.Me(context.Background(), nil)
			require.NoError(t, err)
		}
		return s.FaultsInjected()
	}
	a, b := count(7), count(7)
	assert.Equal(t, a, b, "the same seed fires the same faults")
	assert.InDelta(t, 15, a, 10)
}

// TestExactlyOnce creates 1,000 payments through the client while about 30%
// of the requests fail in every way the simulator knows. Every call must end
// with its payment, or with an error that says the outcome is unknown (or,
// for 429s, that nothing happened) and carries a key that, retried, returns
// that same payment. The simulator must then hold exactly 1,000 payments,
// one per order.
func TestExactlyOnce(t *testing.T) { exactlyOnce(t, 1000, 8) }

// TestExactlyOnceSoak is the long variant: 100,000 payments from 32
// goroutines with the same faults. It runs only with YOOKASSA_SOAK=1:
//
//	YOOKASSA_SOAK=1 go test -run ExactlyOnceSoak -timeout 30m ./yookassa/yookassatest/
func TestExactlyOnceSoak(t *testing.T) {
	if os.Getenv("YOOKASSA_SOAK") != "1" {
		t.Skip("set YOOKASSA_SOAK=1 to run 100,000 calls")
	}
	exactlyOnce(t, 100_000, 32)
}

func exactlyOnce(t *testing.T, orders, workers int) {
	start := time.Now()
	var faults []yookassatest.Fault
	for _, kind := range yookassatest.AllFaultKinds() {
		faults = append(faults, yookassatest.Fault{Kind: kind, Endpoint: "POST /payments", Probability: 0.07,
			RetryAfter: time.Millisecond, Delay: time.Millisecond})
	}
	s, _ := newSim(t, yookassatest.WithSeed(2026), yookassatest.WithFaults(faults...))
	c := s.Client(yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}))

	type outcome struct {
		paymentID             string
		unknown, notPerformed int
	}
	results := make([]outcome, orders)
	var wg sync.WaitGroup
	work := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				req := sberLoan("5000.00", false)
				req.Metadata = map[string]string{"order_id": strconv.Itoa(i)}
				p, err := c.CreatePayment(context.Background(), req)
				for tries := 0; err != nil && tries < 50; tries++ {
					var ou *yookassa.OutcomeUnknownError
					var apiErr *yookassa.APIError
					var key string
					switch {
					case errors.As(err, &ou):
						results[i].unknown++
						key = ou.IdempotenceKey
					case errors.Is(err, yookassa.ErrTooManyRequests) && errors.As(err, &apiErr):
						results[i].notPerformed++
						key = apiErr.IdempotenceKey
					default:
						t.Errorf("order %d: an error that is neither outcome-unknown nor 429: %v", i, err)
						return
					}
					p, err = c.CreatePayment(context.Background(), req, yookassa.WithIdempotenceKey(key))
				}
				if err != nil {
					t.Errorf("order %d: still failing after 50 retries: %v", i, err)
					continue
				}
				if p.Metadata["order_id"] != strconv.Itoa(i) {
					t.Errorf("order %d got the payment of order %s", i, p.Metadata["order_id"])
				}
				results[i].paymentID = p.ID
			}
		}()
	}
	for i := range orders {
		work <- i
	}
	close(work)
	wg.Wait()

	payments := s.Payments()
	require.Len(t, payments, orders, "exactly one payment per order")
	byOrder := map[string]string{}
	for _, p := range payments {
		order := p.Metadata["order_id"]
		if _, dup := byOrder[order]; dup {
			t.Fatalf("order %s has two payments", order)
		}
		byOrder[order] = p.ID
	}
	unknown, notPerformed := 0, 0
	for i, r := range results {
		assert.Equal(t, byOrder[strconv.Itoa(i)], r.paymentID, "order %d", i)
		unknown += r.unknown
		notPerformed += r.notPerformed
	}
	t.Logf("%d orders from %d goroutines in %s: %d faults injected; %d calls ended outcome-unknown and %d with 429, all recovered with their keys",
		orders, workers, time.Since(start).Round(time.Millisecond), s.FaultsInjected(), unknown, notPerformed)
	assert.Greater(t, s.FaultsInjected(), orders/5, "about 30%% of requests should have failed")
	assert.Positive(t, unknown)

}
