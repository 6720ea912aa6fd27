package descriptor

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// scanProblem is a reason to refuse a text before parsing it.
type scanProblem struct {
	line    int
	message string
}

// prescan prepares text for the YAML or JSON parser and refuses what would
// make the parser fail without a line number or spend unbounded memory.
//
// Invalid UTF-8 is replaced by U+FFFD, as Node's Buffer.toString does before
// Backstage parses a file. Characters YAML forbids (NUL and other control
// characters) are reported with their line. The number of values the text can
// hold is estimated from the bytes that can start one (flow indicators, block
// indicators and line breaks): a parse tree costs a few hundred bytes per
// value, so a 10 MiB text of "[1,1,1,..." would need gigabytes.
func prescan(data []byte, maxNodes int) ([]byte, *scanProblem) {
	line, col := 1, 1
	estimate := 1
	valid := true
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '\n':
				estimate++
				line++
				col = 0
			case c == ',' || c == '[' || c == '{':
				estimate++
			case c == '-' || c == '?' || c == ':':
				// Block indicators are followed by white space; a JSON-style
				// key ("a":1) may be followed by its value directly.
				if i+1 == len(data) || isBlank(data[i+1]) || (c == ':' && i > 0 && (data[i-1] == '"' || data[i-1] == '\'')) {
					estimate++
				}
			case c == 0:
				return nil, &scanProblem{line: line, message: fmt.Sprintf(
					"contains binary data (a NUL byte at line %d, column %d), expected YAML text", line, col)}
			case c == 0x7f || (c < 0x20 && c != '\t' && c != '\r'):
				return nil, &scanProblem{line: line, message: fmt.Sprintf(
					"contains the control character U+%04X at line %d, column %d, which YAML does not allow", c, line, col)}
			}
			i++
			col++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			valid = false
		} else if (r >= 0x80 && r <= 0x9f && r != 0x85) || r == 0xfffe || r == 0xffff {
			return nil, &scanProblem{line: line, message: fmt.Sprintf(
				"contains the control character U+%04X at line %d, column %d, which YAML does not allow", r, line, col)}
		}
		i += size
		col++
	}
	if estimate > maxNodes {
		return nil, &scanProblem{message: fmt.Sprintf(
			"has too much structure to decode safely: about %d values, more than the limit of %d", estimate, maxNodes)}
	}
	if !valid {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return data, nil
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
