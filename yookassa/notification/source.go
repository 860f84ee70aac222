package notification

import (
	"net/http"
	"net/netip"
	"slices"

	"github.com/creditpay/yookassa-go/internal/clientip"
)

// yooKassaNetworks are the addresses YooKassa documents as the sources of
// its notifications.
var yooKassaNetworks = []netip.Prefix{
	netip.MustParsePrefix("185.71.76.0/27"),
	netip.MustParsePrefix("185.71.77.0/27"),
	netip.MustParsePrefix("77.75.153.0/25"),
	netip.MustParsePrefix("77.75.154.128/25"),
	netip.MustParsePrefix("77.75.156.11/32"),
	netip.MustParsePrefix("77.75.156.35/32"),
	netip.MustParsePrefix("2a02:5180::/32"),
}

// YooKassaNetworks returns the networks YooKassa sends notifications from,
// as documented: 185.71.76.0/27, 185.71.77.0/27, 77.75.153.0/25,
// 77.75.154.128/25, 77.75.156.11/32, 77.75.156.35/32 and 2a02:5180::/32.
// The slice is a copy; change it freely and pass it to WithAllowedSources
// when YooKassa publishes a new list before this package catches up.
func YooKassaNetworks() []netip.Prefix {
	return slices.Clone(yooKassaNetworks)
}

// IsYooKassaIP reports whether addr belongs to one of YooKassa's
// notification networks (YooKassaNetworks). An IPv4-mapped IPv6 address
// (::ffff:185.71.76.5) counts as the IPv4 address it maps, and an IPv6 zone
// (%eth0) is ignored. The zero Addr is not YooKassa's.
func IsYooKassaIP(addr netip.Addr) bool {
	return containsAddr(yooKassaNetworks, addr)
}

// The address arithmetic and the X-Forwarded-For walk live in
// internal/clientip, shared with package loanapproval; these names keep the
// package's own vocabulary.

// containsAddr reports whether one of prefixes (normalised with
// normalizePrefix) contains addr.
func containsAddr(prefixes []netip.Prefix, addr netip.Addr) bool {
	return clientip.Contains(prefixes, addr)
}

// normalizePrefix masks the host bits and unmaps an IPv4-mapped IPv6 prefix;
// ok is false for an invalid prefix.
func normalizePrefix(p netip.Prefix) (netip.Prefix, bool) {
	return clientip.NormalizePrefix(p)
}

// parseHostAddr reads an address as it appears in RemoteAddr or in an
// X-Forwarded-For entry; the result is normalised.
func parseHostAddr(s string) (netip.Addr, bool) {
	return clientip.ParseHostAddr(s)
}

// sourceAddr returns the address a request comes from and its immediate
// peer, believing X-Forwarded-For only from trusted proxies and walking it
// from the right (see WithTrustedProxies). An entry that is not an address
// makes the source unknown (an error), and the request foreign.
func sourceAddr(r *http.Request, trusted []netip.Prefix) (source, peer netip.Addr, err error) {
	return clientip.Source(r, trusted)
}
