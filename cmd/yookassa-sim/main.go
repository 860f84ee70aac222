// Command yookassa-sim is the YooKassa simulator of package yookassatest as
// a standalone server, for testing an integration written in any language.
//
//	go run ./cmd/yookassa-sim [flags]
//
// It serves YooKassa's API v3 under /v3 (HTTP Basic with -shop-id and
// -secret-key, or Bearer with -oauth-token), the confirmation pages a buyer
// is sent to, and a control API under /sim that plays the buyer and the
// bank, moves the clock and injects faults (see yookassatest's control
// API). When it is ready it prints one line to stdout,
//
//	listening on http://127.0.0.1:8089/v3
//
// and then logs every request to stderr (method, path, status,
// Idempotence-Key; never credentials, bodies or card data), written out in
// batches every 50 ms and at exit. SIGINT or SIGTERM stops it within a
// second.
//
// Flags:
//
//	-addr ADDR                 where to listen (default 127.0.0.1:8089; port 0 picks a free one);
//	                           a non-loopback address needs -public
//	-public                    allow a non-loopback -addr
//	-shop-id ID                the shop ID accepted with HTTP Basic (default 100500)
//	-secret-key KEY            the secret key accepted with HTTP Basic (default test_secret)
//	-oauth-token TOKEN         the OAuth token accepted with Bearer, needed for /webhooks
//	-webhook URL               POST notifications there (repeatable)
//	-tariffs LIST              enabled installment plans and their discount percents
//	                           (default installments_3=4.5,installments_6=7,installments_12=10; "" for none)
//	-commission PERCENT        YooKassa's fee taken from income_amount (default 3.5)
//	-commission-vat PERCENT    VAT withheld on that fee, in percent of the fee (default 0, the
//	                           guide's numbers; 22 is YooKassa's rate since 2026: 4,786.50 of 5,000.00)
//	-notification-source IP    the address notifications come from (default 127.0.0.1; a
//	                           non-loopback address is sent in X-Forwarded-For)
//	-seed N                    seed of probabilistic faults (default 1)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Defaults of the flags.
const (
	defaultAddr       = "127.0.0.1:8089"
	defaultShopID     = "100500"
	defaultSecretKey  = "test_secret"
	defaultOAuthToken = "test_oauth_token"
	defaultAgentID    = "505050"
	defaultPayoutKey  = "test_payout_secret"
	defaultTariffs    = "installments_3=4.5,installments_6=7,installments_12=10"
	defaultCommission = "3.5"
)

// shutdownGrace bounds how long a stop waits for requests in flight.
const shutdownGrace = 900 * time.Millisecond

// config is what the flags say.
type config struct {
	addr       string
	public     bool
	shopID     string
	secretKey  string
	oauthToken string
	agentID    string
	payoutKey  string
	webhooks   []string
	tariffs    map[sberloan.Option]decimal.Decimal
	commission decimal.Decimal
	vat        decimal.Decimal
	source     netip.Addr
	seed       uint64
}

// run serves until ctx ends and returns the exit code: 0 after a stop, 2 for
// bad flags, 1 if it cannot listen.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "yookassa-sim:", err)
		return 2
	}
	l, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "yookassa-sim:", err)
		return 1
	}
	logs := newLogWriter(stderr, 50*time.Millisecond)
	defer logs.Close()
	logger := slog.New(slog.NewTextHandler(logs, nil))
	opts := []yookassatest.Option{
		yookassatest.WithListener(l),
		yookassatest.WithRequestLog(logger),
		yookassatest.WithCredentials(cfg.shopID, cfg.secretKey),
		yookassatest.WithOAuthToken(cfg.oauthToken),
		yookassatest.WithPayoutCredentials(cfg.agentID, cfg.payoutKey),
		yookassatest.WithTariffs(cfg.tariffs),
		yookassatest.WithCommission(cfg.commission),
		yookassatest.WithCommissionVAT(cfg.vat),
		yookassatest.WithNotificationSource(cfg.source),
		yookassatest.WithSeed(cfg.seed),
	}
	for _, u := range cfg.webhooks {
		opts = append(opts, yookassatest.WithWebhook(u))
	}
	sim := yookassatest.NewServer(opts...)
	fmt.Fprintf(stdout, "listening on %s\n", sim.URL())

	<-ctx.Done()
	logger.Info("stopping")
	done := make(chan struct{})
	go func() {
		sim.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(shutdownGrace):
		logger.Warn("requests still in flight at exit")
	}
	return 0
}

// urlList is a repeatable flag.
type urlList []string

func (u *urlList) String() string { return strings.Join(*u, ",") }

func (u *urlList) Set(v string) error {
	if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		return errors.New("not an http or https URL")
	}
	*u = append(*u, v)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("yookassa-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: yookassa-sim [flags]\n\nA YooKassa API v3 simulator for tests in any language: the API under /v3, a control API under /sim.\n\nFlags:")
		fs.PrintDefaults()
	}
	var (
		cfg        config
		webhooks   urlList
		tariffs    string
		commission string
		vat        string
		source     string
	)
	fs.StringVar(&cfg.addr, "addr", defaultAddr, "`address` to listen on; port 0 picks a free port; loopback only unless -public")
	fs.BoolVar(&cfg.public, "public", false, "allow a non-loopback -addr")
	fs.StringVar(&cfg.shopID, "shop-id", defaultShopID, "shop `ID` accepted with HTTP Basic authentication")
	fs.StringVar(&cfg.secretKey, "secret-key", defaultSecretKey, "secret `key` accepted with HTTP Basic authentication")
	fs.StringVar(&cfg.oauthToken, "oauth-token", defaultOAuthToken, "OAuth `token` accepted with Bearer authentication (needed for /webhooks)")
	fs.StringVar(&cfg.agentID, "agent-id", defaultAgentID, "payout gateway's agent `ID`, accepted with its key for payouts, SBP banks and personal data")
	fs.StringVar(&cfg.payoutKey, "payout-secret-key", defaultPayoutKey, "payout gateway's secret `key`")
	fs.Var(&webhooks, "webhook", "POST notifications to `URL` (repeatable)")
	fs.StringVar(&tariffs, "tariffs", defaultTariffs, "enabled installment plans and their discount percents, `option=percent,...` (empty: loans only)")
	fs.StringVar(&commission, "commission", defaultCommission, "YooKassa's fee in `percent`, taken from income_amount")
	fs.StringVar(&vat, "commission-vat", "0", "VAT withheld on YooKassa's fee, in `percent` of the fee (22 since 2026)")
	fs.StringVar(&source, "notification-source", "127.0.0.1", "`IP` notifications come from (non-loopback: sent in X-Forwarded-For from loopback)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "`seed` of the probabilistic faults, to repeat a run exactly")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg.webhooks = webhooks
	if err := checkAddr(cfg.addr, cfg.public); err != nil {
		return nil, err
	}
	var err error
	if cfg.tariffs, err = parseTariffs(tariffs); err != nil {
		return nil, fmt.Errorf("-tariffs: %w", err)
	}
	if cfg.commission, err = decimal.NewFromString(commission); err != nil {
		return nil, fmt.Errorf("-commission: %q is not a number", commission)
	}
	if cfg.vat, err = decimal.NewFromString(vat); err != nil {
		return nil, fmt.Errorf("-commission-vat: %q is not a number", vat)
	}
	if err := (sberloan.Config{Tariffs: cfg.tariffs, CommissionPercent: cfg.commission, CommissionVATPercent: cfg.vat}).Validate(); err != nil {
		return nil, err
	}
	if cfg.source, err = netip.ParseAddr(source); err != nil {
		return nil, fmt.Errorf("-notification-source: %q is not an IP address", source)
	}
	if cfg.shopID == "" || cfg.secretKey == "" {
		return nil, errors.New("-shop-id and -secret-key must not be empty")
	}
	if cfg.agentID == "" || cfg.payoutKey == "" {
		return nil, errors.New("-agent-id and -payout-secret-key must not be empty")
	}
	return &cfg, nil
}

// checkAddr refuses an address that is not loopback unless public.
func checkAddr(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr: %w", err)
	}
	if public {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %s is not a loopback address: the simulator accepts test credentials from anyone who reaches it; add -public to listen there anyway", addr)
}

// parseTariffs reads "installments_3=4.5,installments_6=7".
func parseTariffs(s string) (map[sberloan.Option]decimal.Decimal, error) {
	out := map[sberloan.Option]decimal.Decimal{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for part := range strings.SplitSeq(s, ",") {
		name, value, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return nil, fmt.Errorf("%q is not option=percent", part)
		}
		option, err := sberloan.ParseOption(name)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", name, err)
		}
		percent, err := decimal.NewFromString(value)
		if err != nil {
			return nil, fmt.Errorf("%q: %q is not a number", name, value)
		}
		if _, dup := out[option]; dup {
			return nil, fmt.Errorf("%s is listed twice", option)
		}
		out[option] = percent
	}
	return out, nil
}
