package yookassa

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"math"
	"net/netip"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// PaymentStatus is the state of a payment. A payment moves pending ->
// waiting_for_capture (two-stage payments) -> succeeded, or to canceled;
// succeeded and canceled are final.
type PaymentStatus string

// Payment statuses.
const (
	// PaymentStatusPending: created, waiting for the buyer (or the bank).
	PaymentStatusPending PaymentStatus = "pending"
	// PaymentStatusWaitingForCapture: paid and held; capture or cancel it
	// before ExpiresAt.
	PaymentStatusWaitingForCapture PaymentStatus = "waiting_for_capture"
	// PaymentStatusSucceeded: paid and captured (final).
	PaymentStatusSucceeded PaymentStatus = "succeeded"
	// PaymentStatusCanceled: canceled; see CancellationDetails (final).
	PaymentStatusCanceled PaymentStatus = "canceled"
)

// paymentStatuses are the statuses a payment can be in.
var paymentStatuses = []PaymentStatus{PaymentStatusPending, PaymentStatusWaitingForCapture, PaymentStatusSucceeded, PaymentStatusCanceled}

// Final reports whether the status can no longer change.
func (s PaymentStatus) Final() bool {
	return s == PaymentStatusSucceeded || s == PaymentStatusCanceled
}

// Stage orders payment statuses, the one place this order is written: a
// payment only ever moves to a status of a higher stage. pending is 1,
// waiting_for_capture 2, succeeded and canceled 3; an unknown status is 0.
// Use it to ignore a notification or an answer older than what is known.
func (s PaymentStatus) Stage() int {
	switch s {
	case PaymentStatusPending:
		return 1
	case PaymentStatusWaitingForCapture:
		return 2
	case PaymentStatusSucceeded, PaymentStatusCanceled:
		return 3
	}
	return 0
}

// PaymentMethodType is the code of a payment method.
type PaymentMethodType string

// Payment method codes. Some are only ever seen in old payments.
const (
	PaymentMethodBankCard              PaymentMethodType = "bank_card"
	PaymentMethodCash                  PaymentMethodType = "cash"
	PaymentMethodSberbank              PaymentMethodType = "sberbank"
	PaymentMethodTinkoffBank           PaymentMethodType = "tinkoff_bank"
	PaymentMethodYooMoney              PaymentMethodType = "yoo_money"
	PaymentMethodMobileBalance         PaymentMethodType = "mobile_balance"
	PaymentMethodB2BSberbank           PaymentMethodType = "b2b_sberbank"
	PaymentMethodSBP                   PaymentMethodType = "sbp"
	PaymentMethodSberLoan              PaymentMethodType = "sber_loan"
	PaymentMethodElectronicCertificate PaymentMethodType = "electronic_certificate"
	PaymentMethodSberBNPL              PaymentMethodType = "sber_bnpl"
	PaymentMethodAlfabank              PaymentMethodType = "alfabank"
	PaymentMethodWebmoney              PaymentMethodType = "webmoney"
	PaymentMethodWeChat                PaymentMethodType = "wechat"
	PaymentMethodApplePay              PaymentMethodType = "apple_pay"
	PaymentMethodGooglePay             PaymentMethodType = "google_pay"
	PaymentMethodQiwi                  PaymentMethodType = "qiwi"
	PaymentMethodInstallments          PaymentMethodType = "installments"
)

// paymentMethodTypes are the types of payment methods, those of new
// payments and those of old ones.
var paymentMethodTypes = append(append([]PaymentMethodType{}, payableMethods...),
	PaymentMethodAlfabank, PaymentMethodWebmoney, PaymentMethodWeChat, PaymentMethodApplePay,
	PaymentMethodGooglePay, PaymentMethodQiwi, PaymentMethodInstallments)

// payableMethods are the types a payment's payment_method_data may have;
// the others appear only in payments made earlier.
var payableMethods = []PaymentMethodType{
	PaymentMethodBankCard, PaymentMethodCash, PaymentMethodSberbank, PaymentMethodTinkoffBank,
	PaymentMethodYooMoney, PaymentMethodMobileBalance, PaymentMethodB2BSberbank, PaymentMethodSBP,
	PaymentMethodSberLoan, PaymentMethodElectronicCertificate, PaymentMethodSberBNPL,
}

// PaymentMethodStatus says whether a payment method was saved for reuse.
type PaymentMethodStatus string

// Payment method statuses.
const (
	PaymentMethodStatusPending  PaymentMethodStatus = "pending"
	PaymentMethodStatusActive   PaymentMethodStatus = "active"
	PaymentMethodStatusInactive PaymentMethodStatus = "inactive"
)

// Stage orders payment method statuses as Stage does for payments: pending
// is 1, active and inactive (both final) 2; an unknown status is 0.
func (s PaymentMethodStatus) Stage() int {
	switch s {
	case PaymentMethodStatusPending:
		return 1
	case PaymentMethodStatusActive, PaymentMethodStatusInactive:
		return 2
	}
	return 0
}

// Payment is a payment object.
type Payment struct {
	// ID is the payment's identifier, 36 characters.
	ID string `json:"id"`
	// Status is the payment's state.
	Status PaymentStatus `json:"status"`
	// Amount is the payment's sum. For a sber_loan installment plan YooKassa
	// rewrites it to the discounted sum once the buyer has paid; after a
	// partial capture it is the captured sum.
	Amount Amount `json:"amount"`
	// IncomeAmount is what the shop receives after YooKassa's fee.
	IncomeAmount *Amount `json:"income_amount,omitempty"`
	// Description is the merchant's description (up to 128 characters).
	Description string `json:"description,omitempty"`
	// Recipient is the shop (account) and sub-account (gateway).
	Recipient *Recipient `json:"recipient,omitempty"`
	// PaymentMethod is how the buyer paid (or is paying).
	PaymentMethod *PaymentMethod `json:"payment_method,omitempty"`
	// CapturedAt is when the payment was captured.
	CapturedAt *time.Time `json:"captured_at,omitempty"`
	// CreatedAt is when the payment was created.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is the deadline to capture or cancel a waiting_for_capture
	// payment; YooKassa cancels it afterwards (expired_on_capture).
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// Confirmation is what the buyer has to do to confirm the payment.
	Confirmation *Confirmation `json:"confirmation,omitempty"`
	// Test is true for payments of a test shop.
	Test bool `json:"test"`
	// RefundedAmount is the sum refunded so far.
	RefundedAmount *Amount `json:"refunded_amount,omitempty"`
	// Paid is true once the buyer has paid (waiting_for_capture, succeeded).
	Paid bool `json:"paid"`
	// Refundable is true while the payment can be refunded through the API.
	Refundable bool `json:"refundable"`
	// ReceiptRegistration is the registration status of the payment's receipt.
	ReceiptRegistration ReceiptStatus `json:"receipt_registration,omitempty"`
	// Metadata is the merchant's data given at creation.
	Metadata map[string]string `json:"metadata,omitempty"`
	// CancellationDetails says who canceled the payment and why.
	CancellationDetails *CancellationDetails `json:"cancellation_details,omitempty"`
	// AuthorizationDetails holds the card authorization data.
	AuthorizationDetails *AuthorizationDetails `json:"authorization_details,omitempty"`
	// Transfers is the split of the payment between shops.
	Transfers []Transfer `json:"transfers,omitempty"`
	// Deal is the Safe deal the payment belongs to.
	Deal *Deal `json:"deal,omitempty"`
	// MerchantCustomerID is the buyer's identifier in the merchant's system.
	MerchantCustomerID string `json:"merchant_customer_id,omitempty"`
	// InvoiceDetails names the invoice the payment was made through.
	InvoiceDetails *InvoiceDetails `json:"invoice_details,omitempty"`
}

// Format prints the payment as its log form, for every verb: the buyer's
// identifier in MerchantCustomerID and the payment method's contacts stay
// out. Read the fields, or encode the payment as JSON, for all of it.
func (p Payment) Format(f fmt.State, _ rune) { printLogValue(f, "Payment", p.LogValue()) }

// LogValue logs the payment without the buyer's data or the metadata: its
// ID, status, amounts, payment method (see PaymentMethod.LogValue),
// description and creation time.
func (p Payment) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("id", p.ID), slog.String("status", string(p.Status)), slog.Bool("paid", p.Paid),
		slog.String("amount", p.Amount.String())}
	if p.IncomeAmount != nil {
		attrs = append(attrs, slog.String("income_amount", p.IncomeAmount.String()))
	}
	if p.RefundedAmount != nil {
		attrs = append(attrs, slog.String("refunded_amount", p.RefundedAmount.String()))
	}
	if p.PaymentMethod != nil {
		attrs = append(attrs, slog.Any("payment_method", p.PaymentMethod.LogValue()))
	}
	if p.Description != "" {
		attrs = append(attrs, slog.String("description", p.Description))
	}
	attrs = append(attrs, slog.Time("created_at", p.CreatedAt), slog.Bool("test", p.Test))
	return slog.GroupValue(attrs...)
}

// Recipient is the receiver of a payment: the shop and its sub-account.
type Recipient struct {
	// AccountID is the shop ID (responses only).
	AccountID string `json:"account_id,omitempty"`
	// GatewayID is the sub-account ID.
	GatewayID string `json:"gateway_id"`
}

// InvoiceDetails names the invoice a payment was made through.
type InvoiceDetails struct {
	// ID is the invoice's identifier, 39 characters ("in-...").
	ID string `json:"id,omitempty"`
}

// PaymentMethod is the payment method of a payment. One struct carries the
// fields of every method; which are set depends on Type. An unknown Type
// still decodes with its common fields.
type PaymentMethod struct {
	// Type is the method's code.
	Type PaymentMethodType `json:"type"`
	// ID is the method's identifier (for reuse if it was saved).
	ID string `json:"id"`
	// Saved is true if the method was saved for automatic payments.
	Saved bool `json:"saved"`
	// Status is the saving status of the method.
	Status PaymentMethodStatus `json:"status,omitempty"`
	// Title is a name of the method for the buyer, for example "Bank card *4444".
	Title string `json:"title,omitempty"`

	// Card is the bank card (bank_card, sberbank, tinkoff_bank,
	// electronic_certificate).
	Card *BankCard `json:"card,omitempty"`
	// Phone is the buyer's phone (sberbank).
	Phone string `json:"phone,omitempty"`
	// Login is the Alfa-Click login (alfabank).
	Login string `json:"login,omitempty"`
	// AccountNumber is the YooMoney wallet number (yoo_money).
	AccountNumber string `json:"account_number,omitempty"`
	// SBPOperationID is the operation ID in the Faster Payments System (sbp).
	SBPOperationID string `json:"sbp_operation_id,omitempty"`
	// PayerBankDetails is the payer's bank (sbp: BankID and BIC; b2b_sberbank:
	// the organisation's requisites).
	PayerBankDetails *PayerBankDetails `json:"payer_bank_details,omitempty"`
	// PaymentPurpose is the purpose of a B2B payment (b2b_sberbank).
	PaymentPurpose string `json:"payment_purpose,omitempty"`
	// VatData is the VAT of a B2B payment (b2b_sberbank).
	VatData *VatData `json:"vat_data,omitempty"`

	// LoanOption is the credit option the buyer chose (sber_loan): "loan"
	// or "installments_N" (N months). Set once the payment is paid.
	LoanOption LoanOption `json:"loan_option,omitempty"`
	// DiscountAmount is the merchant's discount for an installment plan
	// (sber_loan); Amount is already reduced by it.
	DiscountAmount *Amount `json:"discount_amount,omitempty"`
	// SuspendedUntil is the end of the legal cooling-off period of a
	// sber_loan payment of 50,000 RUB or more; the buyer can back out until
	// then.
	SuspendedUntil *time.Time `json:"suspended_until,omitempty"`

	// ElectronicCertificate is the part paid by an electronic certificate.
	ElectronicCertificate *ElectronicCertificatePayment `json:"electronic_certificate,omitempty"`
	// Articles are the basket lines approved for an electronic certificate.
	Articles []ElectronicCertificateApprovedArticle `json:"articles,omitempty"`
}

// LogValue logs the method without the buyer's phone, login or wallet
// number: its type, ID, status, title, the masked card and the loan
// option.
func (m PaymentMethod) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("type", string(m.Type)), slog.String("id", m.ID), slog.Bool("saved", m.Saved)}
	if m.Status != "" {
		attrs = append(attrs, slog.String("status", string(m.Status)))
	}
	if m.Title != "" {
		attrs = append(attrs, slog.String("title", m.Title))
	}
	if c := m.Card; c != nil {
		attrs = append(attrs, slog.Group("card", slog.String("last4", c.Last4), slog.String("card_type", string(c.CardType))))
	}
	if m.LoanOption != "" {
		attrs = append(attrs, slog.String("loan_option", string(m.LoanOption)))
	}
	return slog.GroupValue(attrs...)
}

// Format prints the method as its log form, for every verb.
func (m PaymentMethod) Format(f fmt.State, _ rune) { printLogValue(f, "PaymentMethod", m.LogValue()) }

// LoanOption is the credit option of a sber_loan payment: LoanOptionLoan,
// or an installment plan "installments_N" for N months (see
// LoanOptionInstallments). Package sberloan parses and checks it against a
// merchant's tariffs.
type LoanOption string

// LoanOptionLoan is a consumer loan: the amount stays as created.
const LoanOptionLoan LoanOption = "loan"

// LoanOptionInstallments is the installment plan of the given number of
// months, "installments_<months>".
func LoanOptionInstallments(months int) LoanOption {
	return LoanOption("installments_" + strconv.Itoa(months))
}

// BankCard is a bank card as YooKassa describes it: never the full number.
type BankCard struct {
	First6        string       `json:"first6,omitempty"`
	Last4         string       `json:"last4"`
	ExpiryYear    string       `json:"expiry_year"`
	ExpiryMonth   string       `json:"expiry_month"`
	CardType      CardType     `json:"card_type"`
	CardProduct   *CardProduct `json:"card_product,omitempty"`
	IssuerCountry string       `json:"issuer_country,omitempty"`
	IssuerName    string       `json:"issuer_name,omitempty"`
	// Source is apple_pay, google_pay or mir_pay when the card came from a wallet.
	Source string `json:"source,omitempty"`
}

// CardProduct is the card product of a bank card.
type CardProduct struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
}

// PayerBankDetails is the payer's bank: BankID and BIC for sbp, the
// organisation's requisites for b2b_sberbank.
type PayerBankDetails struct {
	BankID     string `json:"bank_id,omitempty"`
	BIC        string `json:"bic,omitempty"`
	FullName   string `json:"full_name,omitempty"`
	ShortName  string `json:"short_name,omitempty"`
	Address    string `json:"address,omitempty"`
	INN        string `json:"inn,omitempty"`
	BankName   string `json:"bank_name,omitempty"`
	BankBranch string `json:"bank_branch,omitempty"`
	BankBIK    string `json:"bank_bik,omitempty"`
	Account    string `json:"account,omitempty"`
	KPP        string `json:"kpp,omitempty"`
}

// VatDataType is how the VAT of a b2b_sberbank payment is given.
type VatDataType string

// VAT data types.
const (
	// VatDataCalculated: VAT at Rate, of Amount.
	VatDataCalculated VatDataType = "calculated"
	// VatDataMixed: VAT at several rates, of Amount.
	VatDataMixed VatDataType = "mixed"
	// VatDataUntaxed: no VAT.
	VatDataUntaxed VatDataType = "untaxed"
)

// vatDataRates are the VAT rates, in percent, of a calculated VatData.
var vatDataRates = []string{"5", "7", "10", "20", "22"}

// VatData is the VAT of a b2b_sberbank payment: type calculated (with Rate
// and Amount), mixed (with Amount) or untaxed.
type VatData struct {
	Type   VatDataType `json:"type"`
	Rate   string      `json:"rate,omitempty"`
	Amount *Amount     `json:"amount,omitempty"`
}

// ElectronicCertificatePayment is the part of a payment covered by an
// electronic certificate (also used in requests and refunds).
type ElectronicCertificatePayment struct {
	Amount   Amount `json:"amount"`
	BasketID string `json:"basket_id"`
}

// Limits of electronic certificate data.
const (
	basketIDDigits     = 24
	truCodeLength      = 30
	maxArticleNumber   = 999
	maxArticleText     = 128
	maxArticleQuantity = math.MaxInt32
)

func (e *ElectronicCertificatePayment) validate(prefix string) error {
	if err := checkAmount(prefix+"amount", e.Amount); err != nil {
		return err
	}
	if !isDigits(e.BasketID, basketIDDigits, basketIDDigits) {
		return &ValidationError{Field: prefix + "basket_id", Reason: fmt.Sprintf("must be %d digits", basketIDDigits)}
	}
	return nil
}

// checkArticle applies the rules a basket line shares in payments and
// refunds: its number, its code of the catalogue of goods (TRU) and its
// quantity.
func checkArticle(prefix, numberField string, number int, truCode string, quantity int) error {
	if number < 1 || number > maxArticleNumber {
		return &ValidationError{Field: prefix + numberField, Reason: fmt.Sprintf("must be 1-%d", maxArticleNumber)}
	}
	if utf8.RuneCountInString(truCode) != truCodeLength {
		return &ValidationError{Field: prefix + "tru_code", Reason: fmt.Sprintf("must have %d characters", truCodeLength)}
	}
	if quantity < 1 || quantity > maxArticleQuantity {
		return &ValidationError{Field: prefix + "quantity", Reason: fmt.Sprintf("must be 1-%d", maxArticleQuantity)}
	}
	return nil
}

func (a *ElectronicCertificateArticle) validate(prefix string) error {
	if err := checkArticle(prefix, "article_number", a.ArticleNumber, a.TruCode, a.Quantity); err != nil {
		return err
	}
	if err := checkLen(prefix+"article_code", a.ArticleCode, 0, maxArticleText); err != nil {
		return err
	}
	if err := checkLen(prefix+"article_name", a.ArticleName, 1, maxArticleText); err != nil {
		return err
	}
	if err := checkAmount(prefix+"price", a.Price); err != nil {
		return err
	}
	return checkMetadata(prefix+"metadata", a.Metadata)
}

// ElectronicCertificateApprovedArticle is a basket line approved for an
// electronic certificate.
type ElectronicCertificateApprovedArticle struct {
	ArticleNumber int                     `json:"article_number"`
	TruCode       string                  `json:"tru_code"`
	ArticleCode   string                  `json:"article_code,omitempty"`
	Certificates  []ElectronicCertificate `json:"certificates"`
}

// ElectronicCertificate is a certificate applied to a basket line.
type ElectronicCertificate struct {
	CertificateID         string `json:"certificate_id"`
	TruQuantity           int    `json:"tru_quantity"`
	AvailableCompensation Amount `json:"available_compensation"`
	AppliedCompensation   Amount `json:"applied_compensation"`
}

// ConfirmationType is the way the buyer confirms a payment.
type ConfirmationType string

// Confirmation types.
const (
	ConfirmationRedirect          ConfirmationType = "redirect"
	ConfirmationExternal          ConfirmationType = "external"
	ConfirmationQR                ConfirmationType = "qr"
	ConfirmationEmbedded          ConfirmationType = "embedded"
	ConfirmationMobileApplication ConfirmationType = "mobile_application"
)

// Confirmation is the confirmation scenario of a payment: in a request, how
// the buyer should confirm; in a payment, what to do next (for redirect, send
// the buyer to ConfirmationURL). One struct carries the fields of every type.
type Confirmation struct {
	// Type is the scenario.
	Type ConfirmationType `json:"type"`
	// ReturnURL is where the buyer returns after confirming (redirect,
	// mobile_application, qr; up to 2048 characters).
	ReturnURL string `json:"return_url,omitempty"`
	// Enforce asks for 3-D Secure even where the shop normally goes without
	// it (redirect).
	Enforce bool `json:"enforce,omitempty"`
	// Locale is the language of YooKassa's pages.
	Locale Locale `json:"locale,omitempty"`
	// ConfirmationURL is the page to send the buyer to (responses: redirect,
	// mobile_application).
	ConfirmationURL string `json:"confirmation_url,omitempty"`
	// ConfirmationToken initialises the payment widget (responses: embedded).
	ConfirmationToken string `json:"confirmation_token,omitempty"`
	// ConfirmationData is the QR code's payload (responses: qr).
	ConfirmationData string `json:"confirmation_data,omitempty"`
}

// CancellationParty is who canceled a payment or refund.
type CancellationParty string

// Cancellation parties.
const (
	PartyMerchant       CancellationParty = "merchant"
	PartyYooMoney       CancellationParty = "yoo_money"
	PartyPaymentNetwork CancellationParty = "payment_network"
	PartyRefundNetwork  CancellationParty = "refund_network"
)

// CancellationReason is why a payment or refund was canceled.
type CancellationReason string

// Cancellation reasons of payments (and, where they apply, of refunds).
const (
	Reason3DSecureFailed             CancellationReason = "3d_secure_failed"
	ReasonCallIssuer                 CancellationReason = "call_issuer"
	ReasonCardExpired                CancellationReason = "card_expired"
	ReasonPaymentMethodLimitExceeded CancellationReason = "payment_method_limit_exceeded"
	ReasonPaymentMethodRestricted    CancellationReason = "payment_method_restricted"
	ReasonCountryForbidden           CancellationReason = "country_forbidden"
	ReasonGeneralDecline             CancellationReason = "general_decline"
	ReasonFraudSuspected             CancellationReason = "fraud_suspected"
	ReasonIdentificationRequired     CancellationReason = "identification_required"
	ReasonInsufficientFunds          CancellationReason = "insufficient_funds"
	ReasonInvalidCardNumber          CancellationReason = "invalid_card_number"
	ReasonInvalidCSC                 CancellationReason = "invalid_csc"
	ReasonIssuerUnavailable          CancellationReason = "issuer_unavailable"
	ReasonCanceledByMerchant         CancellationReason = "canceled_by_merchant"
	ReasonPermissionRevoked          CancellationReason = "permission_revoked"
	ReasonInternalTimeout            CancellationReason = "internal_timeout"
	ReasonExpiredOnConfirmation      CancellationReason = "expired_on_confirmation"
	ReasonExpiredOnCapture           CancellationReason = "expired_on_capture"
	ReasonUnsupportedMobileOperator  CancellationReason = "unsupported_mobile_operator"
	ReasonDealExpired                CancellationReason = "deal_expired"
	ReasonRejectedByTimeout          CancellationReason = "rejected_by_timeout"

	// Refund-only reasons.
	ReasonYooMoneyAccountClosed        CancellationReason = "yoo_money_account_closed"
	ReasonRejectedByPayee              CancellationReason = "rejected_by_payee"
	ReasonPaymentBasketIDNotFound      CancellationReason = "payment_basket_id_not_found"
	ReasonPaymentArticleNumberNotFound CancellationReason = "payment_article_number_not_found"
	ReasonPaymentTruCodeNotFound       CancellationReason = "payment_tru_code_not_found"
	ReasonTooManyRefundingArticles     CancellationReason = "too_many_refunding_articles"
	ReasonSomeArticlesAlreadyRefunded  CancellationReason = "some_articles_already_refunded"
)

// CancellationDetails says who canceled a payment or refund and why.
type CancellationDetails struct {
	Party  CancellationParty  `json:"party"`
	Reason CancellationReason `json:"reason"`
}

// AuthorizationDetails is the card authorization of a payment.
type AuthorizationDetails struct {
	// RRN is the retrieval reference number of the transaction.
	RRN string `json:"rrn,omitempty"`
	// AuthCode is the bank's authorization code.
	AuthCode string `json:"auth_code,omitempty"`
	// ThreeDSecure says whether 3-D Secure was applied.
	ThreeDSecure *ThreeDSecure `json:"three_d_secure,omitempty"`
}

// ThreeDSecure is how the buyer went through 3-D Secure authentication.
type ThreeDSecure struct {
	// Applied is true if YooKassa showed the buyer the 3-D Secure form.
	Applied bool `json:"applied"`
	// MethodCompleted is true if the issuer's 3DS Method step (the browser
	// fingerprint of 3-D Secure 2) completed; absent in the specification
	// but present in real notifications.
	MethodCompleted *bool `json:"method_completed,omitempty"`
	// ChallengeCompleted is true if the buyer completed the challenge
	// (the code from the bank); present in real notifications.
	ChallengeCompleted *bool `json:"challenge_completed,omitempty"`
	// Protocol is the 3-D Secure version used, for example "v2"; present in
	// real notifications.
	Protocol string `json:"protocol,omitempty"`
}

// TransferStatus is the state of a split-payment transfer.
type TransferStatus string

// Transfer statuses.
const (
	TransferStatusPending           TransferStatus = "pending"
	TransferStatusWaitingForCapture TransferStatus = "waiting_for_capture"
	TransferStatusSucceeded         TransferStatus = "succeeded"
	TransferStatusCanceled          TransferStatus = "canceled"
)

// Transfer is the share of a split payment that goes to one shop.
type Transfer struct {
	AccountID         string            `json:"account_id"`
	Amount            Amount            `json:"amount"`
	Status            TransferStatus    `json:"status"`
	PlatformFeeAmount *Amount           `json:"platform_fee_amount,omitempty"`
	Description       string            `json:"description,omitempty"`
	Metadata          map[string]string `json:"metadata,omitempty"`
}

// TransferRequest is the share of a split payment for one shop, in a payment
// or capture request (Description and Metadata only with payments).
type TransferRequest struct {
	AccountID         string            `json:"account_id"`
	Amount            Amount            `json:"amount"`
	PlatformFeeAmount *Amount           `json:"platform_fee_amount,omitempty"`
	Description       string            `json:"description,omitempty"`
	Metadata          map[string]string `json:"metadata,omitempty"`
}

// Deal is the Safe deal a payment belongs to. In a capture request only
// Settlements is sent.
type Deal struct {
	ID          string       `json:"id,omitempty"`
	Settlements []Settlement `json:"settlements"`
}

// Airline is airline ticket data of a card payment.
type Airline struct {
	TicketNumber     string      `json:"ticket_number,omitempty"`
	BookingReference string      `json:"booking_reference,omitempty"`
	Passengers       []Passenger `json:"passengers,omitempty"`
	Legs             []FlightLeg `json:"legs,omitempty"`
}

// Format prints the airline data as its log form, for every verb.
func (a Airline) Format(f fmt.State, _ rune) { printLogValue(f, "Airline", a.LogValue()) }

// LogValue logs the airline data without the passengers' names: the
// ticket number, the booking reference and the number of passengers and
// legs.
func (a Airline) LogValue() slog.Value {
	return slog.GroupValue(slog.String("ticket_number", a.TicketNumber), slog.String("booking_reference", a.BookingReference),
		slog.Int("passengers", len(a.Passengers)), slog.Int("legs", len(a.Legs)))
}

// Passenger is an airline passenger (Latin letters).
type Passenger struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// Format prints the passenger with the names redacted, for every verb.
func (p Passenger) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "yookassa.Passenger{FirstName:%s LastName:%s}", redacted(p.FirstName), redacted(p.LastName))
}

// LogValue logs nothing of the passenger but that there is one.
func (p Passenger) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// FlightLeg is one leg of a flight.
type FlightLeg struct {
	DepartureAirport   string `json:"departure_airport"`
	DestinationAirport string `json:"destination_airport"`
	// DepartureDate is YYYY-MM-DD.
	DepartureDate string `json:"departure_date"`
	CarrierCode   string `json:"carrier_code,omitempty"`
}

// PaymentMethodData is the payment method chosen by the merchant in a
// payment request. One struct carries the fields of every method.
type PaymentMethodData struct {
	// Type is the method's code; sber_loan needs nothing else.
	Type PaymentMethodType `json:"type"`
	// Card is raw card data (bank_card, electronic_certificate); sending it
	// needs PCI DSS certification. Never printed in full.
	Card *CardData `json:"card,omitempty"`
	// Phone is the buyer's phone: cash, sberbank, sber_bnpl, mobile_balance
	// (required there).
	Phone string `json:"phone,omitempty"`
	// PaymentPurpose is the purpose of a B2B payment (b2b_sberbank).
	PaymentPurpose string `json:"payment_purpose,omitempty"`
	// VatData is the VAT of a B2B payment (b2b_sberbank).
	VatData *VatData `json:"vat_data,omitempty"`
	// ElectronicCertificate is the certificate part (electronic_certificate).
	ElectronicCertificate *ElectronicCertificatePayment `json:"electronic_certificate,omitempty"`
	// Articles is the basket for an electronic certificate.
	Articles []ElectronicCertificateArticle `json:"articles,omitempty"`
}

// Format prints the method data as its log form, for every verb.
func (d PaymentMethodData) Format(f fmt.State, _ rune) {
	printLogValue(f, "PaymentMethodData", d.LogValue())
}

// LogValue logs the method's type and, for raw card data, the masked card
// (see CardData): slog's handlers never see the card number, the CSC or
// the buyer's phone.
func (d PaymentMethodData) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("type", string(d.Type))}
	if d.Card != nil {
		attrs = append(attrs, slog.Any("card", d.Card.LogValue()))
	}
	return slog.GroupValue(attrs...)
}

// ElectronicCertificateArticle is a basket line paid with an electronic
// certificate.
type ElectronicCertificateArticle struct {
	ArticleNumber int               `json:"article_number"`
	TruCode       string            `json:"tru_code"`
	ArticleCode   string            `json:"article_code,omitempty"`
	ArticleName   string            `json:"article_name"`
	Quantity      int               `json:"quantity"`
	Price         Amount            `json:"price"`
	Metadata      map[string]string `json:"metadata,omitempty"`
}

// PaymentOrderType is the kind of a payment order.
type PaymentOrderType string

// PaymentOrderUtilities is a payment order for housing and utility
// services, the one kind.
const PaymentOrderUtilities PaymentOrderType = "utilities"

// PaymentOrder is a payment order for housing and utility services.
type PaymentOrder struct {
	// Type is PaymentOrderUtilities, the one type.
	Type                  PaymentOrderType      `json:"type"`
	Amount                Amount                `json:"amount"`
	PaymentPurpose        string                `json:"payment_purpose"`
	Recipient             PaymentOrderRecipient `json:"recipient"`
	KBK                   string                `json:"kbk,omitempty"`
	OKTMO                 string                `json:"oktmo,omitempty"`
	PaymentPeriod         *PaymentPeriod        `json:"payment_period,omitempty"`
	PaymentDocumentID     string                `json:"payment_document_id,omitempty"`
	PaymentDocumentNumber string                `json:"payment_document_number,omitempty"`
	AccountNumber         string                `json:"account_number,omitempty"`
	UnifiedAccountNumber  string                `json:"unified_account_number,omitempty"`
	ServiceID             string                `json:"service_id,omitempty"`
}

// LogValue logs the order without the payer's account numbers: its type,
// amount and recipient.
func (o PaymentOrder) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(o.Type)), slog.String("amount", o.Amount.String()),
		slog.String("recipient", o.Recipient.Name))
}

// Format prints the order as its log form, for every verb.
func (o PaymentOrder) Format(f fmt.State, _ rune) { printLogValue(f, "PaymentOrder", o.LogValue()) }

// PaymentOrderRecipient is the receiver of a utilities payment order.
type PaymentOrderRecipient struct {
	Name string           `json:"name"`
	INN  string           `json:"inn"`
	KPP  string           `json:"kpp"`
	Bank PaymentOrderBank `json:"bank"`
}

// PaymentOrderBank is the receiver's bank of a utilities payment order.
type PaymentOrderBank struct {
	Name                 string `json:"name"`
	BIC                  string `json:"bic"`
	Account              string `json:"account"`
	CorrespondentAccount string `json:"correspondent_account"`
}

// PaymentPeriod is the month a utilities payment is for.
type PaymentPeriod struct {
	Month int `json:"month"`
	Year  int `json:"year"`
}

// ReceiverType is the kind of account a payment tops up.
type ReceiverType string

// Receiver types.
const (
	ReceiverMobileBalance ReceiverType = "mobile_balance"
	ReceiverDigitalWallet ReceiverType = "digital_wallet"
	ReceiverBankAccount   ReceiverType = "bank_account"
)

// Receiver is the account a payment tops up: type mobile_balance (Phone),
// digital_wallet (AccountNumber) or bank_account (AccountNumber and BIC).
type Receiver struct {
	Type          ReceiverType `json:"type"`
	Phone         string       `json:"phone,omitempty"`
	AccountNumber string       `json:"account_number,omitempty"`
	BIC           string       `json:"bic,omitempty"`
}

// LogValue logs the receiver's type and bank, not the phone or account.
func (r Receiver) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(r.Type)), slog.String("bic", r.BIC))
}

// Format prints the receiver as its log form, for every verb.
func (r Receiver) Format(f fmt.State, _ rune) { printLogValue(f, "Receiver", r.LogValue()) }

// StatementType is the kind of a document about a payment.
type StatementType string

// StatementPaymentOverview is the payment overview, the one kind.
const StatementPaymentOverview StatementType = "payment_overview"

// StatementDeliveryType is how a statement is delivered.
type StatementDeliveryType string

// StatementDeliveryEmail delivers a statement by email, the one way.
const StatementDeliveryEmail StatementDeliveryType = "email"

// Statement asks YooKassa to email the buyer a document about the payment;
// the one type is payment_overview.
type Statement struct {
	Type           StatementType           `json:"type"`
	DeliveryMethod StatementDeliveryMethod `json:"delivery_method"`
}

// StatementDeliveryMethod is where a statement goes; the one type is email.
type StatementDeliveryMethod struct {
	Type  StatementDeliveryType `json:"type"`
	Email string                `json:"email"`
}

// LogValue logs the delivery type, not the address.
func (d StatementDeliveryMethod) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(d.Type)))
}

// Format prints the delivery method as its log form, for every verb.
func (d StatementDeliveryMethod) Format(f fmt.State, _ rune) {
	printLogValue(f, "StatementDeliveryMethod", d.LogValue())
}

// LogValue logs the statement's type and how it is delivered, not the
// address.
func (s Statement) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", string(s.Type)), slog.Any("delivery_method", s.DeliveryMethod.LogValue()))
}

// PaymentRequest is the body of POST /payments.
type PaymentRequest struct {
	// Amount is the sum to charge; required, positive, at most two decimals.
	Amount Amount `json:"amount"`
	// Description is shown to the buyer and in the merchant's profile (up
	// to 128 characters).
	Description string `json:"description,omitempty"`
	// Receipt is the 54-FZ receipt; its items must add up to Amount.
	Receipt *ReceiptData `json:"receipt,omitempty"`
	// Recipient chooses the sub-account (GatewayID).
	Recipient *Recipient `json:"recipient,omitempty"`
	// PaymentToken is a one-time token from the YooKassa checkout widget or
	// mobile SDK. At most one of PaymentToken, PaymentMethodID and
	// PaymentMethodData.
	PaymentToken string `json:"payment_token,omitempty"`
	// PaymentMethodID is a saved payment method, for automatic payments.
	PaymentMethodID string `json:"payment_method_id,omitempty"`
	// PaymentMethodData selects the payment method; without it the buyer
	// chooses on YooKassa's page.
	PaymentMethodData *PaymentMethodData `json:"payment_method_data,omitempty"`
	// Confirmation is the confirmation scenario, for example a redirect
	// with the return URL.
	Confirmation *Confirmation `json:"confirmation,omitempty"`
	// SavePaymentMethod saves the method for automatic payments.
	SavePaymentMethod bool `json:"save_payment_method,omitempty"`
	// Capture true captures the payment at once (one stage); false (the
	// default) holds it in waiting_for_capture until CapturePayment.
	Capture bool `json:"capture,omitempty"`
	// ClientIP is the buyer's IP address.
	ClientIP string `json:"client_ip,omitempty"`
	// Metadata is the merchant's data (up to 16 keys of 32 characters,
	// values up to 512); YooKassa returns it with the payment.
	Metadata map[string]string `json:"metadata,omitempty"`
	// Airline is airline ticket data (cards only).
	Airline *Airline `json:"airline,omitempty"`
	// Transfers splits the payment between shops.
	Transfers []TransferRequest `json:"transfers,omitempty"`
	// Deal puts the payment into a Safe deal.
	Deal *Deal `json:"deal,omitempty"`
	// MerchantCustomerID identifies the buyer in the merchant's system (up
	// to 200 characters).
	MerchantCustomerID string `json:"merchant_customer_id,omitempty"`
	// PaymentOrder is a utilities payment order.
	PaymentOrder *PaymentOrder `json:"payment_order,omitempty"`
	// Receiver is the account the payment tops up.
	Receiver *Receiver `json:"receiver,omitempty"`
	// Statements asks for documents about the payment to be sent.
	Statements []Statement `json:"statements,omitempty"`
}

// Format prints the request as its log form, for every verb.
func (r PaymentRequest) Format(f fmt.State, _ rune) { printLogValue(f, "PaymentRequest", r.LogValue()) }

// LogValue logs what identifies the request without card data, tokens or
// the buyer's personal data: the amount, the description, the capture
// flag, the payment method (see PaymentMethodData.LogValue), the
// confirmation type and the receipt (see ReceiptData.LogValue). Log a
// request with slog rather than as JSON: its JSON form is what YooKassa
// receives, card data included.
func (r PaymentRequest) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("amount", r.Amount.String())}
	if r.Description != "" {
		attrs = append(attrs, slog.String("description", r.Description))
	}
	attrs = append(attrs, slog.Bool("capture", r.Capture))
	if r.PaymentMethodData != nil {
		attrs = append(attrs, slog.Any("payment_method_data", r.PaymentMethodData.LogValue()))
	}
	if r.PaymentMethodID != "" {
		attrs = append(attrs, slog.Bool("saved_payment_method", true))
	}
	if r.Confirmation != nil {
		attrs = append(attrs, slog.String("confirmation", string(r.Confirmation.Type)))
	}
	if r.Receipt != nil {
		attrs = append(attrs, slog.Any("receipt", r.Receipt.LogValue()))
	}
	return slog.GroupValue(attrs...)
}

// CaptureRequest is the body of POST /payments/{id}/capture. A nil request
// captures the whole payment.
type CaptureRequest struct {
	// Amount is the sum to capture; less than the payment's amount is a
	// partial capture and the rest returns to the buyer.
	Amount *Amount `json:"amount,omitempty"`
	// Receipt is the receipt of a partial capture; it must add up to Amount.
	Receipt *ReceiptData `json:"receipt,omitempty"`
	// Airline is airline ticket data.
	Airline *Airline `json:"airline,omitempty"`
	// Transfers is the split of a partial capture.
	Transfers []TransferRequest `json:"transfers,omitempty"`
	// Deal is the deal's settlements of a partial capture (only Settlements
	// is sent).
	Deal *Deal `json:"deal,omitempty"`
}

// LogValue logs the capture without the receipt's contacts or the
// passengers' names: the amount, the receipt (see ReceiptData.LogValue),
// and the number of passengers, transfers and deal settlements.
func (r CaptureRequest) LogValue() slog.Value {
	var attrs []slog.Attr
	if r.Amount != nil {
		attrs = append(attrs, slog.String("amount", r.Amount.String()))
	}
	if r.Receipt != nil {
		attrs = append(attrs, slog.Any("receipt", r.Receipt.LogValue()))
	}
	if r.Airline != nil {
		attrs = append(attrs, slog.Int("passengers", len(r.Airline.Passengers)))
	}
	if len(r.Transfers) > 0 {
		attrs = append(attrs, slog.Int("transfers", len(r.Transfers)))
	}
	if r.Deal != nil {
		attrs = append(attrs, slog.Int("deal_settlements", len(r.Deal.Settlements)))
	}
	return slog.GroupValue(attrs...)
}

// PaymentList is one page of GET /payments.
type PaymentList struct {
	// Type is "list".
	Type string `json:"type"`
	// Items are the payments of this page, newest first.
	Items []Payment `json:"items"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// LogValue logs the page as the number of payments and the next cursor;
// log a payment itself for its details.
func (l PaymentList) LogValue() slog.Value {
	return listLogValue(len(l.Items), l.NextCursor)
}

// PaymentListParams filters GET /payments. The zero value lists everything.
type PaymentListParams struct {
	// CreatedAtGTE, CreatedAtGT, CreatedAtLTE and CreatedAtLT bound the
	// creation time; zero values are not sent.
	CreatedAtGTE, CreatedAtGT, CreatedAtLTE, CreatedAtLT time.Time
	// CapturedAtGTE, CapturedAtGT, CapturedAtLTE and CapturedAtLT bound the
	// capture time.
	CapturedAtGTE, CapturedAtGT, CapturedAtLTE, CapturedAtLT time.Time
	// PaymentMethod keeps payments of one method.
	PaymentMethod PaymentMethodType
	// Status keeps payments in one status.
	Status PaymentStatus
	// Limit is the page size, 1-100 (0 means YooKassa's default of 10).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

func (p *PaymentListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	addTimeRange(q, "created_at", p.CreatedAtGTE, p.CreatedAtGT, p.CreatedAtLTE, p.CreatedAtLT)
	addTimeRange(q, "captured_at", p.CapturedAtGTE, p.CapturedAtGT, p.CapturedAtLTE, p.CapturedAtLT)
	if err := checkOneOf("payment_method", p.PaymentMethod, false, paymentMethodTypes); err != nil {
		return nil, err
	}
	if err := checkOneOf("status", p.Status, false, paymentStatuses); err != nil {
		return nil, err
	}
	addString(q, "payment_method", string(p.PaymentMethod))
	addString(q, "status", string(p.Status))
	return q, addPage(q, p.Limit, p.Cursor)
}

// CreatePayment creates a payment (POST /payments). The request is checked
// before anything is sent; see PaymentRequest.Validate.
//
// Pin the Idempotence-Key with WithIdempotenceKey (for example the order ID
// plus "/pay") so that a retry after a crash cannot create a second payment.
func (c *Client) CreatePayment(ctx context.Context, req *PaymentRequest, opts ...CallOption) (*Payment, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil payment request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(Payment)
	if err := c.call(ctx, "POST", "/payments", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetPayment returns the payment's current state (GET /payments/{id}).
func (c *Client) GetPayment(ctx context.Context, id string, opts ...CallOption) (*Payment, error) {
	path, err := objectPathOfLength("/payments/", "payment_id", id, paymentIDLength)
	if err != nil {
		return nil, err
	}
	out := new(Payment)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// CapturePayment captures a waiting_for_capture payment
// (POST /payments/{id}/capture). A nil request captures the whole amount; a
// smaller Amount captures part and returns the rest to the buyer.
func (c *Client) CapturePayment(ctx context.Context, id string, req *CaptureRequest, opts ...CallOption) (*Payment, error) {
	path, err := objectPathOfLength("/payments/", "payment_id", id, paymentIDLength)
	if err != nil {
		return nil, err
	}
	if req == nil {
		req = &CaptureRequest{}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(Payment)
	if err := c.call(ctx, "POST", path+"/capture", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// CancelPayment cancels a waiting_for_capture payment
// (POST /payments/{id}/cancel); the money returns to the buyer.
func (c *Client) CancelPayment(ctx context.Context, id string, opts ...CallOption) (*Payment, error) {
	path, err := objectPathOfLength("/payments/", "payment_id", id, paymentIDLength)
	if err != nil {
		return nil, err
	}
	out := new(Payment)
	if err := c.call(ctx, "POST", path+"/cancel", nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListPayments returns one page of payments (GET /payments). Pass the page's
// NextCursor as params.Cursor for the next one, or use Payments.
func (c *Client) ListPayments(ctx context.Context, params *PaymentListParams, opts ...CallOption) (*PaymentList, error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	out := new(PaymentList)
	if err := c.call(ctx, "GET", "/payments", q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Payments iterates over every payment matching params (nil: all), page
// after page. It stops at the first error, which it yields with a nil
// payment.
// Every range starts again from params, with its own state: the sequence
// can be ranged over again, and from several goroutines at once. A
// next_cursor already visited ends the walk with an error wrapping
// ErrCursorCycle.
func (c *Client) Payments(ctx context.Context, params *PaymentListParams, opts ...CallOption) iter.Seq2[*Payment, error] {
	var p PaymentListParams
	if params != nil {
		p = *params
	}
	return paginate(func(cursor string) ([]Payment, string, error) {
		q := p // each page gets its own copy: ranges may run at once
		q.Cursor = cursor
		page, err := c.ListPayments(ctx, &q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Items, page.NextCursor, nil
	}, p.Cursor)
}

// Limits of payment request fields.
const (
	maxPaymentDescription = 128
	maxMerchantCustomerID = 200
	maxReturnURL          = 2048
	maxPaymentPurpose     = 210
	maxOrderBankName      = 45
	maxTicketNumberDigits = 150
	maxBookingReference   = 20
	maxPassengers         = 500
	maxPassengerName      = 64
	maxFlightLegs         = 4
	minDealIDLen          = 36
	maxDealIDLen          = 50
	maxDigitalWallet      = 20
)

// Validate checks the request against YooKassa's documented rules: the
// amount (positive, at most two decimals, known currency), description up to
// 128 characters, metadata limits, at most one of payment_method_data,
// payment_method_id and payment_token, a payment_method_data type a new
// payment may have (with the card, the b2b_sberbank VAT and the electronic
// certificate's basket and articles), the confirmation (return_url up to
// 2048), the airline data, the payment order, the receiver, and the
// receipt, whose items must add up exactly to the amount.
// When payment_method_data names sber_loan or sber_bnpl it also applies
// the rules of the method that hold for every contract: no
// save_payment_method, airline, transfers or deal, only the type in
// payment_method_data (and the phone, for sber_bnpl), a redirect
// confirmation, RUB, and for sber_loan at least 3,000.00 RUB.
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
		if err := checkLen("deal.id", r.Deal.ID, minDealIDLen, maxDealIDLen); err != nil {
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
		if s.Type != StatementPaymentOverview {
			return &ValidationError{Field: f + "type", Reason: `must be "payment_overview"`}
		}
		if s.DeliveryMethod.Type != StatementDeliveryEmail {
			return &ValidationError{Field: f + "delivery_method.type", Reason: `must be "email"`}
		}
		if err := checkEmail(f+"delivery_method.email", s.DeliveryMethod.Email, true); err != nil {
			return err
		}
	}
	return r.checkSberCredit()
}

// minSberLoanAmount is the smallest sber_loan payment SberBank accepts at
// creation under any contract, in RUB. A contract may raise it (the
// installment plans' discount does): package sberloan checks those limits.
const minSberLoanAmount = 3000

// minSberLoanValue is minSberLoanAmount in kopecks' scale, the scale of
// the amounts it is compared with, so that the comparison needs no
// rescaling.
var minSberLoanValue = decimal.New(minSberLoanAmount*100, -2)

// checkSberCredit applies the rules of sber_loan and sber_bnpl, SberBank's
// credit methods, that hold for every contract, when payment_method_data
// names one: the method takes only its type (and, for sber_bnpl, the
// buyer's phone); it cannot be saved, split, put in a Safe deal or carry
// airline data; it is confirmed by redirect and paid in RUB; and a
// sber_loan is at least 3,000 RUB. The limits that depend on the
// merchant's contract, or that YooKassa has changed over time (sber_bnpl's
// amounts), are checked by packages sberloan and sberbnpl.
func (r *PaymentRequest) checkSberCredit() error {
	d := r.PaymentMethodData
	if d == nil || d.Type != PaymentMethodSberLoan && d.Type != PaymentMethodSberBNPL {
		return nil
	}
	loan := d.Type == PaymentMethodSberLoan
	refuse := func(field, reason string) error {
		return &ValidationError{Field: field, Reason: reason + " with " + string(d.Type)}
	}
	switch {
	case r.SavePaymentMethod:
		return refuse("save_payment_method", "a payment method cannot be saved")
	case r.Airline != nil:
		return refuse("airline", "airline data is not accepted")
	case len(r.Transfers) > 0:
		return refuse("transfers", "split payments are not accepted")
	case r.Deal != nil:
		return refuse("deal", "Safe deals are not accepted")
	case d.Card != nil || d.PaymentPurpose != "" || d.VatData != nil || d.ElectronicCertificate != nil || len(d.Articles) > 0,
		loan && d.Phone != "":
		if loan {
			return refuse("payment_method_data", "payment_method_data takes only the type")
		}
		return refuse("payment_method_data", "payment_method_data takes only the type and the phone")
	case r.Confirmation == nil:
		return refuse("confirmation", "a redirect confirmation is required")
	case r.Confirmation.Type != ConfirmationRedirect:
		return refuse("confirmation.type", `the confirmation must be "redirect"`)
	case r.Amount.Currency != CurrencyRUB:
		return refuse("amount.currency", "only RUB is accepted")
	case loan && r.Amount.Value.LessThan(minSberLoanValue):
		return refuse("amount.value", fmt.Sprintf("%s is below the minimum of %d.00 RUB", r.Amount.Value.StringFixed(2), minSberLoanAmount))
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

func (d *PaymentMethodData) validate(prefix string) error {
	if err := checkOneOf(prefix+"type", d.Type, true, payableMethods); err != nil {
		return err
	}
	if d.Card != nil {
		if err := d.Card.validate(prefix + "card."); err != nil {
			return err
		}
	}
	if err := checkPhone(prefix, "phone", d.Phone, d.Type == PaymentMethodMobileBalance); err != nil {
		return err
	}
	if e := d.ElectronicCertificate; e != nil {
		if err := e.validate(prefix + "electronic_certificate."); err != nil {
			return err
		}
	}
	for i := range d.Articles {
		if err := d.Articles[i].validate(fmt.Sprintf("%sarticles[%d].", prefix, i)); err != nil {
			return err
		}
	}
	if d.Type == PaymentMethodB2BSberbank {
		if err := checkLen(prefix+"payment_purpose", d.PaymentPurpose, 1, maxPaymentPurpose); err != nil {
			return err
		}
		if d.VatData == nil {
			return &ValidationError{Field: prefix + "vat_data", Reason: "required for b2b_sberbank"}
		}
	}
	if v := d.VatData; v != nil {
		switch v.Type {
		case VatDataCalculated, VatDataMixed:
			if v.Amount == nil {
				return &ValidationError{Field: prefix + "vat_data.amount", Reason: "required for type " + string(v.Type)}
			}
			if err := checkAmount(prefix+"vat_data.amount", *v.Amount); err != nil {
				return err
			}
			if v.Type == VatDataCalculated {
				if err := checkOneOf(prefix+"vat_data.rate", v.Rate, true, vatDataRates); err != nil {
					return err
				}
			}
		case VatDataUntaxed:
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
	if err := c.Locale.check(prefix); err != nil {
		return err
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
	if a.TicketNumber != "" && !isDigits(a.TicketNumber, 1, maxTicketNumberDigits) {
		return &ValidationError{Field: prefix + "ticket_number", Reason: fmt.Sprintf("must be 1-%d digits", maxTicketNumberDigits)}
	}
	if err := checkLen(prefix+"booking_reference", a.BookingReference, 0, maxBookingReference); err != nil {
		return err
	}
	if len(a.Passengers) > maxPassengers {
		return &ValidationError{Field: prefix + "passengers", Reason: fmt.Sprintf("at most %d", maxPassengers)}
	}
	for i, p := range a.Passengers {
		f := fmt.Sprintf("%spassengers[%d].", prefix, i)
		if err := checkLen(f+"first_name", p.FirstName, 1, maxPassengerName); err != nil {
			return err
		}
		if err := checkLen(f+"last_name", p.LastName, 1, maxPassengerName); err != nil {
			return err
		}
	}
	if len(a.Legs) > maxFlightLegs {
		return &ValidationError{Field: prefix + "legs", Reason: fmt.Sprintf("at most %d", maxFlightLegs)}
	}
	for i, l := range a.Legs {
		f := fmt.Sprintf("%slegs[%d].", prefix, i)
		if len(l.DepartureAirport) != 3 || !isUpperAlpha(l.DepartureAirport) {
			return &ValidationError{Field: f + "departure_airport", Reason: "must be an IATA code of three capital letters"}
		}
		if len(l.DestinationAirport) != 3 || !isUpperAlpha(l.DestinationAirport) {
			return &ValidationError{Field: f + "destination_airport", Reason: "must be an IATA code of three capital letters"}
		}
		if err := checkDate(f+"departure_date", l.DepartureDate); err != nil {
			return err
		}
		if l.CarrierCode != "" {
			if err := checkLen(f+"carrier_code", l.CarrierCode, 2, 3); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *PaymentOrder) validate(prefix string) error {
	if o.Type != PaymentOrderUtilities {
		return &ValidationError{Field: prefix + "type", Reason: `must be "utilities"`}
	}
	if err := checkAmount(prefix+"amount", o.Amount); err != nil {
		return err
	}
	if err := checkLen(prefix+"payment_purpose", o.PaymentPurpose, 1, maxPaymentPurpose); err != nil {
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
	if err := checkLen(prefix+"recipient.bank.name", o.Recipient.Bank.Name, 0, maxOrderBankName); err != nil {
		return err
	}
	if p := o.PaymentPeriod; p != nil && (p.Month < 1 || p.Month > 12 || p.Year < 1920 || p.Year > 2050) {
		return &ValidationError{Field: prefix + "payment_period", Reason: "month must be 1-12 and year 1920-2050"}
	}
	if o.KBK != "" && o.KBK != "0" && !isDigits(o.KBK, 20, 20) {
		return &ValidationError{Field: prefix + "kbk", Reason: `must be 20 digits or "0"`}
	}
	if o.OKTMO != "" && o.OKTMO != "0" && !isDigits(o.OKTMO, 8, 8) {
		return &ValidationError{Field: prefix + "oktmo", Reason: `must be 8 digits or "0"`}
	}
	for _, f := range []struct {
		name   string
		v      string
		lo, hi int
	}{
		{"payment_document_id", o.PaymentDocumentID, 18, 18}, {"payment_document_number", o.PaymentDocumentNumber, 3, 30},
		{"account_number", o.AccountNumber, 3, 30}, {"unified_account_number", o.UnifiedAccountNumber, 10, 10},
		{"service_id", o.ServiceID, 13, 13},
	} {
		if f.v == "" {
			continue
		}
		if err := checkLen(prefix+f.name, f.v, f.lo, f.hi); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, v string }{
		{"payment_document_number", o.PaymentDocumentNumber}, {"account_number", o.AccountNumber},
	} {
		if f.v != "" && !hasInnerAlnum(f.v) {
			return &ValidationError{Field: prefix + f.name, Reason: "must have a letter or a digit between its first and last characters"}
		}
	}
	return nil
}

// hasInnerAlnum reports whether s has a Latin or Cyrillic letter or a digit
// that is neither its first nor its last character, as the number of a
// payment document must.
func hasInnerAlnum(s string) bool {
	r := []rune(s)
	for i := 1; i < len(r)-1; i++ {
		c := r[i]
		if '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || 'а' <= c && c <= 'я' || 'А' <= c && c <= 'Я' {
			return true
		}
	}
	return false
}

func (r *Receiver) validate(prefix string) error {
	switch r.Type {
	case ReceiverMobileBalance:
		return checkPhone(prefix, "phone", r.Phone, true)
	case ReceiverDigitalWallet:
		return checkLen(prefix+"account_number", r.AccountNumber, 1, maxDigitalWallet)
	case ReceiverBankAccount:
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

// Locale is the language of YooKassa's pages, SMS and e-mails.
type Locale string

// The languages YooKassa offers.
const (
	LocaleRuRU Locale = "ru_RU"
	LocaleEnUS Locale = "en_US"
)

// check refuses a locale YooKassa does not offer in the field
// prefix+"locale"; empty means its default.
func (l Locale) check(prefix string) error {
	switch l {
	case "", LocaleRuRU, LocaleEnUS:
		return nil
	}
	return &ValidationError{Field: prefix + "locale", Reason: `must be "ru_RU" or "en_US"`}
}
