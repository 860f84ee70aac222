package loanapproval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Result is the outcome of one rule of [Check].
type Result struct {
	// Rule names the rule, such as "post/loan" or "invalid/phone_number/letters".
	Rule string
	// Description says what the rule sends and expects.
	Description string
	// Passed is true when the endpoint behaved as the protocol requires, or
	// when the rule did not apply (Skipped).
	Passed bool
	// Skipped is true when the rule did not apply to this endpoint, such as
	// polling for an endpoint that always answers at once.
	Skipped bool
	// Reason explains the outcome: what was seen, and for a failure what
	// was expected.
	Reason string
}

// Report is the outcome of [Check]: one [Result] per rule, in a fixed order.
type Report struct {
	// Endpoint is the URL that was checked, with any password redacted.
	Endpoint string
	// Results holds one entry per rule, in the order the rules ran.
	Results []Result
}

// Passed reports whether every rule passed.
func (r *Report) Passed() bool {
	if r == nil || len(r.Results) == 0 {
		return false
	}
	for _, res := range r.Results {
		if !res.Passed {
			return false
		}
	}
	return true
}

// Failed returns the rules that failed.
func (r *Report) Failed() []Result {
	var out []Result
	for _, res := range r.Results {
		if !res.Passed {
			out = append(out, res)
		}
	}
	return out
}

// Result returns the result of the named rule.
func (r *Report) Result(rule string) (Result, bool) {
	for _, res := range r.Results {
		if res.Rule == rule {
			return res, true
		}
	}
	return Result{}, false
}

// String prints the report as a table: rule, PASS/FAIL/SKIP and the reason,
// followed by a summary line.
func (r *Report) String() string {
	if r == nil {
		return "no report"
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tRESULT\tDETAIL")
	passed, failed, skipped := 0, 0, 0
	for _, res := range r.Results {
		mark := "PASS"
		switch {
		case res.Skipped:
			mark = "SKIP"
			skipped++
		case res.Passed:
			passed++
		default:
			mark = "FAIL"
			failed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", res.Rule, mark, oneLine(res.Reason))
	}
	_ = tw.Flush()
	fmt.Fprintf(&b, "%d rules: %d passed, %d failed, %d skipped\n", len(r.Results), passed, failed, skipped)
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// CheckOption configures [Check].
type CheckOption func(*checker)

// CheckHTTPClient sends the check's requests through hc (by default an
// *http.Client with a [DefaultClientTimeout] timeout). Redirects are never
// followed, whatever hc says.
func CheckHTTPClient(hc *http.Client) CheckOption {
	return func(c *checker) {
		if hc == nil {
			c.errs = append(c.errs, configError("http client", "nil"))
			return
		}
		c.hc = noRedirects(hc)
	}
}

// CheckPhoneNumber sets the phone number of the valid requests (default
// 79990000000). Use it to steer a test endpoint to a particular decision.
func CheckPhoneNumber(phone string) CheckOption {
	return func(c *checker) {
		if phone != "" {
			c.phone = phone
		}
	}
}

// CheckPolling sets the polling of pending answers: the first wait, the
// longest wait, and how long to wait in total for done (defaults 100ms, 2s
// and 60s).
func CheckPolling(initial, longest, timeout time.Duration) CheckOption {
	return func(c *checker) {
		if initial > 0 {
			c.pollInitial = initial
		}
		if longest > 0 {
			c.pollMax = longest
		}
		if timeout > 0 {
			c.pollTimeout = timeout
		}
	}
}

// CheckPollURL names the URL Yandex polls with GET ?search_id=. By default
// it is derived from the endpoint: for an endpoint at the documented POST
// path .../integrations/v1/api/loan_approval it is the documented GET path
// .../api/banking/loan_approval on the same host. The URL follows the
// endpoint's rules; one that breaks them makes Check return an error.
func CheckPollURL(u string) CheckOption {
	return func(c *checker) {
		p, err := parseEndpoint("poll URL", u)
		if err != nil {
			c.errs = append(c.errs, err)
			return
		}
		c.pollURL, c.pollURLSet = p, true
	}
}

// CheckForeignClient gives the check a second way out: hc must send its
// requests from an address the endpoint's source allowlist does not hold
// (another network, an outside proxy; see [WithAllowedSources]). With it,
// the rule allowlist/foreign-address sends a valid request with the right
// token through hc and expects 403. Without it the rule is skipped.
func CheckForeignClient(hc *http.Client) CheckOption {
	return func(c *checker) {
		if hc == nil {
			c.errs = append(c.errs, configError("foreign http client", "nil"))
			return
		}
		c.foreign = noRedirects(hc)
	}
}

// Check runs against a live endpoint the requests Yandex sends when it checks
// an integration, and validates every answer against the protocol, including
// the JSON kinds on the wire and the shapes of the error bodies. Answers are
// read as [ParseResponse] reads them: the liberties of Yandex's own examples
// pass, anything else the field table forbids fails.
//
//   - a valid request for each product type (loan, credit_card) gets 200 and
//     a valid answer, polled to done when it is pending;
//   - the endpoint answers over https (plain http passes only for a
//     loopback host, as a skipped rule, for tests; for any other host Check
//     sends nothing and the report holds only this failed rule, since the
//     token and phone numbers would travel in clear);
//   - pending answers are polled to done at the poll URL ([CheckPollURL]),
//     and a GET there repeats the final answer of a decided search_id;
//   - a repeated search_id gets the same answer;
//   - a missing or wrong token gets 403;
//   - a request from an address outside the endpoint's allowlist gets 403
//     (with [CheckForeignClient]);
//   - a poll for an unknown search_id gets 404;
//   - each kind of invalid request (bad or missing phone_number,
//     product_type or search_id, a loan without term, a bad amount or term, a
//     body that is not JSON) gets 400, naming the field when properties are
//     given.
//
// endpoint is the URL the POST goes to. Redirects are never followed. Check
// returns an error only when it cannot run at all: an endpoint that is not an
// http or https URL, an empty token, a bad option (these match
// [ErrInvalidConfig]), a context that is already done, or an endpoint that
// cannot be reached. Anything the endpoint does wrong is a failed rule in the
// report; no reason in it repeats the token.
func Check(ctx context.Context, endpoint, token string, opts ...CheckOption) (*Report, error) {
	u, err := parseHTTPURL("endpoint", endpoint)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, configError("token", "the check needs the endpoint's token")
	}
	if ctx == nil {
		return nil, errors.New("loanapproval: nil context")
	}
	c := &checker{
		endpoint:    u,
		token:       token,
		hc:          noRedirects(&http.Client{Timeout: DefaultClientTimeout}),
		phone:       "79990000000",
		pollInitial: 100 * time.Millisecond,
		pollMax:     2 * time.Second,
		pollTimeout: 60 * time.Second,
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if err := errors.Join(c.errs...); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loanapproval: check not started: %w", err)
	}
	if !c.pollURLSet {
		c.pollURL, c.pollURLSet = documentedPollURL(u)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		c.report.Endpoint = u.Redacted()
		c.add(ruleHTTPS, descHTTPS, false,
			"plain http to a host that is not loopback: the token and phone numbers would travel in clear; no request was sent")
		return &c.report, nil
	}
	return c.run(ctx)
}

const (
	ruleHTTPS = "transport/https"
	descHTTPS = "the endpoint answers over https"

	documentedPostPath = "/integrations/v1/api/loan_approval"
	documentedPollPath = "/api/banking/loan_approval"
)

// documentedPollURL returns the documented GET URL for an endpoint at the
// documented POST path, or the endpoint itself and false.
func documentedPollURL(endpoint *url.URL) (*url.URL, bool) {
	prefix, ok := strings.CutSuffix(strings.TrimRight(endpoint.Path, "/"), documentedPostPath)
	if !ok {
		return endpoint, false
	}
	u := *endpoint
	u.Path = prefix + documentedPollPath
	u.RawPath = ""
	u.RawQuery = ""
	return &u, true
}

type checker struct {
	endpoint    *url.URL
	pollURL     *url.URL
	pollURLSet  bool // the poll URL is the documented one or the caller's
	token       string
	hc          *http.Client
	foreign     *http.Client
	phone       string
	pollInitial time.Duration
	pollMax     time.Duration
	pollTimeout time.Duration
	errs        []error

	report     Report
	pendingHit int // answers seen pending
	pollErr    []string
	plainSeen  bool // an answer came without TLS
}

func (c *checker) send(ctx context.Context, method, target, token string, body []byte) (answer, error) {
	return c.sendVia(ctx, c.hc, method, target, token, body)
}

func (c *checker) sendVia(ctx context.Context, hc *http.Client, method, target, token string, body []byte) (answer, error) {
	ans, err := roundTrip(ctx, hc, method, target, token, body)
	if err != nil {
		return ans, err
	}
	if !ans.tls {
		c.plainSeen = true
	}
	// Whatever the endpoint echoes, the token goes no further than here:
	// reasons quote bodies, and are cut short only after this.
	ans.body = []byte(scrub(string(ans.body), c.token, c.phone))
	return ans, nil
}

// add records a result; a reason never repeats the token, whatever the
// endpoint echoed.
func (c *checker) add(rule, desc string, passed bool, reason string) {
	c.report.Results = append(c.report.Results, Result{Rule: rule, Description: desc, Passed: passed, Reason: scrub(reason, c.token, c.phone)})
}

func (c *checker) skip(rule, desc, reason string) {
	c.report.Results = append(c.report.Results, Result{Rule: rule, Description: desc, Passed: true, Skipped: true, Reason: reason})
}

func (c *checker) pollTarget(searchID string) string { return withSearchID(c.pollURL, searchID) }

func (c *checker) run(ctx context.Context) (*Report, error) {
	c.report.Endpoint = c.endpoint.Redacted()
	post := c.endpoint.String()

	// Valid requests, one per product type.
	loanAmount := decimal.NewFromInt(300000)
	cardAmount := decimal.NewFromInt(100000)
	loan := &Request{PhoneNumber: c.phone, Amount: &loanAmount, Term: "24", ProductType: ProductLoan, SearchID: uuid.NewString()}
	card := &Request{PhoneNumber: c.phone, Amount: &cardAmount, ProductType: ProductCreditCard, SearchID: uuid.NewString()}

	var first *Response
	for i, req := range []*Request{loan, card} {
		rule := "post/" + string(req.ProductType)
		desc := "a valid " + string(req.ProductType) + " request gets 200 and a valid answer, polled to done if pending"
		body, _ := json.Marshal(req)
		resp, reason, err := c.decide(ctx, post, body, req)
		if err != nil {
			var te *TransportError
			if i == 0 && errors.As(err, &te) && len(c.pollErr) == 0 {
				return nil, fmt.Errorf("loanapproval: check could not reach the endpoint: %w", err)
			}
			if ctx.Err() != nil {
				return nil, fmt.Errorf("loanapproval: check interrupted: %w", ctx.Err())
			}
			c.add(rule, desc, false, reason)
			continue
		}
		c.add(rule, desc, true, reason)
		if i == 0 {
			first = resp
		}
	}

	// Transport.
	switch {
	case c.endpoint.Scheme == "https" && !c.plainSeen:
		c.add(ruleHTTPS, descHTTPS, true, "every answer came over TLS")
	case c.endpoint.Scheme == "https":
		c.add(ruleHTTPS, descHTTPS, false, "an answer came without TLS")
	default:
		c.skip(ruleHTTPS, descHTTPS, "plain http to a loopback host: allowed for tests only")
	}

	// Asynchronous polling.
	pollDesc := "pending answers are polled with GET ?search_id= at " + c.pollURL.Redacted() + " until done"
	switch {
	case c.pendingHit == 0:
		c.skip("async/polling", pollDesc, "the endpoint answered synchronously")
	case len(c.pollErr) > 0:
		c.add("async/polling", pollDesc, false, strings.Join(c.pollErr, "; "))
	default:
		c.add("async/polling", pollDesc, true, "pending answers reached done")
	}
	c.documentedGet(ctx, first, loan.SearchID)

	// Repeated search_id.
	const repeatDesc = "a repeated POST with the same search_id gets the same answer"
	if first == nil {
		c.add("repeat/search_id", repeatDesc, false, "no valid first answer to compare with (see post/loan)")
	} else {
		body, _ := json.Marshal(loan)
		again, reason, err := c.decide(ctx, post, body, loan)
		switch {
		case err != nil:
			c.add("repeat/search_id", repeatDesc, false, "repeat: "+reason)
		default:
			a, _ := json.Marshal(first)
			b, _ := json.Marshal(again)
			if bytes.Equal(a, b) {
				c.add("repeat/search_id", repeatDesc, true, "same answer")
			} else {
				c.add("repeat/search_id", repeatDesc, false, "the answer differs from the first one: "+describeDiff(first, again))
			}
		}
	}

	// Authorisation.
	for _, a := range []struct{ rule, desc, token string }{
		{"auth/missing-token", "a POST without Authorization gets 403", ""},
		{"auth/wrong-token", "a POST with a wrong bearer token gets 403", "wrong-" + uuid.NewString()},
	} {
		req := *loan
		req.SearchID = uuid.NewString()
		body, _ := json.Marshal(&req)
		ans, err := c.send(ctx, http.MethodPost, post, a.token, body)
		if err != nil {
			c.add(a.rule, a.desc, false, "no answer: "+err.Error())
			continue
		}
		ok, reason := expectError(ans, http.StatusForbidden, req.SearchID, false, "")
		c.add(a.rule, a.desc, ok, reason)
	}

	// Source allowlist.
	{
		const rule, desc = "allowlist/foreign-address", "a valid POST from an address outside the allowlist gets 403"
		if c.foreign == nil {
			c.skip(rule, desc, "no foreign vantage point configured (CheckForeignClient)")
		} else {
			req := *loan
			req.SearchID = uuid.NewString()
			body, _ := json.Marshal(&req)
			ans, err := c.sendVia(ctx, c.foreign, http.MethodPost, post, c.token, body)
			if err != nil {
				c.add(rule, desc, false, "no answer: "+err.Error())
			} else {
				ok, reason := expectError(ans, http.StatusForbidden, req.SearchID, false, "")
				c.add(rule, desc, ok, reason)
			}
		}
	}

	// Unknown search_id.
	{
		const rule, desc = "get/unknown-search_id", "a poll for a search_id the bank never saw gets 404"
		id := uuid.NewString()
		ans, err := c.send(ctx, http.MethodGet, c.pollTarget(id), c.token, nil)
		if err != nil {
			c.add(rule, desc, false, "no answer: "+err.Error())
		} else {
			ok, reason := expectError(ans, http.StatusNotFound, id, true, "")
			c.add(rule, desc, ok, reason)
		}
	}

	// Invalid requests.
	for _, inv := range c.invalidCases() {
		ans, err := c.send(ctx, http.MethodPost, post, c.token, inv.body)
		desc := "gets 400: " + inv.what
		if err != nil {
			c.add(inv.rule, desc, false, "no answer: "+err.Error())
			continue
		}
		ok, reason := expectError(ans, http.StatusBadRequest, inv.searchID, false, inv.property)
		c.add(inv.rule, desc, ok, reason)
	}

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loanapproval: check interrupted: %w", err)
	}
	return &c.report, nil
}

// documentedGet checks that a GET ?search_id= at the poll URL repeats the
// final answer of the loan decided first.
func (c *checker) documentedGet(ctx context.Context, first *Response, searchID string) {
	const rule = "get/documented-path"
	desc := "a GET ?search_id= at " + c.pollURL.Redacted() + " repeats the final answer of a decided search_id"
	switch {
	case !c.pollURLSet:
		c.skip(rule, desc, "the endpoint is not at the documented POST path "+documentedPostPath+
			"; name the GET URL with CheckPollURL")
		return
	case first == nil:
		c.add(rule, desc, false, "no valid first answer to compare with (see post/loan)")
		return
	}
	ans, err := c.send(ctx, http.MethodGet, c.pollTarget(searchID), c.token, nil)
	if err != nil {
		c.add(rule, desc, false, "no answer: "+err.Error())
		return
	}
	if c.pendingHit == 0 && (ans.status == http.StatusNotFound || ans.status == http.StatusMethodNotAllowed) {
		c.skip(rule, desc, fmt.Sprintf("a synchronous endpoint that keeps no answers for GET (%d)", ans.status))
		return
	}
	resp, reason, err := checkAnswer(ans, searchID)
	switch {
	case err != nil:
		c.add(rule, desc, false, reason)
	case resp.Status != StatusDone:
		c.add(rule, desc, false, "status "+string(resp.Status)+" for a search_id already decided")
	default:
		a, _ := json.Marshal(first)
		b, _ := json.Marshal(resp)
		if bytes.Equal(a, b) {
			c.add(rule, desc, true, "200 with the same answer")
		} else {
			c.add(rule, desc, false, "the answer differs from the POST's: "+describeDiff(first, resp))
		}
	}
}

// decide POSTs body and polls until done. It returns the final answer and a
// reason describing it, or an error and a reason describing the failure.
func (c *checker) decide(ctx context.Context, post string, body []byte, req *Request) (*Response, string, error) {
	ans, err := c.send(ctx, http.MethodPost, post, c.token, body)
	if err != nil {
		return nil, "no answer: " + err.Error(), err
	}
	resp, reason, err := checkAnswer(ans, req.SearchID)
	if err != nil {
		return nil, "POST: " + reason, err
	}
	if resp.Status == StatusDone {
		return resp, summarize(resp), nil
	}
	c.pendingHit++
	deadline := time.Now().Add(c.pollTimeout)
	wait := c.pollInitial
	polls := 0
	for resp.Status != StatusDone {
		if time.Now().Add(wait).After(deadline) {
			msg := fmt.Sprintf("still pending after %s", c.pollTimeout)
			c.pollErr = append(c.pollErr, string(req.ProductType)+": "+msg)
			return nil, msg, errors.New(msg)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, "interrupted while polling", ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, c.pollMax)
		polls++
		ans, err := c.send(ctx, http.MethodGet, c.pollTarget(req.SearchID), c.token, nil)
		if err != nil {
			msg := "poll " + strconv.Itoa(polls) + ": no answer: " + err.Error()
			c.pollErr = append(c.pollErr, string(req.ProductType)+": "+msg)
			return nil, msg, err
		}
		if resp, reason, err = checkAnswer(ans, req.SearchID); err != nil {
			msg := "poll " + strconv.Itoa(polls) + ": " + reason
			c.pollErr = append(c.pollErr, string(req.ProductType)+": "+msg)
			return nil, msg, err
		}
	}
	return resp, summarize(resp) + " (after polling)", nil
}

// checkAnswer validates a 200 answer: the JSON kinds, the protocol rules and
// the search_id.
func checkAnswer(ans answer, searchID string) (*Response, string, error) {
	if ans.status != http.StatusOK {
		reason := fmt.Sprintf("expected 200, got %d", ans.status)
		if eb, ok := errorMessage(ans.body); ok {
			reason += " (" + eb + ")"
		}
		return nil, reason, errors.New(reason)
	}
	var problems fieldErrors
	for _, f := range wireCheckResponse(ans.body) {
		problems.add(f.Property, f.Reason)
	}
	resp, err := ParseResponse(ans.body)
	if errors.Is(err, ErrMalformed) {
		return nil, "answer is not valid JSON", err
	}
	var verr *ValidationError
	if errors.As(err, &verr) {
		for _, f := range verr.Fields {
			problems.add(f.Property, f.Reason)
		}
	}
	if resp.SearchID != "" && !strings.EqualFold(resp.SearchID, searchID) {
		problems.add("search_id", "differs from the request's")
	}
	if len(problems) > 0 {
		reason := "invalid answer: " + (&ValidationError{Fields: problems}).fieldList()
		return nil, reason, errors.New(reason)
	}
	return resp, "", nil
}

func (e *ValidationError) fieldList() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.String())
	}
	return strings.Join(parts, "; ")
}

func summarize(r *Response) string {
	n := len(r.Data)
	offers := strconv.Itoa(n) + " offers"
	if n == 1 {
		offers = "1 offer"
	}
	return fmt.Sprintf("200 done, decision %s, %s", r.Decision, offers)
}

func describeDiff(a, b *Response) string {
	switch {
	case a.Decision != b.Decision:
		return fmt.Sprintf("decision %s, then %s", a.Decision, b.Decision)
	case len(a.Data) != len(b.Data):
		return fmt.Sprintf("%d offers, then %d", len(a.Data), len(b.Data))
	case a.Name != b.Name:
		return "name changed"
	}
	return "offers changed"
}

// expectError checks a documented error answer: the status code and the
// body's shape. When exactID is set the body's search_id must equal searchID;
// otherwise it may also be empty. When property is set and the body lists
// properties, the list must contain it.
func expectError(ans answer, want int, searchID string, exactID bool, property string) (bool, string) {
	if ans.status != want {
		reason := fmt.Sprintf("expected %d, got %d", want, ans.status)
		if msg, ok := errorMessage(ans.body); ok {
			reason += " (" + msg + ")"
		}
		return false, reason
	}
	if problems := wireCheckError(ans.body, true); len(problems) > 0 {
		return false, fmt.Sprintf("%d with a body that breaks the documented shape: %s", want,
			(&ValidationError{Fields: problems}).fieldList())
	}
	var eb ErrorBody
	_ = json.Unmarshal(ans.body, &eb)
	switch {
	case exactID && eb.SearchID != searchID:
		return false, fmt.Sprintf("%d, but the body's search_id is %q, not the one asked for", want, eb.SearchID)
	case !exactID && searchID != "" && eb.SearchID != "" && !strings.EqualFold(eb.SearchID, searchID):
		return false, fmt.Sprintf("%d, but the body's search_id differs from the request's", want)
	}
	if property != "" {
		if len(eb.Properties) == 0 {
			return true, fmt.Sprintf("%d (no properties listed)", want)
		}
		if !slices.Contains(eb.Properties, property) {
			return false, fmt.Sprintf("%d, but properties %v do not name %s", want, eb.Properties, property)
		}
		return true, fmt.Sprintf("%d naming %s", want, property)
	}
	return true, strconv.Itoa(want)
}

// errorMessage extracts a short description of an unexpected answer.
func errorMessage(body []byte) (string, bool) {
	var eb struct {
		Message any `json:"message"`
	}
	if json.Unmarshal(body, &eb) != nil {
		return "", false
	}
	s, ok := eb.Message.(string)
	if !ok || s == "" {
		return "", false
	}
	return "message " + strconv.Quote(cut(s, 100)), true
}

type invalidCase struct {
	rule, what string
	property   string // the field the 400 should name; empty for a malformed body
	searchID   string
	body       []byte
}

func (c *checker) invalidCases() []invalidCase {
	base := func() map[string]any {
		return map[string]any{
			"phone_number": c.phone,
			"amount":       json.Number("300000"),
			"term":         "24",
			"product_type": "loan",
			"search_id":    uuid.NewString(),
		}
	}
	type mod struct {
		rule, what, property string
		change               func(m map[string]any)
	}
	mods := []mod{
		{"invalid/phone_number/missing", "no phone_number", "phone_number",
			func(m map[string]any) { delete(m, "phone_number") }},
		{"invalid/phone_number/letters", "phone_number with letters", "phone_number",
			func(m map[string]any) { m["phone_number"] = "7999abc0000" }},
		{"invalid/phone_number/short", "phone_number of 5 digits", "phone_number",
			func(m map[string]any) { m["phone_number"] = "12345" }},
		{"invalid/product_type/missing", "no product_type", "product_type",
			func(m map[string]any) { delete(m, "product_type") }},
		{"invalid/product_type/unknown", `product_type "mortgage"`, "product_type",
			func(m map[string]any) { m["product_type"] = "mortgage" }},
		{"invalid/search_id/missing", "no search_id", "search_id",
			func(m map[string]any) { delete(m, "search_id") }},
		{"invalid/search_id/not-uuid", `search_id "12345"`, "search_id",
			func(m map[string]any) { m["search_id"] = "12345" }},
		{"invalid/term/missing-for-loan", "a loan without term", "term",
			func(m map[string]any) { delete(m, "term") }},
		{"invalid/term/not-a-number", `term "twelve"`, "term",
			func(m map[string]any) { m["term"] = "twelve" }},
		{"invalid/amount/negative", "amount -1000", "amount",
			func(m map[string]any) { m["amount"] = json.Number("-1000") }},
		{"invalid/amount/not-a-number", `amount "lots"`, "amount",
			func(m map[string]any) { m["amount"] = "lots" }},
	}
	out := make([]invalidCase, 0, len(mods)+1)
	for _, md := range mods {
		m := base()
		md.change(m)
		id, _ := m["search_id"].(string)
		body, _ := json.Marshal(m)
		out = append(out, invalidCase{rule: md.rule, what: md.what, property: md.property, searchID: id, body: body})
	}
	out = append(out, invalidCase{
		rule: "invalid/body/malformed", what: "a body that is not JSON",
		body: []byte(`{"phone_number":"` + c.phone + `","product_type":`),
	})
	return out
}
