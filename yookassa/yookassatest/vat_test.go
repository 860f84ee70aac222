package yookassatest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func TestCommissionVAT(t *testing.T) {
	cases := []struct {
		name               string
		opts               []yookassatest.Option
		loan, installments string
	}{
		{"default: no VAT, the guide's numbers", nil, "4825.00", "4342.50"},
		{"VAT 0", []yookassatest.Option{yookassatest.WithCommissionVAT(dec("0"))}, "4825.00", "4342.50"},
		{"VAT 22 since 2026", []yookassatest.Option{yookassatest.WithCommissionVAT(dec("22"))}, "4786.50", "4307.85"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := newSim(t, tc.opts...)
			loan := create(t, c, sberLoan("5000.00", true))
			require.NoError(t, s.Confirm(loan.ID, "loan"))
			assert.Equal(t, tc.loan, get(t, c, loan.ID).IncomeAmount.Value.StringFixed(2))

			inst := create(t, c, sberLoan("5000.00", false))
			require.NoError(t, s.Confirm(inst.ID, "installments_12"))
			assert.Equal(t, tc.installments, get(t, c, inst.ID).IncomeAmount.Value.StringFixed(2), "on hold")
			p, err := c.CapturePayment(context.Background(), inst.ID, nil)
			require.NoError(t, err)
			assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
			assert.Equal(t, tc.installments, p.IncomeAmount.Value.StringFixed(2), "captured")

			// The simulator's config reads its own payments the same way.
			pur, err := s.LoanConfig().Read(p)
			require.NoError(t, err)
			assert.Equal(t, tc.installments, pur.Income.StringFixed(2))
		})
	}
}
