package notification

import (
	"errors"
	"net/http"
	"net/netip"
	"slices"
	"strings"
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

// normalizeAddr unmaps IPv4-mapped IPv6 addresses and drops the zone, so that
// an address compares with the prefixes however the socket reported it.
func normalizeAddr(a netip.Addr) netip.Addr {
	return a.Unmap().WithZone("")
}

// containsAddr reports whether one of prefixes (normalised with
// normalizePrefix) contains addr.
func containsAddr(prefixes []netip.Prefix, addr netip.Addr) bool {
	if !addr.IsValid() {
		return false
	}
	addr = normalizeAddr(addr)
	for _, p := range prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// normalizePrefix masks the host bits and turns an IPv4-mapped IPv6 prefix
// (::ffff:185.71.76.0/123) into the IPv4 prefix it maps (185.71.76.0/27),
// since addresses are unmapped before they are compared. ok is false for an
// invalid prefix.
func normalizePrefix(p netip.Prefix) (netip.Prefix, bool) {
	if !p.IsValid() {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// errBadForwardedFor is the reason a request with an unreadable
// X-Forwarded-For entry counts as foreign.
var errBadForwardedFor = errors.New("malformed X-Forwarded-For entry")

// errBadRemoteAddr is the reason a request whose peer address cannot be read
// counts as foreign.
var errBadRemoteAddr = errors.New("unreadable remote address")

// parseHostAddr reads an address as it appears in RemoteAddr or in an
// X-Forwarded-For entry: "185.71.76.5", "185.71.76.5:443", "2a02:5180::1",
// "[2a02:5180::1]" or "[2a02:5180::1]:443". The result is normalised.
func parseHostAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return normalizeAddr(ap.Addr()), true
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return normalizeAddr(a), true
	}
	return netip.Addr{}, false
}

// sourceAddr returns the address a request comes from and its immediate
// peer. The peer is r.RemoteAddr. When the peer is one of trusted, the
// X-Forwarded-For header lines are read as one comma-separated list and
// walked from the right; the first address that is not a trusted proxy is
// the source. If every listed address is a trusted proxy, the left-most one
// is the source; without the header, the peer is. An entry that is not an
// address makes the source unknown (an error), and the request foreign.
func sourceAddr(r *http.Request, trusted []netip.Prefix) (source, peer netip.Addr, err error) {
	peer, ok := parseHostAddr(r.RemoteAddr)
	if !ok {
		return netip.Addr{}, netip.Addr{}, errBadRemoteAddr
	}
	if len(trusted) == 0 || !containsAddr(trusted, peer) {
		return peer, peer, nil
	}
	lines := r.Header.Values("X-Forwarded-For")
	if len(lines) == 0 {
		return peer, peer, nil
	}
	source, err = forwardedSource(lines, trusted)
	return source, peer, err
}

// forwardedSource walks X-Forwarded-For lines from the right (the last line
// holds the hops nearest to this server) and returns the right-most address
// that is not one of trusted.
func forwardedSource(lines []string, trusted []netip.Prefix) (netip.Addr, error) {
	var last netip.Addr
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for {
			j := strings.LastIndexByte(rest, ',')
			a, ok := parseHostAddr(rest[j+1:])
			if !ok {
				return netip.Addr{}, errBadForwardedFor
			}
			if !containsAddr(trusted, a) {
				return a, nil
			}
			last = a
			if j < 0 {
				break
			}
			rest = rest[:j]
		}
	}
	return last, nil
}
