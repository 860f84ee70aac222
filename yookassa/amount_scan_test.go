package yookassa

import (
	"encoding/json"
	"testing"
)

// slowAmount is the general decoder alone, the reference for scanAmount.
func slowAmount(data []byte) (Amount, error) {
	var w struct {
		Value    json.RawMessage `json:"value"`
		Currency string          `json:"currency"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return Amount{}, err
	}
	v, err := decodeDecimal(w.Value)
	return Amount{Value: v, Currency: w.Currency}, err
}

func TestScanAmountTakesOnlyTheCommonShape(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"value":"5000.00","currency":"RUB"}`, true},
		{"{\n  \"currency\": \"RUB\",\n  \"value\": \"949.91\"\n}", true},
		{`{"value":"0","currency":""}`, true},
		{`{"value":5000.00,"currency":"RUB"}`, false},          // a number: general decoder
		{`{"value":"5000.00","currency":"R\u0055B"}`, false},   // an escape
		{`{"value":"1e3","currency":"RUB"}`, false},            // an exponent
		{`{"value":" 1.00","currency":"RUB"}`, false},          // spaces inside
		{`{"value":"1.00","value":"2.00"}`, false},             // a duplicate key
		{`{"value":"1.00","currency":"RUB","extra":1}`, false}, // another key
		{`{"value":"1.00","currency":"RUB"} x`, false},         // trailing data
		{`{"value":"1.","currency":"RUB"}`, false},             // a bare point
		{`{"value":"-1.00","currency":"RUB"}`, false},          // a sign
		{`{"value":"1.00","currency":"RUB"`, false},            // unterminated
	} {
		v, cur, ok := scanAmount([]byte(tc.in))
		if ok != tc.ok {
			t.Errorf("scanAmount(%s) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		want, err := slowAmount([]byte(tc.in))
		if err != nil || !want.Value.Equal(v) || want.Currency != cur || want.Value.Exponent() != v.Exponent() {
			t.Errorf("scanAmount(%s) = %v %q; general decoder %v, %v", tc.in, v, cur, want, err)
		}
	}
}

// FuzzAmountScan: whatever the fast path accepts, the general decoder
// accepts with the same value (to the exponent) and currency.
func FuzzAmountScan(f *testing.F) {
	for _, s := range []string{
		`{"value":"5000.00","currency":"RUB"}`, `{"currency":"RUB","value":"0.01"}`,
		"{ \"value\" : \"12\" ,\t\"currency\":\"EUR\" }", `{"value":5,"currency":"RUB"}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, cur, ok := scanAmount(data)
		if !ok {
			return
		}
		want, err := slowAmount(data)
		if err != nil {
			t.Fatalf("fast path accepted %q, general decoder refused: %v", data, err)
		}
		if !want.Value.Equal(v) || want.Value.Exponent() != v.Exponent() || want.Currency != cur {
			t.Fatalf("%q: fast %v %q, general %v %q", data, v, cur, want.Value, want.Currency)
		}
	})
}

func BenchmarkAmountUnmarshal(b *testing.B) {
	data := []byte(`{"value":"4342.50","currency":"RUB"}`)
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var a Amount
			if err := a.UnmarshalJSON(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("general", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := slowAmount(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}
