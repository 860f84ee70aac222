package yookassa

import (
	"context"
	"fmt"
	"net/url"
)

// EventType names a notification event: "<object>.<status>".
type EventType string

// Notification events. The /webhooks API accepts the payment and refund
// events; the others reach shops configured in the merchant profile.
const (
	EventPaymentWaitingForCapture EventType = "payment.waiting_for_capture"
	EventPaymentSucceeded         EventType = "payment.succeeded"
	EventPaymentCanceled          EventType = "payment.canceled"
	EventRefundSucceeded          EventType = "refund.succeeded"
	EventPayoutSucceeded          EventType = "payout.succeeded"
	EventPayoutCanceled           EventType = "payout.canceled"
	EventDealClosed               EventType = "deal.closed"
	EventPaymentMethodActive      EventType = "payment_method.active"
)

// Webhook is a subscription of an OAuth application to one event.
type Webhook struct {
	// ID is the webhook's identifier ("wh-...").
	ID string `json:"id"`
	// Event is the event YooKassa notifies about.
	Event EventType `json:"event"`
	// URL receives the notifications.
	URL string `json:"url"`
}

// WebhookRequest is the body of POST /webhooks.
type WebhookRequest struct {
	// Event is one of the payment or refund events.
	Event EventType `json:"event"`
	// URL receives the notifications: https, port 443 or 8443.
	URL string `json:"url"`
}

// WebhookList is the answer of GET /webhooks.
type WebhookList struct {
	// Type is "list".
	Type string `json:"type"`
	// Items are the webhooks of this OAuth token.
	Items []Webhook `json:"items"`
}

// CreateWebhook subscribes the OAuth application to an event
// (POST /webhooks). It needs a client made with NewOAuthClient.
func (c *Client) CreateWebhook(ctx context.Context, req *WebhookRequest, opts ...CallOption) (*Webhook, error) {
	if !c.auth.oauth {
		return nil, ErrOAuthRequired
	}
	if req == nil {
		return nil, &ValidationError{Reason: "nil webhook request"}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	out := new(Webhook)
	if err := c.call(ctx, "POST", "/webhooks", nil, req, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListWebhooks returns the OAuth application's webhooks (GET /webhooks).
func (c *Client) ListWebhooks(ctx context.Context, opts ...CallOption) (*WebhookList, error) {
	if !c.auth.oauth {
		return nil, ErrOAuthRequired
	}
	out := new(WebhookList)
	if err := c.call(ctx, "GET", "/webhooks", nil, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteWebhook removes a webhook (DELETE /webhooks/{id}).
func (c *Client) DeleteWebhook(ctx context.Context, id string, opts ...CallOption) error {
	if !c.auth.oauth {
		return ErrOAuthRequired
	}
	path, err := objectPath("/webhooks/", "webhook_id", id)
	if err != nil {
		return err
	}
	return c.call(ctx, "DELETE", path, nil, nil, nil, opts)
}

// Validate checks a webhook request: one of the four events the API serves
// and an https URL.
func (r *WebhookRequest) Validate() error {
	switch r.Event {
	case EventPaymentWaitingForCapture, EventPaymentSucceeded, EventPaymentCanceled, EventRefundSucceeded:
	default:
		return &ValidationError{Field: "event", Reason: fmt.Sprintf("%q cannot be subscribed to through the API", r.Event)}
	}
	u, err := url.Parse(r.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return &ValidationError{Field: "url", Reason: "must be an https URL"}
	}
	return nil
}
