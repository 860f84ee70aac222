// Package spectest checks HTTP exchanges against YooKassa's own OpenAPI
// specification, for the module's tests: the simulator's answers and
// notifications (package yookassatest) and the client's requests (package
// yookassa).
//
// The specification is read from ../shared/reference/yookassa-openapi.yaml
// beside the repository's root (CI keeps shared/ beside the clone); Load
// skips the test with a message saying so when it is absent. The
// environment variable YOOKASSA_OPENAPI_SPEC, when set, names another copy
// (for a worktree that has no shared/ beside it). Only tests
// import this package, so kin-openapi is never compiled into a program that
// imports the library packages.
//
// YooKassa's specification has defects of its own; Defects lists the ones
// the validation works around, each by name.
package spectest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// RelPath is where the specification lives, relative to the repository's
// root.
const RelPath = "../shared/reference/yookassa-openapi.yaml"

// EnvFile is the environment variable that overrides RelPath.
const EnvFile = "YOOKASSA_OPENAPI_SPEC"

// specHost is the API's address in the specification's servers list.
const specHost = "https://api.yookassa.ru"

// Spec is the loaded specification, ready to validate exchanges. It is safe
// for concurrent use.
type Spec struct {
	doc    *openapi3.T
	router routers.Router
	// Absent names the Defects not found in this edition of the
	// specification (fixed upstream: their workaround can go).
	Absent []string
}

var (
	loadOnce sync.Once
	loaded   *Spec
	loadErr  error
)

// Load returns the specification, read once per test binary. It skips tb
// when the file is absent and fails it when the file does not load.
func Load(tb testing.TB) *Spec {
	tb.Helper()
	loadOnce.Do(func() { loaded, loadErr = load() })
	if errors.Is(loadErr, os.ErrNotExist) {
		tb.Skipf("spectest: YooKassa's OpenAPI specification is not at %s (it lives in shared/reference beside the repository): %v", RelPath, loadErr)
	}
	if loadErr != nil {
		tb.Fatalf("spectest: %v", loadErr)
	}
	return loaded
}

// Find returns the specification if it is at hand, without skipping or
// failing anything: for checks added to tests that do not depend on it.
// A file that is present but does not load panics, as a broken fixture.
func Find() (*Spec, bool) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	if errors.Is(loadErr, os.ErrNotExist) {
		return nil, false
	}
	if loadErr != nil {
		panic("spectest: " + loadErr.Error())
	}
	return loaded, true
}

// File is the path of the specification: $YOOKASSA_OPENAPI_SPEC, or RelPath
// from the repository's root, found by walking up from the working
// directory to the directory with go.mod.
func File() (string, error) {
	if f := os.Getenv(EnvFile); f != "" {
		return f, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, filepath.FromSlash(RelPath)), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: %w", os.ErrNotExist)
		}
		dir = parent
	}
}

func load() (*Spec, error) {
	file, err := File()
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", file, err)
	}
	absent := repair(doc)
	// Examples are documentation: several contradict their schemas, and
	// none is an answer of the API.
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &Spec{doc: doc, router: router, Absent: absent}, nil
}

// Doc is the parsed specification, with Defects repaired.
func (s *Spec) Doc() *openapi3.T { return s.doc }

// route finds the operation of method and an API path ("/payments/{id}" as
// sent, with or without the /v3 prefix).
func (s *Spec) route(method, apiPath string) (*routers.Route, map[string]string, *http.Request, error) {
	apiPath = "/" + strings.TrimPrefix(strings.TrimPrefix(apiPath, "/v3"), "/")
	u, err := url.Parse(specHost + "/v3" + apiPath)
	if err != nil {
		return nil, nil, nil, err
	}
	req := &http.Request{Method: method, URL: u, Header: http.Header{}}
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s %s: no such operation in the specification: %w", method, apiPath, err)
	}
	return route, params, req, nil
}

// ValidateResponse checks an answer of the API to method path (the path as
// sent, query string allowed): its status must be documented and its body
// must match the documented schema.
func (s *Spec) ValidateResponse(method, path string, status int, header http.Header, body []byte) error {
	p, query, _ := strings.Cut(path, "?")
	route, params, req, err := s.route(method, p)
	if err != nil {
		return err
	}
	req.URL.RawQuery = query
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: h,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s %s -> %d: %w", method, p, status, err)
	}
	return nil
}

// ValidateRequest checks a request to the API (its path, query, headers and
// body) against the specification. Authentication is not checked.
func (s *Spec) ValidateRequest(r *http.Request, body []byte) error {
	route, params, req, err := s.route(r.Method, r.URL.Path)
	if err != nil {
		return err
	}
	req.URL.RawQuery = r.URL.RawQuery
	req.Header = r.Header.Clone()
	req.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err)
	}
	return nil
}

// ValidateSchema checks a JSON value against the schema
// components/schemas/name, for example a notification's object against
// "Payment".
func (s *Spec) ValidateSchema(name string, body []byte) error {
	ref := s.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("no schema %q in the specification", name)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
