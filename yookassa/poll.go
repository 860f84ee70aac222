package yookassa

import (
	"context"
	"time"
)

// PollOption configures WaitPayment.
type PollOption func(*pollConfig)

type pollConfig struct {
	first, max time.Duration
}

// WithPollInterval sets the first wait between reads and the longest one.
// The default is 1 s growing to 30 s.
func WithPollInterval(first, max time.Duration) PollOption {
	return func(c *pollConfig) {
		if first > 0 {
			c.first = first
		}
		if max >= c.first {
			c.max = max
		}
	}
}

// WaitPayment reads the payment until it leaves pending and returns it, as
// YooKassa recommends when no notification arrives. The waits between reads
// grow like the Fibonacci sequence (1 s, 1 s, 2 s, 3 s, 5 s, ... by default),
// up to a maximum. It gives up when ctx ends, returning the last payment read
// together with the context's error, whether ctx ends during a wait or
// during a read; give ctx a deadline. A read that fails for another reason
// is returned at once, with a nil payment (the read itself already retried).
func (c *Client) WaitPayment(ctx context.Context, id string, opts ...PollOption) (*Payment, error) {
	cfg := pollConfig{first: time.Second, max: 30 * time.Second}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	var last *Payment
	prev, wait := time.Duration(0), cfg.first
	for {
		p, err := c.GetPayment(ctx, id)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && last != nil {
				return last, ctxErr
			}
			return nil, err
		}
		if p.Status != PaymentStatusPending {
			return p, nil
		}
		last = p
		if err := sleep(ctx, wait); err != nil {
			return last, err
		}
		prev, wait = wait, min(prev+wait, cfg.max)
	}
}
