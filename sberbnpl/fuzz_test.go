package sberbnpl_test

import (
	"regexp"
	"testing"

	"github.com/creditpay/yookassa-go/sberbnpl"
)

// FuzzCheckPhone holds CheckPhone to YooKassa's pattern [0-9]{4,15},
// anchored, for any input.
func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"", "79000000000", "+79000000000", "790", "7900000000000000", "７9000000000", "7900\x00"} {
		f.Add(s)
	}
	pattern := regexp.MustCompile(`^[0-9]{4,15}$`)
	f.Fuzz(func(t *testing.T, phone string) {
		want := phone == "" || pattern.MatchString(phone)
		if got := sberbnpl.CheckPhone(phone) == nil; got != want {
			t.Fatalf("CheckPhone(%q) accepted %v, the pattern says %v", phone, got, want)
		}
	})
}
