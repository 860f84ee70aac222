package yookassa

import "fmt"

// CardData is raw card data in a payment request (bank_card). Sending it
// requires PCI DSS certification. Printing a CardData with the fmt package
// (and so with log or slog) shows only the last four digits.
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
	last4 := ""
	if len(c.Number) >= 12 {
		last4 = c.Number[len(c.Number)-4:]
	}
	fmt.Fprintf(f, "CardData{Number:****%s Expiry:%s/%s CSC:redacted}", last4, c.ExpiryMonth, c.ExpiryYear)
}
