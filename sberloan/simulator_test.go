package sberloan_test

import (
	"context"
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/sberloan"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests run the planners against the in-process YooKassa simulator:
// every request they build must be accepted, and the simulator's payments
// must read back as the purchases they are.

// simulator starts the simulator and returns it with a client and the
// sber_loan configuration it applies (10% for installments_12, 3.5%).
func simulator(t *testing.T) (*yookassatest.Server, *yookassa.Client, sberloan.Config) {
	t.Helper()
	s := yookassatest.NewServer()
	t.Cleanup(s.Close)
	cfg := s.LoanConfig()
	require.Equal(t, "10", cfg.Tariffs["installments_12"].String())
	require.Equal(t, "3.5", cfg.CommissionPercent.String())
	return s, s.Client(), cfg
}

// createAndPay creates the seed's 5,000.00 order with its receipt and lets
// the buyer pay it with option.
func createAndPay(t *testing.T, s *yookassatest.Server, c *yookassa.Client, cfg sberloan.Config, option string, capture bool) *yookassa.Payment {
	t.Helper()
	ctx := context.Background()
	req, err := cfg.NewPayment(sberloan.PaymentParams{
		Amount:      rub("5000.00"),
		ReturnURL:   "https://shop.example/orders/37",
		Description: "Order No. 37",
		Metadata:    map[string]string{"order_id": "37"},
		Receipt:     seedReceipt(),
		Capture:     capture,
	})
	require.NoError(t, err)
	p, err := c.CreatePayment(ctx, req)
	require.NoError(t, err)
	_, err = cfg.Read(p)
	require.ErrorIs(t, err, sberloan.ErrNotPaid)
	require.NoError(t, s.Confirm(p.ID, option))
	p, err = c.GetPayment(ctx, p.ID)
	require.NoError(t, err)
	return p
}

func TestSimulatorInstallmentsPartialCaptureThenRefunds(t *testing.T) {
	ctx := context.Background()
	s, c, cfg := simulator(t)
	p := createAndPay(t, s, c, cfg, "installments_12", false)

	pur, err := cfg.Read(p)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, pur.Status)
	assert.Equal(t, "4500.00", pur.Amount.StringFixed(2))
	assert.Equal(t, "5000.00", pur.Original.StringFixed(2))
	assert.Equal(t, "4342.50", pur.Income.StringFixed(2))

	// Half is under the partial-capture minimum, here and at YooKassa.
	_, err = cfg.PlanCapture(p, seedReceipt(), sberloan.Share(d("0.5")))
	require.ErrorIs(t, err, sberloan.ErrLimit)

	capture, err := cfg.PlanCapture(p, seedReceipt(), sberloan.Share(d("0.75")))
	require.NoError(t, err)
	p, err = c.CapturePayment(ctx, p.ID, capture)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Equal(t, "3375.00", p.Amount.Value.StringFixed(2))

	pur, err = cfg.Read(p)
	require.NoError(t, err)
	assert.True(t, pur.PartiallyCaptured())
	assert.Equal(t, "4500.00", pur.Paid.StringFixed(2))
	assert.Equal(t, "5000.00", pur.Original.StringFixed(2))
	assert.Equal(t, p.IncomeAmount.Value.StringFixed(2), pur.Income.StringFixed(2))

	// Refund half of the captured 3,375.00 with the creation receipt.
	half, err := cfg.PlanRefund(p, seedReceipt(), sberloan.Share(d("0.5")))
	require.NoError(t, err)
	assert.Equal(t, "1687.50", half.Amount.Value.StringFixed(2))
	assert.Equal(t, "1687.50", receipt.Total(half.Receipt.Items).StringFixed(2))
	_, err = c.CreateRefund(ctx, half)
	require.NoError(t, err)

	p, err = c.GetPayment(ctx, p.ID)
	require.NoError(t, err)
	rest, err := cfg.PlanRefund(p, seedReceipt(), sberloan.Full())
	require.NoError(t, err)
	assert.Equal(t, "1687.50", rest.Amount.Value.StringFixed(2))
	_, err = c.CreateRefund(ctx, rest)
	require.NoError(t, err)

	p, err = c.GetPayment(ctx, p.ID)
	require.NoError(t, err)
	_, err = cfg.PlanRefund(p, nil, sberloan.Full())
	assert.ErrorIs(t, err, sberloan.ErrWrongStatus, "fully refunded")
}

func TestSimulatorInstallmentsCaptureByItems(t *testing.T) {
	ctx := context.Background()
	s, c, cfg := simulator(t)
	p := createAndPay(t, s, c, cfg, "installments_12", false)

	// Product 1 and one of the two units of Product 2.
	picks := []receipt.Pick{{Line: 0, Quantity: d("1")}, {Line: 1, Quantity: d("1")}}
	capture, err := cfg.PlanCapture(p, seedReceipt(), sberloan.Items(picks...))
	require.NoError(t, err)
	assert.Equal(t, "3600.00", capture.Amount.Value.StringFixed(2))
	p, err = c.CapturePayment(ctx, p.ID, capture)
	require.NoError(t, err)
	assert.Equal(t, "3600.00", p.Amount.Value.StringFixed(2))

	// The undiscounted lines of what was captured describe the payment now:
	// refund the unit of Product 2 by items.
	captured, err := receipt.Select(seedReceipt().Items, picks)
	require.NoError(t, err)
	capturedReceipt := &yookassa.ReceiptData{Customer: seedReceipt().Customer, Items: captured}
	refund, err := cfg.PlanRefund(p, capturedReceipt, sberloan.Items(receipt.Pick{Line: 1, Quantity: d("1")}))
	require.NoError(t, err)
	assert.Equal(t, "900.00", refund.Amount.Value.StringFixed(2))
	assert.Equal(t, []string{"Product 2: 900.00 x 1"}, lines(refund.Receipt.Items))
	_, err = c.CreateRefund(ctx, refund)
	require.NoError(t, err)

	// By items with the creation receipt is refused: those lines were not
	// all captured.
	p, err = c.GetPayment(ctx, p.ID)
	require.NoError(t, err)
	_, err = cfg.PlanRefund(p, seedReceipt(), sberloan.Items(receipt.Pick{Line: 0, Quantity: d("1")}))
	assert.ErrorIs(t, err, sberloan.ErrReceipt)
}

func TestSimulatorLoan(t *testing.T) {
	ctx := context.Background()
	s, c, cfg := simulator(t)
	p := createAndPay(t, s, c, cfg, "loan", true)

	pur, err := cfg.Read(p)
	require.NoError(t, err)
	assert.Equal(t, sberloan.OptionLoan, pur.Option)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, pur.Status)
	assert.Equal(t, "5000.00", pur.Amount.StringFixed(2))
	assert.Equal(t, "4825.00", pur.Income.StringFixed(2))

	_, err = cfg.PlanCapture(p, seedReceipt(), sberloan.Full())
	assert.ErrorIs(t, err, sberloan.ErrWrongStatus, "captured at once")

	refund, err := cfg.PlanRefund(p, seedReceipt(), sberloan.Items(receipt.Pick{Line: 1, Quantity: d("2")}))
	require.NoError(t, err)
	assert.Equal(t, "2000.00", refund.Amount.Value.StringFixed(2))
	_, err = c.CreateRefund(ctx, refund)
	require.NoError(t, err)
}

func TestSimulatorInstallmentsFullCapture(t *testing.T) {
	ctx := context.Background()
	s, c, cfg := simulator(t)
	p := createAndPay(t, s, c, cfg, "installments_12", false)
	capture, err := cfg.PlanCapture(p, seedReceipt(), sberloan.Full())
	require.NoError(t, err)
	assert.Equal(t, []string{"Product 1: 2700.00 x 1", "Product 2: 900.00 x 2"}, lines(capture.Receipt.Items))
	p, err = c.CapturePayment(ctx, p.ID, capture)
	require.NoError(t, err)
	assert.Equal(t, "4500.00", p.Amount.Value.StringFixed(2))

	pur, err := cfg.Read(p)
	require.NoError(t, err)
	assert.False(t, pur.PartiallyCaptured())
	refund, err := cfg.PlanRefund(p, seedReceipt(), sberloan.Share(d("0.5")))
	require.NoError(t, err)
	assert.Equal(t, "2250.00", refund.Amount.Value.StringFixed(2))
	_, err = c.CreateRefund(ctx, refund)
	require.NoError(t, err)
}
