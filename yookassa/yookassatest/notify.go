package yookassatest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/creditpay/yookassa-go/yookassa"
)

// Delivery is the record of one notification sent to one URL.
type Delivery struct {
	// Event is the event, for example "payment.succeeded".
	Event string
	// ObjectID is the payment or refund the event is about.
	ObjectID string
	// URL is where it was sent.
	URL string
	// Attempts is how many times it was sent.
	Attempts int
	// Status is the HTTP status of the last attempt (0: no answer).
	Status int
	// Delivered is true once the receiver answered 200.
	Delivered bool
	// Err is the last transport error, if any.
	Err string
	// Tries is every attempt, oldest first.
	Tries []Attempt
	// Notification is the body sent: {"type":"notification","event":...,
	// "object":...}.
	Notification json.RawMessage

	finished bool // no more attempts will be made
}

// Attempt is one try to deliver a notification.
type Attempt struct {
	// At is when it was sent (the wall clock: deliveries happen in real
	// time, whatever Advance did to the simulator's clock).
	At time.Time
	// Status is the receiver's HTTP status (0: no answer).
	Status int
	// Err is the transport error, if any.
	Err string
}

// event is a notification waiting to be sent.
type event struct {
	name     yookassa.EventType
	objectID string
	body     []byte
	urls     []string
}

// emitPayment queues a payment notification. Called with s.mu held.
func (s *Server) emitPayment(name yookassa.EventType, p *payment) {
	s.paymentMoved(p)
	s.emit(name, p.p.ID, p.view())
}

// emit queues a notification with a snapshot of the object for the
// configured URL and the webhooks registered for the event. Called with s.mu
// held; flushOutbox sends it once the lock is released.
func (s *Server) emit(name yookassa.EventType, id string, object any) {
	urls := slices.Clone(s.notify.urls)
	hooks := make([]yookassa.Webhook, 0, len(s.webhooks))
	for _, w := range s.webhooks {
		hooks = append(hooks, w)
	}
	sortWebhooks(hooks)
	for _, w := range hooks {
		if w.Event == name && !slices.Contains(urls, w.URL) {
			urls = append(urls, w.URL)
		}
	}
	if len(urls) == 0 {
		return
	}
	body := marshal(map[string]any{"type": "notification", "event": name, "object": object})
	s.outbox = append(s.outbox, event{name: name, objectID: id, body: body, urls: urls})
}

// flushOutbox hands the queued notifications to the notifier.
func (s *Server) flushOutbox() {
	s.mu.Lock()
	out := s.outbox
	s.outbox = nil
	s.mu.Unlock()
	for _, ev := range out {
		for _, u := range ev.urls {
			s.notify.deliver(ev, u)
		}
	}
}

// NotificationSource is the address notifications come from (see
// WithNotificationSource), as the one-address prefix a notification
// handler allows. It makes the module's handler accept the simulator's
// notifications with one line of test configuration, leaving its
// production default (YooKassa's networks only) as it is:
//
//	h := notification.Handler(sim.Client(), process,
//		notification.WithAllowedSources(sim.NotificationSource())) // tests only
//
// With a source outside loopback (sent in X-Forwarded-For), the handler
// must also trust loopback as its proxy (notification.WithTrustedProxies).
func (s *Server) NotificationSource() netip.Prefix {
	return netip.PrefixFrom(s.notify.source, s.notify.source.BitLen())
}

// Deliveries returns the record of every finished notification delivery,
// in the order they finished.
func (s *Server) Deliveries() []Delivery {
	s.notify.mu.Lock()
	defer s.notify.mu.Unlock()
	out := make([]Delivery, len(s.notify.log))
	for i := range s.notify.log {
		out[i] = s.notify.log[i].clone()
	}
	return out
}

// notifications is every delivery, finished or not, in the order they
// began.
func (s *Server) notifications() []Delivery {
	s.notify.mu.Lock()
	defer s.notify.mu.Unlock()
	out := make([]Delivery, len(s.notify.all))
	for i, d := range s.notify.all {
		out[i] = d.clone()
	}
	return out
}

func (d *Delivery) clone() Delivery {
	c := *d
	c.Tries = slices.Clone(d.Tries)
	return c
}

// WaitNotifications waits until no notification is being delivered (or ctx
// ends).
func (s *Server) WaitNotifications(ctx context.Context) error {
	for {
		s.notify.mu.Lock()
		if s.notify.inflight == 0 {
			s.notify.mu.Unlock()
			return nil
		}
		idle := s.notify.idle
		s.notify.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// notifier delivers notifications in the background.
type notifier struct {
	urls     []string // WithWebhook
	logger   *slog.Logger
	source   netip.Addr
	attempts int
	delay    time.Duration

	client *http.Client
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	inflight int
	idle     chan struct{} // closed when inflight drops to 0
	closed   bool
	log      []Delivery  // finished deliveries, in the order they finished
	all      []*Delivery // every delivery, finished or not, in the order they began
}

func newNotifier() notifier {
	return notifier{attempts: 5, delay: 50 * time.Millisecond, source: netip.MustParseAddr("127.0.0.1")}
}

func (n *notifier) start() {
	n.ctx, n.cancel = context.WithCancel(context.Background())
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if n.source.IsLoopback() {
		dialer.LocalAddr = &net.TCPAddr{IP: n.source.AsSlice()}
	}
	n.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dialer.DialContext}}
	n.idle = make(chan struct{})
	close(n.idle)
}

func (n *notifier) deliver(ev event, url string) {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return
	}
	if n.inflight == 0 {
		n.idle = make(chan struct{})
	}
	n.inflight++
	d := &Delivery{Event: string(ev.name), ObjectID: ev.objectID, URL: url, Notification: ev.body}
	n.all = append(n.all, d)
	n.mu.Unlock()
	go n.run(d, ev.body, url)
}

// run delivers one notification until the receiver answers 200 or the
// attempts run out, keeping d up to date under n.mu.
func (n *notifier) run(d *Delivery, body []byte, url string) {
	wait := n.delay
	for attempt := 1; attempt <= n.attempts && n.ctx.Err() == nil; attempt++ {
		at := time.Now()
		status, err := n.post(body, url)
		n.mu.Lock()
		d.Attempts, d.Status, d.Err = attempt, status, err
		d.Tries = append(d.Tries, Attempt{At: at, Status: status, Err: err})
		d.Delivered = status == http.StatusOK
		n.mu.Unlock()
		n.logAttempt(d, attempt, status, err)
		if d.Delivered {
			break
		}
		if attempt < n.attempts {
			select {
			case <-time.After(wait):
			case <-n.ctx.Done():
			}
			wait *= 2
		}
	}
	n.mu.Lock()
	d.finished = true
	n.log = append(n.log, d.clone())
	n.inflight--
	if n.inflight == 0 {
		close(n.idle)
	}
	n.mu.Unlock()
}

// logAttempt logs one delivery attempt (WithRequestLog).
func (n *notifier) logAttempt(d *Delivery, attempt, status int, err string) {
	if n.logger == nil {
		return
	}
	level := slog.LevelInfo
	if status != http.StatusOK {
		level = slog.LevelWarn
	}
	target := d.URL
	if u, err := url.Parse(d.URL); err == nil {
		target = u.Redacted() // a password in the URL stays out of the log
	}
	attrs := []slog.Attr{slog.String("event", d.Event), slog.String("object_id", d.ObjectID), slog.String("url", target),
		slog.Int("attempt", attempt), slog.Int("status", status)}
	if err != "" {
		attrs = append(attrs, slog.String("error", err))
	}
	n.logger.LogAttrs(context.Background(), level, "notification", attrs...)
}

func (n *notifier) post(body []byte, url string) (int, string) {
	req, err := http.NewRequestWithContext(n.ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "yookassatest notifier")
	if !n.source.IsLoopback() {
		req.Header.Set("X-Forwarded-For", n.source.String())
	}
	resp, err := n.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	return resp.StatusCode, ""
}

// forget drops the record of deliveries (Reset); those still running
// finish unrecorded in the list of all deliveries.
func (n *notifier) forget() {
	n.mu.Lock()
	n.log, n.all = nil, nil
	n.mu.Unlock()
}

func (n *notifier) stop() {
	n.mu.Lock()
	n.closed = true
	n.mu.Unlock()
	n.cancel()
	for {
		n.mu.Lock()
		idle := n.idle
		n.mu.Unlock()
		<-idle
		n.mu.Lock()
		done := n.inflight == 0
		n.mu.Unlock()
		if done {
			break
		}
	}
	n.client.CloseIdleConnections()
}
