// Package receipt does the arithmetic of 54-FZ receipts that travel with
// YooKassa payments, captures and refunds, so that they add up to the kopeck.
//
// YooKassa compares a receipt with the amount it is sent with using one rule
// (see [Total]): each line's unit price x quantity is rounded half away from
// zero to kopecks, the rounded line totals are added, and the sum must equal
// the amount exactly. A receipt that is off by a single kopeck is refused.
//
// Installment plans (sber_loan) make this hard. When the buyer takes one, the
// shop receives the order amount minus a discount, and YooKassa reprices the
// payment's receipt by itself: 3,000 x 1 and 1,000 x 2 at 10% become 2,700 x 1
// and 900 x 2, 4,500 in all. For a partial capture or a partial refund the shop
// must reprice the items itself, price x (1 - percent/100) rounded to kopecks
// (999.90 at 5% is 949.905, sent as 949.91) — and then the rounded lines often
// miss the amount: 3 x 333.33 at 10% gives 3 x 300.00 = 900.00, while the
// discounted amount is 999.99 x 0.9 = 899.991, that is 899.99.
//
// The package closes such gaps deterministically and in a way that can be
// explained line by line:
//
//   - [ApplyDiscount] reprices unit prices, [DiscountedTotal] gives the exact
//     discounted amount, [Scale] takes a share of a receipt (three quarters of
//     4,500 is 3,375), and [Select] takes some units of some lines.
//   - [Balance] moves only the rounding residue, the difference between the
//     amount and the items' total: a unit price moves by one kopeck or not at
//     all, lines of quantity 1 first, and when only some units of a line must
//     move they are split off into a new line right after it
//     (3 x 300.00 to reach 899.99 becomes 2 x 300.00 + 1 x 299.99).
//   - [Reprice] is [ApplyDiscount] followed by balancing, ranking lines by how far
//     rounding moved each price from its exact value.
//   - A residue larger than rounding could have caused, or one that only
//     fractional-quantity lines are left to absorb, is reported as a
//     [*BalanceError] that says by how much and why; malformed input is a
//     [*yookassa.ValidationError] naming the field. Nothing panics.
//   - [Validate] applies the rest of YooKassa's receipt rules.
//
// Money is decimal.Decimal throughout; inside, the balancing runs on integer
// kopecks and thousandths of a unit, so it is exact and fast.
package receipt
