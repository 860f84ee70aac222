package sberloan

import (
	"fmt"
	"log/slog"

	"github.com/creditpay/yookassa-go/yookassa"
)

// PaymentParams describe a sber_loan payment for [Config.NewPayment].
type PaymentParams struct {
	// Amount is the price of the order in RUB, before any installment
	// discount; required.
	Amount yookassa.Amount
	// ReturnURL is the page of the merchant's site that SberBank Online
	// sends the buyer back to; required.
	ReturnURL string
	// Description is shown to the buyer on the payment form (up to 128
	// characters).
	Description string
	// Metadata is the merchant's data returned with the payment (for
	// example {"order_id": "37"}).
	Metadata map[string]string
	// Receipt is the 54-FZ receipt at the undiscounted prices; its items
	// must add up to Amount. If the buyer takes an installment plan,
	// YooKassa reprices the items itself. Keep it: the capture and refund
	// planners need it.
	Receipt *yookassa.ReceiptData
	// Capture true captures the payment as soon as the bank pays (one
	// stage); false holds it in waiting_for_capture for [HoldPeriod] until
	// it is captured or canceled.
	Capture bool
	// Locale is the language of YooKassa's pages: "ru_RU" or "en_US"
	// (empty: YooKassa's default).
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
	fmt.Fprintf(f, "sberloan.PaymentParams%v", p.LogValue())
}

// NewPayment builds the request that creates a sber_loan payment: payment
// method sber_loan, a redirect confirmation returning to ReturnURL, the
// description, metadata, receipt and capture flag of p. It validates the
// configuration, checks the amount with [Config.CheckAmount] (so with
// installment plans enabled the minimum is [Config.MinAmount]) and the
// request with [CheckRequest] and yookassa.PaymentRequest.Validate; nothing
// is returned half-checked.
//
// Send the request with yookassa.Client.CreatePayment and redirect the buyer
// to the payment's Confirmation.ConfirmationURL, where they choose a loan or
// an installment plan and apply in SberBank Online.
func (c Config) NewPayment(p PaymentParams) (*yookassa.PaymentRequest, error) {
	req := &yookassa.PaymentRequest{
		Amount:      p.Amount,
		Description: p.Description,
		Receipt:     p.Receipt,
		PaymentMethodData: &yookassa.PaymentMethodData{
			Type: yookassa.PaymentMethodSberLoan,
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

// CheckPaymentRequest checks a sber_loan payment request built by hand:
// the configuration ([Config.Validate]), the method's rules ([CheckRequest]),
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

// CheckRequest refuses what sber_loan does not accept in a payment request,
// whoever built it: payment_method_data other than {type: sber_loan} (it is
// required, so that the method is not left to the buyer), a confirmation
// other than redirect (required too), an amount not in RUB, and the
// parameters save_payment_method, payment_method_id, payment_token,
// airline, transfers and deal. The error is a *[FieldError] of kind
// [ErrNotAccepted], or of kind [ErrCurrency] for the currency. It does not
// check the limits, which depend on the merchant's tariffs: see
// [Config.CheckPaymentRequest].
func CheckRequest(r *yookassa.PaymentRequest) error {
	if r == nil {
		return forbidden("request", "nil payment request")
	}
	switch {
	case r.SavePaymentMethod:
		return forbidden("save_payment_method", "sber_loan cannot be saved for automatic payments")
	case r.PaymentMethodID != "":
		return forbidden("payment_method_id", "sber_loan has no saved methods")
	case r.PaymentToken != "":
		return forbidden("payment_token", "sber_loan is paid through a redirect, not a token")
	case r.Airline != nil:
		return forbidden("airline", "not accepted with sber_loan")
	case len(r.Transfers) > 0:
		return forbidden("transfers", "split payments are not accepted with sber_loan")
	case r.Deal != nil:
		return forbidden("deal", "Safe deals are not accepted with sber_loan")
	}
	d := r.PaymentMethodData
	if d == nil || d.Type != yookassa.PaymentMethodSberLoan {
		return forbidden("payment_method_data.type", `must be "sber_loan"`)
	}
	if d.Card != nil || d.Phone != "" || d.PaymentPurpose != "" || d.VatData != nil ||
		d.ElectronicCertificate != nil || len(d.Articles) > 0 {
		return forbidden("payment_method_data", "sber_loan takes only the type")
	}
	if r.Confirmation == nil || r.Confirmation.Type != yookassa.ConfirmationRedirect {
		return forbidden("confirmation.type", `sber_loan is confirmed only by "redirect"`)
	}
	return checkRUB("amount", r.Amount)
}

func forbidden(field, reason string) error {
	return &FieldError{Kind: ErrNotAccepted, Field: field, Reason: reason}
}
