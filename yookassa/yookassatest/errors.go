package yookassatest

import (
	"errors"
	"fmt"
	"net/http"

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

func apiError(status int, code, parameter, format string, args ...any) answer {
	return answer{status, errorObject{Type: "error", ID: newID(), Code: code, Parameter: parameter, Description: fmt.Sprintf(format, args...)}}
}

func invalid(parameter, format string, args ...any) answer {
	return apiError(http.StatusBadRequest, yookassa.CodeInvalidRequest, parameter, format, args...)
}

func notFound(parameter, what string) answer {
	return apiError(http.StatusNotFound, yookassa.CodeNotFound, parameter, "%s not found or forbidden", what)
}

// validation turns a *yookassa.ValidationError (or any other error) into
// YooKassa's 400 answer.
func validation(err error) answer {
	var ve *yookassa.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, "%s", ve.Reason)
	}
	if field, ok := ruleField(err); ok {
		return invalid(field, "%v", err)
	}
	return invalid("", "%v", err)
}
