package notification

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/creditpay/yookassa-go/yookassa"
)

// kind is one kind of object that notifications carry ("payment",
// "refund", ...): how Parse decodes the delivered copy, how Handler re-reads
// it and in which order its statuses follow each other.
type kind struct {
	// decode decodes a delivered object into its field of ev and returns
	// the object's id.
	decode func(raw []byte, ev *Event) (string, error)
	// fetch re-reads object id through c into its field of out and returns
	// the id and the status YooKassa answered.
	fetch func(ctx context.Context, c *yookassa.Client, id string, opts []yookassa.CallOption, out *Event) (gotID, status string, err error)
	// stage orders the statuses (the Stage method of the object's status
	// type): an object whose status has a lower stage can still move on to
	// one with a higher stage; 0 is a status the module does not know.
	stage func(status string) int
}

// objectKind builds the kind whose objects are *T, kept in the field of
// Event that field points to, read with get.
func objectKind[T any](field func(*Event) **T, id, status func(*T) string,
	get func(*yookassa.Client, context.Context, string, []yookassa.CallOption) (*T, error), stage func(string) int) *kind {
	return &kind{
		decode: func(raw []byte, ev *Event) (string, error) {
			v := new(T)
			if err := json.Unmarshal(raw, v); err != nil {
				return "", err
			}
			*field(ev) = v
			return id(v), nil
		},
		fetch: func(ctx context.Context, c *yookassa.Client, objectID string, opts []yookassa.CallOption, out *Event) (string, string, error) {
			v, err := get(c, ctx, objectID, opts)
			if err != nil {
				return "", "", err
			}
			*field(out) = v
			return id(v), status(v), nil
		},
		stage: stage,
	}
}

// kinds are the objects the package decodes and re-reads, by the object
// part of the event name. Statuses are ordered as YooKassa moves them:
// pending -> waiting_for_capture -> succeeded or canceled for payments;
// pending -> succeeded or canceled for refunds and payouts; opened ->
// closed for deals; pending -> active or inactive for saved payment methods.
var kinds = map[string]*kind{
	"payment": objectKind(func(e *Event) **yookassa.Payment { return &e.Payment },
		func(p *yookassa.Payment) string { return p.ID }, func(p *yookassa.Payment) string { return string(p.Status) },
		func(c *yookassa.Client, ctx context.Context, id string, opts []yookassa.CallOption) (*yookassa.Payment, error) {
			return c.GetPayment(ctx, id, opts...)
		}, func(s string) int { return yookassa.PaymentStatus(s).Stage() }),
	"refund": objectKind(func(e *Event) **yookassa.Refund { return &e.Refund },
		func(r *yookassa.Refund) string { return r.ID }, func(r *yookassa.Refund) string { return string(r.Status) },
		func(c *yookassa.Client, ctx context.Context, id string, opts []yookassa.CallOption) (*yookassa.Refund, error) {
			return c.GetRefund(ctx, id, opts...)
		}, func(s string) int { return yookassa.RefundStatus(s).Stage() }),
	"payout": objectKind(func(e *Event) **yookassa.Payout { return &e.Payout },
		func(p *yookassa.Payout) string { return p.ID }, func(p *yookassa.Payout) string { return string(p.Status) },
		func(c *yookassa.Client, ctx context.Context, id string, opts []yookassa.CallOption) (*yookassa.Payout, error) {
			return c.GetPayout(ctx, id, opts...)
		}, func(s string) int { return yookassa.PayoutStatus(s).Stage() }),
	"deal": objectKind(func(e *Event) **yookassa.SafeDeal { return &e.Deal },
		func(d *yookassa.SafeDeal) string { return d.ID }, func(d *yookassa.SafeDeal) string { return string(d.Status) },
		func(c *yookassa.Client, ctx context.Context, id string, opts []yookassa.CallOption) (*yookassa.SafeDeal, error) {
			return c.GetDeal(ctx, id, opts...)
		}, func(s string) int { return yookassa.DealStatus(s).Stage() }),
	"payment_method": objectKind(func(e *Event) **yookassa.SavedPaymentMethod { return &e.PaymentMethod },
		func(m *yookassa.SavedPaymentMethod) string { return m.ID },
		func(m *yookassa.SavedPaymentMethod) string { return string(m.Status) },
		func(c *yookassa.Client, ctx context.Context, id string, opts []yookassa.CallOption) (*yookassa.SavedPaymentMethod, error) {
			return c.GetPaymentMethod(ctx, id, opts...)
		}, func(s string) int { return yookassa.PaymentMethodStatus(s).Stage() }),
}

// verify re-reads the object of an event and returns the event to hand the
// callback, or the refusal. Events the handler was told not to re-read pass
// as delivered.
func (h *handler) verify(ctx context.Context, ev *Event) (*Event, *refusal) {
	if !h.refetch || h.unverified[ev.Event] {
		return ev, nil
	}
	k := kinds[ev.Kind()]
	if k == nil {
		return nil, &refusal{status: http.StatusOK, level: slog.LevelWarn,
			body:   fmt.Sprintf("ignored: %.40s cannot be re-read; name it in WithoutRefetchFor to receive it", ev.Event),
			reason: "event of an unknown object: not passed on (WithoutRefetchFor passes it unverified)"}
	}
	client := h.client
	if ev.Kind() == "payout" && h.payoutClient != nil {
		client = h.payoutClient
	}
	id := ev.ObjectID()
	out := &Event{Event: ev.Event, Object: ev.Object, Verified: true, id: id}
	gotID, status, err := k.fetch(ctx, client, id, h.refetchOpts, out)
	if err == nil && gotID != id {
		err = fmt.Errorf("asked for %s %s, got %.70q", ev.Kind(), id, gotID)
	}
	if err != nil {
		var invalidID *yookassa.ValidationError
		if errors.Is(err, yookassa.ErrNotFound) || errors.Is(err, yookassa.ErrGone) || errors.As(err, &invalidID) {
			return nil, &refusal{status: http.StatusUnprocessableEntity, level: slog.LevelWarn,
				body:   "the notified object does not exist at YooKassa",
				reason: "object not found at YooKassa (a forged id, or a notification for another shop)", err: err}
		}
		reason := "re-reading the object failed"
		if errors.Is(err, yookassa.ErrInvalidCredentials) || errors.Is(err, yookassa.ErrForbidden) {
			reason = "re-reading the object failed: check the client's credentials"
			if ev.Kind() == "payout" && h.payoutClient == nil {
				reason += " (payouts are read with the payout gateway's credentials: see WithPayoutClient)"
			}
		}
		return nil, &refusal{status: http.StatusInternalServerError, level: slog.LevelError,
			body: "cannot verify the notification with YooKassa; retry later", reason: reason, err: err}
	}

	want := ev.Status()
	if status == want {
		return out, nil
	}
	wantStage, gotStage := k.stage(want), k.stage(status)
	knownWant, knownGot := wantStage > 0, gotStage > 0
	if knownWant && knownGot && gotStage < wantStage {
		return nil, &refusal{status: http.StatusServiceUnavailable, level: slog.LevelInfo,
			body:   fmt.Sprintf("status at YooKassa is still %.40q, not yet %q; retry later", status, want),
			reason: fmt.Sprintf("status at YooKassa is still %.40q", status)}
	}
	if knownWant && knownGot && gotStage > wantStage {
		// A genuine notification that arrived late: the object has moved on
		// (a hold captured or canceled before its waiting_for_capture was
		// delivered). Its own notification reports the new status; refusing
		// this one would only make YooKassa repeat it for a day.
		return nil, &refusal{status: http.StatusOK, level: slog.LevelInfo,
			body:   fmt.Sprintf("stale: status at YooKassa is already %.40q; nothing to do", status),
			reason: fmt.Sprintf("stale notification: status at YooKassa is already %.40q", status)}
	}
	return nil, &refusal{status: http.StatusConflict, level: slog.LevelWarn,
		body:   fmt.Sprintf("status at YooKassa is %.40q, not %q", status, want),
		reason: fmt.Sprintf("status at YooKassa is %.40q (stale or forged notification)", status)}
}
