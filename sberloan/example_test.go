package sberloan_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// merchant is the shop of the examples: a twelve-month installment plan at
// a 10% discount and a 3.5% YooKassa commission.
var merchant = sberloan.Config{
	Tariffs:           map[sberloan.Option]decimal.Decimal{"installments_12": decimal.NewFromInt(10)},
	CommissionPercent: decimal.RequireFromString("3.5"),
}

// order is the receipt the payment was created with: Product 1 at 3,000.00
// and two of Product 2 at 1,000.00, 5,000.00 in all.
var order = &yookassa.ReceiptData{
	Customer: &yookassa.Customer{Email: "buyer@example.com"},
	Items: []yookassa.ReceiptItem{
		{Description: "Product 1", Amount: yookassa.RUB(decimal.NewFromInt(3000)), VatCode: yookassa.Vat20, Quantity: decimal.NewFromInt(1)},
		{Description: "Product 2", Amount: yookassa.RUB(decimal.NewFromInt(1000)), VatCode: yookassa.Vat20, Quantity: decimal.NewFromInt(2)},
	},
}

// payment decodes a payment object from testdata, as GetPayment returns it.
func payment(name string) *yookassa.Payment {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	p := new(yookassa.Payment)
	if err := json.Unmarshal(b, p); err != nil {
		panic(err)
	}
	return p
}

// printItems prints receipt lines as "description price x quantity".
func printItems(items []yookassa.ReceiptItem) {
	for _, it := range items {
		fmt.Printf("  %s %s x %s\n", it.Description, it.Amount.Value.StringFixed(2), it.Quantity)
	}
}

// What the merchant receives of a 5,000.00 purchase with a 3.5% commission:
// all of it by a loan, the price less the 10% installment discount by an
// installment plan.
func ExampleIncome() {
	commission := decimal.RequireFromString("3.5")
	price := decimal.NewFromInt(5000)

	fmt.Println("loan:", sberloan.Income(price, commission).StringFixed(2))

	discounted, _ := sberloan.Discount(price, decimal.NewFromInt(10))
	fmt.Println("installments:", sberloan.Income(discounted, commission).StringFixed(2))
	// Output:
	// loan: 4825.00
	// installments: 4342.50
}

// The same purchase since 1 January 2026, when YooKassa withholds VAT of
// 22% on its 3.5% commission: 5,000 x (1 - (0.035 + 0.035 x 0.22)) =
// 5,000 x 0.9573. VAT 0 keeps the guide's numbers.
func ExampleConfig_Income() {
	contract := sberloan.Config{
		CommissionPercent:    decimal.RequireFromString("3.5"),
		CommissionVATPercent: decimal.NewFromInt(22),
	}
	price := decimal.NewFromInt(5000)
	discounted, _ := sberloan.Discount(price, decimal.NewFromInt(10))
	fmt.Println("loan:", contract.Income(price).StringFixed(2))
	fmt.Println("installments:", contract.Income(discounted).StringFixed(2))

	contract.CommissionVATPercent = decimal.Zero
	fmt.Println("without VAT:", contract.Income(price).StringFixed(2), contract.Income(discounted).StringFixed(2))
	// Output:
	// loan: 4786.50
	// installments: 4307.85
	// without VAT: 4825.00 4342.50
}

// A 10% installment tariff on 5,000.00: the buyer borrows 4,500.00 and the
// merchant grants 500.00.
func ExampleDiscount() {
	discounted, discount := sberloan.Discount(decimal.NewFromInt(5000), decimal.NewFromInt(10))
	fmt.Println(discounted.StringFixed(2), discount.StringFixed(2))
	// Output: 4500.00 500.00
}

// With installment plans enabled the smallest payment is 3,000 plus the
// largest discount: 3,300.00 when the largest tariff is 10%.
func ExampleConfig_MinAmount() {
	c := sberloan.Config{Tariffs: map[sberloan.Option]decimal.Decimal{
		"installments_3":  decimal.RequireFromString("4.5"),
		"installments_6":  decimal.NewFromInt(7),
		"installments_12": decimal.NewFromInt(10),
	}}
	fmt.Println(c.MinAmount().StringFixed(2))

	var loanOnly sberloan.Config
	fmt.Println(loanOnly.MinAmount().StringFixed(2))
	// Output:
	// 3300.00
	// 3000.00
}

func ExampleConfig_CheckAmount() {
	for _, v := range []string{"3299.99", "3300.00", "600000.00", "600000.01"} {
		err := merchant.CheckAmount(yookassa.RUB(decimal.RequireFromString(v)))
		fmt.Println(v, err)
	}
	err := merchant.CheckAmount(yookassa.Amount{Value: decimal.NewFromInt(5000), Currency: "USD"})
	fmt.Println(errors.Is(err, sberloan.ErrCurrency))
	// Output:
	// 3299.99 sberloan: amount: payment of 3299.99 RUB is 0.01 RUB under the minimum 3300.00 RUB (allowed 3300.00-600000.00 RUB)
	// 3300.00 <nil>
	// 600000.00 <nil>
	// 600000.01 sberloan: amount: payment of 600000.01 RUB is 0.01 RUB over the maximum 600000.00 RUB (allowed 3300.00-600000.00 RUB)
	// true
}

func ExampleParseOption() {
	for _, s := range []string{"loan", "installments_12", "installments_0", "Loan"} {
		o, err := sberloan.ParseOption(s)
		months, ok := o.Installments()
		fmt.Printf("%q months=%d installments=%v err=%v\n", o, months, ok, err != nil)
	}
	// Output:
	// "loan" months=0 installments=false err=false
	// "installments_12" months=12 installments=true err=false
	// "" months=0 installments=false err=true
	// "" months=0 installments=false err=true
}

// The request of YooKassa's guide: 5,000.00 by sber_loan, back to the shop
// afterwards.
func ExampleConfig_NewPayment() {
	req, err := merchant.NewPayment(sberloan.PaymentParams{
		Amount:      yookassa.RUB(decimal.NewFromInt(5000)),
		ReturnURL:   "https://www.example.com/return_url",
		Description: "Order No. 37",
		Metadata:    map[string]string{"order_id": "37"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.MarshalIndent(req, "", "  ")
	fmt.Println(string(b))
	// Output:
	// {
	//   "amount": {
	//     "value": "5000.00",
	//     "currency": "RUB"
	//   },
	//   "description": "Order No. 37",
	//   "payment_method_data": {
	//     "type": "sber_loan"
	//   },
	//   "confirmation": {
	//     "type": "redirect",
	//     "return_url": "https://www.example.com/return_url"
	//   },
	//   "metadata": {
	//     "order_id": "37"
	//   }
	// }
}

// sber_loan cannot be saved, split or put in a Safe deal.
func ExampleCheckRequest() {
	req := &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.NewFromInt(5000)),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/"},
		SavePaymentMethod: true,
	}
	fmt.Println(sberloan.CheckRequest(req))
	// Output: sberloan: save_payment_method: sber_loan cannot be saved for automatic payments
}

// The succeeded installment payment of YooKassa's guide, created for
// 5,000.00.
func ExampleConfig_Read() {
	pur, err := merchant.Read(payment("payment_succeeded_installments.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("option:", pur.Option, "months:", pur.Months, "discount %:", pur.Percent)
	fmt.Println("original:", pur.Original.StringFixed(2))
	fmt.Println("discount:", pur.Discount.StringFixed(2))
	fmt.Println("paid:", pur.Amount.StringFixed(2))
	fmt.Println("income:", pur.Income.StringFixed(2))

	_, err = merchant.Read(payment("payment_pending.json"))
	fmt.Println(errors.Is(err, sberloan.ErrNotPaid))
	// Output:
	// option: installments_12 months: 12 discount %: 10
	// original: 5000.00
	// discount: 500.00
	// paid: 4500.00
	// income: 4342.50
	// true
}

// Capturing three quarters of an installment payment of 5,000.00 at 10%:
// the amount is three quarters of the 4,500.00 the buyer borrowed.
func ExampleConfig_PlanCapture() {
	p := payment("payment_succeeded_installments.json")
	p.Status = yookassa.PaymentStatusWaitingForCapture // as it is before capture

	req, err := merchant.PlanCapture(p, order, sberloan.Share(decimal.RequireFromString("0.75")))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("capture", req.Amount.Value.StringFixed(2))
	printItems(req.Receipt.Items)

	// Half would be 2,250.00, under the 3,000 minimum of a partial capture.
	_, err = merchant.PlanCapture(p, order, sberloan.Share(decimal.RequireFromString("0.5")))
	fmt.Println(err)
	// Output:
	// capture 3375.00
	//   Product 1 2025.00 x 1
	//   Product 2 675.00 x 2
	// sberloan: amount: capture of 2250.00 RUB is 750.00 RUB under the minimum 3000.00 RUB (allowed 3000.00-4500.00 RUB)
}

// The full receipt of an installment payment lists the prices YooKassa
// charged: 3,000.00 and 1,000.00 less 10%.
func ExampleConfig_PlanCapture_full() {
	p := payment("payment_succeeded_installments.json")
	p.Status = yookassa.PaymentStatusWaitingForCapture

	req, err := merchant.PlanCapture(p, order, sberloan.Full())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("capture", req.Amount.Value.StringFixed(2))
	printItems(req.Receipt.Items)
	// Output:
	// capture 4500.00
	//   Product 1 2700.00 x 1
	//   Product 2 900.00 x 2
}

// Capturing Product 1 and one of the two units of Product 2.
func ExampleConfig_PlanCapture_items() {
	p := payment("payment_succeeded_installments.json")
	p.Status = yookassa.PaymentStatusWaitingForCapture

	req, err := merchant.PlanCapture(p, order, sberloan.Items(
		receipt.Pick{Line: 0, Quantity: decimal.NewFromInt(1)},
		receipt.Pick{Line: 1, Quantity: decimal.NewFromInt(1)},
	))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("capture", req.Amount.Value.StringFixed(2))
	printItems(req.Receipt.Items)
	// Output:
	// capture 3600.00
	//   Product 1 2700.00 x 1
	//   Product 2 900.00 x 1
}

// Refunding half, then all, of an installment payment of 5,000.00 at 10%.
func ExampleConfig_PlanRefund() {
	p := payment("payment_succeeded_installments.json")

	half, err := merchant.PlanRefund(p, order, sberloan.Share(decimal.RequireFromString("0.5")))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund half", half.Amount.Value.StringFixed(2))
	printItems(half.Receipt.Items)

	all, err := merchant.PlanRefund(p, order, sberloan.Full())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund all", all.Amount.Value.StringFixed(2))
	// Output:
	// refund half 2250.00
	//   Product 1 1350.00 x 1
	//   Product 2 450.00 x 2
	// refund all 4500.00
}

// Refunding one unit of Product 2 of an installment payment: 1,000.00 less
// 10%.
func ExampleConfig_PlanRefund_items() {
	p := payment("payment_succeeded_installments.json")
	req, err := merchant.PlanRefund(p, order, sberloan.Items(receipt.Pick{Line: 1, Quantity: decimal.NewFromInt(1)}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund", req.Amount.Value.StringFixed(2))
	printItems(req.Receipt.Items)
	// Output:
	// refund 900.00
	//   Product 2 900.00 x 1
}

// A price in a partial receipt of an installment plan is discounted and
// rounded half away from zero: 999.90 at 5% is 949.905, sent as 949.91.
func Example_kopeckRounding() {
	items := []yookassa.ReceiptItem{{
		Description: "Headphones",
		Amount:      yookassa.RUB(decimal.RequireFromString("999.90")),
		VatCode:     yookassa.Vat20,
		Quantity:    decimal.NewFromInt(1),
	}}
	discounted := receipt.ApplyDiscount(items, decimal.NewFromInt(5))
	fmt.Println(discounted[0].Amount.Value.StringFixed(2))
	// Output: 949.91
}
