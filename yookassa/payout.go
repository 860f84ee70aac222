package yookassa

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// PayoutStatus is the state of a payout: pending, then succeeded or
// canceled (both final).
type PayoutStatus string

// Payout statuses.
const (
	// PayoutStatusPending: created; the money has not reached the recipient
	// yet (YooKassa waits for the acquirer or the network).
	PayoutStatusPending PayoutStatus = "pending"
	// PayoutStatusSucceeded: the money reached the recipient (final).
	PayoutStatusSucceeded PayoutStatus = "succeeded"
	// PayoutStatusCanceled: canceled; see CancellationDetails (final). A new
	// attempt needs a new Idempotence-Key: the same key returns this payout.
	PayoutStatusCanceled PayoutStatus = "canceled"
)

// Final reports whether the status can no longer change.
func (s PayoutStatus) Final() bool { return s == PayoutStatusSucceeded || s == PayoutStatusCanceled }

// Stage orders payout statuses: pending is 1, succeeded and canceled 2; an
// unknown status is 0. A payout only ever moves to a higher stage.
func (s PayoutStatus) Stage() int {
	switch s {
	case PayoutStatusPending:
		return 1
	case PayoutStatusSucceeded, PayoutStatusCanceled:
		return 2
	}
	return 0
}

// PayoutDestinationType is where a payout goes.
type PayoutDestinationType string

// Payout destinations.
const (
	// PayoutDestinationBankCard: a bank card (by number, payout token or
	// saved payment method).
	PayoutDestinationBankCard PayoutDestinationType = "bank_card"
	// PayoutDestinationYooMoney: a YooMoney wallet.
	PayoutDestinationYooMoney PayoutDestinationType = "yoo_money"
	// PayoutDestinationSBP: a bank account through the Faster Payments
	// System, by phone number and bank (regular payouts only).
	PayoutDestinationSBP PayoutDestinationType = "sbp"
)

// PartyPayoutNetwork is a participant outside YooKassa (the issuer, a
// payment service) that canceled a payout.
const PartyPayoutNetwork CancellationParty = "payout_network"

// Cancellation reasons that only payouts have. Payouts also use
// ReasonInsufficientFunds (top up the gateway's balance), ReasonFraudSuspected,
// ReasonRejectedByPayee, ReasonGeneralDecline, ReasonIssuerUnavailable and
// ReasonIdentificationRequired (an anonymous YooMoney wallet).
const (
	// ReasonOneTimeLimitExceeded: over the limit of one payout; split it or
	// use another destination.
	ReasonOneTimeLimitExceeded CancellationReason = "one_time_limit_exceeded"
	// ReasonPeriodicLimitExceeded: over the daily or monthly limit of the
	// destination.
	ReasonPeriodicLimitExceeded CancellationReason = "periodic_limit_exceeded"
	// ReasonRecipientNotFound: SBP found no account for that phone number at
	// the chosen bank.
	ReasonRecipientNotFound CancellationReason = "recipient_not_found"
	// ReasonRecipientCheckFailed: the SBP recipient check found another name.
	ReasonRecipientCheckFailed CancellationReason = "recipient_check_failed"
	// ReasonSelfEmployedAnnualLimitExceeded: the yearly limit of payouts to a
	// self-employed person (payouts to the self-employed are discontinued).
	ReasonSelfEmployedAnnualLimitExceeded CancellationReason = "self_employed_annual_limit_exceeded"
)

// Limits of payout requests.
const (
	minYooMoneyAccount = 11 // digits of a YooMoney wallet number
	maxYooMoneyAccount = 33
	minPayoutCard      = 16 // digits of a card number for payouts (not 14)
	maxPayoutCard      = 19
	maxPayoutPersonal  = 2 // personal data objects in one payout
)

// PayoutCardData is the number of the card a payout goes to. Sending it
// requires PCI DSS certification; without it, use a payout token from the
// payout widget. Printing it with the fmt package (and so with log or slog)
// shows only the last four digits.
type PayoutCardData struct {
	// Number is the card number, 16-19 digits without spaces.
	Number string `json:"number"`
}

// Format prints the card with the number masked, for every verb.
func (c PayoutCardData) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "PayoutCardData{Number:%s}", maskTail(c.Number))
}

// LogValue logs the masked number.
func (c PayoutCardData) LogValue() slog.Value {
	return slog.GroupValue(slog.String("number", maskTail(c.Number)))
}

// maskTail hides a card or wallet number but its last four digits (all of
// it when it is too short for that to be safe).
func maskTail(s string) string {
	switch {
	case s == "":
		return `""`
	case len(s) >= 11:
		return "****" + s[len(s)-4:]
	default:
		return "****"
	}
}

// PayoutDestinationData is where a payout goes, in a payout request. One
// struct carries the fields of every type; set those of Type only.
//
// The card number, the wallet number and the phone number never appear in
// full in fmt output (any verb) or slog records.
type PayoutDestinationData struct {
	// Type is the destination; required.
	Type PayoutDestinationType `json:"type"`
	// AccountNumber is the YooMoney wallet number, 11-33 digits (yoo_money).
	// Regular payouts accept any wallet; Safe deal payouts only named or
	// identified ones.
	AccountNumber string `json:"account_number,omitempty"`
	// Card is the card (bank_card).
	Card *PayoutCardData `json:"card,omitempty"`
	// Phone is the phone number the recipient's account is linked to, 4-15
	// digits in ITU-T E.164 form, for example 79000000000 (sbp).
	Phone string `json:"phone,omitempty"`
	// BankID is the recipient's bank, an SBPBank.BankID from ListSBPBanks
	// (sbp).
	BankID string `json:"bank_id,omitempty"`
}

// Format prints the destination with the numbers masked, for every verb.
func (d PayoutDestinationData) Format(f fmt.State, _ rune) {
	card := ""
	if d.Card != nil {
		card = maskTail(d.Card.Number)
	}
	fmt.Fprintf(f, "yookassa.PayoutDestinationData{Type:%s AccountNumber:%s Card:%s Phone:%s BankID:%s}",
		d.Type, maskTail(d.AccountNumber), card, redacted(d.Phone), d.BankID)
}

// LogValue logs the type and the bank with the numbers masked.
func (d PayoutDestinationData) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("type", string(d.Type))}
	if d.AccountNumber != "" {
		attrs = append(attrs, slog.String("account_number", maskTail(d.AccountNumber)))
	}
	if d.Card != nil {
		attrs = append(attrs, slog.String("card", maskTail(d.Card.Number)))
	}
	if d.Phone != "" {
		attrs = append(attrs, slog.String("phone", "[redacted]"))
	}
	if d.BankID != "" {
		attrs = append(attrs, slog.String("bank_id", d.BankID))
	}
	return slog.GroupValue(attrs...)
}

func (d *PayoutDestinationData) validate(prefix string) error {
	switch d.Type {
	case PayoutDestinationYooMoney:
		if !isDigits(d.AccountNumber, minYooMoneyAccount, maxYooMoneyAccount) {
			return &ValidationError{Field: prefix + "account_number", Reason: fmt.Sprintf("must be %d-%d digits", minYooMoneyAccount, maxYooMoneyAccount)}
		}
	case PayoutDestinationBankCard:
		if d.Card == nil {
			return &ValidationError{Field: prefix + "card", Reason: "required for type bank_card"}
		}
		if !isDigits(d.Card.Number, minPayoutCard, maxPayoutCard) {
			return &ValidationError{Field: prefix + "card.number", Reason: fmt.Sprintf("must be %d-%d digits without spaces", minPayoutCard, maxPayoutCard)}
		}
	case PayoutDestinationSBP:
		if err := checkPhone(prefix, "phone", d.Phone, true); err != nil {
			return err
		}
		if !isSBPBankID(d.BankID) {
			return &ValidationError{Field: prefix + "bank_id", Reason: "must be 12 letters or digits (an SBPBank.BankID)"}
		}
	case "":
		return &ValidationError{Field: prefix + "type", Reason: "required"}
	default:
		return &ValidationError{Field: prefix + "type", Reason: "must be bank_card, yoo_money or sbp"}
	}
	// Fields of the other types are not sent.
	for _, f := range [...]struct {
		name  string
		set   bool
		owner PayoutDestinationType
	}{
		{"account_number", d.AccountNumber != "", PayoutDestinationYooMoney},
		{"card", d.Card != nil, PayoutDestinationBankCard},
		{"phone", d.Phone != "", PayoutDestinationSBP},
		{"bank_id", d.BankID != "", PayoutDestinationSBP},
	} {
		if f.set && f.owner != d.Type {
			return &ValidationError{Field: prefix + f.name, Reason: "is not sent for type " + string(d.Type)}
		}
	}
	return nil
}

// PayoutDeal names the Safe deal of a payout.
type PayoutDeal struct {
	// ID is the deal's identifier, "dl-..." (36-50 characters).
	ID string `json:"id"`
}

// PayoutPersonalData names stored personal data of the recipient (see
// CreatePersonalData).
type PayoutPersonalData struct {
	// ID is the personal data's identifier, "pd-..." (36-50 characters).
	ID string `json:"id"`
}

// PayoutRequest is the body of POST /payouts. Give exactly one of
// PayoutDestinationData, PayoutToken and PaymentMethodID.
type PayoutRequest struct {
	// Amount is the sum to pay out; required, positive, at most two
	// decimals. Each destination has its own minimum, maximum and monthly
	// limits.
	Amount Amount `json:"amount"`
	// PayoutDestinationData is the card, wallet or SBP account to pay to.
	PayoutDestinationData *PayoutDestinationData `json:"payout_destination_data,omitempty"`
	// PayoutToken is a card's token from the payout widget, for example
	// "hoiCz_UVAdi_eKEthqhjRIJp.SC.001.202101"; reusable.
	PayoutToken string `json:"payout_token,omitempty"`
	// PaymentMethodID is a saved bank card (see CreatePaymentMethod) to pay
	// to.
	PaymentMethodID string `json:"payment_method_id,omitempty"`
	// Description is the payout's description, up to 128 characters.
	Description string `json:"description,omitempty"`
	// Deal pays the seller of a Safe deal (no sbp destination and no
	// personal data then).
	Deal *PayoutDeal `json:"deal,omitempty"`
	// PersonalData are 1-2 stored personal data objects of different types
	// (regular payouts only): sbp_payout_recipient for an SBP payout with a
	// recipient check, payout_statement_recipient for registry statements.
	PersonalData []PayoutPersonalData `json:"personal_data,omitempty"`
	// Metadata is the merchant's data (up to 16 keys of 32 characters,
	// values up to 512); SearchPayouts finds payouts by one of its pairs.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// LogValue logs the request without the destination's numbers.
func (r PayoutRequest) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("amount", r.Amount.String())}
	if r.PayoutDestinationData != nil {
		attrs = append(attrs, slog.Any("payout_destination_data", r.PayoutDestinationData.LogValue()))
	}
	if r.PayoutToken != "" {
		attrs = append(attrs, slog.String("payout_token", "[redacted]"))
	}
	if r.PaymentMethodID != "" {
		attrs = append(attrs, slog.String("payment_method_id", r.PaymentMethodID))
	}
	if r.Deal != nil {
		attrs = append(attrs, slog.String("deal_id", r.Deal.ID))
	}
	if len(r.PersonalData) > 0 {
		attrs = append(attrs, slog.Int("personal_data", len(r.PersonalData)))
	}
	return slog.GroupValue(attrs...)
}

// Validate checks the request against YooKassa's rules: a positive amount
// in RUB with at most two decimals, at least the minimum of one payout to
// its destination (see PayoutLimits); exactly one of payout_destination_data,
// payout_token and payment_method_id; the destination's fields for its type
// (wallet 11-33 digits, card 16-19 digits, SBP phone 4-15 digits and a
// 12-character bank_id); a description up to 128 characters; a deal ID of
// 36-50 characters, without an sbp destination or personal data; 1-2
// distinct personal data IDs of 36-50 characters; and the metadata limits.
// CreatePayout calls it before sending.
func (r *PayoutRequest) Validate() error {
	if err := checkAmount("amount", r.Amount); err != nil {
		return err
	}
	sources := 0
	for _, set := range []bool{r.PayoutDestinationData != nil, r.PayoutToken != "", r.PaymentMethodID != ""} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return &ValidationError{Field: "payout_destination_data", Reason: "send exactly one of payout_destination_data, payout_token and payment_method_id"}
	}
	if r.PayoutDestinationData != nil {
		if err := r.PayoutDestinationData.validate("payout_destination_data."); err != nil {
			return err
		}
	}
	if err := r.checkAmountLimits(); err != nil {
		return err
	}
	if err := checkLen("description", r.Description, 0, maxPaymentDescription); err != nil {
		return err
	}
	if r.Deal != nil {
		if err := checkLen("deal.id", r.Deal.ID, minDealIDLen, maxDealIDLen); err != nil {
			return err
		}
		if r.PayoutDestinationData != nil && r.PayoutDestinationData.Type == PayoutDestinationSBP {
			return &ValidationError{Field: "payout_destination_data.type", Reason: "sbp payouts are not available in a Safe deal"}
		}
		if len(r.PersonalData) > 0 {
			return &ValidationError{Field: "personal_data", Reason: "is not sent with a Safe deal payout"}
		}
	}
	if r.PersonalData != nil && (len(r.PersonalData) == 0 || len(r.PersonalData) > maxPayoutPersonal) {
		return &ValidationError{Field: "personal_data", Reason: fmt.Sprintf("must have 1-%d items, has %d", maxPayoutPersonal, len(r.PersonalData))}
	}
	for i, pd := range r.PersonalData {
		f := fmt.Sprintf("personal_data[%d].id", i)
		if err := checkLen(f, pd.ID, minPrefixedID, maxPrefixedID); err != nil {
			return err
		}
		for _, prev := range r.PersonalData[:i] {
			if prev.ID == pd.ID {
				return &ValidationError{Field: f, Reason: "repeats an earlier item; send one object of each type"}
			}
		}
	}
	return checkMetadata("metadata", r.Metadata)
}

// PayoutLimits returns the smallest and the largest amount of one payout
// to a destination of type dest, in RUB, regular or in a Safe deal, as
// YooKassa documents them: a card 5-500,000 (1-150,000 in a Safe deal),
// SBP 1-500,000 (no SBP in a Safe deal: both are zero), a YooMoney wallet
// from 1 up to 500,000, the balance an identified wallet may hold (a named
// wallet holds 100,000, an anonymous one 15,000).
//
// PayoutRequest.Validate refuses an amount below the minimum, which
// YooKassa answers with a 400. YooKassa accepts an amount above the
// maximum and cancels the payout with ReasonOneTimeLimitExceeded, as it
// does for the monthly and daily limits per recipient, which only it can
// count: handle that reason whatever the amount.
func PayoutLimits(dest PayoutDestinationType, safeDeal bool) (lo, hi decimal.Decimal) {
	switch {
	case dest == PayoutDestinationBankCard && safeDeal:
		return decimal.New(1, 0), decimal.New(150_000, 0)
	case dest == PayoutDestinationBankCard:
		return decimal.New(5, 0), decimal.New(500_000, 0)
	case dest == PayoutDestinationSBP && safeDeal:
		return decimal.Decimal{}, decimal.Decimal{}
	case dest == PayoutDestinationSBP, dest == PayoutDestinationYooMoney:
		return decimal.New(1, 0), decimal.New(500_000, 0)
	}
	return decimal.Decimal{}, decimal.Decimal{}
}

// checkAmountLimits refuses what YooKassa refuses with a 400: a currency
// other than RUB, and an amount below the minimum of one payout to the
// destination (a payout token or a saved method pays to a card).
func (r *PayoutRequest) checkAmountLimits() error {
	if r.Amount.Currency != CurrencyRUB {
		return &ValidationError{Field: "amount.currency", Reason: "payouts are made in RUB only"}
	}
	dest := PayoutDestinationBankCard
	if r.PayoutDestinationData != nil {
		dest = r.PayoutDestinationData.Type
	}
	if lo, _ := PayoutLimits(dest, r.Deal != nil); r.Amount.Value.LessThan(lo) {
		return &ValidationError{Field: "amount.value", Reason: fmt.Sprintf("%s is below the minimum of %s RUB for one %s payout",
			r.Amount.Value.StringFixed(2), lo.StringFixed(2), dest)}
	}
	return nil
}

// PayoutCard is the card a payout went to, as YooKassa describes it: never
// the full number.
type PayoutCard struct {
	// First6 is the card's BIN.
	First6 string `json:"first6"`
	// Last4 is the last four digits.
	Last4 string `json:"last4"`
	// CardType is the card's network: MasterCard, Visa, Mir, UnionPay, JCB,
	// AmericanExpress, DinersClub, DiscoverCard, InstaPayment,
	// InstaPaymentTM, Laser, Dankort, Solo, Switch or Unknown.
	CardType CardType `json:"card_type"`
	// IssuerCountry is the issuer's country, ISO 3166 alpha-2.
	IssuerCountry string `json:"issuer_country,omitempty"`
	// IssuerName is the issuing bank.
	IssuerName string `json:"issuer_name,omitempty"`
}

// PayoutDestination is where a payout went, in a payout object. One struct
// carries the fields of every type.
//
// The wallet and phone numbers never appear in full in fmt output (any
// verb) or slog records.
type PayoutDestination struct {
	// Type is the destination.
	Type PayoutDestinationType `json:"type"`
	// Card is the card, masked (bank_card).
	Card *PayoutCard `json:"card,omitempty"`
	// AccountNumber is the YooMoney wallet number (yoo_money).
	AccountNumber string `json:"account_number,omitempty"`
	// Phone is the phone number of the recipient's account (sbp).
	Phone string `json:"phone,omitempty"`
	// BankID is the recipient's bank in SBP (sbp).
	BankID string `json:"bank_id,omitempty"`
	// RecipientChecked is true if the SBP recipient's name was checked
	// (sbp; always written for sbp).
	RecipientChecked bool `json:"recipient_checked"`
	// SBPOperationID is the operation's identifier at the NSPK (sbp, once
	// succeeded).
	SBPOperationID string `json:"sbp_operation_id,omitempty"`
}

type payoutDestinationFields PayoutDestination

// MarshalJSON writes recipient_checked for sbp destinations (and whenever
// it is true), as YooKassa does.
func (d PayoutDestination) MarshalJSON() ([]byte, error) {
	var checked *bool
	if d.Type == PayoutDestinationSBP || d.RecipientChecked {
		checked = &d.RecipientChecked
	}
	return json.Marshal(struct {
		payoutDestinationFields
		RecipientChecked *bool `json:"recipient_checked,omitempty"`
	}{payoutDestinationFields(d), checked})
}

// Format prints the destination with the wallet and phone numbers masked,
// for every verb.
func (d PayoutDestination) Format(f fmt.State, _ rune) {
	card := ""
	if d.Card != nil {
		card = "****" + d.Card.Last4
	}
	fmt.Fprintf(f, "yookassa.PayoutDestination{Type:%s Card:%s AccountNumber:%s Phone:%s BankID:%s RecipientChecked:%t SBPOperationID:%s}",
		d.Type, card, maskTail(d.AccountNumber), redacted(d.Phone), d.BankID, d.RecipientChecked, d.SBPOperationID)
}

// LogValue logs the destination with the wallet and phone numbers masked.
func (d PayoutDestination) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("type", string(d.Type))}
	if d.Card != nil {
		attrs = append(attrs, slog.String("card", "****"+d.Card.Last4))
	}
	if d.AccountNumber != "" {
		attrs = append(attrs, slog.String("account_number", maskTail(d.AccountNumber)))
	}
	if d.Phone != "" {
		attrs = append(attrs, slog.String("phone", "[redacted]"))
	}
	if d.BankID != "" {
		attrs = append(attrs, slog.String("bank_id", d.BankID), slog.Bool("recipient_checked", d.RecipientChecked))
	}
	return slog.GroupValue(attrs...)
}

// PayoutSelfEmployed names the self-employed recipient of an old payout.
//
// Deprecated: payouts to the self-employed are discontinued; YooKassa still
// returns the field on old payouts.
type PayoutSelfEmployed struct {
	// ID is the self-employed person's identifier, "se-...".
	ID string `json:"id"`
}

// IncomeReceipt is the receipt registered with the tax service for an old
// payout to a self-employed person.
//
// Deprecated: payouts to the self-employed are discontinued; YooKassa still
// returns the field on old payouts.
type IncomeReceipt struct {
	// ServiceName is the service the recipient provided (up to 50).
	ServiceName string `json:"service_name"`
	// NpdReceiptID is the receipt's identifier at the tax service.
	NpdReceiptID string `json:"npd_receipt_id,omitempty"`
	// URL is the link to the registered receipt.
	URL string `json:"url,omitempty"`
	// Amount is the sum on the receipt.
	Amount *Amount `json:"amount,omitempty"`
}

// Payout is a payout object.
type Payout struct {
	// ID is the payout's identifier, "po-..." (36-50 characters).
	ID string `json:"id"`
	// Amount is the sum paid out.
	Amount Amount `json:"amount"`
	// Status is the payout's state.
	Status PayoutStatus `json:"status"`
	// PayoutDestination is where the money went.
	PayoutDestination PayoutDestination `json:"payout_destination"`
	// Description is the merchant's description.
	Description string `json:"description,omitempty"`
	// CreatedAt is when the payout was created.
	CreatedAt time.Time `json:"created_at"`
	// SucceededAt is when the payout succeeded (set for succeeded).
	SucceededAt *time.Time `json:"succeeded_at,omitempty"`
	// Deal is the Safe deal of the payout.
	Deal *PayoutDeal `json:"deal,omitempty"`
	// SelfEmployed is the self-employed recipient of an old payout.
	//
	// Deprecated: decoded for old payouts only.
	SelfEmployed *PayoutSelfEmployed `json:"self_employed,omitempty"`
	// Receipt is the tax receipt of an old payout to a self-employed person.
	//
	// Deprecated: decoded for old payouts only.
	Receipt *IncomeReceipt `json:"receipt,omitempty"`
	// CancellationDetails says who canceled the payout (yoo_money or
	// payout_network) and why.
	CancellationDetails *CancellationDetails `json:"cancellation_details,omitempty"`
	// Metadata is the merchant's data given at creation.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Test is true for payouts of a test gateway.
	Test bool `json:"test"`
}

// LogValue logs the payout's identity, state and amount, with the
// destination masked.
func (p Payout) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("id", p.ID), slog.String("status", string(p.Status)), slog.String("amount", p.Amount.String()),
		slog.Any("payout_destination", p.PayoutDestination.LogValue()),
	}
	if p.CancellationDetails != nil {
		attrs = append(attrs, slog.String("cancellation_reason", string(p.CancellationDetails.Reason)))
	}
	return slog.GroupValue(attrs...)
}

// PayoutList is one page of GET /payouts or GET /payouts/search.
type PayoutList struct {
	// Type is "list".
	Type string `json:"type"`
	// Items are the payouts of this page, newest first.
	Items []Payout `json:"items"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// LogValue logs the page's size, cursor and payout IDs, so that a JSON
// handler does not encode the destinations' numbers.
func (l PayoutList) LogValue() slog.Value {
	ids := make([]string, len(l.Items))
	for i := range l.Items {
		ids[i] = l.Items[i].ID
	}
	return slog.GroupValue(slog.Int("count", len(l.Items)), slog.String("next_cursor", l.NextCursor), slog.Any("ids", ids))
}

// PayoutListParams filters GET /payouts (payouts of the last three years).
// The zero value lists everything.
type PayoutListParams struct {
	// CreatedAtGTE, CreatedAtGT, CreatedAtLTE and CreatedAtLT bound the
	// creation time; zero values are not sent.
	CreatedAtGTE, CreatedAtGT, CreatedAtLTE, CreatedAtLT time.Time
	// PayoutDestinationType keeps payouts to one kind of destination.
	PayoutDestinationType PayoutDestinationType
	// Status keeps payouts in one status.
	Status PayoutStatus
	// Limit is the page size, 1-100 (0 means YooKassa's default of 10).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

func (p *PayoutListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	addTimeRange(q, "created_at", p.CreatedAtGTE, p.CreatedAtGT, p.CreatedAtLTE, p.CreatedAtLT)
	switch p.PayoutDestinationType {
	case "", PayoutDestinationBankCard, PayoutDestinationYooMoney, PayoutDestinationSBP:
	default:
		return nil, &ValidationError{Field: "payout_destination.type", Reason: "must be bank_card, yoo_money or sbp"}
	}
	addString(q, "payout_destination.type", string(p.PayoutDestinationType))
	switch p.Status {
	case "", PayoutStatusPending, PayoutStatusSucceeded, PayoutStatusCanceled:
	default:
		return nil, &ValidationError{Field: "status", Reason: "must be pending, succeeded or canceled"}
	}
	addString(q, "status", string(p.Status))
	return q, addPage(q, p.Limit, p.Cursor)
}

// PayoutSearchParams filters GET /payouts/search: payouts of the last three
// months whose metadata holds one key with one value, optionally within a
// creation time range.
type PayoutSearchParams struct {
	// CreatedAtGTE, CreatedAtGT, CreatedAtLTE and CreatedAtLT bound the
	// creation time; zero values are not sent.
	CreatedAtGTE, CreatedAtGT, CreatedAtLTE, CreatedAtLT time.Time
	// Metadata is at most one key (up to 32 characters) with its value (up
	// to 512): an exact match, sent as metadata[key]=value.
	Metadata map[string]string
	// Limit is the page size, 1-100 (0 means YooKassa's default of 10).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

func (p *PayoutSearchParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	addTimeRange(q, "created_at", p.CreatedAtGTE, p.CreatedAtGT, p.CreatedAtLTE, p.CreatedAtLT)
	if len(p.Metadata) > 1 {
		return nil, &ValidationError{Field: "metadata", Reason: fmt.Sprintf("search takes at most one key, has %d", len(p.Metadata))}
	}
	if err := checkMetadata("metadata", p.Metadata); err != nil {
		return nil, err
	}
	for k, v := range p.Metadata {
		if strings.ContainsAny(k, "[]") {
			return nil, &ValidationError{Field: "metadata", Reason: "a key for search must not contain [ or ]"}
		}
		q.Set("metadata["+k+"]", v)
	}
	return q, addPage(q, p.Limit, p.Cursor)
}

// CreatePayout pays money out to a card, a YooMoney wallet or an SBP
// account (POST /payouts). The answer is often already final; a pending
// payout ends with the payout.succeeded or payout.canceled notification, or
// poll GetPayout. A canceled payout is final: try again with a new
// Idempotence-Key (the same key returns the canceled payout).
//
// Pin the key with WithIdempotenceKey (for example your payout's own ID) so
// that a retry after a crash or an OutcomeUnknownError cannot pay twice.
//
// Payouts have their own credentials. Regular payouts (and ListSBPBanks,
// CreatePersonalData, GetPersonalData, and Me for the payout balance) are
// made by the payout gateway: create a separate client with
// NewClient(agentID, payoutSecretKey), where agentID is the gateway's ID
// (agentId in the merchant profile) and payoutSecretKey is the secret key
// issued for the gateway, not the shop's. Payouts of a Safe deal are made
// with the platform shop's own shop ID and secret key.
func (c *Client) CreatePayout(ctx context.Context, req *PayoutRequest, opts ...CallOption) (*Payout, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil payout request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(Payout)
	if err := c.call(ctx, "POST", "/payouts", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetPayout returns a payout's current state (GET /payouts/{id}), with the
// credentials it was created with (see CreatePayout).
func (c *Client) GetPayout(ctx context.Context, id string, opts ...CallOption) (*Payout, error) {
	path, err := prefixedObjectPath("/payouts/", "payout_id", id)
	if err != nil {
		return nil, err
	}
	out := new(Payout)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListPayouts returns one page of payouts (GET /payouts). Pass the page's
// NextCursor as params.Cursor for the next one, or use Payouts.
func (c *Client) ListPayouts(ctx context.Context, params *PayoutListParams, opts ...CallOption) (*PayoutList, error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	out := new(PayoutList)
	if err := c.call(ctx, "GET", "/payouts", q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Payouts iterates over every payout matching params (nil: all), page after
// page. It stops at the first error, which it yields with a nil payout.
func (c *Client) Payouts(ctx context.Context, params *PayoutListParams, opts ...CallOption) iter.Seq2[*Payout, error] {
	var p PayoutListParams
	if params != nil {
		p = *params
	}
	return paginate(func(cursor string) ([]Payout, string, error) {
		q := p // each page gets its own copy: ranges may run at once
		q.Cursor = cursor
		page, err := c.ListPayouts(ctx, &q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Items, page.NextCursor, nil
	}, p.Cursor)
}

// SearchPayouts returns one page of the payouts of the last three months
// whose metadata holds params.Metadata's pair (GET /payouts/search). Pass
// the page's NextCursor as params.Cursor for the next one.
func (c *Client) SearchPayouts(ctx context.Context, params *PayoutSearchParams, opts ...CallOption) (*PayoutList, error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	out := new(PayoutList)
	if err := c.call(ctx, "GET", "/payouts/search", q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
