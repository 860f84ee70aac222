// Package loanapproval implements the partner side of the Yandex Search
// credit-offers API: the protocol through which Yandex asks a bank whether it
// would give a particular person a cash loan or a credit card, and shows the
// bank's offers in search results.
//
// # Protocol
//
// The bank publishes one HTTPS endpoint protected by a bearer token that it
// shares with Yandex. When a user asks for an offer, Yandex sends
//
//	POST /integrations/v1/api/loan_approval
//	Authorization: Bearer <token>
//
//	{"phone_number":"79991234567","amount":300000,"term":"24",
//	 "product_type":"loan","search_id":"1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b"}
//
// and the bank answers 200 with its decision ("has_approve" or "rejected"),
// its name and the list of offers ([Offer]): amount, term, rate, full cost of
// credit (total_cost), monthly payment, grace period and a link where the user
// fills in the application (propousal_link, spelled that way on the wire).
//
// A bank that cannot decide at once may answer with only the search_id and
// status "pending". Yandex then polls
//
//	GET /api/banking/loan_approval?search_id=<search_id>
//
// until the status becomes "done". The search_id also identifies repeated
// requests: a POST that reuses a search_id must get the same answer, not a
// second decision.
//
// Errors use small JSON bodies with the search_id and a message ([ErrorBody]):
// 400 for an invalid request (with the list of offending properties), 403 for
// a missing or wrong token, 404 for a search_id the bank does not know, and 500
// when the bank failed.
//
// # What the package provides
//
//   - [Request], [Response] and [Offer] with their enumerations, encoded with
//     amounts and rates as JSON numbers and decoded leniently; [ParseRequest]
//     and [ParseResponse] decode and validate in one step, reporting every bad
//     field in a [ValidationError].
//   - [Handler], an http.Handler for the bank: token check, validation,
//     synchronous or asynchronous decisions by a [Decider], one decision per
//     search_id, bounded result storage with a TTL.
//   - [Client], which speaks the protocol from Yandex's side; useful for
//     integration tests of a bank endpoint.
//   - [Check], which runs a conformance suite against a live endpoint, the
//     way Yandex checks an integration before it goes live.
//
// # Paths
//
// The documentation gives the POST and the polling GET different paths. The
// handler does not look at the path at all: mount it at both, for example
//
//	h := loanapproval.Handler(decider, token)
//	mux.Handle("/integrations/v1/api/loan_approval", h)
//	mux.Handle("/api/banking/loan_approval", h)
//
// Amounts are in roubles, terms in months, rates and full costs in percent per
// year, grace periods in days.
package loanapproval
