package notification_test

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

// Payouts belong to the payout gateway: the handler re-reads them with the
// gateway's client, everything else with the shop's.
func ExampleWithPayoutClient() {
	sim := yookassatest.NewUnstartedServer()
	defer sim.Close()
	shop := sim.Client()          // yookassa.NewClient(shopID, secretKey)
	gateway := sim.PayoutClient() // yookassa.NewClient(agentID, payoutSecretKey)

	done := make(chan string, 1)
	webhook, err := notification.NewHandler(shop, func(_ context.Context, ev *notification.Event) error {
		if ev.Event == yookassa.EventPayoutSucceeded {
			done <- fmt.Sprint(ev.Event, " ", ev.Payout.Amount, " verified: ", ev.Verified)
		}
		return nil
	}, notification.WithPayoutClient(gateway),
		notification.WithAllowedSources(sim.NotificationSource())) // tests only
	if err != nil {
		log.Fatal(err)
	}
	receiver := httptest.NewServer(webhook)
	defer receiver.Close()
	sim.Start(yookassatest.WithWebhook(receiver.URL))

	_, err = gateway.CreatePayout(context.Background(), &yookassa.PayoutRequest{
		Amount:      yookassa.RUB(decimal.RequireFromString("320.00")),
		PayoutToken: "hoiCz_UVAdi_eKEthqhjRIJp.SC.001.202101",
	})
	if err != nil {
		log.Fatal(err)
	}
	select {
	case got := <-done:
		fmt.Println(got)
	case <-time.After(time.Minute): // a bound against a hang, not a timing
		fmt.Println("no notification")
	}
	// Output:
	// payout.succeeded 320.00 RUB verified: true
}
