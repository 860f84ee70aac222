package yookassatest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/spectest"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// exchange is one request to the simulator and its answer.
type exchange struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

// recorder is a transport that keeps every exchange.
type recorder struct {
	mu   sync.Mutex
	log  []exchange
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.log = append(r.log, exchange{req.Method, req.URL.RequestURI(), resp.StatusCode, resp.Header.Clone(), body})
	r.mu.Unlock()
	return resp, nil
}

// timestamp is a date-time as YooKassa writes it: always milliseconds, UTC.
var (
	anyTimestamp = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^"]*"`)
	msTimestamp  = regexp.MustCompile(`^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$`)
)

const cardNumber = "5555555555554477"

// TestAnswersMatchTheSpecification drives every endpoint and state of the
// simulator and validates each answer and each notification against the
// response schemas of YooKassa's OpenAPI specification (with the defects
// listed in spectest.Defects repaired), and against YooKassa's habits the
// schemas do not capture.
func TestAnswersMatchTheSpecification(t *testing.T) {
	spec := spectest.Load(t)
	rc := newReceiver(t, 0)
	s := yookassatest.NewServer(yookassatest.WithWebhook(rc.URL))
	t.Cleanup(s.Close)
	rec := &recorder{next: http.DefaultTransport}
	hc := &http.Client{Transport: rec}
	c := s.Client(fast, yookassa.WithHTTPClient(hc))
	oauth := s.OAuthClient(fast, yookassa.WithHTTPClient(hc))
	ctx := context.Background()
	redirect := func() *yookassa.Confirmation {
		return &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/return", Enforce: true, Locale: "en_US"}
	}

	// sber_loan with a receipt: installments, partial capture, refunds.
	loanReq := sberLoan("5000.00", false)
	loanReq.Receipt = seedCart()
	loan := create(t, c, loanReq)
	assert.Equal(t, "https://shop.example/return", loan.Confirmation.ReturnURL, "return_url echoed")
	require.NoError(t, s.Confirm(loan.ID, "installments_12"))
	get(t, c, loan.ID)
	_, err := c.CapturePayment(ctx, loan.ID, &yookassa.CaptureRequest{Amount: amountPtr("3375.00"), Receipt: &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items: []yookassa.ReceiptItem{{Description: "Product 1", Amount: rub("3375.00"), VatCode: yookassa.Vat20, Quantity: dec("1"),
			PaymentMode: yookassa.PaymentModeFullPayment, PaymentSubject: yookassa.PaymentSubjectCommodity}}}})
	require.NoError(t, err)
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: loan.ID, Amount: rub("1687.50"), Description: "half",
		Receipt: &yookassa.ReceiptData{Customer: &yookassa.Customer{Email: "buyer@example.com"},
			Items: []yookassa.ReceiptItem{{Description: "Product 1", Amount: rub("3375.00"), VatCode: yookassa.Vat20, Quantity: dec("0.5"),
				PaymentMode: yookassa.PaymentModeFullPayment, PaymentSubject: yookassa.PaymentSubjectCommodity}}}})
	require.NoError(t, err)
	// sber_loan in a cooling-off pause, then a loan.
	big := create(t, c, sberLoan("60000.00", true))
	require.NoError(t, s.Confirm(big.ID, "loan"))
	get(t, c, big.ID)
	// A card payment with card data, transfers and a deal, canceled by the merchant.
	card := create(t, c, &yookassa.PaymentRequest{Amount: rub("1000.00"), Description: "card",
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodBankCard,
			Card: &yookassa.CardData{Number: cardNumber, ExpiryYear: "2031", ExpiryMonth: "07", CSC: "123", Cardholder: "IVAN IVANOV"}},
		Confirmation: redirect(),
		Transfers: []yookassa.TransferRequest{{AccountID: "123456", Amount: rub("600.00"), PlatformFeeAmount: amountPtr("10.00"), Description: "seller"},
			{AccountID: "654321", Amount: rub("400.00")}},
		Metadata: map[string]string{"order_id": "1"}})
	require.NoError(t, s.Confirm(card.ID, ""))
	_, err = c.CancelPayment(ctx, card.ID)
	require.NoError(t, err)
	// A deal payment, captured at once.
	safeDeal, err := c.CreateDeal(ctx, &yookassa.DealRequest{FeeMoment: yookassa.FeeMomentPaymentSucceeded})
	require.NoError(t, err)
	deal := create(t, c, &yookassa.PaymentRequest{Amount: rub("700.00"), Capture: true, Confirmation: redirect(),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodBankCard},
		Deal:              &yookassa.Deal{ID: safeDeal.ID, Settlements: []yookassa.Settlement{{Type: "payout", Amount: rub("650.00")}}}})
	require.NoError(t, s.Confirm(deal.ID, ""))
	// A payment without a method, paid on the page with a card; refunded in full.
	plain := create(t, c, &yookassa.PaymentRequest{Amount: rub("10.00"), Capture: true, Confirmation: redirect()})
	require.NoError(t, s.Confirm(plain.ID, ""))
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: plain.ID, Amount: rub("10.00")})
	require.NoError(t, err)
	// SberPay with a phone, B2B with its purpose and VAT, SBP, YooMoney, embedded and QR confirmations.
	sber := create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberbank, Phone: "79000000000"},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationExternal}})
	require.NoError(t, s.Confirm(sber.ID, ""))
	b2b := create(t, c, &yookassa.PaymentRequest{Amount: rub("1200.00"), Capture: true, Confirmation: redirect(),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodB2BSberbank, PaymentPurpose: "Оплата по счету 37",
			VatData: &yookassa.VatData{Type: "calculated", Rate: "20", Amount: amountPtr("200.00")}}})
	require.NoError(t, s.Confirm(b2b.ID, ""))
	untaxed := create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"), Confirmation: redirect(),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodB2BSberbank, PaymentPurpose: "Оплата",
			VatData: &yookassa.VatData{Type: "untaxed"}}})
	require.NoError(t, s.Decline(untaxed.ID))
	sbp := create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"), Capture: true,
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSBP},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationQR, ReturnURL: "https://shop.example/return"}})
	require.NoError(t, s.Confirm(sbp.ID, ""))
	wallet := create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodYooMoney},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationMobileApplication, ReturnURL: "app://return"}})
	require.NoError(t, s.Confirm(wallet.ID, ""))
	create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"), Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationEmbedded}})
	expiring := create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"), Confirmation: redirect()})
	s.Advance(2 * 24 * 60 * 60 * 1e9) // holds of sber_loan expire, pending payments expire
	get(t, c, expiring.ID)

	// Lists, receipts, webhooks, /me.
	_, err = c.ListPayments(ctx, &yookassa.PaymentListParams{Limit: 100})
	require.NoError(t, err)
	_, err = c.ListPayments(ctx, &yookassa.PaymentListParams{Limit: 2})
	require.NoError(t, err)
	_, err = c.ListRefunds(ctx, &yookassa.RefundListParams{PaymentID: loan.ID})
	require.NoError(t, err)
	receipts, err := c.ListReceipts(ctx, &yookassa.ReceiptListParams{PaymentID: loan.ID})
	require.NoError(t, err)
	require.NotEmpty(t, receipts.Items)
	_, err = c.GetReceipt(ctx, receipts.Items[0].ID)
	require.NoError(t, err)
	_, err = c.CreateReceipt(ctx, &yookassa.ReceiptRequest{Type: yookassa.ReceiptTypePayment, PaymentID: plain.ID,
		Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items: []yookassa.ReceiptItem{{Description: "Delivery", Amount: rub("10.00"), VatCode: yookassa.Vat20, Quantity: dec("1"),
			PaymentMode: yookassa.PaymentModeFullPayment, PaymentSubject: yookassa.PaymentSubjectService}},
		Settlements: []yookassa.Settlement{{Type: yookassa.SettlementPrepayment, Amount: rub("10.00")}}})
	require.NoError(t, err)
	w, err := oauth.CreateWebhook(ctx, &yookassa.WebhookRequest{Event: yookassa.EventRefundSucceeded, URL: "https://shop.example/hook"})
	require.NoError(t, err)
	_, err = oauth.ListWebhooks(ctx)
	require.NoError(t, err)
	require.NoError(t, oauth.DeleteWebhook(ctx, w.ID))
	_, err = c.Me(ctx, nil)
	require.NoError(t, err)

	// Errors: 400 with a parameter, 404, 401.
	_, err = c.CreatePayment(ctx, sberLoan("3000.00", false))
	requireAPIError(t, err, 400, "amount")
	_, err = c.GetPayment(ctx, "22c5d0f0-000f-5000-8000-13ece77bc6c1")
	requireAPIError(t, err, 404, "")
	_, err = c.CapturePayment(ctx, plain.ID, nil)
	requireAPIError(t, err, 400, "")
	bad, _ := yookassa.NewClient(s.ShopID(), "wrong", yookassa.WithBaseURL(s.URL()), yookassa.WithHTTPClient(hc))
	_, err = bad.GetPayment(ctx, plain.ID)
	requireAPIError(t, err, 401, "")
	// Faults: 429, 500 and 202 answers, each followed by the retry's answer.
	for _, kind := range []yookassatest.FaultKind{yookassatest.FaultTooManyRequests, yookassatest.FaultInternalBefore, yookassatest.FaultProcessing} {
		s.InjectFault(yookassatest.Fault{Kind: kind, Endpoint: "POST /payments", Count: 1, RetryAfter: time.Millisecond})
		create(t, c, &yookassa.PaymentRequest{Amount: rub("1.00")})
	}
	// 403: webhooks with Basic credentials.
	forbidden, _ := http.NewRequest("GET", s.URL()+"/webhooks", nil)
	forbidden.SetBasicAuth(s.ShopID(), s.SecretKey())
	resp, err := hc.Do(forbidden)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 403, resp.StatusCode)
	waitNotifications(t, s)

	rec.mu.Lock()
	log := rec.log
	rec.mu.Unlock()
	require.Greater(t, len(log), 30)
	for _, e := range log {
		assert.NoError(t, spec.ValidateResponse(e.method, e.path, e.status, e.header, e.body))
		checkHabits(t, e.method+" "+e.path, e.body)
	}
	events := rc.events()
	require.Greater(t, len(events), 10)
	for _, n := range events {
		schema := "Payment"
		if strings.HasPrefix(n.Event, "refund.") {
			schema = "Refund"
		}
		assert.NoError(t, spec.ValidateSchema(schema, n.Object), "%s", n.Event)
		checkHabits(t, "notification "+n.Event, n.Object)
	}
	t.Logf("%d answers and %d notifications validated", len(log), len(events))
}

// checkHabits checks what YooKassa always does and the schemas do not
// require: milliseconds in timestamps, no card number or CSC anywhere.
func checkHabits(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, ts := range anyTimestamp.FindAll(body, -1) {
		assert.Regexp(t, msTimestamp, string(ts), "%s: timestamps carry milliseconds", what)
	}
	assert.NotContains(t, string(body), cardNumber, what)
	assert.NotContains(t, string(body), `"csc"`, what)
	assert.NotRegexp(t, `"description":"[a-z0-9]+: `, string(body), "%s: no Go package prefix", what)
}

// TestErrorsSpeakLikeYooKassa checks the wording of 400 answers: YooKassa's
// sentences naming the parameter, never a Go package's text.
func TestErrorsSpeakLikeYooKassa(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	_, err := c.CreatePayment(ctx, sberLoan("3000.00", false))
	e := requireAPIError(t, err, 400, "amount")
	assert.Equal(t, "Invalid amount: 3000.00 RUB is out of the range of payment method sber_loan (from 3300.00 to 600000.00 RUB)", e.Description)

	// The client refuses save_payment_method with sber_loan itself; past
	// it, the simulator answers in YooKassa's words.
	req := sberLoan("5000.00", false)
	req.SavePaymentMethod = true
	status, parameter := rawCreate(t, s, rawJSON(t, req))
	assert.Equal(t, 400, status)
	assert.Equal(t, "save_payment_method", parameter)

	p := create(t, c, sberLoan("5000.00", false))
	require.NoError(t, s.Confirm(p.ID, "installments_12"))
	_, err = c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("2999.00"), Receipt: nil})
	e = requireAPIError(t, err, 400, "amount")
	assert.True(t, strings.HasPrefix(e.Description, "Illegal amount for capture"), e.Description)

	n := 0
	for body, parameter := range map[string]string{
		`{"amount":{"value":"five","currency":"RUB"}}`:                "", // an Amount does not know its path
		`{"amount":{"value":"5.00","currency":"RUB"},"metadata":[1]}`: "metadata",
		`{"amount":`: "",
		`{"amount":{"value":"5.00","currency":"RUB"},"capture":"yes"}`: "capture",
	} {
		req, _ := http.NewRequest("POST", s.URL()+"/payments", strings.NewReader(body))
		req.SetBasicAuth(s.ShopID(), s.SecretKey())
		req.Header.Set("Content-Type", "application/json")
		n++
		req.Header.Set("Idempotence-Key", fmt.Sprintf("malformed-%d", n))
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var eo struct{ Code, Description, Parameter string }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&eo))
		resp.Body.Close()
		assert.Equal(t, 400, resp.StatusCode)
		assert.Equal(t, parameter, eo.Parameter, body)
		assert.True(t, strings.HasPrefix(eo.Description, "Failed to parse request body"), eo.Description)
		assert.NotContains(t, eo.Description, "Go struct", body)
		assert.NotContains(t, eo.Description, "yookassa.", body)
	}
}

// TestPaymentsEchoWhatYooKassaEchoes checks the fields of a created and a
// paid payment that YooKassa fills from the request.
func TestPaymentsEchoWhatYooKassaEchoes(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	raw := func(id string) map[string]any {
		req, _ := http.NewRequest("GET", s.URL()+"/payments/"+id, nil)
		req.SetBasicAuth(s.ShopID(), s.SecretKey())
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		return m
	}
	deal, err := c.CreateDeal(ctx, &yookassa.DealRequest{FeeMoment: yookassa.FeeMomentPaymentSucceeded})
	require.NoError(t, err)
	p := create(t, c, &yookassa.PaymentRequest{Amount: rub("1000.00"),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodBankCard,
			Card: &yookassa.CardData{Number: cardNumber, ExpiryYear: "2031", ExpiryMonth: "07", CSC: "123"}},
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/r", Enforce: true, Locale: "en_US"},
		Transfers:    []yookassa.TransferRequest{{AccountID: "123456", Amount: rub("1000.00"), Description: "seller"}},
		Deal:         &yookassa.Deal{ID: deal.ID, Settlements: []yookassa.Settlement{{Type: "payout", Amount: rub("900.00")}}},
	})
	assert.Equal(t, "https://shop.example/r", p.Confirmation.ReturnURL)
	assert.True(t, p.Confirmation.Enforce)
	assert.Equal(t, yookassa.LocaleEnUS, p.Confirmation.Locale)
	require.NotNil(t, p.PaymentMethod.Card, "card data becomes payment_method.card")
	assert.Equal(t, yookassa.BankCard{First6: "555555", Last4: "4477", ExpiryYear: "2031", ExpiryMonth: "07", CardType: "MasterCard"},
		*p.PaymentMethod.Card)
	require.Len(t, p.Transfers, 1)
	assert.Equal(t, yookassa.TransferStatusPending, p.Transfers[0].Status)
	require.NotNil(t, p.Deal)
	assert.Equal(t, deal.ID, p.Deal.ID)
	m := raw(p.ID)
	assert.Equal(t, map[string]any{}, m["metadata"], "metadata is always written")
	assert.Regexp(t, `\.\d{3}Z$`, m["created_at"])

	require.NoError(t, s.Confirm(p.ID, ""))
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.TransferStatusWaitingForCapture, p.Transfers[0].Status)
	_, err = c.CapturePayment(ctx, p.ID, nil)
	require.NoError(t, err)
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.TransferStatusSucceeded, p.Transfers[0].Status)

	sber := create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"),
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodSberbank, Phone: "79000000000"},
		Confirmation:      &yookassa.Confirmation{Type: yookassa.ConfirmationExternal}})
	assert.Equal(t, "79000000000", sber.PaymentMethod.Phone)
	b2b := create(t, c, &yookassa.PaymentRequest{Amount: rub("1200.00"), Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/r"},
		PaymentMethodData: &yookassa.PaymentMethodData{Type: yookassa.PaymentMethodB2BSberbank, PaymentPurpose: "Оплата по счету 37",
			VatData: &yookassa.VatData{Type: "calculated", Rate: "20", Amount: amountPtr("200.00")}}})
	assert.Equal(t, "Оплата по счету 37", b2b.PaymentMethod.PaymentPurpose)
	require.NotNil(t, b2b.PaymentMethod.VatData)
	assert.Equal(t, yookassa.VatDataCalculated, b2b.PaymentMethod.VatData.Type)

	canceled := create(t, c, &yookassa.PaymentRequest{Amount: rub("100.00"), Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationRedirect, ReturnURL: "https://shop.example/r"},
		Transfers: []yookassa.TransferRequest{{AccountID: "123456", Amount: rub("100.00")}}})
	require.NoError(t, s.Decline(canceled.ID))
	assert.Equal(t, yookassa.TransferStatusCanceled, get(t, c, canceled.ID).Transfers[0].Status)
}
