package spectest

import (
	"strings"
	"testing"
)

func TestLoads(t *testing.T) {
	s := Load(t)
	if s.Doc().Paths.Find("/payments") == nil {
		t.Fatal("no /payments in the specification")
	}
}

// Every workaround still has its defect to work around.
func TestEveryDefectIsPresent(t *testing.T) {
	s := Load(t)
	if len(s.Absent) > 0 {
		t.Errorf("the specification no longer has these defects; drop their workarounds: %v", s.Absent)
	}
}

// The validation does find faults: a payment with an unknown status, an
// error with another status's code.
func TestValidationFindsFaults(t *testing.T) {
	s := Load(t)
	good := `{"id":"22d6d597-000f-5000-9000-145f6df21d6f","status":"pending","amount":{"value":"2.00","currency":"RUB"},` +
		`"recipient":{"account_id":"100500","gateway_id":"100700"},"created_at":"2018-07-10T14:25:27.000Z","test":false,"paid":false,"refundable":false}`
	if err := s.ValidateResponse("GET", "/v3/payments/22d6d597-000f-5000-9000-145f6df21d6f", 200, nil, []byte(good)); err != nil {
		t.Fatalf("a documented payment is refused: %v", err)
	}
	bad := strings.Replace(good, `"pending"`, `"paid"`, 1)
	if err := s.ValidateResponse("GET", "/v3/payments/22d6d597-000f-5000-9000-145f6df21d6f", 200, nil, []byte(bad)); err == nil {
		t.Error("a payment with an unknown status passes")
	}
	if err := s.ValidateSchema("Payment", []byte(bad)); err == nil {
		t.Error("ValidateSchema: a payment with an unknown status passes")
	}
	if err := s.ValidateResponse("POST", "/payments", 400, nil, []byte(`{"type":"error","id":"x","code":"not_found"}`)); err == nil {
		t.Error("a 400 with the code of a 404 passes")
	}
	if err := s.ValidateResponse("GET", "/nowhere", 200, nil, []byte(`{}`)); err == nil {
		t.Error("an undocumented path passes")
	}
}
