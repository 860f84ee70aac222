// Command sberloan tells the whole story of a SberBank credit purchase
// (sber_loan) with this module, step by step, with the amounts at each step:
//
//  1. the shop creates a 5,000.00 RUB payment with a receipt (3,000 x 1 and
//     1,000 x 2);
//  2. the buyer picks a 12-month installment plan on the confirmation page;
//     the bank approves, and the shop grants a 10% discount;
//  3. YooKassa's notification arrives and is verified (source address and a
//     re-read of the payment);
//  4. the payment shows 4,500.00 with a 500.00 discount, and the receipt is
//     repriced to 2,700 and 2 x 900;
//  5. the shop captures three quarters (3,375.00) with a repriced, balanced
//     receipt;
//  6. the shop refunds half of what it captured;
//  7. the final state.
//
// By default it runs against the in-process simulator of package
// yookassatest and exits with status 0 only if every step matched what
// YooKassa documents:
//
//	go run ./examples/sberloan
//
// With YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY set it talks to the real API
// instead: it creates the payment and stops at the confirmation URL, since
// the rest needs a person and a bank.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/notification"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if shopID, secret := os.Getenv("YOOKASSA_SHOP_ID"), os.Getenv("YOOKASSA_SECRET_KEY"); shopID != "" && secret != "" {
		err = runLive(ctx, os.Stdout, shopID, secret)
	} else {
		err = runSimulated(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAILED:", err)
		os.Exit(1)
	}
}

// config is the merchant's own record of the options its manager enabled
// and YooKassa's fee: what the shop needs to reprice receipts and to know
// its income.
func config() sberloan.Config {
	return sberloan.Config{
		Limits: sberloan.DefaultLimits(),
		Tariffs: map[sberloan.Option]decimal.Decimal{
			"installments_3":  decimal.RequireFromString("4.5"),
			"installments_6":  decimal.RequireFromString("7"),
			"installments_12": decimal.RequireFromString("10"),
		},
		CommissionPercent: decimal.RequireFromString("3.5"),
		// The guide's figures have no VAT on the commission. On YooKassa's
		// 2026 terms set CommissionVATPercent to 22 (and the simulator's
		// WithCommissionVAT): the income of 4,500.00 is then 4,307.85.
	}
}

// cart is the receipt of order No. 37: 3,000.00 x 1 and 1,000.00 x 2.
func cart() *yookassa.ReceiptData {
	return &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items: []yookassa.ReceiptItem{
			{Description: "Product 1", Amount: rub("3000.00"), VatCode: yookassa.Vat22, Quantity: decimal.NewFromInt(1),
				PaymentSubject: yookassa.PaymentSubjectCommodity, PaymentMode: yookassa.PaymentModeFullPayment, Measure: yookassa.MeasurePiece},
			{Description: "Product 2", Amount: rub("1000.00"), VatCode: yookassa.Vat22, Quantity: decimal.NewFromInt(2),
				PaymentSubject: yookassa.PaymentSubjectCommodity, PaymentMode: yookassa.PaymentModeFullPayment, Measure: yookassa.MeasurePiece},
		},
	}
}

func rub(s string) yookassa.Amount { return yookassa.RUB(decimal.RequireFromString(s)) }

// newPayment is the request of step 1, the same against the simulator and
// the real API.
func newPayment(cfg sberloan.Config, returnURL string) (*yookassa.PaymentRequest, error) {
	return cfg.NewPayment(sberloan.PaymentParams{
		Amount:      rub("5000.00"),
		ReturnURL:   returnURL,
		Description: "Order No. 37",
		Metadata:    map[string]string{"order_id": "37"},
		Receipt:     cart(),
		Capture:     false, // two stages: the shop captures what it ships
	})
}

// runLive creates the payment with the real API and stops where a person
// has to act.
func runLive(ctx context.Context, out io.Writer, shopID, secret string) error {
	fmt.Fprintln(out, "Running against the REAL YooKassa API (YOOKASSA_SHOP_ID is set).")
	client, err := yookassa.NewClient(shopID, secret)
	if err != nil {
		return err
	}
	cfg := config()
	req, err := newPayment(cfg, "https://www.example.com/return_url")
	if err != nil {
		return err
	}
	p, err := client.CreatePayment(ctx, req, yookassa.WithIdempotenceKey("example-order-37.pay."+time.Now().Format("20060102")))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Created payment %s: %s, %s.\n", p.ID, p.Status, p.Amount)
	if p.Confirmation != nil {
		fmt.Fprintf(out, "Open %s in a browser, choose a loan or an installment plan and apply.\n", p.Confirmation.ConfirmationURL)
	}
	fmt.Fprintln(out, "The rest of the story needs a person and SberBank's decision; run without the variables to see it on the simulator.")
	return nil
}

// story runs the steps and counts what did not match.
type story struct {
	out      io.Writer
	step     int
	failures []string
}

func (s *story) title(format string, args ...any) {
	s.step++
	fmt.Fprintf(s.out, "\nStep %d. %s\n", s.step, fmt.Sprintf(format, args...))
}

func (s *story) note(format string, args ...any) { fmt.Fprintf(s.out, "  "+format+"\n", args...) }

// expect compares what happened with what YooKassa documents.
func (s *story) expect(what, got, want string) {
	mark := "ok"
	if got != want {
		mark = "MISMATCH"
		s.failures = append(s.failures, fmt.Sprintf("step %d: %s is %q, expected %q", s.step, what, got, want))
	}
	fmt.Fprintf(s.out, "  %-44s %-22s %s\n", what, got, mark)
}

func (s *story) table(header string, rows [][]string) {
	tw := tabwriter.NewWriter(s.out, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	_ = tw.Flush()
}

func receiptRows(items []yookassa.ReceiptItem) [][]string {
	var rows [][]string
	for _, it := range items {
		rows = append(rows, []string{"  " + it.Description, it.Amount.Value.StringFixed(2), it.Quantity.String(), it.LineTotal().StringFixed(2)})
	}
	rows = append(rows, []string{"  total", "", "", yookassa.ReceiptTotal(items).StringFixed(2)})
	return rows
}

// verified collects the notifications the shop's handler accepted.
type verified struct {
	mu     sync.Mutex
	events []*notification.Event
	signal chan struct{}
}

func (v *verified) record(_ context.Context, ev *notification.Event) error {
	v.mu.Lock()
	v.events = append(v.events, ev)
	v.mu.Unlock()
	select {
	case v.signal <- struct{}{}:
	default:
	}
	return nil
}

// await waits for a verified notification of the event about paymentID.
func (v *verified) await(ctx context.Context, event yookassa.EventType, objectID string) (*notification.Event, error) {
	for {
		v.mu.Lock()
		for _, ev := range v.events {
			if ev.Event == event && ev.ObjectID() == objectID {
				v.mu.Unlock()
				return ev, nil
			}
		}
		v.mu.Unlock()
		select {
		case <-v.signal:
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return nil, fmt.Errorf("no verified %s notification for %s: %w", event, objectID, ctx.Err())
		}
	}
}

// runSimulated tells the story against the in-process simulator.
func runSimulated(ctx context.Context, out io.Writer) error {
	cfg := config()
	s := &story{out: out}
	fmt.Fprintln(out, "Running against the in-process YooKassa simulator (set YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY for the real API).")

	// The shop's webhook endpoint. Notifications come from 185.71.76.1, one of
	// YooKassa's addresses, through a reverse proxy on loopback: the handler
	// trusts loopback as a proxy and checks the forwarded address, then
	// re-reads the payment before believing it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	webhookURL := "http://" + ln.Addr().String() + "/yookassa/notifications"
	sim := yookassatest.NewServer(
		yookassatest.WithTariffs(cfg.Tariffs),
		yookassatest.WithCommission(cfg.CommissionPercent),
		yookassatest.WithWebhook(webhookURL),
		yookassatest.WithNotificationSource(netip.MustParseAddr("185.71.76.1")),
	)
	defer sim.Close()
	client := sim.Client()
	got := &verified{signal: make(chan struct{}, 1)}
	webhook, err := notification.NewHandler(client, got.record,
		notification.WithTrustedProxies(netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")),
		notification.WithDeduplication(notification.NewMemoryDeduplicator(0, 0)))
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/yookassa/notifications", webhook)
	mux.HandleFunc("/return", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "Thank you for your order.") })
	shop := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = shop.Serve(ln) }()
	defer shop.Close()
	returnURL := "http://" + ln.Addr().String() + "/return"

	// Step 1.
	s.title("The shop creates a sber_loan payment of 5,000.00 RUB for order No. 37.")
	s.table("  item\tprice\tqty\tline\t", receiptRows(cart().Items))
	req, err := newPayment(cfg, returnURL)
	if err != nil {
		return err
	}
	payment, err := client.CreatePayment(ctx, req, yookassa.WithIdempotenceKey("order-37.pay"))
	if err != nil {
		return err
	}
	s.expect("status", string(payment.Status), "pending")
	s.expect("amount", payment.Amount.String(), "5000.00 RUB")
	s.expect("confirmation", string(payment.Confirmation.Type), "redirect")
	s.note("installment minimum with these tariffs: %s RUB (loans from %s RUB)", cfg.MinAmount().StringFixed(2), cfg.Limits.MinLoan.StringFixed(2))

	// Step 2.
	s.title("The buyer opens the confirmation page and picks a 12-month installment plan.")
	landing, err := choose(ctx, payment.Confirmation.ConfirmationURL, "installments_12")
	if err != nil {
		return err
	}
	s.expect("buyer returned to", landing, returnURL)

	// Step 3.
	s.title("YooKassa notifies the shop; the notification is verified before it counts.")
	ev, err := got.await(ctx, yookassa.EventPaymentWaitingForCapture, payment.ID)
	if err != nil {
		return err
	}
	s.expect("event", string(ev.Event), "payment.waiting_for_capture")
	s.expect("re-read status", string(ev.Payment.Status), "waiting_for_capture")
	s.note("checked: source 185.71.76.1 is YooKassa's, forwarded by the trusted local proxy; the payment was re-read through the API")

	// Step 4.
	s.title("The payment after the bank's approval: the amount is rewritten on the discounted basis.")
	payment, err = client.GetPayment(ctx, payment.ID)
	if err != nil {
		return err
	}
	purchase, err := cfg.Read(payment)
	if err != nil {
		return err
	}
	s.table("  \tamount\t", [][]string{
		{"  original price", purchase.Original.StringFixed(2)},
		{"  discount (installments_12, 10%)", purchase.Discount.StringFixed(2)},
		{"  paid by the buyer through the bank", purchase.Amount.StringFixed(2)},
		{"  shop's income after 3.5%", purchase.Income.StringFixed(2)},
	})
	s.expect("loan_option", string(payment.PaymentMethod.LoanOption), "installments_12")
	s.expect("amount", payment.Amount.String(), "4500.00 RUB")
	s.expect("discount_amount", payment.PaymentMethod.DiscountAmount.String(), "500.00 RUB")
	s.expect("income_amount", payment.IncomeAmount.String(), "4342.50 RUB")
	full, err := cfg.PlanCapture(payment, cart(), sberloan.Full())
	if err != nil {
		return err
	}
	s.note("the receipt, repriced by YooKassa with the discount:")
	s.table("  item\tprice\tqty\tline\t", receiptRows(full.Receipt.Items))
	s.expect("Product 1 price", full.Receipt.Items[0].Amount.Value.StringFixed(2), "2700.00")
	s.expect("Product 2 price x 2", full.Receipt.Items[1].Amount.Value.StringFixed(2)+" x "+full.Receipt.Items[1].Quantity.String(), "900.00 x 2")

	// Step 5.
	s.title("The shop ships three quarters of the order and captures 3,375.00.")
	capture, err := cfg.PlanCapture(payment, cart(), sberloan.Share(decimal.RequireFromString("0.75")))
	if err != nil {
		return err
	}
	s.table("  item\tprice\tqty\tline\t", receiptRows(capture.Receipt.Items))
	payment, err = client.CapturePayment(ctx, payment.ID, capture, yookassa.WithIdempotenceKey("order-37.capture"))
	if err != nil {
		return err
	}
	s.expect("status", string(payment.Status), "succeeded")
	s.expect("captured amount", payment.Amount.String(), "3375.00 RUB")
	s.expect("income_amount", payment.IncomeAmount.String(), "3256.88 RUB")
	if _, err := got.await(ctx, yookassa.EventPaymentSucceeded, payment.ID); err != nil {
		return err
	}
	s.note("payment.succeeded notification verified; the remaining 1,125.00 returns to the buyer's card")
	registered, err := client.ListReceipts(ctx, &yookassa.ReceiptListParams{PaymentID: payment.ID})
	if err != nil {
		return err
	}
	if len(registered.Items) == 1 {
		s.expect("registered receipt total", yookassa.ReceiptTotal(registered.Items[0].Items).StringFixed(2), "3375.00")
	} else {
		s.expect("registered receipts", fmt.Sprint(len(registered.Items)), "1")
	}

	// Step 6.
	s.title("The buyer returns half of what was shipped: the shop refunds 1,687.50.")
	refundReq, err := cfg.PlanRefund(payment, cart(), sberloan.Share(decimal.RequireFromString("0.5")))
	if err != nil {
		return err
	}
	refundReq.Description = "Half of order No. 37 returned"
	s.table("  item\tprice\tqty\tline\t", receiptRows(refundReq.Receipt.Items))
	refund, err := client.CreateRefund(ctx, refundReq, yookassa.WithIdempotenceKey("order-37.refund-1"))
	if err != nil {
		return err
	}
	s.expect("refund status", string(refund.Status), "succeeded")
	s.expect("refund amount", refund.Amount.String(), "1687.50 RUB")
	if _, err := got.await(ctx, yookassa.EventRefundSucceeded, refund.ID); err != nil {
		return err
	}
	s.note("refund.succeeded notification verified; the buyer repays SberBank the rest of the loan themselves")

	// Step 7.
	s.title("Final state.")
	payment, err = client.GetPayment(ctx, payment.ID)
	if err != nil {
		return err
	}
	s.table("  \tamount\t", [][]string{
		{"  created for", "5000.00"},
		{"  discount", payment.PaymentMethod.DiscountAmount.Value.StringFixed(2)},
		{"  captured", payment.Amount.Value.StringFixed(2)},
		{"  refunded", payment.RefundedAmount.Value.StringFixed(2)},
		{"  kept by the shop", payment.Amount.Value.Sub(payment.RefundedAmount.Value).StringFixed(2)},
	})
	s.expect("status", string(payment.Status), "succeeded")
	s.expect("refunded_amount", payment.RefundedAmount.String(), "1687.50 RUB")
	s.expect("refundable", fmt.Sprint(payment.Refundable), "true")

	fmt.Fprintln(out)
	if len(s.failures) > 0 {
		return errors.New(strings.Join(s.failures, "; "))
	}
	fmt.Fprintf(out, "All %d steps matched YooKassa's documented behaviour.\n", s.step)
	return nil
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	choiceRe   = regexp.MustCompile(`name="choice" value="([^"]+)"`)
)

// choose plays the buyer's browser: it opens the confirmation page, checks
// the option is offered, submits it and follows the redirect back to the
// shop. It returns the URL the buyer lands on.
func choose(ctx context.Context, confirmationURL, option string) (string, error) {
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, confirmationURL, nil)
	resp, err := browser.Do(req)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	action := formAction.FindSubmatch(page)
	if action == nil {
		return "", errors.New("the confirmation page has no form")
	}
	offered := false
	for _, m := range choiceRe.FindAllSubmatch(page, -1) {
		offered = offered || string(m[1]) == option
	}
	if !offered {
		return "", fmt.Errorf("the confirmation page does not offer %s", option)
	}
	target, err := url.Parse(confirmationURL)
	if err != nil {
		return "", err
	}
	target = target.ResolveReference(&url.URL{Path: string(action[1])})
	post, _ := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(url.Values{"choice": {option}}.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = browser.Do(post)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("the confirmation page answered %s", resp.Status)
	}
	return resp.Request.URL.String(), nil
}
