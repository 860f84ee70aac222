package main

import (
	"html/template"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
)

// rub formats a sum of roubles as "4,500.00 RUB".
func rub(v decimal.Decimal) string {
	s := v.StringFixed(2)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, kopecks, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String() + "." + kopecks + " RUB"
}

// option describes the buyer's choice: "installments_12 (12 months without
// overpayment)" or "loan (consumer loan)".
func option(o sberloan.Option) string {
	if months, ok := o.Installments(); ok {
		return string(o) + " (installments over " + decimal.NewFromInt(int64(months)).String() + " months without overpayment)"
	}
	return string(o) + " (consumer loan)"
}

// message is the data of the "message" page.
type message struct {
	Title, Text string
	Retry       string // the action of a "Try again" button, if any
}

var pages = template.Must(template.New("pages").Funcs(template.FuncMap{
	"rub":       rub,
	"option":    option,
	"lineTotal": func(it yookassa.ReceiptItem) decimal.Decimal { return it.LineTotal() },
}).Parse(`
{{define "top"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.}} · Example shop</title>
<style>
body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.4}
table{border-collapse:collapse;margin:1em 0}th,td{padding:.25em .7em;text-align:left;border-bottom:1px solid #ddd}
.num{text-align:right}.error{color:#a00}.pending{background:#fff3cd;padding:.5em 1em;border:1px solid #e0c36c}
form{display:inline-block;margin:.3em 1em .3em 0}
</style></head><body>
{{end}}

{{define "bottom"}}<p><a href="/">Shop</a></p>
</body></html>
{{end}}

{{define "cart"}}{{template "top" "Cart"}}
<h1>Your cart</h1>
<table>
<tr><th>Item</th><th class="num">Price</th><th class="num">Quantity</th><th class="num">Sum</th></tr>
{{range .Lines}}<tr><td>{{.Description}}</td><td class="num">{{rub .Amount.Value}}</td><td class="num">{{.Quantity}}</td><td class="num">{{rub (lineTotal .)}}</td></tr>
{{end}}<tr><th colspan="3">Total</th><th class="num" id="total">{{rub .Total}}</th></tr>
</table>
<p>Pay with a loan from SberBank, or in installments over {{range $i, $m := .Months}}{{if $i}}, {{end}}{{$m}}{{end}} months
without overpayment: you choose on SberBank's page. Orders from {{rub .Min}}.</p>
{{with .Error}}<p class="error" id="error">{{.}}</p>{{end}}
<form method="post" action="/orders">
<p><label>Email for the receipt <input type="email" name="email" value="{{.Email}}" required></label></p>
<p><button type="submit">Buy on credit from SberBank</button></p>
</form>
{{template "bottom"}}{{end}}

{{define "payment"}}
{{if .Admin}}{{with .Problem}}<p class="error" id="problem">{{.}}</p>{{end}}{{end}}
{{with .Error}}<p class="error" id="payment-error">{{.}}</p>{{end}}
{{if .Admin}}{{with .State}}<p id="state">{{.}}</p>{{end}}{{else}}{{with .Message}}<p id="message">{{.}}</p>{{end}}{{end}}
<table>
<tr><th>Payment status</th><td id="status">{{.Status}}</td></tr>
{{with .Purchase}}
<tr><th>Chosen option</th><td id="option">{{option .Option}}</td></tr>
<tr><th>Original price</th><td class="num" id="original">{{rub $.Original}}</td></tr>
<tr><th>Discount granted by the shop</th><td class="num" id="discount">{{rub .Discount}}</td></tr>
<tr><th>To pay (borrowed from SberBank)</th><td class="num" id="to-pay">{{rub $.Borrowed}}</td></tr>
{{if $.Captured}}<tr><th>Captured</th><td class="num" id="captured">{{rub .Amount}}</td></tr>{{end}}
{{if $.Refunded}}<tr><th>Refunded</th><td class="num" id="refunded">{{rub .Refunded}}</td></tr>{{end}}
{{if $.Admin}}<tr><th>Shop's income after YooKassa's commission</th><td class="num" id="income">{{rub .Income}}</td></tr>{{end}}
{{else}}{{if .ID}}<tr><th>Amount</th><td class="num" id="amount">{{rub .Amount}}</td></tr>{{end}}
{{end}}
</table>
{{end}}

{{define "notifications"}}
<h2>Notifications from YooKassa</h2>
<ul id="notifications">{{range .}}<li>{{.}}</li>{{else}}<li>none yet</li>{{end}}</ul>
{{end}}

{{define "order"}}{{template "top" (print "Order " .Order.ID)}}
<h1>Order {{.Order.ID}}</h1>
{{template "payment" .Payment}}
{{if .CanPay}}<form method="post" action="/orders/{{.Order.ID}}/pay"><button type="submit">Continue to payment</button></form>{{end}}
{{if .Declined}}<p>You can try again: SberBank decides anew on a new application.</p>
<form method="post" action="/orders/{{.Order.ID}}/again"><button type="submit">Try again</button></form>{{end}}
{{template "bottom"}}{{end}}

{{define "admin"}}{{template "top" (print "Admin: order " .Order.ID)}}
<p><a href="/admin/orders">All orders</a></p>
<h1>Order {{.Order.ID}}: admin</h1>
<p>Buyer {{.Order.Email}}, payment <code id="payment-id">{{.Order.PaymentID}}</code>.</p>
<table>
<tr><th>Item</th><th class="num">Price</th><th class="num">Quantity</th></tr>
{{range .Receipt}}<tr><td>{{.Description}}</td><td class="num">{{rub .Amount.Value}}</td><td class="num">{{.Quantity}}</td></tr>
{{end}}</table>
{{template "payment" .Payment}}
{{with .Order.Pending}}
<div class="pending" id="pending">
<p><strong>Outcome unknown.</strong> Operation {{.N}}, {{.What}}, was sent with Idempotence-Key <code>{{.Key}}</code>,
but no final answer from YooKassa was received: it may or may not have been performed.
Retry it with the same key, which YooKassa performs at most once. Nothing else can be done with this order until then.
YooKassa remembers a key for 24 hours; after that, check the payment in the merchant profile before retrying.</p>
<form method="post" action="/admin/orders/{{$.Order.ID}}/retry"><input type="hidden" name="key" value="{{.Key}}"><button type="submit">Retry with the same key</button></form>
</div>
{{else}}
{{if .CanCapture}}
<h2>Capture or cancel</h2>
<form method="post" action="/admin/orders/{{.Order.ID}}/capture"><input type="hidden" name="op" value="{{.Order.NextOp}}">
<button type="submit" name="part" value="full">Capture all</button>
<button type="submit" name="part" value="three_quarters">Capture three quarters</button>
<button type="submit" name="part" value="product2_unit">Capture one unit of Product 2</button>
</form>
<form method="post" action="/admin/orders/{{.Order.ID}}/cancel"><input type="hidden" name="op" value="{{.Order.NextOp}}">
<button type="submit" name="part" value="full">Cancel the payment</button>
</form>
<p>On a partial capture or a cancellation the buyer gets the money back on their card but keeps the loan:
they have to repay it in SberBank Online.</p>
{{end}}
{{if .CanRefund}}
<h2>Refund</h2>
<form method="post" action="/admin/orders/{{.Order.ID}}/refund"><input type="hidden" name="op" value="{{.Order.NextOp}}">
<button type="submit" name="part" value="full">Refund everything left</button>
<button type="submit" name="part" value="half">Refund half of the captured amount</button>
</form>
{{end}}
{{end}}
<h2>Operations</h2>
<table id="operations">
<tr><th>#</th><th>Operation</th><th>Idempotence-Key</th><th>Outcome</th></tr>
{{range .Order.Ops}}<tr><td>{{.N}}</td><td>{{if .Retry}}retry: {{end}}{{.What}}</td><td>{{with .Key}}<code>{{.}}</code>{{else}}not sent{{end}}</td><td{{if .Failed}} class="error"{{end}}>{{.Outcome}}</td></tr>
{{else}}<tr><td colspan="4">none yet</td></tr>
{{end}}</table>
{{template "notifications" .Order.Notifications}}
{{template "bottom"}}{{end}}

{{define "index"}}{{template "top" "Admin: orders"}}
<h1>Orders</h1>
<table id="orders">
<tr><th>Order</th><th>Created</th><th>Payment</th><th>Last known status</th></tr>
{{range .}}<tr><td><a href="/admin/orders/{{.ID}}">{{.ID}}</a></td><td>{{.Created.Format "2006-01-02 15:04:05"}}</td><td><code>{{.PaymentID}}</code></td><td>{{.Status}}</td></tr>
{{else}}<tr><td colspan="4">none yet</td></tr>
{{end}}</table>
{{template "bottom"}}{{end}}

{{define "message"}}{{template "top" .Title}}
<h1>{{.Title}}</h1>
<p id="message">{{.Text}}</p>
{{with .Retry}}<form method="post" action="{{.}}"><button type="submit">Try again</button></form>{{end}}
{{template "bottom"}}{{end}}
`))
