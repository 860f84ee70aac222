package yookassatest

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
)

// payoutEndpoints is the API of /payouts.
var payoutEndpoints = []endpoint{
	{"POST /v3/payouts", (*Server).createPayout},
	{"GET /v3/payouts", (*Server).listPayouts},
	{"GET /v3/payouts/search", (*Server).searchPayouts},
	{"GET /v3/payouts/{id}", (*Server).getPayout},
}

// payoutEntry is a payout and what the simulator decided about it.
type payoutEntry struct {
	seq int
	p   yookassa.Payout
	// owner is the identity that made it: the payout gateway for regular
	// payouts, the shop for the payouts of its Safe deals. Only the owner
	// sees it.
	owner string
	// personal is the personal data the payout uses.
	personal []*personalEntry
	// decline is the reason the payout will be canceled for ("": it will
	// succeed).
	decline yookassa.CancellationReason
}

func (e *payoutEntry) position() int           { return e.seq }
func (e *payoutEntry) object() yookassa.Payout { return e.p }

// payoutTokenCard is the card behind every payout_token (the card synonym
// of YooKassa's payout widget) in the simulator.
var payoutTokenCard = yookassa.PayoutCard{First6: "220220", Last4: "4477", CardType: "Mir", IssuerCountry: "RU", IssuerName: "Sberbank Of Russia"}

// A payout moves pending -> succeeded or canceled (both final). Whether it
// will be canceled, and why, is decided when it is created (createPayout:
// the gateway's balance, the limits, DeclineNextPayout); it settles at once
// or, with WithPayoutDelay, when the simulator's clock reaches the delay
// (settlePayout). Each settlement sends payout.succeeded or
// payout.canceled.

func (s *Server) createPayout(req *apiRequest) answer {
	var in yookassa.PayoutRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	agent := req.id.name == agentIdentity
	switch {
	case in.Deal != nil && agent:
		return apiError(403, yookassa.CodeForbidden, "deal", "Payouts of a Safe deal are made with the platform shop's credentials")
	case in.Deal == nil && !agent:
		return apiError(403, yookassa.CodeForbidden, "", "Payouts are made with the payout gateway's credentials (agent ID and its secret key)")
	}
	dest, a := s.payoutDestination(&in)
	if a != nil {
		return *a
	}
	personal, a := s.payoutPersonalData(&in, dest.Type)
	if a != nil {
		return *a
	}
	if in.Deal != nil {
		if a := s.checkDealPayout(&in); a != nil {
			return *a
		}
	}
	// Validate checked the minimum of the destination the request names; a
	// saved method's is known only here.
	minimum, maximum := yookassa.PayoutLimits(dest.Type, in.Deal != nil)
	if in.Amount.Value.LessThan(minimum) {
		return invalid("amount.value", "The payout is less than the minimum of %s RUB for %s", minimum.StringFixed(2), dest.Type)
	}

	now := s.clock.now()
	s.seq++
	e := &payoutEntry{seq: s.seq, owner: req.id.name, personal: personal, p: yookassa.Payout{
		ID: prefixedID("po-"), Amount: in.Amount, Status: yookassa.PayoutStatusPending, PayoutDestination: dest,
		Description: in.Description, CreatedAt: now, Metadata: in.Metadata, Test: true,
	}}
	if in.Deal != nil {
		e.p.Deal = &yookassa.PayoutDeal{ID: in.Deal.ID}
	}
	switch {
	case in.Amount.Value.GreaterThan(maximum):
		e.decline = yookassa.ReasonOneTimeLimitExceeded
	case agent && in.Amount.Value.GreaterThan(s.payoutAvailable()):
		e.decline = yookassa.ReasonInsufficientFunds
	case len(s.declines) > 0:
		e.decline = s.declines[0]
		s.declines = s.declines[1:]
	}
	s.payouts[e.p.ID] = e
	s.payoutSeq = append(s.payoutSeq, e)
	if s.payoutDelay > 0 {
		s.at(now.Add(s.payoutDelay), func(time.Time) { s.settlePayout(e) })
	} else {
		s.settlePayout(e)
	}
	return ok(e.p)
}

// payoutDestination resolves the destination of a payout request: the
// data as sent (an SBP bank must be listed), the card behind a payout
// token, or the card of an active saved payment method.
func (s *Server) payoutDestination(in *yookassa.PayoutRequest) (yookassa.PayoutDestination, *answer) {
	switch {
	case in.PayoutToken != "":
		card := payoutTokenCard
		return yookassa.PayoutDestination{Type: yookassa.PayoutDestinationBankCard, Card: &card}, nil
	case in.PaymentMethodID != "":
		m := s.methods[in.PaymentMethodID]
		if m == nil || m.m.Status != yookassa.PaymentMethodStatusActive || !m.m.Saved || m.m.Card == nil {
			a := invalid("payment_method_id", "Payment method %s is not an active saved bank card", in.PaymentMethodID)
			return yookassa.PayoutDestination{}, &a
		}
		c := m.m.Card
		return yookassa.PayoutDestination{Type: yookassa.PayoutDestinationBankCard, Card: &yookassa.PayoutCard{
			First6: c.First6, Last4: c.Last4, CardType: c.CardType, IssuerCountry: c.IssuerCountry, IssuerName: c.IssuerName}}, nil
	}
	d := in.PayoutDestinationData
	out := yookassa.PayoutDestination{Type: d.Type}
	switch d.Type {
	case yookassa.PayoutDestinationBankCard:
		n := d.Card.Number
		out.Card = &yookassa.PayoutCard{First6: n[:6], Last4: n[len(n)-4:], CardType: cardType(n), IssuerCountry: "RU"}
	case yookassa.PayoutDestinationYooMoney:
		out.AccountNumber = d.AccountNumber
	case yookassa.PayoutDestinationSBP:
		if !s.sbpBank(d.BankID) {
			a := invalid("payout_destination_data.bank_id", "Bank %s is not a participant of the Faster Payments System; see GET /sbp_banks", d.BankID)
			return yookassa.PayoutDestination{}, &a
		}
		out.Phone, out.BankID = d.Phone, d.BankID
	}
	return out, nil
}

// payoutPersonalData finds the personal data a payout names: each must
// exist and not be canceled, of different types, and recipient data for
// the SBP check only with an SBP payout.
func (s *Server) payoutPersonalData(in *yookassa.PayoutRequest, dest yookassa.PayoutDestinationType) ([]*personalEntry, *answer) {
	var out []*personalEntry
	for i, ref := range in.PersonalData {
		field := fmt.Sprintf("personal_data[%d].id", i)
		e := s.personal[ref.ID]
		if e == nil {
			a := invalid(field, "Personal data %s not found", ref.ID)
			return nil, &a
		}
		if e.d.Status == yookassa.PersonalDataStatusCanceled {
			a := invalid(field, "Personal data %s is canceled; save it again", ref.ID)
			return nil, &a
		}
		for _, prev := range out {
			if prev.d.Type == e.d.Type {
				a := invalid(field, "Two personal data objects of type %s; send one of each type", e.d.Type)
				return nil, &a
			}
		}
		if e.d.Type == yookassa.PersonalDataSBPPayoutRecipient && dest != yookassa.PayoutDestinationSBP {
			a := invalid(field, "Personal data of type %s is only for SBP payouts", e.d.Type)
			return nil, &a
		}
		out = append(out, e)
	}
	return out, nil
}

// payoutAvailable is what the gateway can still pay out: its balance less
// the succeeded payouts and those still pending. Called with s.mu held.
func (s *Server) payoutAvailable() decimal.Decimal {
	balance := s.payoutBalance
	if !s.payoutBalanceSet {
		balance = DefaultPayoutBalance()
	}
	left := balance.Sub(s.spent)
	for _, e := range s.payoutSeq {
		if e.p.Status == yookassa.PayoutStatusPending && e.p.Deal == nil && e.decline == "" {
			left = left.Sub(e.p.Amount.Value)
		}
	}
	return left
}

// settlePayout makes a pending payout final and notifies. Called with s.mu
// held.
func (s *Server) settlePayout(e *payoutEntry) {
	if e.p.Status != yookassa.PayoutStatusPending {
		return
	}
	if e.decline != "" {
		s.cancelPayout(e)
		return
	}
	s.succeedPayout(e)
}

// succeedPayout: the money reached the recipient. The gateway's balance (or
// the deal) pays for it, the personal data it used becomes active, and an
// SBP payout with recipient data counts as checked. Called with s.mu held.
func (s *Server) succeedPayout(e *payoutEntry) {
	now := s.clock.now()
	e.p.Status = yookassa.PayoutStatusSucceeded
	e.p.SucceededAt = &now
	if e.p.PayoutDestination.Type == yookassa.PayoutDestinationSBP {
		e.p.PayoutDestination.SBPOperationID = strings.ToUpper(strings.ReplaceAll(newID(), "-", ""))
	}
	for _, pd := range e.personal {
		if pd.d.Type == yookassa.PersonalDataSBPPayoutRecipient {
			e.p.PayoutDestination.RecipientChecked = true
		}
		s.usePersonalData(pd, now)
	}
	if e.p.Deal != nil {
		s.dealPaidOut(e.p.Deal.ID, e.p.Amount.Value)
	} else {
		s.spent = s.spent.Add(e.p.Amount.Value)
	}
	s.emit(yookassa.EventPayoutSucceeded, e.p.ID, e.p)
}

// cancelPayout: the payout failed, for e.decline; nothing was paid.
// Called with s.mu held.
func (s *Server) cancelPayout(e *payoutEntry) {
	party := yookassa.PartyPayoutNetwork
	switch e.decline {
	case yookassa.ReasonInsufficientFunds, yookassa.ReasonFraudSuspected, yookassa.ReasonOneTimeLimitExceeded,
		yookassa.ReasonPeriodicLimitExceeded, yookassa.ReasonIdentificationRequired, yookassa.ReasonSelfEmployedAnnualLimitExceeded:
		party = yookassa.PartyYooMoney
	}
	e.p.Status = yookassa.PayoutStatusCanceled
	e.p.CancellationDetails = &yookassa.CancellationDetails{Party: party, Reason: e.decline}
	s.emit(yookassa.EventPayoutCanceled, e.p.ID, e.p)
}

// DeclineNextPayout makes the next payout created (of the gateway or of a
// Safe deal) be canceled with reason, for example
// yookassa.ReasonRecipientNotFound; calls queue up, one reason per payout.
// Other cancellations need no script: a regular payout above the gateway's
// balance is canceled with insufficient_funds (WithPayoutBalance), and one
// above the limit for its destination with one_time_limit_exceeded.
func (s *Server) DeclineNextPayout(reason yookassa.CancellationReason) {
	s.mu.Lock()
	s.declines = append(s.declines, reason)
	s.mu.Unlock()
}

func (s *Server) getPayout(req *apiRequest) answer {
	e := s.payouts[req.r.PathValue("id")]
	if e == nil || e.owner != req.id.name {
		return notFound("payout_id", "Payout")
	}
	return ok(e.p)
}

func (s *Server) listPayouts(req *apiRequest) answer {
	q := req.r.URL.Query()
	f, bad := parseFilter(q, "created_at")
	if bad != nil {
		return *bad
	}
	status, dest := q.Get("status"), q.Get("payout_destination.type")
	items, next, bad := page(q, s.payoutSeq, func(e *payoutEntry) bool {
		return e.owner == req.id.name && (status == "" || string(e.p.Status) == status) &&
			(dest == "" || string(e.p.PayoutDestination.Type) == dest) && f.match("created_at", &e.p.CreatedAt)
	})
	if bad != nil {
		return *bad
	}
	return ok(yookassa.PayoutList{Type: "list", Items: items, NextCursor: next})
}

// payoutSearchWindow is how far back GET /payouts/search looks.
const payoutSearchWindow = 90 * 24 * time.Hour

func (s *Server) searchPayouts(req *apiRequest) answer {
	q := req.r.URL.Query()
	f, bad := parseFilter(q, "created_at")
	if bad != nil {
		return *bad
	}
	var key, value string
	for name, vs := range q {
		k, isMeta := strings.CutPrefix(name, "metadata[")
		if !isMeta {
			continue
		}
		k, closed := strings.CutSuffix(k, "]")
		if !closed || k == "" || key != "" || len(vs) != 1 {
			return invalid("metadata", "Search by exactly one metadata[key]=value pair")
		}
		key, value = k, vs[0]
	}
	if key == "" {
		return invalid("metadata", "Search by exactly one metadata[key]=value pair")
	}
	since := s.clock.now().Add(-payoutSearchWindow)
	items, next, bad := page(q, s.payoutSeq, func(e *payoutEntry) bool {
		v, has := e.p.Metadata[key]
		return e.owner == req.id.name && has && v == value && !e.p.CreatedAt.Before(since) && f.match("created_at", &e.p.CreatedAt)
	})
	if bad != nil {
		return *bad
	}
	return ok(yookassa.PayoutList{Type: "list", Items: items, NextCursor: next})
}

// gatewayMe is the payout gateway's answer to GET /me: its balance for
// payouts and the destinations it pays to.
func (s *Server) gatewayMe() yookassa.Me {
	balance := yookassa.RUB(s.payoutAvailable())
	return yookassa.Me{AccountID: s.agentID, Status: "enabled", Test: true, Name: "yookassatest payouts",
		PayoutMethods: []string{string(yookassa.PayoutDestinationBankCard), string(yookassa.PayoutDestinationYooMoney),
			string(yookassa.PayoutDestinationSBP)}, PayoutBalance: &balance}
}
