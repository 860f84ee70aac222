package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -commission-vat 22 gives YooKassa's income since 2026; without it the
// simulator keeps the sber_loan guide's numbers.
func TestCommissionVATFlag(t *testing.T) {
	for _, tc := range []struct {
		args               []string
		loan, installments string
	}{
		{nil, "4825.00", "4342.50"},
		{[]string{"-commission-vat", "0"}, "4825.00", "4342.50"},
		{[]string{"-commission-vat", "22"}, "4786.50", "4307.85"},
	} {
		s := start(t, tc.args...)
		for option, want := range map[string]string{"loan": tc.loan, "installments_12": tc.installments} {
			status, p := s.call("POST", s.api+"/payments", "vat-"+option, `{"amount":{"value":"5000.00","currency":"RUB"},
			 "payment_method_data":{"type":"sber_loan"},"confirmation":{"type":"redirect","return_url":"https://shop.example/r"}}`)
			require.Equal(t, 200, status, "%v", p)
			status, p = s.call("POST", s.base+"/sim/payments/"+p["id"].(string)+"/confirm", "", `{"option":"`+option+`"}`)
			require.Equal(t, 200, status, "%v", p)
			assert.Equal(t, want, path(p, "income_amount", "value"), "%v %s", tc.args, option)
		}
	}
}

func TestCommissionVATFlagRefused(t *testing.T) {
	for _, args := range [][]string{{"-commission-vat", "abc"}, {"-commission-vat", "-22"}, {"-commission-vat", "100"}} {
		_, err := parseFlags(args, &syncBuffer{})
		assert.Error(t, err, "%v", args)
	}
	cfg, err := parseFlags([]string{"-commission-vat", "22"}, &syncBuffer{})
	require.NoError(t, err)
	assert.Equal(t, "22", cfg.vat.String())
}
