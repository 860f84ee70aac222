package notification

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/internal/leaktest"
	"github.com/creditpay/yookassa-go/yookassa"
)

const (
	paymentID = "22c5d0f0-000f-5000-8000-13ece77bc6c1"
	payoutID  = "po-285c0ab7-0003-5000-9000-0e1166498fda"
	dealID    = "dl-2e3f4b7a-0021-5000-8000-1c2d3e4f5a6b"
	methodID  = "2e3f1a7c-000f-5000-9000-1d5b8e2c4f61"
)

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(tb, err)
	return data
}

func TestParsePaymentSucceeded(t *testing.T) {
	body := readTestdata(t, "payment_succeeded.json")
	ev, err := Parse(body)
	require.NoError(t, err)

	assert.Equal(t, yookassa.EventPaymentSucceeded, ev.Event)
	assert.Equal(t, "payment", ev.Kind())
	assert.Equal(t, "succeeded", ev.Status())
	require.NotNil(t, ev.Payment)
	assert.Nil(t, ev.Refund)
	p := ev.Payment
	assert.Equal(t, paymentID, p.ID)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.True(t, p.Amount.Equal(yookassa.RUB(decimal.RequireFromString("5000.00"))), p.Amount.String())
	require.NotNil(t, p.PaymentMethod)
	assert.Equal(t, yookassa.PaymentMethodSberLoan, p.PaymentMethod.Type)
	assert.Equal(t, yookassa.LoanOptionLoan, p.PaymentMethod.LoanOption)
	assert.Equal(t, map[string]string{"order_id": "37"}, p.Metadata)

	var raw map[string]any
	require.NoError(t, json.Unmarshal(ev.Object, &raw))
	assert.Equal(t, paymentID, raw["id"])
	assert.Equal(t, paymentID, ev.ObjectID())
	assert.Equal(t, "payment.succeeded:"+paymentID, ev.Key())

	// The event owns its bytes: changing the input afterwards does not
	// change Object.
	before := string(ev.Object)
	for i := range body {
		body[i] = ' '
	}
	assert.Equal(t, before, string(ev.Object))
}

func TestParseEvents(t *testing.T) {
	tests := []struct {
		file     string
		event    yookassa.EventType
		objectID string
		// status is the status of the typed object.
		status string
	}{
		{"payment_succeeded.json", yookassa.EventPaymentSucceeded, paymentID, "succeeded"},
		{"payment_waiting_for_capture.json", yookassa.EventPaymentWaitingForCapture, paymentID, "waiting_for_capture"},
		{"payment_canceled.json", yookassa.EventPaymentCanceled, paymentID, "canceled"},
		{"refund_succeeded.json", yookassa.EventRefundSucceeded, refundID, "succeeded"},
		{"payout_succeeded.json", yookassa.EventPayoutSucceeded, payoutID, "succeeded"},
		{"payout_canceled.json", yookassa.EventPayoutCanceled, "po-285ec15d-0003-5000-a000-08d1bec7dade", "canceled"},
		{"deal_closed.json", yookassa.EventDealClosed, dealID, "closed"},
		// payment_method.* is not a payment event, although its name
		// starts with "payment".
		{"payment_method_active.json", yookassa.EventPaymentMethodActive, methodID, "active"},
	}
	seen := map[yookassa.EventType]bool{}
	for _, tt := range tests {
		seen[tt.event] = true
		t.Run(tt.file, func(t *testing.T) {
			ev, err := Parse(readTestdata(t, tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.event, ev.Event)
			assert.False(t, ev.Verified, "Parse proves nothing")
			id, typed := typedObject(ev)
			assert.Equal(t, 1, typed, "one typed object")
			assert.Equal(t, tt.objectID, id)
			var status string
			switch {
			case ev.Payment != nil:
				status = string(ev.Payment.Status)
			case ev.Refund != nil:
				status = string(ev.Refund.Status)
				assert.Equal(t, paymentID, ev.Refund.PaymentID)
			case ev.Payout != nil:
				status = string(ev.Payout.Status)
				assert.True(t, ev.Payout.Amount.Value.IsPositive(), "the amount decodes")
			case ev.Deal != nil:
				status = string(ev.Deal.Status)
				assert.Equal(t, yookassa.FeeMomentDealClosed, ev.Deal.FeeMoment)
			case ev.PaymentMethod != nil:
				status = string(ev.PaymentMethod.Status)
				assert.True(t, ev.PaymentMethod.Usable())
			}
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.objectID, ev.ObjectID())
			assert.Equal(t, string(tt.event)+":"+tt.objectID, ev.Key())
			assert.True(t, json.Valid(ev.Object))
		})
	}
	for _, e := range KnownEvents() {
		assert.True(t, seen[e], "a fixture for %s", e)
	}
	assert.Len(t, KnownEvents(), len(seen))
}

func TestParseRefusesMalformed(t *testing.T) {
	payment := `{"id":"` + paymentID + `","status":"succeeded","amount":{"value":"5000.00","currency":"RUB"},"created_at":"2021-06-22T21:43:44.794Z","paid":true}`
	tests := []struct {
		name, body, want string
	}{
		{"empty", ``, "not a JSON notification object"},
		{"not JSON", `payment.succeeded`, "not a JSON notification object"},
		{"array", `[]`, "not a JSON notification object"},
		{"null", `null`, "type is missing"},
		{"truncated", `{"type":"notification","event":"payment.succeeded","object":{"id":"x"`, "not a JSON notification object"},
		{"trailing garbage", `{"type":"notification","event":"payment.succeeded","object":` + payment + `} {}`, "not a JSON notification object"},
		{"no type", `{"event":"payment.succeeded","object":` + payment + `}`, "type is missing"},
		{"wrong type", `{"type":"payment","event":"payment.succeeded","object":` + payment + `}`, `type is "payment", want "notification"`},
		{"type not a string", `{"type":1,"event":"payment.succeeded","object":` + payment + `}`, "not a JSON notification object"},
		{"no event", `{"type":"notification","object":` + payment + `}`, "event is missing"},
		{"event without dot", `{"type":"notification","event":"succeeded","object":` + payment + `}`, "not of the form"},
		{"event with upper case", `{"type":"notification","event":"Payment.Succeeded","object":` + payment + `}`, "not of the form"},
		{"event with empty part", `{"type":"notification","event":"payment.","object":` + payment + `}`, "not of the form"},
		{"event with control character", `{"type":"notification","event":"payment.succeeded\n","object":` + payment + `}`, "not of the form"},
		{"event too long", `{"type":"notification","event":"payment.` + strings.Repeat("s", 130) + `","object":` + payment + `}`, "not of the form"},
		{"no object", `{"type":"notification","event":"payment.succeeded"}`, "object is missing"},
		{"null object", `{"type":"notification","event":"payment.succeeded","object":null}`, "object is missing"},
		{"object is a string", `{"type":"notification","event":"deal.closed","object":"dl-1"}`, "object is not a JSON object"},
		{"object is an array", `{"type":"notification","event":"payout.succeeded","object":[]}`, "object is not a JSON object"},
		{"payment without id", `{"type":"notification","event":"payment.succeeded","object":{"status":"succeeded"}}`, "payment object: id is missing"},
		{"payment with path in id", `{"type":"notification","event":"payment.succeeded","object":{"id":"../refunds/1"}}`, "payment object: id"},
		{"payment id too long", `{"type":"notification","event":"payment.succeeded","object":{"id":"` + strings.Repeat("a", 65) + `"}}`, "is not an object identifier"},
		{"payment does not decode", `{"type":"notification","event":"payment.succeeded","object":{"id":"p1","amount":{"value":"lots","currency":"RUB"}}}`, "payment object:"},
		{"payment with bad time", `{"type":"notification","event":"payment.canceled","object":{"id":"p1","created_at":"yesterday"}}`, "payment object:"},
		{"refund without id", `{"type":"notification","event":"refund.succeeded","object":{"status":"succeeded","payment_id":"p1"}}`, "refund object: id is missing"},
		{"refund id not a string", `{"type":"notification","event":"refund.succeeded","object":{"id":7}}`, "refund object:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := Parse([]byte(tt.body))
			require.Error(t, err)
			assert.Nil(t, ev)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.NotErrorIs(t, err, ErrTooLarge)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "notification: malformed notification: "), err.Error())
		})
	}
}

func TestParseLenient(t *testing.T) {
	// Unknown fields, an unknown payment method and unknown statuses still
	// decode; only the shape of the envelope is strict.
	body := `{"type":"notification","event":"payment.succeeded","extra":{"a":1},"object":{"id":"p-1","status":"frozen","paid":true,` +
		`"amount":{"value":"10.00","currency":"RUB"},"payment_method":{"type":"crypto_coins","id":"m1","saved":false},"future_field":[1,2]}}`
	ev, err := Parse([]byte(body))
	require.NoError(t, err)
	require.NotNil(t, ev.Payment)
	assert.Equal(t, yookassa.PaymentStatus("frozen"), ev.Payment.Status)
	assert.Equal(t, yookassa.PaymentMethodType("crypto_coins"), ev.Payment.PaymentMethod.Type)

	// A future event of a known object is still typed.
	ev, err = Parse([]byte(`{"type":"notification","event":"refund.canceled","object":{"id":"r-1","status":"canceled"}}`))
	require.NoError(t, err)
	require.NotNil(t, ev.Refund)
	assert.Equal(t, yookassa.RefundStatusCanceled, ev.Refund.Status)

	// An unknown object without an id is accepted and keyed by its hash.
	ev, err = Parse([]byte(`{"type":"notification","event":"invoice.paid","object":{"total":"1.00"}}`))
	require.NoError(t, err)
	assert.Empty(t, ev.ObjectID())
	assert.Regexp(t, `^invoice\.paid:sha256:[0-9a-f]{64}$`, ev.Key())
	ev2, err := Parse([]byte(`{"type":"notification","event":"invoice.paid","object":{"total":"2.00"}}`))
	require.NoError(t, err)
	assert.NotEqual(t, ev.Key(), ev2.Key())
}

func TestParseSizeLimit(t *testing.T) {
	obj := `{"id":"dl-1","pad":"`
	tail := `"}`
	head := `{"type":"notification","event":"deal.closed","object":`
	fill := MaxBodySize - len(head) - len(obj) - len(tail) - 1
	body := head + obj + strings.Repeat("x", fill) + tail + "}"
	require.Len(t, body, MaxBodySize)
	_, err := Parse([]byte(body))
	require.NoError(t, err, "a body of exactly MaxBodySize is accepted")

	body = head + obj + strings.Repeat("x", fill+1) + tail + "}"
	_, err = Parse([]byte(body))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.NotErrorIs(t, err, ErrMalformed)
	assert.Contains(t, err.Error(), "the limit is 1048576")
}

// FuzzParse checks that Parse never panics and that whatever it accepts is
// consistent: the typed object matches the event's kind and carries the id of
// the raw object.
func FuzzParse(f *testing.F) {
	for _, name := range []string{
		"payment_succeeded.json", "payment_waiting_for_capture.json", "payment_canceled.json",
		"refund_succeeded.json", "payout_succeeded.json", "payment_method_active.json", "deal_closed.json",
	} {
		f.Add(readTestdata(f, name))
	}
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"type":"notification"}`,
		`{"type":"notification","event":"payment.succeeded","object":{"id":"a"}}`,
		`{"type":"notification","event":"payment_method.active","object":{"id":"a"}}`,
		`{"type":"notification","event":"refund.succeeded","object":{"id":"r","amount":{"value":1e400,"currency":"RUB"}}}`,
		`{"type":"notification","event":"payment.succeeded","Event":"refund.succeeded","object":{"id":"a"}}`,
		`{"type":"notification","event":"payment.succeeded","object":{"id":"a","id":"b"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := Parse(body)
		if err != nil {
			if ev != nil {
				t.Fatalf("Parse returned an event with error %v", err)
			}
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v matches neither ErrMalformed nor ErrTooLarge", err)
			}
			return
		}
		if !validEventName(string(ev.Event)) {
			t.Fatalf("accepted event name %q", ev.Event)
		}
		if !json.Valid(ev.Object) || !bytes.HasPrefix(ev.Object, []byte("{")) {
			t.Fatalf("Object is not a JSON object: %q", ev.Object)
		}
		var raw struct {
			ID string `json:"id"`
		}
		rawErr := json.Unmarshal(ev.Object, &raw)
		id, typed := typedObject(ev)
		if _, known := kinds[ev.Kind()]; !known {
			if typed != 0 {
				t.Fatalf("%s: typed object set for an event of an unknown object", ev.Event)
			}
		} else if typed != 1 || rawErr != nil || id != raw.ID || !yookassa.ValidObjectID(raw.ID) {
			t.Fatalf("%s: %d typed objects, id %q, raw id %q (%v)", ev.Event, typed, id, raw.ID, rawErr)
		}
		if key := ev.Key(); !strings.HasPrefix(key, string(ev.Event)+":") || len(key) <= len(ev.Event)+1 {
			t.Fatalf("key %q of event %q", key, ev.Event)
		}
	})
}

// typedObject returns the id of the typed object of ev and how many typed
// fields are set.
func typedObject(ev *Event) (id string, n int) {
	if ev.Payment != nil {
		id, n = ev.Payment.ID, n+1
	}
	if ev.Refund != nil {
		id, n = ev.Refund.ID, n+1
	}
	if ev.Payout != nil {
		id, n = ev.Payout.ID, n+1
	}
	if ev.Deal != nil {
		id, n = ev.Deal.ID, n+1
	}
	if ev.PaymentMethod != nil {
		id, n = ev.PaymentMethod.ID, n+1
	}
	return id, n
}

// BenchmarkParse parses a payment.succeeded notification.
func BenchmarkParse(b *testing.B) {
	body := readTestdata(b, "payment_succeeded.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		ev, err := Parse(body)
		if err != nil || ev.Payment == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBaseline decodes the same body with a single json.Unmarshal
// into a struct holding a yookassa.Payment, without any checks, so that the
// overhead of Parse is visible next to it.
func BenchmarkParseBaseline(b *testing.B) {
	body := readTestdata(b, "payment_succeeded.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var v struct {
			Type   string           `json:"type"`
			Event  string           `json:"event"`
			Object yookassa.Payment `json:"object"`
		}
		if err := json.Unmarshal(body, &v); err != nil || v.Object.ID == "" {
			b.Fatal(err)
		}
	}
}

// An event carries the payment as delivered, in Object, and as re-read:
// neither the buyer's contacts in it nor its raw JSON may show in a print
// or a log line.
func TestEventPrintsNoPersonalData(t *testing.T) {
	const phone, customer = "79001234567", "buyer@example.com"
	object := `{"id":"` + paymentID + `","status":"succeeded","paid":true,"amount":{"value":"5000.00","currency":"RUB"},` +
		`"payment_method":{"type":"sberbank","id":"` + paymentID + `","saved":false,"phone":"` + phone + `"},` +
		`"merchant_customer_id":"` + customer + `","created_at":"2026-12-01T10:00:00.000Z","test":true}`
	var p yookassa.Payment
	require.NoError(t, json.Unmarshal([]byte(object), &p))
	e := Event{Event: yookassa.EventPaymentSucceeded, Payment: &p, Object: json.RawMessage(object), Verified: true}
	assert.Empty(t, leaktest.Leaks([]string{phone, customer}, e, &e))
	text := leaktest.Prints(e)["slog json"]
	assert.Contains(t, text, paymentID, "the log says which object the event is about")
	assert.Contains(t, text, "payment.succeeded")
}
