package yookassa

import (
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"strconv"
	"time"
)

// timeFormat is how filters write times: UTC with milliseconds, as YooKassa
// writes them.
const timeFormat = "2006-01-02T15:04:05.000Z07:00"

func addTimeRange(q url.Values, name string, gte, gt, lte, lt time.Time) {
	for _, f := range [...]struct {
		op string
		t  time.Time
	}{{"gte", gte}, {"gt", gt}, {"lte", lte}, {"lt", lt}} {
		if !f.t.IsZero() {
			q.Set(name+"."+f.op, f.t.UTC().Format(timeFormat))
		}
	}
}

func addString(q url.Values, name, v string) {
	if v != "" {
		q.Set(name, v)
	}
}

func addPage(q url.Values, limit int, cursor string) error {
	if limit < 0 || limit > 100 {
		return &ValidationError{Field: "limit", Reason: "must be 1-100 (0 for the default)"}
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	addString(q, "cursor", cursor)
	return nil
}

// objectPath joins a collection path and an object ID, refusing IDs that
// are not YooKassa's (and so could change the path).
func objectPath(prefix, field, id string) (string, error) {
	if err := checkID(field, id); err != nil {
		return "", err
	}
	return prefix + id, nil
}

// objectPathOfLength is objectPath for the identifiers that always have n
// characters (payments, refunds, receipts, invoices).
func objectPathOfLength(prefix, field, id string, n int) (string, error) {
	if err := checkIDOfLength(field, id, n); err != nil {
		return "", err
	}
	return prefix + id, nil
}

// paginate walks a cursor-paged list: fetch returns one page's items and
// the cursor of the next page ("" after the last). Every range over the
// sequence starts again at cursor with its own state, so the sequence can
// be ranged over again, and from several goroutines at once: fetch must
// not modify anything shared (copy the params it fills in). A next cursor
// already visited by this range ends it with an error wrapping
// ErrCursorCycle, instead of requesting the same pages forever.
func paginate[T any](fetch func(cursor string) ([]T, string, error), cursor string) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		cursor := cursor
		seen := map[string]bool{cursor: true}
		for {
			items, next, err := fetch(cursor)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range items {
				if !yield(&items[i], nil) {
					return
				}
			}
			if next == "" {
				return
			}
			if seen[next] {
				yield(nil, fmt.Errorf("%w: next_cursor %.80q was already visited", ErrCursorCycle, next))
				return
			}
			seen[next] = true
			cursor = next
		}
	}
}

// listLogValue is the log form of a page of any list: how many items it
// holds and the cursor of the next page.
func listLogValue(items int, next string) slog.Value {
	return slog.GroupValue(slog.Int("items", items), slog.String("next_cursor", next))
}
