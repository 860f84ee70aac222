package loanapproval

import "time"

// WithClock replaces the handler's clock, so that TTL tests need not sleep.
func WithClock(now func() time.Time) HandlerOption {
	return func(c *handlerConfig) { c.now = now }
}

// WithWaitHook is called whenever a synchronous POST starts waiting for a
// decision another POST with the same search_id started.
func WithWaitHook(f func()) HandlerOption {
	return func(c *handlerConfig) { c.waitHook = f }
}

// StoreLen returns the number of search_ids a handler keeps.
func StoreLen(h any) int { return h.(*handler).store.(*MemoryStore).Len() }

// WireCheckResponse exposes the strict check of JSON kinds, the one applied
// to what the handler sends.
func WireCheckResponse(body []byte) []FieldError { return wireCheck(body, false) }

// WireCheckResponseLenient exposes the check of JSON kinds applied to what
// Check reads.
var WireCheckResponseLenient = wireCheckResponse

// AppendString exposes the JSON string encoder.
var AppendString = appendString

// Scrub exposes the removal of a secret from network text.
var Scrub = scrub
