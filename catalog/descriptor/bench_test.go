package descriptor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func BenchmarkDecodeIBMTree(b *testing.B) {
	corpus := corpusDir(b)
	path := filepath.Join(corpus, "wild-trees", "ibm-messaging__mq-dev-patterns", "backstage", "catalog-info.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	fetch := testFetcher()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		docs, err := Decode(context.Background(), path, data, fetch, DefaultLimits())
		if err != nil || len(docs) != 16 {
			b.Fatalf("decode: %v, %d documents", err, len(docs))
		}
	}
}

// BenchmarkDecodeManyEntities decodes one file of 1,000 component documents.
func BenchmarkDecodeManyEntities(b *testing.B) {
	var sb strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&sb, "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: service-%d\n"+
			"  annotations:\n    github.com/project-slug: org/service-%d\n  tags: [go, web]\n"+
			"spec:\n  type: service\n  lifecycle: production\n  owner: team-%d\n  providesApis: [api-%d]\n", i, i, i%12, i)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		docs, err := Decode(context.Background(), "/repo/catalog-info.yaml", data, nil, DefaultLimits())
		if err != nil || len(docs) != 1000 {
			b.Fatalf("decode: %v, %d documents", err, len(docs))
		}
	}
}
