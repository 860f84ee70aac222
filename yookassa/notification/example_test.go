package notification_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/notification"
)

func ExampleParse() {
	body := []byte(`{
	  "type": "notification",
	  "event": "payment.waiting_for_capture",
	  "object": {
	    "id": "22c5d0f0-000f-5000-8000-13ece77bc6c1",
	    "status": "waiting_for_capture",
	    "paid": true,
	    "amount": {"value": "4500.00", "currency": "RUB"},
	    "created_at": "2021-06-22T21:43:44.794Z",
	    "payment_method": {
	      "type": "sber_loan",
	      "id": "22c5d0f0-000f-5000-8000-13ece77bc6c1",
	      "saved": false,
	      "loan_option": "installments_12",
	      "discount_amount": {"value": "500.00", "currency": "RUB"}
	    },
	    "metadata": {"order_id": "37"}
	  }
	}`)
	ev, err := notification.Parse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := ev.Payment
	fmt.Println(ev.Event, p.ID)
	fmt.Println(p.Status, p.Amount, p.PaymentMethod.LoanOption, p.Metadata["order_id"])

	_, err = notification.Parse([]byte(`{"type":"payment","event":"payment.succeeded","object":{}}`))
	fmt.Println(errors.Is(err, notification.ErrMalformed), err)
	// Output:
	// payment.waiting_for_capture 22c5d0f0-000f-5000-8000-13ece77bc6c1
	// waiting_for_capture 4500.00 RUB installments_12 37
	// true notification: malformed notification: type is "payment", want "notification"
}

func ExampleIsYooKassaIP() {
	for _, s := range []string{
		"185.71.76.5",
		"77.75.156.35",
		"::ffff:185.71.77.10", // IPv4-mapped
		"2a02:5180::1",
		"203.0.113.7",
	} {
		fmt.Println(s, notification.IsYooKassaIP(netip.MustParseAddr(s)))
	}
	// Output:
	// 185.71.76.5 true
	// 77.75.156.35 true
	// ::ffff:185.71.77.10 true
	// 2a02:5180::1 true
	// 203.0.113.7 false
}

func ExampleYooKassaNetworks() {
	// Extend the documented list with an address of your own, for example a
	// staging relay, and hand it to the handler.
	allowed := append(notification.YooKassaNetworks(), netip.MustParsePrefix("198.51.100.10/32"))
	_ = notification.WithAllowedSources(allowed...)
	for _, p := range notification.YooKassaNetworks() {
		fmt.Println(p)
	}
	// Output:
	// 185.71.76.0/27
	// 185.71.77.0/27
	// 77.75.153.0/25
	// 77.75.154.128/25
	// 77.75.156.11/32
	// 77.75.156.35/32
	// 2a02:5180::/32
}

func ExampleHandler() {
	// A stand-in for YooKassa's API that knows one succeeded payment.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/payments/22c5d0f0-000f-5000-8000-13ece77bc6c1" {
			http.Error(w, `{"type":"error","code":"not_found"}`, http.StatusNotFound)
			return
		}
		fmt.Fprint(w, `{"id":"22c5d0f0-000f-5000-8000-13ece77bc6c1","status":"succeeded","paid":true,`+
			`"amount":{"value":"5000.00","currency":"RUB"},"created_at":"2021-06-22T21:43:44.794Z",`+
			`"metadata":{"order_id":"37"}}`)
	}))
	defer api.Close()
	client, err := yookassa.NewClient("100500", "test_secret", yookassa.WithBaseURL(api.URL))
	if err != nil {
		fmt.Println(err)
		return
	}

	webhook, err := notification.NewHandler(client,
		func(ctx context.Context, ev *notification.Event) error {
			// Every event's object was just read from YooKassa
			// (ev.Verified): ev.Payment, ev.Refund, ev.Payout, ev.Deal or
			// ev.PaymentMethod.
			switch ev.Event {
			case yookassa.EventPaymentSucceeded:
				fmt.Println("ship order", ev.Payment.Metadata["order_id"], "paid", ev.Payment.Amount)
			case yookassa.EventDealClosed:
				fmt.Println("deal", ev.Deal.ID, "closed")
			}
			return nil
		},
		notification.WithDeduplication(notification.NewMemoryDeduplicator(0, 0)),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("POST /yookassa/notifications", webhook)

	deliver := func(remote, id string) {
		body := `{"type":"notification","event":"payment.succeeded","object":{"id":"` + id + `","status":"succeeded"}}`
		r := httptest.NewRequest(http.MethodPost, "/yookassa/notifications", strings.NewReader(body))
		r.RemoteAddr = remote
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		fmt.Print(w.Code, " ", w.Body.String())
	}
	deliver("185.71.76.5:41234", "22c5d0f0-000f-5000-8000-13ece77bc6c1") // YooKassa
	deliver("185.71.76.5:41234", "22c5d0f0-000f-5000-8000-13ece77bc6c1") // the same, again
	deliver("203.0.113.7:41234", "22c5d0f0-000f-5000-8000-13ece77bc6c1") // not YooKassa
	deliver("185.71.76.5:41234", "2ffffff0-000f-5000-8000-000000000000") // an id YooKassa does not know
	// Output:
	// ship order 37 paid 5000.00 RUB
	// 200 ok
	// 200 already processed
	// 403 forbidden: the source address may not deliver notifications
	// 422 the notified object does not exist at YooKassa
}
