package sberbnpl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberbnpl"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// A payment with the buyer's phone: YooKassa sends the buyer straight to
// the partner's page.
func ExampleConfig_NewPayment() {
	var cfg sberbnpl.Config // YooKassa's current limits, 1,000-50,000 RUB
	req, err := cfg.NewPayment(sberbnpl.PaymentParams{
		Amount:      yookassa.RUB(decimal.NewFromInt(1000)),
		ReturnURL:   "https://www.example.com/return_url",
		Phone:       "79000000000",
		Description: "Order No. 72",
		Capture:     true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := json.Marshal(req)
	fmt.Println(string(body))
	// Output:
	// {"amount":{"value":"1000.00","currency":"RUB"},"description":"Order No. 72","payment_method_data":{"type":"sber_bnpl","phone":"79000000000"},"confirmation":{"type":"redirect","return_url":"https://www.example.com/return_url"},"capture":true}
}

// What is refused before any request leaves, with the field at fault and
// by how much a limit is missed.
func ExampleConfig_CheckAmount() {
	var cfg sberbnpl.Config
	for _, v := range []string{"999.99", "50000.00", "150000.00"} {
		fmt.Println(v, cfg.CheckAmount(yookassa.RUB(decimal.RequireFromString(v))))
	}

	_, err := cfg.NewPayment(sberbnpl.PaymentParams{Amount: yookassa.RUB(decimal.NewFromInt(5000)),
		ReturnURL: "https://shop.example/return", Phone: "+7 900 000-00-00"})
	var invalid *yookassa.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Field)
	}
	// Output:
	// 999.99 sberbnpl: amount: payment of 999.99 RUB is 0.01 RUB under the minimum 1000.00 RUB (allowed 1000.00-50000.00 RUB)
	// 50000.00 <nil>
	// 150000.00 sberbnpl: amount: payment of 150000.00 RUB is 100000.00 RUB over the maximum 50000.00 RUB (allowed 1000.00-50000.00 RUB)
	// payment_method_data.phone
}

// Refunds are possible for one year after the payment's creation.
func ExampleCheckRefund() {
	created := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	p := &yookassa.Payment{ID: "22e12f66-000f-5000-8000-18db351245c7", Status: yookassa.PaymentStatusSucceeded,
		Amount: yookassa.RUB(decimal.NewFromInt(1000)), CreatedAt: created, Refundable: true,
		PaymentMethod: &yookassa.PaymentMethod{Type: yookassa.PaymentMethodSberBNPL}}
	half := yookassa.RUB(decimal.NewFromInt(500))

	fmt.Println(sberbnpl.RefundDeadline(created).Format(time.DateOnly))
	fmt.Println(sberbnpl.CheckRefund(p, half, created.AddDate(0, 11, 0)))
	err := sberbnpl.CheckRefund(p, half, created.AddDate(1, 0, 1))
	fmt.Println(errors.Is(err, sberbnpl.ErrRefundExpired))
	// Output:
	// 2027-05-04
	// <nil>
	// true
}

// The life of a two-stage sber_bnpl payment on the simulator: the buyer
// pays on the confirmation page, the merchant captures part of it within
// the seven-day hold and refunds part of that.
func Example_simulator() {
	sim := yookassatest.NewServer(yookassatest.WithStartTime(time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)))
	defer sim.Close()
	client := sim.Client()
	ctx := context.Background()

	req, _ := sberbnpl.Config{}.NewPayment(sberbnpl.PaymentParams{Amount: yookassa.RUB(decimal.NewFromInt(10000)),
		ReturnURL: "https://shop.example/return", Description: "Order No. 72"})
	p, err := client.CreatePayment(ctx, req)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = sim.Confirm(p.ID, "") // the buyer pays the first part on the partner's page
	p, _ = client.GetPayment(ctx, p.ID)
	fmt.Println(p.Status, "until", p.ExpiresAt.Format(time.DateOnly))

	part := yookassa.RUB(decimal.NewFromInt(7500))
	if err := sberbnpl.CheckCapture(p, &part, sim.Now()); err != nil {
		fmt.Println(err)
		return
	}
	p, _ = client.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: &part})
	fmt.Println(p.Status, p.Amount)

	refund := yookassa.RUB(decimal.NewFromInt(2500))
	if err := sberbnpl.CheckRefund(p, refund, sim.Now()); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := client.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: refund})
	fmt.Println("refund", r.Status, r.Amount)
	// Output:
	// waiting_for_capture until 2026-05-11
	// succeeded 7500.00 RUB
	// refund succeeded 2500.00 RUB
}
