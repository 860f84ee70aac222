package receipt_test

import (
	"errors"
	"fmt"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func item(description, price, quantity string) yookassa.ReceiptItem {
	return yookassa.ReceiptItem{
		Description:    description,
		Amount:         yookassa.RUB(dec(price)),
		VatCode:        yookassa.VatNone,
		Quantity:       dec(quantity),
		PaymentSubject: yookassa.PaymentSubjectCommodity,
		PaymentMode:    yookassa.PaymentModeFullPayment,
	}
}

func printItems(items []yookassa.ReceiptItem) {
	for _, it := range items {
		fmt.Printf("%s: %s x %s\n", it.Description, it.Amount.Value.StringFixed(2), it.Quantity)
	}
	fmt.Println("total", receipt.Total(items).StringFixed(2))
}

// The order of the installment-plan example: 5,000 before the discount.
func order() []yookassa.ReceiptItem {
	return []yookassa.ReceiptItem{item("Product 1", "3000.00", "1"), item("Product 2", "1000.00", "2")}
}

// YooKassa's own repricing of a payment's receipt when the buyer takes an
// installment plan with a 10% discount.
func ExampleApplyDiscount() {
	printItems(receipt.ApplyDiscount(order(), dec("10")))
	// Output:
	// Product 1: 2700.00 x 1
	// Product 2: 900.00 x 2
	// total 4500.00
}

// Mathematical rounding of one discounted price: 999.90 at 5% is 949.905.
func ExampleApplyDiscount_rounding() {
	items := receipt.ApplyDiscount([]yookassa.ReceiptItem{item("Kettle", "999.90", "1")}, dec("5"))
	fmt.Println(items[0].Amount.Value.StringFixed(2))
	// Output: 949.91
}

// A percent outside [0, 100) is refused by CheckDiscount and ignored by
// ApplyDiscount, which then returns an unchanged copy.
func ExampleCheckDiscount() {
	fmt.Println(receipt.CheckDiscount(dec("10")))
	fmt.Println(receipt.CheckDiscount(dec("100")))
	fmt.Println(receipt.ApplyDiscount(order(), dec("100"))[0].Amount.Value.StringFixed(2))
	// Output:
	// <nil>
	// yookassa: invalid percent: must be at least 0 and below 100
	// 3000.00
}

// The discounted amount is computed on the total, not line by line.
func ExampleDiscountedTotal() {
	items := []yookassa.ReceiptItem{item("Cup", "333.33", "3")}
	fmt.Println(receipt.DiscountedTotal(items, dec("10")).StringFixed(2))
	fmt.Println(receipt.Total(receipt.ApplyDiscount(items, dec("10"))).StringFixed(2))
	fmt.Println(receipt.DiscountedTotal(order(), dec("10")).StringFixed(2))
	// Output:
	// 899.99
	// 900.00
	// 4500.00
}

// The receipt of a refund of three cups bought with a 10% installment
// discount: the refund is 899.99, so one cup's price gives up the kopeck.
func ExampleReprice() {
	items := []yookassa.ReceiptItem{item("Cup", "333.33", "3")}
	refund := receipt.DiscountedTotal(items, dec("10"))
	out, err := receipt.Reprice(items, dec("10"), refund)
	if err != nil {
		fmt.Println(err)
		return
	}
	printItems(out)
	// Output:
	// Cup: 300.00 x 2
	// Cup: 299.99 x 1
	// total 899.99
}

// Balancing without a discount: one unit is split off to take the kopeck.
func ExampleBalance() {
	items := []yookassa.ReceiptItem{item("Cup", "333.33", "3")}
	out, err := receipt.Balance(items, dec("1000.00"))
	if err != nil {
		fmt.Println(err)
		return
	}
	printItems(out)
	// Output:
	// Cup: 333.33 x 2
	// Cup: 333.34 x 1
	// total 1000.00
}

// A target that is not a rounding of the items is refused with the reason.
func ExampleBalance_error() {
	_, err := receipt.Balance(order(), dec("4990.00"))
	fmt.Println(errors.Is(err, receipt.ErrResidueTooLarge))
	fmt.Println(err)
	// Output:
	// true
	// receipt: cannot balance to 4990.00: the items add up to 5000.00, residue -10.00: rounding these items' unit prices to kopecks explains at most 0.02 (half a kopeck per unit, a kopeck per fractional-quantity line, one for the target)
}

// Capturing three quarters of an installment-plan payment of 4,500 (5,000 at
// 10%) means a capture of 3,375 with a receipt to match.
func ExampleScale() {
	paid := receipt.ApplyDiscount(order(), dec("10"))
	out, err := receipt.Scale(paid, dec("3375"))
	if err != nil {
		fmt.Println(err)
		return
	}
	printItems(out)
	// Output:
	// Product 1: 2025.00 x 1
	// Product 2: 675.00 x 2
	// total 3375.00
}

// Refunding half of the same payment: 2,250.
func ExampleScale_half() {
	paid := receipt.ApplyDiscount(order(), dec("10"))
	out, err := receipt.Scale(paid, dec("2250"))
	if err != nil {
		fmt.Println(err)
		return
	}
	printItems(out)
	// Output:
	// Product 1: 1350.00 x 1
	// Product 2: 450.00 x 2
	// total 2250.00
}

// Refunding one of the two units of Product 2 bought with a 10% discount:
// pick the unit, then reprice it to the amount of the refund.
func ExampleSelect() {
	picked, err := receipt.Select(order(), []receipt.Pick{{Line: 1, Quantity: dec("1")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	refund := receipt.DiscountedTotal(picked, dec("10"))
	out, err := receipt.Reprice(picked, dec("10"), refund)
	if err != nil {
		fmt.Println(err)
		return
	}
	printItems(out)
	// Output:
	// Product 2: 900.00 x 1
	// total 900.00
}

// Validate checks the whole receipt against the amount it travels with.
func ExampleValidate() {
	r := yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items:    receipt.ApplyDiscount(order(), dec("10")),
	}
	fmt.Println(receipt.Validate(r, yookassa.RUB(dec("4500.00"))))
	fmt.Println(receipt.Validate(r, yookassa.RUB(dec("5000.00"))))
	// Output:
	// <nil>
	// yookassa: invalid items: items add up to 4500.00 (price x quantity, rounded to kopecks per line) but the amount is 5000.00
}
