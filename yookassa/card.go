package yookassa

import (
	"fmt"
	"log/slog"
)

// CardData is raw card data in a payment request (bank_card). Sending it
// requires PCI DSS certification. Printing a CardData with the fmt package
// or logging it with log/slog (any handler) shows only the last four digits
// and the expiry: never the number, the CSC or the cardholder.
type CardData struct {
	// Number is the card number, 14-19 digits.
	Number string `json:"number"`
	// ExpiryYear is YYYY.
	ExpiryYear string `json:"expiry_year"`
	// ExpiryMonth is MM.
	ExpiryMonth string `json:"expiry_month"`
	// CSC is the card security code, 3-4 digits.
	CSC string `json:"csc,omitempty"`
	// Cardholder is the name on the card (Latin letters, up to 26).
	Cardholder string `json:"cardholder,omitempty"`
}

// Format prints the card with the number masked and without the CSC, for
// every verb.
func (c CardData) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "CardData{Number:%s Expiry:%s/%s CSC:redacted}", c.masked(), c.ExpiryMonth, c.ExpiryYear)
}

// LogValue logs the card as its masked number and expiry, so that slog's
// handlers (JSON, text or any other) never see the card data.
func (c CardData) LogValue() slog.Value {
	return slog.GroupValue(slog.String("number", c.masked()), slog.String("expiry", c.ExpiryMonth+"/"+c.ExpiryYear))
}

// masked is "****" and the last four digits of a plausible card number.
func (c CardData) masked() string {
	if len(c.Number) >= 12 {
		return "****" + c.Number[len(c.Number)-4:]
	}
	return "****"
}

// Limits of raw card data.
const (
	minCardNumber = 14
	maxCardNumber = 19
	maxCardholder = 26
)

// validate checks the card's form: a 14-19 digit number, YYYY and MM
// expiry, a 3-4 digit CSC and a cardholder of up to 26 Latin letters,
// spaces, apostrophes and hyphens. Reasons
// never quote the card data.
func (c *CardData) validate(prefix string) error {
	if !isDigits(c.Number, minCardNumber, maxCardNumber) {
		return &ValidationError{Field: prefix + "number", Reason: "must be 14-19 digits"}
	}
	if !isDigits(c.ExpiryYear, 4, 4) {
		return &ValidationError{Field: prefix + "expiry_year", Reason: "must be YYYY"}
	}
	if !isDigits(c.ExpiryMonth, 2, 2) || c.ExpiryMonth < "01" || c.ExpiryMonth > "12" {
		return &ValidationError{Field: prefix + "expiry_month", Reason: "must be MM, 01-12"}
	}
	if c.CSC != "" && !isDigits(c.CSC, 3, 4) {
		return &ValidationError{Field: prefix + "csc", Reason: "must be 3-4 digits"}
	}
	if len(c.Cardholder) > maxCardholder || !isCardholder(c.Cardholder) {
		return &ValidationError{Field: prefix + "cardholder", Reason: fmt.Sprintf("must be up to %d Latin letters, spaces, apostrophes and hyphens", maxCardholder)}
	}
	return nil
}

// isCardholder reports whether s has only the characters YooKassa accepts
// in the name on a card: A-Z, a-z, space, apostrophe and hyphen.
func isCardholder(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == ' ' || c == '\'' || c == '-') {
			return false
		}
	}
	return true
}

// CardType is a bank card's network, as YooKassa reports it.
type CardType string

// Card networks YooKassa reports; an unknown one still decodes.
const (
	CardTypeMasterCard      CardType = "MasterCard" // Mastercard and Maestro
	CardTypeVisa            CardType = "Visa"       // Visa and Visa Electron
	CardTypeMir             CardType = "Mir"
	CardTypeUnionPay        CardType = "UnionPay"
	CardTypeJCB             CardType = "JCB"
	CardTypeAmericanExpress CardType = "AmericanExpress"
	CardTypeDinersClub      CardType = "DinersClub"
	CardTypeDiscoverCard    CardType = "DiscoverCard"
	CardTypeInstaPayment    CardType = "InstaPayment"
	CardTypeInstaPaymentTM  CardType = "InstaPaymentTM"
	CardTypeLaser           CardType = "Laser"
	CardTypeDankort         CardType = "Dankort"
	CardTypeSolo            CardType = "Solo"
	CardTypeSwitch          CardType = "Switch"
	CardTypeUnknown         CardType = "Unknown"
)
