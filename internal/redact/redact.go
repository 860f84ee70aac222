// Package redact removes secrets from text that came from the network, such
// as an error page that echoes a request's Authorization header. It is the
// one implementation behind the yookassa and loanapproval clients.
package redact

import "strings"

// Replace returns text with every occurrence of each secret replaced by
// mark. A secret is found in any spelling a server may echo it in: each of
// its ASCII characters written as it is, as a JSON \u escape (hex digits in
// either case), percent-encoded, or, for a slash, a quote and a backslash,
// with JSON's short escape (\/, \", \\). Where two secrets overlap at one
// place, the longer match goes. Empty secrets are ignored.
//
// Replace keeps no state, so the secrets stay wherever the caller keeps
// them (a closure, out of reach of reflection-based dumpers).
func Replace(text, mark string, secrets ...string) string {
	var b strings.Builder
	last, replaced := 0, false
	for i := 0; i < len(text); {
		n := 0
		for _, s := range secrets {
			if s != "" {
				n = max(n, match(text[i:], s))
			}
		}
		if n == 0 {
			i++
			continue
		}
		b.WriteString(text[last:i])
		b.WriteString(mark)
		i += n
		last, replaced = i, true
	}
	if !replaced {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// match returns the length of the longest prefix of s that spells secret,
// or 0. It follows every spelling at once (a set of positions in s), so
// that a backslash that could be a character of the secret or the start of
// an escape cannot send it down the wrong reading.
func match(s, secret string) int {
	var bufA, bufB [16]int
	pos, next := append(bufA[:0], 0), bufB[:0]
	for k := 0; k < len(secret); k++ {
		c := secret[k]
		next = next[:0]
		for _, j := range pos {
			if j >= len(s) {
				continue
			}
			if s[j] == c {
				next = addPos(next, j+1)
			}
			if c >= 0x80 {
				continue
			}
			switch s[j] {
			case '\\':
				if j+1 < len(s) && s[j+1] == c && (c == '/' || c == '"' || c == '\\') {
					next = addPos(next, j+2)
				}
				if j+5 < len(s) && s[j+1] == 'u' && hexValue(s[j+2:j+6]) == int(c) {
					next = addPos(next, j+6)
				}
			case '%':
				if j+2 < len(s) && hexValue(s[j+1:j+3]) == int(c) {
					next = addPos(next, j+3)
				}
			}
		}
		if len(next) == 0 {
			return 0
		}
		pos, next = next, pos
	}
	return maxOf(pos)
}

func addPos(set []int, p int) []int {
	for _, q := range set {
		if q == p {
			return set
		}
	}
	return append(set, p)
}

func maxOf(set []int) int {
	m := 0
	for _, p := range set {
		m = max(m, p)
	}
	return m
}

// hexValue reads s as hexadecimal digits, or returns -1.
func hexValue(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | int(c-'A'+10)
		default:
			return -1
		}
	}
	return v
}
