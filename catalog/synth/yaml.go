package synth

import (
	"bytes"
	"strings"
)

// node is a value the YAML writer understands: str, list or object.
type node interface {
	isNode()
}

// str is a scalar string, always written double-quoted.
type str string

// list is a YAML sequence.
type list []node

// field is one key of an object, in output order.
type field struct {
	key string
	val node
}

// object is a YAML mapping whose keys keep their insertion order.
type object []field

func (str) isNode()    {}
func (list) isNode()   {}
func (object) isNode() {}

// writeDoc appends one YAML document ("---" header, trailing newline).
func writeDoc(b *bytes.Buffer, e object) {
	b.WriteString("---\n")
	writeNode(b, e, 0, false)
	b.WriteByte('\n')
}

// writeNode writes v at indentation level ind. With trim set, the leading
// whitespace the value would start with is left out, which is how sequence
// items that are themselves collections start on the dash's line.
func writeNode(b *bytes.Buffer, v node, ind int, trim bool) {
	switch v := v.(type) {
	case list:
		writeList(b, v, ind, trim)
	case object:
		writeObject(b, v, ind, trim)
	case str:
		writeQuoted(b, string(v))
	}
}

func writeList(b *bytes.Buffer, v list, ind int, trim bool) {
	if len(v) == 0 {
		if !trim {
			b.WriteByte(' ')
		}
		b.WriteString("[]")
		return
	}
	for i, x := range v {
		if i > 0 || !trim {
			b.WriteByte('\n')
			writeIndent(b, ind)
		}
		b.WriteString("- ")
		if s, ok := x.(str); ok {
			writeQuoted(b, string(s))
			continue
		}
		writeNode(b, x, ind+1, true)
	}
}

func writeObject(b *bytes.Buffer, v object, ind int, trim bool) {
	if len(v) == 0 && ind > 0 && !trim {
		b.WriteByte('\n')
	}
	for i, f := range v {
		if i > 0 || (ind > 0 && !trim) {
			b.WriteByte('\n')
		}
		if i > 0 || !trim {
			writeIndent(b, ind)
		}
		b.WriteString(f.key)
		s, scalar := f.val.(str)
		switch {
		case scalar && strings.Contains(string(s), "\n"):
			b.WriteString(": |")
			for line := range strings.SplitSeq(string(s), "\n") {
				b.WriteByte('\n')
				writeIndent(b, ind+1)
				b.WriteString(line)
			}
		case scalar:
			b.WriteString(": ")
			writeQuoted(b, string(s))
		default:
			b.WriteByte(':')
			writeNode(b, f.val, ind+1, false)
		}
	}
}

func writeIndent(b *bytes.Buffer, ind int) {
	for range ind {
		b.WriteString("  ")
	}
}

// writeQuoted writes s as a JSON string literal, escaped the way
// ECMAScript's JSON.stringify escapes it (no HTML escaping, lowercase hex).
func writeQuoted(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
				continue
			}
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
