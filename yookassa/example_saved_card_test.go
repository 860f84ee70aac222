package yookassa_test

import (
	"context"
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// A card saved without a payment, then charged for a subscription without
// the user.
func ExampleClient_CreatePaymentMethod_savedCard() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()

	method, err := client.CreatePaymentMethod(ctx, &yookassa.PaymentMethodRequest{
		Type:         yookassa.PaymentMethodBankCard,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/account/cards"},
	}, yookassa.WithIdempotenceKey("user-8871.bind-card"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(method.Status, "usable:", method.Usable())
	fmt.Println("send the user to the confirmation page:", method.Confirmation.ConfirmationURL != "")

	// The user enters the card and confirms; YooKassa sends
	// payment_method.active.
	if err := sim.ConfirmPaymentMethod(method.ID); err != nil {
		log.Fatal(err)
	}
	method, err = client.GetPaymentMethod(ctx, method.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(method.Status, method.Title, "usable:", method.Usable())

	payment, err := client.CreatePayment(ctx, &yookassa.PaymentRequest{
		Amount:          yookassa.RUB(decimal.RequireFromString("299.00")),
		PaymentMethodID: method.ID,
		Capture:         true,
		Description:     "Subscription, December",
	}, yookassa.WithIdempotenceKey("user-8871.2026-12"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payment.Status, payment.Amount, payment.PaymentMethod.Title)
	// Output:
	// pending usable: false
	// send the user to the confirmation page: true
	// active Bank card *4444 usable: true
	// succeeded 299.00 RUB Bank card *4444
}
