package descriptor

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// scalarValue resolves a scalar node with the YAML 1.2 core schema. Numbers
// that are infinite or not a number stay float64 here; jsonScalar maps them.
func scalarValue(n *yaml.Node) any {
	s := n.Value
	if n.Style&yaml.TaggedStyle != 0 {
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			if b, ok := coreBool(s); ok {
				return b
			}
		case "!!int":
			if v, ok := coreInt(s); ok {
				return v
			}
		case "!!float":
			if v, ok := coreInt(s); ok {
				return toFloat(v)
			}
			if v, ok := coreFloat(s); ok {
				return v
			}
		}
		// Strings, and tags the core schema does not know (!!timestamp,
		// !!binary, custom tags), keep their text as the yaml package does.
		return s
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return s
	}
	switch s {
	case "", "~", "null", "Null", "NULL":
		return nil
	}
	if b, ok := coreBool(s); ok {
		return b
	}
	if v, ok := coreInt(s); ok {
		return v
	}
	if v, ok := coreFloat(s); ok {
		return v
	}
	return s
}

// jsonScalar replaces numbers JSON cannot hold by nil, as JSON.stringify does.
func jsonScalar(v any) any {
	if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return nil
	}
	return v
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

func coreBool(s string) (bool, bool) {
	switch s {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

// coreInt parses the core schema's integers: [-+]?[0-9]+, 0o[0-7]+ and
// 0x[0-9a-fA-F]+. Integers beyond int64 become float64, as in JavaScript.
func coreInt(s string) (any, bool) {
	base, digits := 10, s
	switch {
	case strings.HasPrefix(s, "0o"):
		base, digits = 8, s[2:]
	case strings.HasPrefix(s, "0x"):
		base, digits = 16, s[2:]
	}
	body := digits
	if base == 10 && body != "" && (body[0] == '-' || body[0] == '+') {
		body = body[1:]
	}
	if body == "" {
		return nil, false
	}
	for i := 0; i < len(body); i++ {
		ch := body[i]
		ok := ch >= '0' && ch <= '9'
		switch base {
		case 8:
			ok = ch >= '0' && ch <= '7'
		case 16:
			ok = ok || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')
		}
		if !ok {
			return nil, false
		}
	}
	if v, err := strconv.ParseInt(digits, base, 64); err == nil {
		return v, true
	}
	bi, ok := new(big.Int).SetString(digits, base)
	if !ok {
		return nil, false
	}
	f, _ := new(big.Float).SetInt(bi).Float64()
	return f, true
}

// coreFloat parses the core schema's floats, including .inf and .nan.
func coreFloat(s string) (float64, bool) {
	switch s {
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1), true
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1), true
	case ".nan", ".NaN", ".NAN":
		return math.NaN(), true
	}
	body := s
	if body != "" && (body[0] == '-' || body[0] == '+') {
		body = body[1:]
	}
	// [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one digit before the
	// exponent, and either a dot or an exponent.
	i, intDigits := 0, 0
	for i < len(body) && body[i] >= '0' && body[i] <= '9' {
		i++
		intDigits++
	}
	dot, fracDigits := false, 0
	if i < len(body) && body[i] == '.' {
		dot = true
		i++
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return 0, false
	}
	exp := false
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		exp = true
		i++
		if i < len(body) && (body[i] == '-' || body[i] == '+') {
			i++
		}
		expDigits := 0
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return 0, false
		}
	}
	if i != len(body) || (!dot && !exp) {
		return 0, false
	}
	if dot && !exp && intDigits == 0 && fracDigits == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Out of range: ParseFloat returns ±Inf with the error.
		return f, math.IsInf(f, 0)
	}
	return f, true
}

// stringifyKey turns a resolved scalar into the string JavaScript would use
// as an object key.
func stringifyKey(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return jsNumber(x)
	}
	return fmt.Sprint(v)
}

// jsNumber formats a float64 the way JavaScript's Number#toString does.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	sign := exp[0]
	exp = strings.TrimLeft(exp[1:], "0")
	return mant + "e" + string(sign) + exp
}

// flowString writes a collection key in YAML flow style.
func flowString(n *yaml.Node, depth int) string {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if depth > 32 {
		return "…"
	}
	switch n.Kind {
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return "[]"
		}
		parts := make([]string, len(n.Content))
		for i, item := range n.Content {
			parts[i] = flowString(item, depth+1)
		}
		return "[ " + strings.Join(parts, ", ") + " ]"
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			return "{}"
		}
		var parts []string
		for i := 0; i+1 < len(n.Content); i += 2 {
			parts = append(parts, flowString(n.Content[i], depth+1)+": "+flowString(n.Content[i+1], depth+1))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return n.Value
}
