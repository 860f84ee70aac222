package yookassatest

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// checkoutChoice is one button of the confirmation page.
type checkoutChoice struct {
	Value, Label, Detail string
}

type checkoutView struct {
	ID, Description, Amount, Status string
	Pending                         bool
	Choices                         []checkoutChoice
}

var checkoutTemplate = template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>YooKassa simulator: payment {{.ID}}</title></head>
<body>
<h1>Payment {{.Amount}}</h1>
<p id="description">{{.Description}}</p>
<p>Status: <span id="status">{{.Status}}</span></p>
{{if .Pending}}
<form method="post" action="/checkout/{{.ID}}">
{{range .Choices}}<p><button type="submit" name="choice" value="{{.Value}}">{{.Label}}</button> {{.Detail}}</p>
{{end}}<p><button type="submit" name="choice" value="decline">Decline</button></p>
</form>
{{end}}
</body></html>
`))

// checkoutPage is the page behind confirmation_url: the buyer chooses how
// to pay (for sber_loan: a loan or one of the enabled installment plans) or
// declines.
func (s *Server) checkoutPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tick()
	p := s.payments[r.PathValue("id")]
	var view checkoutView
	if p != nil {
		view = s.checkoutView(p)
	}
	s.mu.Unlock()
	s.flushOutbox()
	if p == nil {
		http.Error(w, "payment not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = checkoutTemplate.Execute(w, view)
}

func (s *Server) checkoutView(p *payment) checkoutView {
	v := checkoutView{ID: p.p.ID, Description: p.p.Description, Amount: p.p.Amount.String(), Status: string(p.p.Status),
		Pending: p.p.Status == yookassa.PaymentStatusPending && p.option == ""}
	if s.isBNPL(p) {
		v.Choices = bnplChoices(p)
		return v
	}
	if !s.isSberLoan(p) {
		v.Choices = []checkoutChoice{{Value: "pay", Label: "Pay"}}
		return v
	}
	v.Choices = []checkoutChoice{{Value: string(sberloan.OptionLoan), Label: "Loan from SberBank", Detail: p.p.Amount.String() + " plus the bank's interest, in monthly payments"}}
	options := make([]sberloan.Option, 0, len(s.loan.Tariffs))
	for o := range s.loan.Tariffs {
		options = append(options, o)
	}
	slices.SortFunc(options, func(a, b sberloan.Option) int {
		am, _ := a.Installments()
		bm, _ := b.Installments()
		return cmp.Compare(am, bm)
	})
	// What the buyer sees: what they will owe the bank. An installment
	// plan costs the buyer the purchase price, in equal monthly parts;
	// the discount the shop gives the bank and the shop's income are not
	// the buyer's business and YooKassa's page does not show them.
	for _, o := range options {
		months, _ := o.Installments()
		monthly := p.p.Amount.Value.Div(decimal.NewFromInt(int64(months))).Round(2)
		v.Choices = append(v.Choices, checkoutChoice{Value: string(o), Label: fmt.Sprintf("Installments, %d months", months),
			Detail: fmt.Sprintf("%s in all, no overpayment: %d monthly payments of about %s %s",
				p.p.Amount.String(), months, monthly.StringFixed(2), p.p.Amount.Currency)})
	}
	return v
}

// checkoutSubmit applies the buyer's choice and sends them to the shop's
// return_url.
func (s *Server) checkoutSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	var err error
	switch choice := r.PostForm.Get("choice"); choice {
	case "decline":
		err = s.Decline(id)
	case "pay":
		err = s.Confirm(id, "")
	default:
		err = s.Confirm(id, choice)
	}
	if err != nil {
		http.Error(w, wording(err.Error()), http.StatusBadRequest)
		return
	}
	if u := s.ReturnURL(id); u != "" {
		http.Redirect(w, r, u, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/checkout/"+id, http.StatusSeeOther)
}
