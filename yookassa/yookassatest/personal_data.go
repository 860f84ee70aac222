package yookassatest

import (
	"errors"
	"fmt"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// personalDataEndpoints is the API of /personal_data.
var personalDataEndpoints = []endpoint{
	{"POST /v3/personal_data", (*Server).createPersonalData},
	{"GET /v3/personal_data/{id}", (*Server).getPersonalData},
}

// Lifetimes of personal data. YooKassa keeps the data of a statement's
// recipient for five years after the last payout that used it; it does not
// publish the other lifetimes, so the simulator picks plain ones.
const (
	// personalDataUnusedTTL is how long data waits for its first payout.
	personalDataUnusedTTL = 24 * time.Hour
	// personalDataStatementTTL is how long payout_statement_recipient data
	// stays usable after a payout.
	personalDataStatementTTL = 5 * 365 * 24 * time.Hour
	// personalDataSBPTTL is how long sbp_payout_recipient data stays
	// usable after a payout.
	personalDataSBPTTL = 365 * 24 * time.Hour
)

// personalEntry is stored personal data. The simulator keeps no names and
// no birthdate: YooKassa never shows them again either.
type personalEntry struct {
	d yookassa.PersonalData
}

// ErrUnknownPersonalData is returned for a personal data ID the simulator
// does not hold.
var ErrUnknownPersonalData = errors.New("yookassatest: unknown personal data")

// Personal data moves waiting_for_operation -> active (used in a payout,
// usable until expires_at) -> canceled (expired_by_timeout), or from
// waiting_for_operation straight to canceled when no payout uses it in
// time. Each transition is one of the functions below.

func (s *Server) createPersonalData(req *apiRequest) answer {
	var in yookassa.PersonalDataRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	now := s.clock.now()
	e := &personalEntry{d: yookassa.PersonalData{ID: prefixedID("pd-"), Type: in.Type,
		Status: yookassa.PersonalDataStatusWaitingForOperation, CreatedAt: now, Metadata: in.Metadata}}
	s.personal[e.d.ID] = e
	s.at(now.Add(personalDataUnusedTTL), func(now time.Time) {
		if e.d.Status == yookassa.PersonalDataStatusWaitingForOperation {
			s.expirePersonalData(e)
		}
	})
	return ok(e.d)
}

func (s *Server) getPersonalData(req *apiRequest) answer {
	e := s.personal[req.r.PathValue("id")]
	if e == nil {
		return notFound("personal_data_id", "Personal data")
	}
	return ok(e.d)
}

// usePersonalData makes personal data active after a payout that used it;
// it stays usable until expires_at. Called with s.mu held.
func (s *Server) usePersonalData(e *personalEntry, now time.Time) {
	ttl := personalDataSBPTTL
	if e.d.Type == yookassa.PersonalDataPayoutStatementRecipient {
		ttl = personalDataStatementTTL
	}
	until := now.Add(ttl)
	e.d.Status = yookassa.PersonalDataStatusActive
	e.d.ExpiresAt = &until
	s.at(until, func(now time.Time) {
		if e.d.Status == yookassa.PersonalDataStatusActive && e.d.ExpiresAt != nil && !now.Before(*e.d.ExpiresAt) {
			s.expirePersonalData(e)
		}
	})
}

// expirePersonalData cancels personal data whose time ran out. Called with
// s.mu held.
func (s *Server) expirePersonalData(e *personalEntry) {
	e.d.Status = yookassa.PersonalDataStatusCanceled
	e.d.ExpiresAt = nil
	e.d.CancellationDetails = &yookassa.CancellationDetails{Party: yookassa.PartyYooMoney, Reason: yookassa.ReasonExpiredByTimeout}
}

// PersonalData returns a copy of stored personal data as the API shows it.
func (s *Server) PersonalData(id string) (yookassa.PersonalData, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick()
	e := s.personal[id]
	if e == nil {
		return yookassa.PersonalData{}, fmt.Errorf("%w %q", ErrUnknownPersonalData, id)
	}
	return cloneJSON(e.d), nil
}
