package yookassatest_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/notification"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// The whole sber_loan life of a payment, in process.
func ExampleNewServer() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()

	p, err := client.CreatePayment(ctx, &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.RequireFromString("5000.00")),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		Capture:           true,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Confirm(p.ID, "installments_12"); err != nil {
		log.Fatal(err)
	}
	p, _ = client.GetPayment(ctx, p.ID)
	fmt.Println(p.Status, p.Amount, "income", p.IncomeAmount)
	// Output:
	// succeeded 4500.00 RUB income 4342.50 RUB
}

// The clock moves only when told: a hold that is not captured in 2 hours is
// canceled.
func ExampleServer_Advance() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()
	p, _ := client.CreatePayment(ctx, &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.RequireFromString("5000.00")),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
	})
	_ = sim.Confirm(p.ID, "loan")
	sim.Advance(2 * time.Hour)
	p, _ = client.GetPayment(ctx, p.ID)
	fmt.Println(p.Status, p.CancellationDetails.Reason)
	// Output:
	// canceled expired_on_capture
}

// Faults by count: the first create answers 429 and the client retries.
func ExampleServer_InjectFault() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	sim.InjectFault(yookassatest.Fault{Kind: yookassatest.FaultTooManyRequests, Endpoint: "POST /payments", Count: 1, RetryAfter: time.Millisecond})
	client := sim.Client()
	p, err := client.CreatePayment(context.Background(), &yookassa.PaymentRequest{Amount: yookassa.RUB(decimal.RequireFromString("10.00"))})
	fmt.Println(p.Status, err, sim.FaultsInjected())
	// Output:
	// pending <nil> 1
}

// A shop built on the simulator's client before the simulator starts, with
// the module's notification handler: one line of test configuration lets
// the simulator's notifications in.
func ExampleNewUnstartedServer() {
	sim := yookassatest.NewUnstartedServer()
	defer sim.Close()
	client := sim.Client()
	paid := make(chan string, 1)
	webhook, err := notification.NewHandler(client, func(_ context.Context, ev *notification.Event) error {
		paid <- string(ev.Event) + " " + ev.Payment.Amount.String()
		return nil
	}, notification.WithAllowedSources(sim.NotificationSource())) // tests only
	if err != nil {
		log.Fatal(err)
	}
	shop := httptest.NewServer(webhook)
	defer shop.Close()
	sim.Start(yookassatest.WithWebhook(shop.URL + "/yookassa/notifications"))

	p, err := client.CreatePayment(context.Background(), &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.RequireFromString("5000.00")),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		Capture:           true,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Confirm(p.ID, "installments_12"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(<-paid)
	// Output:
	// payment.succeeded 4500.00 RUB
}
