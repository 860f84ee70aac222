package yookassa_test

import (
	"context"
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// A payout through SBP with the recipient's name checked: payouts, the SBP
// bank list and personal data take the payout gateway's own credentials,
// not the shop's.
func ExampleClient_CreatePayout_sbp() {
	sim := yookassatest.NewServer()
	defer sim.Close()
	// In production: yookassa.NewClient(agentID, payoutSecretKey).
	payouts := sim.PayoutClient()
	ctx := context.Background()

	banks, err := payouts.ListSBPBanks(ctx)
	if err != nil {
		log.Fatal(err)
	}
	var bank yookassa.SBPBank
	for _, b := range banks.Items {
		if b.Name == "Сбербанк" {
			bank = b
		}
	}
	fmt.Println("bank:", bank.BankID, bank.BIC)

	recipient, err := payouts.CreatePersonalData(ctx, &yookassa.PersonalDataRequest{
		Type:     yookassa.PersonalDataSBPPayoutRecipient,
		LastName: "Иванов", FirstName: "Иван", MiddleName: "Иванович",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("personal data:", recipient.Status)

	payout, err := payouts.CreatePayout(ctx, &yookassa.PayoutRequest{
		Amount: yookassa.RUB(decimal.RequireFromString("80.00")),
		PayoutDestinationData: &yookassa.PayoutDestinationData{
			Type: yookassa.PayoutDestinationSBP, Phone: "79000000000", BankID: bank.BankID,
		},
		PersonalData: []yookassa.PayoutPersonalData{{ID: recipient.ID}},
		Description:  "Payout for order No. 37",
		Metadata:     map[string]string{"order_id": "37"},
	}, yookassa.WithIdempotenceKey("order-37.payout"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("payout:", payout.Status, payout.Amount, "recipient checked:", payout.PayoutDestination.RecipientChecked)

	// The recipient's bank refuses the next one: the payout is canceled
	// with a reason, and a retry needs a new request (a new key).
	sim.DeclineNextPayout(yookassa.ReasonRecipientNotFound)
	payout, err = payouts.CreatePayout(ctx, &yookassa.PayoutRequest{
		Amount:                yookassa.RUB(decimal.RequireFromString("80.00")),
		PayoutDestinationData: &yookassa.PayoutDestinationData{Type: yookassa.PayoutDestinationSBP, Phone: "79000000001", BankID: bank.BankID},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("payout:", payout.Status, payout.CancellationDetails.Party, payout.CancellationDetails.Reason)

	found, err := payouts.SearchPayouts(ctx, &yookassa.PayoutSearchParams{Metadata: map[string]string{"order_id": "37"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("payouts of order 37:", len(found.Items))
	// Output:
	// bank: 100000000111 044525225
	// personal data: waiting_for_operation
	// payout: succeeded 80.00 RUB recipient checked: true
	// payout: canceled payout_network recipient_not_found
	// payouts of order 37: 1
}

// The limits of one payout decide how to split a large one: here 1,200,000
// RUB to a card, in a regular payout and in a Safe deal.
func ExamplePayoutLimits() {
	total := decimal.New(1_200_000, 0)
	for _, safeDeal := range []bool{false, true} {
		lo, hi := yookassa.PayoutLimits(yookassa.PayoutDestinationBankCard, safeDeal)
		parts := total.Div(hi).Ceil()
		fmt.Printf("Safe deal %v: %s-%s RUB per payout, %s payouts\n", safeDeal, lo.StringFixed(2), hi.StringFixed(2), parts)
	}
	// Output:
	// Safe deal false: 5.00-500000.00 RUB per payout, 3 payouts
	// Safe deal true: 1.00-150000.00 RUB per payout, 8 payouts
}
