package sberloan_test

import (
	"github.com/creditpay/yookassa-go/yookassa"
)

// seedReceipt is the receipt of seed 003 the payment was created with:
// Product 1 at 3,000.00 x 1 and Product 2 at 1,000.00 x 2, total 5,000.00.
func seedReceipt() *yookassa.ReceiptData {
	return &yookassa.ReceiptData{
		Customer: &yookassa.Customer{Email: "buyer@example.com"},
		Items: []yookassa.ReceiptItem{
			{Description: "Product 1", Amount: rub("3000.00"), VatCode: yookassa.Vat20, Quantity: d("1"),
				PaymentSubject: yookassa.PaymentSubjectCommodity, PaymentMode: yookassa.PaymentModeFullPayment},
			{Description: "Product 2", Amount: rub("1000.00"), VatCode: yookassa.Vat20, Quantity: d("2"),
				PaymentSubject: yookassa.PaymentSubjectCommodity, PaymentMode: yookassa.PaymentModeFullPayment},
		},
	}
}
