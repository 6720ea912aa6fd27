package model

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

func row(key, original string) SearchRow {
	value := lowerJS(original)
	return SearchRow{Key: key, Value: &value, OriginalValue: &original}
}

func nullRow(key string) SearchRow { return SearchRow{Key: key} }

func formatRows(rows []SearchRow) string {
	var b strings.Builder
	for _, r := range rows {
		v, o := "<null>", "<null>"
		if r.Value != nil {
			v = *r.Value
		}
		if r.OriginalValue != nil {
			o = *r.OriginalValue
		}
		fmt.Fprintf(&b, "%s = %q (%q)\n", r.Key, v, o)
	}
	return b.String()
}

func TestSearch(t *testing.T) {
	long200 := strings.Repeat("a", 200)
	long201 := strings.Repeat("b", 201)
	longKey := strings.Repeat("k", 200)
	cases := []struct {
		name string
		e    Entity
		want []SearchRow
	}{
		{"full entity",
			Entity{
				APIVersion: "backstage.io/v1alpha1", Kind: "Component",
				Metadata: Metadata{
					UID: "uid-1", Etag: "etag-1", Name: "My-Svc", Namespace: "default", Title: "My Service",
					Labels:      map[string]string{"Tier": "Gold"},
					Annotations: map[string]string{"backstage.io/techdocs-ref": "dir:."},
					Tags:        []string{"Java", "go", "java"},
					Links:       []Link{{URL: "https://X", Title: "Docs"}},
					Extra:       map[string]any{"generation": 2},
				},
				Spec: map[string]any{
					"type": "service", "owner": "team-a", "replicas": 3, "ratio": 0.5, "enabled": true,
					"nothing": nil, "empty": map[string]any{}, "emptyList": []any{},
					"nested": []any{[]any{"a"}, map[string]any{"k": "v"}},
				},
				Relations: []Relation{{Type: "ownedBy", TargetRef: "group:default/team-a"}},
				Status:    &Status{Items: []StatusItem{{Type: StatusTypeProcessing, Level: "error", Message: "x"}}},
			},
			[]SearchRow{
				row("apiversion", "backstage.io/v1alpha1"),
				row("kind", "Component"),
				row("metadata.annotations.backstage.io/techdocs-ref", "dir:."),
				row("metadata.generation", "2"),
				row("metadata.labels.tier", "Gold"),
				row("metadata.links.title", "Docs"),
				row("metadata.links.url", "https://X"),
				row("metadata.tags", "Java"),
				row("metadata.tags.java", "true"),
				row("metadata.tags", "go"),
				row("metadata.tags.go", "true"),
				row("metadata.title", "My Service"),
				row("spec.enabled", "true"),
				row("spec.nested", "a"),
				row("spec.nested.a", "true"),
				row("spec.nested.k", "v"),
				nullRow("spec.nothing"),
				row("spec.owner", "team-a"),
				row("spec.ratio", "0.5"),
				row("spec.replicas", "3"),
				row("spec.type", "service"),
				row("metadata.name", "My-Svc"),
				row("metadata.namespace", "default"),
				row("metadata.uid", "uid-1"),
				row("relations.ownedby", "group:default/team-a"),
			}},
		{"namespace and uid unset",
			Entity{APIVersion: "v1", Kind: "Thing", Metadata: Metadata{Name: "t"}},
			[]SearchRow{
				row("apiversion", "v1"),
				row("kind", "Thing"),
				row("metadata.name", "t"),
				nullRow("metadata.namespace"),
				nullRow("metadata.uid"),
				row("metadata.namespace", "default"),
			}},
		{"length limits",
			Entity{APIVersion: "v1", Kind: "Thing", Metadata: Metadata{Name: "t", Namespace: "default", UID: "u"},
				Spec: map[string]any{"a": long200, "b": long201, longKey: "dropped", "c": strings.Repeat("😀", 100), "d": strings.Repeat("😀", 101)}},
			[]SearchRow{
				row("apiversion", "v1"),
				row("kind", "Thing"),
				row("spec.a", long200),
				nullRow("spec.b"),
				row("spec.c", strings.Repeat("😀", 100)),
				nullRow("spec.d"),
				row("metadata.name", "t"),
				row("metadata.namespace", "default"),
				row("metadata.uid", "u"),
			}},
		{"numbers as JavaScript prints them",
			Entity{APIVersion: "v1", Kind: "Thing", Metadata: Metadata{Name: "t", Namespace: "default", UID: "u"},
				Spec: map[string]any{"a": 1e21, "b": 1.5e-7, "c": float64(100), "d": json.Number("2.50"), "e": int64(1) << 60,
					"f": -0.000001, "g": math.Inf(-1), "h": uint8(7)}},
			[]SearchRow{
				row("apiversion", "v1"),
				row("kind", "Thing"),
				row("spec.a", "1e+21"),
				row("spec.b", "1.5e-7"),
				row("spec.c", "100"),
				row("spec.d", "2.5"),
				row("spec.e", "1152921504606847000"),
				row("spec.f", "-0.000001"),
				row("spec.g", "-Infinity"),
				row("spec.h", "7"),
				row("metadata.name", "t"),
				row("metadata.namespace", "default"),
				row("metadata.uid", "u"),
			}},
		{"duplicate pairs and null duplicates are dropped",
			Entity{APIVersion: "v1", Kind: "Thing", Metadata: Metadata{Name: "t", Namespace: "default", UID: "u"},
				Spec: map[string]any{"l": []any{nil, nil, "X", "x", map[string]any{"X": 1}}}},
			[]SearchRow{
				row("apiversion", "v1"),
				row("kind", "Thing"),
				nullRow("spec.l"),
				row("spec.l", "X"),
				row("spec.l.x", "true"),
				row("spec.l.x", "1"),
				row("metadata.name", "t"),
				row("metadata.namespace", "default"),
				row("metadata.uid", "u"),
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := formatRows(Search(&tc.e))
			if want := formatRows(tc.want); got != want {
				t.Errorf("rows =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestJSNumber(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-1.25, "-1.25"}, {0.1, "0.1"},
		{123456789012345680000, "123456789012345680000"}, {1e21, "1e+21"}, {1.2345e22, "1.2345e+22"},
		{0.000001, "0.000001"}, {1e-7, "1e-7"}, {math.NaN(), "NaN"}, {math.Inf(1), "Infinity"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := jsNumber(tc.in); got != tc.want {
				t.Errorf("jsNumber(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
