package yookassatest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

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
	return b
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
		a := invalid("", "Failed to parse request body: %v", err)
		return &a
	}
	return nil
}
