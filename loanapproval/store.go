package loanapproval

import (
	"container/list"
	"sync"
	"time"
)

// entry is the state of one search_id: in flight until done is closed, then
// the encoded answer.
type entry struct {
	key  string
	done chan struct{}

	// Guarded by store.mu; status and body are also safe to read without
	// the lock once done is closed.
	finished bool
	status   int
	body     []byte
	expires  time.Time
	elem     *list.Element
}

// snapshot is a copy of an entry's state taken under the lock.
type snapshot struct {
	finished bool
	status   int
	body     []byte
}

// store keeps the answers by search_id, bounded in size and time. Entries sit
// in order of creation while in flight and move to the back when they
// finish, so finished entries appear in order of expiry.
type store struct {
	mu    sync.Mutex
	m     map[string]*entry
	order *list.List
	ttl   time.Duration
	max   int
	now   func() time.Time
}

func newStore(ttl time.Duration, max int, now func() time.Time) *store {
	return &store{m: make(map[string]*entry), order: list.New(), ttl: ttl, max: max, now: now}
}

// acquire returns the entry for key and whether the caller created it and
// must now decide it. A finished entry that failed is replaced, so a repeated
// request after a failure gets a new decision.
func (s *store) acquire(key string) (*entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.purge(now)
	if e, ok := s.m[key]; ok {
		switch {
		case !e.finished:
			return e, false
		case !now.Before(e.expires):
			s.remove(e)
		case e.status == statusOK:
			return e, false
		default:
			s.remove(e)
		}
	}
	for len(s.m) >= s.max {
		s.evict()
	}
	e := &entry{key: key, done: make(chan struct{})}
	e.elem = s.order.PushBack(e)
	s.m[key] = e
	return e, true
}

// lookup returns the state of key, or false when the key is unknown or its
// answer has expired.
func (s *store) lookup(key string) (snapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.purge(now)
	e, ok := s.m[key]
	if !ok {
		return snapshot{}, false
	}
	if e.finished && !now.Before(e.expires) {
		s.remove(e)
		return snapshot{}, false
	}
	return snapshot{finished: e.finished, status: e.status, body: e.body}, true
}

// snapshot returns the current state of e.
func (s *store) snapshot(e *entry) snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return snapshot{finished: e.finished, status: e.status, body: e.body}
}

// complete records the answer of e and wakes its waiters. Only the first
// answer counts.
func (s *store) complete(e *entry, status int, body []byte) {
	s.mu.Lock()
	if e.finished {
		s.mu.Unlock()
		return
	}
	e.finished = true
	e.status = status
	e.body = body
	e.expires = s.now().Add(s.ttl)
	if e.elem != nil {
		s.order.MoveToBack(e.elem)
	}
	s.mu.Unlock()
	close(e.done)
}

// purge drops expired entries from the front of the order. Entries still in
// flight are skipped; the first finished entry that has not expired ends the
// walk, since the finished entries behind it expire later.
func (s *store) purge(now time.Time) {
	for el := s.order.Front(); el != nil; {
		e := el.Value.(*entry)
		next := el.Next()
		if e.finished {
			if now.Before(e.expires) {
				return
			}
			s.remove(e)
		}
		el = next
	}
}

// evict drops the oldest finished entry, or the oldest entry when all are in
// flight (its waiters still get their answer; only later lookups miss it).
func (s *store) evict() {
	for el := s.order.Front(); el != nil; el = el.Next() {
		if e := el.Value.(*entry); e.finished {
			s.remove(e)
			return
		}
	}
	if el := s.order.Front(); el != nil {
		s.remove(el.Value.(*entry))
	}
}

func (s *store) remove(e *entry) {
	if e.elem != nil {
		s.order.Remove(e.elem)
		e.elem = nil
	}
	if s.m[e.key] == e {
		delete(s.m, e.key)
	}
}

func (s *store) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
