package descriptor

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const mib = 1 << 20

// allocated runs f and returns the bytes it allocated (TotalAlloc delta),
// an upper bound for the memory it held at its peak.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// billionLaughs nests levels of lists that each reference the previous one
// ten times: fully expanded it has 10^levels strings.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("kind: Component\nl0: &l0 lol\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// garbage returns deterministic pseudo-random bytes.
func garbage(n int, seed uint64, noNUL bool) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(r.UintN(256))
		if noNUL && out[i] == 0 {
			out[i] = 'x'
		}
	}
	return out
}

func TestHostileInput(t *testing.T) {
	bigAnchor := "kind: A\nbig: &big " + strings.Repeat("x", 1*mib) + "\ncopies: [" + strings.Repeat("*big, ", 98) + "*big]\n"
	wideFlow := "[" + strings.Repeat("1,", 5*mib-2) + "1]"
	tests := []struct {
		name string
		data []byte
		// fileErr is the start of the file-level error message, or empty.
		fileErr string
		// docErr is the start of the first document's error, or empty.
		docErr   string
		maxAlloc uint64
	}{
		{name: "billion laughs", data: []byte(billionLaughs(9)), docErr: "Excessive alias count indicates a resource exhaustion attack", maxAlloc: 1 * mib},
		{name: "alias copies of a large scalar", data: []byte(bigAnchor), docErr: "document decodes to more than 67108864 bytes of text", maxAlloc: 200 * mib},
		{name: "50,000 nested flow sequences", data: []byte(strings.Repeat("[", 50000) + strings.Repeat("]", 50000)), fileErr: "YAML error: exceeded max depth of 10000", maxAlloc: 16 * mib},
		{name: "50,000 nested flow mappings", data: []byte(strings.Repeat("{a: ", 50000) + "1" + strings.Repeat("}", 50000)), fileErr: "YAML error: exceeded max depth of 10000", maxAlloc: 16 * mib},
		{name: "50,000 nested block sequences", data: []byte(strings.Repeat("- ", 50000) + "x\n"), fileErr: "YAML error: exceeded max depth of 10000", maxAlloc: 16 * mib},
		{name: "5,000 nested mappings", data: []byte("kind: A\nspec: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000) + "\n"), docErr: "nesting is deeper than 1000 levels", maxAlloc: 16 * mib},
		{name: "binary garbage", data: garbage(1*mib, 1, false), fileErr: "file contains ", maxAlloc: 1 * mib},
		{name: "binary garbage without NUL", data: garbage(1*mib, 2, true), fileErr: "file contains the control character", maxAlloc: 1 * mib},
		{name: "PNG image", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), fileErr: "file contains the control character U+001A at line 2, column 1", maxAlloc: 1 * mib},
		{name: "UTF-16 text", data: []byte("\xff\xfek\x00i\x00n\x00d\x00:\x00 \x00A\x00"), fileErr: "file contains binary data (a NUL byte at line 1", maxAlloc: 1 * mib},
		{name: "over the size limit", data: bytes.Repeat([]byte("a: b\n"), 10*mib/5+1), fileErr: "file is 10485765 bytes, more than the limit of 10485760 bytes", maxAlloc: 1 * mib},
		{name: "10 MiB flow sequence", data: []byte(wideFlow), fileErr: "file has too much structure to decode safely", maxAlloc: 1 * mib},
		{name: "a million tiny documents", data: bytes.Repeat([]byte("---\na: 1\n"), 1_000_000), fileErr: "file has too much structure to decode safely", maxAlloc: 1 * mib},
		{name: "one 9 MiB string", data: []byte("kind: A\ndescription: " + strings.Repeat("lorem ipsum ", 9*mib/12) + "\n"), maxAlloc: 120 * mib},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var (
				docs []Document
				err  error
			)
			used := allocated(func() {
				docs, err = Decode(context.Background(), "/repo/hostile.yaml", tc.data, testFetcher(), DefaultLimits())
			})
			t.Logf("allocated %.1f MiB", float64(used)/mib)
			if used > tc.maxAlloc {
				t.Errorf("allocated %d MiB, want at most %d MiB", used/mib, tc.maxAlloc/mib)
			}
			switch {
			case tc.fileErr == "" && err != nil:
				t.Fatalf("file error: %v", err)
			case tc.fileErr != "" && (err == nil || !strings.Contains(err.Error(), tc.fileErr)):
				t.Fatalf("file error %v, want %q", err, tc.fileErr)
			}
			if tc.docErr != "" {
				if len(docs) != 1 || docs[0].Err == nil || !strings.HasPrefix(docs[0].Err.Message, tc.docErr) {
					t.Fatalf("documents %+v, want one failing with %q", docs, tc.docErr)
				}
				if docs[0].Err.Line < 1 {
					t.Errorf("error without a line: %v", docs[0].Err)
				}
			}
			if tc.fileErr == "" && tc.docErr == "" && (len(docs) != 1 || docs[0].Err != nil) {
				t.Fatalf("documents %+v", docs)
			}
		})
	}
}

// TestStructureLimitMemory decodes a file just under the structure limit and
// checks the memory a worst-case accepted file costs.
func TestStructureLimitMemory(t *testing.T) {
	var b strings.Builder
	b.WriteString("kind: Group\nspec:\n  members:\n")
	for i := 0; b.Len() < 10*mib-100; i++ {
		fmt.Fprintf(&b, "    - user-%d-%s\n", i, strings.Repeat("x", 30))
	}
	data := []byte(b.String())
	var (
		docs []Document
		err  error
	)
	lim := DefaultLimits()
	used := allocated(func() {
		docs, err = Decode(context.Background(), "/repo/big.yaml", data, testFetcher(), lim)
	})
	if err != nil || len(docs) != 1 || docs[0].Err != nil {
		t.Fatalf("decode: %v %v", err, docs)
	}
	members := docs[0].Raw["spec"].(map[string]any)["members"].([]any)
	t.Logf("%d members from %d MiB allocated %.1f MiB", len(members), len(data)/mib, float64(used)/mib)
	if len(members) < 200_000 {
		t.Errorf("only %d members", len(members))
	}
	if used > 400*mib {
		t.Errorf("allocated %d MiB for a %d MiB file", used/mib, len(data)/mib)
	}
}

func TestHostileSubstitutions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"bomb.yaml":  billionLaughs(9),
		"deep.json":  strings.Repeat("[", 50000) + strings.Repeat("]", 50000),
		"deep.yaml":  strings.Repeat("[", 50000) + strings.Repeat("]", 50000),
		"wide.json":  "[" + strings.Repeat("1,", 3*mib) + "1]",
		"binary.txt": string(garbage(4096, 3, false)),
	})
	tests := []struct {
		name     string
		input    string
		want     string
		maxAlloc uint64
	}{
		{name: "alias bomb in a $yaml target", input: "a: {$yaml: bomb.yaml}\n", want: "Placeholder $yaml found an error in the data at bomb.yaml, line 4, l2[8]: Excessive alias count", maxAlloc: 1 * mib},
		{name: "deep $json", input: "a: {$json: deep.json}\n", want: "Placeholder $json failed to parse JSON data at deep.json, invalid character '[' exceeded max depth", maxAlloc: 16 * mib},
		{name: "deep $yaml", input: "a: {$yaml: deep.yaml}\n", want: "Placeholder $yaml found an error in the data at deep.yaml, YAML error at line 1: exceeded max depth of 10000", maxAlloc: 16 * mib},
		{name: "wide $json", input: "a: {$json: wide.json}\n", want: "Placeholder $json failed to parse JSON data at wide.json, it has too much structure", maxAlloc: 8 * mib},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var (
				docs []Document
				err  error
			)
			used := allocated(func() {
				docs, err = Decode(context.Background(), filepath.Join(dir, "c.yaml"), []byte(tc.input), testFetcher(), DefaultLimits())
			})
			if used > tc.maxAlloc+10*mib {
				t.Errorf("allocated %d MiB", used/mib)
			}
			if err != nil || len(docs) != 1 || docs[0].Err == nil {
				t.Fatalf("decode: %v %+v", err, docs)
			}
			if !strings.HasPrefix(docs[0].Err.Message, tc.want) {
				t.Errorf("error %q, want prefix %q", docs[0].Err.Message, tc.want)
			}
		})
	}
	// Binary content read through $text is text with replacement characters,
	// as Backstage's Buffer.toString('utf-8') makes it.
	docs, err := Decode(context.Background(), filepath.Join(dir, "c.yaml"), []byte("a: {$text: binary.txt}\n"), testFetcher(), DefaultLimits())
	if err != nil || len(docs) != 1 || docs[0].Err != nil {
		t.Fatalf("binary $text: %v %+v", err, docs)
	}
	if s, _ := docs[0].Raw["a"].(string); !strings.ContainsRune(s, '\uFFFD') {
		t.Errorf("binary $text did not become text with replacement characters")
	}
}
