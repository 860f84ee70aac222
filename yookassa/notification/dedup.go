package notification

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Deduplicator remembers which deliveries were processed, so that a
// notification YooKassa delivers again (it re-delivers until it gets a 200,
// and sometimes after) does not reach the callback twice. Keys come from
// Event.Key.
//
// Handler asks Seen before it re-reads the object and calls the callback,
// and calls Mark only after the callback returned nil. A delivery whose
// callback failed is therefore processed again when YooKassa repeats it, and
// a delivery that was processed is answered with 200 without calling the
// callback again.
//
// Implementations must be safe for concurrent use. Back it with a shared
// store when several instances serve the webhook URL: SQLDeduplicator keeps
// it in PostgreSQL or SQLite, in the transaction of the shop's own update.
type Deduplicator interface {
	// Seen reports whether a delivery with this key was marked as processed.
	// An error makes the handler answer 500, so YooKassa retries later.
	Seen(ctx context.Context, key string) (bool, error)
	// Mark records that the delivery with this key was processed
	// successfully. The handler calls it with a context that is not canceled
	// when the request ends. An error is logged; the delivery is still
	// acknowledged, since its callback succeeded.
	Mark(ctx context.Context, key string) error
}

// Defaults of NewMemoryDeduplicator.
const (
	// DefaultDedupTTL covers YooKassa's 24 hours of re-deliveries with an
	// hour to spare.
	DefaultDedupTTL = 25 * time.Hour
	// DefaultDedupEntries bounds the memory of a MemoryDeduplicator.
	DefaultDedupEntries = 100_000
)

// MemoryDeduplicator is a Deduplicator that keeps keys in memory for a fixed
// time (TTL), up to a maximum number of keys; past it the oldest key is
// forgotten first. It suits a shop served by a single process: its memory
// is lost on restart and not shared between instances. It is safe for
// concurrent use.
type MemoryDeduplicator struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	order *list.List // of *memoryEntry, oldest expiry first
	index map[string]*list.Element
	now   func() time.Time
}

type memoryEntry struct {
	key     string
	expires time.Time
}

// NewMemoryDeduplicator returns a MemoryDeduplicator that remembers a key for
// ttl after it was marked, and at most maxEntries keys. A ttl or maxEntries
// of zero or less selects DefaultDedupTTL or DefaultDedupEntries.
func NewMemoryDeduplicator(ttl time.Duration, maxEntries int) *MemoryDeduplicator {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	if maxEntries <= 0 {
		maxEntries = DefaultDedupEntries
	}
	return &MemoryDeduplicator{
		ttl:   ttl,
		max:   maxEntries,
		order: list.New(),
		index: make(map[string]*list.Element),
		now:   time.Now,
	}
}

// Seen reports whether key was marked less than the TTL ago (and not evicted
// since). It never fails.
func (m *MemoryDeduplicator) Seen(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(m.now())
	_, ok := m.index[key]
	return ok, nil
}

// Mark remembers key for the TTL, evicting the oldest key when the
// deduplicator is full. It never fails.
func (m *MemoryDeduplicator) Mark(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.expire(now)
	expires := now.Add(m.ttl)
	if el, ok := m.index[key]; ok {
		el.Value.(*memoryEntry).expires = expires
		m.order.MoveToBack(el)
		return nil
	}
	m.index[key] = m.order.PushBack(&memoryEntry{key: key, expires: expires})
	for m.order.Len() > m.max {
		m.remove(m.order.Front())
	}
	return nil
}

// Len returns the number of keys currently remembered.
func (m *MemoryDeduplicator) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expire(m.now())
	return m.order.Len()
}

// expire forgets the keys whose time is up. Every key lives for the same
// TTL and a re-marked key moves to the back, so the list is in expiry order.
func (m *MemoryDeduplicator) expire(now time.Time) {
	for el := m.order.Front(); el != nil && !now.Before(el.Value.(*memoryEntry).expires); el = m.order.Front() {
		m.remove(el)
	}
}

func (m *MemoryDeduplicator) remove(el *list.Element) {
	delete(m.index, el.Value.(*memoryEntry).key)
	m.order.Remove(el)
}
