package yookassatest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/yookassa"
)

// dealEndpoints is the API of /deals.
var dealEndpoints = []endpoint{
	{"POST /v3/deals", (*Server).createDeal},
	{"GET /v3/deals", (*Server).listDeals},
	{"GET /v3/deals/{id}", (*Server).getDeal},
}

// DefaultDealLifetime is how long a Safe deal stays open: YooKassa fixes it
// per platform (1-180 days), 90 by default.
const DefaultDealLifetime = 90 * 24 * time.Hour

// dealEntry is a Safe deal.
type dealEntry struct {
	seq int
	d   yookassa.SafeDeal
}

func (e *dealEntry) position() int             { return e.seq }
func (e *dealEntry) object() yookassa.SafeDeal { return e.d }

// ErrUnknownDeal is returned for a deal ID the simulator does not hold.
var ErrUnknownDeal = errors.New("yookassatest: unknown deal")

// A Safe deal is opened by POST /deals and its money moves as follows (the
// model YooKassa's documentation implies; see each function):
//
//   - a payment of the deal succeeds: dealPaid adds the seller's
//     settlements to payout_balance, and to balance the settlements (fee
//     moment payment_succeeded: the platform's reward leaves at once) or
//     the payment's income (deal_closed: the reward waits for the close);
//   - a refund of a deal payment: dealRefunded takes the refund from
//     balance and its refund_settlements from payout_balance, and closes
//     the deal;
//   - a payout from the deal succeeds: dealPaidOut takes it from both
//     balances and closes the deal; with deal_closed the platform's reward
//     leaves then, so balance drops to zero;
//   - expires_at passes while the deal is open: dealExpired closes it.
//
// Each close sends deal.closed.

func (s *Server) createDeal(req *apiRequest) answer {
	var in yookassa.DealRequest
	if a := decode(req.body, &in); a != nil {
		return *a
	}
	if err := in.Validate(); err != nil {
		return validation(err)
	}
	now := s.clock.now()
	s.seq++
	e := &dealEntry{seq: s.seq, d: yookassa.SafeDeal{
		Type: yookassa.DealTypeSafeDeal, ID: prefixedID("dl-"), FeeMoment: in.FeeMoment, Description: in.Description,
		Balance: zeroRUB(), PayoutBalance: zeroRUB(), Status: yookassa.DealStatusOpened,
		CreatedAt: now, ExpiresAt: now.Add(DefaultDealLifetime), Metadata: in.Metadata, Test: true,
	}}
	s.deals[e.d.ID] = e
	s.dealSeq = append(s.dealSeq, e)
	s.at(e.d.ExpiresAt, func(time.Time) { s.dealExpired(e) })
	return ok(e.d)
}

func (s *Server) getDeal(req *apiRequest) answer {
	return getOne(s.deals, req, "deal_id", "Deal")
}

func (s *Server) listDeals(req *apiRequest) answer {
	q := req.r.URL.Query()
	f, bad := parseFilter(q, "created_at", "expires_at")
	if bad != nil {
		return *bad
	}
	status, text := q.Get("status"), q.Get("full_text_search")
	if n := len([]rune(text)); text != "" && (n < 4 || n > 128) {
		return invalid("full_text_search", "Invalid full_text_search: must be 4-128 characters")
	}
	items, next, bad := page(q, s.dealSeq, func(e *dealEntry) bool {
		return (status == "" || string(e.d.Status) == status) &&
			(text == "" || strings.Contains(strings.ToLower(e.d.Description), strings.ToLower(text))) &&
			f.match("created_at", &e.d.CreatedAt) && f.match("expires_at", &e.d.ExpiresAt)
	})
	if bad != nil {
		return *bad
	}
	return ok(yookassa.DealList{Type: "list", Items: items, NextCursor: next})
}

// openDeal returns the open deal id for an operation in it, or the answer
// refusing the operation; parameter names the field that holds the id.
func (s *Server) openDeal(id, parameter string) (*dealEntry, *answer) {
	e := s.deals[id]
	if e == nil {
		a := invalid(parameter, "Deal not found: %s", id)
		return nil, &a
	}
	if e.d.Status != yookassa.DealStatusOpened {
		a := invalid(parameter, "Deal %s is closed: no more payments, refunds or payouts", id)
		return nil, &a
	}
	return e, nil
}

func sumSettlements(ss []yookassa.Settlement) decimal.Decimal {
	sum := decimal.Zero
	for _, st := range ss {
		sum = sum.Add(st.Amount.Value)
	}
	return sum
}

// checkDealPayment refuses a payment into a deal that YooKassa would
// refuse: an unknown or closed deal, a method the Safe deal does not take,
// or settlements that leave the platform less than YooKassa's fee. Called
// with s.mu held.
func (s *Server) checkDealPayment(in *yookassa.PaymentRequest) *answer {
	if in.Deal == nil {
		return nil
	}
	if _, a := s.openDeal(in.Deal.ID, "deal.id"); a != nil {
		return a
	}
	if in.PaymentMethodData != nil {
		switch in.PaymentMethodData.Type {
		case yookassa.PaymentMethodSBP, yookassa.PaymentMethodB2BSberbank, yookassa.PaymentMethodSberLoan,
			yookassa.PaymentMethodElectronicCertificate, yookassa.PaymentMethodSberBNPL:
			a := invalid("payment_method_data.type", "Payment method %s is not available in a Safe deal", in.PaymentMethodData.Type)
			return &a
		}
	}
	return s.checkPlatformShare(in.Amount, in.Deal.Settlements)
}

// checkPlatformShare refuses settlements that leave the platform no more
// than YooKassa's fee on amount: YooKassa takes its fee from the
// platform's share.
func (s *Server) checkPlatformShare(amount yookassa.Amount, settlements []yookassa.Settlement) *answer {
	fee := amount.Value.Sub(s.income(amount).Value)
	if rest := amount.Value.Sub(sumSettlements(settlements)); !rest.GreaterThan(fee) {
		a := invalid("deal.settlements", "The platform's share %s is not more than YooKassa's fee %s", rest.StringFixed(2), fee.StringFixed(2))
		return &a
	}
	return nil
}

// checkDealCapture refuses the deal part of a capture request: settlements
// for a payment outside a deal, or settlements of a partial capture that
// leave the platform less than the fee. Called with s.mu held.
func (s *Server) checkDealCapture(p *payment, captured yookassa.Amount, in *yookassa.CaptureRequest) *answer {
	if in.Deal == nil {
		return nil
	}
	if p.p.Deal == nil {
		a := invalid("deal", "Payment %s is not in a Safe deal", p.p.ID)
		return &a
	}
	return s.checkPlatformShare(captured, in.Deal.Settlements)
}

// dealPaid credits a deal with a payment of it that succeeded. Called with
// s.mu held.
func (s *Server) dealPaid(p *payment) {
	if p.p.Deal == nil {
		return
	}
	e := s.deals[p.p.Deal.ID]
	if e == nil || e.d.Status != yookassa.DealStatusOpened {
		return
	}
	settled := sumSettlements(p.p.Deal.Settlements)
	e.d.PayoutBalance.Value = e.d.PayoutBalance.Value.Add(settled)
	credit := settled
	if e.d.FeeMoment == yookassa.FeeMomentDealClosed {
		credit = p.p.Amount.Value
		if p.p.IncomeAmount != nil {
			credit = p.p.IncomeAmount.Value
		}
	}
	e.d.Balance.Value = e.d.Balance.Value.Add(credit)
}

// checkDealRefund refuses a refund of a deal payment that YooKassa would
// refuse: the deal closed, more refund settlements than the refund, or,
// with fee moment payment_succeeded, more than the seller's part still in
// the deal. Called with s.mu held.
func (s *Server) checkDealRefund(p *payment, in *yookassa.RefundRequest) *answer {
	if p.p.Deal == nil {
		if in.Deal != nil {
			a := invalid("deal", "Payment %s is not in a Safe deal", p.p.ID)
			return &a
		}
		return nil
	}
	e, a := s.openDeal(p.p.Deal.ID, "payment_id")
	if a != nil {
		return a
	}
	if in.Deal != nil && sumSettlements(in.Deal.RefundSettlements).GreaterThan(in.Amount.Value) {
		a := invalid("deal.refund_settlements", "Refund settlements are more than the refund")
		return &a
	}
	if e.d.FeeMoment == yookassa.FeeMomentPaymentSucceeded && in.Amount.Value.GreaterThan(e.d.Balance.Value) {
		a := invalid("amount", "Only the seller's part can be refunded: at most %s is left in deal %s", e.d.Balance.Value.StringFixed(2), e.d.ID)
		return &a
	}
	return nil
}

// dealRefunded takes a refund of a deal payment from the deal and closes
// it, as YooKassa does once it has returned money to the buyer. Called with
// s.mu held.
func (s *Server) dealRefunded(p *payment, r *yookassa.Refund, in *yookassa.RefundRequest) {
	if p.p.Deal == nil {
		return
	}
	e := s.deals[p.p.Deal.ID]
	if e == nil || e.d.Status != yookassa.DealStatusOpened {
		return
	}
	settled := r.Amount.Value
	r.Deal = &yookassa.RefundDeal{ID: e.d.ID, RefundSettlements: []yookassa.Settlement{}}
	if in.Deal != nil {
		settled = sumSettlements(in.Deal.RefundSettlements)
		r.Deal.RefundSettlements = in.Deal.RefundSettlements
	}
	e.d.Balance.Value = e.d.Balance.Value.Sub(r.Amount.Value)
	e.d.PayoutBalance.Value = decimal.Max(decimal.Zero, e.d.PayoutBalance.Value.Sub(settled))
	s.closeDeal(e)
}

// checkDealPayout refuses a payout from a deal that YooKassa would refuse:
// an unknown or closed deal, SBP or personal data (regular payouts only),
// or more than the seller's reward in the deal. Called with s.mu held.
func (s *Server) checkDealPayout(in *yookassa.PayoutRequest) *answer {
	e, a := s.openDeal(in.Deal.ID, "deal.id")
	if a != nil {
		return a
	}
	if in.PayoutDestinationData != nil && in.PayoutDestinationData.Type == yookassa.PayoutDestinationSBP {
		a := invalid("payout_destination_data.type", "SBP payouts are not available in a Safe deal")
		return &a
	}
	if len(in.PersonalData) > 0 {
		a := invalid("personal_data", "Personal data is not sent with payouts of a Safe deal")
		return &a
	}
	if in.Amount.Value.GreaterThan(e.d.PayoutBalance.Value) {
		a := invalid("amount", "The payout is more than the seller's reward in deal %s: %s", e.d.ID, e.d.PayoutBalance.Value.StringFixed(2))
		return &a
	}
	return nil
}

// dealPaidOut takes a succeeded payout from its deal and closes it; with
// fee moment deal_closed the platform's reward leaves the deal now. Called
// with s.mu held.
func (s *Server) dealPaidOut(id string, amount decimal.Decimal) {
	e := s.deals[id]
	if e == nil || e.d.Status != yookassa.DealStatusOpened {
		return
	}
	e.d.PayoutBalance.Value = decimal.Max(decimal.Zero, e.d.PayoutBalance.Value.Sub(amount))
	e.d.Balance.Value = e.d.Balance.Value.Sub(amount)
	if e.d.FeeMoment == yookassa.FeeMomentDealClosed {
		e.d.Balance.Value = decimal.Zero
	}
	s.closeDeal(e)
}

// dealExpired closes a deal still open at expires_at; YooKassa returns
// what is left in it to the buyers. Called with s.mu held.
func (s *Server) dealExpired(e *dealEntry) {
	if e.d.Status != yookassa.DealStatusOpened {
		return
	}
	e.d.Balance.Value, e.d.PayoutBalance.Value = decimal.Zero, decimal.Zero
	s.closeDeal(e)
}

// closeDeal closes a deal and sends deal.closed. Called with s.mu held.
func (s *Server) closeDeal(e *dealEntry) {
	e.d.Status = yookassa.DealStatusClosed
	s.emit(yookassa.EventDealClosed, e.d.ID, e.d)
}

// Deal returns a copy of a deal as the API shows it.
func (s *Server) Deal(id string) (yookassa.SafeDeal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tick()
	e := s.deals[id]
	if e == nil {
		return yookassa.SafeDeal{}, fmt.Errorf("%w %q", ErrUnknownDeal, id)
	}
	return cloneJSON(e.d), nil
}
