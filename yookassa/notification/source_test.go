package notification

import (
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
