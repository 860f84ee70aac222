package loanapproval_test

// The module's go.sum does not list the YAML module that testify's assert
// package imports, so these tests use this small set of assertions with the
// same names and argument order instead: assert.X reports and continues,
// require.X reports and stops the test.

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

type asserter struct{ fatal bool }

var (
	assert  = asserter{fatal: false}
	require = asserter{fatal: true}
)

func (a asserter) fail(t testing.TB, msg string, extra []any) bool {
	t.Helper()
	if len(extra) > 0 {
		msg += ": " + fmt.Sprint(extra...)
	}
	if a.fatal {
		t.Fatal(msg)
	} else {
		t.Error(msg)
	}
	return false
}

func (a asserter) True(t testing.TB, ok bool, extra ...any) bool {
	t.Helper()
	if !ok {
		return a.fail(t, "expected true", extra)
	}
	return true
}

func (a asserter) False(t testing.TB, ok bool, extra ...any) bool {
	t.Helper()
	if ok {
		return a.fail(t, "expected false", extra)
	}
	return true
}

func (a asserter) Equal(t testing.TB, want, got any, extra ...any) bool {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		return a.fail(t, fmt.Sprintf("not equal:\nwant: %#v\ngot:  %#v", want, got), extra)
	}
	return true
}

func (a asserter) NotEqual(t testing.TB, notWant, got any, extra ...any) bool {
	t.Helper()
	if reflect.DeepEqual(notWant, got) {
		return a.fail(t, fmt.Sprintf("should differ from %#v", notWant), extra)
	}
	return true
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

func (a asserter) Nil(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if !isNil(v) {
		return a.fail(t, fmt.Sprintf("expected nil, got %#v", v), extra)
	}
	return true
}

func (a asserter) NotNil(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if isNil(v) {
		return a.fail(t, "expected a value, got nil", extra)
	}
	return true
}

func isEmpty(v any) bool {
	if isNil(v) {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array, reflect.Chan:
		return rv.Len() == 0
	}
	return rv.IsZero()
}

func (a asserter) Empty(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if !isEmpty(v) {
		return a.fail(t, fmt.Sprintf("expected empty, got %#v", v), extra)
	}
	return true
}

func (a asserter) NotEmpty(t testing.TB, v any, extra ...any) bool {
	t.Helper()
	if isEmpty(v) {
		return a.fail(t, "expected a non-empty value", extra)
	}
	return true
}

func (a asserter) Len(t testing.TB, v any, n int, extra ...any) bool {
	t.Helper()
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array, reflect.Chan:
		if rv.Len() != n {
			return a.fail(t, fmt.Sprintf("expected length %d, got %d: %#v", n, rv.Len(), v), extra)
		}
		return true
	}
	return a.fail(t, fmt.Sprintf("%T has no length", v), extra)
}

func contains(container, item any) bool {
	if s, ok := container.(string); ok {
		sub, ok := item.(string)
		return ok && strings.Contains(s, sub)
	}
	rv := reflect.ValueOf(container)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return false
	}
	for i := 0; i < rv.Len(); i++ {
		if reflect.DeepEqual(rv.Index(i).Interface(), item) {
			return true
		}
	}
	return false
}

func (a asserter) Contains(t testing.TB, container, item any, extra ...any) bool {
	t.Helper()
	if !contains(container, item) {
		return a.fail(t, fmt.Sprintf("%#v does not contain %#v", container, item), extra)
	}
	return true
}

func (a asserter) NotContains(t testing.TB, container, item any, extra ...any) bool {
	t.Helper()
	if contains(container, item) {
		return a.fail(t, fmt.Sprintf("%#v should not contain %#v", container, item), extra)
	}
	return true
}

// ElementsMatch compares two slices ignoring order.
func (a asserter) ElementsMatch(t testing.TB, want, got any, extra ...any) bool {
	t.Helper()
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	lenOf := func(v reflect.Value) int {
		if !v.IsValid() {
			return 0
		}
		return v.Len()
	}
	if lenOf(wv) != lenOf(gv) {
		return a.fail(t, fmt.Sprintf("elements differ:\nwant: %#v\ngot:  %#v", want, got), extra)
	}
	used := make([]bool, lenOf(gv))
outer:
	for i := 0; i < lenOf(wv); i++ {
		for j := 0; j < lenOf(gv); j++ {
			if !used[j] && reflect.DeepEqual(wv.Index(i).Interface(), gv.Index(j).Interface()) {
				used[j] = true
				continue outer
			}
		}
		return a.fail(t, fmt.Sprintf("elements differ:\nwant: %#v\ngot:  %#v", want, got), extra)
	}
	return true
}

func (a asserter) NoError(t testing.TB, err error, extra ...any) bool {
	t.Helper()
	if err != nil {
		return a.fail(t, "unexpected error: "+err.Error(), extra)
	}
	return true
}

func (a asserter) Error(t testing.TB, err error, extra ...any) bool {
	t.Helper()
	if err == nil {
		return a.fail(t, "expected an error", extra)
	}
	return true
}

func (a asserter) ErrorIs(t testing.TB, err, target error, extra ...any) bool {
	t.Helper()
	if !errors.Is(err, target) {
		return a.fail(t, fmt.Sprintf("error %v is not %v", err, target), extra)
	}
	return true
}

func (a asserter) ErrorAs(t testing.TB, err error, target any, extra ...any) bool {
	t.Helper()
	if err == nil || !errors.As(err, target) {
		return a.fail(t, fmt.Sprintf("error %v is not a %T", err, target), extra)
	}
	return true
}

// JSONEq compares two JSON documents for equal content.
func (a asserter) JSONEq(t testing.TB, want, got string, extra ...any) bool {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return a.fail(t, "expected value is not JSON: "+err.Error(), extra)
	}
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		return a.fail(t, "actual value is not JSON: "+err.Error(), extra)
	}
	if !reflect.DeepEqual(w, g) {
		return a.fail(t, fmt.Sprintf("JSON differs:\nwant: %s\ngot:  %s", want, got), extra)
	}
	return true
}
