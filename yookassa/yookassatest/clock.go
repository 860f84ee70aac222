package yookassatest

import (
	"sync"
	"time"
)

// clock is the simulator's time: the wall clock (or a frozen instant) plus
// whatever Advance added.
type clock struct {
	mu     sync.Mutex
	frozen bool
	base   time.Time
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	base := c.base
	if !c.frozen {
		base = time.Now()
	}
	return base.Add(c.offset).UTC().Truncate(time.Millisecond)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// reset takes back whatever Advance added.
func (c *clock) reset() {
	c.mu.Lock()
	c.offset = 0
	c.mu.Unlock()
}
