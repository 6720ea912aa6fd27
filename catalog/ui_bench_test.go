package catalog

import (
	"context"
	"testing"

	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/catalog/synth"
)

// BenchmarkUI measures the page queries at 10,000 synthetic components on SQLite: the
// freshness check every call makes, the catalog list and the entity page data.
func BenchmarkUI(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Generate(10_000, dir, 1000); err != nil {
		b.Fatal(err)
	}
	svc := newTestService(b, "sqlite")
	ingest(b, svc, dir+"/catalog-info.yaml")
	ui := NewUI(svc)
	ctx := context.Background()
	b.Run("stamp", func(b *testing.B) {
		for b.Loop() {
			if _, err := ui.stamp(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("list", func(b *testing.B) {
		for b.Loop() {
			if _, err := ui.List(ctx, ListRequest{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("list-filtered", func(b *testing.B) {
		req := ListRequest{Filters: map[string][]string{FacetKind: {"component"}, FacetOwner: {"team-0042"}}, Q: "svc", Sort: "-owner"}
		for b.Loop() {
			if _, err := ui.List(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("entity", func(b *testing.B) {
		ref := model.Ref{Kind: "component", Namespace: "default", Name: "svc-004321"}
		for b.Loop() {
			if _, err := ui.Entity(ctx, ref); err != nil {
				b.Fatal(err)
			}
		}
	})
}
