package yookassa

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Limits YooKassa documents for request fields.
const (
	maxPaymentDescription = 128
	maxRefundDescription  = 250
	maxMetadataKeys       = 16
	maxMetadataKey        = 32
	maxMetadataValue      = 512
	maxReturnURL          = 2048
	maxItemDescription    = 128
	maxCustomerName       = 256
	maxEmail              = 254
	maxMerchantCustomerID = 200
)

// Validate checks the request against YooKassa's documented rules: the
// amount (positive, at most two decimals, known currency), description up to
// 128 characters, metadata limits, at most one of payment_method_data,
// payment_method_id and payment_token, the confirmation (return_url up to
// 2048), and the receipt, whose items must add up exactly to the amount.
// CreatePayment calls it before sending.
func (r *PaymentRequest) Validate() error {
	if err := checkAmount("amount", r.Amount); err != nil {
		return err
	}
	if err := checkLen("description", r.Description, 0, maxPaymentDescription); err != nil {
		return err
	}
	if r.Receipt != nil {
		if err := r.Receipt.validate("receipt.", &r.Amount); err != nil {
			return err
		}
	}
	if r.Recipient != nil && r.Recipient.GatewayID == "" {
		return &ValidationError{Field: "recipient.gateway_id", Reason: "required when recipient is set"}
	}
	if r.Recipient != nil && r.Recipient.AccountID != "" {
		return &ValidationError{Field: "recipient.account_id", Reason: "is set by YooKassa; send only gateway_id"}
	}
	sources := 0
	for _, set := range []bool{r.PaymentToken != "", r.PaymentMethodID != "", r.PaymentMethodData != nil} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		return &ValidationError{Field: "payment_method_data", Reason: "send only one of payment_method_data, payment_method_id and payment_token"}
	}
	if r.PaymentMethodData != nil {
		if err := r.PaymentMethodData.validate("payment_method_data."); err != nil {
			return err
		}
	}
	if r.Confirmation != nil {
		if err := r.Confirmation.validate("confirmation."); err != nil {
			return err
		}
	}
	if r.ClientIP != "" {
		if _, err := netip.ParseAddr(r.ClientIP); err != nil {
			return &ValidationError{Field: "client_ip", Reason: "not an IPv4 or IPv6 address"}
		}
	}
	if err := checkMetadata("metadata", r.Metadata); err != nil {
		return err
	}
	if err := checkLen("merchant_customer_id", r.MerchantCustomerID, 0, maxMerchantCustomerID); err != nil {
		return err
	}
	if r.Airline != nil {
		if err := r.Airline.validate("airline."); err != nil {
			return err
		}
	}
	if err := checkTransfers("transfers", r.Transfers); err != nil {
		return err
	}
	if r.Deal != nil {
		if err := checkLen("deal.id", r.Deal.ID, 36, 50); err != nil {
			return err
		}
		if err := checkSettlements("deal.settlements", r.Deal.Settlements, true); err != nil {
			return err
		}
	}
	if r.PaymentOrder != nil {
		if err := r.PaymentOrder.validate("payment_order."); err != nil {
			return err
		}
	}
	if r.Receiver != nil {
		if err := r.Receiver.validate("receiver."); err != nil {
			return err
		}
	}
	for i, s := range r.Statements {
		f := fmt.Sprintf("statements[%d].", i)
		if s.Type != "payment_overview" {
			return &ValidationError{Field: f + "type", Reason: `must be "payment_overview"`}
		}
		if s.DeliveryMethod.Type != "email" {
			return &ValidationError{Field: f + "delivery_method.type", Reason: `must be "email"`}
		}
		if err := checkEmail(f+"delivery_method.email", s.DeliveryMethod.Email, true); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a capture request: a positive amount with at most two
// decimals, and a receipt that adds up to it.
func (r *CaptureRequest) Validate() error {
	if r.Amount != nil {
		if err := checkAmount("amount", *r.Amount); err != nil {
			return err
		}
	}
	if r.Receipt != nil {
		if err := r.Receipt.validate("receipt.", r.Amount); err != nil {
			return err
		}
	}
	if r.Airline != nil {
		if err := r.Airline.validate("airline."); err != nil {
			return err
		}
	}
	if err := checkTransfers("transfers", r.Transfers); err != nil {
		return err
	}
	if r.Deal != nil {
		if r.Deal.ID != "" {
			return &ValidationError{Field: "deal.id", Reason: "not sent with a capture; give only settlements"}
		}
		if err := checkSettlements("deal.settlements", r.Deal.Settlements, true); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a refund request: payment_id, a positive amount with at
// most two decimals, description up to 250 characters, metadata limits, and
// a receipt that adds up to the amount.
func (r *RefundRequest) Validate() error {
	if _, err := objectPath("", "payment_id", r.PaymentID); err != nil {
		return err
	}
	if err := checkAmount("amount", r.Amount); err != nil {
		return err
	}
	if err := checkLen("description", r.Description, 0, maxRefundDescription); err != nil {
		return err
	}
	if r.Receipt != nil {
		if err := r.Receipt.validate("receipt.", &r.Amount); err != nil {
			return err
		}
	}
	if err := checkMetadata("metadata", r.Metadata); err != nil {
		return err
	}
	for i, s := range r.Sources {
		f := fmt.Sprintf("sources[%d].", i)
		if s.AccountID == "" {
			return &ValidationError{Field: f + "account_id", Reason: "required"}
		}
		if err := checkAmount(f+"amount", s.Amount); err != nil {
			return err
		}
	}
	if r.Deal != nil {
		if r.Deal.ID != "" {
			return &ValidationError{Field: "deal.id", Reason: "not sent with a refund; give only refund_settlements"}
		}
		if err := checkSettlements("deal.refund_settlements", r.Deal.RefundSettlements, true); err != nil {
			return err
		}
	}
	if r.RefundMethodData != nil && r.RefundMethodData.Type != "electronic_certificate" {
		return &ValidationError{Field: "refund_method_data.type", Reason: `must be "electronic_certificate"`}
	}
	return nil
}

// Validate checks a receipt request (POST /receipts): type and the matching
// payment_id or refund_id, the customer's contact, 1-100 valid items, send
// true and at least one settlement.
func (r *ReceiptRequest) Validate() error {
	switch r.Type {
	case ReceiptTypePayment:
		if r.PaymentID == "" || r.RefundID != "" {
			return &ValidationError{Field: "payment_id", Reason: "a payment receipt names payment_id (and no refund_id)"}
		}
	case ReceiptTypeRefund:
		if r.RefundID == "" || r.PaymentID != "" {
			return &ValidationError{Field: "refund_id", Reason: "a refund receipt names refund_id (and no payment_id)"}
		}
	default:
		return &ValidationError{Field: "type", Reason: `must be "payment" or "refund"`}
	}
	data := ReceiptData{Customer: r.Customer, Items: r.Items, TaxSystemCode: r.TaxSystemCode, Timezone: r.Timezone,
		ReceiptIndustryDetails: r.ReceiptIndustryDetails, ReceiptOperationalDetails: r.ReceiptOperationalDetails}
	if err := data.validate("", nil); err != nil {
		return err
	}
	if !r.Send {
		return &ValidationError{Field: "send", Reason: "must be true"}
	}
	if err := checkSettlements("settlements", r.Settlements, false); err != nil {
		return err
	}
	if p := r.AdditionalUserProps; p != nil {
		if err := checkLen("additional_user_props.name", p.Name, 1, 64); err != nil {
			return err
		}
		if err := checkLen("additional_user_props.value", p.Value, 1, 234); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a webhook request: one of the four events the API serves
// and an https URL.
func (r *WebhookRequest) Validate() error {
	switch r.Event {
	case EventPaymentWaitingForCapture, EventPaymentSucceeded, EventPaymentCanceled, EventRefundSucceeded:
	default:
		return &ValidationError{Field: "event", Reason: fmt.Sprintf("%q cannot be subscribed to through the API", r.Event)}
	}
	u, err := url.Parse(r.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return &ValidationError{Field: "url", Reason: "must be an https URL"}
	}
	return nil
}

// Validate checks the receipt against YooKassa's rules and its total against
// amount: 1-100 items; each with a description of 1-128 characters, a
// positive unit price with at most two decimals in the amount's currency, a
// positive quantity with at most three decimals and vat_code 1-12; the
// customer's email or phone; and ReceiptTotal(items) equal to amount.
// Fields are named relative to the receipt, for example "items[1].quantity".
func (r *ReceiptData) Validate(amount Amount) error {
	return r.validate("", &amount)
}

func (r *ReceiptData) validate(prefix string, total *Amount) error {
	if r.Customer == nil || (r.Customer.Email == "" && r.Customer.Phone == "") {
		return &ValidationError{Field: prefix + "customer", Reason: "an email or a phone is required"}
	}
	c := r.Customer
	if err := checkLen(prefix+"customer.full_name", c.FullName, 0, maxCustomerName); err != nil {
		return err
	}
	if c.INN != "" && !isINN(c.INN) {
		return &ValidationError{Field: prefix + "customer.inn", Reason: "must be 10 or 12 digits"}
	}
	if err := checkEmail(prefix+"customer.email", c.Email, false); err != nil {
		return err
	}
	if err := checkPhone(prefix+"customer.phone", c.Phone, false); err != nil {
		return err
	}
	if len(r.Items) == 0 || len(r.Items) > MaxReceiptItems {
		return &ValidationError{Field: prefix + "items", Reason: fmt.Sprintf("must have 1-%d items, has %d", MaxReceiptItems, len(r.Items))}
	}
	for i := range r.Items {
		if err := r.Items[i].validate(fmt.Sprintf("%sitems[%d].", prefix, i), total); err != nil {
			return err
		}
	}
	if r.TaxSystemCode < 0 || r.TaxSystemCode > 6 {
		return &ValidationError{Field: prefix + "tax_system_code", Reason: "must be 1-6"}
	}
	if r.Timezone < 0 || r.Timezone > 11 {
		return &ValidationError{Field: prefix + "timezone", Reason: "must be 1-11"}
	}
	if total != nil {
		if sum := ReceiptTotal(r.Items); !sum.Equal(total.Value) {
			return &ValidationError{Field: prefix + "items", Reason: fmt.Sprintf(
				"items add up to %s (price x quantity, rounded to kopecks per line) but the amount is %s",
				sum.StringFixed(2), total.Value.StringFixed(2))}
		}
	}
	return nil
}

func (it *ReceiptItem) validate(prefix string, total *Amount) error {
	if err := checkLen(prefix+"description", it.Description, 1, maxItemDescription); err != nil {
		return err
	}
	if err := checkAmount(prefix+"amount", it.Amount); err != nil {
		return err
	}
	if total != nil && it.Amount.Currency != total.Currency {
		return &ValidationError{Field: prefix + "amount.currency", Reason: fmt.Sprintf("is %s, the amount is in %s", it.Amount.Currency, total.Currency)}
	}
	if it.VatCode < 1 || it.VatCode > maxVatCode {
		return &ValidationError{Field: prefix + "vat_code", Reason: fmt.Sprintf("must be 1-%d, is %d", maxVatCode, it.VatCode)}
	}
	if it.Quantity.Sign() <= 0 {
		return &ValidationError{Field: prefix + "quantity", Reason: "must be positive"}
	}
	if !inRange(it.Quantity) {
		return &ValidationError{Field: prefix + "quantity", Reason: "is out of range"}
	}
	if !it.Quantity.Equal(it.Quantity.Truncate(3)) {
		return &ValidationError{Field: prefix + "quantity", Reason: "has more than three decimal places"}
	}
	if mq := it.MarkQuantity; mq != nil && (mq.Numerator < 1 || mq.Denominator < 1) {
		return &ValidationError{Field: prefix + "mark_quantity", Reason: "numerator and denominator must be at least 1"}
	}
	if c := it.CountryOfOriginCode; c != "" && (len(c) != 2 || !isUpperAlpha(c)) {
		return &ValidationError{Field: prefix + "country_of_origin_code", Reason: "must be two capital letters"}
	}
	if err := checkLen(prefix+"customs_declaration_number", it.CustomsDeclarationNumber, 0, 32); err != nil {
		return err
	}
	if it.Excise != "" {
		if _, err := parseMoney(it.Excise); err != nil {
			return &ValidationError{Field: prefix + "excise", Reason: err.Error()}
		}
	}
	if it.ProductCode != "" && !isProductCode(it.ProductCode) {
		return &ValidationError{Field: prefix + "product_code", Reason: "must be hex bytes separated by spaces, at most 32 bytes"}
	}
	if it.PlannedStatus < 0 || it.PlannedStatus > 6 {
		return &ValidationError{Field: prefix + "planned_status", Reason: "must be 1-6"}
	}
	if it.MarkMode != "" && it.MarkMode != "0" {
		return &ValidationError{Field: prefix + "mark_mode", Reason: `must be "0"`}
	}
	if err := checkLen(prefix+"additional_payment_subject_props", it.AdditionalPaymentSubjectProps, 0, 64); err != nil {
		return err
	}
	if s := it.Supplier; s != nil {
		if s.INN != "" && !isINN(s.INN) {
			return &ValidationError{Field: prefix + "supplier.inn", Reason: "must be 10 or 12 digits"}
		}
		if err := checkPhone(prefix+"supplier.phone", s.Phone, false); err != nil {
			return err
		}
	}
	return nil
}

func (d *PaymentMethodData) validate(prefix string) error {
	if d.Type == "" {
		return &ValidationError{Field: prefix + "type", Reason: "required"}
	}
	if c := d.Card; c != nil {
		if !isDigits(c.Number, 14, 19) {
			return &ValidationError{Field: prefix + "card.number", Reason: "must be 14-19 digits"}
		}
		if !isDigits(c.ExpiryYear, 4, 4) {
			return &ValidationError{Field: prefix + "card.expiry_year", Reason: "must be YYYY"}
		}
		if !isDigits(c.ExpiryMonth, 2, 2) || c.ExpiryMonth < "01" || c.ExpiryMonth > "12" {
			return &ValidationError{Field: prefix + "card.expiry_month", Reason: "must be MM, 01-12"}
		}
		if c.CSC != "" && !isDigits(c.CSC, 3, 4) {
			return &ValidationError{Field: prefix + "card.csc", Reason: "must be 3-4 digits"}
		}
		if err := checkLen(prefix+"card.cardholder", c.Cardholder, 0, 26); err != nil {
			return err
		}
	}
	if err := checkPhone(prefix+"phone", d.Phone, d.Type == PaymentMethodMobileBalance); err != nil {
		return err
	}
	if d.Type == PaymentMethodB2BSberbank {
		if err := checkLen(prefix+"payment_purpose", d.PaymentPurpose, 1, 210); err != nil {
			return err
		}
		if d.VatData == nil {
			return &ValidationError{Field: prefix + "vat_data", Reason: "required for b2b_sberbank"}
		}
	}
	if v := d.VatData; v != nil {
		switch v.Type {
		case "calculated", "mixed":
			if v.Amount == nil {
				return &ValidationError{Field: prefix + "vat_data.amount", Reason: "required for type " + v.Type}
			}
			if err := checkAmount(prefix+"vat_data.amount", *v.Amount); err != nil {
				return err
			}
			if v.Type == "calculated" && v.Rate == "" {
				return &ValidationError{Field: prefix + "vat_data.rate", Reason: "required for type calculated"}
			}
		case "untaxed":
		default:
			return &ValidationError{Field: prefix + "vat_data.type", Reason: "must be calculated, mixed or untaxed"}
		}
	}
	return nil
}

func (c *Confirmation) validate(prefix string) error {
	switch c.Type {
	case ConfirmationRedirect, ConfirmationMobileApplication:
		if c.ReturnURL == "" {
			return &ValidationError{Field: prefix + "return_url", Reason: "required for type " + string(c.Type)}
		}
	case ConfirmationExternal, ConfirmationQR, ConfirmationEmbedded:
	case "":
		return &ValidationError{Field: prefix + "type", Reason: "required"}
	default:
		return &ValidationError{Field: prefix + "type", Reason: fmt.Sprintf("unknown confirmation type %q", c.Type)}
	}
	if c.ReturnURL != "" {
		if len(c.ReturnURL) > maxReturnURL {
			return &ValidationError{Field: prefix + "return_url", Reason: fmt.Sprintf("is %d characters, at most %d are allowed", len(c.ReturnURL), maxReturnURL)}
		}
		if !isAbsoluteURL(c.ReturnURL) {
			return &ValidationError{Field: prefix + "return_url", Reason: "must be an absolute URL without spaces"}
		}
	}
	if c.Locale != "" && c.Locale != "ru_RU" && c.Locale != "en_US" {
		return &ValidationError{Field: prefix + "locale", Reason: `must be "ru_RU" or "en_US"`}
	}
	if c.ConfirmationURL != "" || c.ConfirmationToken != "" || c.ConfirmationData != "" {
		return &ValidationError{Field: prefix + "confirmation_url", Reason: "is set by YooKassa, not sent in a request"}
	}
	return nil
}

func (a *Airline) validate(prefix string) error {
	if a.TicketNumber == "" && a.BookingReference == "" {
		return &ValidationError{Field: prefix + "booking_reference", Reason: "required when there is no ticket_number"}
	}
	if a.TicketNumber != "" && !isDigits(a.TicketNumber, 1, 150) {
		return &ValidationError{Field: prefix + "ticket_number", Reason: "must be 1-150 digits"}
	}
	if err := checkLen(prefix+"booking_reference", a.BookingReference, 0, 20); err != nil {
		return err
	}
	if len(a.Passengers) > 500 {
		return &ValidationError{Field: prefix + "passengers", Reason: "at most 500"}
	}
	for i, p := range a.Passengers {
		f := fmt.Sprintf("%spassengers[%d].", prefix, i)
		if err := checkLen(f+"first_name", p.FirstName, 1, 64); err != nil {
			return err
		}
		if err := checkLen(f+"last_name", p.LastName, 1, 64); err != nil {
			return err
		}
	}
	if len(a.Legs) > 4 {
		return &ValidationError{Field: prefix + "legs", Reason: "at most 4"}
	}
	for i, l := range a.Legs {
		f := fmt.Sprintf("%slegs[%d].", prefix, i)
		if len(l.DepartureAirport) != 3 || !isUpperAlpha(l.DepartureAirport) {
			return &ValidationError{Field: f + "departure_airport", Reason: "must be an IATA code of three capital letters"}
		}
		if len(l.DestinationAirport) != 3 || !isUpperAlpha(l.DestinationAirport) {
			return &ValidationError{Field: f + "destination_airport", Reason: "must be an IATA code of three capital letters"}
		}
		if _, err := time.Parse(time.DateOnly, l.DepartureDate); err != nil {
			return &ValidationError{Field: f + "departure_date", Reason: "must be YYYY-MM-DD"}
		}
	}
	return nil
}

func (o *PaymentOrder) validate(prefix string) error {
	if o.Type != "utilities" {
		return &ValidationError{Field: prefix + "type", Reason: `must be "utilities"`}
	}
	if err := checkAmount(prefix+"amount", o.Amount); err != nil {
		return err
	}
	if err := checkLen(prefix+"payment_purpose", o.PaymentPurpose, 1, 210); err != nil {
		return err
	}
	if !isDigits(o.Recipient.INN, 10, 10) {
		return &ValidationError{Field: prefix + "recipient.inn", Reason: "must be 10 digits"}
	}
	if !isDigits(o.Recipient.KPP, 9, 9) {
		return &ValidationError{Field: prefix + "recipient.kpp", Reason: "must be 9 digits"}
	}
	if !isDigits(o.Recipient.Bank.BIC, 9, 9) {
		return &ValidationError{Field: prefix + "recipient.bank.bic", Reason: "must be 9 digits"}
	}
	if p := o.PaymentPeriod; p != nil && (p.Month < 1 || p.Month > 12 || p.Year < 1920 || p.Year > 2050) {
		return &ValidationError{Field: prefix + "payment_period", Reason: "month must be 1-12 and year 1920-2050"}
	}
	return nil
}

func (r *Receiver) validate(prefix string) error {
	switch r.Type {
	case "mobile_balance":
		return checkPhone(prefix+"phone", r.Phone, true)
	case "digital_wallet":
		return checkLen(prefix+"account_number", r.AccountNumber, 1, 20)
	case "bank_account":
		if !isDigits(r.AccountNumber, 20, 20) {
			return &ValidationError{Field: prefix + "account_number", Reason: "must be 20 digits"}
		}
		if !isDigits(r.BIC, 9, 9) {
			return &ValidationError{Field: prefix + "bic", Reason: "must be 9 digits"}
		}
		return nil
	}
	return &ValidationError{Field: prefix + "type", Reason: "must be mobile_balance, digital_wallet or bank_account"}
}

func checkAmount(field string, a Amount) error {
	if !KnownCurrency(a.Currency) {
		return &ValidationError{Field: field + ".currency", Reason: fmt.Sprintf("unknown currency code %q", a.Currency)}
	}
	if !inRange(a.Value) {
		return &ValidationError{Field: field + ".value", Reason: "is out of range"}
	}
	if a.Value.Sign() <= 0 {
		return &ValidationError{Field: field + ".value", Reason: "must be positive"}
	}
	if !a.Value.Equal(a.Value.Truncate(2)) {
		return &ValidationError{Field: field + ".value", Reason: fmt.Sprintf("%s has more than two decimal places", a.Value.String())}
	}
	return nil
}

func checkTransfers(field string, ts []TransferRequest) error {
	for i, t := range ts {
		f := fmt.Sprintf("%s[%d].", field, i)
		if t.AccountID == "" {
			return &ValidationError{Field: f + "account_id", Reason: "required"}
		}
		if err := checkAmount(f+"amount", t.Amount); err != nil {
			return err
		}
		if t.PlatformFeeAmount != nil {
			if err := checkAmount(f+"platform_fee_amount", *t.PlatformFeeAmount); err != nil {
				return err
			}
		}
		if err := checkLen(f+"description", t.Description, 0, maxPaymentDescription); err != nil {
			return err
		}
		if err := checkMetadata(f+"metadata", t.Metadata); err != nil {
			return err
		}
	}
	return nil
}

func checkSettlements(field string, ss []Settlement, payouts bool) error {
	if len(ss) == 0 {
		return &ValidationError{Field: field, Reason: "at least one settlement is required"}
	}
	for i, s := range ss {
		f := fmt.Sprintf("%s[%d].", field, i)
		switch {
		case payouts && s.Type != SettlementPayout:
			return &ValidationError{Field: f + "type", Reason: `must be "payout"`}
		case !payouts && s.Type != SettlementCashless && s.Type != SettlementPrepayment &&
			s.Type != SettlementPostpayment && s.Type != SettlementConsideration:
			return &ValidationError{Field: f + "type", Reason: "must be cashless, prepayment, postpayment or consideration"}
		}
		if err := checkAmount(f+"amount", s.Amount); err != nil {
			return err
		}
	}
	return nil
}

func checkMetadata(field string, m map[string]string) error {
	if len(m) > maxMetadataKeys {
		return &ValidationError{Field: field, Reason: fmt.Sprintf("has %d keys, at most %d are allowed", len(m), maxMetadataKeys)}
	}
	for k, v := range m {
		if n := utf8.RuneCountInString(k); n == 0 || n > maxMetadataKey {
			return &ValidationError{Field: field, Reason: fmt.Sprintf("key %.40q must be 1-%d characters", k, maxMetadataKey)}
		}
		if utf8.RuneCountInString(v) > maxMetadataValue {
			return &ValidationError{Field: field + "." + k, Reason: fmt.Sprintf("value is over %d characters", maxMetadataValue)}
		}
	}
	return nil
}

// inRange refuses decimals whose exponent is far outside anything money or
// quantities need, before rounding could expand them into billions of
// digits. Decoding already refuses them; this covers values built in code.
func inRange(d decimal.Decimal) bool {
	e := d.Exponent()
	return e <= maxExponent && e >= -maxExponent
}

// checkLen counts characters (runes), as YooKassa does.
func checkLen(field, s string, lo, hi int) error {
	if !utf8.ValidString(s) {
		return &ValidationError{Field: field, Reason: "is not valid UTF-8"}
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n < lo && lo == 1:
		return &ValidationError{Field: field, Reason: "required"}
	case n < lo || n > hi:
		if lo == 0 {
			return &ValidationError{Field: field, Reason: fmt.Sprintf("is %d characters, at most %d are allowed", n, hi)}
		}
		return &ValidationError{Field: field, Reason: fmt.Sprintf("is %d characters, must be %d-%d", n, lo, hi)}
	}
	return nil
}

func checkEmail(field, s string, required bool) error {
	if s == "" {
		if required {
			return &ValidationError{Field: field, Reason: "required"}
		}
		return nil
	}
	at := strings.LastIndexByte(s, '@')
	if len(s) > maxEmail || at < 1 || at == len(s)-1 || strings.ContainsAny(s, " \t\r\n") {
		return &ValidationError{Field: field, Reason: "not an email address"}
	}
	return nil
}

func checkPhone(field, s string, required bool) error {
	if s == "" {
		if required {
			return &ValidationError{Field: field, Reason: "required"}
		}
		return nil
	}
	if !isDigits(s, 4, 15) {
		return &ValidationError{Field: field, Reason: "must be 4-15 digits in E.164 form, for example 79000000000"}
	}
	return nil
}

// isAbsoluteURL accepts scheme ":" rest, with a scheme as RFC 3986 defines
// it and no spaces or control characters anywhere.
func isAbsoluteURL(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 || colon == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f {
			return false
		}
		if i < colon && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

func isDigits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isINN(s string) bool { return isDigits(s, 10, 10) || isDigits(s, 12, 12) }

func isUpperAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// isProductCode accepts "00 00 00 01 ..." hex bytes, at most 32 of them.
func isProductCode(s string) bool {
	if len(s) < 2 || len(s) > 96 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'F' || c == ' ') {
			return false
		}
	}
	return true
}
