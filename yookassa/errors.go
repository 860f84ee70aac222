package yookassa

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors, one per error code YooKassa documents. An *APIError
// matches the sentinel of its code with errors.Is; answers without
// YooKassa's error object are matched by HTTP status.
var (
	// ErrInvalidRequest: 400 invalid_request (also 405 and 415, which come
	// without an error object). Fix the request; a retry needs a new key.
	ErrInvalidRequest = errors.New("yookassa: invalid request")
	// ErrInvalidCredentials: 401 invalid_credentials, wrong shop ID, secret
	// key or OAuth token.
	ErrInvalidCredentials = errors.New("yookassa: invalid credentials")
	// ErrForbidden: 403 forbidden, the credentials are valid but lack the
	// right (for example, the payment method is not enabled for the shop).
	ErrForbidden = errors.New("yookassa: forbidden")
	// ErrNotFound: 404 not_found.
	ErrNotFound = errors.New("yookassa: not found")
	// ErrGone: 410 gone, the object existed and was removed.
	ErrGone = errors.New("yookassa: gone")
	// ErrTooManyRequests: 429 too_many_requests. The operation was not
	// performed; retrying later with the same key is safe.
	ErrTooManyRequests = errors.New("yookassa: too many requests")
	// ErrInternal: 500 internal_server_error (and other 5xx). The outcome of
	// a state-changing call is unknown; see ErrOutcomeUnknown.
	ErrInternal = errors.New("yookassa: internal server error")

	// ErrOutcomeUnknown is matched by errors that leave open whether
	// YooKassa performed the operation: retries exhausted on 5xx, 202 or
	// network errors, or the context ended while a request was in flight.
	// Retry with the key in the OutcomeUnknownError (or look the object up)
	// before doing anything else; a new key may charge twice.
	ErrOutcomeUnknown = errors.New("yookassa: outcome unknown")

	// ErrCursorCycle ends an iterator (Payments, Refunds, Receipts, ...)
	// whose pages lead back to a cursor it has already visited: the list
	// would otherwise be requested forever. The error names the cursor.
	ErrCursorCycle = errors.New("yookassa: the list's cursors form a cycle")

	// ErrOAuthRequired is returned, before anything is sent, by the webhook
	// calls of a client made with NewClient: YooKassa serves /webhooks only
	// to OAuth tokens (NewOAuthClient).
	ErrOAuthRequired = errors.New("yookassa: this endpoint requires an OAuth client")
)

// Error codes YooKassa puts in the code field of its error object.
const (
	CodeInvalidRequest      = "invalid_request"
	CodeInvalidCredentials  = "invalid_credentials"
	CodeForbidden           = "forbidden"
	CodeNotFound            = "not_found"
	CodeGone                = "gone"
	CodeTooManyRequests     = "too_many_requests"
	CodeInternalServerError = "internal_server_error"
)

// APIError is an answer from YooKassa other than 2xx, or a 202 "processing"
// answer that never turned final. Fields come from YooKassa's error object
// when the body carries one; 405 and 415 answers have only StatusCode and
// Body.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Type is "error" (or "processing" for 202).
	Type string
	// ID identifies the error at YooKassa; quote it to support.
	ID string
	// Code is the error code, for example "invalid_request".
	Code string
	// Description is YooKassa's English explanation.
	Description string
	// Parameter names the request field or header at fault.
	Parameter string
	// Reason is set for code "refusal" (a rule violation).
	Reason string
	// RetryAfter is how long YooKassa asked to wait before repeating the
	// request (retry_after, or the Retry-After header).
	RetryAfter time.Duration
	// IdempotenceKey is the key the request was sent with (empty for GET).
	IdempotenceKey string
	// Method and Path identify the call, for example "POST /payments".
	Method, Path string
	// Body holds the start of a body that was not YooKassa's JSON error
	// object (for example the HTML of a 405 page), at most 512 bytes.
	Body string
}

// Error describes the failure without any credential.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "yookassa: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	} else if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if e.Parameter != "" {
		b.WriteString(" (parameter " + e.Parameter + ")")
	}
	if e.Reason != "" {
		b.WriteString(" (reason " + e.Reason + ")")
	}
	if e.ID != "" {
		b.WriteString(" [error id " + e.ID + "]")
	}
	return b.String()
}

// Is matches the sentinel error of the code, or of the HTTP status when the
// answer had no code.
func (e *APIError) Is(target error) bool {
	switch e.Code {
	case CodeInvalidRequest:
		return target == ErrInvalidRequest
	case CodeInvalidCredentials:
		return target == ErrInvalidCredentials
	case CodeForbidden:
		return target == ErrForbidden
	case CodeNotFound:
		return target == ErrNotFound
	case CodeGone:
		return target == ErrGone
	case CodeTooManyRequests:
		return target == ErrTooManyRequests
	case CodeInternalServerError:
		return target == ErrInternal
	}
	switch {
	case e.StatusCode == http.StatusBadRequest, e.StatusCode == http.StatusMethodNotAllowed,
		e.StatusCode == http.StatusUnsupportedMediaType:
		return target == ErrInvalidRequest
	case e.StatusCode == http.StatusUnauthorized:
		return target == ErrInvalidCredentials
	case e.StatusCode == http.StatusForbidden:
		return target == ErrForbidden
	case e.StatusCode == http.StatusNotFound:
		return target == ErrNotFound
	case e.StatusCode == http.StatusGone:
		return target == ErrGone
	case e.StatusCode == http.StatusTooManyRequests:
		return target == ErrTooManyRequests
	case e.StatusCode >= 500:
		return target == ErrInternal
	}
	return false
}

// OutcomeUnknownError reports a state-changing call whose effect is unknown:
// the request may have reached YooKassa, but no final answer came back.
// Repeat the same call with WithIdempotenceKey(e.IdempotenceKey) and the same
// parameters: YooKassa then returns the result of the first request instead
// of performing the operation again (for 24 hours after the first request).
type OutcomeUnknownError struct {
	// IdempotenceKey is the key every attempt was sent with.
	IdempotenceKey string
	// Method and Path identify the call.
	Method, Path string
	// Attempts is how many requests were sent.
	Attempts int
	// Err is the last failure: an *APIError (5xx or 202), a network error, or
	// the context's error.
	Err error
}

// Error describes the failure and names the key to retry with.
func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("yookassa: %s %s: outcome unknown after %d attempt(s); retry with Idempotence-Key %s: %v",
		e.Method, e.Path, e.Attempts, e.IdempotenceKey, e.Err)
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the last failure, so errors.Is(err, context.DeadlineExceeded)
// and errors.As(err, &apiErr) still work.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// ValidationError is input refused before any request was sent.
type ValidationError struct {
	// Field is the path of the field at fault in the request's JSON, for
	// example "receipt.items[1].quantity".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns "yookassa: invalid <field>: <reason>".
func (e *ValidationError) Error() string {
	if e.Field == "" {
		return "yookassa: invalid request: " + e.Reason
	}
	return "yookassa: invalid " + e.Field + ": " + e.Reason
}
