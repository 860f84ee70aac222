package receipt_test

import (
	"math/rand/v2"
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
)

// benchCart is a 100-line receipt whose discounted amount needs balancing
// with a split: the hard case.
func benchCart(b *testing.B) ([]yookassa.ReceiptItem, decimal.Decimal, decimal.Decimal) {
	b.Helper()
	percent := dec("10")
	for seed := uint64(1); ; seed++ {
		r := rand.New(rand.NewPCG(seed, 100))
		items := randomCart(r, receipt.MaxLines-1)
		target := receipt.DiscountedTotal(items, percent)
		out, err := receipt.Balance(receipt.ApplyDiscount(items, percent), target)
		if err == nil && len(out) == receipt.MaxLines {
			return items, percent, target
		}
	}
}

var sink []yookassa.ReceiptItem

// BenchmarkApplyDiscountOnly is the baseline: per-line rounding alone.
func BenchmarkApplyDiscountOnly(b *testing.B) {
	items, percent, _ := benchCart(b)
	b.ReportAllocs()
	for b.Loop() {
		sink = receipt.ApplyDiscount(items, percent)
	}
}

// BenchmarkDecimalDiscountOnly is per-line rounding written naively with
// decimal arithmetic, for comparison with ApplyDiscount's integer path.
func BenchmarkDecimalDiscountOnly(b *testing.B) {
	items, percent, _ := benchCart(b)
	f := decimal.NewFromInt(100).Sub(percent).Shift(-2)
	b.ReportAllocs()
	for b.Loop() {
		out := make([]yookassa.ReceiptItem, len(items))
		copy(out, items)
		for i := range out {
			out[i].Amount.Value = out[i].Amount.Value.Mul(f).Round(2)
		}
		sink = out
	}
}

// BenchmarkApplyDiscountBalance is ApplyDiscount + Balance of a 100-line
// receipt to its discounted amount.
func BenchmarkApplyDiscountBalance(b *testing.B) {
	items, percent, target := benchCart(b)
	b.ReportAllocs()
	for b.Loop() {
		out, err := receipt.Balance(receipt.ApplyDiscount(items, percent), target)
		if err != nil {
			b.Fatal(err)
		}
		sink = out
	}
}

// BenchmarkReprice is the same work ranked by the true remainders.
func BenchmarkReprice(b *testing.B) {
	items, percent, target := benchCart(b)
	b.ReportAllocs()
	for b.Loop() {
		out, err := receipt.Reprice(items, percent, target)
		if err != nil {
			b.Fatal(err)
		}
		sink = out
	}
}

// BenchmarkScale takes a third of a 100-line receipt.
func BenchmarkScale(b *testing.B) {
	items, _, _ := benchCart(b)
	target := receipt.Total(items).Div(decimal.NewFromInt(3)).Round(2)
	b.ReportAllocs()
	for b.Loop() {
		out, err := receipt.Scale(items, target)
		if err != nil {
			b.Fatal(err)
		}
		sink = out
	}
}
