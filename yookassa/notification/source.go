package notification

import (
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
	return clientip.Contains(yooKassaNetworks, addr)
}
