package sberloan_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOption(t *testing.T) {
	valid := []struct {
		in     string
		months int
	}{
		{"loan", 0},
		{"installments_1", 1},
		{"installments_3", 3},
		{"installments_12", 12},
		{"installments_36", 36},
		{"installments_120", 120},
	}
	for _, tc := range valid {
		t.Run(tc.in, func(t *testing.T) {
			o, err := sberloan.ParseOption(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.in, string(o))
			months, ok := o.Installments()
			assert.Equal(t, tc.months, months)
			assert.Equal(t, tc.months > 0, ok)
			assert.Equal(t, tc.in == "loan", o.IsLoan())
			assert.True(t, o.Valid())
		})
	}

	invalid := []string{
		"", "Loan", "LOAN", " loan", "loan ", "loans", "credit",
		"installments", "installments_", "installments_0", "installments_00",
		"installments_007", "installments_012", "installments_12x", "installments_x12",
		"installments_-3", "installments_+3", "installments_ 3", "installments_3 ",
		"Installments_3", "installments-3", "installments_1.5", "installments_121",
		"installments_999", "installments_1000", "installments_99999999999999999999",
		"installments_１２", // full-width digits
		"loan\x00", "installments_12\n",
	}
	for _, in := range invalid {
		t.Run(strconv.Quote(in), func(t *testing.T) {
			o, err := sberloan.ParseOption(in)
			require.Error(t, err)
			assert.Empty(t, o)
			assert.ErrorIs(t, err, sberloan.ErrInvalidOption)
			var oe *sberloan.FieldError
			require.True(t, errors.As(err, &oe))
			assert.Equal(t, "loan_option", oe.Field)
			assert.Equal(t, sberloan.ErrInvalidOption, oe.Kind)
			assert.NotEmpty(t, oe.Reason)
			_, ok := sberloan.Option(in).Installments()
			assert.False(t, ok, "Installments must agree with ParseOption")
			assert.False(t, sberloan.Option(in).Valid())
		})
	}
}

func TestInstallmentsOption(t *testing.T) {
	assert.Equal(t, sberloan.Option("installments_12"), sberloan.InstallmentsOption(12))
	months, ok := sberloan.InstallmentsOption(6).Installments()
	assert.True(t, ok)
	assert.Equal(t, 6, months)
	for _, bad := range []int{0, -3, sberloan.MaxInstallmentMonths + 1} {
		_, err := sberloan.ParseOption(string(sberloan.InstallmentsOption(bad)))
		assert.ErrorIs(t, err, sberloan.ErrInvalidOption, "months %d", bad)
	}
}

func FuzzParseOption(f *testing.F) {
	for _, s := range []string{"loan", "installments_12", "installments_0", "installments_", "Loan",
		"installments_12x", " loan", "installments_-3", "installments_007", "installments_120", "installments_121"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := sberloan.ParseOption(s)
		months, ok := sberloan.Option(s).Installments()
		if err != nil {
			if o != "" {
				t.Fatalf("ParseOption(%q) returned %q with an error", s, o)
			}
			if !errors.Is(err, sberloan.ErrInvalidOption) {
				t.Fatalf("ParseOption(%q): error %v does not match ErrInvalidOption", s, err)
			}
			if ok {
				t.Fatalf("Installments(%q) = %d, true but ParseOption refuses it", s, months)
			}
			return
		}
		if string(o) != s {
			t.Fatalf("ParseOption(%q) = %q: does not round-trip", s, o)
		}
		if o.IsLoan() {
			if ok || months != 0 {
				t.Fatalf("loan reports installments %d, %v", months, ok)
			}
			return
		}
		if !ok || months < 1 || months > sberloan.MaxInstallmentMonths {
			t.Fatalf("Installments(%q) = %d, %v", s, months, ok)
		}
		if sberloan.InstallmentsOption(months) != o {
			t.Fatalf("InstallmentsOption(%d) = %q, want %q", months, sberloan.InstallmentsOption(months), o)
		}
	})
}
