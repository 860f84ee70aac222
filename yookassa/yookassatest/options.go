package yookassatest

import (
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
)

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the shop ID and secret key the simulator accepts
// with HTTP Basic authentication.
func WithCredentials(shopID, secretKey string) Option {
	return func(s *Server) { s.shopID, s.secret = shopID, secretKey }
}

// WithOAuthToken sets the OAuth token the simulator accepts (Bearer).
func WithOAuthToken(token string) Option { return func(s *Server) { s.oauthToken = token } }

// WithTariffs replaces the enabled installment options and their discount
// percentages (DefaultTariffs).
func WithTariffs(t map[sberloan.Option]decimal.Decimal) Option {
	return func(s *Server) { s.loan.Tariffs = copyTariffs(t) }
}

// WithLimits replaces the sber_loan limits (sberloan.DefaultLimits()).
func WithLimits(l sberloan.Limits) Option { return func(s *Server) { s.loan.Limits = l } }

// WithCommission sets YooKassa's fee in percent (DefaultCommissionPercent).
func WithCommission(percent decimal.Decimal) Option {
	return func(s *Server) { s.loan.CommissionPercent = percent }
}

// WithStartTime freezes the simulator's clock at t; only Advance moves it.
// By default the clock follows the wall clock (plus whatever Advance adds).
func WithStartTime(t time.Time) Option {
	return func(s *Server) { s.clock.frozen, s.clock.base = true, t }
}

// WithSeed seeds the source of probabilistic faults, so that a run can be
// repeated exactly.
func WithSeed(seed uint64) Option { return func(s *Server) { s.seed = seed; s.rng = newRand(seed) } }

// WithFaults injects faults from the start (see Server.InjectFault).
func WithFaults(faults ...Fault) Option {
	return func(s *Server) {
		for _, f := range faults {
			s.faults = append(s.faults, &fault{Fault: f})
		}
	}
}

// WithWebhook makes the simulator POST notifications to url on every
// payment and refund transition (payment.waiting_for_capture,
// payment.succeeded, payment.canceled, refund.succeeded). Each notification
// is delivered on its own, so two of them may arrive in either order, as
// with YooKassa; the object in each is a snapshot as of its event. Given
// more than once, every url receives every notification. Pass it to Start
// when the receiver needs the simulator's URL first (NewUnstartedServer).
func WithWebhook(url string) Option {
	return func(s *Server) {
		if url != "" {
			s.notify.urls = append(s.notify.urls, url)
		}
	}
}

// WithNotificationSource sets the address notifications come from. A
// loopback address (127.0.0.2, ...) is used as the local address of the
// connection. Any other address (for example 185.71.76.1, one of
// YooKassa's) is sent in X-Forwarded-For from a loopback peer, as if through
// a reverse proxy in front of the shop: the receiving handler must then
// trust loopback as a proxy. The default is 127.0.0.1.
func WithNotificationSource(addr netip.Addr) Option {
	return func(s *Server) { s.notify.source = addr }
}

// WithNotificationRetry bounds re-delivery: at most attempts deliveries of
// each notification, waiting delay (doubling) between them. The default is
// 5 attempts, 50 ms apart at first.
func WithNotificationRetry(attempts int, delay time.Duration) Option {
	return func(s *Server) {
		if attempts > 0 {
			s.notify.attempts = attempts
		}
		if delay > 0 {
			s.notify.delay = delay
		}
	}
}

// WithListener makes NewUnstartedServer and NewServer serve on l instead of
// a new loopback port (the standalone server, cmd/yookassa-sim, listens on
// the address it is given). The Server closes l.
func WithListener(l net.Listener) Option { return func(s *Server) { s.listener = l } }

// WithRequestLog logs every request to l at info level once it is answered
// (method, path, status, Idempotence-Key and duration), and every attempt to
// deliver a notification (event, object, URL, status; warn level when it
// failed). It never logs credentials, bodies or query strings.
func WithRequestLog(l *slog.Logger) Option {
	return func(s *Server) { s.requestLog.logger, s.notify.logger = l, l }
}
