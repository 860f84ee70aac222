package leaktest

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

type plain struct{ Phone string }

type hidden struct{ Phone string }

func (hidden) Format(f fmt.State, _ rune) { fmt.Fprint(f, "hidden{Phone:[redacted]}") }
func (hidden) LogValue() slog.Value       { return slog.StringValue("[redacted]") }

func TestLeaksFindsEveryPrint(t *testing.T) {
	const phone = "79001234567"
	p := plain{Phone: phone}
	found := strings.Join(Leaks([]string{phone}, p, &p), "\n")
	for _, how := range append(Verbs(), "slog text", "slog json") {
		for _, typ := range []string{"leaktest.plain", "*leaktest.plain"} {
			if !strings.Contains(found, typ+" with "+how+": "+phone) {
				t.Errorf("%s printed with %s was not reported; found:\n%s", typ, how, found)
			}
		}
	}
	h := hidden{Phone: phone}
	if got := Leaks([]string{phone}, h, &h); got != nil {
		t.Errorf("a value that hides its phone was reported: %q", got)
	}
}

func TestFormsSpellTheSecret(t *testing.T) {
	want := []string{"ab", "6162", "6162", "97 98"}
	got := Forms("ab")
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Forms(%q) = %q, want %q", "ab", got, want)
	}
}
