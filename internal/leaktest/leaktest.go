// Package leaktest prints values every way a program can, for the tests
// that prove card data, secrets and personal data stay out of prints and
// logs.
package leaktest

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sort"
	"strings"
)

// Verbs returns the fmt verbs a value is printed with.
func Verbs() []string { return []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} }

// Prints returns v printed with each of Verbs and logged through slog's
// text and JSON handlers, keyed by the verb or the handler's name.
func Prints(v any) map[string]string {
	verbs := Verbs()
	out := make(map[string]string, len(verbs)+2)
	for _, verb := range verbs {
		out[verb] = fmt.Sprintf(verb, v)
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("value", "v", v)
		out[name] = b.String()
	}
	return out
}

// Forms returns the spellings of secret a print could carry: as it is,
// hex-encoded in either case (%x, %X) and as decimal bytes (%v of a
// []byte).
func Forms(secret string) []string {
	h := hex.EncodeToString([]byte(secret))
	return []string{secret, h, strings.ToUpper(h), strings.Trim(fmt.Sprint([]byte(secret)), "[]")}
}

// Leaks returns, for each secret found in any form in any print of the
// values, where it was found ("*yookassa.Payment with %s: 79001234567");
// nil when nothing leaks. Pass a value and a pointer to it: fmt treats the
// two differently.
func Leaks(secrets []string, values ...any) []string {
	var found []string
	for _, v := range values {
		for how, text := range Prints(v) {
			for _, s := range secrets {
				for _, form := range Forms(s) {
					if strings.Contains(text, form) {
						found = append(found, fmt.Sprintf("%T with %s: %s", v, how, s))
						break
					}
				}
			}
		}
	}
	sort.Strings(found)
	return found
}
