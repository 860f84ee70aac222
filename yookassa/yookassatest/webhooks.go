package yookassatest

import (
	"slices"
	"strings"

	"github.com/creditpay/yookassa-go/yookassa"
)

// webhookEndpoints is the API of /webhooks (OAuth only).
var webhookEndpoints = []endpoint{
	{"POST /v3/webhooks", (*Server).createWebhook},
	{"GET /v3/webhooks", (*Server).listWebhooks},
	{"DELETE /v3/webhooks/{id}", (*Server).deleteWebhook},
}

func (s *Server) createWebhook(req *apiRequest) answer {
	var in yookassa.WebhookRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	for _, w := range s.webhooks {
		if w.Event == in.Event {
			return invalid("event", "A webhook for %s already exists; delete it first", in.Event)
		}
	}
	w := yookassa.Webhook{ID: "wh-" + newID(), Event: in.Event, URL: in.URL}
	s.webhooks[w.ID] = w
	return ok(w)
}

func (s *Server) listWebhooks(*apiRequest) answer {
	out := yookassa.WebhookList{Type: "list", Items: []yookassa.Webhook{}}
	for _, w := range s.webhooks {
		out.Items = append(out.Items, w)
	}
	sortWebhooks(out.Items)
	return ok(out)
}

func (s *Server) deleteWebhook(req *apiRequest) answer {
	id := req.r.PathValue("id")
	if _, found := s.webhooks[id]; !found {
		return notFound("webhook_id", "Webhook")
	}
	delete(s.webhooks, id)
	return ok(struct{}{})
}

func sortWebhooks(ws []yookassa.Webhook) {
	slices.SortFunc(ws, func(a, b yookassa.Webhook) int { return strings.Compare(a.ID, b.ID) })
}
