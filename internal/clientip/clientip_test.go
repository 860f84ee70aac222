package clientip

import (
	"errors"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContains(t *testing.T) {
	nets := []netip.Prefix{netip.MustParsePrefix("185.71.76.0/27"), netip.MustParsePrefix("2a02:5180::/32")}
	for addr, want := range map[string]bool{
		"185.71.76.0": true, "185.71.76.31": true, "185.71.76.32": false,
		"::ffff:185.71.76.5": true, "2a02:5180::1%eth0": true, "2a02:5181::1": false, "127.0.0.1": false,
	} {
		assert.Equal(t, want, Contains(nets, netip.MustParseAddr(addr)), addr)
	}
	assert.False(t, Contains(nets, netip.Addr{}), "the zero Addr")
	assert.False(t, Contains(nil, netip.MustParseAddr("185.71.76.1")), "no prefixes")
}

func TestSourceErrors(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	r := httptest.NewRequest("POST", "/", nil)
	r.RemoteAddr = "pipe"
	_, _, err := Source(r, trusted)
	assert.True(t, errors.Is(err, ErrBadRemoteAddr))

	r.RemoteAddr = "10.0.0.2:1"
	r.Header.Set("X-Forwarded-For", "185.71.76.5, nonsense")
	_, peer, err := Source(r, trusted)
	assert.True(t, errors.Is(err, ErrBadForwardedFor))
	assert.Equal(t, "10.0.0.2", peer.String())
}

func TestNormalizePrefix(t *testing.T) {
	p, ok := NormalizePrefix(netip.MustParsePrefix("::ffff:185.71.76.0/123"))
	require.True(t, ok)
	assert.Equal(t, netip.MustParsePrefix("185.71.76.0/27"), p)

	p, ok = NormalizePrefix(netip.MustParsePrefix("10.1.2.3/8"))
	require.True(t, ok)
	assert.Equal(t, netip.MustParsePrefix("10.0.0.0/8"), p)

	_, ok = NormalizePrefix(netip.Prefix{})
	assert.False(t, ok)
}

func TestParseHostAddr(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"185.71.76.5", "185.71.76.5"},
		{" 185.71.76.5 ", "185.71.76.5"},
		{"185.71.76.5:443", "185.71.76.5"},
		{"2a02:5180::1", "2a02:5180::1"},
		{"[2a02:5180::1]", "2a02:5180::1"},
		{"[2a02:5180::1]:8443", "2a02:5180::1"},
		{"[2a02:5180::1%eth0]:8443", "2a02:5180::1"},
		{"::ffff:185.71.76.5", "185.71.76.5"},
		{"[::ffff:185.71.76.5]:443", "185.71.76.5"},
		{"", ""},
		{"unknown", ""},
		{"185.71.76", ""},
		{"185.71.76.5:port", ""},
		{"[]", ""},
		{"_hidden", ""},
	}
	for _, tt := range tests {
		a, ok := ParseHostAddr(tt.in)
		if tt.want == "" {
			assert.False(t, ok, "%q", tt.in)
			continue
		}
		if assert.True(t, ok, "%q", tt.in) {
			assert.Equal(t, tt.want, a.String(), "%q", tt.in)
		}
	}
}

func TestSourceAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string // "" for an error
	}{
		{name: "no proxies: peer", remote: "185.71.76.5:5555", want: "185.71.76.5"},
		{name: "no proxies: header ignored", remote: "203.0.113.7:5555", xff: []string{"185.71.76.5"}, want: "203.0.113.7"},
		{name: "untrusted peer: header ignored", remote: "203.0.113.7:5555", xff: []string{"185.71.76.5"}, trusted: trusted, want: "203.0.113.7"},
		{name: "trusted peer, one hop", remote: "10.0.0.2:5555", xff: []string{"185.71.76.5"}, trusted: trusted, want: "185.71.76.5"},
		{name: "trusted chain", remote: "10.0.0.2:5555", xff: []string{"203.0.113.9, 185.71.76.5, 10.1.1.1", "10.2.2.2"}, trusted: trusted, want: "185.71.76.5"},
		{name: "spoofed left part", remote: "10.0.0.2:5555", xff: []string{"185.71.76.5, 203.0.113.9"}, trusted: trusted, want: "203.0.113.9"},
		{name: "ipv6 chain", remote: "[fd00::2]:5555", xff: []string{"2a02:5180::7,fd00::9"}, trusted: trusted, want: "2a02:5180::7"},
		{name: "entry with port", remote: "10.0.0.2:5555", xff: []string{"[2a02:5180::7]:443"}, trusted: trusted, want: "2a02:5180::7"},
		{name: "trusted peer, no header", remote: "10.0.0.2:5555", trusted: trusted, want: "10.0.0.2"},
		{name: "all entries trusted", remote: "10.0.0.2:5555", xff: []string{"10.9.9.9, 10.1.1.1"}, trusted: trusted, want: "10.9.9.9"},
		{name: "garbage entry", remote: "10.0.0.2:5555", xff: []string{"185.71.76.5, unknown"}, trusted: trusted},
		{name: "empty entry", remote: "10.0.0.2:5555", xff: []string{"185.71.76.5,,10.1.1.1"}, trusted: trusted},
		{name: "empty line", remote: "10.0.0.2:5555", xff: []string{"185.71.76.5", ""}, trusted: trusted},
		{name: "garbage left of the source is never read", remote: "10.0.0.2:5555", xff: []string{"junk, 185.71.76.5"}, trusted: trusted, want: "185.71.76.5"},
		{name: "bad remote address", remote: "pipe", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			src, _, err := Source(r, tt.trusted)
			if tt.want == "" {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, src.String())
		})
	}
}
