// Package sberloan holds the rules of SberBank "credit purchases" (YooKassa
// payment method sber_loan) as plain functions: the amount limits, the loan
// options, the merchant's installment tariffs, the discount and commission
// arithmetic, and the amounts and receipts of captures and refunds.
//
// # Loan or installments
//
// The buyer chooses on YooKassa's payment form between the options the
// merchant enabled with its YooKassa manager:
//
//   - "loan" ([OptionLoan]): a consumer loan. The buyer repays the bank the
//     price plus interest; the payment amount does not change and the
//     merchant receives it minus YooKassa's commission
//     (5,000.00 at 3.5% gives 4,825.00, see [Income]; 4,786.50 with the
//     VAT on the commission, see below).
//   - "installments_N" (N months): an installment plan without overpayment
//     for the buyer. The merchant pays the bank's interest by granting a
//     discount, so once the buyer has paid YooKassa rewrites the payment
//     amount to the discounted sum and reports the discount in
//     payment_method.discount_amount. With a 10% tariff, 5,000.00 becomes
//     4,500.00 and the merchant receives 4,500.00 x 0.965 = 4,342.50
//     (see [Discount]).
//
// Which option the buyer took, and the discount, are known only once the
// payment is paid (waiting_for_capture or succeeded); [Config.Read] turns
// such a payment into a [Purchase] and cross-checks the discount against the
// merchant's tariffs.
//
// # VAT on the commission
//
// Since 1 January 2026 YooKassa withholds VAT of 22% on its commission
// together with the commission, and income_amount is net of both: 5,000.00
// at 3.5% brings 5,000 x (1 - (0.035 + 0.035 x 0.22)) = 4,786.50, the
// discounted 4,500.00 brings 4,307.85. [Config.CommissionVATPercent] holds
// that rate (zero, the default, keeps the guide's numbers above);
// [Config.Income] and [IncomeWithVAT] compute exactly and round once, half
// away from zero, to kopecks.
//
// # Amounts on the discounted basis
//
// Captures and refunds of an installment plan are expressed in the
// discounted money the buyer actually borrowed: capturing three quarters of
// the 4,500.00 above is 3,375.00, refunding half of it is 2,250.00. Receipts
// of partial captures and refunds must carry item prices reduced by the
// tariff's percent and rounded half away from zero to kopecks (999.90 at 5%
// is 949.91); [Config.PlanCapture] and [Config.PlanRefund] build such
// requests from the receipt the payment was created with.
//
// # What the buyer experiences
//
// On a partial capture, a cancellation or a refund, YooKassa returns the
// money to the buyer's card, but the loan stays with the bank: the buyer has
// to repay it themselves in SberBank Online (the app or the website). Tell
// the buyer so, and recommend repaying soon to reduce or avoid interest;
// this holds for installment plans too.
//
// # Cooling-off
//
// Since 1 September 2025 a loan or installment plan of 50,000 RUB or more
// waits through a legal cooling-off pause ([CoolingOffPause]: 4 hours up to
// 200,000 RUB, 48 hours above) during which the buyer can back out;
// [SuspendedUntil] and [Purchase.SuspendedUntil] give its end. The buyer
// therefore has longer to complete such a payment ([PaymentDeadline]).
//
// # Limits
//
// A payment is created for 3,000 to 600,000 RUB ([DefaultLimits]); when the
// merchant offers installment plans the minimum grows by the largest
// discount among them ([Config.MinAmount]: 3,300.00 with a 10% tariff). A
// partial capture must be at least 3,000 RUB. SberBank revises these numbers
// (newer YooKassa pages give a maximum of 1,500,000 RUB); set [Config.Limits]
// to the numbers of the merchant's contract.
//
// Only roubles are accepted. Every money result is rounded half away from
// zero to kopecks unless a function says otherwise.
//
// # Errors
//
// A broken rule is a *[FieldError] (a field: a parameter sber_loan does not
// accept, a currency, a loan option, a setting of the Config), a
// *[LimitError] (an amount outside the limits, and by how much), a
// *[PaymentError], a *[DiscountError] or a *[ReceiptError]. Each carries a
// Kind, one of the package's Err values, which Unwrap returns: tell the
// kind with errors.Is(err, sberloan.ErrLimit), read the details with
// errors.As. Malformed input that YooKassa refuses for any method (an
// amount with fractions of kopecks, a bad receipt pick) stays a
// *yookassa.ValidationError; no error matches both kinds of type. Package
// receipt follows the same idiom ([receipt.BalanceError]).
//
// Package sberbnpl holds the rules of SberBank's partner's "Плати частями"
// (sber_bnpl), a different method with different limits and deadlines.
package sberloan
