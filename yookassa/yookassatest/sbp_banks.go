package yookassatest

import (
	"cmp"
	"slices"

	"github.com/creditpay/yookassa-go/yookassa"
)

// sbpBankEndpoints is the API of /sbp_banks.
var sbpBankEndpoints = []endpoint{
	{"GET /v3/sbp_banks", (*Server).listSBPBanks},
}

// DefaultSBPBanks are the participants of the Faster Payments System the
// simulator lists unless WithSBPBanks says otherwise: a few large Russian
// banks with their NSPK identifiers and BICs.
func DefaultSBPBanks() []yookassa.SBPBank {
	return []yookassa.SBPBank{
		{BankID: "100000000111", Name: "Сбербанк", BIC: "044525225"},
		{BankID: "100000000022", Name: "ЮMoney", BIC: "044525444"},
		{BankID: "100000000008", Name: "Альфа-Банк", BIC: "044525593"},
		{BankID: "100000000005", Name: "ВТБ", BIC: "044525187"},
		{BankID: "100000000004", Name: "Т-Банк", BIC: "044525974"},
	}
}

// WithSBPBanks replaces the participants of the Faster Payments System
// (DefaultSBPBanks): GET /sbp_banks lists them, and an SBP payout to a
// bank_id not among them is refused.
func WithSBPBanks(banks ...yookassa.SBPBank) Option {
	return func(s *Server) { s.sbpBanks = slices.Clone(banks) }
}

// sortedBanks returns the banks as YooKassa lists them: by bank_id,
// descending.
func sortedBanks(banks []yookassa.SBPBank) []yookassa.SBPBank {
	out := slices.Clone(banks)
	slices.SortFunc(out, func(a, b yookassa.SBPBank) int { return cmp.Compare(b.BankID, a.BankID) })
	return out
}

func (s *Server) listSBPBanks(*apiRequest) answer {
	return ok(yookassa.SBPBankList{Type: "list", Items: sortedBanks(s.sbpBanks)})
}

// sbpBank reports whether id is a listed participant.
func (s *Server) sbpBank(id string) bool {
	return slices.ContainsFunc(s.sbpBanks, func(b yookassa.SBPBank) bool { return b.BankID == id })
}
