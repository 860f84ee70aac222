// Package sberbnpl holds the rules of "Плати частями" (YooKassa payment
// method sber_bnpl) as plain functions: the amount limits, what a payment
// request may carry, the deadlines to pay, to capture and to refund, and
// the checks of captures and refunds.
//
// # Why a package of its own
//
// sber_bnpl sits beside sber_loan on YooKassa's payment form and both carry
// SberBank's name, but it is a different product: a buy-now-pay-later
// service run by SberBank's partner (ООО «Центр Новых Финансовых
// Сервисов»), not a credit contract with the bank. The buyer pays in parts
// every two weeks over two months; there are no loan options, no tariffs,
// no discount rewriting the amount, no cooling-off pause. Its limits,
// deadlines and refund window differ from sber_loan's, and a merchant may
// enable one method without the other. Package sberloan's Config would
// mean two different things if it held both, so the rules live here, with
// the same error idiom.
//
// # Rules
//
//   - Amount: 1,000 to 50,000 RUB by default ([DefaultLimits]); set
//     [Config.Limits] to the numbers of the merchant's contract.
//   - Confirmation: redirect only. The buyer enters a phone number on
//     YooKassa's page, or the merchant sends it in
//     payment_method_data.phone (E.164 digits without "+", 4 to 15 of them,
//     [CheckPhone]) and YooKassa sends the buyer straight to the partner.
//   - No saving the method, no autopayments; payment_token,
//     payment_method_id, airline, transfers and deal are not accepted
//     ([CheckRequest]).
//   - One hour to pay ([PaymentDeadline]); a two-stage payment is held for
//     seven days ([HoldPeriod]) and captured in full or in part
//     ([CheckCapture]): the partner lowers the buyer's remaining parts.
//   - Refunds, full and partial, within one year of the payment's creation
//     ([RefundDeadline], [CheckRefund]); the partner credits the buyer's
//     card in 1 to 10 business days. Neither YooKassa's nor the partner's
//     fee comes back to the merchant.
//   - Receipts: YooKassa's own receipt service is not available for
//     sber_bnpl; use a third-party online register or send receipts
//     yourself.
//
// # Errors
//
// A broken rule is a *[FieldError] (a parameter, a currency, a setting), a
// *[LimitError] (an amount outside the limits, and by how much) or a
// *[PaymentError] (a payment that cannot be captured or refunded now).
// Each carries a Kind, one of the package's Err values, which Unwrap
// returns: tell the kind with errors.Is, read the details with errors.As.
// Malformed input that YooKassa refuses for any method (fractions of
// kopecks, a phone that is not 4-15 digits) is a *yookassa.ValidationError
// naming the field. This is the idiom of packages sberloan and receipt.
package sberbnpl
