// Command checkout is a small web shop that sells on credit from SberBank
// (YooKassa payment method sber_loan), built with the packages of this
// module.
//
// It shows the whole life of a credit purchase:
//
//   - GET / is the cart (Product 1 at 3,000.00 and two of Product 2 at
//     1,000.00) with a buyer email for the receipt and a "Buy on credit from
//     SberBank" button. The POST creates the order and a two-stage sber_loan
//     payment with its receipt (sberloan.Config.NewPayment), under the
//     Idempotence-Key "order-<id>.pay", and redirects the buyer to
//     YooKassa's confirmation page, where they choose a loan or an
//     installment plan.
//   - GET /orders/{id} is the return page: the payment's status re-read
//     through the API in plain words, the option chosen, and the amounts the
//     buyer owes (original price, installment discount, sum borrowed). An
//     order whose credit was not granted offers to try again.
//   - POST /yookassa/notifications receives YooKassa's notifications with
//     package notification, which accepts them only from YooKassa's networks
//     and re-reads the payment before the shop records it, in the same
//     database transaction that marks the notification as handled
//     (notification.SQLDeduplicator).
//   - GET /admin/orders lists the orders for the operator, and
//     GET /admin/orders/{id} shows the operator's facts (the shop's income,
//     the notifications) and captures all, three quarters or one unit of
//     Product 2, cancels, or refunds all or half, each planned with
//     sberloan.Config.PlanCapture or PlanRefund. Every operation carries an
//     Idempotence-Key made of the order, the operation and its number
//     ("order-<id>.capture-1"); the key and the request are written to the
//     database before the request is sent, and when YooKassa's answer is
//     lost the page offers to retry with the same key.
//
// The orders, their pending operations, the operations log and the
// notifications are kept in a database (schema.sql), so that the shop can
// restart, or run as several instances, without losing an order: after a
// restart it first sends again, with the same key, every operation whose
// outcome it never learned.
//
// Run it and open http://127.0.0.1:8080:
//
//	go run ./examples/checkout
//
// By default it starts an in-process YooKassa simulator (package
// yookassatest) whose confirmation page plays SberBank, and which delivers
// notifications as if from YooKassa's address 185.71.76.1 through a reverse
// proxy on loopback, so the webhook's real checks run. The orders then go
// to a SQLite file in a temporary directory, removed on exit, since the
// simulator forgets its payments too.
//
// With YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY set it uses the real API
// instead, and keeps the orders in the SQLite file checkout.sqlite in the
// working directory, or in PostgreSQL with -db postgres://... YooKassa must
// then reach the webhook: give the shop's public address with -public-url
// and enter <public-url>/yookassa/notifications in the merchant profile.
// SHOP_ADMIN_PASSWORD protects /admin, and the shop refuses to start with
// the real API without it.
//
//	YOOKASSA_SHOP_ID=... YOOKASSA_SECRET_KEY=... SHOP_ADMIN_PASSWORD=... \
//	    go run ./examples/checkout -listen 127.0.0.1:8080 -public-url https://shop.example \
//	    -db postgres://shop@db.internal/shop
//
// -api points the shop at another YooKassa API, such as a simulator on
// loopback, with its credentials; the admin password is then optional.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// merchantContract is what the shop agreed with YooKassa for SberBank
// credit: the installment plans it offers with the discount it grants on
// each, and YooKassa's commission. Put the numbers of your contract here:
// sberloan.Config.Read refuses a payment whose discount disagrees with them.
func merchantContract() sberloan.Config {
	return sberloan.Config{
		Tariffs: map[sberloan.Option]decimal.Decimal{
			"installments_3":  decimal.RequireFromString("4.5"),
			"installments_6":  decimal.RequireFromString("7"),
			"installments_12": decimal.RequireFromString("10"),
		},
		CommissionPercent: decimal.RequireFromString("3.5"),
		// YooKassa withholds 22% VAT on its commission since 2026.
		CommissionVATPercent: decimal.RequireFromString("22"),
	}
}

// loopback is the reverse proxy the webhook trusts: a proxy on the same
// host (and the simulator, which sends YooKassa's address in
// X-Forwarded-For from loopback).
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("checkout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve the shop on")
	public := fs.String("public-url", "", "the shop's address as buyers and YooKassa reach it (default: http://<listen address>)")
	dbFlag := fs.String("db", "", "where the orders are kept: a postgres:// URL or a SQLite file "+
		"(default: "+defaultDatabase+" with YooKassa; with the in-process simulator, a new file that is removed on exit)")
	apiURL := fs.String("api", "", "YooKassa's API address (default "+yookassa.DefaultBaseURL+"); "+
		"a simulator on loopback, with its credentials, is fine")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected arguments: %v\n", fs.Args())
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	shopID, secret := os.Getenv("YOOKASSA_SHOP_ID"), os.Getenv("YOOKASSA_SECRET_KEY")
	if (shopID == "") != (secret == "") {
		fmt.Fprintln(stderr, "set both YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY to use the real API, or neither to use the simulator")
		return 2
	}

	// The shop's listener comes first: its address gives the shop's own
	// URLs, which the simulator needs for its notifications.
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(stderr, "listen:", err)
		return 1
	}
	defer ln.Close()
	base, err := shopURL(*public, ln.Addr())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	contract := merchantContract()

	password := os.Getenv("SHOP_ADMIN_PASSWORD")
	database := *dbFlag
	var client *yookassa.Client
	if shopID != "" {
		opts := []yookassa.Option{yookassa.WithUserAgent("CheckoutExample/" + yookassa.Version)}
		live := true
		if *apiURL != "" {
			opts = append(opts, yookassa.WithBaseURL(*apiURL))
			u, _ := url.Parse(*apiURL)
			live = u == nil || !isLoopbackHost(u.Hostname())
		}
		if live && password == "" {
			// The admin pages capture, cancel and refund real money.
			fmt.Fprintln(stderr, "refusing to start: with YooKassa's credentials the admin pages need a password; set SHOP_ADMIN_PASSWORD")
			return 2
		}
		client, err = yookassa.NewClient(shopID, secret, opts...)
		if err != nil {
			fmt.Fprintln(stderr, "YooKassa client:", err)
			return 2
		}
		if live {
			fmt.Fprintf(stdout, "Using the real YooKassa API as shop %s.\n", shopID)
		} else {
			fmt.Fprintf(stdout, "Using the YooKassa API at %s as shop %s.\n", *apiURL, shopID)
		}
		fmt.Fprintf(stdout, "In the merchant profile (Integration, HTTP notifications) set the URL %s%s\n", base, webhookPath)
		fmt.Fprintln(stdout, "and the events payment.waiting_for_capture, payment.succeeded, payment.canceled and refund.succeeded.")
		fmt.Fprintln(stdout, "YooKassa must reach that URL over https; notifications are accepted from YooKassa's networks,")
		fmt.Fprintln(stdout, "directly or through a reverse proxy on this host that appends X-Forwarded-For.")
		if u, _ := url.Parse(base); live && (u.Scheme != "https" || isLoopbackHost(u.Hostname())) {
			fmt.Fprintln(stdout, "WARNING: YooKassa cannot reach", base, "- pass the public address with -public-url.")
		}
		if database == "" {
			database = defaultDatabase
		}
	} else {
		if *apiURL != "" {
			fmt.Fprintln(stderr, "-api needs YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY")
			return 2
		}
		if database == "" {
			// The simulator forgets its payments when the program stops, so
			// orders kept from one run to the next would point at nothing.
			dir, err := os.MkdirTemp("", "checkout-")
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
			defer os.RemoveAll(dir)
			database = filepath.Join(dir, "shop.sqlite")
		}
		sim := yookassatest.NewServer(
			yookassatest.WithWebhook(base+webhookPath),
			yookassatest.WithNotificationSource(netip.MustParseAddr("185.71.76.1")),
			yookassatest.WithTariffs(contract.Tariffs),
			yookassatest.WithCommission(contract.CommissionPercent),
			yookassatest.WithCommissionVAT(contract.CommissionVATPercent),
		)
		defer sim.Close()
		client = sim.Client()
		fmt.Fprintf(stdout, "Using the YooKassa simulator at %s (set YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY for the real API).\n", sim.URL())
	}

	s, handler, err := newShop(ctx, shopConfig{
		Client:         client,
		Loan:           contract,
		BaseURL:        base,
		TrustedProxies: loopback,
		AdminPassword:  password,
		Logger:         logger,
		Database:       database,
	})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	defer s.Close()
	fmt.Fprintf(stdout, "Orders are kept in %s.\n", describeDatabase(database))
	// Operations that a previous run sent without learning their outcome
	// are sent again, with the same keys, before the shop opens.
	resumeCtx, cancelResume := context.WithTimeout(ctx, time.Minute)
	err = s.resume(resumeCtx)
	cancelResume()
	if err != nil {
		fmt.Fprintln(stderr, "resuming pending operations:", err)
		return 1
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      3 * time.Minute, // admin operations may wait for YooKassa's retries
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "Shop open at %s/ (orders for the operator: %s/admin/orders)\n", base, base)

	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "shutdown:", err)
		return 1
	}
	return 0
}

// defaultDatabase is the SQLite file of the orders when the shop talks to
// YooKassa, in the working directory.
const defaultDatabase = "checkout.sqlite"

// describeDatabase names the database for the start-up message, without the
// password a postgres:// URL may hold.
func describeDatabase(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		return "PostgreSQL at " + u.Redacted()
	}
	return "the SQLite file " + strings.TrimPrefix(dsn, "file:")
}

// shopURL is the shop's own address: public if given, otherwise built from
// the listener's address (a wildcard address becomes loopback, which works
// for a browser on the same machine).
func shopURL(public string, addr net.Addr) (string, error) {
	if public != "" {
		u, err := url.Parse(public)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return "", fmt.Errorf("-public-url %q must be an absolute http(s) URL without a query", public)
		}
		return strings.TrimRight(u.String(), "/"), nil
	}
	ap, err := netip.ParseAddrPort(addr.String())
	if err != nil {
		return "", fmt.Errorf("cannot build the shop's URL from %s: %w", addr, err)
	}
	host := ap.Addr().Unmap()
	if host.IsUnspecified() {
		host = netip.MustParseAddr("127.0.0.1")
	}
	return "http://" + netip.AddrPortFrom(host, ap.Port()).String(), nil
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}
