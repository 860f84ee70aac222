package yookassatest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberbnpl"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// errorObject is YooKassa's error body.
type errorObject struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
	Parameter   string `json:"parameter,omitempty"`
	RetryAfter  int64  `json:"retry_after,omitempty"`
}

// apiError is YooKassa's error answer. The description is worded as
// YooKassa words it: a sentence with a capital letter and no Go package
// prefix ("sberloan: ", "yookassa: ").
func apiError(status int, code, parameter, format string, args ...any) answer {
	return answer{status, errorObject{Type: "error", ID: newID(), Code: code, Parameter: parameter,
		Description: wording(fmt.Sprintf(format, args...))}}
}

// goPrefix matches the package (and field) prefixes of Go error texts.
var goPrefix = regexp.MustCompile(`^(?:[a-z][a-z0-9]*: )+`)

// wording turns an error text into a description in YooKassa's style.
func wording(s string) string {
	s = goPrefix.ReplaceAllString(s, "")
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

func invalid(parameter, format string, args ...any) answer {
	return apiError(http.StatusBadRequest, yookassa.CodeInvalidRequest, parameter, format, args...)
}

func notFound(parameter, what string) answer {
	return apiError(http.StatusNotFound, yookassa.CodeNotFound, parameter, "%s not found or forbidden", what)
}

// validation turns the error of a check (a *yookassa.ValidationError, a
// rule of sber_loan or sber_bnpl) into YooKassa's 400 answer, naming the
// parameter at fault.
func validation(err error) answer {
	var (
		ve  *yookassa.ValidationError
		le  *sberloan.LimitError
		ble *sberbnpl.LimitError
		fe  *sberloan.FieldError
		bfe *sberbnpl.FieldError
	)
	switch {
	case errors.As(err, &ve):
		return invalid(ve.Field, "%s", ve.Reason)
	case errors.As(err, &le):
		return limit(string(yookassa.PaymentMethodSberLoan), le.Op, le.Field, le.Amount, le.Min, le.Max)
	case errors.As(err, &ble):
		return limit(string(yookassa.PaymentMethodSberBNPL), ble.Op, ble.Field, ble.Amount, ble.Min, ble.Max)
	case errors.As(err, &fe):
		return invalid(fe.Field, "Invalid parameter value: %s", fe.Reason)
	case errors.As(err, &bfe):
		return invalid(bfe.Field, "Invalid parameter value: %s", bfe.Reason)
	}
	if field, ok := ruleField(err); ok {
		return invalid(field, "%v", err)
	}
	return invalid("", "%v", err)
}

// limit is the answer to an amount outside a payment method's limits.
func limit(method, op, field string, amount, lo, hi decimal.Decimal) answer {
	bounds := fmt.Sprintf("from %s to %s RUB", lo.StringFixed(2), hi.StringFixed(2))
	switch op {
	case "capture":
		return invalid(field, "Illegal amount for capture: %s RUB; a %s payment can be captured for %s", amount.StringFixed(2), method, bounds)
	case "refund":
		return invalid(field, "Refund sum exceeded: %s RUB; a %s payment can be refunded for %s", amount.StringFixed(2), method, bounds)
	}
	return invalid(field, "Invalid amount: %s RUB is out of the range of payment method %s (%s)", amount.StringFixed(2), method, bounds)
}

// malformed is the answer to a body that is not the JSON of the request:
// YooKassa's words, naming the parameter when the decoder knows it.
func malformed(err error) answer {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
		ve        *yookassa.ValidationError
	)
	switch {
	case errors.As(err, &ve):
		return invalid(ve.Field, "Failed to parse request body: %s", ve.Reason)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return invalid(typeErr.Field, "Failed to parse request body: parameter %s has an invalid type (%s)", typeErr.Field, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return invalid("", "Failed to parse request body: malformed JSON at byte %d", syntaxErr.Offset)
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "json: ") {
		msg = msg[i+2:]
	}
	return invalid("", "Failed to parse request body: %s", msg)
}
