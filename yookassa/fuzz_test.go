package yookassa_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creditpay/yookassa-go/yookassa"
)

// seedFixtures adds every testdata body whose name starts with prefix.
func seedFixtures(f *testing.F, prefixes ...string) {
	entries, err := os.ReadDir(filepath.Join("..", "testdata"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		for _, p := range prefixes {
			if strings.HasPrefix(e.Name(), p) && strings.HasSuffix(e.Name(), ".json") {
				f.Add(fixture(f, e.Name()))
			}
		}
	}
}

// roundTrip checks that a decoded value encodes, decodes again and then
// encodes to the same bytes: decoding never yields something the encoder
// cannot reproduce.
func roundTrip[T any](t *testing.T, data []byte) {
	v := new(T)
	if err := json.Unmarshal(data, v); err != nil {
		return
	}
	first, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("decoded value does not encode: %v", err)
	}
	again := new(T)
	if err := json.Unmarshal(first, again); err != nil {
		t.Fatalf("encoded value does not decode: %v\n%s", err, first)
	}
	second, err := json.Marshal(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("not stable:\n%s\n%s", first, second)
	}
}

func FuzzDecodePayment(f *testing.F) {
	seedFixtures(f, "payment_")
	f.Add([]byte(`{"amount":{"value":1e30,"currency":"RUB"},"payment_method":{"type":"x","discount_amount":{"value":"-0.005"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.Payment](t, data)
		roundTrip[yookassa.PaymentRequest](t, data)
		requireSpecAcceptsValidated[yookassa.PaymentRequest](t, data, "POST", "/payments")
	})
}

func FuzzDecodeRefund(f *testing.F) {
	seedFixtures(f, "refund_")
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.Refund](t, data)
		roundTrip[yookassa.RefundRequest](t, data)
		requireSpecAcceptsValidated[yookassa.RefundRequest](t, data, "POST", "/refunds")
	})
}

func FuzzDecodeReceipt(f *testing.F) {
	seedFixtures(f, "receipt_", "capture_")
	f.Add([]byte(`{"items":[{"description":"x","quantity":"1e-30","vat_code":"4","amount":{"value":"0.01","currency":"RUB"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[yookassa.Receipt](t, data)
		roundTrip[yookassa.ReceiptRequest](t, data)
		requireSpecAcceptsValidated[yookassa.ReceiptRequest](t, data, "POST", "/receipts")
		requireSpecAcceptsValidated[yookassa.CaptureRequest](t, data, "POST", "/payments/"+paymentID+"/capture")
		var rd yookassa.ReceiptData
		if json.Unmarshal(data, &rd) == nil {
			_ = yookassa.ReceiptTotal(rd.Items)
			_ = rd.Validate(yookassa.Amount{Value: yookassa.ReceiptTotal(rd.Items), Currency: "RUB"})
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"5000.00", "4342.5", "0.01", "0", "949.905", "1e3", "-1", "00012.10", "99999999999999999999.99", ""} {
		f.Add(s, "RUB")
	}
	f.Add("1.00", "XXX")
	f.Fuzz(func(t *testing.T, value, currency string) {
		a, err := yookassa.ParseAmount(value, currency)
		if err != nil {
			return
		}
		if a.Value.Sign() < 0 {
			t.Fatalf("%q parsed to a negative %s", value, a.Value)
		}
		if !a.Value.Equal(a.Value.Truncate(2)) {
			t.Fatalf("%q parsed with more than two decimals: %s", value, a.Value)
		}
		fixed := a.Value.StringFixed(2)
		back, err := yookassa.ParseAmount(fixed, currency)
		if err != nil || !back.Equal(a) {
			t.Fatalf("%q -> %s does not parse back: %v", value, fixed, err)
		}
		data, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var decoded yookassa.Amount
		if err := json.Unmarshal(data, &decoded); err != nil || !decoded.Equal(a) {
			t.Fatalf("JSON round trip of %s failed: %s %v", a, data, err)
		}
	})
}
