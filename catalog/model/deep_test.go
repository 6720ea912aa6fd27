package model

import (
	"strings"
	"testing"
)

// TestNesting checks that hostile nesting is refused quickly and that deep but reasonable
// nesting is validated and flattened without building keys that would be dropped.
func TestNesting(t *testing.T) {
	cases := []struct {
		name     string
		depth    int
		list     bool
		rejected bool
		// rows is the number of search rows under spec.deep.
		rows int
	}{
		{"hostile nested maps", 50000, false, true, 0},
		{"hostile nested lists", 50000, true, true, 0},
		{"deep maps: keys past the length limit are dropped", 900, false, false, 0},
		{"deep lists: items share the list's key", 900, true, false, 2},
		{"shallow maps", 3, false, false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v any = "leaf"
			for i := 0; i < tc.depth; i++ {
				if tc.list {
					v = []any{v}
				} else {
					v = map[string]any{"a": v}
				}
			}
			raw := map[string]any{
				"apiVersion": "backstage.io/v1alpha1", "kind": "Component",
				"metadata": map[string]any{"name": "deep"},
				"spec":     map[string]any{"type": "service", "lifecycle": "production", "owner": "g", "deep": v},
			}
			e, err := FromRaw(raw)
			if tc.rejected {
				want := "invalid entity: the descriptor is nested more than 1000 levels deep"
				if err == nil || err.Error() != want {
					t.Fatalf("FromRaw error = %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromRaw: %v", err)
			}
			got := 0
			for _, r := range Search(e) {
				if strings.HasPrefix(r.Key, "spec.deep") {
					got++
				}
			}
			if got != tc.rows {
				t.Errorf("%d spec.deep rows, want %d", got, tc.rows)
			}
		})
	}
}
