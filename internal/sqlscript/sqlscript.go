// Package sqlscript splits the schema files of the module's database stores
// (loanapproval, notification, examples/checkout) into the statements that
// database/sql runs one at a time.
package sqlscript

import (
	"strconv"
	"strings"
)

// Statements returns the statements of src, trimmed, in order. A "--"
// comment runs to the end of its line and is dropped; a semicolon ends a
// statement. The schemas have neither inside a string literal, which this
// simple reading does not recognise.
func Statements(src string) []string {
	var b strings.Builder
	for line := range strings.Lines(src) {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i] + "\n"
		}
		b.WriteString(line)
	}
	var out []string
	for stmt := range strings.SplitSeq(b.String(), ";") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

// Numbered turns the ? placeholders of query into PostgreSQL's $1, $2, ...
// in order, for code that writes one query for SQLite and PostgreSQL. The
// query must have no ? inside a string literal.
func Numbered(query string) string {
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
