package loanapproval

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"time"
)

// Store keeps the decisions of a [Handler] by search_id. It is what makes
// "one decision per search_id" hold: the handler claims a search_id before
// it runs the [Decider] and stores the answer under that claim.
//
// [MemoryStore] (the default) serves one process; [SQLStore] shares the
// decisions of several replicas through PostgreSQL or SQLite. Another
// database needs only these three operations, each atomic on its own.
//
// Search IDs reach a Store in lower case. Times come from the handler's clock:
// a Store compares them with the times it stored and reads no clock of its
// own. An entry counts as absent once its time has passed: the lease of a
// running decision (its replica is presumed dead) or the TTL of an answer.
type Store interface {
	// Claim makes the caller the decider of searchID unless a decision is
	// running under a live lease or a successful answer (status 200) is
	// kept. On success it records a running decision under token, with a
	// lease that ends at leaseUntil, and returns won = true. Otherwise it
	// returns the entry that stands in the way and records nothing. A
	// failed answer, an expired answer and a running decision whose lease
	// ended are replaced. Of concurrent claims for one search_id, on one
	// replica or many, at most one wins.
	//
	// ErrStoreFull reports that no entry can be added now.
	Claim(ctx context.Context, searchID, token string, now, leaseUntil time.Time) (e Entry, won bool, err error)

	// Complete stores the answer of the decision claimed with token, to be
	// served until expires. It returns ErrClaimLost when the claim is no
	// longer token's (its lease ended and another claim replaced it, or the
	// entry expired); the stored entry is then left as it is.
	Complete(ctx context.Context, searchID, token string, status int, body []byte, expires time.Time) error

	// Load returns the entry of searchID, or false when there is none at
	// now.
	Load(ctx context.Context, searchID string, now time.Time) (e Entry, ok bool, err error)
}

// Entry is the state of one search_id in a [Store].
type Entry struct {
	// Done is false while the decision runs, true once its answer is
	// stored.
	Done bool
	// Status is the HTTP status of the answer: 200 for a decision, 500 for
	// a decision that failed.
	Status int
	// Body is the JSON body of the answer, as the handler sends it.
	Body []byte
}

// Errors of a [Store].
var (
	// ErrStoreFull is returned by [Store.Claim] when the store holds as
	// many entries as it may and none of them can be dropped. The handler
	// answers 503 then.
	ErrStoreFull = errors.New("loanapproval: store full")
	// ErrClaimLost is returned by [Store.Complete] when the claim no longer
	// holds.
	ErrClaimLost = errors.New("loanapproval: claim lost")
)

// MemoryStore is a [Store] in the memory of one process: the default store of
// [Handler]. It keeps at most a fixed number of entries and never drops one
// before its time: not a running decision, not a successful answer within
// its TTL. When it is full of those, a new search_id gets [ErrStoreFull]
// until entries expire. Failed answers make room first. The zero value is not
// usable; call [NewMemoryStore].
type MemoryStore struct {
	mu      sync.Mutex
	m       map[string]*memEntry
	running *list.List // in order of claim, so of lease end for one handler
	kept    *list.List // successful answers in order of completion
	failed  *list.List // failed answers in order of completion
	max     int
}

type memEntry struct {
	key     string
	token   string
	done    bool
	status  int
	body    []byte
	expires time.Time // lease end while running, TTL end once done
	list    *list.List
	elem    *list.Element
}

// NewMemoryStore returns an empty store that keeps at most maxEntries
// entries (at least one).
func NewMemoryStore(maxEntries int) *MemoryStore {
	return &MemoryStore{
		m:       make(map[string]*memEntry),
		running: list.New(),
		kept:    list.New(),
		failed:  list.New(),
		max:     max(maxEntries, 1),
	}
}

// Claim implements [Store].
func (s *MemoryStore) Claim(_ context.Context, searchID, token string, now, leaseUntil time.Time) (Entry, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purge(now)
	if e, ok := s.m[searchID]; ok {
		if now.Before(e.expires) && (!e.done || e.status == statusOK) {
			return e.entry(), false, nil
		}
		s.remove(e)
	}
	if len(s.m) >= s.max {
		if el := s.failed.Front(); el != nil {
			s.remove(el.Value.(*memEntry))
		} else {
			return Entry{}, false, ErrStoreFull
		}
	}
	e := &memEntry{key: searchID, token: token, expires: leaseUntil}
	s.put(e, s.running)
	s.m[searchID] = e
	return Entry{}, true, nil
}

// Complete implements [Store].
func (s *MemoryStore) Complete(_ context.Context, searchID, token string, status int, body []byte, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[searchID]
	if !ok || e.token != token || e.done {
		return ErrClaimLost
	}
	e.done, e.status, e.body, e.expires = true, status, body, expires
	if status == statusOK {
		s.put(e, s.kept)
	} else {
		s.put(e, s.failed)
	}
	return nil
}

// Load implements [Store].
func (s *MemoryStore) Load(_ context.Context, searchID string, now time.Time) (Entry, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.m[searchID]
	if !ok {
		return Entry{}, false, nil
	}
	if !now.Before(e.expires) {
		s.remove(e)
		return Entry{}, false, nil
	}
	return e.entry(), true, nil
}

// Len returns the number of entries held, expired ones included until they
// are dropped.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

func (e *memEntry) entry() Entry {
	return Entry{Done: e.done, Status: e.status, Body: e.body}
}

// put moves e to the back of l.
func (s *MemoryStore) put(e *memEntry, l *list.List) {
	if e.list != nil {
		e.list.Remove(e.elem)
	}
	e.list, e.elem = l, l.PushBack(e)
}

// purge drops expired entries from the front of each list. Within a list the
// entries of one handler expire in order, so the walk stops at the first one
// that has not expired; an entry out of order is dropped when it is next
// looked up.
func (s *MemoryStore) purge(now time.Time) {
	for _, l := range []*list.List{s.running, s.kept, s.failed} {
		for el := l.Front(); el != nil; el = l.Front() {
			e := el.Value.(*memEntry)
			if now.Before(e.expires) {
				break
			}
			s.remove(e)
		}
	}
}

func (s *MemoryStore) remove(e *memEntry) {
	if e.list != nil {
		e.list.Remove(e.elem)
		e.list, e.elem = nil, nil
	}
	if s.m[e.key] == e {
		delete(s.m, e.key)
	}
}
