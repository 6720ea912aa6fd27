package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// apiVersion is the descriptor version of every generated entity.
const apiVersion = "backstage.io/v1alpha1"

// Summary describes a generated catalog; it is also written to summary.json.
type Summary struct {
	// N is the number of components.
	N int `json:"N"`
	// Groups counts the teams plus the root organization group.
	Groups int `json:"groups"`
	// Domains is the number of Domain entities.
	Domains int `json:"domains"`
	// Systems is the number of System entities.
	Systems int `json:"systems"`
	// APIs is the number of API entities.
	APIs int `json:"apis"`
	// Components is the number of Component entities (equal to N).
	Components int `json:"components"`
	// Total is the number of entities in all descriptor files together.
	Total int `json:"total"`
	// Files lists the descriptor files in the order they were written,
	// without the root catalog-info.yaml.
	Files []string `json:"files"`
}

// shape holds the entity counts derived from N and the names built from them.
type shape struct {
	n, groups, domains, systems, apis int
}

func newShape(n int) shape {
	return shape{
		n:       n,
		groups:  max(5, n/50),
		domains: max(1, n/1000),
		systems: max(2, n/20),
		apis:    max(1, n/2),
	}
}

// team, system, domain, api and component name the i-th entity of a kind,
// wrapping around as the reference does.
func (s shape) team(i int) string {
	return fmt.Sprintf("team-%04d", i%s.groups)
}

func (s shape) system(i int) string {
	return fmt.Sprintf("system-%05d", i%s.systems)
}

func (s shape) domain(i int) string {
	return fmt.Sprintf("domain-%03d", i%s.domains)
}

func (s shape) api(i int) string {
	return fmt.Sprintf("api-%06d", i%s.apis)
}

func (s shape) component(i int) string {
	return fmt.Sprintf("svc-%06d", ((i%s.n)+s.n)%s.n)
}

// generator accumulates the files written into one directory.
type generator struct {
	dir   string
	files []string
	buf   bytes.Buffer
}

func (g *generator) write(name string, entities []object) error {
	g.buf.Reset()
	for _, e := range entities {
		writeDoc(&g.buf, e)
	}
	if err := os.WriteFile(filepath.Join(g.dir, name), g.buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("synth: write %s: %w", name, err)
	}
	g.files = append(g.files, name)
	return nil
}

// Generate writes the synthetic catalog of n components into dir, perFile
// components (and APIs) per file, and returns its summary. The reference
// generator uses 1000 per file. dir is created when missing; the paths in
// app-config-locations.yaml are absolute.
func Generate(n int, dir string, perFile int) (Summary, error) {
	if n < 1 {
		return Summary{}, fmt.Errorf("synth: component count %d: must be at least 1", n)
	}
	if perFile < 1 {
		return Summary{}, fmt.Errorf("synth: components per file %d: must be at least 1", perFile)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Summary{}, fmt.Errorf("synth: resolve %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return Summary{}, fmt.Errorf("synth: create %s: %w", abs, err)
	}
	s := newShape(n)
	g := &generator{dir: abs}
	if err := g.write("groups.yaml", s.groupEntities()); err != nil {
		return Summary{}, err
	}
	if err := g.write("domains.yaml", s.domainEntities()); err != nil {
		return Summary{}, err
	}
	if err := g.write("systems.yaml", s.systemEntities()); err != nil {
		return Summary{}, err
	}
	for f := 0; f*perFile < s.apis; f++ {
		ents := s.apiEntities(f*perFile, min(s.apis, (f+1)*perFile))
		if err := g.write(fmt.Sprintf("apis-%03d.yaml", f), ents); err != nil {
			return Summary{}, err
		}
	}
	// One generator across all component files: the draws continue from
	// file to file, as in the reference.
	rnd := newLCG()
	for f := 0; f*perFile < n; f++ {
		ents := s.componentEntities(rnd, f*perFile, min(n, (f+1)*perFile))
		if err := g.write(fmt.Sprintf("components-%03d.yaml", f), ents); err != nil {
			return Summary{}, err
		}
	}

	targets := make(list, len(g.files))
	for i, f := range g.files {
		targets[i] = str("./" + f)
	}
	// The root Location lists every file but itself.
	files := slices.Clone(g.files)
	root := object{
		{"apiVersion", str(apiVersion)},
		{"kind", str("Location")},
		{"metadata", object{{"name", str(fmt.Sprintf("synthetic-%d", n))}}},
		{"spec", object{{"targets", targets}}},
	}
	if err := g.write("catalog-info.yaml", []object{root}); err != nil {
		return Summary{}, err
	}

	var cfg strings.Builder
	cfg.WriteString("catalog:\n  locations:\n")
	for _, f := range files {
		cfg.WriteString("    - type: file\n      target: ")
		cfg.WriteString(filepath.Join(abs, f))
		cfg.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(abs, "app-config-locations.yaml"), []byte(cfg.String()), 0o644); err != nil {
		return Summary{}, fmt.Errorf("synth: write app-config-locations.yaml: %w", err)
	}

	sum := Summary{
		N:          n,
		Groups:     s.groups + 1,
		Domains:    s.domains,
		Systems:    s.systems,
		APIs:       s.apis,
		Components: n,
		Total:      1 + s.groups + s.domains + s.systems + s.apis + n,
		Files:      files,
	}
	if err := writeSummary(filepath.Join(abs, "summary.json"), sum); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// writeSummary writes sum as JSON indented by two spaces, without a trailing
// newline, as JSON.stringify(value, null, 2) does.
func writeSummary(path string, sum Summary) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sum); err != nil {
		return fmt.Errorf("synth: encode summary: %w", err)
	}
	out := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("synth: write summary.json: %w", err)
	}
	return nil
}
