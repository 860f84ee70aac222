package yookassatest

import (
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// FaultKind is a failure the simulator can inject.
type FaultKind int

// Fault kinds. "Before" faults answer without performing the request;
// "after" faults perform it (and remember its result under the
// Idempotence-Key) and then fail to deliver the answer, which is what makes
// a retry with the same key necessary.
const (
	// FaultInternalBefore answers 500 internal_server_error without any effect.
	FaultInternalBefore FaultKind = iota + 1
	// FaultInternalAfter performs the request, then answers 500.
	FaultInternalAfter
	// FaultProcessing answers 202 {"type":"processing","retry_after":...}
	// without any effect yet.
	FaultProcessing
	// FaultTooManyRequests answers 429 too_many_requests without any effect.
	FaultTooManyRequests
	// FaultResetAfter performs the request, then resets the connection.
	FaultResetAfter
	// FaultLatency delays the request by Delay, then serves it normally.
	FaultLatency
)

// AllFaultKinds lists every kind, for tests that want a bit of everything.
// Each call returns a new slice.
func AllFaultKinds() []FaultKind {
	return []FaultKind{FaultInternalBefore, FaultInternalAfter, FaultProcessing,
		FaultTooManyRequests, FaultResetAfter, FaultLatency}
}

// String names the fault, for test logs.
func (k FaultKind) String() string {
	switch k {
	case FaultInternalBefore:
		return "500 before effect"
	case FaultInternalAfter:
		return "500 after effect"
	case FaultProcessing:
		return "202 processing"
	case FaultTooManyRequests:
		return "429"
	case FaultResetAfter:
		return "connection reset after effect"
	case FaultLatency:
		return "latency"
	}
	return "unknown fault"
}

// Fault describes failures to inject into matching requests.
type Fault struct {
	// Kind is the failure.
	Kind FaultKind
	// Endpoint limits the fault to one endpoint, written as the method and
	// the path under /v3 with {id} for identifiers: "POST /payments",
	// "GET /payments/{id}", "POST /payments/{id}/capture",
	// "POST /refunds", ... Empty matches every API request.
	Endpoint string
	// Count applies the fault to the next Count matching requests. With
	// Probability set, Count bounds how many times it may fire (0: no bound).
	Count int
	// Probability, when positive, applies the fault to each matching request
	// with this probability, drawn from the simulator's seeded source (see
	// WithSeed), so a run can be repeated exactly.
	Probability float64
	// RetryAfter is sent as retry_after with FaultProcessing and
	// FaultTooManyRequests (default 10 ms).
	RetryAfter time.Duration
	// Delay is the added latency of FaultLatency (default 10 ms).
	Delay time.Duration
}

// fault is an injected Fault with its remaining budget.
type fault struct {
	Fault
	fired int
}

// pickFaults returns the faults that fire for this request, at most one of
// each class (latency, and one failure). Called with s.mu held.
func (s *Server) pickFaults(endpoint string) (latency time.Duration, failure *Fault) {
	keep := s.faults[:0]
	for _, f := range s.faults {
		if f.Endpoint == "" || f.Endpoint == endpoint {
			fire := false
			switch {
			case f.Probability > 0:
				fire = s.rng.Float64() < f.Probability && (f.Count == 0 || f.fired < f.Count)
			default:
				fire = f.fired < f.Count
			}
			if fire {
				if f.Kind == FaultLatency {
					if latency == 0 {
						f.fired++
						latency = f.Delay
						if latency <= 0 {
							latency = 10 * time.Millisecond
						}
					}
				} else if failure == nil {
					f.fired++
					ff := f.Fault
					failure = &ff
				}
			}
		}
		if f.Probability > 0 || f.fired < f.Count {
			keep = append(keep, f)
		}
	}
	s.faults = keep
	s.injected += boolInt(failure != nil) + boolInt(latency > 0)
	return latency, failure
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// before reports whether the fault answers without performing the request.
func (k FaultKind) before() bool {
	return k == FaultInternalBefore || k == FaultProcessing || k == FaultTooManyRequests
}

// answer is what a failing fault sends instead of the endpoint's answer
// (FaultResetAfter sends nothing).
func (f *Fault) answer() answer {
	switch f.Kind {
	case FaultProcessing:
		return answer{http.StatusAccepted, processingObject{Type: "processing",
			Description: "Request accepted, but not processed yet. Retry again with the same Idempotence-Key",
			RetryAfter:  retryAfterMillis(f.RetryAfter)}}
	case FaultTooManyRequests:
		a := apiError(http.StatusTooManyRequests, yookassa.CodeTooManyRequests, "", "Too many requests")
		eo := a.body.(errorObject)
		eo.RetryAfter = retryAfterMillis(f.RetryAfter)
		return answer{a.status, eo}
	}
	return apiError(http.StatusInternalServerError, yookassa.CodeInternalServerError, "", "Internal server error")
}

// processingObject is the body of a 202 answer.
type processingObject struct {
	Type        string `json:"type"`
	Description string `json:"description"`
	RetryAfter  int64  `json:"retry_after"`
}

func retryAfterMillis(d time.Duration) int64 {
	if d <= 0 {
		d = 10 * time.Millisecond
	}
	return max(1, d.Milliseconds())
}

// resetConnection drops the client's connection without an answer.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
