package notification

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsYooKassaIP(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		// 185.71.76.0/27: .0 - .31
		{"185.71.76.0", true},
		{"185.71.76.31", true},
		{"185.71.76.32", false},
		{"185.71.75.255", false},
		// 185.71.77.0/27
		{"185.71.77.17", true},
		{"185.71.77.32", false},
		// 77.75.153.0/25: .0 - .127
		{"77.75.153.0", true},
		{"77.75.153.127", true},
		{"77.75.153.128", false},
		// 77.75.154.128/25: .128 - .255
		{"77.75.154.127", false},
		{"77.75.154.128", true},
		{"77.75.154.255", true},
		// single addresses
		{"77.75.156.11", true},
		{"77.75.156.35", true},
		{"77.75.156.12", false},
		{"77.75.156.34", false},
		// 2a02:5180::/32
		{"2a02:5180::", true},
		{"2a02:5180:0:1509::1", true},
		{"2a02:5180:ffff:ffff:ffff:ffff:ffff:ffff", true},
		{"2a02:5181::1", false},
		{"2a02:517f:ffff::1", false},
		// IPv4-mapped IPv6 and zones
		{"::ffff:185.71.76.5", true},
		{"::ffff:77.75.156.35", true},
		{"::ffff:203.0.113.7", false},
		{"2a02:5180::1%eth0", true},
		{"fe80::1%eth0", false},
		// unrelated addresses
		{"127.0.0.1", false},
		{"::1", false},
		{"10.0.0.1", false},
		{"185.71.76.5.example", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			addr, err := netip.ParseAddr(tt.addr)
			if err != nil {
				assert.False(t, tt.want)
				assert.False(t, IsYooKassaIP(addr), "the zero Addr")
				return
			}
			assert.Equal(t, tt.want, IsYooKassaIP(addr))
		})
	}
	assert.False(t, IsYooKassaIP(netip.Addr{}))
}

func TestYooKassaNetworksIsACopy(t *testing.T) {
	nets := YooKassaNetworks()
	require.Len(t, nets, 7)
	assert.Equal(t, netip.MustParsePrefix("185.71.76.0/27"), nets[0])
	assert.Equal(t, netip.MustParsePrefix("2a02:5180::/32"), nets[6])
	nets[0] = netip.MustParsePrefix("0.0.0.0/0")
	assert.False(t, IsYooKassaIP(netip.MustParseAddr("8.8.8.8")), "changing the copy changes nothing")
	assert.Equal(t, netip.MustParsePrefix("185.71.76.0/27"), YooKassaNetworks()[0])
}

func TestNormalizePrefix(t *testing.T) {
	p, ok := normalizePrefix(netip.MustParsePrefix("::ffff:185.71.76.0/123"))
	require.True(t, ok)
	assert.Equal(t, netip.MustParsePrefix("185.71.76.0/27"), p)

	p, ok = normalizePrefix(netip.MustParsePrefix("10.1.2.3/8"))
	require.True(t, ok)
	assert.Equal(t, netip.MustParsePrefix("10.0.0.0/8"), p)

	_, ok = normalizePrefix(netip.Prefix{})
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
		a, ok := parseHostAddr(tt.in)
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
			src, _, err := sourceAddr(r, tt.trusted)
			if tt.want == "" {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, src.String())
		})
	}
}
