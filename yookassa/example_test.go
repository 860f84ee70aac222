package yookassa_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// A sber_loan payment: create it, send the buyer to the confirmation page,
// then read what they chose.
func ExampleClient_CreatePayment() {
	sim := yookassatest.NewServer() // in production: yookassa.NewClient(shopID, secretKey)
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()

	payment, err := client.CreatePayment(ctx, &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.RequireFromString("5000.00")),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
		Description:       "Order No. 37",
		Metadata:          map[string]string{"order_id": "37"},
	}, yookassa.WithIdempotenceKey("order-37.pay"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payment.Status, payment.Amount)
	fmt.Println("redirect the buyer:", payment.Confirmation.ConfirmationURL != "")

	// The buyer picks a 12-month installment plan (10% discount) and the bank approves.
	if err := sim.Confirm(payment.ID, "installments_12"); err != nil {
		log.Fatal(err)
	}
	payment, err = client.GetPayment(ctx, payment.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payment.Status, payment.Amount, payment.PaymentMethod.LoanOption, "discount", payment.PaymentMethod.DiscountAmount)
	// Output:
	// pending 5000.00 RUB
	// redirect the buyer: true
	// waiting_for_capture 4500.00 RUB installments_12 discount 500.00 RUB
}

// A partial capture: three quarters of the discounted amount.
func ExampleClient_CapturePayment() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()

	payment, err := client.CreatePayment(ctx, &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.RequireFromString("5000.00")),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = sim.Confirm(payment.ID, "installments_12")

	part := yookassa.RUB(decimal.RequireFromString("3375.00"))
	payment, err = client.CapturePayment(ctx, payment.ID, &yookassa.CaptureRequest{Amount: &part},
		yookassa.WithIdempotenceKey("order-37.capture"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payment.Status, payment.Amount, "income", payment.IncomeAmount)
	// Output:
	// succeeded 3375.00 RUB income 3256.88 RUB
}

// When the outcome of a call is unknown, repeat it with the same key: the
// payment is created at most once.
func ExampleOutcomeUnknownError() {
	// The simulator creates the payment, then loses the answer.
	sim := yookassatest.NewServer(yookassatest.WithFaults(yookassatest.Fault{
		Kind: yookassatest.FaultInternalAfter, Endpoint: "POST /payments", Count: 1}))
	defer sim.Close()
	client := sim.Client(yookassa.WithRetryPolicy(yookassa.RetryPolicy{MaxAttempts: 1}))
	ctx := context.Background()
	req := &yookassa.PaymentRequest{
		Amount:            yookassa.RUB(decimal.RequireFromString("5000.00")),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberLoan},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return"},
	}

	_, err := client.CreatePayment(ctx, req)
	var unknown *yookassa.OutcomeUnknownError
	if errors.As(err, &unknown) {
		fmt.Println("outcome unknown:", errors.Is(err, yookassa.ErrOutcomeUnknown))
		payment, err := client.CreatePayment(ctx, req, yookassa.WithIdempotenceKey(unknown.IdempotenceKey))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("retried with the same key:", payment.Status)
	}
	fmt.Println("payments held by YooKassa:", len(sim.Payments()))
	// Output:
	// outcome unknown: true
	// retried with the same key: pending
	// payments held by YooKassa: 1
}

// Errors from YooKassa match sentinel errors; bad input is refused before
// anything is sent.
func ExampleAPIError() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()

	_, err := client.GetPayment(context.Background(), "22c5d0f0-000f-5000-8000-13ece77bc6c1")
	var apiErr *yookassa.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, errors.Is(err, yookassa.ErrNotFound))
	}

	_, err = client.CreatePayment(context.Background(), &yookassa.PaymentRequest{Amount: yookassa.RUB(decimal.RequireFromString("10.005"))})
	var invalid *yookassa.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Field, "-", invalid.Reason)
	}
	// Output:
	// 404 not_found true
	// amount.value - 10.005 has more than two decimal places
}

// Payments walks every page of the list.
func ExampleClient_Payments() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()
	for _, v := range []string{"3500.00", "4000.00", "4500.00"} {
		if _, err := client.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: yookassa.RUB(decimal.RequireFromString(v))}); err != nil {
			log.Fatal(err)
		}
	}
	for p, err := range client.Payments(ctx, &yookassa.PaymentListParams{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.Amount)
	}
	// Output:
	// 4500.00 RUB
	// 4000.00 RUB
	// 3500.00 RUB
}

// WaitPayment polls when no notification arrives.
func ExampleClient_WaitPayment() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	payment, err := client.CreatePayment(ctx, &yookassa.PaymentRequest{Amount: yookassa.RUB(decimal.RequireFromString("100.00")), Capture: true})
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		_ = sim.Confirm(payment.ID, "") // the buyer pays
	}()
	payment, err = client.WaitPayment(ctx, payment.ID, yookassa.WithPollInterval(10*time.Millisecond, 50*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payment.Status)
	// Output:
	// succeeded
}

func ExampleParseAmount() {
	a, err := yookassa.ParseAmount("949.91", yookassa.CurrencyRUB)
	fmt.Println(a, err)
	_, err = yookassa.ParseAmount("949.905", yookassa.CurrencyRUB)
	fmt.Println(err)
	// Output:
	// 949.91 RUB <nil>
	// yookassa: invalid value: 949.905 has more than two decimal places
}

// The receipt total is counted line by line, each line rounded to kopecks.
func ExampleReceiptTotal() {
	items := []yookassa.ReceiptItem{
		{Description: "Product 1", Amount: yookassa.RUB(decimal.RequireFromString("2700.00")), VatCode: yookassa.Vat20, Quantity: decimal.NewFromInt(1)},
		{Description: "Product 2", Amount: yookassa.RUB(decimal.RequireFromString("900.00")), VatCode: yookassa.Vat20, Quantity: decimal.NewFromInt(2)},
	}
	fmt.Println(yookassa.ReceiptTotal(items).StringFixed(2))
	// Output:
	// 4500.00
}

// Per-call options: a timeout for the whole call, and the metadata of the
// answer.
func ExampleWithResponseInto() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client()
	var resp yookassa.Response
	payment, err := client.CreatePayment(context.Background(),
		&yookassa.PaymentRequest{Amount: yookassa.RUB(decimal.RequireFromString("100.00")), Capture: true},
		yookassa.WithIdempotenceKey("order-41.pay"), yookassa.WithCallTimeout(10*time.Second), yookassa.WithResponseInto(&resp))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(payment.Status, resp.StatusCode, resp.IdempotenceKey, resp.Attempts)
	// Output:
	// pending 200 order-41.pay 1
}
