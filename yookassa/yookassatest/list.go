package yookassatest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// filter holds parsed time filters (created_at.gte and so on).
type filter map[string]time.Time

func parseFilter(q url.Values, fields ...string) (filter, *answer) {
	f := filter{}
	for _, field := range fields {
		for _, op := range []string{"gte", "gt", "lte", "lt"} {
			name := field + "." + op
			if v := q.Get(name); v != "" {
				t, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					a := invalid(name, "Invalid date-time, expected ISO 8601 such as 2018-07-18T10:51:18.139Z")
					return nil, &a
				}
				f[name] = t
			}
		}
	}
	return f, nil
}

// match applies the filters of field to t (nil: the object has no such time,
// which only passes when no filter is set).
func (f filter) match(field string, t *time.Time) bool {
	for _, op := range []string{"gte", "gt", "lte", "lt"} {
		bound, set := f[field+"."+op]
		if !set {
			continue
		}
		if t == nil {
			return false
		}
		switch op {
		case "gte":
			if t.Before(bound) {
				return false
			}
		case "gt":
			if !t.After(bound) {
				return false
			}
		case "lte":
			if t.After(bound) {
				return false
			}
		case "lt":
			if !t.Before(bound) {
				return false
			}
		}
	}
	return true
}

// listed is a stored object as lists show it: its position in creation
// order and the object the API returns.
type listed[T any] interface {
	position() int
	object() T
}

func (p *payment) position() int               { return p.seq }
func (p *payment) object() paymentView         { return p.view() }
func (r *refundEntry) position() int           { return r.seq }
func (r *refundEntry) object() yookassa.Refund { return r.r }
func (r *receiptEntry) position() int          { return r.seq }
func (r *receiptEntry) object() yookassa.Receipt {
	return r.r
}

// list is a page of a list of objects.
type list[T any] struct {
	Type       string `json:"type"`
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// page walks all (oldest first) newest first, keeps what match accepts,
// starting at the cursor, and returns at most limit objects with the next
// cursor.
func page[E listed[T], T any](q url.Values, all []E, match func(E) bool) ([]T, string, *answer) {
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			a := invalid("limit", "Invalid limit: must be 1-100")
			return nil, "", &a
		}
		limit = n
	}
	start := len(all) - 1
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "s"))
		if err != nil || !strings.HasPrefix(c, "s") {
			a := invalid("cursor", "Invalid cursor")
			return nil, "", &a
		}
		start, _ = slices.BinarySearchFunc(all, n, func(e E, target int) int { return e.position() - target })
		if start >= len(all) || all[start].position() != n {
			a := invalid("cursor", "Invalid cursor")
			return nil, "", &a
		}
	}
	out := []T{}
	for i := start; i >= 0; i-- {
		if !match(all[i]) {
			continue
		}
		if len(out) == limit {
			return out, "s" + strconv.Itoa(all[i].position()), nil
		}
		out = append(out, all[i].object())
	}
	return out, "", nil
}

// getOne answers GET /<objects>/{id}: the object, or 404 naming parameter.
func getOne[E listed[T], T any](all map[string]E, req *apiRequest, parameter, what string) answer {
	e, found := all[req.r.PathValue("id")]
	if !found {
		return notFound(parameter, what)
	}
	return ok(e.object())
}

// objects returns the objects of all entries, oldest first.
func objects[E listed[T], T any](all []E) []T {
	out := make([]T, len(all))
	for i, e := range all {
		out[i] = e.object()
	}
	return out
}
