package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binary is the yookassa-sim built once for the tests of this file.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "yookassa-sim-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "yookassa-sim")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building yookassa-sim:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects a process's stderr.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sim is a running yookassa-sim.
type sim struct {
	t      testing.TB
	cmd    *exec.Cmd
	api    string // http://127.0.0.1:PORT/v3
	base   string // http://127.0.0.1:PORT
	stdout []string
	stderr *syncBuffer
	exited chan error
}

// start runs the binary on a free loopback port with args and waits for
// its line on stdout.
func start(t testing.TB, args ...string) *sim {
	t.Helper()
	s := &sim{t: t, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	s.cmd = exec.Command(binary, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Stderr = s.stderr
	out, err := s.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, s.cmd.Start())
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Log("stderr:\n" + s.stderr.String())
		}
	})
	select {
	case line, ok := <-lines:
		require.True(t, ok, "the simulator exited before it was ready:\n%s", s.stderr.String())
		s.stdout = append(s.stdout, line)
		api, found := strings.CutPrefix(line, "listening on ")
		require.True(t, found, "first line: %q", line)
		require.True(t, strings.HasPrefix(api, "http://") && strings.HasSuffix(api, "/v3"), "first line: %q", line)
		s.api, s.base = api, strings.TrimSuffix(api, "/v3")
	case <-time.After(time.Minute):
		t.Fatalf("no line on stdout in a minute:\n%s", s.stderr.String())
	}
	go func() {
		for line := range lines {
			t.Errorf("more on stdout: %q", line)
		}
	}()
	return s
}

// stop ends the process with SIGTERM and waits for it, so that its log is
// complete (the log is written out in batches). It may be called again.
func (s *sim) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	err := <-s.exited
	s.exited <- err
}

// call sends a request with the default credentials (basic: true) and
// decodes the JSON answer.
func (s *sim) call(method, url, key, body string) (int, map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(s.t, err)
	if strings.HasPrefix(url, s.api) {
		req.SetBasicAuth("100500", "test_secret")
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotence-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	var m map[string]any
	require.NoError(s.t, json.Unmarshal(raw, &m), "%s %s -> %d %s", method, url, resp.StatusCode, raw)
	return resp.StatusCode, m
}

// path reads a nested field: path(m, "amount", "value").
func path(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// hooks is a webhook receiver.
type hooks struct {
	*httptest.Server
	mu     sync.Mutex
	events []string
}

func newHooks(t *testing.T) *hooks {
	h := &hooks{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n struct{ Event string }
		_ = json.NewDecoder(r.Body).Decode(&n)
		h.mu.Lock()
		h.events = append(h.events, n.Event)
		h.mu.Unlock()
	}))
	t.Cleanup(h.Close)
	return h
}

const seedReceipt = `"receipt":{"customer":{"email":"buyer@example.com"},"items":[
 {"description":"Product 1","amount":{"value":"3000.00","currency":"RUB"},"vat_code":1,"quantity":"1","payment_mode":"full_payment","payment_subject":"commodity"},
 {"description":"Product 2","amount":{"value":"1000.00","currency":"RUB"},"vat_code":1,"quantity":"2","payment_mode":"full_payment","payment_subject":"commodity"}]}`

// The sber_loan story of the README's "Testing from any language", over
// plain HTTP: create with a receipt, the buyer picks installments_12, the
// shop reads the discounted payment, captures three quarters with a
// balanced receipt, refunds half of that, and the notifications arrive.
// The simulator runs without VAT on the commission (-commission-vat 0, said
// explicitly), so income is the sber_loan guide's 4,342.50.
func TestSberLoanStoryOverHTTP(t *testing.T) {
	h := newHooks(t)
	s := start(t, "-webhook", h.URL+"/yookassa", "-commission", "3.5", "-commission-vat", "0")

	status, p := s.call("POST", s.api+"/payments", "order-37-pay", `{"amount":{"value":"5000.00","currency":"RUB"},
	 "payment_method_data":{"type":"sber_loan"},"confirmation":{"type":"redirect","return_url":"https://shop.example/return"},
	 "capture":false,"description":"Order No. 37","metadata":{"order_id":"37"},`+seedReceipt+`}`)
	require.Equal(t, 200, status, "%v", p)
	id := p["id"].(string)
	assert.Equal(t, "pending", p["status"])
	assert.Equal(t, s.base+"/checkout/"+id, path(p, "confirmation", "confirmation_url"))

	status, p = s.call("POST", s.base+"/sim/payments/"+id+"/confirm", "", `{"option":"installments_12"}`)
	require.Equal(t, 200, status, "%v", p)
	assert.Equal(t, "waiting_for_capture", p["status"])

	status, p = s.call("GET", s.api+"/payments/"+id, "", "")
	require.Equal(t, 200, status)
	assert.Equal(t, "4500.00", path(p, "amount", "value"))
	assert.Equal(t, "500.00", path(p, "payment_method", "discount_amount", "value"))
	assert.Equal(t, "installments_12", path(p, "payment_method", "loan_option"))
	assert.Equal(t, "4342.50", path(p, "income_amount", "value"))

	status, p = s.call("POST", s.api+"/payments/"+id+"/capture", "order-37-capture", `{"amount":{"value":"3375.00","currency":"RUB"},
	 "receipt":{"customer":{"email":"buyer@example.com"},"items":[
	  {"description":"Product 1","amount":{"value":"2025.00","currency":"RUB"},"vat_code":1,"quantity":"1","payment_mode":"full_payment","payment_subject":"commodity"},
	  {"description":"Product 2","amount":{"value":"675.00","currency":"RUB"},"vat_code":1,"quantity":"2","payment_mode":"full_payment","payment_subject":"commodity"}]}}`)
	require.Equal(t, 200, status, "%v", p)
	assert.Equal(t, "succeeded", p["status"])
	assert.Equal(t, "3375.00", path(p, "amount", "value"))

	status, r := s.call("POST", s.api+"/refunds", "order-37-refund-1", `{"payment_id":"`+id+`","amount":{"value":"1687.50","currency":"RUB"},
	 "receipt":{"customer":{"email":"buyer@example.com"},"items":[
	  {"description":"Product 1","amount":{"value":"1012.50","currency":"RUB"},"vat_code":1,"quantity":"1","payment_mode":"full_payment","payment_subject":"commodity"},
	  {"description":"Product 2","amount":{"value":"337.50","currency":"RUB"},"vat_code":1,"quantity":"2","payment_mode":"full_payment","payment_subject":"commodity"}]}}`)
	require.Equal(t, 200, status, "%v", r)
	assert.Equal(t, "succeeded", r["status"])
	_, p = s.call("GET", s.api+"/payments/"+id, "", "")
	assert.Equal(t, "1687.50", path(p, "refunded_amount", "value"))

	status, n := s.call("GET", s.base+"/sim/notifications?wait=true", "", "")
	require.Equal(t, 200, status)
	items := n["items"].([]any)
	var events []string
	for _, it := range items {
		d := it.(map[string]any)
		events = append(events, d["event"].(string))
		assert.Equal(t, true, d["delivered"], "%v", d)
		assert.Equal(t, h.URL+"/yookassa", d["url"])
		attempts := d["attempts"].([]any)
		require.Len(t, attempts, 1)
		assert.EqualValues(t, 200, attempts[0].(map[string]any)["status"])
		assert.Equal(t, d["event"], path(d, "notification", "event"))
	}
	assert.ElementsMatch(t, []string{"payment.waiting_for_capture", "payment.succeeded", "refund.succeeded"}, events)
	h.mu.Lock()
	assert.ElementsMatch(t, events, h.events)
	h.mu.Unlock()

	// The request log names each request and its key, and no credential.
	s.stop()
	log := s.stderr.String()
	for _, want := range []string{"method=POST path=/v3/payments status=200", "idempotence_key=order-37-pay",
		"path=/v3/payments/" + id + "/capture status=200", "path=/sim/payments/" + id + "/confirm"} {
		assert.Contains(t, log, want)
	}
	assert.NotContains(t, log, "test_secret")
	assert.NotContains(t, log, "MTAwNTAwOnRlc3Rfc2VjcmV0") // base64 of the Basic credentials
}

func TestControlAPI(t *testing.T) {
	s := start(t, "-tariffs", "installments_6=7", "-commission", "2.5", "-seed", "7")
	create := func(key, amount string) string {
		status, p := s.call("POST", s.api+"/payments", key, `{"amount":{"value":"`+amount+`","currency":"RUB"},
		 "payment_method_data":{"type":"sber_loan"},"confirmation":{"type":"redirect","return_url":"https://shop.example/r"}}`)
		require.Equal(t, 200, status, "%v", p)
		return p["id"].(string)
	}

	// Tariffs and commission from the flags.
	id := create("a", "5000.00")
	status, e := s.call("POST", s.base+"/sim/payments/"+id+"/confirm", "", `{"option":"installments_12"}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "option", e["parameter"])
	status, p := s.call("POST", s.base+"/sim/payments/"+id+"/confirm", "", `{"option":"installments_6"}`)
	require.Equal(t, 200, status, "%v", p)
	assert.Equal(t, "4650.00", path(p, "amount", "value"))
	assert.Equal(t, "4533.75", path(p, "income_amount", "value"))
	status, e = s.call("POST", s.base+"/sim/payments/"+id+"/decline", "", "")
	assert.Equal(t, 400, status, "%v", e)
	status, e = s.call("POST", s.base+"/sim/payments/"+create("a2", "5000.00")+"/confirm", "", `{}`)
	assert.Equal(t, 400, status, "a sber_loan payment needs the buyer's choice")
	assert.Equal(t, "option", e["parameter"])
	status, e = s.call("POST", s.base+"/sim/payments/nope/confirm", "", `{"option":"loan"}`)
	assert.Equal(t, 404, status)
	assert.Equal(t, "not_found", e["code"])

	// The clock: an uncaptured sber_loan hold expires.
	status, c := s.call("POST", s.base+"/sim/clock/advance", "", `{"seconds":7200}`)
	require.Equal(t, 200, status, "%v", c)
	_, p = s.call("GET", s.api+"/payments/"+id, "", "")
	assert.Equal(t, "canceled", p["status"])
	assert.Equal(t, "expired_on_capture", path(p, "cancellation_details", "reason"))

	// Decline.
	declined := create("b", "5000.00")
	status, p = s.call("POST", s.base+"/sim/payments/"+declined+"/decline", "", "")
	require.Equal(t, 200, status)
	assert.Equal(t, "general_decline", path(p, "cancellation_details", "reason"))

	// Faults: the create succeeds but its answer is lost; the retry with the
	// same key gets the same payment.
	status, _ = s.call("POST", s.base+"/sim/faults", "", `{"kind":"500_after","endpoint":"POST /payments","count":1}`)
	require.Equal(t, 200, status)
	status, e = s.call("POST", s.api+"/payments", "c", `{"amount":{"value":"10.00","currency":"RUB"}}`)
	assert.Equal(t, 500, status)
	assert.Equal(t, "internal_server_error", e["code"])
	status, p = s.call("POST", s.api+"/payments", "c", `{"amount":{"value":"10.00","currency":"RUB"}}`)
	require.Equal(t, 200, status)
	_, list := s.call("GET", s.api+"/payments?limit=100", "", "")
	assert.Len(t, list["items"], 4, "one payment for the key")
	_, f := s.call("GET", s.base+"/sim/faults", "", "")
	assert.EqualValues(t, 1, f["injected"])
	status, e = s.call("POST", s.base+"/sim/faults", "", `{"kind":"boom","count":1}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "kind", e["parameter"])
	status, e = s.call("POST", s.base+"/sim/faults", "", `{"kind":"429","endpoint":"POST /nowhere","count":1}`)
	assert.Equal(t, 400, status)
	assert.Equal(t, "endpoint", e["parameter"])
	status, _ = s.call("POST", s.base+"/sim/faults", "", `{"kind":"429","endpoint":"GET /payments/{id}","probability":1,"retry_after_ms":5}`)
	require.Equal(t, 200, status)
	status, e = s.call("GET", s.api+"/payments/"+p["id"].(string), "", "")
	assert.Equal(t, 429, status)
	assert.EqualValues(t, 5, e["retry_after"])
	status, _ = s.call("DELETE", s.base+"/sim/faults", "", "")
	require.Equal(t, 200, status)

	// Reset forgets everything.
	status, _ = s.call("POST", s.base+"/sim/reset", "", "")
	require.Equal(t, 200, status)
	status, _ = s.call("GET", s.api+"/payments/"+id, "", "")
	assert.Equal(t, 404, status)
	_, list = s.call("GET", s.api+"/payments", "", "")
	assert.Empty(t, list["items"])
}

func TestCardDataNeverLogged(t *testing.T) {
	s := start(t)
	status, p := s.call("POST", s.api+"/payments", "card-1", `{"amount":{"value":"10.00","currency":"RUB"},
	 "payment_method_data":{"type":"bank_card","card":{"number":"5555555555554477","expiry_year":"2031","expiry_month":"07","csc":"123"}},
	 "confirmation":{"type":"redirect","return_url":"https://shop.example/r"}}`)
	require.Equal(t, 200, status, "%v", p)
	assert.Equal(t, "555555", path(p, "payment_method", "card", "first6"))
	assert.Equal(t, "4477", path(p, "payment_method", "card", "last4"))
	raw, _ := json.Marshal(p)
	assert.NotContains(t, string(raw), "5555555555554477")
	s.stop()
	assert.Contains(t, s.stderr.String(), "idempotence_key=card-1", "the log is there")
	assert.NotContains(t, s.stderr.String(), "5555555555554477")
	assert.NotContains(t, s.stderr.String(), "csc")
}

func TestFlags(t *testing.T) {
	help, err := exec.Command(binary, "-h").CombinedOutput()
	require.NoError(t, err, "-h exits 0")
	for _, want := range []string{`-addr address`, `(default "127.0.0.1:8089")`, `-public`, `-shop-id`, `(default "100500")`,
		`-secret-key`, `(default "test_secret")`, `-oauth-token`, `-webhook URL`, `-tariffs`,
		`(default "installments_3=4.5,installments_6=7,installments_12=10")`, `-commission`, `(default "3.5")`,
		`-notification-source IP`, `-seed`} {
		assert.Contains(t, string(help), want)
	}

	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"}, {"-addr", ":0"}, {"-tariffs", "installments_x=4"}, {"-commission", "abc"},
		{"-commission", "150"}, {"-notification-source", "nowhere"}, {"-webhook", "ftp://x"}, {"extra"},
	} {
		cmd := exec.Command(binary, args...)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%v: %s", args, out)
		assert.Equal(t, 2, exit.ExitCode(), "%v: %s", args, out)
	}
	// -public lets the simulator listen beyond loopback.
	s := start(t, "-public", "-addr", "0.0.0.0:0")
	assert.NotContains(t, s.api, "127.0.0.1", "listening on every address")
}

// SIGTERM (and SIGINT) stop the server promptly, with exit status 0.
func TestStopsOnSignal(t *testing.T) {
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		s := start(t)
		sent := time.Now()
		require.NoError(t, s.cmd.Process.Signal(sig))
		select {
		case err := <-s.exited:
			require.NoError(t, err, "exit status 0")
			s.exited <- err // for the cleanup
			t.Logf("%v: stopped in %v", sig, time.Since(sent))
		case <-time.After(time.Minute):
			t.Fatalf("%v: still running after a minute", sig)
		}
	}
}

// A request held up by a latency fault does not keep the server from
// stopping: it gives requests in flight under a second.
func TestStopsWithARequestInFlight(t *testing.T) {
	s := start(t)
	status, _ := s.call("POST", s.base+"/sim/faults", "", `{"kind":"latency","endpoint":"GET /me","count":1,"delay_ms":600000}`)
	require.Equal(t, 200, status)
	go func() {
		req, _ := http.NewRequest("GET", s.api+"/me", nil)
		req.SetBasicAuth("100500", "test_secret")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	// Wait until the slow request has arrived: its fault fires on arrival.
	for {
		_, f := s.call("GET", s.base+"/sim/faults", "", "")
		if f["injected"].(float64) == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	sent := time.Now()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-s.exited:
		require.NoError(t, err)
		s.exited <- err
		t.Logf("stopped in %v with a request in flight", time.Since(sent))
	case <-time.After(time.Minute):
		t.Fatal("still running after a minute")
	}
}
