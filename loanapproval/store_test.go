package loanapproval_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// testStoreContract checks what Handler relies on from a Store; every
// implementation runs it.
func testStoreContract(t *testing.T, newStore func(t *testing.T) loanapproval.Store) {
	ctx := context.Background()
	// Every time stays within a minute of the first claim, so that an
	// SQLStore does not purge and its claim statement alone decides.
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	lease := t0.Add(10 * time.Second)
	ttl := t0.Add(30 * time.Second)
	body := []byte(`{"search_id":"x","name":"Банк \"Тест\" <a&b>","sep":"\u2028"}`)

	t.Run("claim, pending, answer", func(t *testing.T) {
		s := newStore(t)
		id := uuid.NewString()
		_, ok, err := s.Load(ctx, id, t0)
		require.NoError(t, err)
		assert.False(t, ok)

		_, won, err := s.Claim(ctx, id, "a", t0, lease)
		require.NoError(t, err)
		require.True(t, won)
		e, ok, err := s.Load(ctx, id, t0)
		require.NoError(t, err)
		require.True(t, ok)
		assert.False(t, e.Done)

		e, won, err = s.Claim(ctx, id, "b", t0, lease)
		require.NoError(t, err)
		assert.False(t, won, "a running decision under its lease")
		assert.False(t, e.Done)

		assert.ErrorIs(t, s.Complete(ctx, id, "b", 200, body, ttl), loanapproval.ErrClaimLost)
		require.NoError(t, s.Complete(ctx, id, "a", 200, body, ttl))
		assert.ErrorIs(t, s.Complete(ctx, id, "a", 200, body, ttl), loanapproval.ErrClaimLost, "answered once")

		e, ok, err = s.Load(ctx, id, t0.Add(20*time.Second))
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, loanapproval.Entry{Done: true, Status: 200, Body: body}, e)
		e, won, err = s.Claim(ctx, id, "c", t0.Add(20*time.Second), lease.Add(20*time.Second))
		require.NoError(t, err)
		assert.False(t, won, "a kept answer")
		assert.Equal(t, loanapproval.Entry{Done: true, Status: 200, Body: body}, e)

		// Past its TTL the answer is gone and the search_id can be claimed.
		_, ok, err = s.Load(ctx, id, ttl)
		require.NoError(t, err)
		assert.False(t, ok)
		_, won, err = s.Claim(ctx, id, "d", ttl, ttl.Add(10*time.Second))
		require.NoError(t, err)
		assert.True(t, won)
	})

	t.Run("a failed answer is replaced", func(t *testing.T) {
		s := newStore(t)
		id := uuid.NewString()
		_, won, err := s.Claim(ctx, id, "a", t0, lease)
		require.NoError(t, err)
		require.True(t, won)
		require.NoError(t, s.Complete(ctx, id, "a", 500, []byte(`{"message":"internal error"}`), ttl))
		e, ok, err := s.Load(ctx, id, t0)
		require.NoError(t, err)
		require.True(t, ok, "a failure is served to a poll")
		assert.Equal(t, 500, e.Status)

		_, won, err = s.Claim(ctx, id, "b", t0, lease)
		require.NoError(t, err)
		require.True(t, won)
		assert.ErrorIs(t, s.Complete(ctx, id, "a", 200, body, ttl), loanapproval.ErrClaimLost)
		require.NoError(t, s.Complete(ctx, id, "b", 200, body, ttl))
	})

	t.Run("a lease that ends lets another claim win", func(t *testing.T) {
		s := newStore(t)
		id := uuid.NewString()
		_, won, err := s.Claim(ctx, id, "dead", t0, lease)
		require.NoError(t, err)
		require.True(t, won)
		_, won, err = s.Claim(ctx, id, "b", lease.Add(-time.Millisecond), lease.Add(10*time.Second))
		require.NoError(t, err)
		assert.False(t, won, "within the lease")
		_, ok, err := s.Load(ctx, id, lease)
		require.NoError(t, err)
		assert.False(t, ok, "a claim past its lease is no decision")

		_, won, err = s.Claim(ctx, id, "b", lease, lease.Add(10*time.Second))
		require.NoError(t, err)
		require.True(t, won)
		assert.ErrorIs(t, s.Complete(ctx, id, "dead", 200, body, ttl), loanapproval.ErrClaimLost,
			"the replica presumed dead must not overwrite")
		require.NoError(t, s.Complete(ctx, id, "b", 200, body, ttl))
		e, ok, err := s.Load(ctx, id, lease)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, body, e.Body)
	})

	t.Run("one of concurrent claims wins", func(t *testing.T) {
		s := newStore(t)
		ids := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
		var mu sync.Mutex
		wins := map[string]int{}
		var wg sync.WaitGroup
		for i := range 48 {
			wg.Go(func() {
				id := ids[i%len(ids)]
				_, won, err := s.Claim(ctx, id, uuid.NewString(), t0, lease)
				if !assert.NoError(t, err) {
					return
				}
				if won {
					mu.Lock()
					wins[id]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for _, id := range ids {
			assert.Equal(t, 1, wins[id], id)
		}
	})
}

func TestMemoryStoreContract(t *testing.T) {
	testStoreContract(t, func(*testing.T) loanapproval.Store { return loanapproval.NewMemoryStore(100) })
}

func TestMemoryStoreFull(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := loanapproval.NewMemoryStore(2)
	for _, id := range []string{"a", "b"} {
		_, won, err := s.Claim(ctx, id, id, t0, t0.Add(time.Minute))
		require.NoError(t, err)
		require.True(t, won)
	}
	_, _, err := s.Claim(ctx, "c", "c", t0, t0.Add(time.Minute))
	assert.True(t, errors.Is(err, loanapproval.ErrStoreFull), "running decisions are never dropped")

	require.NoError(t, s.Complete(ctx, "a", "a", 200, []byte("{}"), t0.Add(time.Hour)))
	_, _, err = s.Claim(ctx, "c", "c", t0, t0.Add(time.Minute))
	assert.ErrorIs(t, err, loanapproval.ErrStoreFull, "nor kept answers")

	require.NoError(t, s.Complete(ctx, "b", "b", 500, []byte("{}"), t0.Add(time.Hour)))
	_, won, err := s.Claim(ctx, "c", "c", t0, t0.Add(time.Minute))
	require.NoError(t, err)
	assert.True(t, won, "a failed answer makes room")

	// Past the lease of c and the TTL of a, both make room.
	later := t0.Add(2 * time.Hour)
	for _, id := range []string{"d", "e"} {
		_, won, err := s.Claim(ctx, id, id, later, later.Add(time.Minute))
		require.NoError(t, err)
		require.True(t, won)
	}
	assert.Equal(t, 2, s.Len())
}
