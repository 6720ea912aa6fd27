package catalog

import (
	"strings"
)

// Condition is one key test of a filter: the key exists, or its value is one of Values.
// Keys and values are compared case-insensitively, as Backstage does.
type Condition struct {
	Key    string
	Values []string // empty: the key only has to exist
}

// Filter is Backstage's entity filter: a list of alternatives (repeated filter parameters,
// ORed), each a list of conditions (comma-separated statements, ANDed).
type Filter struct {
	AnyOf [][]Condition
}

// Empty reports whether the filter matches everything.
func (f Filter) Empty() bool { return len(f.AnyOf) == 0 }

// ParseFilter parses the values of repeated `filter` query parameters, each of the form
// `a=b,c=d,e`. Repeated statements of one key within a parameter widen the accepted values.
func ParseFilter(params []string) (Filter, error) {
	var f Filter
	for _, p := range params {
		all, err := parseFilterString(p)
		if err != nil {
			return Filter{}, err
		}
		if len(all) > 0 {
			f.AnyOf = append(f.AnyOf, all)
		}
	}
	return f, nil
}

func parseFilterString(s string) ([]Condition, error) {
	var conds []Condition
	index := map[string]int{}
	for _, raw := range strings.Split(s, ",") {
		stmt := strings.TrimSpace(raw)
		if stmt == "" {
			continue
		}
		key, value, hasValue := strings.Cut(stmt, "=")
		key = strings.TrimSpace(key)
		if key == "" {
			return nil, inputErrorf("Invalid filter, '%s' is not a valid statement (expected a string on the form a=b or a= or a)", stmt)
		}
		i, ok := index[key]
		if !ok {
			i = len(conds)
			index[key] = i
			conds = append(conds, Condition{Key: key})
		}
		if hasValue {
			conds[i].Values = append(conds[i].Values, strings.TrimSpace(value))
		}
	}
	return conds, nil
}

// String renders the filter back into query parameter values, for cursors and links.
func (f Filter) String() []string {
	out := make([]string, 0, len(f.AnyOf))
	for _, all := range f.AnyOf {
		var parts []string
		for _, c := range all {
			if len(c.Values) == 0 {
				parts = append(parts, c.Key)
				continue
			}
			for _, v := range c.Values {
				parts = append(parts, c.Key+"="+v)
			}
		}
		out = append(out, strings.Join(parts, ","))
	}
	return out
}
