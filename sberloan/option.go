package sberloan

import (
	"fmt"
	"strconv"
	"strings"
)

// Option is the credit option a buyer chose, as YooKassa reports it in
// payment_method.loan_option: "loan" for a consumer loan or
// "installments_N" for an installment plan over N months.
type Option string

// OptionLoan is the consumer loan: the buyer repays the bank with interest,
// the payment amount does not change and there is no discount.
const OptionLoan Option = "loan"

// MaxInstallmentMonths is the largest N that [ParseOption] accepts in
// "installments_N". YooKassa does not document a range; SberBank's plans are
// far shorter, so ten years only keeps absurd values out.
const MaxInstallmentMonths = 120

const installmentsPrefix = "installments_"

// InstallmentsOption returns the option "installments_N" for an installment
// plan of the given number of months. It does not check months: a value
// outside 1..MaxInstallmentMonths gives an option that [ParseOption] and
// [Config.Validate] refuse.
func InstallmentsOption(months int) Option {
	return Option(installmentsPrefix + strconv.Itoa(months))
}

// ParseOption parses a loan option: exactly "loan" or "installments_N" with
// N a decimal number from 1 to [MaxInstallmentMonths] without sign, spaces
// or leading zeros (the pattern ^(loan|installments_[1-9][0-9]*)$). Case
// matters. Anything else is a *[FieldError] of kind [ErrInvalidOption].
func ParseOption(s string) (Option, error) {
	if s == string(OptionLoan) {
		return OptionLoan, nil
	}
	if _, err := parseMonths(s); err != nil {
		return "", err
	}
	return Option(s), nil
}

// parseMonths returns N of a well-formed "installments_N".
func parseMonths(s string) (int, error) {
	digits, ok := strings.CutPrefix(s, installmentsPrefix)
	if !ok {
		return 0, optionError(s, `want "loan" or "installments_N"`)
	}
	if digits == "" {
		return 0, optionError(s, "no number of months")
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, optionError(s, "the number of months must be decimal digits only")
		}
	}
	if digits[0] == '0' {
		return 0, optionError(s, "the number of months must not start with 0")
	}
	if len(digits) > 3 {
		return 0, optionError(s, "more than "+strconv.Itoa(MaxInstallmentMonths)+" months")
	}
	n, _ := strconv.Atoi(digits) // at most three digits: cannot fail
	if n > MaxInstallmentMonths {
		return 0, optionError(s, "more than "+strconv.Itoa(MaxInstallmentMonths)+" months")
	}
	return n, nil
}

func optionError(s, reason string) error {
	return &FieldError{Kind: ErrInvalidOption, Field: "loan_option", Reason: fmt.Sprintf("%.40q: %s", s, reason)}
}

// Installments returns the number of months of an installment plan. ok is
// false for "loan" and for anything [ParseOption] would refuse.
func (o Option) Installments() (months int, ok bool) {
	n, err := parseMonths(string(o))
	if err != nil {
		return 0, false
	}
	return n, true
}

// IsLoan reports whether o is the consumer loan ("loan").
func (o Option) IsLoan() bool { return o == OptionLoan }

// Valid reports whether [ParseOption] accepts o.
func (o Option) Valid() bool {
	_, err := ParseOption(string(o))
	return err == nil
}
