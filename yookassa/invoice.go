package yookassa

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"time"

	"github.com/shopspring/decimal"
)

// InvoiceStatus is the state of an invoice. A pending invoice becomes
// succeeded when its payment succeeds or, for a two-stage payment, waits
// for capture; canceled is final. A two-stage invoice that succeeded still
// turns canceled if its payment is canceled or its hold expires.
type InvoiceStatus string

// Invoice statuses.
const (
	// InvoiceStatusPending: created, waiting for a successful payment; a
	// buyer whose payment failed may try again until ExpiresAt.
	InvoiceStatusPending InvoiceStatus = "pending"
	// InvoiceStatusSucceeded: paid (one-stage: final), or paid and held
	// (two-stage; see PaymentDetails.Status).
	InvoiceStatusSucceeded InvoiceStatus = "succeeded"
	// InvoiceStatusCanceled: canceled or expired; see CancellationDetails
	// (final).
	InvoiceStatusCanceled InvoiceStatus = "canceled"
)

// Stage orders invoice statuses: pending is 1, succeeded 2, canceled 3; an
// unknown status is 0. An invoice only ever moves to a higher stage (a
// two-stage invoice that succeeded can still be canceled).
func (s InvoiceStatus) Stage() int {
	switch s {
	case InvoiceStatusPending:
		return 1
	case InvoiceStatusSucceeded:
		return 2
	case InvoiceStatusCanceled:
		return 3
	}
	return 0
}

// Cancellation reasons that only invoices have. Invoices also use
// ReasonGeneralDecline.
const (
	// ReasonInvoiceCanceled: canceled by hand in the merchant profile (party
	// merchant).
	ReasonInvoiceCanceled CancellationReason = "invoice_canceled"
	// ReasonInvoiceExpired: ExpiresAt passed without a successful payment.
	ReasonInvoiceExpired CancellationReason = "invoice_expired"
	// ReasonPaymentCanceled: the two-stage payment was canceled through the
	// API.
	ReasonPaymentCanceled CancellationReason = "payment_canceled"
	// ReasonPaymentExpiredOnCapture: the two-stage payment's hold expired.
	ReasonPaymentExpiredOnCapture CancellationReason = "payment_expired_on_capture"
)

// InvoiceDeliveryType is how the link to an invoice reaches the buyer.
type InvoiceDeliveryType string

// Invoice delivery methods.
const (
	// InvoiceDeliverySelf: the merchant passes on the link
	// (Invoice.DeliveryMethod.URL); YooKassa sends nothing.
	InvoiceDeliverySelf InvoiceDeliveryType = "self"
	// InvoiceDeliverySMS: YooKassa texts the link to a phone number.
	InvoiceDeliverySMS InvoiceDeliveryType = "sms"
	// InvoiceDeliveryEmail: YooKassa emails the link.
	InvoiceDeliveryEmail InvoiceDeliveryType = "email"
)

// Limits of invoice requests.
const (
	// maxInvoiceLifetime is how far ahead ExpiresAt may lie.
	maxInvoiceLifetime = 30 * 24 * time.Hour
	maxInvoiceItemText = 128 // characters of a cart line's description
)

// InvoiceItem is a line of an invoice's cart, shown on the invoice page.
type InvoiceItem struct {
	// Description is the name of the goods or service, 1-128 characters.
	Description string `json:"description"`
	// Price is the full price of one unit.
	Price Amount `json:"price"`
	// DiscountPrice is the price of one unit after a discount; nil when
	// there is none.
	DiscountPrice *Amount `json:"discount_price,omitempty"`
	// Quantity of units: positive, at most three decimals. On the wire it is
	// a JSON number; a string is accepted when decoding.
	Quantity decimal.Decimal `json:"quantity"`
}

type invoiceItemFields InvoiceItem

// MarshalJSON writes Quantity as a JSON number.
func (it InvoiceItem) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		invoiceItemFields
		Quantity jsonNumber `json:"quantity"`
	}{invoiceItemFields(it), jsonNumber(it.Quantity)})
}

// UnmarshalJSON reads quantity as a number or a string.
func (it *InvoiceItem) UnmarshalJSON(data []byte) error {
	var w struct {
		*invoiceItemFields
		Quantity jsonNumber `json:"quantity"`
	}
	w.invoiceItemFields = (*invoiceItemFields)(it)
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	it.Quantity = decimal.Decimal(w.Quantity)
	return nil
}

func (it *InvoiceItem) validate(prefix, currency string) error {
	if err := checkLen(prefix+"description", it.Description, 1, maxInvoiceItemText); err != nil {
		return err
	}
	if err := checkAmount(prefix+"price", it.Price); err != nil {
		return err
	}
	if it.Price.Currency != currency {
		return &ValidationError{Field: prefix + "price.currency", Reason: fmt.Sprintf("is %s, the payment is in %s", it.Price.Currency, currency)}
	}
	if d := it.DiscountPrice; d != nil {
		if err := checkAmount(prefix+"discount_price", *d); err != nil {
			return err
		}
		if d.Currency != currency {
			return &ValidationError{Field: prefix + "discount_price.currency", Reason: fmt.Sprintf("is %s, the payment is in %s", d.Currency, currency)}
		}
	}
	if it.Quantity.Sign() <= 0 {
		return &ValidationError{Field: prefix + "quantity", Reason: "must be positive"}
	}
	if !inRange(it.Quantity) {
		return &ValidationError{Field: prefix + "quantity", Reason: "is out of range"}
	}
	if !atMostDecimals(it.Quantity, maxQuantityDecimals) {
		return &ValidationError{Field: prefix + "quantity", Reason: "has more than three decimal places"}
	}
	return nil
}

// InvoiceDeliveryMethodData is how YooKassa delivers the invoice's link, in
// an invoice request: type self (nothing else), sms (Phone) or email
// (Email).
//
// The phone number and the email address never appear in fmt output (any
// verb) or slog records.
type InvoiceDeliveryMethodData struct {
	// Type is the delivery method; required.
	Type InvoiceDeliveryType `json:"type"`
	// Phone receives the SMS: 4-15 digits in ITU-T E.164 form, for example
	// 79000000000 (sms).
	Phone string `json:"phone,omitempty"`
	// Email receives the email, up to 254 characters (email).
	Email string `json:"email,omitempty"`
}

// Format prints the delivery method with the contact redacted, for every
// verb.
func (d InvoiceDeliveryMethodData) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "yookassa.InvoiceDeliveryMethodData{Type:%s Phone:%s Email:%s}", d.Type, redacted(d.Phone), redacted(d.Email))
}

// LogValue logs the delivery type only.
func (d InvoiceDeliveryMethodData) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(d.Type)))
}

func (d *InvoiceDeliveryMethodData) validate(prefix string) error {
	switch d.Type {
	case InvoiceDeliverySelf:
		if d.Phone != "" || d.Email != "" {
			return &ValidationError{Field: prefix + "type", Reason: "self delivery takes no phone or email"}
		}
	case InvoiceDeliverySMS:
		if d.Email != "" {
			return &ValidationError{Field: prefix + "email", Reason: "is not sent for type sms"}
		}
		return checkPhone(prefix, "phone", d.Phone, true)
	case InvoiceDeliveryEmail:
		if d.Phone != "" {
			return &ValidationError{Field: prefix + "phone", Reason: "is not sent for type email"}
		}
		return checkEmail(prefix+"email", d.Email, true)
	case "":
		return &ValidationError{Field: prefix + "type", Reason: "required"}
	default:
		return &ValidationError{Field: prefix + "type", Reason: "must be self, sms or email"}
	}
	return nil
}

// InvoiceDeliveryMethod is how the invoice's link is delivered, in an
// invoice object (pending invoices only).
type InvoiceDeliveryMethod struct {
	// Type is the delivery method.
	Type InvoiceDeliveryType `json:"type"`
	// URL is the invoice page to pass on to the buyer (self; up to 2048
	// characters).
	URL string `json:"url,omitempty"`
}

// InvoicePaymentData is what YooKassa puts into the payment it creates when
// the buyer pays an invoice.
type InvoicePaymentData struct {
	// Amount is the sum to charge; required, positive, at most two decimals.
	Amount Amount `json:"amount"`
	// Receipt is the 54-FZ receipt; its items must add up to Amount.
	Receipt *ReceiptData `json:"receipt,omitempty"`
	// Recipient chooses the sub-account (GatewayID).
	Recipient *Recipient `json:"recipient,omitempty"`
	// SavePaymentMethod true saves the buyer's method for automatic
	// payments, false forbids it; nil lets the buyer choose where the shop
	// may offer it.
	SavePaymentMethod *bool `json:"save_payment_method,omitempty"`
	// Capture true captures the payment at once (one stage); false (the
	// default) holds it until CapturePayment.
	Capture bool `json:"capture,omitempty"`
	// ClientIP is the buyer's IP address.
	ClientIP string `json:"client_ip,omitempty"`
	// Description is the payment's description, up to 128 characters.
	Description string `json:"description,omitempty"`
	// Metadata is the payment's merchant data (up to 16 keys of 32
	// characters, values up to 512).
	Metadata map[string]string `json:"metadata,omitempty"`
}

// Format prints the payment data as its log form, for every verb.
func (d InvoicePaymentData) Format(f fmt.State, _ rune) {
	printLogValue(f, "InvoicePaymentData", d.LogValue())
}

// LogValue logs the payment data as the payment request it becomes (see
// PaymentRequest.LogValue): without the receipt's contacts, the client IP
// or the metadata.
func (d InvoicePaymentData) LogValue() slog.Value {
	return PaymentRequest{Amount: d.Amount, Description: d.Description, Capture: d.Capture, Receipt: d.Receipt}.LogValue()
}

func (p *InvoicePaymentData) validate(prefix string) error {
	if err := checkAmount(prefix+"amount", p.Amount); err != nil {
		return err
	}
	if p.Receipt != nil {
		if err := p.Receipt.validate(prefix+"receipt.", &p.Amount); err != nil {
			return err
		}
	}
	if p.Recipient != nil {
		if p.Recipient.GatewayID == "" {
			return &ValidationError{Field: prefix + "recipient.gateway_id", Reason: "required when recipient is set"}
		}
		if p.Recipient.AccountID != "" {
			return &ValidationError{Field: prefix + "recipient.account_id", Reason: "is set by YooKassa; send only gateway_id"}
		}
	}
	if p.ClientIP != "" {
		if _, err := netip.ParseAddr(p.ClientIP); err != nil {
			return &ValidationError{Field: prefix + "client_ip", Reason: "not an IPv4 or IPv6 address"}
		}
	}
	if err := checkLen(prefix+"description", p.Description, 0, maxPaymentDescription); err != nil {
		return err
	}
	return checkMetadata(prefix+"metadata", p.Metadata)
}

// InvoiceRequest is the body of POST /invoices.
type InvoiceRequest struct {
	// PaymentData is the payment YooKassa creates when the buyer pays;
	// required.
	PaymentData InvoicePaymentData `json:"payment_data"`
	// Cart is what the invoice page shows, at least one line; required.
	Cart []InvoiceItem `json:"cart"`
	// DeliveryMethodData is how the link reaches the buyer.
	DeliveryMethodData *InvoiceDeliveryMethodData `json:"delivery_method_data,omitempty"`
	// ExpiresAt is until when the invoice can be paid, at most 30 days
	// ahead; required. It is sent in UTC.
	ExpiresAt time.Time `json:"expires_at"`
	// Locale is the language of the invoice page, SMS and email: "ru_RU" or
	// "en_US".
	Locale Locale `json:"locale,omitempty"`
	// Description is the invoice's description, up to 128 characters.
	Description string `json:"description,omitempty"`
	// Metadata is the invoice's merchant data (up to 16 keys of 32
	// characters, values up to 512).
	Metadata map[string]string `json:"metadata,omitempty"`
}

// LogValue logs the request's amount, size and expiry, without the buyer's
// contacts.
func (r InvoiceRequest) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("amount", r.PaymentData.Amount.String()),
		slog.Int("cart_lines", len(r.Cart)),
		slog.Time("expires_at", r.ExpiresAt),
	}
	if r.DeliveryMethodData != nil {
		attrs = append(attrs, slog.String("delivery", string(r.DeliveryMethodData.Type)))
	}
	return slog.GroupValue(attrs...)
}

// Validate checks the request against YooKassa's rules: the payment data
// (amount, receipt adding up to it, recipient, client IP, description and
// metadata as for payments); a cart of at least one line, each with a
// description of 1-128 characters, prices in the payment's currency and a
// positive quantity with at most three decimals; the delivery method with
// its phone or email; ExpiresAt set and at most 30 days ahead; the locale;
// the description and metadata. CreateInvoice calls it before sending.
func (r *InvoiceRequest) Validate() error {
	if err := r.PaymentData.validate("payment_data."); err != nil {
		return err
	}
	if len(r.Cart) == 0 {
		return &ValidationError{Field: "cart", Reason: "at least one line is required"}
	}
	for i := range r.Cart {
		if err := r.Cart[i].validate(fmt.Sprintf("cart[%d].", i), r.PaymentData.Amount.Currency); err != nil {
			return err
		}
	}
	if r.DeliveryMethodData != nil {
		if err := r.DeliveryMethodData.validate("delivery_method_data."); err != nil {
			return err
		}
	}
	if r.ExpiresAt.IsZero() {
		return &ValidationError{Field: "expires_at", Reason: "required"}
	}
	if r.ExpiresAt.After(time.Now().Add(maxInvoiceLifetime)) {
		return &ValidationError{Field: "expires_at", Reason: "must be at most 30 days ahead"}
	}
	if err := r.Locale.check(""); err != nil {
		return err
	}
	if err := checkLen("description", r.Description, 0, maxPaymentDescription); err != nil {
		return err
	}
	return checkMetadata("metadata", r.Metadata)
}

// InvoicePaymentDetails names the payment of an invoice, once the buyer
// has confirmed one.
type InvoicePaymentDetails struct {
	// ID is the payment's identifier (see GetPayment).
	ID string `json:"id"`
	// Status is waiting_for_capture, succeeded or canceled.
	Status PaymentStatus `json:"status"`
}

// Invoice is an invoice object: a YooKassa page with the cart from which
// the buyer pays. Its payment is an ordinary payment whose InvoiceDetails
// names the invoice; there is no invoice notification, so follow the
// payment's events or poll GetInvoice.
type Invoice struct {
	// ID is the invoice's identifier, "in-" and a UUID (39 characters).
	ID string `json:"id"`
	// Status is the invoice's state.
	Status InvoiceStatus `json:"status"`
	// Cart is the cart as sent.
	Cart []InvoiceItem `json:"cart"`
	// DeliveryMethod is how the link is delivered (pending invoices only).
	DeliveryMethod *InvoiceDeliveryMethod `json:"delivery_method,omitempty"`
	// PaymentDetails names the payment once the buyer has confirmed one.
	PaymentDetails *InvoicePaymentDetails `json:"payment_details,omitempty"`
	// CreatedAt is when the invoice was created.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is until when the invoice can be paid (pending invoices
	// only).
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// Description is the merchant's description.
	Description string `json:"description,omitempty"`
	// CancellationDetails says who canceled the invoice (merchant or
	// yoo_money) and why.
	CancellationDetails *CancellationDetails `json:"cancellation_details,omitempty"`
	// Metadata is the merchant's data given at creation.
	Metadata map[string]string `json:"metadata,omitempty"`
}

// invoiceIDLen is the length of an invoice's identifier: "in-" and a UUID.
const invoiceIDLen = 39

// CreateInvoice creates an invoice (POST /invoices) with the shop's
// credentials (HTTP Basic only). The buyer pays through the link in
// DeliveryMethod.URL (self) or the SMS or email YooKassa sends.
func (c *Client) CreateInvoice(ctx context.Context, req *InvoiceRequest, opts ...CallOption) (*Invoice, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil invoice request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	body := *req
	body.ExpiresAt = req.ExpiresAt.UTC()
	out := new(Invoice)
	if err := c.call(ctx, "POST", "/invoices", nil, &body, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetInvoice returns an invoice's current state (GET /invoices/{id}).
// Invoices created in the merchant profile cannot be read through the API.
func (c *Client) GetInvoice(ctx context.Context, id string, opts ...CallOption) (*Invoice, error) {
	path, err := objectPathOfLength("/invoices/", "invoice_id", id, invoiceIDLen)
	if err != nil {
		return nil, err
	}
	out := new(Invoice)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
