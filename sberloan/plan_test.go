package sberloan_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waiting returns a seed payment as it is before capture.
func waiting(t *testing.T, name string) *yookassa.Payment {
	return modify(t, name, func(p *yookassa.Payment) {
		p.Status = yookassa.PaymentStatusWaitingForCapture
		p.CapturedAt = nil
		p.RefundedAmount = nil
		p.Refundable = false
	})
}

// lines renders receipt items as "price x quantity" for comparison.
func lines(items []yookassa.ReceiptItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = fmt.Sprintf("%s: %s x %s", it.Description, it.Amount.Value.StringFixed(2), it.Quantity.String())
	}
	return out
}

const (
	loanJSON = "payment_succeeded_loan.json"
	instJSON = "payment_succeeded_installments.json"
)

func TestPlanCapture(t *testing.T) {
	c := seedConfig()
	pick := func(line int, q string) receipt.Pick { return receipt.Pick{Line: line, Quantity: d(q)} }
	cases := []struct {
		name    string
		payment string
		part    sberloan.Part
		amount  string
		lines   []string
	}{
		{"installments full", instJSON, sberloan.Full(), "4500.00",
			[]string{"Product 1: 2700.00 x 1", "Product 2: 900.00 x 2"}},
		{"installments zero part is full", instJSON, sberloan.Part{}, "4500.00",
			[]string{"Product 1: 2700.00 x 1", "Product 2: 900.00 x 2"}},
		{"installments share 1", instJSON, sberloan.Share(d("1")), "4500.00",
			[]string{"Product 1: 2700.00 x 1", "Product 2: 900.00 x 2"}},
		{"installments three quarters", instJSON, sberloan.Share(d("0.75")), "3375.00",
			[]string{"Product 1: 2025.00 x 1", "Product 2: 675.00 x 2"}},
		{"installments sum at the minimum", instJSON, sberloan.Sum(d("3000")), "3000.00", nil},
		{"installments items", instJSON, sberloan.Items(pick(0, "1"), pick(1, "1")), "3600.00",
			[]string{"Product 1: 2700.00 x 1", "Product 2: 900.00 x 1"}},
		{"installments all items", instJSON, sberloan.Items(pick(1, "2"), pick(0, "1")), "4500.00",
			[]string{"Product 1: 2700.00 x 1", "Product 2: 900.00 x 2"}},
		{"loan full", loanJSON, sberloan.Full(), "5000.00",
			[]string{"Product 1: 3000.00 x 1", "Product 2: 1000.00 x 2"}},
		{"loan three quarters", loanJSON, sberloan.Share(d("0.75")), "3750.00",
			[]string{"Product 1: 2250.00 x 1", "Product 2: 750.00 x 2"}},
		{"loan items", loanJSON, sberloan.Items(pick(0, "1")), "3000.00",
			[]string{"Product 1: 3000.00 x 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			original := seedReceipt()
			req, err := c.PlanCapture(waiting(t, tc.payment), original, tc.part)
			require.NoError(t, err)
			require.NotNil(t, req.Amount)
			assert.Equal(t, tc.amount, req.Amount.Value.StringFixed(2))
			assert.Equal(t, "RUB", req.Amount.Currency)
			require.NotNil(t, req.Receipt)
			assert.Equal(t, tc.amount, receipt.Total(req.Receipt.Items).StringFixed(2), "receipt adds up")
			assert.Equal(t, original.Customer, req.Receipt.Customer)
			if tc.lines != nil {
				assert.Equal(t, tc.lines, lines(req.Receipt.Items))
			}
			require.NoError(t, req.Validate())
			// The merchant's receipt is left as it was.
			assert.Equal(t, seedReceipt(), original)

			// Without the receipt only the amount is planned, except by
			// items, which needs the receipt's lines.
			req, err = c.PlanCapture(waiting(t, tc.payment), nil, tc.part)
			if strings.HasSuffix(tc.name, "items") {
				assert.ErrorIs(t, err, sberloan.ErrReceipt)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.amount, req.Amount.Value.StringFixed(2))
			assert.Nil(t, req.Receipt)
		})
	}
}

func TestPlanCaptureRefusals(t *testing.T) {
	c := seedConfig()
	pick := func(line int, q string) receipt.Pick { return receipt.Pick{Line: line, Quantity: d(q)} }
	cases := []struct {
		name     string
		payment  *yookassa.Payment
		original *yookassa.ReceiptData
		part     sberloan.Part
		want     error
	}{
		{"half is under 3,000", waiting(t, instJSON), seedReceipt(), sberloan.Share(d("0.5")), sberloan.ErrLimit},
		{"sum under 3,000", waiting(t, instJSON), nil, sberloan.Sum(d("2999.99")), sberloan.ErrLimit},
		{"sum over the paid amount", waiting(t, instJSON), nil, sberloan.Sum(d("4500.01")), sberloan.ErrLimit},
		{"sum over the original price", waiting(t, instJSON), seedReceipt(), sberloan.Sum(d("5000")), sberloan.ErrLimit},
		{"one unit of Product 2 is 900", waiting(t, instJSON), seedReceipt(), sberloan.Items(pick(1, "1")), sberloan.ErrLimit},
		{"share 0", waiting(t, instJSON), nil, sberloan.Share(d("0")), nil},
		{"share above 1", waiting(t, instJSON), nil, sberloan.Share(d("1.01")), nil},
		{"sum with fractions of kopecks", waiting(t, instJSON), nil, sberloan.Sum(d("3000.001")), nil},
		{"items without a receipt", waiting(t, instJSON), nil, sberloan.Items(pick(0, "1")), sberloan.ErrReceipt},
		{"picking more than the line has", waiting(t, instJSON), seedReceipt(), sberloan.Items(pick(1, "3")), nil},
		{"picking a line that does not exist", waiting(t, instJSON), seedReceipt(), sberloan.Items(pick(2, "1")), nil}, // a *yookassa.ValidationError naming picks[0].line
		{"receipt of another order", waiting(t, instJSON), &yookassa.ReceiptData{
			Customer: &yookassa.Customer{Email: "buyer@example.com"},
			Items:    []yookassa.ReceiptItem{{Description: "Other", Amount: rub("6000"), VatCode: 1, Quantity: d("1")}},
		}, sberloan.Full(), sberloan.ErrReceipt},
		{"receipt without items", waiting(t, instJSON), &yookassa.ReceiptData{Customer: &yookassa.Customer{Email: "b@example.com"}}, sberloan.Full(), sberloan.ErrReceipt},
		{"already captured", loadPayment(t, instJSON), nil, sberloan.Full(), sberloan.ErrWrongStatus},
		{"pending", loadPayment(t, "payment_pending.json"), nil, sberloan.Full(), sberloan.ErrNotPaid},
		{"not sber_loan", modify(t, loanJSON, func(p *yookassa.Payment) {
			p.Status = yookassa.PaymentStatusWaitingForCapture
			p.PaymentMethod.Type = yookassa.PaymentMethodBankCard
		}), nil, sberloan.Full(), sberloan.ErrNotSberLoan},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := c.PlanCapture(tc.payment, tc.original, tc.part)
			require.Error(t, err)
			assert.Nil(t, req)
			if tc.want != nil {
				assert.ErrorIs(t, err, tc.want)
			} else {
				var ve *yookassa.ValidationError
				assert.True(t, errors.As(err, &ve), "%v", err)
			}
		})
	}
}

func TestPlanCaptureLimitDetails(t *testing.T) {
	_, err := seedConfig().PlanCapture(waiting(t, instJSON), seedReceipt(), sberloan.Share(d("0.5")))
	var le *sberloan.LimitError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, "capture", le.Op)
	assert.Equal(t, "2250.00", le.Amount.StringFixed(2))
	assert.Equal(t, "3000.00", le.Min.StringFixed(2))
	assert.Equal(t, "4500.00", le.Max.StringFixed(2))
}

func TestPlanCaptureSmallInstallmentPayment(t *testing.T) {
	// Created at the 3,300.00 minimum, paid at 10%: 2,970.00, below the
	// partial-capture minimum. Only the full capture is possible.
	p := waiting(t, instJSON)
	p.Amount = rub("2970.00")
	p.PaymentMethod.DiscountAmount = amountPtr(rub("330.00"))
	original := &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Phone: "79000000000"},
		Items:    []yookassa.ReceiptItem{{Description: "Kettle", Amount: rub("3300.00"), VatCode: yookassa.Vat20, Quantity: d("1")}},
	}
	req, err := seedConfig().PlanCapture(p, original, sberloan.Full())
	require.NoError(t, err)
	assert.Equal(t, "2970.00", req.Amount.Value.StringFixed(2))
	assert.Equal(t, []string{"Kettle: 2970.00 x 1"}, lines(req.Receipt.Items))
	_, err = seedConfig().PlanCapture(p, original, sberloan.Sum(d("2969.99")))
	assert.ErrorIs(t, err, sberloan.ErrLimit)
}

func TestPlanRefund(t *testing.T) {
	c := seedConfig()
	pick := func(line int, q string) receipt.Pick { return receipt.Pick{Line: line, Quantity: d(q)} }
	cases := []struct {
		name     string
		payment  string
		refunded string
		part     sberloan.Part
		amount   string
		lines    []string
	}{
		{"installments full", instJSON, "0", sberloan.Full(), "4500.00",
			[]string{"Product 1: 2700.00 x 1", "Product 2: 900.00 x 2"}},
		{"installments half", instJSON, "0", sberloan.Share(d("0.5")), "2250.00",
			[]string{"Product 1: 1350.00 x 1", "Product 2: 450.00 x 2"}},
		{"installments one unit of Product 2", instJSON, "0", sberloan.Items(pick(1, "1")), "900.00",
			[]string{"Product 2: 900.00 x 1"}},
		{"installments sum", instJSON, "0", sberloan.Sum(d("100")), "100.00", nil},
		{"installments rest after half", instJSON, "2250.00", sberloan.Full(), "2250.00",
			[]string{"Product 1: 1350.00 x 1", "Product 2: 450.00 x 2"}},
		{"installments half of the rest", instJSON, "2250.00", sberloan.Share(d("0.5")), "2250.00", nil},
		{"loan full", loanJSON, "0", sberloan.Full(), "5000.00",
			[]string{"Product 1: 3000.00 x 1", "Product 2: 1000.00 x 2"}},
		{"loan half", loanJSON, "0", sberloan.Share(d("0.5")), "2500.00",
			[]string{"Product 1: 1500.00 x 1", "Product 2: 500.00 x 2"}},
		{"loan one unit of Product 2", loanJSON, "0", sberloan.Items(pick(1, "1")), "1000.00",
			[]string{"Product 2: 1000.00 x 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := modify(t, tc.payment, func(p *yookassa.Payment) { p.RefundedAmount = amountPtr(rub(tc.refunded)) })
			original := seedReceipt()
			req, err := c.PlanRefund(p, original, tc.part)
			require.NoError(t, err)
			assert.Equal(t, "22c5d0f0-000f-5000-8000-13ece77bc6c1", req.PaymentID)
			assert.Equal(t, tc.amount, req.Amount.Value.StringFixed(2))
			assert.Equal(t, "RUB", req.Amount.Currency)
			require.NotNil(t, req.Receipt)
			assert.Equal(t, tc.amount, receipt.Total(req.Receipt.Items).StringFixed(2), "receipt adds up")
			if tc.lines != nil {
				assert.Equal(t, tc.lines, lines(req.Receipt.Items))
			}
			require.NoError(t, req.Validate())
			assert.Equal(t, seedReceipt(), original)
		})
	}
}

func TestPlanRefundRefusals(t *testing.T) {
	c := seedConfig()
	refunded := func(s string) *yookassa.Payment {
		return modify(t, instJSON, func(p *yookassa.Payment) { p.RefundedAmount = amountPtr(rub(s)) })
	}
	cases := []struct {
		name     string
		payment  *yookassa.Payment
		original *yookassa.ReceiptData
		part     sberloan.Part
		want     error
	}{
		{"more than the rest", refunded("2250.00"), nil, sberloan.Share(d("0.75")), sberloan.ErrLimit},
		{"sum over the paid amount", loadPayment(t, instJSON), nil, sberloan.Sum(d("4500.01")), sberloan.ErrLimit},
		{"sum of the original price", loadPayment(t, instJSON), seedReceipt(), sberloan.Sum(d("5000")), sberloan.ErrLimit},
		{"a kopeck too much", refunded("4499.99"), nil, sberloan.Sum(d("0.02")), sberloan.ErrLimit},
		{"tiny share rounds to zero", loadPayment(t, instJSON), nil, sberloan.Share(d("0.000001")), sberloan.ErrLimit},
		{"fully refunded", refunded("4500.00"), nil, sberloan.Full(), sberloan.ErrWrongStatus},
		{"not refundable", modify(t, instJSON, func(p *yookassa.Payment) { p.Refundable = false }), nil, sberloan.Full(), sberloan.ErrWrongStatus},
		{"waiting for capture", waiting(t, instJSON), nil, sberloan.Full(), sberloan.ErrWrongStatus},
		{"pending", loadPayment(t, "payment_pending.json"), nil, sberloan.Full(), sberloan.ErrNotPaid},
		{"canceled", modify(t, instJSON, func(p *yookassa.Payment) { p.Status = yookassa.PaymentStatusCanceled }), nil, sberloan.Full(), sberloan.ErrNotPaid},
		{"items without a receipt", loadPayment(t, instJSON), nil, sberloan.Items(receipt.Pick{Line: 0, Quantity: d("1")}), sberloan.ErrReceipt},
		{"unknown tariff", modify(t, instJSON, func(p *yookassa.Payment) { p.PaymentMethod.LoanOption = "installments_24" }), nil, sberloan.Full(), sberloan.ErrOptionNotEnabled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := c.PlanRefund(tc.payment, tc.original, tc.part)
			require.Error(t, err)
			assert.Nil(t, req)
			assert.ErrorIs(t, err, tc.want)
		})
	}
	// A malformed pick is the caller's input error, named by its field.
	_, err := c.PlanRefund(loadPayment(t, instJSON), seedReceipt(), sberloan.Items())
	var ve *yookassa.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, "picks", ve.Field)

	_, err = c.PlanRefund(refunded("2250.00"), nil, sberloan.Share(d("0.75")))
	var le *sberloan.LimitError
	require.True(t, errors.As(err, &le))
	assert.Equal(t, "refund", le.Op)
	assert.Equal(t, "3375.00", le.Amount.StringFixed(2))
	assert.Equal(t, "0.01", le.Min.StringFixed(2))
	assert.Equal(t, "2250.00", le.Max.StringFixed(2))
}

func TestPartString(t *testing.T) {
	assert.Equal(t, "full", sberloan.Full().String())
	assert.Equal(t, "share 0.75", sberloan.Share(d("0.75")).String())
	assert.Equal(t, "sum 3000.00", sberloan.Sum(d("3000")).String())
	assert.Contains(t, sberloan.Items(receipt.Pick{Line: 1, Quantity: d("1")}).String(), "items")
}

// The rounding example of seed 003: 999.90 at 5% is 949.905, sent as 949.91.
func TestKopeckRounding(t *testing.T) {
	items := []yookassa.ReceiptItem{{Description: "Headphones", Amount: rub("999.90"), VatCode: yookassa.Vat20, Quantity: d("1")}}
	assert.Equal(t, "949.91", receipt.ApplyDiscount(items, d("5"))[0].Amount.Value.StringFixed(2))

	// The same price in a refund by items of a 5% installment plan.
	c := sberloan.Config{Tariffs: map[sberloan.Option]decimal.Decimal{"installments_6": d("5")}, CommissionPercent: d("3.5")}
	p := modify(t, instJSON, func(p *yookassa.Payment) {
		p.PaymentMethod.LoanOption = "installments_6"
		p.Amount = rub("1899.81") // 2 x 999.90 = 1,999.80 less 5%
		p.PaymentMethod.DiscountAmount = amountPtr(rub("99.99"))
	})
	original := &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items:    []yookassa.ReceiptItem{{Description: "Headphones", Amount: rub("999.90"), VatCode: yookassa.Vat20, Quantity: d("2")}},
	}
	req, err := c.PlanRefund(p, original, sberloan.Items(receipt.Pick{Line: 0, Quantity: d("1")}))
	require.NoError(t, err)
	assert.Equal(t, "949.91", req.Amount.Value.StringFixed(2))
	assert.Equal(t, []string{"Headphones: 949.91 x 1"}, lines(req.Receipt.Items))

	// The full refund lists both units as YooKassa charged them; the
	// kopeck of rounding is balanced by splitting the line.
	req, err = c.PlanRefund(p, original, sberloan.Full())
	require.NoError(t, err)
	assert.Equal(t, "1899.81", req.Amount.Value.StringFixed(2))
	assert.Equal(t, []string{"Headphones: 949.91 x 1", "Headphones: 949.90 x 1"}, lines(req.Receipt.Items))
}

func TestPlanRefundAfterPartialCapture(t *testing.T) {
	// Three quarters of 4,500.00 captured; discount_amount still 500.00.
	p := modify(t, instJSON, func(p *yookassa.Payment) { p.Amount = rub("3375.00") })
	c := seedConfig()

	req, err := c.PlanRefund(p, seedReceipt(), sberloan.Full())
	require.NoError(t, err)
	assert.Equal(t, "3375.00", req.Amount.Value.StringFixed(2))
	assert.Equal(t, []string{"Product 1: 2025.00 x 1", "Product 2: 675.00 x 2"}, lines(req.Receipt.Items))

	req, err = c.PlanRefund(p, seedReceipt(), sberloan.Share(d("0.5")))
	require.NoError(t, err)
	assert.Equal(t, "1687.50", req.Amount.Value.StringFixed(2))
	assert.Equal(t, "1687.50", receipt.Total(req.Receipt.Items).StringFixed(2))

	// By items needs the lines of the captured part.
	_, err = c.PlanRefund(p, seedReceipt(), sberloan.Items(receipt.Pick{Line: 1, Quantity: d("1")}))
	assert.ErrorIs(t, err, sberloan.ErrReceipt)

	// A receipt of another order is refused whatever the capture.
	other := seedReceipt()
	other.Items[0].Amount = rub("4000.00")
	_, err = c.PlanRefund(p, other, sberloan.Full())
	assert.ErrorIs(t, err, sberloan.ErrReceipt)
}
