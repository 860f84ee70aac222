package yookassa

import (
	"context"
	"net/url"
)

// ShopStatus is the state of a shop or payout gateway.
type ShopStatus string

// Shop statuses.
const (
	// ShopStatusEnabled: connected to YooKassa, can take payments or make
	// payouts.
	ShopStatusEnabled ShopStatus = "enabled"
	// ShopStatusDisabled: cannot (not yet connected, closed, or suspended).
	ShopStatusDisabled ShopStatus = "disabled"
)

// Me is the shop's (or gateway's) settings: the answer of GET /me.
type Me struct {
	// AccountID is the shop or gateway ID.
	AccountID string `json:"account_id"`
	// Status says whether the shop or gateway can take payments or make
	// payouts.
	Status ShopStatus `json:"status"`
	// Test is true for a test shop.
	Test bool `json:"test"`
	// Fiscalization describes the shop's 54-FZ setup.
	Fiscalization *Fiscalization `json:"fiscalization,omitempty"`
	// FiscalizationEnabled is the deprecated form of Fiscalization.Enabled.
	FiscalizationEnabled *bool `json:"fiscalization_enabled,omitempty"`
	// PaymentMethods are the methods enabled for the shop.
	PaymentMethods []PaymentMethodType `json:"payment_methods,omitempty"`
	// ITN is the shop's taxpayer number.
	ITN string `json:"itn,omitempty"`
	// PayoutMethods are the payout methods of a gateway.
	PayoutMethods []string `json:"payout_methods,omitempty"`
	// Name is the shop's or gateway's name.
	Name string `json:"name,omitempty"`
	// PayoutBalance is the gateway's balance for payouts.
	PayoutBalance *Amount `json:"payout_balance,omitempty"`
}

// Fiscalization describes a shop's 54-FZ setup.
type Fiscalization struct {
	// Enabled is true if the shop sends receipts through YooKassa.
	Enabled bool `json:"enabled"`
	// Provider is the fiscal provider, for example "atol" or "avanpost".
	Provider string `json:"provider"`
}

// MeParams are the parameters of GET /me.
type MeParams struct {
	// OnBehalfOf asks for a seller's settings (split payments).
	OnBehalfOf string
}

// Me returns the settings of the shop the client is authenticated as
// (GET /me); params may be nil.
func (c *Client) Me(ctx context.Context, params *MeParams, opts ...CallOption) (*Me, error) {
	var q url.Values
	if params != nil && params.OnBehalfOf != "" {
		q = url.Values{"on_behalf_of": {params.OnBehalfOf}}
	}
	out := new(Me)
	if err := c.call(ctx, "GET", "/me", q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
