package yookassatest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/creditpay/yookassa-go/yookassa/yookassatest"
)

func TestSeedInstallmentsStory(t *testing.T) {
	s, c := newSim(t)
	req := sberLoan("5000.00", false)
	req.Receipt = seedCart()
	p := create(t, c, req)
	assert.Equal(t, yookassa.PaymentStatusPending, p.Status)
	assert.Len(t, p.ID, 36)
	assert.Equal(t, s.CheckoutURL(p.ID), p.Confirmation.ConfirmationURL)
	assert.Equal(t, yookassa.PaymentMethodSberLoan, p.PaymentMethod.Type)
	assert.False(t, p.Paid)

	require.NoError(t, s.Confirm(p.ID, "installments_12"))
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, p.Status)
	assert.True(t, p.Paid)
	assert.Equal(t, "4500.00", p.Amount.Value.StringFixed(2))
	assert.Equal(t, yookassa.LoanOptionInstallments(12), p.PaymentMethod.LoanOption)
	assert.Equal(t, "500.00", p.PaymentMethod.DiscountAmount.Value.StringFixed(2))
	assert.Equal(t, "4342.50", p.IncomeAmount.Value.StringFixed(2))
	require.NotNil(t, p.ExpiresAt)
	assert.Equal(t, 2*time.Hour, p.ExpiresAt.Sub(s.Now()).Round(time.Minute), "sber_loan holds for 2 hours")
	assert.Nil(t, p.Confirmation)

	p, err := c.CapturePayment(context.Background(), p.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Equal(t, "4500.00", p.Amount.Value.StringFixed(2))
	assert.Equal(t, yookassa.ReceiptStatusSucceeded, p.ReceiptRegistration)

	rs, err := c.ListReceipts(context.Background(), &yookassa.ReceiptListParams{PaymentID: p.ID})
	require.NoError(t, err)
	require.Len(t, rs.Items, 1)
	items := rs.Items[0].Items
	require.Len(t, items, 2)
	assert.Equal(t, "2700.00", items[0].Amount.Value.StringFixed(2))
	assert.Equal(t, "900.00", items[1].Amount.Value.StringFixed(2))
	assert.True(t, items[1].Quantity.Equal(dec("2")))
	assert.Equal(t, "4500.00", yookassa.ReceiptTotal(items).StringFixed(2))
}

func TestSeedLoanStory(t *testing.T) {
	s, c := newSim(t)
	p := create(t, c, sberLoan("5000.00", true))
	require.NoError(t, s.Confirm(p.ID, "loan"))
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Equal(t, "5000.00", p.Amount.Value.StringFixed(2), "a loan keeps the amount")
	assert.Nil(t, p.PaymentMethod.DiscountAmount)
	assert.Equal(t, yookassa.LoanOptionLoan, p.PaymentMethod.LoanOption)
	assert.Equal(t, "4825.00", p.IncomeAmount.Value.StringFixed(2))
	assert.True(t, p.Refundable)
	assert.NotNil(t, p.CapturedAt)
}

func TestCreationLimits(t *testing.T) {
	s, c := newSim(t)
	for _, tc := range []struct {
		amount string
		ok     bool
	}{
		{"2999.99", false}, {"3000.00", false}, {"3299.99", false}, {"3300.00", true},
		{"600000.00", true}, {"600000.01", false},
	} {
		if tc.ok {
			_, err := c.CreatePayment(context.Background(), sberLoan(tc.amount, false))
			assert.NoError(t, err, tc.amount)
			continue
		}
		// Past the client, which refuses amounts under 3,000 RUB itself.
		status, parameter := rawCreate(t, s, rawJSON(t, sberLoan(tc.amount, false)))
		assert.Equal(t, 400, status, tc.amount)
		assert.True(t, strings.HasPrefix(parameter, "amount"), "%s: parameter %q", tc.amount, parameter)
	}
	// Without installment tariffs the minimum is the loan minimum.
	_, loanOnly := newSim(t, yookassatest.WithTariffs(nil))
	_, err := loanOnly.CreatePayment(context.Background(), sberLoan("3000.00", false))
	assert.NoError(t, err)
}

// rawJSON is the request's JSON, to post past the client's own checks.
func rawJSON(t *testing.T, req any) string {
	t.Helper()
	body, err := json.Marshal(req)
	require.NoError(t, err)
	return string(body)
}

// TestForbiddenParameters posts past the client, which refuses these
// parameters itself, to check the simulator's own refusals.
func TestForbiddenParameters(t *testing.T) {
	s, _ := newSim(t)
	for field, mutate := range map[string]func(*yookassa.PaymentRequest){
		"save_payment_method": func(r *yookassa.PaymentRequest) { r.SavePaymentMethod = true },
		"airline": func(r *yookassa.PaymentRequest) {
			r.Airline = &yookassa.Airline{BookingReference: "IIIKRV"}
		},
		"transfers": func(r *yookassa.PaymentRequest) {
			r.Transfers = []yookassa.TransferRequest{{AccountID: "1", Amount: rub("1")}}
		},
		"confirmation.type": func(r *yookassa.PaymentRequest) {
			r.Confirmation = &yookassa.Confirmation{Type: yookassa.ConfirmationEmbedded}
		},
	} {
		req := sberLoan("5000.00", false)
		mutate(req)
		status, parameter := rawCreate(t, s, rawJSON(t, req))
		assert.Equal(t, 400, status, field)
		assert.Equal(t, field, parameter)
	}
}

func TestPartialCaptureRules(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	req := sberLoan("5000.00", false)
	req.Receipt = seedCart()
	p := create(t, c, req)
	require.NoError(t, s.Confirm(p.ID, "installments_12"))

	_, err := c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("2999.99")})
	requireAPIError(t, err, 400, "amount")
	_, err = c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("4500.01")})
	requireAPIError(t, err, 400, "amount")
	_, err = c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("3375.00")})
	requireAPIError(t, err, 400, "receipt")

	captureReceipt := &yookassa.ReceiptData{Customer: req.Receipt.Customer, Items: []yookassa.ReceiptItem{
		{Description: "Product 1", Amount: rub("2025.00"), VatCode: yookassa.Vat20, Quantity: dec("1")},
		{Description: "Product 2", Amount: rub("675.00"), VatCode: yookassa.Vat20, Quantity: dec("2")},
	}}
	p, err = c.CapturePayment(ctx, p.ID, &yookassa.CaptureRequest{Amount: amountPtr("3375.00"), Receipt: captureReceipt})
	require.NoError(t, err)
	assert.Equal(t, "3375.00", p.Amount.Value.StringFixed(2), "after a partial capture amount is the captured sum")
	assert.Equal(t, "3256.88", p.IncomeAmount.Value.StringFixed(2), "3375 x 0.965 = 3256.875")

	_, err = c.CapturePayment(ctx, p.ID, nil)
	requireAPIError(t, err, 400, "")
	_, err = c.CancelPayment(ctx, p.ID)
	requireAPIError(t, err, 400, "")
}

func TestCancelAndExpiry(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	held := create(t, c, sberLoan("5000.00", false))
	require.NoError(t, s.Confirm(held.ID, "loan"))
	canceled, err := c.CancelPayment(ctx, held.ID)
	require.NoError(t, err)
	assert.Equal(t, yookassa.PaymentStatusCanceled, canceled.Status)
	assert.Equal(t, yookassa.ReasonCanceledByMerchant, canceled.CancellationDetails.Reason)
	assert.Equal(t, yookassa.PartyMerchant, canceled.CancellationDetails.Party)

	forgotten := create(t, c, sberLoan("5000.00", false))
	require.NoError(t, s.Confirm(forgotten.ID, "loan"))
	abandoned := create(t, c, sberLoan("5000.00", false))

	s.Advance(2*time.Hour - time.Second)
	assert.Equal(t, yookassa.PaymentStatusWaitingForCapture, get(t, c, forgotten.ID).Status)
	s.Advance(time.Second)
	p := get(t, c, forgotten.ID)
	assert.Equal(t, yookassa.PaymentStatusCanceled, p.Status)
	assert.Equal(t, yookassa.ReasonExpiredOnCapture, p.CancellationDetails.Reason)

	assert.Equal(t, yookassa.PaymentStatusPending, get(t, c, abandoned.ID).Status)
	s.Advance(6 * time.Hour)
	p = get(t, c, abandoned.ID)
	assert.Equal(t, yookassa.PaymentStatusCanceled, p.Status, "sber_loan under 50,000 must be paid within 8 hours")
	assert.Equal(t, yookassa.ReasonExpiredOnConfirmation, p.CancellationDetails.Reason)
	assert.ErrorIs(t, s.Confirm(abandoned.ID, "loan"), yookassatest.ErrNotPending)
}

func TestCoolingOffPause(t *testing.T) {
	s, c := newSim(t)
	p := create(t, c, sberLoan("120000.00", true))
	require.NoError(t, s.Confirm(p.ID, "installments_6"))
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusPending, p.Status, "the buyer may still back out")
	require.NotNil(t, p.PaymentMethod.SuspendedUntil)
	assert.Equal(t, 4*time.Hour, p.PaymentMethod.SuspendedUntil.Sub(s.Now()).Round(time.Minute))

	s.Advance(4 * time.Hour)
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Equal(t, "111600.00", p.Amount.Value.StringFixed(2), "7% off 120,000")
	assert.Equal(t, "8400.00", p.PaymentMethod.DiscountAmount.Value.StringFixed(2))

	backedOut := create(t, c, sberLoan("250000.00", true))
	require.NoError(t, s.Confirm(backedOut.ID, "loan"))
	assert.Equal(t, 48*time.Hour, get(t, c, backedOut.ID).PaymentMethod.SuspendedUntil.Sub(s.Now()).Round(time.Minute))
	require.NoError(t, s.Decline(backedOut.ID))
	assert.Equal(t, yookassa.PaymentStatusCanceled, get(t, c, backedOut.ID).Status)
}

func TestConfirmRefusesWhatTheBankWouldNot(t *testing.T) {
	s, c := newSim(t)
	p := create(t, c, sberLoan("5000.00", false))
	assert.Error(t, s.Confirm(p.ID, "installments_24"), "not an enabled tariff")
	assert.Error(t, s.Confirm(p.ID, "Loan"))
	assert.Error(t, s.Confirm(p.ID, ""))
	assert.ErrorIs(t, s.Confirm("nope", "loan"), yookassatest.ErrUnknownPayment)
	require.NoError(t, s.Decline(p.ID))
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusCanceled, p.Status)
	assert.Equal(t, yookassa.ReasonGeneralDecline, p.CancellationDetails.Reason)
}

func TestRefunds(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	req := sberLoan("5000.00", true)
	req.Receipt = seedCart()
	p := create(t, c, req)
	require.NoError(t, s.Confirm(p.ID, "installments_12"))

	_, err := c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("2250.00")})
	requireAPIError(t, err, 400, "receipt")
	half := &yookassa.ReceiptData{Customer: req.Receipt.Customer, Items: []yookassa.ReceiptItem{
		{Description: "Product 1", Amount: rub("1350.00"), VatCode: yookassa.Vat20, Quantity: dec("1")},
		{Description: "Product 2", Amount: rub("450.00"), VatCode: yookassa.Vat20, Quantity: dec("2")},
	}}
	r, err := c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("2250.00"), Receipt: half})
	require.NoError(t, err)
	assert.Equal(t, yookassa.RefundStatusSucceeded, r.Status)
	assert.Equal(t, yookassa.ReceiptStatusSucceeded, r.ReceiptRegistration)
	p = get(t, c, p.ID)
	assert.Equal(t, "2250.00", p.RefundedAmount.Value.StringFixed(2))
	assert.True(t, p.Refundable)

	over := &yookassa.ReceiptData{Customer: half.Customer, Items: []yookassa.ReceiptItem{half.Items[0], half.Items[1]}}
	over.Items[0].Amount = rub("1350.01")
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("2250.01"), Receipt: over})
	apiErr := requireAPIError(t, err, 400, "amount")
	assert.Contains(t, apiErr.Description, "2250.00")
	rest := &yookassa.ReceiptData{Customer: half.Customer, Items: half.Items}
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("2250.00"), Receipt: rest})
	require.NoError(t, err)
	p = get(t, c, p.ID)
	assert.False(t, p.Refundable)
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("1.00")})
	requireAPIError(t, err, 400, "payment_id")

	got, err := c.GetRefund(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, r.ID, got.ID)
	list, err := c.ListRefunds(ctx, &yookassa.RefundListParams{PaymentID: p.ID})
	require.NoError(t, err)
	assert.Len(t, list.Items, 2)
	receipts, err := c.ListReceipts(ctx, &yookassa.ReceiptListParams{RefundID: r.ID})
	require.NoError(t, err)
	require.Len(t, receipts.Items, 1)
	assert.Equal(t, yookassa.ReceiptTypeRefund, receipts.Items[0].Type)

	pending := create(t, c, sberLoan("5000.00", false))
	_, err = c.CreateRefund(ctx, &yookassa.RefundRequest{PaymentID: pending.ID, Amount: rub("1.00")})
	requireAPIError(t, err, 400, "payment_id")
}

func TestRefundWindow(t *testing.T) {
	s, c := newSim(t)
	p := create(t, c, sberLoan("5000.00", true))
	require.NoError(t, s.Confirm(p.ID, "loan"))
	s.Advance(181 * 24 * time.Hour)
	_, err := c.CreateRefund(context.Background(), &yookassa.RefundRequest{PaymentID: p.ID, Amount: rub("5000.00")})
	requireAPIError(t, err, 400, "payment_id")
}

func TestBankCardPayment(t *testing.T) {
	s, c := newSim(t)
	p := create(t, c, &yookassa.PaymentRequest{Amount: rub("10.00"), Capture: true,
		Confirmation: &yookassa.Confirmation{Type: yookassa.ConfirmationEmbedded}})
	assert.Equal(t, "ct-"+p.ID, p.Confirmation.ConfirmationToken)
	assert.Error(t, s.Confirm(p.ID, "loan"), "not a sber_loan payment")
	require.NoError(t, s.Confirm(p.ID, ""))
	p = get(t, c, p.ID)
	assert.Equal(t, yookassa.PaymentStatusSucceeded, p.Status)
	assert.Equal(t, yookassa.PaymentMethodBankCard, p.PaymentMethod.Type)
	assert.Equal(t, "9.65", p.IncomeAmount.Value.StringFixed(2))
}
