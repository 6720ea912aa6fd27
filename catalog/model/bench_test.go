package model

import (
	"encoding/json"
	"testing"
)

const benchDescriptor = `{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"playback-order","description":"Playback ordering service","labels":{"tier":"gold"},"annotations":{"backstage.io/techdocs-ref":"dir:.","github.com/project-slug":"acme/playback-order"},"tags":["java","data"],"links":[{"url":"https://dashboard.example.com","title":"Dashboard","icon":"dashboard"}]},"spec":{"type":"service","lifecycle":"production","owner":"team-a","system":"audio-playback","providesApis":["playback-order-api"],"consumesApis":["spotify"],"dependsOn":["resource:artists-db"]}}`

func benchRaw(b *testing.B) map[string]any {
	b.Helper()
	var raw map[string]any
	if err := json.Unmarshal([]byte(benchDescriptor), &raw); err != nil {
		b.Fatalf("unmarshal: %v", err)
	}
	return raw
}

func BenchmarkFromRaw(b *testing.B) {
	raw := benchRaw(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromRaw(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRelations(b *testing.B) {
	e, err := FromRaw(benchRaw(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Relations(e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch(b *testing.B) {
	e, err := FromRaw(benchRaw(b))
	if err != nil {
		b.Fatal(err)
	}
	rows, err := Relations(e)
	if err != nil {
		b.Fatal(err)
	}
	e.Relations = RelationsOf(rows, e.Ref())
	b.ReportAllocs()
	for b.Loop() {
		Search(e)
	}
}
