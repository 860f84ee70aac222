package yookassatest

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// endpoint is one operation of the API: a mux pattern under /v3 (which,
// without the /v3, is also the endpoint's name for faults) and its handler.
type endpoint struct {
	pattern string
	handle  func(*Server, *apiRequest) answer
}

// apiEndpoints is the whole API the simulator serves. Each resource lists
// its endpoints in its own file; a new resource adds its list here.
var apiEndpoints = slices.Concat(
	paymentEndpoints,
	refundEndpoints,
	receiptEndpoints,
	webhookEndpoints,
	meEndpoints,
	paymentMethodEndpoints,
	invoiceEndpoints,
	dealEndpoints,
	payoutEndpoints,
	sbpBankEndpoints,
	personalDataEndpoints,
)

// handler routes the API (under /v3), the confirmation pages (under
// /checkout) and the control API (under /sim).
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	for _, e := range apiEndpoints {
		mux.Handle(e.pattern, s.api(e))
	}
	mux.HandleFunc("GET /checkout/{id}", s.checkoutPage)
	mux.HandleFunc("POST /checkout/{id}", s.checkoutSubmit)
	s.resourcePages(mux)
	s.controlRoutes(mux)
	return s.requestLog.wrap(mux)
}

// identity is who made a request.
type identity struct {
	oauth bool
	name  string // scope of idempotence keys
}

func (s *Server) authenticate(r *http.Request) (identity, bool) {
	h := r.Header.Get("Authorization")
	if token, ok := strings.CutPrefix(h, "Bearer "); ok {
		return identity{oauth: true, name: "oauth"}, s.oauthToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.oauthToken)) == 1
	}
	if enc, ok := strings.CutPrefix(h, "Basic "); ok {
		raw, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return identity{}, false
		}
		if s.isAgent(raw) {
			return identity{name: agentIdentity}, true
		}
		want := s.shopID + ":" + s.secret
		return identity{name: "basic"}, subtle.ConstantTimeCompare(raw, []byte(want)) == 1
	}
	return identity{}, false
}

// apiRequest is what an endpoint handler gets.
type apiRequest struct {
	id   identity
	r    *http.Request
	body []byte
	key  string
}

// answer is what an endpoint handler returns: a status and a JSON value.
type answer struct {
	status int
	body   any
}

func ok(v any) answer { return answer{http.StatusOK, v} }

// api wraps an endpoint: authentication, faults, idempotence and locking.
// Every handler runs with s.mu held, after the clock's deadlines were
// applied.
func (s *Server) api(e endpoint) http.Handler {
	name := endpointName(e.pattern)
	webhooks := strings.Contains(e.pattern, "/webhooks")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, authed := s.authenticate(r)
		if !authed {
			writeJSON(w, apiError(http.StatusUnauthorized, yookassa.CodeInvalidCredentials, "",
				"Authentication by given credentials failed"))
			return
		}
		if webhooks && !id.oauth {
			writeJSON(w, apiError(http.StatusForbidden, yookassa.CodeForbidden, "",
				"Webhooks are available with an OAuth token only"))
			return
		}
		if refusal := scope(name, id); refusal != nil {
			writeJSON(w, *refusal)
			return
		}
		s.mu.Lock()
		latency, failure := s.pickFaults(name)
		s.mu.Unlock()
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		if failure != nil && failure.Kind.before() {
			writeJSON(w, failure.answer())
			return
		}

		req := &apiRequest{id: id, r: r}
		var status int
		var body []byte
		if r.Method == http.MethodGet {
			s.mu.Lock()
			s.tick()
			a := e.handle(s, req)
			status, body = a.status, marshal(a.body)
			s.mu.Unlock()
		} else {
			var refusal *answer
			status, body, refusal = s.idempotent(req, name, e.handle, w)
			if refusal != nil {
				writeJSON(w, *refusal)
				return
			}
		}
		s.flushOutbox()
		if failure != nil {
			switch failure.Kind {
			case FaultInternalAfter:
				writeJSON(w, failure.answer())
				return
			case FaultResetAfter:
				resetConnection(w)
				return
			}
		}
		writeRaw(w, status, body)
	})
}

// endpointName turns a mux pattern ("POST /v3/payments/{id}") into the
// name faults use ("POST /payments/{id}").
func endpointName(pattern string) string {
	return strings.Replace(pattern, " /v3/", " /", 1)
}
