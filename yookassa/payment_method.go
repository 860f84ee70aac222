package yookassa

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
)

// PaymentMethodRequest is the body of POST /payment_methods: it saves a
// buyer's bank card or SBP account for automatic payments (and cards for
// payouts) without charging anything. The buyer confirms on YooKassa's page
// (Confirmation type redirect) or, for sbp, in the bank app through a link
// the merchant shows (type qr).
type PaymentMethodRequest struct {
	// Type is the method to save: PaymentMethodBankCard or
	// PaymentMethodSBP; required.
	Type PaymentMethodType `json:"type"`
	// Card is raw card data (bank_card), only if the merchant collects cards
	// itself, which needs PCI DSS certification. Never printed or logged in
	// full.
	Card *CardData `json:"card,omitempty"`
	// Holder chooses the sub-account (GatewayID) the method is saved for.
	Holder *Recipient `json:"holder,omitempty"`
	// ClientIP is the buyer's IP address.
	ClientIP string `json:"client_ip,omitempty"`
	// Confirmation is how the buyer confirms: redirect (with ReturnURL, and
	// optionally Enforce and Locale) or, for sbp, qr.
	Confirmation *Confirmation `json:"confirmation,omitempty"`
	// Metadata is the merchant's data (up to 16 keys of 32 characters,
	// values up to 512). YooKassa's guides send it; its specification does
	// not list it.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Format prints the request as its log form, for every verb.
func (r PaymentMethodRequest) Format(f fmt.State, _ rune) {
	printLogValue(f, "PaymentMethodRequest", r.LogValue())
}

// LogValue logs the request without the card data.
func (r PaymentMethodRequest) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("type", string(r.Type))}
	if r.Card != nil {
		attrs = append(attrs, slog.String("card", fmt.Sprint(*r.Card)))
	}
	if r.Confirmation != nil {
		attrs = append(attrs, slog.String("confirmation", string(r.Confirmation.Type)))
	}
	return slog.GroupValue(attrs...)
}

// Validate checks the request: type bank_card or sbp, card data only for
// bank_card (14-19 digit number, YYYY, MM, 3-4 digit CSC, cardholder up to
// 26), the holder's gateway_id, the client IP, the confirmation (redirect
// with a return_url up to 2048 characters, or qr for sbp; locale ru_RU or
// en_US) and the metadata limits. CreatePaymentMethod calls it before
// sending.
func (r *PaymentMethodRequest) Validate() error {
	switch r.Type {
	case PaymentMethodBankCard:
		if r.Card != nil {
			if err := r.Card.validate("card."); err != nil {
				return err
			}
		}
	case PaymentMethodSBP:
		if r.Card != nil {
			return &ValidationError{Field: "card", Reason: "is sent only for type bank_card"}
		}
	case "":
		return &ValidationError{Field: "type", Reason: "required"}
	default:
		return &ValidationError{Field: "type", Reason: "must be bank_card or sbp"}
	}
	if r.Holder != nil {
		if r.Holder.GatewayID == "" {
			return &ValidationError{Field: "holder.gateway_id", Reason: "required when holder is set"}
		}
		if r.Holder.AccountID != "" {
			return &ValidationError{Field: "holder.account_id", Reason: "is set by YooKassa; send only gateway_id"}
		}
	}
	if r.ClientIP != "" {
		if _, err := netip.ParseAddr(r.ClientIP); err != nil {
			return &ValidationError{Field: "client_ip", Reason: "not an IPv4 or IPv6 address"}
		}
	}
	if c := r.Confirmation; c != nil {
		switch c.Type {
		case ConfirmationRedirect:
		case ConfirmationQR:
			if r.Type != PaymentMethodSBP {
				return &ValidationError{Field: "confirmation.type", Reason: "qr is available only for type sbp"}
			}
			if c.Enforce || c.Locale != "" {
				return &ValidationError{Field: "confirmation.type", Reason: "enforce and locale are sent only with redirect"}
			}
		case "":
			return &ValidationError{Field: "confirmation.type", Reason: "required"}
		default:
			return &ValidationError{Field: "confirmation.type", Reason: "must be redirect (or qr for sbp)"}
		}
		if err := c.validate("confirmation."); err != nil {
			return err
		}
	}
	return checkMetadata("metadata", r.Metadata)
}

// PaymentMethodHolder is the shop (and sub-account) a method is saved for.
type PaymentMethodHolder struct {
	// AccountID is the shop's ID.
	AccountID string `json:"account_id"`
	// GatewayID is the sub-account's ID.
	GatewayID string `json:"gateway_id,omitempty"`
}

// SavedPaymentMethod is a saved payment method: the answer of
// POST /payment_methods and GET /payment_methods/{id}, and the object of the
// payment_method.active notification. It can be used (as
// PaymentRequest.PaymentMethodID or PayoutRequest.PaymentMethodID) once
// Usable reports true.
type SavedPaymentMethod struct {
	// Type is bank_card or sbp.
	Type PaymentMethodType `json:"type"`
	// ID is the method's identifier, to send as payment_method_id.
	ID string `json:"id"`
	// Saved is true once the method is saved for automatic payments and
	// payouts.
	Saved bool `json:"saved"`
	// Status is pending (waiting for the buyer), active (saved) or inactive
	// (not saved: the buyer did not confirm, or saving failed).
	Status PaymentMethodStatus `json:"status"`
	// Holder is the shop the method is saved for.
	Holder PaymentMethodHolder `json:"holder"`
	// Title is a name of the method, for example "Bank card *4444".
	Title string `json:"title,omitempty"`
	// Confirmation is what the buyer has to do (pending only): for redirect,
	// send the buyer to ConfirmationURL; for qr, show ConfirmationData (an
	// SBP link) as a QR code or open it on a phone. The link lives an hour.
	Confirmation *Confirmation `json:"confirmation,omitempty"`
	// Card is the saved card, masked (bank_card).
	Card *BankCard `json:"card,omitempty"`
	// PayerBankDetails is the bank of the saved account (sbp, active).
	PayerBankDetails *PayerBankDetails `json:"payer_bank_details,omitempty"`
	// Metadata is the merchant's data given at creation.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Usable reports whether the method can be charged or paid out to: active
// and saved.
func (m *SavedPaymentMethod) Usable() bool {
	return m.Status == PaymentMethodStatusActive && m.Saved
}

// CreatePaymentMethod starts saving a buyer's payment method without a
// payment (POST /payment_methods), with the shop's credentials. The answer
// is pending with a Confirmation for the buyer; YooKassa sends
// payment_method.active once the method is saved (nothing is sent when it
// ends inactive: poll GetPaymentMethod).
func (c *Client) CreatePaymentMethod(ctx context.Context, req *PaymentMethodRequest, opts ...CallOption) (*SavedPaymentMethod, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil payment method request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(SavedPaymentMethod)
	if err := c.call(ctx, "POST", "/payment_methods", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetPaymentMethod returns a saved payment method's current state
// (GET /payment_methods/{id}).
func (c *Client) GetPaymentMethod(ctx context.Context, id string, opts ...CallOption) (*SavedPaymentMethod, error) {
	path, err := objectPath("/payment_methods/", "payment_method_id", id)
	if err != nil {
		return nil, err
	}
	out := new(SavedPaymentMethod)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
