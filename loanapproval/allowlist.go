package loanapproval

import (
	"errors"
	"net/http"
	"net/netip"

	"github.com/creditpay/yookassa-go/internal/clientip"
)

// Yandex calls a bank's endpoint from an address range it gives the bank on
// request. The handler can refuse every other source; the check is off by
// default, because the range is not published.

// WithAllowedSources turns on the source-address allowlist: a request whose
// source is not in one of prefixes is answered 403 before its token or body
// is looked at. Pass the ranges Yandex gave the bank. The source is the peer
// address (r.RemoteAddr) unless the peer is a trusted proxy
// ([WithTrustedProxies]). IPv4-mapped IPv6 prefixes are read as the IPv4
// prefixes they map; invalid prefixes are ignored, and a list with no valid
// prefix refuses every request. Several calls add up.
func WithAllowedSources(prefixes ...netip.Prefix) HandlerOption {
	return func(c *handlerConfig) {
		c.sources.on = true
		c.sources.allowed = appendPrefixes(c.sources.allowed, prefixes)
	}
}

// WithTrustedProxies names the reverse proxies (load balancers, CDN edges)
// in front of the handler, for [WithAllowedSources]. When the peer is one of
// them, the source is read from X-Forwarded-For: all its lines form one
// comma-separated list, walked from the right, and the right-most address
// that is not a trusted proxy is the source. Entries further left were
// written by whoever sent the request and are never believed; an entry that
// is not an address makes the request foreign. Without this option the
// header is ignored, since anyone can send it. The walk is the one package
// notification uses for YooKassa's webhooks.
func WithTrustedProxies(prefixes ...netip.Prefix) HandlerOption {
	return func(c *handlerConfig) {
		c.sources.trusted = appendPrefixes(c.sources.trusted, prefixes)
	}
}

func appendPrefixes(dst, in []netip.Prefix) []netip.Prefix {
	for _, p := range in {
		if np, ok := clientip.NormalizePrefix(p); ok {
			dst = append(dst, np)
		}
	}
	return dst
}

// sourceFilter is the handler's source-address allowlist.
type sourceFilter struct {
	on      bool
	allowed []netip.Prefix
	trusted []netip.Prefix
}

const msgForeignSource = "source address not allowed"

var errForeignSource = errors.New("source is not an allowed address")

// refuseForeign answers 403 to a request from outside the allowlist and
// reports whether it did. With the allowlist off it does nothing.
func (h *handler) refuseForeign(w http.ResponseWriter, r *http.Request) bool {
	f := &h.cfg.sources
	if !f.on {
		return false
	}
	source, peer, err := clientip.Source(r, f.trusted)
	if err == nil && clientip.Contains(f.allowed, source) {
		return false
	}
	if err == nil {
		err = errForeignSource
	}
	h.cfg.logger.Warn("loanapproval: request from a foreign address refused",
		"source", addrString(source), "peer", addrString(peer), "reason", err.Error())
	id := r.URL.Query().Get("search_id")
	if !ValidSearchID(id) {
		id = ""
	}
	writeError(w, http.StatusForbidden, ErrorBody{SearchID: id, Message: msgForeignSource})
	return true
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	return a.String()
}
