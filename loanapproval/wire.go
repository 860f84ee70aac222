package loanapproval

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Strict checks of the JSON kinds in an answer. Decoding is lenient on
// purpose (a bank's "10000" still reads as 10000), but Yandex expects the
// documented kinds, so the conformance check also looks at the raw JSON.

// wireCheckResponse reports every field of a 200 body whose JSON kind differs
// from the documented one: numbers must be JSON numbers (not strings),
// grace_period a JSON integer, text fields strings, lists arrays of strings.
// It reads like a client does, so a range bound sent as null passes (see
// [Range]).
func wireCheckResponse(body []byte) []FieldError { return wireCheck(body, true) }

// wireCheck is wireCheckResponse, strict when lenient is false: every
// documented kind and no null range bound, as an answer of [Handler] must
// be (the tests hold the encoder to it).
func wireCheck(body []byte, lenient bool) []FieldError {
	var fe fieldErrors
	v, ok := decodeAny(body)
	if !ok {
		fe.add("", "not valid JSON")
		return fe
	}
	top, ok := v.(map[string]any)
	if !ok {
		fe.add("", "must be a JSON object")
		return fe
	}
	for _, k := range []string{"search_id", "status", "name", "decision"} {
		wantString(&fe, k, top, k == "search_id")
	}
	if data, ok := top["data"]; ok && data != nil {
		items, ok := data.([]any)
		if !ok {
			fe.add("data", "must be a JSON array")
			return fe
		}
		for i, it := range items {
			path := index("data", i)
			o, ok := it.(map[string]any)
			if !ok {
				fe.add(path, "must be a JSON object")
				continue
			}
			wireCheckOffer(&fe, path, o, lenient)
		}
	}
	return fe
}

func wireCheckOffer(fe *fieldErrors, path string, o map[string]any, lenient bool) {
	wantString(fe, join(path, "product_type"), o, false)
	wantString(fe, join(path, "decision"), o, false)
	for _, k := range []string{"amount", "term", "rate", "total_cost"} {
		p := join(path, k)
		r, present := o[k]
		if !present || r == nil {
			continue
		}
		m, ok := r.(map[string]any)
		if !ok {
			fe.add(p, "must be a JSON object")
			continue
		}
		for _, end := range []string{"min", "max"} {
			if v, present := m[end]; lenient && present && v == nil {
				continue // an explicit null: not given
			}
			wantNumber(fe, join(p, end), m, false)
		}
	}
	if g, ok := o["grace_period"]; ok && g != nil {
		n, isNum := g.(json.Number)
		if !isNum {
			fe.add(join(path, "grace_period"), "must be a JSON number (an integer), not "+kind(g))
		} else if strings.ContainsAny(string(n), ".eE") {
			fe.add(join(path, "grace_period"), "must be a JSON integer")
		}
	}
	if p, ok := o["payment"]; ok && p != nil {
		if m, ok := p.(map[string]any); ok {
			for _, k := range []string{"min", "max", "cc_rate"} {
				wantNumber(fe, join(join(path, "payment"), k), m, true)
			}
		} else {
			fe.add(join(path, "payment"), "must be a JSON object")
		}
	}
	for _, k := range []string{"special_conditions", "required_documents", "choosable_documents", "props"} {
		wantStrings(fe, join(path, k), o[k])
	}
	if l, ok := o["propousal_link"]; ok && l != nil {
		if m, ok := l.(map[string]any); ok {
			wantString(fe, join(join(path, "propousal_link"), "link"), m, false)
			wantString(fe, join(join(path, "propousal_link"), "deep"), m, false)
		} else {
			fe.add(join(path, "propousal_link"), "must be a JSON object")
		}
	}
}

// wireCheckError checks a documented error body: a JSON object with
// search_id (a string, always present) and, unless only search_id is
// documented (500), a non-empty message string; properties, when present, an
// array of strings.
func wireCheckError(body []byte, needMessage bool) []FieldError {
	var fe fieldErrors
	v, ok := decodeAny(body)
	if !ok {
		fe.add("", "error body is not valid JSON")
		return fe
	}
	m, ok := v.(map[string]any)
	if !ok {
		fe.add("", "error body must be a JSON object")
		return fe
	}
	if _, present := m["search_id"]; !present {
		fe.add("search_id", "required in the error body")
	} else {
		wantString(&fe, "search_id", m, false)
	}
	if needMessage {
		if s, ok := m["message"].(string); !ok || strings.TrimSpace(s) == "" {
			fe.add("message", "required in the error body (a non-empty string)")
		}
	} else {
		wantString(&fe, "message", m, false)
	}
	wantStrings(&fe, "properties", m["properties"])
	return fe
}

func decodeAny(body []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return nil, false
	}
	return v, true
}

func wantString(fe *fieldErrors, path string, m map[string]any, required bool) {
	name := path[strings.LastIndexByte(path, '.')+1:]
	v, ok := m[name]
	if !ok || v == nil {
		if required {
			fe.add(path, "required")
		}
		return
	}
	if _, ok := v.(string); !ok {
		fe.add(path, "must be a JSON string, not "+kind(v))
	}
}

func wantNumber(fe *fieldErrors, path string, m map[string]any, optional bool) {
	name := path[strings.LastIndexByte(path, '.')+1:]
	v, ok := m[name]
	if !ok || v == nil {
		if !optional {
			fe.add(path, "required")
		}
		return
	}
	if _, ok := v.(json.Number); !ok {
		fe.add(path, "must be a JSON number, not "+kind(v))
	}
}

func wantStrings(fe *fieldErrors, path string, v any) {
	if v == nil {
		return
	}
	items, ok := v.([]any)
	if !ok {
		fe.add(path, "must be a JSON array of strings, not "+kind(v))
		return
	}
	for i, it := range items {
		if _, ok := it.(string); !ok {
			fe.add(index(path, i), "must be a JSON string, not "+kind(it))
		}
	}
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	}
	return "an unknown value"
}
