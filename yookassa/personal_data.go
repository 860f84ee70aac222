package yookassa

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// PersonalDataType is what personal data is stored for.
type PersonalDataType string

// Personal data types.
const (
	// PersonalDataSBPPayoutRecipient: the recipient's name, for SBP payouts
	// with a recipient check (YooKassa compares it with the name the bank
	// holds for the phone number).
	PersonalDataSBPPayoutRecipient PersonalDataType = "sbp_payout_recipient"
	// PersonalDataPayoutStatementRecipient: the recipient's name and
	// birthdate, printed in statements of the payout registry.
	PersonalDataPayoutStatementRecipient PersonalDataType = "payout_statement_recipient"
)

// PersonalDataStatus is the state of stored personal data.
type PersonalDataStatus string

// Personal data statuses.
const (
	// PersonalDataStatusWaitingForOperation: stored, not yet used in a payout.
	PersonalDataStatusWaitingForOperation PersonalDataStatus = "waiting_for_operation"
	// PersonalDataStatusActive: used in a payout; reusable until ExpiresAt.
	PersonalDataStatusActive PersonalDataStatus = "active"
	// PersonalDataStatusCanceled: storage ended and the data deleted; see
	// CancellationDetails (final).
	PersonalDataStatusCanceled PersonalDataStatus = "canceled"
)

// Final reports whether the status can no longer change.
func (s PersonalDataStatus) Final() bool { return s == PersonalDataStatusCanceled }

// Stage orders personal data statuses: waiting_for_operation is 1, active
// 2, canceled 3; an unknown status is 0. The data only ever moves to a
// higher stage.
func (s PersonalDataStatus) Stage() int {
	switch s {
	case PersonalDataStatusWaitingForOperation:
		return 1
	case PersonalDataStatusActive:
		return 2
	case PersonalDataStatusCanceled:
		return 3
	}
	return 0
}

// ReasonExpiredByTimeout: the storage or usage period of personal data
// ended (party yoo_money).
const ReasonExpiredByTimeout CancellationReason = "expired_by_timeout"

// Limits of personal data requests, in characters.
const (
	maxLastName   = 200
	maxFirstName  = 100
	maxMiddleName = 200
)

// PersonalDataRequest is the body of POST /personal_data: a payout
// recipient's name (and, for statements, birthdate). Names hold Cyrillic or
// Latin letters, spaces, hyphens and dashes.
//
// The names and the birthdate never appear in errors, in fmt output (any
// verb, also inside other values) or in slog records of the request (slog
// calls LogValue for a request logged as an attribute of its own; a JSON
// handler encodes a slice or struct that holds one with encoding/json, so
// log the request itself).
type PersonalDataRequest struct {
	// Type is what the data is for; required.
	Type PersonalDataType `json:"type"`
	// LastName is the surname, 1-200 characters; required.
	LastName string `json:"last_name"`
	// FirstName is the given name, 1-100 characters; required.
	FirstName string `json:"first_name"`
	// MiddleName is the patronymic, 1-200 characters; required if the
	// passport has one.
	MiddleName string `json:"middle_name,omitempty"`
	// Birthdate is YYYY-MM-DD; required for payout_statement_recipient and
	// not sent for sbp_payout_recipient.
	Birthdate string `json:"birthdate,omitempty"`
	// Metadata is the merchant's data (up to 16 keys of 32 characters,
	// values up to 512).
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Format prints the request with the names and the birthdate redacted, for
// every verb.
func (r PersonalDataRequest) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "yookassa.PersonalDataRequest{Type:%s LastName:%s FirstName:%s MiddleName:%s Birthdate:%s Metadata:%d keys}",
		r.Type, redacted(r.LastName), redacted(r.FirstName), redacted(r.MiddleName), redacted(r.Birthdate), len(r.Metadata))
}

// LogValue logs the request's type only.
func (r PersonalDataRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(r.Type)), slog.String("personal_data", "[redacted]"))
}

// printLogValue prints, for every fmt verb, a type that holds personal or
// card data as its name and its log form (its LogValue), so that the
// printed and the logged form are one and leave the same fields out.
func printLogValue(f fmt.State, name string, v slog.Value) {
	fmt.Fprintf(f, "yookassa.%s%s", name, v)
}

// redacted stands for a personal value in printed output: empty stays
// visible as empty, anything else is hidden.
func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}

// Validate checks the request against YooKassa's rules: a known type, the
// names' lengths and characters, and the birthdate (YYYY-MM-DD) required for
// payout_statement_recipient and absent for sbp_payout_recipient. Its
// errors never quote the data. CreatePersonalData calls it before sending.
func (r *PersonalDataRequest) Validate() error {
	switch r.Type {
	case PersonalDataSBPPayoutRecipient:
		if r.Birthdate != "" {
			return &ValidationError{Field: "birthdate", Reason: "is not sent for type sbp_payout_recipient"}
		}
	case PersonalDataPayoutStatementRecipient:
		if r.Birthdate == "" {
			return &ValidationError{Field: "birthdate", Reason: "required for type payout_statement_recipient"}
		}
		if err := checkDate("birthdate", r.Birthdate); err != nil {
			return err
		}
	case "":
		return &ValidationError{Field: "type", Reason: "required"}
	default:
		return &ValidationError{Field: "type", Reason: "must be sbp_payout_recipient or payout_statement_recipient"}
	}
	if err := checkPersonName("last_name", r.LastName, 1, maxLastName); err != nil {
		return err
	}
	if err := checkPersonName("first_name", r.FirstName, 1, maxFirstName); err != nil {
		return err
	}
	if r.MiddleName != "" {
		if err := checkPersonName("middle_name", r.MiddleName, 1, maxMiddleName); err != nil {
			return err
		}
	}
	return checkMetadata("metadata", r.Metadata)
}

// checkPersonName checks a name's length and characters without quoting it.
func checkPersonName(field, s string, lo, hi int) error {
	if err := checkLen(field, s, lo, hi); err != nil {
		return err
	}
	for _, r := range s {
		if !isNameRune(r) {
			return &ValidationError{Field: field, Reason: "may hold only Cyrillic or Latin letters, spaces, hyphens and dashes"}
		}
	}
	return nil
}

// isNameRune reports whether r may appear in a name: the character class of
// YooKassa's pattern ^[—–‐-a-zA-Zа-яёА-ЯЁ ]*$, read as the em dash, the en
// dash, the Unicode hyphen, the ASCII hyphen, Latin and Russian letters and
// the space. (Written as it is, the pattern's class has a reversed range
// "‐-a" that no regular expression engine accepts.)
func isNameRune(r rune) bool {
	switch {
	case r == '—', r == '–', r == '‐', r == '-', r == ' ', r == 'ё', r == 'Ё':
		return true
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', 'а' <= r && r <= 'я', 'А' <= r && r <= 'Я':
		return true
	}
	return false
}

// PersonalData is stored personal data of a payout recipient: the answer of
// POST /personal_data and GET /personal_data/{id}. It never carries the
// names or the birthdate back. Send its ID in PayoutRequest.PersonalData.
type PersonalData struct {
	// ID is the identifier, "pd-..." (36-50 characters).
	ID string `json:"id"`
	// Type is what the data is for.
	Type PersonalDataType `json:"type"`
	// Status is the data's state.
	Status PersonalDataStatus `json:"status"`
	// CancellationDetails says who ended the storage and why (party
	// yoo_money, reason expired_by_timeout).
	CancellationDetails *CancellationDetails `json:"cancellation_details,omitempty"`
	// CreatedAt is when the data was stored.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is until when active data may be used in payouts (active
	// only).
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// Metadata is the merchant's data given at creation.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Identifier lengths of personal data, payouts and deals ("pd-", "po-" and
// "dl-" followed by a UUID-like string).
const (
	minPrefixedID = 36
	maxPrefixedID = 50
)

// CreatePersonalData stores a payout recipient's personal data
// (POST /personal_data) for use in payouts. It is part of the payouts API:
// call it with a client made from the payout gateway's credentials (see
// CreatePayout).
func (c *Client) CreatePersonalData(ctx context.Context, req *PersonalDataRequest, opts ...CallOption) (*PersonalData, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil personal data request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(PersonalData)
	if err := c.call(ctx, "POST", "/personal_data", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetPersonalData returns the state of stored personal data
// (GET /personal_data/{id}), with the payout gateway's credentials.
func (c *Client) GetPersonalData(ctx context.Context, id string, opts ...CallOption) (*PersonalData, error) {
	path, err := prefixedObjectPath("/personal_data/", "personal_data_id", id)
	if err != nil {
		return nil, err
	}
	out := new(PersonalData)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// prefixedObjectPath is objectPath for the identifiers of 36-50 characters
// (personal data, payouts, deals).
func prefixedObjectPath(prefix, field, id string) (string, error) {
	path, err := objectPath(prefix, field, id)
	if err != nil {
		return "", err
	}
	if err := checkLen(field, id, minPrefixedID, maxPrefixedID); err != nil {
		return "", err
	}
	return path, nil
}
