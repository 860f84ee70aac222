package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/notification"
)

// webhookPath is where YooKassa delivers its notifications.
const webhookPath = "/yookassa/notifications"

// shopConfig is everything the shop takes from outside.
type shopConfig struct {
	// Client talks to YooKassa (or to the simulator).
	Client *yookassa.Client
	// Loan is the merchant's sber_loan contract: installment tariffs and
	// YooKassa's commission.
	Loan sberloan.Config
	// BaseURL is the shop's own address as the buyer's browser and YooKassa
	// reach it, such as "http://127.0.0.1:8080". The return_url of every
	// payment is built from it.
	BaseURL string
	// TrustedProxies are the reverse proxies in front of the shop, whose
	// X-Forwarded-For the webhook believes. Notifications are accepted only
	// from YooKassa's networks.
	TrustedProxies []netip.Prefix
	// AdminPassword protects /admin with HTTP Basic authentication (any
	// user name). Empty leaves the admin pages open: fine on a laptop, never
	// on a server.
	AdminPassword string
	// Logger receives the shop's log; nil means slog.Default().
	Logger *slog.Logger
	// Database is where the orders are kept: a postgres:// URL, or the path
	// of a SQLite file (or a "file:" URI of modernc.org/sqlite).
	Database string
}

// shop is the web shop: a cart, orders in a database and the YooKassa
// calls. Several instances may share the database.
type shop struct {
	client   *yookassa.Client
	loan     sberloan.Config
	baseURL  string
	password string
	log      *slog.Logger
	db       *store
	dedup    *notification.SQLDeduplicator

	locks sync.Map // order ID -> *sync.Mutex: one admin operation at a time in this process
}

// order is one purchase, as the database keeps it.
type order struct {
	ID      string
	Created time.Time
	Email   string
	// Receipt is the receipt at the undiscounted prices the payment was
	// created with. The capture and refund planners start from it.
	Receipt *yookassa.ReceiptData
	// Request is the payment request, kept so that a retry sends the very
	// same body under the same Idempotence-Key.
	Request *yookassa.PaymentRequest
	// PaymentID is YooKassa's payment, once known.
	PaymentID string
	// Status is the last payment status learned from YooKassa: from a
	// verified notification or from the answer to one of our calls.
	Status yookassa.PaymentStatus
	// RefundBasis is the undiscounted receipt that describes what was
	// captured; refunds are planned from it (see refundBasis).
	RefundBasis *yookassa.ReceiptData
	// NextOp numbers the next admin operation; it is part of the operation's
	// Idempotence-Key and of every admin form, so a form sent twice is
	// refused instead of performing the operation twice.
	NextOp int
}

// newShop opens the shop's database (creating its tables) and builds the
// shop and its HTTP routes. Close the shop when done.
func newShop(ctx context.Context, cfg shopConfig) (*shop, http.Handler, error) {
	if cfg.Client == nil {
		return nil, nil, errors.New("shop: no YooKassa client")
	}
	if err := cfg.Loan.Validate(); err != nil {
		return nil, nil, err
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, nil, fmt.Errorf("shop: base URL %q is not an absolute http(s) URL", cfg.BaseURL)
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	db, err := openStore(ctx, cfg.Database)
	if err != nil {
		return nil, nil, err
	}
	// Notifications are de-duplicated in the same database, in the
	// transaction that records them (see onNotification): a notification
	// delivered again, to this instance or another, is recorded once.
	dedup, err := notification.NewSQLDeduplicator(db.db, db.dialect)
	if err == nil {
		err = dedup.Migrate(ctx)
	}
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	// Notifications handled more than a day ago no longer count; a real
	// shop purges them from time to time, this one when it starts.
	if n, err := dedup.Purge(ctx); err != nil {
		logger.Warn("purging old notifications failed", "error", err)
	} else if n > 0 {
		logger.Info("old notifications purged", "count", n)
	}
	s := &shop{
		client:   cfg.Client,
		loan:     cfg.Loan,
		baseURL:  strings.TrimRight(base.String(), "/"),
		password: cfg.AdminPassword,
		log:      logger,
		db:       db,
		dedup:    dedup,
	}

	// The webhook checks the source address (YooKassa's networks, through
	// the trusted proxies only), re-reads the payment or refund through the
	// API and refuses a status that disagrees; onNotification sees only
	// verified events, in a transaction that also marks the notification
	// as handled. A genuine notification that arrives after the payment has
	// moved on (payment.waiting_for_capture for a payment captured
	// meanwhile) is acknowledged without reaching onNotification: the
	// notification of the newer status carries the news.
	webhook, err := notification.NewHandler(cfg.Client, dedup.InTx(s.onNotification),
		notification.WithTrustedProxies(cfg.TrustedProxies...),
		notification.WithDeduplication(dedup),
		notification.WithLogger(logger))
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.cartPage)
	mux.HandleFunc("POST /orders", s.buy)
	mux.HandleFunc("GET /orders/{id}", s.orderPage)
	mux.HandleFunc("POST /orders/{id}/pay", s.payAgain)
	mux.HandleFunc("POST /orders/{id}/again", s.orderAgain)
	mux.Handle("POST "+webhookPath, webhook)
	mux.Handle("GET /admin/orders", s.adminOnly(s.adminIndex))
	mux.Handle("GET /admin/orders/{id}", s.adminOnly(s.adminPage))
	mux.Handle("POST /admin/orders/{id}/{action}", s.adminOnly(s.adminAction))
	return s, mux, nil
}

// Close closes the database.
func (s *shop) Close() error { return s.db.Close() }

// fail answers 500 for a database error.
func (s *shop) fail(w http.ResponseWriter, what string, err error) {
	s.log.Error(what+" failed", "error", err)
	s.render(w, http.StatusInternalServerError, "message", message{Title: "Something went wrong",
		Text: "Please try again in a minute."})
}

// cart is what every buyer of this example buys.
var cart = []yookassa.ReceiptItem{
	cartLine("Product 1", "3000.00", 1),
	cartLine("Product 2", "1000.00", 2),
}

func cartLine(name, price string, quantity int64) yookassa.ReceiptItem {
	return yookassa.ReceiptItem{
		Description:    name,
		Amount:         yookassa.RUB(decimal.RequireFromString(price)),
		VatCode:        yookassa.Vat22, // put the VAT rate of your goods here
		Quantity:       decimal.NewFromInt(quantity),
		Measure:        yookassa.MeasurePiece,
		PaymentSubject: yookassa.PaymentSubjectCommodity,
		PaymentMode:    yookassa.PaymentModeFullPrepayment,
	}
}

// cartPage shows the cart and the "Buy on credit" button.
func (s *shop) cartPage(w http.ResponseWriter, r *http.Request) {
	s.renderCart(w, http.StatusOK, "", "")
}

func (s *shop) renderCart(w http.ResponseWriter, status int, email, problem string) {
	var months []int
	for o := range s.loan.Tariffs {
		if n, ok := o.Installments(); ok {
			months = append(months, n)
		}
	}
	slices.Sort(months)
	s.render(w, status, "cart", map[string]any{
		"Lines": cart, "Total": receipt.Total(cart), "Min": s.loan.MinAmount(),
		"Months": months, "Email": email, "Error": problem,
	})
}

// buy creates the order and its sber_loan payment and sends the buyer to
// YooKassa's confirmation page.
func (s *shop) buy(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.newOrder(w, r, strings.TrimSpace(r.PostForm.Get("email")))
}

// newOrder creates an order of the cart for email and pays it.
func (s *shop) newOrder(w http.ResponseWriter, r *http.Request, email string) {
	id := newOrderID()
	rcpt := &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: email},
		Items:    slices.Clone(cart),
	}
	// Two-stage (Capture false): the bank's money is held until the shop
	// captures all or part of it, or cancels, from the admin page.
	req, err := s.loan.NewPayment(sberloan.PaymentParams{
		Amount:      yookassa.RUB(receipt.Total(rcpt.Items)),
		ReturnURL:   s.baseURL + "/orders/" + id,
		Description: "Order " + id,
		Metadata:    map[string]string{"order_id": id},
		Receipt:     rcpt,
		Capture:     false,
	})
	if err != nil {
		var ve *yookassa.ValidationError
		if errors.As(err, &ve) && strings.HasPrefix(ve.Field, "receipt.customer") {
			s.renderCart(w, http.StatusBadRequest, email, "Please enter a valid email address: the receipt is sent there.")
			return
		}
		s.log.Error("cannot build the payment", "error", err)
		s.renderCart(w, http.StatusInternalServerError, email, "Sorry, this order cannot be paid on credit: "+explain(err))
		return
	}
	// The order and its payment request are written before the request is
	// sent: if the answer is lost, or the shop restarts, the same body goes
	// again under the same key.
	o := &order{ID: id, Created: time.Now(), Email: email, Receipt: rcpt, Request: req, NextOp: 1}
	if err := s.db.createOrder(r.Context(), o); err != nil {
		s.fail(w, "saving the order", err)
		return
	}
	s.log.Info("order created", "order", id, "amount", req.Amount.String())
	s.pay(w, r, o)
}

// newOrderID returns a fresh order number. A real shop uses its database's
// order number; it must never repeat, since the Idempotence-Keys are built
// from it and YooKassa remembers them for 24 hours.
func newOrderID() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// payKey is the Idempotence-Key of creating the order's payment: however
// often it is sent, YooKassa creates one payment.
func payKey(orderID string) string { return "order-" + orderID + ".pay" }

// pay creates (or, after a lost answer, finds again) the order's payment and
// redirects the buyer to its confirmation page.
func (s *shop) pay(w http.ResponseWriter, r *http.Request, o *order) {
	p, err := s.client.CreatePayment(r.Context(), o.Request, yookassa.WithIdempotenceKey(payKey(o.ID)))
	if err != nil {
		s.log.Error("creating the payment failed", "order", o.ID, "key", payKey(o.ID), "error", err)
		retry := "/orders/" + o.ID + "/pay"
		if errors.Is(err, yookassa.ErrOutcomeUnknown) {
			s.render(w, http.StatusServiceUnavailable, "message", message{Title: "Payment service did not answer",
				Text:  "Your order " + o.ID + " is saved. Please try again: you cannot be charged twice.",
				Retry: retry})
			return
		}
		s.render(w, http.StatusBadGateway, "message", message{Title: "Payment not available",
			Text: "The payment for order " + o.ID + " could not be created. Please contact us and quote the order number."})
		return
	}
	if _, err := s.db.setPayment(r.Context(), s.db.db, o.ID, p.ID, p.Status); err != nil {
		// The payment exists; the notification will record it.
		s.log.Error("recording the payment failed", "order", o.ID, "payment", p.ID, "error", err)
	}
	s.log.Info("payment created", "order", o.ID, "payment", p.ID)
	if p.Status == yookassa.PaymentStatusPending && p.Confirmation != nil && p.Confirmation.ConfirmationURL != "" {
		http.Redirect(w, r, p.Confirmation.ConfirmationURL, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orders/"+o.ID, http.StatusSeeOther)
}

// payAgain is the "Try again" / "Continue to payment" button.
func (s *shop) payAgain(w http.ResponseWriter, r *http.Request) {
	o, ok := s.order(w, r)
	if !ok {
		return
	}
	if o.PaymentID == "" {
		// The answer to the first attempt was lost. Creating the payment
		// again with the same key and body returns the payment created the
		// first time, if any, instead of a second one.
		s.pay(w, r, o)
		return
	}
	// The payment is known: send the buyer back to its page if it still
	// waits for them. (Replaying the creation would only work for the 24
	// hours YooKassa remembers the key.)
	p, err := s.client.GetPayment(r.Context(), o.PaymentID)
	if err == nil && p.Status == yookassa.PaymentStatusPending && p.Confirmation != nil && p.Confirmation.ConfirmationURL != "" {
		http.Redirect(w, r, p.Confirmation.ConfirmationURL, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orders/"+o.ID, http.StatusSeeOther)
}

// orderAgain is the "Try again" button of an order whose credit was not
// granted: a new order of the same cart for the same buyer, with a payment
// of its own (the declined payment cannot be paid any more).
func (s *shop) orderAgain(w http.ResponseWriter, r *http.Request) {
	o, ok := s.order(w, r)
	if !ok {
		return
	}
	if o.Status != yookassa.PaymentStatusCanceled {
		http.Redirect(w, r, "/orders/"+o.ID, http.StatusSeeOther)
		return
	}
	s.newOrder(w, r, o.Email)
}

// order loads the order named in the path, or answers 404 (or 500) and
// reports false.
func (s *shop) order(w http.ResponseWriter, r *http.Request) (*order, bool) {
	o, err := s.db.order(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, "reading the order", err)
		return nil, false
	}
	if o == nil {
		s.render(w, http.StatusNotFound, "message", message{Title: "No such order", Text: "We have no order " + r.PathValue("id") + "."})
		return nil, false
	}
	return o, true
}

// orderView is what the admin pages show of an order.
type orderView struct {
	ID, PaymentID, Email string
	Created              time.Time
	Status               yookassa.PaymentStatus
	Notifications        []string
	NextOp               int
	Ops                  []operation
	Pending              *operation
}

// view reads the order's logs for the admin page.
func (s *shop) view(ctx context.Context, o *order) (orderView, error) {
	v := orderView{ID: o.ID, PaymentID: o.PaymentID, Email: o.Email, Created: o.Created, Status: o.Status, NextOp: o.NextOp}
	var err error
	if v.Notifications, err = s.db.notifications(ctx, o.ID); err != nil {
		return v, err
	}
	if v.Ops, err = s.db.operations(ctx, o.ID); err != nil {
		return v, err
	}
	v.Pending, err = s.db.pending(ctx, o.ID)
	return v, err
}

// paymentView is a payment as the pages show it.
type paymentView struct {
	ID      string
	Status  yookassa.PaymentStatus
	Amount  decimal.Decimal
	Message string // for the buyer, in plain words
	State   string // for the operator
	Error   string // the payment could not be read
	Problem string // for the operator: the payment does not read as a purchase
	// Purchase is set once the buyer has paid: the option, the discount
	// and the amounts.
	Purchase           *sberloan.Purchase
	Captured, Refunded bool
	// Original is the order's price and Borrowed what the buyer borrowed
	// (Original less the installment discount). They come from the order:
	// after a partial capture of a loan the payment keeps no trace of them.
	Original, Borrowed decimal.Decimal
	// Admin shows the operator's facts (the shop's income).
	Admin bool
}

// readPayment re-reads the order's payment through the API and describes
// it. It also records the status it read.
func (s *shop) readPayment(ctx context.Context, o *order) (paymentView, *yookassa.Payment) {
	if o.PaymentID == "" {
		return paymentView{Message: "The payment has not been created yet.", State: "No payment yet."}, nil
	}
	p, err := s.client.GetPayment(ctx, o.PaymentID)
	if err != nil {
		s.log.Error("reading the payment failed", "order", o.ID, "payment", o.PaymentID, "error", err)
		return paymentView{ID: o.PaymentID, Error: "The payment's status cannot be read right now; please reload the page in a minute."}, nil
	}
	if err := s.db.learn(ctx, s.db.db, o.ID, p.Status); err != nil {
		s.log.Error("recording the payment's status failed", "order", o.ID, "error", err)
	}

	v := paymentView{ID: p.ID, Status: p.Status, Amount: p.Amount.Value}
	if pur, err := s.loan.Read(p); err == nil {
		v.Purchase = pur
		v.Original = receipt.Total(o.Receipt.Items)
		v.Borrowed = v.Original.Sub(pur.Discount)
		v.Captured = pur.Status == yookassa.PaymentStatusSucceeded
		v.Refunded = pur.Refunded.Sign() > 0
	} else if !errors.Is(err, sberloan.ErrNotPaid) {
		// For example tariffs out of step with the contract: the discount
		// YooKassa applied is not the one the shop expects.
		s.log.Error("the payment does not read as a purchase", "order", o.ID, "payment", p.ID, "error", err)
		v.Problem = explain(err)
	}
	switch p.Status {
	case yookassa.PaymentStatusPending:
		v.Message = "Waiting for SberBank's decision. If you left the bank's page, continue to the payment below."
		v.State = "Waiting for the buyer and SberBank."
	case yookassa.PaymentStatusWaitingForCapture:
		v.Message = "SberBank approved your credit. We are preparing your order and will confirm the payment shortly."
		v.State = "Credit approved: capture all or part of it, or cancel."
	case yookassa.PaymentStatusSucceeded:
		v.Message = "Paid. Thank you for your order!"
		v.State = "Captured."
	case yookassa.PaymentStatusCanceled:
		v.Message = "The payment was canceled: the credit was not granted or you declined it. You owe nothing for this order."
		v.State = "Canceled"
		if d := p.CancellationDetails; d != nil {
			v.State += fmt.Sprintf(" by %s (%s)", d.Party, d.Reason)
			if d.Party == yookassa.PartyMerchant {
				v.Message = "We canceled the payment. The money went back to your card, but the loan stays with SberBank: " +
					"repay it in SberBank Online, the sooner the less interest."
			}
		}
		v.State += "."
	}
	if v.Refunded || (v.Purchase != nil && v.Purchase.PartiallyCaptured()) {
		v.Message += " Part of the money went back to your card, but the loan stays with SberBank as it was: " +
			"repay that part in SberBank Online, the sooner the less interest."
	}
	return v, p
}

// orderPage is the buyer's return page (the payment's return_url). It shows
// what the buyer needs: the status in plain words and the amounts they owe,
// not the shop's income or its notification log.
func (s *shop) orderPage(w http.ResponseWriter, r *http.Request) {
	o, ok := s.order(w, r)
	if !ok {
		return
	}
	pv, _ := s.readPayment(r.Context(), o)
	declined := pv.Status == yookassa.PaymentStatusCanceled && pv.Purchase == nil
	s.render(w, http.StatusOK, "order", map[string]any{
		"Order": o, "Payment": pv,
		"CanPay":   o.PaymentID == "" || pv.Status == yookassa.PaymentStatusPending,
		"Declined": declined,
	})
}

// onNotification records a verified notification, in tx: the transaction
// in which notification.SQLDeduplicator marks it as handled, so that the
// order's update and the mark are kept together or not at all. The handler
// has already checked the source and re-read the object from YooKassa, so
// ev.Payment and ev.Refund are YooKassa's own current data, not the
// delivered body.
func (s *shop) onNotification(ctx context.Context, tx *sql.Tx, ev *notification.Event) error {
	switch {
	case ev.Payment != nil:
		p := ev.Payment
		orderID := p.Metadata["order_id"]
		ours := false
		if orderID != "" {
			var err error
			// When the answer to CreatePayment was lost, the notification
			// tells the shop its payment.
			if ours, err = s.db.setPayment(ctx, tx, orderID, p.ID, p.Status); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		if !ours {
			// Not one of ours (another shop's payment, or an order
			// superseded). Acknowledge, or YooKassa retries for a day.
			s.log.Warn("notification for an unknown order", "event", ev.Event, "payment", p.ID)
			return nil
		}
		if err := s.db.note(ctx, tx, orderID, fmt.Sprintf("%s: verified with YooKassa; payment status %s, %s",
			ev.Event, p.Status, rub(p.Amount.Value))); err != nil {
			return err
		}
		s.log.Info("notification", "event", ev.Event, "order", orderID, "payment", p.ID, "status", p.Status)
	case ev.Refund != nil:
		rf := ev.Refund
		orderID, err := s.db.orderOfPayment(ctx, tx, rf.PaymentID)
		if err != nil {
			return err
		}
		if orderID == "" {
			s.log.Warn("notification for an unknown payment", "event", ev.Event, "refund", rf.ID, "payment", rf.PaymentID)
			return nil
		}
		if err := s.db.note(ctx, tx, orderID, fmt.Sprintf("%s: verified with YooKassa; refund %s of %s, status %s",
			ev.Event, rf.ID, rub(rf.Amount.Value), rf.Status)); err != nil {
			return err
		}
		s.log.Info("notification", "event", ev.Event, "order", orderID, "refund", rf.ID)
	default:
		// Other events come unverified (see package notification); this
		// shop does not subscribe to them.
		s.log.Info("notification ignored", "event", ev.Event)
	}
	return nil
}

// adminOnly guards the admin pages: the password, if one is set, and
// same-origin form posts only (no cross-site request forgery).
func (s *shop) adminOnly(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.password != "" {
			_, pass, ok := r.BasicAuth()
			if !ok || subtle.ConstantTimeCompare([]byte(pass), []byte(s.password)) != 1 {
				w.Header().Set("WWW-Authenticate", `Basic realm="shop admin", charset="UTF-8"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		if r.Method == http.MethodPost && crossSite(r) {
			http.Error(w, "cross-site form posts are refused", http.StatusForbidden)
			return
		}
		h(w, r)
	})
}

// crossSite reports a request sent by a page of another site: browsers say
// so in Sec-Fetch-Site, and older ones send an Origin of another host.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return true
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		return err != nil || u.Host != r.Host
	}
	return false
}

// render executes a page template into a buffer first, so that a template
// error becomes a clean 500.
func (s *shop) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("rendering a page failed", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
