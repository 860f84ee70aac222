package receipt_test

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/creditpay/yookassa-go/receipt"
	"github.com/creditpay/yookassa-go/yookassa"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// FuzzBalance balances random carts of 1-100 lines, discounted by 0-99.99%,
// to their discounted amount (ApplyDiscount + Balance, and Reprice) and to a
// target shifted by delta kopecks (Balance and Reprice), checking every rule
// of Balance or the documented error.
func FuzzBalance(f *testing.F) {
	f.Add(uint64(1), uint8(0), uint16(1000), int16(0))
	f.Add(uint64(2), uint8(99), uint16(500), int16(1))
	f.Add(uint64(3), uint8(49), uint16(9999), int16(-3))
	f.Add(uint64(4), uint8(9), uint16(0), int16(300))
	f.Fuzz(func(t *testing.T, seed uint64, lines uint8, bp uint16, delta int16) {
		r := rand.New(rand.NewPCG(seed, uint64(lines)))
		items := randomCart(r, 1+int(lines)%receipt.MaxLines)
		percent := decimal.New(int64(bp%10000), -2)
		target := receipt.DiscountedTotal(items, percent)
		checkDiscountBalance(t, items, percent, target)

		shifted := target.Add(decimal.New(int64(delta), -2))
		if !shifted.IsPositive() {
			_, err := receipt.Balance(items, shifted)
			var ve *yookassa.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Equal(t, "target", ve.Field)
			return
		}
		out, err := receipt.Reprice(items, percent, shifted)
		expectBalanced(t, repriced(items, discounted(percent)), out, err, shifted)
		shifted = receipt.Total(items).Add(decimal.New(int64(delta), -2))
		if shifted.IsPositive() {
			out, err = receipt.Balance(items, shifted)
			expectBalanced(t, byPrice(items), out, err, shifted)
		}
	})
}

// FuzzScale scales random carts to a target of 0.01 up to a kopeck above
// their total.
func FuzzScale(f *testing.F) {
	f.Add(uint64(1), uint8(0), uint64(0))
	f.Add(uint64(2), uint8(99), uint64(1<<40))
	f.Add(uint64(3), uint8(1), uint64(12345))
	f.Fuzz(func(t *testing.T, seed uint64, lines uint8, share uint64) {
		r := rand.New(rand.NewPCG(seed, uint64(lines)))
		items := randomCart(r, 1+int(lines)%receipt.MaxLines)
		total := receipt.Total(items).Shift(2).IntPart()
		target := decimal.New(1+int64(share%uint64(total+1)), -2)
		checkScale(t, items, target)
	})
}

// FuzzSelect picks from random carts with picks built from bytes: three bytes
// per pick, the line (which may be out of range) and a quantity in
// thousandths (which may be zero, negative, too large, or in ten-thousandths).
func FuzzSelect(f *testing.F) {
	f.Add(uint64(1), uint8(1), []byte{1, 0x03, 0xe8})
	f.Add(uint64(2), uint8(9), []byte{0, 0x03, 0xe8, 3, 0x01, 0xf4, 0, 0x03, 0xe8})
	f.Add(uint64(3), uint8(99), []byte{0xff, 0x00, 0x07})
	f.Fuzz(func(t *testing.T, seed uint64, lines uint8, raw []byte) {
		r := rand.New(rand.NewPCG(seed, uint64(lines)))
		items := randomCart(r, 1+int(lines)%receipt.MaxLines)
		var picks []receipt.Pick
		for i := 0; i+2 < len(raw) && len(picks) < 2*receipt.MaxLines; i += 3 {
			m := int64(int16(uint16(raw[i+1])<<8 | uint16(raw[i+2])))
			q := decimal.New(m, -3)
			if m%7 == 0 {
				q = decimal.New(m, -4)
			}
			picks = append(picks, receipt.Pick{Line: int(int8(raw[i])), Quantity: q})
		}
		checkSelect(t, items, picks)
	})
}

// FuzzDecimalInputs feeds arbitrary decimal strings (huge exponents, long
// coefficients, signs) to every function: no panic, no hang, and either a
// documented error or a receipt that totals the target.
func FuzzDecimalInputs(f *testing.F) {
	f.Add("333.33", "3", "1000.00", "10")
	f.Add("999.90", "1", "949.91", "5")
	f.Add("1e999999999", "1", "1", "1e-999999999")
	f.Add("1.0000000000000000000000001", "0.0000000000000000000000001", "1e20", "99.999")
	f.Add("0.01", "1000000000000", "100000000000000", "-0")
	f.Fuzz(func(t *testing.T, price, quantity, target, percent string) {
		p, err1 := decimal.NewFromString(price)
		q, err2 := decimal.NewFromString(quantity)
		tg, err3 := decimal.NewFromString(target)
		pc, err4 := decimal.NewFromString(percent)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return
		}
		items := []yookassa.ReceiptItem{
			{Description: "Fuzzed", Amount: yookassa.RUB(p), VatCode: 1, Quantity: q},
			{Description: "Plain", Amount: yookassa.RUB(dec("1.00")), VatCode: 1, Quantity: dec("1")},
		}
		valid := sane(p, 2, 15) && sane(q, 3, 12) && sane(tg, 2, 15) &&
			p.Mul(q).Round(2).Add(decimal.NewFromInt(1)).LessThanOrEqual(decimal.New(1, 15)) // the total

		checkResult := func(name string, out []yookassa.ReceiptItem, err error) {
			if err != nil {
				var ve *yookassa.ValidationError
				var be *receipt.BalanceError
				require.True(t, errors.As(err, &ve) || errors.As(err, &be), "%s: unexpected error %v", name, err)
				if be != nil {
					require.True(t, be.Residue.Equal(be.Target.Sub(be.Total)))
				}
				return
			}
			require.True(t, valid, "%s accepted %s x %s to %s", name, price, quantity, target)
			require.True(t, receipt.Total(out).Equal(tg), "%s: total %s, target %s", name, receipt.Total(out), tg)
			for _, it := range out {
				require.True(t, it.Amount.Value.IsPositive())
			}
		}
		out, err := receipt.Balance(items, tg)
		checkResult("Balance", out, err)
		if valid {
			expectBalanced(t, byPrice(items), out, err, tg)
		}
		out, err = receipt.Scale(items, tg)
		checkResult("Scale", out, err)
		out, err = receipt.Reprice(items, pc, tg)
		checkResult("Reprice", out, err)

		disc := receipt.ApplyDiscount(items, pc)
		require.Len(t, disc, 2)
		// Copied unchanged: a refused percent, or a price with a wild exponent
		// that is not a whole number of kopecks.
		e := p.Exponent()
		if receipt.CheckDiscount(pc) != nil || !p.IsZero() && (e > 30 || e < -30 && p.NumDigits() <= 18) {
			got := disc[0].Amount.Value
			if p.IsZero() {
				require.True(t, got.IsZero())
			} else {
				require.Equal(t, e, got.Exponent(), "unchanged copy")
				require.Zero(t, p.Coefficient().Cmp(got.Coefficient()), "unchanged copy")
			}
		}
		picked, err := receipt.Select(items, []receipt.Pick{{Line: 0, Quantity: q}})
		if err == nil {
			require.True(t, picked[0].Quantity.Equal(q))
		}
	})
}

// sane reports whether d is positive, at most 10^maxExp, with at most places
// decimals, checked without arithmetic that could expand a wild exponent.
func sane(d decimal.Decimal, places, maxExp int32) bool {
	d = normalized(d)
	if d.Sign() <= 0 || d.Exponent() < -40 || d.Exponent() > 20 || d.NumDigits() > 60 {
		return false
	}
	return d.Equal(d.Truncate(places)) && d.LessThanOrEqual(decimal.New(1, maxExp))
}

// normalized drops trailing zeros after the point: 1.000…0 is the value 1
// however many zeros it was written with. The work is bounded by the number
// of digits, never by the exponent.
func normalized(d decimal.Decimal) decimal.Decimal {
	c, e := d.Coefficient(), d.Exponent()
	ten := big.NewInt(10)
	var q, r big.Int
	for e < 0 && c.Sign() != 0 {
		q.QuoRem(c, ten, &r)
		if r.Sign() != 0 {
			break
		}
		c.Set(&q)
		e++
	}
	return decimal.NewFromBigInt(c, e)
}
