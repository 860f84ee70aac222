package yookassa_test

import (
	"context"
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// A Safe deal: the buyer pays 1,000.00 into the deal, 800.00 of it for the
// seller; the platform pays the seller out and the deal closes.
func ExampleClient_CreateDeal_safeDeal() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	client := sim.Client() // the platform's shop: deals and their payouts
	ctx := context.Background()
	rub := func(s string) yookassa.Amount { return yookassa.RUB(decimal.RequireFromString(s)) }

	deal, err := client.CreateDeal(ctx, &yookassa.DealRequest{
		FeeMoment:   yookassa.FeeMomentPaymentSucceeded,
		Description: "Order No. 37: seller 5123, buyer 8871",
	}, yookassa.WithIdempotenceKey("order-37.deal"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("deal:", deal.Status, deal.Balance)

	payment, err := client.CreatePayment(ctx, &yookassa.PaymentRequest{
		Amount:       rub("1000.00"),
		Capture:      true,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://platform.example/orders/37"},
		Deal: &yookassa.Deal{ID: deal.ID, Settlements: []yookassa.Settlement{
			{Type: yookassa.SettlementPayout, Amount: rub("800.00")}, // the seller's reward
		}},
	}, yookassa.WithIdempotenceKey("order-37.pay"))
	if err != nil {
		log.Fatal(err)
	}
	_ = sim.Confirm(payment.ID, "") // the buyer pays by card

	deal, err = client.GetDeal(ctx, deal.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("deal:", deal.Status, deal.Balance, "for the seller:", deal.PayoutBalance)

	payout, err := client.CreatePayout(ctx, &yookassa.PayoutRequest{
		Amount:      deal.PayoutBalance,
		PayoutToken: "hoiCz_UVAdi_eKEthqhjRIJp.SC.001.202101", // the seller's card, from the payout widget
		Deal:        &yookassa.PayoutDeal{ID: deal.ID},
	}, yookassa.WithIdempotenceKey("order-37.payout"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("payout:", payout.Status, payout.Amount)

	deal, err = client.GetDeal(ctx, deal.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("deal:", deal.Status, deal.Balance)
	// Output:
	// deal: opened 0.00 RUB
	// deal: opened 800.00 RUB for the seller: 800.00 RUB
	// payout: succeeded 800.00 RUB
	// deal: closed 0.00 RUB
}
