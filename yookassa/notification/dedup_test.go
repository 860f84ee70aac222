package notification

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a settable time source.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestDeduplicator(ttl time.Duration, maxEntries int) (*MemoryDeduplicator, *fakeClock) {
	clock := &fakeClock{t: time.Date(2021, 6, 22, 21, 44, 55, 0, time.UTC)}
	d := NewMemoryDeduplicator(ttl, maxEntries)
	d.now = clock.now
	return d, clock
}

func seen(t *testing.T, d Deduplicator, key string) bool {
	t.Helper()
	ok, err := d.Seen(context.Background(), key)
	require.NoError(t, err)
	return ok
}

func mark(t *testing.T, d Deduplicator, key string) {
	t.Helper()
	require.NoError(t, d.Mark(context.Background(), key))
}

func TestMemoryDeduplicatorDefaults(t *testing.T) {
	d := NewMemoryDeduplicator(0, -1)
	assert.Equal(t, DefaultDedupTTL, d.ttl)
	assert.Equal(t, DefaultDedupEntries, d.max)
	assert.Greater(t, DefaultDedupTTL, 24*time.Hour, "covers YooKassa's day of re-deliveries")
}

func TestMemoryDeduplicatorTTL(t *testing.T) {
	d, clock := newTestDeduplicator(time.Hour, 10)
	assert.False(t, seen(t, d, "payment.succeeded:a"))
	mark(t, d, "payment.succeeded:a")
	assert.True(t, seen(t, d, "payment.succeeded:a"))
	assert.False(t, seen(t, d, "payment.canceled:a"))

	clock.advance(59 * time.Minute)
	mark(t, d, "payment.succeeded:b")
	assert.True(t, seen(t, d, "payment.succeeded:a"))

	clock.advance(time.Minute)
	assert.False(t, seen(t, d, "payment.succeeded:a"), "forgotten after the TTL")
	assert.True(t, seen(t, d, "payment.succeeded:b"))
	assert.Equal(t, 1, d.Len())

	// Marking again extends the key's life.
	clock.advance(30 * time.Minute)
	mark(t, d, "payment.succeeded:b")
	clock.advance(45 * time.Minute)
	assert.True(t, seen(t, d, "payment.succeeded:b"))
	mark(t, d, "payment.succeeded:c")
	clock.advance(16 * time.Minute)
	assert.False(t, seen(t, d, "payment.succeeded:b"))
	assert.True(t, seen(t, d, "payment.succeeded:c"))
}

func TestMemoryDeduplicatorBound(t *testing.T) {
	d, clock := newTestDeduplicator(time.Hour, 3)
	for i := range 3 {
		mark(t, d, fmt.Sprint("k", i))
		clock.advance(time.Second)
	}
	mark(t, d, "k0") // k0 is now the newest
	mark(t, d, "k3") // evicts k1, the oldest
	assert.Equal(t, 3, d.Len())
	assert.True(t, seen(t, d, "k0"))
	assert.False(t, seen(t, d, "k1"))
	assert.True(t, seen(t, d, "k2"))
	assert.True(t, seen(t, d, "k3"))

	for i := range 1000 {
		mark(t, d, fmt.Sprint("x", i))
	}
	assert.Equal(t, 3, d.Len())
	assert.Len(t, d.index, 3)
	assert.True(t, seen(t, d, "x999"))
}

func TestMemoryDeduplicatorConcurrent(t *testing.T) {
	d := NewMemoryDeduplicator(time.Hour, 50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := fmt.Sprint("k", (g*200+i)%75)
				_, _ = d.Seen(context.Background(), key)
				_ = d.Mark(context.Background(), key)
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, d.Len(), 50)
	assert.Equal(t, d.order.Len(), len(d.index))
}
