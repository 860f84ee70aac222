package yookassatest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
)

// controlCall posts body to the simulator's control API and decodes the
// JSON answer.
func controlCall(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return resp.StatusCode, out
}

func TestControlAPIOfTheResources(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	base := strings.TrimSuffix(s.URL(), "/v3") + "/sim"

	m, err := c.CreatePaymentMethod(ctx, bindCard())
	require.NoError(t, err)
	status, got := controlCall(t, base+"/payment_methods/"+m.ID+"/confirm", "")
	assert.Equal(t, 200, status)
	assert.Equal(t, "active", got["status"])
	assert.Equal(t, true, got["saved"])
	status, got = controlCall(t, base+"/payment_methods/"+m.ID+"/decline", "")
	assert.Equal(t, 400, status, "no longer pending")
	assert.Equal(t, "payment_method_id", got["parameter"])
	status, got = controlCall(t, base+"/payment_methods/22e12f66-000f-5000-8000-18db351245c7/confirm", "")
	assert.Equal(t, 404, status)
	assert.Equal(t, "not_found", got["code"])

	inv, err := c.CreateInvoice(ctx, invoice(true))
	require.NoError(t, err)
	status, got = controlCall(t, base+"/invoices/"+inv.ID+"/pay", "")
	require.Equal(t, 200, status)
	assert.Equal(t, "pending", got["status"])
	assert.Equal(t, map[string]any{"id": inv.ID}, got["invoice_details"])
	status, _ = controlCall(t, base+"/payments/"+got["id"].(string)+"/confirm", "")
	require.Equal(t, 200, status)
	assert.Equal(t, yookassa.InvoiceStatusSucceeded, getInvoice(t, c, inv.ID).Status)
	status, got = controlCall(t, base+"/invoices/"+inv.ID+"/pay", "")
	assert.Equal(t, 400, status)
	assert.Equal(t, "invoice_id", got["parameter"])

	status, got = controlCall(t, base+"/payouts/decline_next", `{"reason":"issuer_unavailable"}`)
	require.Equal(t, 200, status)
	assert.Equal(t, "issuer_unavailable", got["reason"])
	p, err := s.PayoutClient(fast).CreatePayout(ctx, cardPayout("10.00"))
	require.NoError(t, err)
	assert.Equal(t, yookassa.PayoutStatusCanceled, p.Status)
	assert.Equal(t, yookassa.ReasonIssuerUnavailable, p.CancellationDetails.Reason)
	status, got = controlCall(t, base+"/payouts/decline_next", `{}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "reason", got["parameter"])

	// Reset forgets the new objects too; the gateway's credentials stay.
	s.Reset()
	_, err = c.GetPaymentMethod(ctx, m.ID)
	requireAPIError(t, err, 404, "")
	_, err = c.GetInvoice(ctx, inv.ID)
	requireAPIError(t, err, 404, "")
	_, err = s.PayoutClient(fast).GetPayout(ctx, p.ID)
	requireAPIError(t, err, 404, "")
	_, err = s.PayoutClient(fast).ListSBPBanks(ctx)
	assert.NoError(t, err)
}
