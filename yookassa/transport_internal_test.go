package yookassa

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, full := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond,
		4: 800 * time.Millisecond, 5: time.Second, 9: time.Second} {
		for range 200 {
			d := backoff(p, n)
			assert.GreaterOrEqual(t, d, full/2, "attempt %d", n)
			assert.LessOrEqual(t, d, full, "attempt %d", n)
		}
	}
	// Jitter: the waits are not all equal.
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[backoff(p, 3)] = true
	}
	assert.Greater(t, len(seen), 1)
	assert.Zero(t, backoff(RetryPolicy{MaxAttempts: 3}, 2))
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, 2*time.Second, parseRetryAfter("2", now))
	assert.Equal(t, time.Duration(0), parseRetryAfter("0", now))
	assert.Equal(t, time.Duration(0), parseRetryAfter("-5", now))
	assert.Equal(t, time.Duration(0), parseRetryAfter("soon", now))
	assert.Equal(t, time.Minute, parseRetryAfter("86400", now), "capped at a minute")
	assert.Equal(t, 30*time.Second, parseRetryAfter(now.Add(30*time.Second).Format(http.TimeFormat), now))
	assert.Equal(t, time.Duration(0), parseRetryAfter(now.Add(-time.Hour).Format(http.TimeFormat), now))
}
