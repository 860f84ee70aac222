package yookassatest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

func newID() string { return uuid.NewString() }

func marshal(v any) []byte {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{"type":"error","code":"internal_server_error","description":"encoding failed"}`)
	}
	return milliseconds(b)
}

// milliseconds rewrites the timestamps of b as YooKassa writes them, always
// with three digits of milliseconds ("2026-12-07T10:03:31.000Z";
// time.Time drops trailing zeros). It touches only the values of keys that
// end in "_at" or "_until", outside metadata objects, which hold the
// merchant's strings as sent. The simulator's clock has millisecond
// resolution, so every timestamp it writes has 0 to 3 digits after the
// seconds.
func milliseconds(b []byte) []byte {
	var (
		out       []byte // nil until the first change
		last      int    // b[last:] is not yet copied to out
		stack     []byte // open containers, '{' or '['
		key       []byte // the last key read
		expectKey bool   // the next string is a key
		afterKey  bool   // the next value belongs to key
		skipDepth int    // > 0 inside a metadata object, at its depth
	)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{', '[':
			if c == '{' && afterKey && skipDepth == 0 && string(key) == "metadata" {
				skipDepth = len(stack) + 1
			}
			stack = append(stack, c)
			expectKey, afterKey = c == '{', false
		case '}', ']':
			if len(stack) == skipDepth {
				skipDepth = 0
			}
			if len(stack) == 0 {
				return b // not JSON: leave it alone
			}
			stack = stack[:len(stack)-1]
			afterKey = false
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1] == '{'
			afterKey = false
		case ':':
			afterKey = true
		case '"':
			end := stringEnd(b, i)
			if end < 0 {
				return b // an unterminated string: not JSON
			}
			token := b[i+1 : end]
			switch {
			case expectKey:
				key, expectKey = token, false
			case afterKey && skipDepth == 0 && isTimeKey(key):
				if fixed, ok := fixTimestamp(token); ok {
					out = append(append(append(out, b[last:i+1]...), fixed...), '"')
					last = end + 1
				}
				afterKey = false
			default:
				afterKey = false
			}
			i = end
		default:
			if c > ' ' {
				afterKey = false // a number, true, false or null
			}
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// stringEnd is the index of the quote that closes the string opening at
// b[start], or -1.
func stringEnd(b []byte, start int) int {
	for i := start + 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

func isTimeKey(key []byte) bool {
	k := string(key)
	return strings.HasSuffix(k, "_at") || strings.HasSuffix(k, "_until")
}

// fixTimestamp pads the fraction of an RFC 3339 UTC timestamp to three
// digits: "...:31Z" and "...:31.5Z" become "...:31.000Z" and "...:31.500Z".
func fixTimestamp(t []byte) ([]byte, bool) {
	const seconds = len("2006-01-02T15:04:05")
	if len(t) < seconds+1 || t[len(t)-1] != 'Z' || t[10] != 'T' {
		return nil, false
	}
	frac := t[seconds : len(t)-1]
	if len(frac) == 4 && frac[0] == '.' {
		return nil, false // already three digits
	}
	if len(frac) > 4 || (len(frac) > 0 && frac[0] != '.') {
		return nil, false
	}
	digits := "000"
	if len(frac) > 0 {
		digits = string(frac[1:]) + "000"[len(frac)-1:]
	}
	out := make([]byte, 0, seconds+5)
	out = append(out, t[:seconds]...)
	return append(append(append(out, '.'), digits...), 'Z'), true
}

func writeJSON(w http.ResponseWriter, a answer) { writeRaw(w, a.status, marshal(a.body)) }

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	if body == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, http.StatusText(status)+"\n")
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// decode reads a request body into v, refusing malformed JSON.
func decode(body []byte, v any) *answer {
	if len(bytes.TrimSpace(body)) == 0 {
		a := invalid("", "Failed to parse request body: empty")
		return &a
	}
	if err := json.Unmarshal(body, v); err != nil {
		a := malformed(err)
		return &a
	}
	return nil
}
