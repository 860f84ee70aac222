package notification

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/creditpay/yookassa-go/yookassa"
)

// MaxBodySize is the largest body Parse accepts and the default body limit
// of Handler: 1 MiB. A real notification is a few kilobytes.
const MaxBodySize = 1 << 20

// maxEventLen bounds the event names Parse accepts, such as
// "payment.waiting_for_capture". Object ids follow yookassa.ValidObjectID.
const maxEventLen = 128

// Errors of Parse, matched with errors.Is. The error's message says what is
// wrong.
var (
	// ErrMalformed: the body is not a notification: not JSON, type is not
	// "notification", event or object missing or ill-formed, or a payment or
	// refund object that does not decode or has no id.
	ErrMalformed = errors.New("notification: malformed notification")
	// ErrTooLarge: the body exceeds the size limit (MaxBodySize for Parse).
	ErrTooLarge = errors.New("notification: body too large")
)

// Event is a decoded notification.
type Event struct {
	// Event names what happened: "<object>.<status>", for example
	// yookassa.EventPaymentSucceeded ("payment.succeeded"); KnownEvents
	// lists every event YooKassa sends. An event this package does not know
	// still parses, with only Object set.
	Event yookassa.EventType
	// Payment is set for payment.* events. From Parse it is the delivered
	// copy, which proves nothing; in the Event that Handler passes to its
	// callback it is the payment as re-read from YooKassa (see Verified).
	Payment *yookassa.Payment
	// Refund is set for refund.* events, on the same terms as Payment.
	Refund *yookassa.Refund
	// Payout is set for payout.* events (payout.succeeded,
	// payout.canceled), on the same terms as Payment.
	Payout *yookassa.Payout
	// Deal is set for deal.* events (deal.closed), on the same terms as
	// Payment.
	Deal *yookassa.SafeDeal
	// PaymentMethod is set for payment_method.* events
	// (payment_method.active): the saved payment method, on the same terms
	// as Payment.
	PaymentMethod *yookassa.SavedPaymentMethod
	// Object is always the object exactly as delivered, so that fields this
	// package does not decode, and events added later, still reach the
	// caller.
	Object json.RawMessage
	// Verified is true when Handler re-read the object through the API: the
	// typed field (Payment, Refund, ...) is then YooKassa's own copy and its
	// status is the one the event announces. It is false from Parse, and for
	// events the handler was told not to re-read (WithoutRefetch,
	// WithoutRefetchFor), whose typed field is the delivered copy.
	Verified bool

	// id is the object's id as Parse checked it ("": look in Object).
	id string
}

// LogValue logs the event without personal data: its name, the object's
// id, whether it was re-read, and the typed object's own log form (see
// yookassa.Payment.LogValue). The delivered JSON in Object is left out.
func (e Event) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("event", string(e.Event)), slog.String("object_id", e.ObjectID()),
		slog.Bool("verified", e.Verified)}
	switch {
	case e.Payment != nil:
		attrs = append(attrs, slog.Any("payment", e.Payment.LogValue()))
	case e.Payout != nil:
		attrs = append(attrs, slog.Any("payout", e.Payout.LogValue()))
	case e.Refund != nil:
		attrs = append(attrs, slog.String("refund_status", string(e.Refund.Status)))
	case e.Deal != nil:
		attrs = append(attrs, slog.String("deal_status", string(e.Deal.Status)))
	case e.PaymentMethod != nil:
		attrs = append(attrs, slog.String("payment_method_status", string(e.PaymentMethod.Status)))
	}
	return slog.GroupValue(attrs...)
}

// Format prints the event as its log form, for every verb: Object, the
// JSON as delivered, may hold the buyer's contacts.
func (e Event) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "notification.Event%v", e.LogValue())
}

// KnownEvents returns every event YooKassa sends notifications about, in
// the order of its documentation. Handler re-reads the object of each of
// them through the API before calling its callback.
func KnownEvents() []yookassa.EventType {
	return []yookassa.EventType{
		yookassa.EventPaymentWaitingForCapture,
		yookassa.EventPaymentSucceeded,
		yookassa.EventPaymentCanceled,
		yookassa.EventRefundSucceeded,
		yookassa.EventPayoutSucceeded,
		yookassa.EventPayoutCanceled,
		yookassa.EventDealClosed,
		yookassa.EventPaymentMethodActive,
	}
}

// Kind returns the object part of the event name: "payment" for
// "payment.succeeded", "payment_method" for "payment_method.active".
func (e *Event) Kind() string {
	kind, _, _ := strings.Cut(string(e.Event), ".")
	return kind
}

// Status returns the status part of the event name: "succeeded" for
// "payment.succeeded".
func (e *Event) Status() string {
	_, status, _ := strings.Cut(string(e.Event), ".")
	return status
}

// ObjectID returns the identifier of the event's object: the "id" field
// of Object ("" if it has none that is a valid identifier). For the typed
// events it is the id of the typed object, which Parse checked.
func (e *Event) ObjectID() string {
	if e.id != "" {
		return e.id
	}
	var v struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(e.Object, &v) != nil || !yookassa.ValidObjectID(v.ID) {
		return ""
	}
	return v.ID
}

// Key identifies a delivery for de-duplication: "<event>:<object id>", for
// example "payment.succeeded:22c5d0f0-000f-5000-8000-13ece77bc6c1". A
// re-delivery of the same notification has the same key, and an object
// reaches a given status only once, so a second delivery with a key that was
// already processed needs no action. An object without a usable id is keyed
// by the SHA-256 of its raw JSON instead.
func (e *Event) Key() string {
	if id := e.ObjectID(); id != "" {
		return string(e.Event) + ":" + id
	}
	sum := sha256.Sum256(e.Object)
	return string(e.Event) + ":sha256:" + hex.EncodeToString(sum[:])
}

// Parse decodes a notification body:
//
//	{"type":"notification","event":"payment.succeeded","object":{...}}
//
// type must be "notification"; event must be a name of the form
// "<object>.<status>" (lower-case letters, digits, underscores and dots, up
// to 128 bytes); object must be a JSON object. The object of a known kind
// is decoded into its field (payment.* into Event.Payment, refund.* into
// Event.Refund, payout.* into Event.Payout, deal.* into Event.Deal,
// payment_method.* into Event.PaymentMethod) and must then have an id (1-64
// characters of [0-9A-Za-z_-]); other events keep only the raw Object.
// Unknown fields are ignored.
//
// Bodies over MaxBodySize (1 MiB) are refused with ErrTooLarge; every other
// refusal matches ErrMalformed. Parse never panics.
//
// Parse checks the shape of a body only. Anyone can send such a body; use
// Handler, or re-read the object through the API, before acting on it.
func Parse(body []byte) (*Event, error) {
	return parse(body, MaxBodySize)
}

// envelope is the outer object of a notification.
type envelope struct {
	Type   string          `json:"type"`
	Event  string          `json:"event"`
	Object json.RawMessage `json:"object"`
}

func parse(body []byte, limit int64) (*Event, error) {
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(body), limit)
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, malformed("not a JSON notification object: %v", err)
	}
	if env.Type == "" {
		return nil, malformed("type is missing")
	}
	if env.Type != "notification" {
		return nil, malformed("type is %.40q, want \"notification\"", env.Type)
	}
	if env.Event == "" {
		return nil, malformed("event is missing")
	}
	if !validEventName(env.Event) {
		return nil, malformed("event %.40q is not of the form <object>.<status>", env.Event)
	}
	if len(env.Object) == 0 || string(env.Object) == "null" {
		return nil, malformed("object is missing")
	}
	if env.Object[0] != '{' {
		return nil, malformed("object is not a JSON object")
	}
	ev := &Event{Event: yookassa.EventType(env.Event), Object: env.Object}
	if k := kinds[ev.Kind()]; k != nil {
		id, err := k.decode(env.Object, ev)
		if err == nil {
			err = checkID(id)
		}
		if err != nil {
			return nil, malformed("%s object: %v", ev.Kind(), err)
		}
		ev.id = id
	}
	return ev, nil
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// validEventName reports whether s looks like "<object>.<status>": lower-case
// ASCII letters, digits and underscores in non-empty parts separated by
// single dots, at least one dot.
func validEventName(s string) bool {
	if len(s) > maxEventLen {
		return false
	}
	dots := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_':
		case c == '.':
			if i == 0 || i == len(s)-1 || s[i-1] == '.' {
				return false
			}
			dots++
		default:
			return false
		}
	}
	return dots > 0
}

func checkID(id string) error {
	switch {
	case id == "":
		return errors.New("id is missing")
	case !yookassa.ValidObjectID(id):
		return fmt.Errorf("id %.70q is not an object identifier", id)
	}
	return nil
}
