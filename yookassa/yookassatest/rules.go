package yookassatest

import (
	"errors"

	"github.com/creditpay/yookassa-go/sberbnpl"
	"github.com/creditpay/yookassa-go/sberloan"
)

// ruleField returns the request field named by an error of a payment
// method's rules (packages sberloan and sberbnpl), which YooKassa reports
// as the parameter of its invalid_request answer.
func ruleField(err error) (field string, ok bool) {
	var (
		fe  *sberloan.FieldError
		le  *sberloan.LimitError
		bfe *sberbnpl.FieldError
		ble *sberbnpl.LimitError
	)
	switch {
	case errors.As(err, &fe):
		return fe.Field, true
	case errors.As(err, &le):
		return le.Field, true
	case errors.As(err, &bfe):
		return bfe.Field, true
	case errors.As(err, &ble):
		return ble.Field, true
	}
	return "", false
}
