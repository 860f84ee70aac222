package sberloan_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// Every error of a rule is exactly one of the package's error types, its
// kind is told by errors.Is alone, and Unwrap returns a stored value.
func TestErrorIdiom(t *testing.T) {
	c := seedConfig()
	wrongTariff := sberloan.Config{Tariffs: map[sberloan.Option]decimal.Decimal{"installments_12": d("12")}}
	_, readErr := wrongTariff.Read(loadPayment(t, instJSON))
	_, planErr := c.PlanCapture(waiting(t, instJSON), &yookassa.ReceiptData{Items: []yookassa.ReceiptItem{
		{Description: "Other", Amount: rub("6000"), VatCode: 1, Quantity: d("1")}}}, sberloan.Full())
	_, pendingErr := c.Read(loadPayment(t, "payment_pending.json"))
	cases := []struct {
		name string
		err  error
		kind error
	}{
		{"limit", c.CheckAmount(rub("3299.99")), sberloan.ErrLimit},
		{"currency", c.CheckAmount(yookassa.Amount{Value: d("5000"), Currency: "USD"}), sberloan.ErrCurrency},
		{"not accepted", sberloan.CheckRequest(&yookassa.PaymentRequest{SavePaymentMethod: true}), sberloan.ErrNotAccepted},
		{"config", sberloan.Config{CommissionVATPercent: d("-1")}.Validate(), sberloan.ErrConfig},
		{"option", func() error { _, err := sberloan.ParseOption("credit"); return err }(), sberloan.ErrInvalidOption},
		{"payment", pendingErr, sberloan.ErrNotPaid},
		{"discount", readErr, sberloan.ErrDiscountMismatch},
		{"receipt", planErr, sberloan.ErrReceipt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, tc.err)
			assert.ErrorIs(t, tc.err, tc.kind)
			assert.Same(t, tc.kind, errors.Unwrap(tc.err), "Unwrap returns the kind itself, every time")
			var (
				fe *sberloan.FieldError
				le *sberloan.LimitError
				pe *sberloan.PaymentError
				de *sberloan.DiscountError
				re *sberloan.ReceiptError
				ve *yookassa.ValidationError
			)
			matches := 0
			for _, ok := range []bool{errors.As(tc.err, &fe), errors.As(tc.err, &le), errors.As(tc.err, &pe),
				errors.As(tc.err, &de), errors.As(tc.err, &re), errors.As(tc.err, &ve)} {
				if ok {
					matches++
				}
			}
			assert.Equal(t, 1, matches, "an errors.As switch does not depend on the order of its cases: %v", tc.err)
			assert.NotErrorIs(t, tc.err, yookassa.ErrForbidden)
		})
	}
}
