// Command loanapproval is a small bank endpoint for the Yandex Search
// credit-offers API, built with package loanapproval.
//
// By default it starts on a loopback port, runs the conformance check
// (loanapproval.Check) against itself, prints the report and exits 0 only if
// every rule passed:
//
//	go run ./examples/loanapproval
//	go run ./examples/loanapproval -async
//
// With -listen it only serves, with the bearer token taken from the
// LOANAPPROVAL_TOKEN environment variable:
//
//	LOANAPPROVAL_TOKEN=... go run ./examples/loanapproval -listen :8080
//
// The handler is mounted at both paths the protocol documents,
// /integrations/v1/api/loan_approval (POST) and /api/banking/loan_approval
// (GET polls); it answers both methods on either.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/loanapproval"
)

// The documented paths.
const (
	postPath = "/integrations/v1/api/loan_approval"
	pollPath = "/api/banking/loan_approval"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loanapproval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "", "serve on this address (such as :8080) instead of checking itself; the token comes from LOANAPPROVAL_TOKEN")
	async := fs.Bool("async", false, "answer pending at once and decide in the background (Yandex polls)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected arguments: %v\n", fs.Args())
		return 2
	}
	var opts []loanapproval.HandlerOption
	if *async {
		opts = append(opts, loanapproval.WithAsync())
	}
	opts = append(opts, loanapproval.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))))

	if *listen != "" {
		token := os.Getenv("LOANAPPROVAL_TOKEN")
		if token == "" {
			fmt.Fprintln(stderr, "LOANAPPROVAL_TOKEN must hold the bearer token shared with Yandex")
			return 2
		}
		return serve(ctx, *listen, token, opts, stdout, stderr)
	}
	return selfCheck(ctx, opts, stdout, stderr)
}

// newMux mounts the handler at both documented paths.
func newMux(token string, opts []loanapproval.HandlerOption) *http.ServeMux {
	h := loanapproval.Handler(toyBank{}, token, opts...)
	mux := http.NewServeMux()
	mux.Handle(postPath, h)
	mux.Handle(pollPath, h)
	return mux
}

func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      45 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
}

// serve answers requests on addr until ctx ends.
func serve(ctx context.Context, addr, token string, opts []loanapproval.HandlerOption, stdout, stderr io.Writer) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(stderr, "listen:", err)
		return 1
	}
	srv := newServer(newMux(token, opts))
	fmt.Fprintf(stdout, "serving on http://%s%s and http://%s%s\n", ln.Addr(), postPath, ln.Addr(), pollPath)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "serve:", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintln(stderr, "shutdown:", err)
		return 1
	}
	return 0
}

// selfCheck serves on a loopback port with a random token and runs the
// conformance check against itself.
func selfCheck(ctx context.Context, opts []loanapproval.HandlerOption, stdout, stderr io.Writer) int {
	token, err := randomToken()
	if err != nil {
		fmt.Fprintln(stderr, "token:", err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(stderr, "listen:", err)
		return 1
	}
	srv := newServer(newMux(token, opts))
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()

	checkCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	report, err := loanapproval.Check(checkCtx, "http://"+ln.Addr().String()+postPath, token)
	if err != nil {
		fmt.Fprintln(stderr, "check could not run:", err)
		return 1
	}
	fmt.Fprint(stdout, report)
	if !report.Passed() {
		return 1
	}
	return 0
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// toyBank is a stand-in for a bank's scoring: it approves credit cards for
// phone numbers ending in an even digit, cash loans up to maxLoan, and
// rejects everything else.
type toyBank struct{}

const bankName = "Toy Bank"

var (
	maxLoan     = decimal.NewFromInt(1_000_000)
	minLoan     = decimal.NewFromInt(30_000)
	defaultLoan = decimal.NewFromInt(300_000)
	maxCard     = decimal.NewFromInt(500_000)
	loanRate    = [2]decimal.Decimal{decimal.RequireFromString("14.9"), decimal.RequireFromString("24.9")}
	loanCost    = [2]decimal.Decimal{decimal.RequireFromString("15.312"), decimal.RequireFromString("27.845")}
	cardRate    = [2]decimal.Decimal{decimal.RequireFromString("19.9"), decimal.RequireFromString("39.9")}
	cardCost    = [2]decimal.Decimal{decimal.Zero, decimal.RequireFromString("39.875")}
	twelve      = decimal.NewFromInt(12)
	hundred     = decimal.NewFromInt(100)
)

// Decide implements loanapproval.Decider.
func (toyBank) Decide(ctx context.Context, req *loanapproval.Request) (*loanapproval.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	reject := &loanapproval.Response{Name: bankName, Decision: loanapproval.DecisionRejected}
	switch req.ProductType {
	case loanapproval.ProductCreditCard:
		phone := req.PhoneNumber
		if phone == "" || (phone[len(phone)-1]-'0')%2 != 0 {
			return reject, nil
		}
		return approved(cardOffer(req.Amount)), nil
	case loanapproval.ProductLoan:
		amount := defaultLoan
		if req.Amount != nil {
			amount = *req.Amount
		}
		if amount.GreaterThan(maxLoan) {
			return reject, nil
		}
		offer, err := loanOffer(amount, req.Term)
		if err != nil {
			return nil, err
		}
		return approved(offer), nil
	}
	return nil, errors.New("unknown product type")
}

func approved(o loanapproval.Offer) *loanapproval.Response {
	return &loanapproval.Response{Name: bankName, Decision: loanapproval.DecisionHasApprove, Data: []loanapproval.Offer{o}}
}

func cardOffer(requested *decimal.Decimal) loanapproval.Offer {
	limit := maxCard
	if requested != nil && requested.LessThan(limit) {
		limit = *requested
	}
	minLimit := decimal.Min(decimal.NewFromInt(10_000), limit)
	grace := 120
	ccRate := decimal.NewFromInt(3)
	return loanapproval.Offer{
		ProductType:       loanapproval.ProductCreditCard,
		Decision:          loanapproval.OfferPreApproved,
		Amount:            loanapproval.NewRange(minLimit, limit),
		Rate:              loanapproval.NewRange(cardRate[0], cardRate[1]),
		TotalCost:         loanapproval.NewRange(cardCost[0], cardCost[1]),
		GracePeriod:       &grace,
		Payment:           &loanapproval.Payment{CCRate: &ccRate},
		RequiredDocuments: []string{"Passport"},
		ProposalLink:      &loanapproval.ProposalLink{Link: "https://toy-bank.example/cards/apply", Deep: "toybank://cards/apply"},
		SpecialConditions: []string{"Free card servicing with monthly spending from 10000 RUB"},
	}
}

// loanOffer offers the requested amount (at least minLoan) over the
// requested term, with a rough monthly payment range: principal plus simple
// interest at the lowest and highest rate, spread evenly and rounded to
// whole roubles.
func loanOffer(amount decimal.Decimal, term string) (loanapproval.Offer, error) {
	months, err := decimal.NewFromString(term)
	if err != nil || months.Sign() <= 0 {
		return loanapproval.Offer{}, fmt.Errorf("term %q: not a number of months", term)
	}
	amount = decimal.Max(amount, minLoan)
	payment := func(rate decimal.Decimal) *decimal.Decimal {
		interest := amount.Mul(rate).Div(hundred).Mul(months).Div(twelve)
		p := amount.Add(interest).Div(months).Round(0)
		return &p
	}
	return loanapproval.Offer{
		ProductType:        loanapproval.ProductLoan,
		Decision:           loanapproval.OfferPreApproved,
		Amount:             loanapproval.NewRange(minLoan, amount),
		Term:               loanapproval.NewRange(months, months),
		Rate:               loanapproval.NewRange(loanRate[0], loanRate[1]),
		TotalCost:          loanapproval.NewRange(loanCost[0], loanCost[1]),
		Payment:            &loanapproval.Payment{Min: payment(loanRate[0]), Max: payment(loanRate[1])},
		RequiredDocuments:  []string{"Passport"},
		ChoosableDocuments: []string{"2-NDFL income certificate, employer's certificate", "Income confirmation via Gosuslugi"},
		ProposalLink:       &loanapproval.ProposalLink{Link: "https://toy-bank.example/loans/apply"},
	}, nil
}
