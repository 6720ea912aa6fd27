package catalog

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// billionLaughs is a YAML alias-expansion bomb: nine levels of ten aliases each.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bomb\nspec:\n  a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n")
	for i := 1; i <= 9; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+",", 9) + prev + "]\n")
	}
	return b.String()
}

// TestHostileInputIsContained puts hostile files beside a good one: each gets a clear error,
// the good entity is ingested, and memory stays bounded.
func TestHostileInputIsContained(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"good.yaml":    component("good", "team-a", ""),
		"bomb.yaml":    billionLaughs(),
		"deep.yaml":    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: deep\nspec:\n  x: " + strings.Repeat("[", 50000) + strings.Repeat("]", 50000) + "\n",
		"garbage.yaml": string([]byte{0x00, 0xff, 0xfe, 0x7f, 0x01, 0x02, '\n', 0xc3, 0x28, 0x00}),
		"list.yaml":    "- apiVersion: backstage.io/v1alpha1\n- kind: Component\n",
		"huge.yaml":    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: huge\n  description: " + strings.Repeat("x", 11<<20) + "\n",
	}
	root := "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: hostile\nspec:\n  targets:\n"
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
		root += "    - ./" + name + "\n"
	}
	root += "    - http://127.0.0.1:1/unreachable.yaml\n"
	writeFile(t, filepath.Join(dir, "catalog-info.yaml"), root)

	s := newTestService(t, "sqlite")
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	ingest(t, s, filepath.Join(dir, "catalog-info.yaml"))
	close(stop)
	wg.Wait()
	t.Logf("peak heap in use while ingesting: %d MiB", peak.Load()>>20)
	if peak.Load() > 512<<20 {
		t.Errorf("peak heap %d MiB, want under 512 MiB", peak.Load()>>20)
	}

	if !exists(t, s, "component:default/good") {
		t.Fatalf("the good entity beside hostile files was not ingested")
	}
	for _, name := range []string{"bomb", "deep", "huge"} {
		if exists(t, s, "component:default/"+name) {
			t.Errorf("hostile entity %s was ingested", name)
		}
	}
	problems, err := s.Problems(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]string{}
	for _, p := range problems {
		bySource[filepath.Base(p.Source)] += p.Message + "; "
	}
	for _, name := range []string{"bomb.yaml", "deep.yaml", "garbage.yaml", "list.yaml", "huge.yaml", "unreachable.yaml"} {
		if bySource[name] == "" {
			t.Errorf("no problem reported for %s; problems: %+v", name, problems)
		} else {
			t.Logf("%s: %s", name, bySource[name])
		}
	}
}
