package sberbnpl

import (
	"fmt"
	"log/slog"

	"github.com/creditpay/yookassa-go/yookassa"
)

// PaymentParams describe a sber_bnpl payment for [Config.NewPayment].
type PaymentParams struct {
	// Amount is the price of the order in RUB; required.
	Amount yookassa.Amount
	// ReturnURL is the page of the merchant's site the buyer comes back
	// to after paying; required.
	ReturnURL string
	// Phone is the buyer's phone in E.164 form, digits only without "+"
	// (79000000000), optional. With it YooKassa sends the buyer straight
	// to the partner's page; without it the buyer types the number on
	// YooKassa's page. It is personal data: keep it out of logs.
	Phone string
	// Description is shown to the buyer (up to 128 characters).
	Description string
	// Metadata is the merchant's data returned with the payment.
	Metadata map[string]string
	// Receipt is the 54-FZ receipt, for a third-party online register
	// connected through YooKassa (YooKassa's own receipts are not available
	// for sber_bnpl).
	Receipt *yookassa.ReceiptData
	// Capture true captures the payment as soon as the buyer has paid;
	// false holds it in waiting_for_capture for [HoldPeriod].
	Capture bool
	// Locale is the language of YooKassa's pages: "ru_RU" or "en_US".
	Locale yookassa.Locale
	// ClientIP is the buyer's IP address (optional).
	ClientIP string
	// MerchantCustomerID identifies the buyer in the merchant's system
	// (optional).
	MerchantCustomerID string
}

// LogValue logs the parameters as the payment request they describe (see
// yookassa.PaymentRequest.LogValue): without the buyer's data or the
// metadata.
func (p PaymentParams) LogValue() slog.Value {
	return yookassa.PaymentRequest{Amount: p.Amount, Description: p.Description, Capture: p.Capture, Receipt: p.Receipt}.LogValue()
}

// Format prints the parameters as their log form, for every verb.
func (p PaymentParams) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "sberbnpl.PaymentParams%v", p.LogValue())
}

// NewPayment builds the request that creates a sber_bnpl payment: payment
// method sber_bnpl with the optional phone, a redirect confirmation
// returning to ReturnURL, and the rest of p. It checks the request with
// [Config.CheckPaymentRequest]; nothing is returned half-checked.
//
// Send it with yookassa.Client.CreatePayment and redirect the buyer to the
// payment's Confirmation.ConfirmationURL within [PaymentDeadline].
func (c Config) NewPayment(p PaymentParams) (*yookassa.PaymentRequest, error) {
	req := &yookassa.PaymentRequest{
		Amount:      p.Amount,
		Description: p.Description,
		Receipt:     p.Receipt,
		PaymentMethodData: &yookassa.PaymentMethodData{
			Type:  yookassa.PaymentMethodSberBNPL,
			Phone: p.Phone,
		},
		Confirmation: &yookassa.Confirmation{
			Type:      yookassa.ConfirmationRedirect,
			ReturnURL: p.ReturnURL,
			Locale:    p.Locale,
		},
		Capture:            p.Capture,
		ClientIP:           p.ClientIP,
		Metadata:           p.Metadata,
		MerchantCustomerID: p.MerchantCustomerID,
	}
	if err := c.CheckPaymentRequest(req); err != nil {
		return nil, err
	}
	return req, nil
}

// CheckPaymentRequest checks a sber_bnpl payment request built by hand: the
// configuration ([Config.Validate]), the method's rules ([CheckRequest]),
// the amount limits ([Config.CheckAmount]) and YooKassa's general rules
// (yookassa.PaymentRequest.Validate), in that order.
func (c Config) CheckPaymentRequest(r *yookassa.PaymentRequest) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := CheckRequest(r); err != nil {
		return err
	}
	if err := c.CheckAmount(r.Amount); err != nil {
		return err
	}
	return r.Validate()
}

// CheckRequest refuses what sber_bnpl does not accept in a payment request,
// whoever built it: payment_method_data other than {type: sber_bnpl,
// phone} (it is required, so that the method is not left to the buyer), a
// malformed phone ([CheckPhone]), a confirmation other than redirect
// (required too), an amount not in RUB, save_payment_method (the method
// cannot be saved, so there are no autopayments), and payment_method_id,
// payment_token, airline, transfers and deal. The error is a *[FieldError]
// of kind [ErrNotAccepted] or [ErrCurrency] naming the parameter, or the
// *yookassa.ValidationError of [CheckPhone]. It does not check the limits,
// which depend on the merchant's contract: see [Config.CheckPaymentRequest].
func CheckRequest(r *yookassa.PaymentRequest) error {
	if r == nil {
		return notAccepted("request", "nil payment request")
	}
	switch {
	case r.SavePaymentMethod:
		return notAccepted("save_payment_method", "sber_bnpl cannot be saved: no autopayments")
	case r.PaymentMethodID != "":
		return notAccepted("payment_method_id", "sber_bnpl has no saved methods")
	case r.PaymentToken != "":
		return notAccepted("payment_token", "sber_bnpl is paid through a redirect, not a token")
	case r.Airline != nil:
		return notAccepted("airline", "not accepted with sber_bnpl")
	case len(r.Transfers) > 0:
		return notAccepted("transfers", "split payments are not accepted with sber_bnpl")
	case r.Deal != nil:
		return notAccepted("deal", "Safe deals are not accepted with sber_bnpl")
	}
	d := r.PaymentMethodData
	if d == nil || d.Type != yookassa.PaymentMethodSberBNPL {
		return notAccepted("payment_method_data.type", `must be "sber_bnpl"`)
	}
	if d.Card != nil || d.PaymentPurpose != "" || d.VatData != nil || d.ElectronicCertificate != nil || len(d.Articles) > 0 {
		return notAccepted("payment_method_data", "sber_bnpl takes only the type and the phone")
	}
	if err := CheckPhone(d.Phone); err != nil {
		return err
	}
	if r.Confirmation == nil || r.Confirmation.Type != yookassa.ConfirmationRedirect {
		return notAccepted("confirmation.type", `sber_bnpl is confirmed only by "redirect"`)
	}
	return checkRUB("amount", r.Amount)
}

// MaxPhoneDigits is the most digits a phone number has in E.164.
const MaxPhoneDigits = 15

// CheckPhone checks the optional payment_method_data.phone: empty, or an
// E.164 number written as digits only, without "+", spaces or dashes, 4 to
// [MaxPhoneDigits] of them (YooKassa's pattern [0-9]{4,15}), for example
// 79000000000. Anything else is a *yookassa.ValidationError for the field
// "payment_method_data.phone"; the message does not repeat the number.
func CheckPhone(phone string) error {
	if phone == "" {
		return nil
	}
	if len(phone) < 4 || len(phone) > MaxPhoneDigits {
		return &yookassa.ValidationError{Field: "payment_method_data.phone", Reason: "must have 4 to 15 digits (E.164 written without \"+\")"}
	}
	for i := 0; i < len(phone); i++ {
		if phone[i] < '0' || phone[i] > '9' {
			return &yookassa.ValidationError{Field: "payment_method_data.phone", Reason: "must be digits only (E.164 written without \"+\", spaces or dashes)"}
		}
	}
	return nil
}

func notAccepted(field, reason string) error {
	return &FieldError{Kind: ErrNotAccepted, Field: field, Reason: reason}
}
