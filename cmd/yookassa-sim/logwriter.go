package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logWriter buffers the request log and writes it out every interval (and
// on Close), so that a busy server makes one write system call per batch
// of lines rather than one per request. Whole lines reach the output.
type logWriter struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newLogWriter(w io.Writer, interval time.Duration) *logWriter {
	l := &logWriter{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				l.flush()
			case <-l.stop:
				l.flush()
				return
			}
		}
	}()
	return l
}

// Write takes one log record.
func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logWriter) flush() {
	l.mu.Lock()
	_ = l.buf.Flush()
	l.mu.Unlock()
}

// Close writes out what is buffered and stops the flushing.
func (l *logWriter) Close() error {
	close(l.stop)
	<-l.done
	return nil
}
