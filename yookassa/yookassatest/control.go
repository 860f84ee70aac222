package yookassatest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// The control API, served beside /v3 under /sim, lets a test written in any
// language do what a Go test does with the Server's methods. It takes and
// answers JSON and needs no credentials (the simulator listens on loopback):
//
//	POST /sim/payments/{id}/confirm  {"option":"installments_12"}  Confirm; answers the payment
//	POST /sim/payments/{id}/decline                                Decline; answers the payment
//	POST /sim/clock/advance          {"seconds":7200}              Advance; answers {"now":...}
//	POST /sim/faults                 {"kind":"500_after","endpoint":"POST /payments","count":1}
//	                                 or "probability":0.3 (with "count" as a bound), "retry_after_ms", "delay_ms"
//	GET  /sim/faults                 {"injected":N}: how many faults fired
//	DELETE /sim/faults               ClearFaults
//	GET  /sim/notifications          every notification sent, with its delivery attempts;
//	                                 ?wait=true first waits for deliveries in flight
//	POST /sim/reset                  Reset
//
// Fault kinds are 500_before, 500_after, 202 (processing), 429, reset_after
// and latency. Errors come in YooKassa's error object: 404 not_found for an
// unknown payment, 400 invalid_request naming the parameter otherwise.
var controlEndpoints = []struct {
	pattern string
	handle  func(*Server, *http.Request) answer
}{
	{"POST /sim/payments/{id}/confirm", (*Server).controlConfirm},
	{"POST /sim/payments/{id}/decline", (*Server).controlDecline},
	{"POST /sim/clock/advance", (*Server).controlAdvance},
	{"POST /sim/faults", (*Server).controlInjectFault},
	{"GET /sim/faults", (*Server).controlFaults},
	{"DELETE /sim/faults", (*Server).controlClearFaults},
	{"GET /sim/notifications", (*Server).controlNotifications},
	{"POST /sim/reset", (*Server).controlReset},
}

// faultKinds are the names of fault kinds in the control API.
var faultKinds = map[string]FaultKind{
	"500_before":  FaultInternalBefore,
	"500_after":   FaultInternalAfter,
	"202":         FaultProcessing,
	"429":         FaultTooManyRequests,
	"reset_after": FaultResetAfter,
	"latency":     FaultLatency,
}

// controlRoutes serves the control API.
func (s *Server) controlRoutes(mux *http.ServeMux) {
	for _, e := range slices.Concat(controlEndpoints, resourceControlEndpoints) {
		mux.HandleFunc(e.pattern, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, e.handle(s, r))
		})
	}
}

// readControl decodes the JSON body of a control request into v; an empty
// body leaves v as it is.
func readControl(r *http.Request, v any) *answer {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		a := invalid("", "Failed to read request body")
		return &a
	}
	if len(body) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		a := invalid("", "Failed to parse request body: %v", err)
		return &a
	}
	return nil
}

// buyerAnswer is the control API's answer to Confirm or Decline: the
// payment, or the error in YooKassa's shape.
func (s *Server) buyerAnswer(id string, err error) answer {
	switch {
	case errors.Is(err, ErrUnknownPayment):
		return notFound("payment_id", "Payment")
	case errors.Is(err, ErrNotPending):
		return invalid("payment_id", "Payment can not be confirmed or declined in current status %s", err.(*BuyerError).Status)
	case errors.Is(err, ErrOptionNotEnabled):
		return invalid("option", "Loan option %q is not enabled for the shop", err.(*BuyerError).Option)
	case errors.Is(err, ErrOptionNotApplicable):
		return invalid("option", "A loan option applies only to sber_loan payments")
	case err != nil:
		return invalid("", "%v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(s.payments[id].view())
}

func (s *Server) controlConfirm(r *http.Request) answer {
	var in struct {
		Option string `json:"option"`
	}
	if a := readControl(r, &in); a != nil {
		return *a
	}
	id := r.PathValue("id")
	if p, found := s.Payment(id); found {
		sberLoan := p.PaymentMethod != nil && p.PaymentMethod.Type == yookassa.PaymentMethodSberLoan
		switch {
		case !sberLoan:
			in.Option = "" // option is ignored for other methods
		case in.Option == "" && p.Status == yookassa.PaymentStatusPending:
			return invalid("option", "The buyer's choice is required for sber_loan: loan or one of the enabled installments_N")
		}
	}
	return s.buyerAnswer(id, s.Confirm(id, in.Option))
}

func (s *Server) controlDecline(r *http.Request) answer {
	id := r.PathValue("id")
	return s.buyerAnswer(id, s.Decline(id))
}

func (s *Server) controlAdvance(r *http.Request) answer {
	var in struct {
		Seconds *float64 `json:"seconds"`
	}
	if a := readControl(r, &in); a != nil {
		return *a
	}
	if in.Seconds == nil || *in.Seconds < 0 || *in.Seconds > math.MaxInt64/float64(time.Second) {
		return invalid("seconds", "seconds must be a number of seconds, 0 or more")
	}
	s.Advance(time.Duration(*in.Seconds * float64(time.Second)))
	return ok(map[string]string{"now": s.Now().Format("2006-01-02T15:04:05.000Z07:00")})
}

func (s *Server) controlInjectFault(r *http.Request) answer {
	var in struct {
		Kind         string  `json:"kind"`
		Endpoint     string  `json:"endpoint"`
		Count        int     `json:"count"`
		Probability  float64 `json:"probability"`
		RetryAfterMs int64   `json:"retry_after_ms"`
		DelayMs      int64   `json:"delay_ms"`
	}
	if a := readControl(r, &in); a != nil {
		return *a
	}
	kind, known := faultKinds[in.Kind]
	if !known {
		names := make([]string, 0, len(faultKinds))
		for n := range faultKinds {
			names = append(names, n)
		}
		slices.Sort(names)
		return invalid("kind", "Unknown fault kind %q; one of %v", in.Kind, names)
	}
	if in.Endpoint != "" && !slices.ContainsFunc(apiEndpoints, func(e endpoint) bool { return endpointName(e.pattern) == in.Endpoint }) {
		return invalid("endpoint", "Unknown endpoint %q; write it as \"POST /payments\" or \"GET /payments/{id}\"", in.Endpoint)
	}
	switch {
	case in.Count < 0:
		return invalid("count", "count must be 0 or more")
	case in.Probability < 0 || in.Probability > 1:
		return invalid("probability", "probability must be between 0 and 1")
	case in.Count == 0 && in.Probability == 0:
		return invalid("count", "Give count, probability or both")
	case in.RetryAfterMs < 0 || in.DelayMs < 0:
		return invalid("delay_ms", "Durations must be 0 or more")
	}
	s.InjectFault(Fault{Kind: kind, Endpoint: in.Endpoint, Count: in.Count, Probability: in.Probability,
		RetryAfter: time.Duration(in.RetryAfterMs) * time.Millisecond, Delay: time.Duration(in.DelayMs) * time.Millisecond})
	return ok(in)
}

func (s *Server) controlFaults(*http.Request) answer {
	return ok(map[string]int{"injected": s.FaultsInjected()})
}

func (s *Server) controlClearFaults(*http.Request) answer {
	s.ClearFaults()
	return ok(struct{}{})
}

// notificationView is a delivery as GET /sim/notifications shows it.
type notificationView struct {
	Event        string          `json:"event"`
	ObjectID     string          `json:"object_id"`
	URL          string          `json:"url"`
	Delivered    bool            `json:"delivered"`
	Finished     bool            `json:"finished"`
	Attempts     []attemptView   `json:"attempts"`
	Notification json.RawMessage `json:"notification"`
}

type attemptView struct {
	At     string `json:"at"`
	Status int    `json:"status"`
	Error  string `json:"error,omitempty"`
}

func (s *Server) controlNotifications(r *http.Request) answer {
	if wait := r.URL.Query().Get("wait"); wait == "true" || wait == "1" {
		ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
		err := s.WaitNotifications(ctx)
		cancel()
		if err != nil {
			return apiError(http.StatusServiceUnavailable, yookassa.CodeInternalServerError, "", "Notifications still in flight")
		}
	}
	all := s.notifications()
	items := make([]notificationView, len(all))
	for i, d := range all {
		v := notificationView{Event: d.Event, ObjectID: d.ObjectID, URL: d.URL, Delivered: d.Delivered, Finished: d.finished,
			Attempts: make([]attemptView, len(d.Tries)), Notification: d.Notification}
		for j, t := range d.Tries {
			v.Attempts[j] = attemptView{At: t.At.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Status: t.Status, Error: t.Err}
		}
		items[i] = v
	}
	return ok(map[string]any{"type": "list", "items": items})
}

func (s *Server) controlReset(*http.Request) answer {
	s.Reset()
	return ok(struct{}{})
}
