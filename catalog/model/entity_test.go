package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestEntityJSON(t *testing.T) {
	cases := []struct {
		name string
		e    Entity
		json string
	}{
		{"minimal",
			Entity{APIVersion: "backstage.io/v1alpha1", Kind: "Thing", Metadata: Metadata{Name: "t", Namespace: "default"}},
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Thing","metadata":{"name":"t","namespace":"default"}}`},
		{"every field, extra keys after typed ones",
			Entity{
				APIVersion: "backstage.io/v1alpha1", Kind: "Component",
				Metadata: Metadata{
					UID: "u", Etag: "e", Name: "c", Namespace: "ns", Title: "C", Description: "d",
					Labels: map[string]string{"a": "b"}, Annotations: map[string]string{"x/y": "z"},
					Tags:  []string{"go"},
					Links: []Link{{URL: "https://x", Title: "X", Icon: "docs", Type: "doc", Extra: map[string]any{"z": "1", "url": "ignored"}}},
					Extra: map[string]any{"zeta": []any{"1"}, "alpha": true, "name": "ignored"},
				},
				Spec:      map[string]any{"owner": "g", "type": "service"},
				Relations: []Relation{{Type: "ownedBy", TargetRef: "group:ns/g"}},
				Status: &Status{Items: []StatusItem{{Type: StatusTypeProcessing, Level: StatusLevelError, Message: "InputError: bad",
					Error: &ErrorBody{Name: "InputError", Message: "bad", Cause: &ErrorBody{Name: "Error", Message: "root"}}}}},
			},
			`{"apiVersion":"backstage.io/v1alpha1","kind":"Component",` +
				`"metadata":{"uid":"u","etag":"e","name":"c","namespace":"ns","title":"C","description":"d","labels":{"a":"b"},"annotations":{"x/y":"z"},"tags":["go"],` +
				`"links":[{"url":"https://x","title":"X","icon":"docs","type":"doc","z":"1"}],"alpha":true,"zeta":["1"]},` +
				`"spec":{"owner":"g","type":"service"},"relations":[{"type":"ownedBy","targetRef":"group:ns/g"}],` +
				`"status":{"items":[{"type":"backstage.io/catalog-processing","level":"error","message":"InputError: bad","error":{"name":"InputError","message":"bad","cause":{"name":"Error","message":"root"}}}]}}`},
		{"empty collections are kept",
			Entity{APIVersion: "v1", Kind: "Thing", Metadata: Metadata{Name: "t", Labels: map[string]string{}, Tags: []string{}, Links: []Link{}}},
			`{"apiVersion":"v1","kind":"Thing","metadata":{"name":"t","labels":{},"tags":[],"links":[]}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.e)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(b) != tc.json {
				t.Errorf("Marshal =\n%s\nwant\n%s", b, tc.json)
			}
			var back Entity
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			again, err := json.Marshal(back)
			if err != nil {
				t.Fatalf("Marshal again: %v", err)
			}
			if string(again) != tc.json {
				t.Errorf("round trip =\n%s\nwant\n%s", again, tc.json)
			}
		})
	}
}

func TestMetadataUnmarshal(t *testing.T) {
	cases := []struct {
		name    string
		json    string
		want    Metadata
		wantErr string
	}{
		{"typed fields and extras",
			`{"name":"n","generation":2,"links":[{"url":"u","entityRef":"x"}],"labels":{"a":"b"}}`,
			Metadata{Name: "n", Labels: map[string]string{"a": "b"},
				Links: []Link{{URL: "u", Extra: map[string]any{"entityRef": "x"}}},
				Extra: map[string]any{"generation": float64(2)}}, ""},
		{"wrong type for a typed field", `{"name":"n","labels":{"a":1}}`, Metadata{}, "metadata.labels"},
		{"not an object", `[]`, Metadata{}, "metadata:"},
		{"link not an object", `{"links":[1]}`, Metadata{}, "link:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var m Metadata
			err := json.Unmarshal([]byte(tc.json), &m)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if !reflect.DeepEqual(m, tc.want) {
				t.Errorf("metadata = %#v, want %#v", m, tc.want)
			}
		})
	}
}

// TestFromRawJSONRoundTrip checks that an entity read from a descriptor serialises to the
// descriptor's own content plus the defaulted namespace.
func TestFromRawJSONRoundTrip(t *testing.T) {
	src := `{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"c","custom":{"k":[1,"x"]},"links":[{"url":"https://x","foo":"bar"}]},"spec":{"type":"service","lifecycle":"production","owner":"g","extra":{"n":null}}}`
	e, err := FromRaw(descriptor(t, src))
	if err != nil {
		t.Fatalf("FromRaw: %v", err)
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var got, want any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	wantSrc := strings.Replace(src, `"name":"c",`, `"name":"c","namespace":"default",`, 1)
	if err := json.Unmarshal([]byte(wantSrc), &want); err != nil {
		t.Fatalf("Unmarshal want: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("JSON =\n%s\nwant\n%s", b, wantSrc)
	}
}
