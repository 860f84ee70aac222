package yookassatest

import "testing"

func TestMilliseconds(t *testing.T) {
	for in, want := range map[string]string{
		`{"created_at":"2026-12-07T10:03:31Z"}`:                                                            `{"created_at":"2026-12-07T10:03:31.000Z"}`,
		`{"created_at":"2026-12-07T10:03:31.5Z"}`:                                                          `{"created_at":"2026-12-07T10:03:31.500Z"}`,
		`{"created_at":"2026-12-07T10:03:31.55Z"}`:                                                         `{"created_at":"2026-12-07T10:03:31.550Z"}`,
		`{"created_at":"2026-12-07T10:03:31.555Z"}`:                                                        `{"created_at":"2026-12-07T10:03:31.555Z"}`,
		`{"items":[{"id":"x","captured_at":"2026-12-07T10:03:31Z","amount":{"value":"1.00"}}],"next":"a"}`: `{"items":[{"id":"x","captured_at":"2026-12-07T10:03:31.000Z","amount":{"value":"1.00"}}],"next":"a"}`,
		`{"payment_method":{"suspended_until":"2026-12-07T10:03:31Z"}}`:                                    `{"payment_method":{"suspended_until":"2026-12-07T10:03:31.000Z"}}`,
		// The merchant's metadata is left as sent, whatever its keys.
		`{"metadata":{"paid_at":"2026-12-07T10:03:31Z","x":"\"}"},"created_at":"2026-12-07T10:03:31Z"}`: `{"metadata":{"paid_at":"2026-12-07T10:03:31Z","x":"\"}"},"created_at":"2026-12-07T10:03:31.000Z"}`,
		// Only the values of time keys, never other strings.
		`{"description":"2026-12-07T10:03:31Z","list":["2026-12-07T10:03:31Z"],"a_at":null}`: `{"description":"2026-12-07T10:03:31Z","list":["2026-12-07T10:03:31Z"],"a_at":null}`,
		`{"x_at":"not a time","y_at":"2026-12-07T10:03:31+03:00"}`:                           `{"x_at":"not a time","y_at":"2026-12-07T10:03:31+03:00"}`,
	} {
		if got := string(milliseconds([]byte(in))); got != want {
			t.Errorf("milliseconds(%s)\n got %s\nwant %s", in, got, want)
		}
	}
}

func FuzzMilliseconds(f *testing.F) {
	f.Add([]byte(`{"created_at":"2026-12-07T10:03:31Z","metadata":{"a_at":"b"}}`))
	f.Add([]byte(`}}]]"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = milliseconds(b) // never panics, whatever the input
	})
}
