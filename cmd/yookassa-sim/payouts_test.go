package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The payout gateway's credentials, by flag, reach payouts and SBP banks;
// the shop's do not.
func TestPayoutGatewayFlags(t *testing.T) {
	s := start(t, "-agent-id", "777000", "-payout-secret-key", "gw_secret")
	get := func(user, pass string) (int, string) {
		req, err := http.NewRequest("GET", s.api+"/sbp_banks", nil)
		require.NoError(t, err)
		req.SetBasicAuth(user, pass)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	status, body := get("777000", "gw_secret")
	assert.Equal(t, 200, status, body)
	assert.Contains(t, body, `"bank_id":"100000000111"`)
	status, _ = get("100500", "test_secret")
	assert.Equal(t, 403, status, "the shop's credentials")
	status, _ = get("777000", "wrong")
	assert.Equal(t, 401, status)
	assert.False(t, strings.Contains(s.stderr.String(), "gw_secret"), "the key is never logged")
}
