package yookassatest

import "github.com/creditpay/yookassa-go/yookassa"

// meEndpoints is the API of /me.
var meEndpoints = []endpoint{
	{"GET /v3/me", (*Server).me},
}

// me answers the shop's settings: a test shop with receipts and the
// methods the simulator serves; to the payout gateway's credentials, the
// gateway's (gatewayMe).
func (s *Server) me(req *apiRequest) answer {
	if req.id.name == agentIdentity {
		return ok(s.gatewayMe())
	}
	enabled := true
	return ok(yookassa.Me{
		AccountID: s.shopID, Status: "enabled", Test: true, Name: "yookassatest",
		Fiscalization: &yookassa.Fiscalization{Enabled: true, Provider: "avanpost"}, FiscalizationEnabled: &enabled,
		PaymentMethods: []yookassa.PaymentMethodType{yookassa.PaymentMethodBankCard, yookassa.PaymentMethodSberLoan,
			yookassa.PaymentMethodYooMoney, yookassa.PaymentMethodSBP},
	})
}
