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
//     search_id, a bound on the decisions in flight, answers kept for a TTL.
//   - [Store], where the handler keeps its decisions: [MemoryStore] for one
//     process, [SQLStore] on PostgreSQL or SQLite for replicas that share
//     their decisions ([Schema], [Migrate]).
//   - [Client], which speaks the protocol from Yandex's side; useful for
//     integration tests of a bank endpoint.
//   - [Check], which runs a conformance suite against a live endpoint, the
//     way Yandex checks an integration before it goes live: the protocol,
//     https, polling at the documented GET path, the source allowlist.
//
// # Lenient reading, strict writing
//
// Yandex's own published examples take liberties with the field table. What
// the package reads ([ParseRequest], [ParseResponse], [Client], [Check])
// accepts those that do not change the meaning:
//
//   - a range bound sent as null ("amount": {"min": null, "max": 1000000.0}
//     in the published loan offer) is read as "not given": [Range.HasMin] or
//     [Range.HasMax] reports false. An absent bound is still missing;
//   - a numeric term in a request ("term": 36) is read as the string "36";
//   - a phone number of 10 digits without the country code ("9330445040");
//   - null for any optional field or list ("special_conditions": null);
//   - numbers sent as strings ("10000") and whole numbers written with a
//     fraction (120000.0); unknown fields are ignored.
//
// What the package writes keeps the field table: [Handler] validates the
// answer of its [Decider] with [Response.Validate] and answers 500 instead of
// sending an answer that breaks the table, logging the property at fault
// (such as data[0].amount.min); its encoder writes every number as a JSON
// number and every bound as given (the package's tests hold it to the
// table's JSON kinds). The
// client validates a request before sending it and sends term as a string.
// The fixtures yandex_*.json in testdata are the published examples.
//
// # Source addresses
//
// Yandex calls from an address range it gives the bank on request.
// [WithAllowedSources] makes the handler answer 403 to every other source;
// behind a reverse proxy, [WithTrustedProxies] says whose X-Forwarded-For to
// believe. The check is off by default.
//
// # Paths
//
// The documentation gives the POST and the polling GET different paths. The
// handler does not look at the path at all: mount it at both, for example
//
//	h := loanapproval.Handler(decider, token,
//		loanapproval.WithAllowedSources(yandexRanges...))
//	mux.Handle("/integrations/v1/api/loan_approval", h)
//	mux.Handle("/api/banking/loan_approval", h)
//
// Amounts are in roubles, terms in months, rates and full costs in percent per
// year, grace periods in days.
package loanapproval
