// Package clientip finds the address an HTTP request comes from, for the
// source-address allowlists of the module's handlers (package notification
// for YooKassa's webhooks, package loanapproval for Yandex's calls).
//
// The immediate peer (r.RemoteAddr) is the source unless it is one of the
// trusted proxies the caller names. Then X-Forwarded-For is read: all its
// lines form one comma-separated list, walked from the right (the hops
// nearest to this server), and the right-most address that is not a trusted
// proxy is the source. Entries further left were written by whoever sent the
// request and are never believed. An entry that is not an address makes the
// source unknown, and the request foreign.
//
// Addresses are normalised before they are compared: an IPv4-mapped IPv6
// address (::ffff:185.71.76.5) is the IPv4 address it maps, and an IPv6 zone
// (%eth0) is dropped.
package clientip

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
)

// ErrBadForwardedFor is the reason a request with an unreadable
// X-Forwarded-For entry (in the part that is read) counts as foreign.
var ErrBadForwardedFor = errors.New("malformed X-Forwarded-For entry")

// ErrBadRemoteAddr is the reason a request whose peer address cannot be read
// counts as foreign.
var ErrBadRemoteAddr = errors.New("unreadable remote address")

// Normalize unmaps an IPv4-mapped IPv6 address and drops the zone, so that an
// address compares with the prefixes however the socket reported it.
func Normalize(a netip.Addr) netip.Addr {
	return a.Unmap().WithZone("")
}

// Contains reports whether one of prefixes (normalised with NormalizePrefix)
// contains addr. The zero Addr is in no prefix.
func Contains(prefixes []netip.Prefix, addr netip.Addr) bool {
	if !addr.IsValid() {
		return false
	}
	addr = Normalize(addr)
	for _, p := range prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// NormalizePrefix masks the host bits and turns an IPv4-mapped IPv6 prefix
// (::ffff:185.71.76.0/123) into the IPv4 prefix it maps (185.71.76.0/27),
// since addresses are unmapped before they are compared. ok is false for an
// invalid prefix.
func NormalizePrefix(p netip.Prefix) (netip.Prefix, bool) {
	if !p.IsValid() {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// ParseHostAddr reads an address as it appears in RemoteAddr or in an
// X-Forwarded-For entry: "185.71.76.5", "185.71.76.5:443", "2a02:5180::1",
// "[2a02:5180::1]" or "[2a02:5180::1]:443". The result is normalised.
func ParseHostAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return Normalize(ap.Addr()), true
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return Normalize(a), true
	}
	return netip.Addr{}, false
}

// Source returns the address r comes from and its immediate peer. The peer
// is r.RemoteAddr. When the peer is one of trusted (prefixes normalised with
// NormalizePrefix), the X-Forwarded-For lines are walked from the right and
// the first address that is not a trusted proxy is the source. If every
// listed address is a trusted proxy, the left-most one is the source; without
// the header, the peer is. An entry that is not an address makes the source
// unknown: the error is ErrBadForwardedFor (or ErrBadRemoteAddr for an
// unreadable peer).
func Source(r *http.Request, trusted []netip.Prefix) (source, peer netip.Addr, err error) {
	peer, ok := ParseHostAddr(r.RemoteAddr)
	if !ok {
		return netip.Addr{}, netip.Addr{}, ErrBadRemoteAddr
	}
	if len(trusted) == 0 || !Contains(trusted, peer) {
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
			a, ok := ParseHostAddr(rest[j+1:])
			if !ok {
				return netip.Addr{}, ErrBadForwardedFor
			}
			if !Contains(trusted, a) {
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
