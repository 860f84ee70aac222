package redact

import (
	"fmt"
	"strings"
	"testing"
)

func TestReplaceEverySpelling(t *testing.T) {
	const secret = `Zk8/Qm+vR2=wX9-tail`
	for _, tc := range []struct{ name, text, want string }{
		{"raw", "auth Bearer " + secret + "!", "auth Bearer [x]!"},
		{"JSON short escape of the slash", `{"p":"Zk8\/Qm+vR2=wX9-tail"}`, `{"p":"[x]"}`},
		{"JSON \\u escapes, both cases", `Zk8\u002fQm\u002BvR2\u003dwX9-tail`, `[x]`},
		{"percent-encoded", `Zk8%2FQm%2bvR2%3DwX9-tail`, `[x]`},
		{"twice", secret + secret, "[x][x]"},
		{"absent", "nothing to see", "nothing to see"},
		{"a prefix only", "Zk8/Qm+vR2=wX9-tai", "Zk8/Qm+vR2=wX9-tai"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Replace(tc.text, "[x]", secret); got != tc.want {
				t.Fatalf("Replace(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

// A backslash in the secret is both a character and the start of an
// escape: every reading is followed, not only the first one tried.
func TestReplaceBackslashSecret(t *testing.T) {
	secret := `0000000\0`
	var esc strings.Builder
	for i := 0; i < len(secret); i++ {
		fmt.Fprintf(&esc, `\u%04X`, secret[i])
	}
	for _, text := range []string{secret, esc.String(), `0000000\\0`, `0000000\u005c0`, `0000000%5C0`} {
		if got := Replace(text, "[x]", secret); got != "[x]" {
			t.Errorf("Replace(%q) = %q", text, got)
		}
	}
}

func TestReplaceLongerSecretWins(t *testing.T) {
	got := Replace("Basic dXNlcjpwYXNz here", "[x]", "dXNlcjpwYXNz", "Basic dXNlcjpwYXNz")
	if got != "[x] here" {
		t.Fatalf("got %q", got)
	}
}

func FuzzReplace(f *testing.F) {
	f.Add("bad header Bearer Zk8/Qm+vR2=wX9-tail", "Zk8/Qm+vR2=wX9-tail")
	f.Add("0", "0000000\\0")
	f.Fuzz(func(t *testing.T, text, secret string) {
		if len(secret) < 4 || strings.ContainsAny(secret, "[]") {
			t.Skip("a secret the mark itself could spell")
		}
		if out := Replace(text, "[REDACTED]", secret); strings.Contains(out, secret) {
			t.Fatalf("secret survived: %q", out)
		}
		var esc, pct strings.Builder
		ascii := true
		for i := 0; i < len(secret); i++ {
			ascii = ascii && secret[i] < 0x80
			fmt.Fprintf(&esc, `\u%04x`, secret[i])
			fmt.Fprintf(&pct, `%%%02X`, secret[i])
		}
		for _, form := range []string{esc.String(), pct.String()} {
			if got := Replace(text+form+text, "[REDACTED]", secret); ascii && strings.Contains(got, form) {
				t.Fatalf("escaped secret %q survived: %q", form, got)
			}
		}
		if !strings.ContainsAny(text, `\%`) && !strings.Contains(text, secret) && Replace(text, "[REDACTED]", secret) != text {
			t.Fatalf("text without the secret changed: %q", text)
		}
	})
}

// An empty mark deletes the secret; the text must not come back whole
// because nothing was written before the first match.
func TestReplaceEmptyMark(t *testing.T) {
	for text, want := range map[string]string{
		"s3cr3t-token":       "",
		"s3cr3t-token tail":  " tail",
		"head s3cr3t-token":  "head ",
		`s3cr3t\u002dtoken!`: "!",
	} {
		if got := Replace(text, "", "s3cr3t-token"); got != want {
			t.Errorf("Replace(%q, \"\") = %q, want %q", text, got, want)
		}
	}
}
