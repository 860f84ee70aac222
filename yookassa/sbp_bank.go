package yookassa

import "context"

// SBPBank is a participant of the Faster Payments System (SBP): a bank or
// payment service that can receive payouts. Show the list to the recipient
// and send the chosen BankID in PayoutDestinationData.BankID.
type SBPBank struct {
	// BankID is the participant's identifier at the NSPK: 12 letters or
	// digits, for example "100000000111".
	BankID string `json:"bank_id"`
	// Name is the participant's name, for example "Сбербанк" (up to 128
	// characters).
	Name string `json:"name"`
	// BIC is the participant's bank identification code, 9 digits.
	BIC string `json:"bic"`
}

// SBPBankList is the answer of GET /sbp_banks: every participant at once,
// sorted by BankID in descending order, without paging.
type SBPBankList struct {
	// Type is "list".
	Type string `json:"type"`
	// Items are the participants.
	Items []SBPBank `json:"items"`
}

// ListSBPBanks returns the current participants of the Faster Payments
// System (GET /sbp_banks), for payouts through SBP. It is part of the
// payouts API: call it with a client made from the payout gateway's
// credentials (see CreatePayout). The list changes as banks join; refresh a
// cached copy now and then.
func (c *Client) ListSBPBanks(ctx context.Context, opts ...CallOption) (*SBPBankList, error) {
	out := new(SBPBankList)
	if err := c.call(ctx, "GET", "/sbp_banks", nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// sbpBankIDLen is the length of an SBP participant's identifier.
const sbpBankIDLen = 12

// isSBPBankID reports whether s is an SBP participant's identifier: exactly
// 12 ASCII letters or digits.
func isSBPBankID(s string) bool {
	if len(s) != sbpBankIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
