package yookassatest

import (
	"crypto/sha256"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// idempotenceTTL is how long YooKassa remembers an Idempotence-Key.
const idempotenceTTL = 24 * time.Hour

// maxRequestBody bounds the JSON bodies the simulator reads.
const maxRequestBody = 1 << 20

// idemEntry is a remembered Idempotence-Key.
type idemEntry struct {
	scope       string
	fingerprint [32]byte
	at          time.Time
	status      int
	body        []byte
}

// idempotent runs a state-changing request once per Idempotence-Key. A
// repeat with the same key and body gets the first answer; with another
// body, a 400. Answers of 500 are not remembered.
func (s *Server) idempotent(req *apiRequest, endpoint string, h func(*Server, *apiRequest) answer, w http.ResponseWriter) (int, []byte, *answer) {
	r := req.r
	if r.Method == http.MethodPost {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			return 0, nil, &answer{http.StatusUnsupportedMediaType, nil}
		}
	}
	key := r.Header.Get("Idempotence-Key")
	if r.Method == http.MethodPost {
		if key == "" {
			a := invalid("Idempotence-Key", "Idempotence key is empty")
			return 0, nil, &a
		}
		if !yookassa.ValidIdempotenceKey(key) {
			a := invalid("Idempotence-Key", "Idempotence key is too long or has forbidden characters")
			return 0, nil, &a
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		a := invalid("", "Failed to parse request body")
		return 0, nil, &a
	}
	req.body, req.key = body, key
	fingerprint := sha256.Sum256(append([]byte(endpoint+" "+r.URL.Path+"\n"), body...))
	scope := req.id.name + "\x00" + key

	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick()
	if key != "" {
		if e, seen := s.keys[scope]; seen {
			if e.fingerprint != fingerprint {
				a := invalid("Idempotence-Key", "Duplicate idempotence key: it was used for another request within the last 24 hours")
				return 0, nil, &a
			}
			return e.status, e.body, nil
		}
	}
	a := h(s, req)
	out := marshal(a.body)
	if key != "" && a.status < 500 {
		e := &idemEntry{scope: scope, fingerprint: fingerprint, at: s.clock.now(), status: a.status, body: out}
		s.keys[scope] = e
		s.keyOrder = append(s.keyOrder, e)
	}
	return a.status, out, nil
}

// forgetOldKeys drops keys older than 24 hours. Called with s.mu held.
func (s *Server) forgetOldKeys(now time.Time) {
	n := 0
	for n < len(s.keyOrder) && now.Sub(s.keyOrder[n].at) >= idempotenceTTL {
		if s.keys[s.keyOrder[n].scope] == s.keyOrder[n] {
			delete(s.keys, s.keyOrder[n].scope)
		}
		n++
	}
	if n > 0 {
		s.keyOrder = append(s.keyOrder[:0:0], s.keyOrder[n:]...)
	}
}
