package yookassatest

import (
	"log/slog"
	"net/http"
	"time"
)

// requestLogger logs each request once answered (WithRequestLog).
type requestLogger struct {
	logger *slog.Logger
}

// wrap logs the requests h serves, or returns h when there is no logger.
func (l requestLogger) wrap(h http.Handler) http.Handler {
	if l.logger == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)),
		}
		if key := r.Header.Get("Idempotence-Key"); key != "" {
			attrs = append(attrs, slog.String("idempotence_key", key))
		}
		l.logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// statusWriter remembers the status of an answer (0: none, as when the
// connection was reset on purpose).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
