package yookassatest_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/notification"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

// lockedBuffer is a log sink safe for the handler's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The README's two snippets together: the simulator and the module's
// notification handler, with the one line of test configuration.
func TestWorksWithTheNotificationHandler(t *testing.T) {
	sim := yookassatest.NewUnstartedServer()
	t.Cleanup(sim.Close)
	var mu sync.Mutex
	var got []*notification.Event
	process := func(_ context.Context, ev *notification.Event) error {
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
		return nil
	}
	h, err := notification.NewHandler(sim.Client(fast), process,
		notification.WithAllowedSources(sim.NotificationSource())) // the one line, for tests only
	require.NoError(t, err)
	shop := httptest.NewServer(h)
	t.Cleanup(shop.Close)
	sim.Start(yookassatest.WithWebhook(shop.URL + "/yookassa/notifications"))

	c := sim.Client(fast)
	p := create(t, c, sberLoan("5000.00", true))
	require.NoError(t, sim.Confirm(p.ID, "installments_12"))
	waitNotifications(t, sim)

	require.Len(t, sim.Deliveries(), 1)
	assert.True(t, sim.Deliveries()[0].Delivered)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 1)
	assert.Equal(t, yookassa.EventPaymentSucceeded, got[0].Event)
	require.NotNil(t, got[0].Payment, "re-read through the client")
	assert.Equal(t, "4500.00", got[0].Payment.Amount.Value.StringFixed(2))
	assert.Equal(t, yookassa.PaymentStatusSucceeded, got[0].Payment.Status)
}

// Without the line the handler keeps its production default, refuses the
// simulator's loopback address and, with a logger, says why at warn level.
func TestTheHandlerSaysWhyItRefuses(t *testing.T) {
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sim := yookassatest.NewUnstartedServer(yookassatest.WithNotificationRetry(1, 0))
	t.Cleanup(sim.Close)
	h, err := notification.NewHandler(sim.Client(fast), func(context.Context, *notification.Event) error { return nil },
		notification.WithLogger(logger))
	require.NoError(t, err)
	shop := httptest.NewServer(h)
	t.Cleanup(shop.Close)
	sim.Start(yookassatest.WithWebhook(shop.URL))

	p := create(t, sim.Client(fast), sberLoan("5000.00", true))
	require.NoError(t, sim.Confirm(p.ID, "loan"))
	waitNotifications(t, sim)
	require.Len(t, sim.Deliveries(), 1)
	assert.False(t, sim.Deliveries()[0].Delivered)
	assert.Equal(t, 403, sim.Deliveries()[0].Status)
	log := logs.String()
	assert.Contains(t, log, "level=WARN")
	assert.Contains(t, log, "status=403")
	assert.Contains(t, log, "source=127.0.0.1")
	assert.Contains(t, log, "source is not an allowed address")

	// The prefix names exactly the simulator's source.
	assert.Equal(t, netip.MustParsePrefix("127.0.0.1/32"), sim.NotificationSource())
}

// A notification the handler cannot take yet (the payment is still pending
// when it re-reads it) is refused with 503, and the log says why at warn
// level too.
func TestEveryRefusalIsLoggedAtWarn(t *testing.T) {
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	sim, c := newSim(t)
	h, err := notification.NewHandler(c, func(context.Context, *notification.Event) error { return nil },
		notification.WithAllowedSources(sim.NotificationSource()), notification.WithLogger(logger))
	require.NoError(t, err)
	shop := httptest.NewServer(h)
	t.Cleanup(shop.Close)
	p := create(t, c, sberLoan("5000.00", true))

	body := `{"type":"notification","event":"payment.succeeded","object":{"id":"` + p.ID + `","status":"succeeded",` +
		`"amount":{"value":"5000.00","currency":"RUB"},"created_at":"2026-01-01T00:00:00.000Z","paid":true,"refundable":true,"test":true}}`
	resp, err := shop.Client().Post(shop.URL, "application/json", bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 503, resp.StatusCode)
	assert.Contains(t, logs.String(), "level=WARN")
	assert.Contains(t, logs.String(), "status=503")
}
