package yookassa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// ReceiptData is the 54-FZ receipt sent inside a payment, capture or refund
// request. YooKassa (or the merchant's fiscal provider) registers it with the
// tax service. The items must add up exactly to the amount of the request
// they travel with: see ReceiptTotal.
type ReceiptData struct {
	// Customer holds the buyer's contacts; an email or a phone is required.
	Customer *Customer `json:"customer,omitempty"`
	// Items are the receipt lines: 1 to MaxReceiptItems. YooKassa's own
	// receipt service ("Чеки от ЮKassa") accepts fewer, 80.
	Items []ReceiptItem `json:"items"`
	// Internet marks an online sale; nil means YooKassa's default (true).
	Internet *bool `json:"internet,omitempty"`
	// TaxSystemCode is the shop's taxation system, 1-6 (0 omits it).
	TaxSystemCode int `json:"tax_system_code,omitempty"`
	// Timezone is the time zone of the sale, 1-11 (0 omits it); only for
	// marked goods.
	Timezone int `json:"timezone,omitempty"`
	// ReceiptIndustryDetails is the industry requisite of the receipt.
	ReceiptIndustryDetails []IndustryDetails `json:"receipt_industry_details,omitempty"`
	// ReceiptOperationalDetails is the operational requisite of the receipt.
	ReceiptOperationalDetails *OperationalDetails `json:"receipt_operational_details,omitempty"`
}

// Customer is the buyer on a receipt.
type Customer struct {
	// FullName is the buyer's name or the organisation's name (up to 256).
	FullName string `json:"full_name,omitempty"`
	// INN is the buyer's taxpayer number: 10 or 12 digits.
	INN string `json:"inn,omitempty"`
	// Email receives the receipt; required by YooKassa's own receipts.
	Email string `json:"email,omitempty"`
	// Phone receives the receipt by SMS: digits only, ITU-T E.164, 4-15.
	Phone string `json:"phone,omitempty"`
}

// Format prints the customer with every contact redacted, for every verb.
func (c Customer) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "yookassa.Customer{FullName:%s INN:%s Email:%s Phone:%s}",
		redacted(c.FullName), redacted(c.INN), redacted(c.Email), redacted(c.Phone))
}

// LogValue logs which contacts the customer has, not the contacts.
func (c Customer) LogValue() slog.Value {
	return slog.GroupValue(slog.Bool("full_name", c.FullName != ""), slog.Bool("inn", c.INN != ""),
		slog.Bool("email", c.Email != ""), slog.Bool("phone", c.Phone != ""))
}

// LogValue logs the receipt without the customer's contacts: the number of
// items, which contacts are present and the tax system. Log a receipt with
// slog rather than as JSON, which carries the contacts.
func (r ReceiptData) LogValue() slog.Value {
	return receiptLogValue(nil, len(r.Items), r.Customer, r.TaxSystemCode)
}

// receiptLogValue is the one log form of a receipt's body, after attrs.
func receiptLogValue(attrs []slog.Attr, items int, c *Customer, taxSystem int) slog.Value {
	attrs = append(attrs, slog.Int("items", items))
	if c != nil {
		attrs = append(attrs, slog.Any("customer", c.LogValue()))
	}
	if taxSystem != 0 {
		attrs = append(attrs, slog.Int("tax_system_code", taxSystem))
	}
	return slog.GroupValue(attrs...)
}

// VatCode is the VAT rate code (vat_code) of a receipt item, 1-12. On the
// wire it is a JSON number; decoding also accepts a string ("4").
type VatCode int

// VAT codes of receipt items.
const (
	VatNone    VatCode = 1  // without VAT
	Vat0       VatCode = 2  // 0%
	Vat10      VatCode = 3  // 10%
	Vat20      VatCode = 4  // 20%
	Vat10of110 VatCode = 5  // calculated rate 10/110
	Vat20of120 VatCode = 6  // calculated rate 20/120
	Vat5       VatCode = 7  // 5%
	Vat7       VatCode = 8  // 7%
	Vat5of105  VatCode = 9  // calculated rate 5/105
	Vat7of107  VatCode = 10 // calculated rate 7/107
	Vat22      VatCode = 11 // 22% (from 2026-01-01)
	Vat22of122 VatCode = 12 // calculated rate 22/122
	maxVatCode         = Vat22of122
)

// MaxReceiptItems is the most lines a receipt may have (with a third-party
// fiscal provider; YooKassa's own receipt service takes 80).
const MaxReceiptItems = 100

// Measure is the unit of a receipt item's quantity (tag 2108).
type Measure string

// Units of measure.
const (
	MeasurePiece            Measure = "piece"
	MeasureGram             Measure = "gram"
	MeasureKilogram         Measure = "kilogram"
	MeasureTon              Measure = "ton"
	MeasureCentimeter       Measure = "centimeter"
	MeasureDecimeter        Measure = "decimeter"
	MeasureMeter            Measure = "meter"
	MeasureSquareCentimeter Measure = "square_centimeter"
	MeasureSquareDecimeter  Measure = "square_decimeter"
	MeasureSquareMeter      Measure = "square_meter"
	MeasureMilliliter       Measure = "milliliter"
	MeasureLiter            Measure = "liter"
	MeasureCubicMeter       Measure = "cubic_meter"
	MeasureKilowattHour     Measure = "kilowatt_hour"
	MeasureGigacalorie      Measure = "gigacalorie"
	MeasureDay              Measure = "day"
	MeasureHour             Measure = "hour"
	MeasureMinute           Measure = "minute"
	MeasureSecond           Measure = "second"
	MeasureKilobyte         Measure = "kilobyte"
	MeasureMegabyte         Measure = "megabyte"
	MeasureGigabyte         Measure = "gigabyte"
	MeasureTerabyte         Measure = "terabyte"
	MeasureAnother          Measure = "another"
)

// measures are the units the API documents.
var measures = []Measure{
	MeasurePiece,
	MeasureGram,
	MeasureKilogram,
	MeasureTon,
	MeasureCentimeter,
	MeasureDecimeter,
	MeasureMeter,
	MeasureSquareCentimeter,
	MeasureSquareDecimeter,
	MeasureSquareMeter,
	MeasureMilliliter,
	MeasureLiter,
	MeasureCubicMeter,
	MeasureKilowattHour,
	MeasureGigacalorie,
	MeasureDay,
	MeasureHour,
	MeasureMinute,
	MeasureSecond,
	MeasureKilobyte,
	MeasureMegabyte,
	MeasureGigabyte,
	MeasureTerabyte,
	MeasureAnother,
}

// PaymentSubject is what a receipt item is (tag 1212).
type PaymentSubject string

// Payment subjects.
const (
	PaymentSubjectCommodity                      PaymentSubject = "commodity"
	PaymentSubjectExcise                         PaymentSubject = "excise"
	PaymentSubjectJob                            PaymentSubject = "job"
	PaymentSubjectService                        PaymentSubject = "service"
	PaymentSubjectGamblingBet                    PaymentSubject = "gambling_bet"
	PaymentSubjectGamblingPrize                  PaymentSubject = "gambling_prize"
	PaymentSubjectLottery                        PaymentSubject = "lottery"
	PaymentSubjectLotteryPrize                   PaymentSubject = "lottery_prize"
	PaymentSubjectIntellectualActivity           PaymentSubject = "intellectual_activity"
	PaymentSubjectPayment                        PaymentSubject = "payment"
	PaymentSubjectAgentCommission                PaymentSubject = "agent_commission"
	PaymentSubjectPropertyRight                  PaymentSubject = "property_right"
	PaymentSubjectNonOperatingGain               PaymentSubject = "non_operating_gain"
	PaymentSubjectInsurancePremium               PaymentSubject = "insurance_premium"
	PaymentSubjectSalesTax                       PaymentSubject = "sales_tax"
	PaymentSubjectResortFee                      PaymentSubject = "resort_fee"
	PaymentSubjectComposite                      PaymentSubject = "composite"
	PaymentSubjectAnother                        PaymentSubject = "another"
	PaymentSubjectFine                           PaymentSubject = "fine"
	PaymentSubjectTax                            PaymentSubject = "tax"
	PaymentSubjectLien                           PaymentSubject = "lien"
	PaymentSubjectCost                           PaymentSubject = "cost"
	PaymentSubjectPensionInsuranceWithoutPayouts PaymentSubject = "pension_insurance_without_payouts"
	PaymentSubjectPensionInsuranceWithPayouts    PaymentSubject = "pension_insurance_with_payouts"
	PaymentSubjectHealthInsuranceWithoutPayouts  PaymentSubject = "health_insurance_without_payouts"
	PaymentSubjectHealthInsuranceWithPayouts     PaymentSubject = "health_insurance_with_payouts"
	PaymentSubjectHealthInsurance                PaymentSubject = "health_insurance"
	PaymentSubjectCasino                         PaymentSubject = "casino"
	PaymentSubjectAgentWithdrawals               PaymentSubject = "agent_withdrawals"
	PaymentSubjectNonMarkedExcise                PaymentSubject = "non_marked_excise"
	PaymentSubjectMarkedExcise                   PaymentSubject = "marked_excise"
	PaymentSubjectMarked                         PaymentSubject = "marked"
	PaymentSubjectNonMarked                      PaymentSubject = "non_marked"
)

// paymentSubjects are the payment subjects the API documents.
var paymentSubjects = []PaymentSubject{
	PaymentSubjectCommodity,
	PaymentSubjectExcise,
	PaymentSubjectJob,
	PaymentSubjectService,
	PaymentSubjectGamblingBet,
	PaymentSubjectGamblingPrize,
	PaymentSubjectLottery,
	PaymentSubjectLotteryPrize,
	PaymentSubjectIntellectualActivity,
	PaymentSubjectPayment,
	PaymentSubjectAgentCommission,
	PaymentSubjectPropertyRight,
	PaymentSubjectNonOperatingGain,
	PaymentSubjectInsurancePremium,
	PaymentSubjectSalesTax,
	PaymentSubjectResortFee,
	PaymentSubjectComposite,
	PaymentSubjectAnother,
	PaymentSubjectFine,
	PaymentSubjectTax,
	PaymentSubjectLien,
	PaymentSubjectCost,
	PaymentSubjectPensionInsuranceWithoutPayouts,
	PaymentSubjectPensionInsuranceWithPayouts,
	PaymentSubjectHealthInsuranceWithoutPayouts,
	PaymentSubjectHealthInsuranceWithPayouts,
	PaymentSubjectHealthInsurance,
	PaymentSubjectCasino,
	PaymentSubjectAgentWithdrawals,
	PaymentSubjectNonMarkedExcise,
	PaymentSubjectMarkedExcise,
	PaymentSubjectMarked,
	PaymentSubjectNonMarked,
}

// PaymentMode is how a receipt item is settled (tag 1214).
type PaymentMode string

// Payment modes.
const (
	PaymentModeFullPrepayment    PaymentMode = "full_prepayment"
	PaymentModePartialPrepayment PaymentMode = "partial_prepayment"
	PaymentModeAdvance           PaymentMode = "advance"
	PaymentModeFullPayment       PaymentMode = "full_payment"
	PaymentModePartialPayment    PaymentMode = "partial_payment"
	PaymentModeCredit            PaymentMode = "credit"
	PaymentModeCreditPayment     PaymentMode = "credit_payment"
)

// paymentModes are the payment modes the API documents.
var paymentModes = []PaymentMode{
	PaymentModeFullPrepayment,
	PaymentModePartialPrepayment,
	PaymentModeAdvance,
	PaymentModeFullPayment,
	PaymentModePartialPayment,
	PaymentModeCredit,
	PaymentModeCreditPayment,
}

// AgentType is the agent sign of a receipt item (tag 1222).
type AgentType string

// Agent types.
const (
	AgentTypeBankingPaymentAgent    AgentType = "banking_payment_agent"
	AgentTypeBankingPaymentSubagent AgentType = "banking_payment_subagent"
	AgentTypePaymentAgent           AgentType = "payment_agent"
	AgentTypePaymentSubagent        AgentType = "payment_subagent"
	AgentTypeAttorney               AgentType = "attorney"
	AgentTypeCommissioner           AgentType = "commissioner"
	AgentTypeAgent                  AgentType = "agent"
)

// agentTypes are the agent types the API documents.
var agentTypes = []AgentType{
	AgentTypeBankingPaymentAgent,
	AgentTypeBankingPaymentSubagent,
	AgentTypePaymentAgent,
	AgentTypePaymentSubagent,
	AgentTypeAttorney,
	AgentTypeCommissioner,
	AgentTypeAgent,
}

// ReceiptItem is one line of a receipt.
type ReceiptItem struct {
	// Description is the name of the goods or service, 1-128 characters.
	Description string `json:"description"`
	// Amount is the price of ONE unit, VAT included (tag 1079).
	Amount Amount `json:"amount"`
	// VatCode is the VAT rate code, 1-12 (see the Vat constants).
	VatCode VatCode `json:"vat_code"`
	// Quantity of units: positive, at most three decimals. On the wire it is
	// a JSON number; a string is accepted when decoding.
	Quantity decimal.Decimal `json:"quantity"`
	// Measure is the unit of Quantity; required by FFD 1.2.
	Measure Measure `json:"measure,omitempty"`
	// MarkQuantity is the fraction of a marked item sold by the piece.
	MarkQuantity *MarkQuantity `json:"mark_quantity,omitempty"`
	// PaymentSubject says what the item is.
	PaymentSubject PaymentSubject `json:"payment_subject,omitempty"`
	// PaymentMode says how the item is settled.
	PaymentMode PaymentMode `json:"payment_mode,omitempty"`
	// CountryOfOriginCode is the ISO 3166-1 alpha-2 country of origin.
	CountryOfOriginCode string `json:"country_of_origin_code,omitempty"`
	// CustomsDeclarationNumber is the customs declaration number, 1-32.
	CustomsDeclarationNumber string `json:"customs_declaration_number,omitempty"`
	// Excise is the item's excise duty with kopecks (tag 1229): at least
	// zero, at most two decimals; nil omits it. On the wire it is a string
	// with two decimals ("20.00"); decoding also accepts a number.
	Excise *decimal.Decimal `json:"excise,omitempty"`
	// ProductCode is the nomenclature code as hex bytes separated by spaces.
	ProductCode string `json:"product_code,omitempty"`
	// PlannedStatus is the planned status of a marked item, 1-6.
	PlannedStatus int `json:"planned_status,omitempty"`
	// MarkCodeInfo is the marking code of a marked item.
	MarkCodeInfo *MarkCodeInfo `json:"mark_code_info,omitempty"`
	// MarkMode is the marking code processing mode; only "0" is allowed.
	MarkMode string `json:"mark_mode,omitempty"`
	// PaymentSubjectIndustryDetails is the industry requisite of the item.
	PaymentSubjectIndustryDetails []IndustryDetails `json:"payment_subject_industry_details,omitempty"`
	// AdditionalPaymentSubjectProps is an additional item requisite (up to 64).
	AdditionalPaymentSubjectProps string `json:"additional_payment_subject_props,omitempty"`
	// Supplier is the supplier of goods sold by an agent.
	Supplier *Supplier `json:"supplier,omitempty"`
	// AgentType is the agent sign for goods sold by an agent.
	AgentType AgentType `json:"agent_type,omitempty"`
}

// LogValue logs the line without the supplier's phone: the description,
// the quantity, the amount, the VAT code and the subject and mode.
func (it ReceiptItem) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("description", it.Description), slog.String("quantity", it.Quantity.String()),
		slog.String("amount", it.Amount.String()), slog.Int("vat_code", int(it.VatCode)),
		slog.String("payment_subject", string(it.PaymentSubject)), slog.String("payment_mode", string(it.PaymentMode))}
	if it.Supplier != nil {
		attrs = append(attrs, slog.Any("supplier", it.Supplier.LogValue()))
	}
	return slog.GroupValue(attrs...)
}

// LineTotal is the line's sum as the receipt rules count it: unit price x
// quantity, rounded half away from zero to kopecks.
func (it ReceiptItem) LineTotal() decimal.Decimal {
	return it.Amount.Value.Mul(it.Quantity).Round(2)
}

// ReceiptTotal is the total of a receipt: the sum of the lines' LineTotal,
// each line rounded to kopecks (half away from zero) before summing. YooKassa
// refuses a receipt whose total differs from the amount of the payment,
// capture or refund it travels with; request validation uses this rule.
func ReceiptTotal(items []ReceiptItem) decimal.Decimal {
	total := decimal.Zero
	for i := range items {
		total = total.Add(items[i].LineTotal())
	}
	return total
}

type receiptItemFields ReceiptItem

// MarshalJSON writes Quantity as a JSON number and Excise as a string
// with two decimals.
func (it ReceiptItem) MarshalJSON() ([]byte, error) {
	var excise *moneyText
	if it.Excise != nil {
		excise = (*moneyText)(it.Excise)
	}
	return json.Marshal(struct {
		receiptItemFields
		Quantity jsonNumber `json:"quantity"`
		Excise   *moneyText `json:"excise,omitempty"`
	}{receiptItemFields(it), jsonNumber(it.Quantity), excise})
}

// UnmarshalJSON reads quantity and vat_code as numbers or strings.
func (it *ReceiptItem) UnmarshalJSON(data []byte) error {
	var w struct {
		*receiptItemFields
		Quantity jsonNumber `json:"quantity"`
		VatCode  flexInt    `json:"vat_code"`
		Excise   *moneyText `json:"excise"`
	}
	w.receiptItemFields = (*receiptItemFields)(it)
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	it.Quantity, it.VatCode, it.Excise = decimal.Decimal(w.Quantity), VatCode(w.VatCode), (*decimal.Decimal)(w.Excise)
	return nil
}

// moneyText is a decimal written as a JSON string with two decimals, as
// YooKassa writes sums outside an Amount; it reads a string or a number.
type moneyText decimal.Decimal

func (m moneyText) MarshalJSON() ([]byte, error) {
	return []byte(`"` + decimal.Decimal(m).StringFixed(2) + `"`), nil
}

func (m *moneyText) UnmarshalJSON(data []byte) error {
	v, err := decodeDecimal(data)
	if err != nil {
		return err
	}
	*m = moneyText(v)
	return nil
}

// jsonNumber is a decimal written as a bare JSON number.
type jsonNumber decimal.Decimal

func (n jsonNumber) MarshalJSON() ([]byte, error) { return []byte(decimal.Decimal(n).String()), nil }

func (n *jsonNumber) UnmarshalJSON(data []byte) error {
	v, err := decodeDecimal(data)
	if err != nil {
		return err
	}
	*n = jsonNumber(v)
	return nil
}

// flexInt is an integer that may arrive as a JSON string ("2").
type flexInt int

func (n *flexInt) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		data = []byte(s)
	}
	v, err := strconv.Atoi(string(data))
	if err != nil {
		return fmt.Errorf("%q is not an integer", data)
	}
	*n = flexInt(v)
	return nil
}

// MarkQuantity is the sold fraction of a marked item: Numerator/Denominator.
type MarkQuantity struct {
	Numerator   int `json:"numerator"`
	Denominator int `json:"denominator"`
}

// MarkCodeInfo is the marking code of an item; set one of the fields.
type MarkCodeInfo struct {
	MarkCodeRaw string `json:"mark_code_raw,omitempty"`
	Unknown     string `json:"unknown,omitempty"`
	EAN8        string `json:"ean_8,omitempty"`
	EAN13       string `json:"ean_13,omitempty"`
	ITF14       string `json:"itf_14,omitempty"`
	GS10        string `json:"gs_10,omitempty"`
	GS1M        string `json:"gs_1m,omitempty"`
	Short       string `json:"short,omitempty"`
	Fur         string `json:"fur,omitempty"`
	EGAIS20     string `json:"egais_20,omitempty"`
	EGAIS30     string `json:"egais_30,omitempty"`
}

// IndustryDetails is an industry requisite (tags 1260/1261).
type IndustryDetails struct {
	// FederalID is the federal body identifier, "001"-"073".
	FederalID string `json:"federal_id"`
	// DocumentDate is the date of the founding document, YYYY-MM-DD.
	DocumentDate string `json:"document_date"`
	// DocumentNumber is the number of the founding document (up to 32).
	DocumentNumber string `json:"document_number"`
	// Value is the requisite's value (up to 256).
	Value string `json:"value"`
}

// OperationalDetails is the operational requisite of a receipt (tag 1270).
type OperationalDetails struct {
	// OperationID is the operation identifier, 0-255.
	OperationID int `json:"operation_id"`
	// Value is the operation data (up to 64).
	Value string `json:"value"`
	// CreatedAt is the time of the operation.
	CreatedAt time.Time `json:"created_at"`
}

// Supplier is the supplier of an item sold by an agent.
type Supplier struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	INN   string `json:"inn,omitempty"`
}

// LogValue logs the supplier's name and taxpayer number, an organisation's
// requisites, and leaves out the phone.
func (s Supplier) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", s.Name), slog.String("inn", s.INN))
}

// Format prints the supplier as its log form, for every verb.
func (s Supplier) Format(f fmt.State, _ rune) { printLogValue(f, "Supplier", s.LogValue()) }

// SettlementType is the kind of a settlement in a receipt or a deal.
type SettlementType string

// Settlement types: the first four appear in receipts, payout in deals.
const (
	SettlementCashless      SettlementType = "cashless"
	SettlementPrepayment    SettlementType = "prepayment"
	SettlementPostpayment   SettlementType = "postpayment"
	SettlementConsideration SettlementType = "consideration"
	SettlementPayout        SettlementType = "payout"
)

// Settlement is a sum settled one way: a receipt's payment breakdown, or a
// deal's payout.
type Settlement struct {
	Type   SettlementType `json:"type"`
	Amount Amount         `json:"amount"`
}

// ReceiptType says whether a receipt registers a payment or a refund.
type ReceiptType string

// Receipt types.
const (
	ReceiptTypePayment ReceiptType = "payment"
	ReceiptTypeRefund  ReceiptType = "refund"
)

// ReceiptStatus is the registration status of a receipt (also the
// receipt_registration of payments and refunds).
type ReceiptStatus string

// Receipt registration statuses.
const (
	ReceiptStatusPending   ReceiptStatus = "pending"
	ReceiptStatusSucceeded ReceiptStatus = "succeeded"
	ReceiptStatusCanceled  ReceiptStatus = "canceled"
)

// receiptStatuses are the registration statuses a receipt can be in.
var receiptStatuses = []ReceiptStatus{ReceiptStatusPending, ReceiptStatusSucceeded, ReceiptStatusCanceled}

// receiptIDLength is the length of a receipt's identifier: "rt-" and a UUID.
const receiptIDLength = 39

// Receipt is a receipt object of /receipts.
type Receipt struct {
	// ID is the receipt's identifier, 39 characters ("rt-...").
	ID string `json:"id"`
	// Type says whether it registers a payment or a refund.
	Type ReceiptType `json:"type"`
	// PaymentID is the payment the receipt belongs to.
	PaymentID string `json:"payment_id,omitempty"`
	// RefundID is the refund the receipt belongs to.
	RefundID string `json:"refund_id,omitempty"`
	// Status is the registration status.
	Status ReceiptStatus `json:"status"`
	// FiscalDocumentNumber is the fiscal document number.
	FiscalDocumentNumber string `json:"fiscal_document_number,omitempty"`
	// FiscalStorageNumber is the fiscal storage number.
	FiscalStorageNumber string `json:"fiscal_storage_number,omitempty"`
	// FiscalAttribute is the fiscal sign of the document.
	FiscalAttribute string `json:"fiscal_attribute,omitempty"`
	// RegisteredAt is when the receipt was registered.
	RegisteredAt *time.Time `json:"registered_at,omitempty"`
	// FiscalProviderID is the receipt's identifier at the fiscal provider.
	FiscalProviderID string `json:"fiscal_provider_id,omitempty"`
	// Items are the receipt lines.
	Items []ReceiptItem `json:"items"`
	// Internet marks an online sale.
	Internet *bool `json:"internet,omitempty"`
	// Settlements is the breakdown of the payment.
	Settlements []Settlement `json:"settlements,omitempty"`
	// OnBehalfOf is the seller's shop ID in split payments.
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
	// TaxSystemCode is the taxation system, 1-6.
	TaxSystemCode int `json:"tax_system_code,omitempty"`
	// Timezone is the time zone of the sale, 1-11.
	Timezone int `json:"timezone,omitempty"`
	// ReceiptIndustryDetails is the industry requisite of the receipt.
	ReceiptIndustryDetails []IndustryDetails `json:"receipt_industry_details,omitempty"`
	// ReceiptOperationalDetails is the operational requisite of the receipt.
	ReceiptOperationalDetails *OperationalDetails `json:"receipt_operational_details,omitempty"`
}

// LogValue logs the registered receipt without its lines' supplier
// contacts: its ID, type, payment or refund, status and number of lines.
func (r Receipt) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("id", r.ID), slog.String("type", string(r.Type))}
	if r.PaymentID != "" {
		attrs = append(attrs, slog.String("payment_id", r.PaymentID))
	}
	if r.RefundID != "" {
		attrs = append(attrs, slog.String("refund_id", r.RefundID))
	}
	attrs = append(attrs, slog.String("status", string(r.Status)), slog.Int("items", len(r.Items)))
	return slog.GroupValue(attrs...)
}

// AdditionalUserProps is an additional buyer requisite (tag 1084).
type AdditionalUserProps struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ReceiptRequest is the body of POST /receipts: a separate receipt, for
// example an offset-of-prepayment receipt, or a receipt sent after the
// payment.
//
// YooKassa accepts only "send": true (register the receipt at once), so the
// request has no Send field: its JSON always carries "send": true, and
// decoding refuses a body whose "send" is not true.
type ReceiptRequest struct {
	// Type says whether the receipt registers a payment or a refund.
	Type ReceiptType `json:"type"`
	// PaymentID is the payment the receipt belongs to (Type payment).
	PaymentID string `json:"payment_id,omitempty"`
	// RefundID is the refund the receipt belongs to (Type refund).
	RefundID string `json:"refund_id,omitempty"`
	// Customer holds the buyer's contacts; required.
	Customer *Customer `json:"customer"`
	// Items are the receipt lines.
	Items []ReceiptItem `json:"items"`
	// Internet marks an online sale.
	Internet *bool `json:"internet,omitempty"`
	// TaxSystemCode is the taxation system, 1-6.
	TaxSystemCode int `json:"tax_system_code,omitempty"`
	// Timezone is the time zone of the sale, 1-11.
	Timezone int `json:"timezone,omitempty"`
	// AdditionalUserProps is an additional buyer requisite.
	AdditionalUserProps *AdditionalUserProps `json:"additional_user_props,omitempty"`
	// ReceiptIndustryDetails is the industry requisite of the receipt.
	ReceiptIndustryDetails []IndustryDetails `json:"receipt_industry_details,omitempty"`
	// ReceiptOperationalDetails is the operational requisite of the receipt.
	ReceiptOperationalDetails *OperationalDetails `json:"receipt_operational_details,omitempty"`
	// Settlements is the payment breakdown; at least one.
	Settlements []Settlement `json:"settlements"`
	// OnBehalfOf is the seller's shop ID in split payments.
	OnBehalfOf string `json:"on_behalf_of,omitempty"`
}

// LogValue logs the request without the customer's contacts: its type,
// the payment or refund, the number of items and settlements, which
// contacts are present and the tax system.
func (r ReceiptRequest) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("type", string(r.Type))}
	if r.PaymentID != "" {
		attrs = append(attrs, slog.String("payment_id", r.PaymentID))
	}
	if r.RefundID != "" {
		attrs = append(attrs, slog.String("refund_id", r.RefundID))
	}
	attrs = append(attrs, slog.Int("settlements", len(r.Settlements)))
	return receiptLogValue(attrs, len(r.Items), r.Customer, r.TaxSystemCode)
}

type receiptRequestFields ReceiptRequest

// MarshalJSON writes the request with "send": true, the one value YooKassa
// accepts.
func (r ReceiptRequest) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		receiptRequestFields
		Send bool `json:"send"`
	}{receiptRequestFields(r), true})
}

// UnmarshalJSON reads a receipt request and refuses one whose "send" is
// missing or not true, as YooKassa does.
func (r *ReceiptRequest) UnmarshalJSON(data []byte) error {
	w := struct {
		*receiptRequestFields
		Send *bool `json:"send"`
	}{receiptRequestFields: (*receiptRequestFields)(r)}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	if w.Send == nil || !*w.Send {
		return errors.New(`receipt request: "send" must be true`)
	}
	return nil
}

// ReceiptList is one page of GET /receipts.
type ReceiptList struct {
	// Type is "list".
	Type string `json:"type"`
	// Items are the receipts of this page, newest first.
	Items []Receipt `json:"items"`
	// NextCursor fetches the next page; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// LogValue logs the page as the number of receipts and the next cursor.
func (l ReceiptList) LogValue() slog.Value {
	return listLogValue(len(l.Items), l.NextCursor)
}

// ReceiptListParams filters GET /receipts. The zero value lists everything.
type ReceiptListParams struct {
	// CreatedAtGTE, CreatedAtGT, CreatedAtLTE and CreatedAtLT bound the
	// creation time; zero values are not sent.
	CreatedAtGTE, CreatedAtGT, CreatedAtLTE, CreatedAtLT time.Time
	// Status keeps receipts with this status.
	Status ReceiptStatus
	// PaymentID keeps the receipts of one payment (not with RefundID).
	PaymentID string
	// RefundID keeps the receipts of one refund (not with PaymentID).
	RefundID string
	// Limit is the page size, 1-100 (0 means YooKassa's default of 10).
	Limit int
	// Cursor is the NextCursor of the previous page.
	Cursor string
}

func (p *ReceiptListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	if p.PaymentID != "" && p.RefundID != "" {
		return nil, &ValidationError{Field: "refund_id", Reason: "filter by payment_id or by refund_id, not both"}
	}
	addTimeRange(q, "created_at", p.CreatedAtGTE, p.CreatedAtGT, p.CreatedAtLTE, p.CreatedAtLT)
	if err := checkOneOf("status", p.Status, false, receiptStatuses); err != nil {
		return nil, err
	}
	if p.PaymentID != "" {
		if err := checkIDOfLength("payment_id", p.PaymentID, paymentIDLength); err != nil {
			return nil, err
		}
	}
	if p.RefundID != "" {
		if err := checkIDOfLength("refund_id", p.RefundID, refundIDLength); err != nil {
			return nil, err
		}
	}
	addString(q, "status", string(p.Status))
	addString(q, "payment_id", p.PaymentID)
	addString(q, "refund_id", p.RefundID)
	return q, addPage(q, p.Limit, p.Cursor)
}

// CreateReceipt registers a separate receipt (POST /receipts).
func (c *Client) CreateReceipt(ctx context.Context, req *ReceiptRequest, opts ...CallOption) (*Receipt, error) {
	if req == nil {
		return nil, &ValidationError{Reason: "nil receipt request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(Receipt)
	if err := c.call(ctx, "POST", "/receipts", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// GetReceipt returns one receipt (GET /receipts/{id}).
func (c *Client) GetReceipt(ctx context.Context, id string, opts ...CallOption) (*Receipt, error) {
	path, err := objectPathOfLength("/receipts/", "receipt_id", id, receiptIDLength)
	if err != nil {
		return nil, err
	}
	out := new(Receipt)
	if err := c.call(ctx, "GET", path, nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListReceipts returns one page of receipts (GET /receipts). Pass the page's
// NextCursor as params.Cursor for the next one, or use Receipts.
func (c *Client) ListReceipts(ctx context.Context, params *ReceiptListParams, opts ...CallOption) (*ReceiptList, error) {
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	out := new(ReceiptList)
	if err := c.call(ctx, "GET", "/receipts", q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Receipts iterates over every receipt matching params, page after page. It
// stops at the first error, which it yields with a nil receipt.
// Every range starts again from params, with its own state: the sequence
// can be ranged over again, and from several goroutines at once. A
// next_cursor already visited ends the walk with an error wrapping
// ErrCursorCycle.
func (c *Client) Receipts(ctx context.Context, params *ReceiptListParams, opts ...CallOption) iter.Seq2[*Receipt, error] {
	var p ReceiptListParams
	if params != nil {
		p = *params
	}
	return paginate(func(cursor string) ([]Receipt, string, error) {
		q := p // each page gets its own copy: ranges may run at once
		q.Cursor = cursor
		page, err := c.ListReceipts(ctx, &q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Items, page.NextCursor, nil
	}, p.Cursor)
}

// Limits of receipt fields.
const (
	maxItemDescription        = 128
	maxCustomerName           = 256
	maxCustomsDeclaration     = 32
	maxAdditionalSubjectProps = 64
	maxUserPropsName          = 64
	maxUserPropsValue         = 234
	maxTaxSystemCode          = 6
	maxTimezone               = 11
	maxPlannedStatus          = 6
	maxQuantityDecimals       = 3
	maxFederalID              = 73
	maxIndustryDocumentNumber = 32
	maxIndustryValue          = 256
	maxOperationID            = 255
	maxOperationValue         = 64
)

// Validate checks a receipt request (POST /receipts): type and the matching
// payment_id or refund_id (36 characters), the customer's contact, 1-100
// valid items (as ReceiptData.Validate checks them) and at least one
// settlement.
func (r *ReceiptRequest) Validate() error {
	switch r.Type {
	case ReceiptTypePayment:
		if r.PaymentID == "" || r.RefundID != "" {
			return &ValidationError{Field: "payment_id", Reason: "a payment receipt names payment_id (and no refund_id)"}
		}
		if err := checkIDOfLength("payment_id", r.PaymentID, paymentIDLength); err != nil {
			return err
		}
	case ReceiptTypeRefund:
		if r.RefundID == "" || r.PaymentID != "" {
			return &ValidationError{Field: "refund_id", Reason: "a refund receipt names refund_id (and no payment_id)"}
		}
		if err := checkIDOfLength("refund_id", r.RefundID, refundIDLength); err != nil {
			return err
		}
	default:
		return &ValidationError{Field: "type", Reason: `must be "payment" or "refund"`}
	}
	data := ReceiptData{Customer: r.Customer, Items: r.Items, TaxSystemCode: r.TaxSystemCode, Timezone: r.Timezone,
		ReceiptIndustryDetails: r.ReceiptIndustryDetails, ReceiptOperationalDetails: r.ReceiptOperationalDetails}
	if err := data.validate("", nil); err != nil {
		return err
	}
	if err := checkSettlements("settlements", r.Settlements, false); err != nil {
		return err
	}
	if p := r.AdditionalUserProps; p != nil {
		if err := checkLen("additional_user_props.name", p.Name, 1, maxUserPropsName); err != nil {
			return err
		}
		if err := checkLen("additional_user_props.value", p.Value, 1, maxUserPropsValue); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the receipt against YooKassa's rules and its total against
// amount: 1-100 items; each with a description of 1-128 characters, a
// positive unit price with at most two decimals in the amount's currency, a
// positive quantity with at most three decimals, vat_code 1-12, a unit,
// payment subject, payment mode and agent type among the documented values,
// marking codes of their documented lengths and industry requisites of
// "001"-"073" with a YYYY-MM-DD date; the customer's email or phone; the
// operational requisite's operation 0-255; and ReceiptTotal(items) equal to
// amount.
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
	if err := checkPhone(prefix, "customer.phone", c.Phone, false); err != nil {
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
	if r.TaxSystemCode < 0 || r.TaxSystemCode > maxTaxSystemCode {
		return &ValidationError{Field: prefix + "tax_system_code", Reason: fmt.Sprintf("must be 1-%d", maxTaxSystemCode)}
	}
	if r.Timezone < 0 || r.Timezone > maxTimezone {
		return &ValidationError{Field: prefix + "timezone", Reason: fmt.Sprintf("must be 1-%d", maxTimezone)}
	}
	if err := checkIndustryDetails(prefix+"receipt_industry_details", r.ReceiptIndustryDetails); err != nil {
		return err
	}
	if err := checkOperationalDetails(prefix+"receipt_operational_details", r.ReceiptOperationalDetails); err != nil {
		return err
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
	if !atMostDecimals(it.Quantity, maxQuantityDecimals) {
		return &ValidationError{Field: prefix + "quantity", Reason: "has more than three decimal places"}
	}
	if err := checkOneOf(prefix+"measure", it.Measure, false, measures); err != nil {
		return err
	}
	if err := checkOneOf(prefix+"payment_subject", it.PaymentSubject, false, paymentSubjects); err != nil {
		return err
	}
	if err := checkOneOf(prefix+"payment_mode", it.PaymentMode, false, paymentModes); err != nil {
		return err
	}
	if err := checkOneOf(prefix+"agent_type", it.AgentType, false, agentTypes); err != nil {
		return err
	}
	if mq := it.MarkQuantity; mq != nil && (mq.Numerator < 1 || mq.Denominator < 1) {
		return &ValidationError{Field: prefix + "mark_quantity", Reason: "numerator and denominator must be at least 1"}
	}
	if c := it.CountryOfOriginCode; c != "" && (len(c) != 2 || !isUpperAlpha(c)) {
		return &ValidationError{Field: prefix + "country_of_origin_code", Reason: "must be two capital letters"}
	}
	if err := checkLen(prefix+"customs_declaration_number", it.CustomsDeclarationNumber, 0, maxCustomsDeclaration); err != nil {
		return err
	}
	if e := it.Excise; e != nil {
		switch {
		case !inRange(*e):
			return &ValidationError{Field: prefix + "excise", Reason: "is out of range"}
		case e.Sign() < 0:
			return &ValidationError{Field: prefix + "excise", Reason: "must not be negative"}
		case !atMostDecimals(*e, maxMoneyDecimals):
			return &ValidationError{Field: prefix + "excise", Reason: fmt.Sprintf("%s has more than two decimal places", e)}
		}
	}
	if it.ProductCode != "" && !isProductCode(it.ProductCode) {
		return &ValidationError{Field: prefix + "product_code", Reason: "must be hex bytes separated by spaces, at most 32 bytes"}
	}
	if it.PlannedStatus < 0 || it.PlannedStatus > maxPlannedStatus {
		return &ValidationError{Field: prefix + "planned_status", Reason: fmt.Sprintf("must be 1-%d", maxPlannedStatus)}
	}
	if m := it.MarkCodeInfo; m != nil {
		if err := m.validate(prefix + "mark_code_info."); err != nil {
			return err
		}
	}
	if err := checkIndustryDetails(prefix+"payment_subject_industry_details", it.PaymentSubjectIndustryDetails); err != nil {
		return err
	}
	if it.MarkMode != "" && it.MarkMode != "0" {
		return &ValidationError{Field: prefix + "mark_mode", Reason: `must be "0"`}
	}
	if err := checkLen(prefix+"additional_payment_subject_props", it.AdditionalPaymentSubjectProps, 0, maxAdditionalSubjectProps); err != nil {
		return err
	}
	if s := it.Supplier; s != nil {
		if s.INN != "" && !isINN(s.INN) {
			return &ValidationError{Field: prefix + "supplier.inn", Reason: "must be 10 or 12 digits"}
		}
		if err := checkPhone(prefix, "supplier.phone", s.Phone, false); err != nil {
			return err
		}
	}
	return nil
}

// validate applies the lengths of each form of a marking code.
func (m *MarkCodeInfo) validate(prefix string) error {
	for _, f := range []struct {
		name   string
		v      string
		lo, hi int
	}{
		{"unknown", m.Unknown, 1, 32}, {"ean_8", m.EAN8, 8, 8}, {"ean_13", m.EAN13, 13, 13},
		{"itf_14", m.ITF14, 14, 14}, {"gs_10", m.GS10, 1, 38}, {"gs_1m", m.GS1M, 1, 200},
		{"short", m.Short, 1, 38}, {"fur", m.Fur, 20, 20}, {"egais_20", m.EGAIS20, 33, 33},
		{"egais_30", m.EGAIS30, 14, 14},
	} {
		if f.v == "" {
			continue
		}
		if err := checkLen(prefix+f.name, f.v, f.lo, f.hi); err != nil {
			return err
		}
	}
	return nil
}

// checkIndustryDetails applies the rules of industry requisites: a federal
// body of "001"-"073", a document date, a document number of up to 32
// characters and a value of up to 256.
func checkIndustryDetails(field string, details []IndustryDetails) error {
	for i, d := range details {
		f := fmt.Sprintf("%s[%d].", field, i)
		if n, _ := strconv.Atoi(d.FederalID); !isDigits(d.FederalID, 3, 3) || n < 1 || n > maxFederalID {
			return &ValidationError{Field: f + "federal_id", Reason: fmt.Sprintf(`must be three digits, "001"-"%03d"`, maxFederalID)}
		}
		if err := checkDate(f+"document_date", d.DocumentDate); err != nil {
			return err
		}
		if err := checkLen(f+"document_number", d.DocumentNumber, 0, maxIndustryDocumentNumber); err != nil {
			return err
		}
		if err := checkLen(f+"value", d.Value, 0, maxIndustryValue); err != nil {
			return err
		}
	}
	return nil
}

// checkOperationalDetails applies the rules of the operational requisite:
// an operation of 0-255 and data of up to 64 characters.
func checkOperationalDetails(field string, d *OperationalDetails) error {
	if d == nil {
		return nil
	}
	if d.OperationID < 0 || d.OperationID > maxOperationID {
		return &ValidationError{Field: field + ".operation_id", Reason: fmt.Sprintf("must be 0-%d", maxOperationID)}
	}
	return checkLen(field+".value", d.Value, 0, maxOperationValue)
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
