package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestStory runs the whole example against the simulator: every step must
// match, and the output must show the documented amounts.
func TestStory(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := runSimulated(ctx, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"4500.00 RUB", "500.00 RUB", "4342.50 RUB", "2700.00", "900.00 x 2", "3375.00 RUB", "1687.50 RUB", "All 7 steps matched"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(text, "MISMATCH") {
		t.Errorf("a step did not match:\n%s", text)
	}
}
