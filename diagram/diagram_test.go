package diagram

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// neighbourhood is a component with an owner, a system, three dependencies,
// two dependents, two provided and two consumed APIs.
func neighbourhood() Graph {
	g := Graph{Nodes: []Node{{ID: "component:default/artist-web", Label: "artist-web", Kind: "Component", Center: true}}}
	add := func(id, kind, label string, outgoing bool, edgeLabel string) {
		g.Nodes = append(g.Nodes, Node{ID: id, Label: label, Kind: kind, Href: "/catalog/default/" + kind + "/" + label})
		if outgoing {
			g.Edges = append(g.Edges, Edge{From: g.Nodes[0].ID, To: id, Label: edgeLabel})
		} else {
			g.Edges = append(g.Edges, Edge{From: id, To: g.Nodes[0].ID, Label: edgeLabel})
		}
	}
	add("group:default/team-a", "Group", "team-a", true, "owned by")
	add("system:default/artist-engagement-portal", "System", "artist-engagement-portal", true, "part of")
	for i := 1; i <= 3; i++ {
		add(fmt.Sprintf("resource:default/dep-%d", i), "Resource", fmt.Sprintf("artists-db-%d", i), true, "depends on")
	}
	for i := 1; i <= 2; i++ {
		add(fmt.Sprintf("component:default/dependent-%d", i), "Component", fmt.Sprintf("playback-%d", i), false, "depends on")
	}
	for i := 1; i <= 2; i++ {
		add(fmt.Sprintf("api:default/provided-%d", i), "API", fmt.Sprintf("provided-api-%d", i), true, "provides API")
	}
	for i := 1; i <= 2; i++ {
		add(fmt.Sprintf("api:default/consumed-%d", i), "API", fmt.Sprintf("consumed-api-%d", i), true, "consumes API")
	}
	return g
}

func TestLayout(t *testing.T) {
	cycle := Graph{
		Nodes: []Node{{ID: "a", Label: "a"}, {ID: "b", Label: "b"}, {ID: "c", Label: "c"}},
		Edges: []Edge{{From: "a", To: "b"}, {From: "b", To: "c"}, {From: "c", To: "a", Label: "back"}},
	}
	long := Graph{
		Nodes: []Node{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}},
		Edges: []Edge{{From: "a", To: "b"}, {From: "b", To: "c"}, {From: "c", To: "d"}, {From: "a", To: "d", Label: "skips"}},
	}
	loops := Graph{
		Nodes: []Node{{ID: "a"}, {ID: "b"}},
		Edges: []Edge{{From: "a", To: "a"}, {From: "a", To: "b"}, {From: "a", To: "b"}},
	}
	tests := []struct {
		name      string
		graph     Graph
		wantPaths int
		wantCols  int // distinct box columns
	}{
		{name: "neighbourhood", graph: neighbourhood(), wantPaths: 11, wantCols: 3},
		{name: "cycle", graph: cycle, wantPaths: 3, wantCols: 3},
		{name: "long edge", graph: long, wantPaths: 4, wantCols: 4},
		{name: "self loop and duplicate dropped", graph: loops, wantPaths: 1, wantCols: 2},
		{name: "single node", graph: Graph{Nodes: []Node{{ID: "only", Label: "only", Center: true}}}, wantPaths: 0, wantCols: 1},
		{name: "empty", graph: Graph{}, wantPaths: 0, wantCols: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Layout(tc.graph)
			if err != nil {
				t.Fatalf("Layout: %v", err)
			}
			if len(r.Boxes) != len(tc.graph.Nodes) {
				t.Fatalf("boxes = %d, want %d", len(r.Boxes), len(tc.graph.Nodes))
			}
			if len(r.Paths) != tc.wantPaths {
				t.Errorf("paths = %d, want %d", len(r.Paths), tc.wantPaths)
			}
			cols := map[float64]bool{}
			for i, b := range r.Boxes {
				if b.ID != tc.graph.Nodes[i].ID {
					t.Errorf("box %d is %q, want input order %q", i, b.ID, tc.graph.Nodes[i].ID)
				}
				cols[b.X] = true
				if b.X < 0 || b.Y < 0 || b.X+b.W > r.Width || b.Y+b.H > r.Height {
					t.Errorf("box %s at (%.1f,%.1f %.1fx%.1f) outside %.1fx%.1f", b.ID, b.X, b.Y, b.W, b.H, r.Width, r.Height)
				}
			}
			if len(cols) != tc.wantCols {
				t.Errorf("columns = %d, want %d", len(cols), tc.wantCols)
			}
			assertNoOverlap(t, r)
			assertPathsConnect(t, r)
		})
	}
}

func TestNeighbourhoodShape(t *testing.T) {
	r, err := Layout(neighbourhood())
	if err != nil {
		t.Fatal(err)
	}
	center, _ := r.Box("component:default/artist-web")
	tests := []struct {
		id   string
		side string // "left" or "right" of the centre
	}{
		{"component:default/dependent-1", "left"},
		{"component:default/dependent-2", "left"},
		{"group:default/team-a", "right"},
		{"system:default/artist-engagement-portal", "right"},
		{"resource:default/dep-1", "right"},
		{"api:default/provided-1", "right"},
		{"api:default/consumed-2", "right"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			b, ok := r.Box(tc.id)
			if !ok {
				t.Fatal("no box")
			}
			got := "right"
			if b.X+b.W <= center.X {
				got = "left"
			} else if b.X < center.X+center.W {
				got = "same column"
			}
			if got != tc.side {
				t.Errorf("%s is %s of the centre, want %s", tc.id, got, tc.side)
			}
		})
	}
	// The centre sits level with the middle of what it points to.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, b := range r.Boxes {
		if b.X > center.X+center.W {
			lo, hi = min(lo, b.Y), max(hi, b.Y+b.H)
		}
	}
	if mid := center.Y + center.H/2; mid < lo || mid > hi {
		t.Errorf("centre at %.1f outside its targets' span %.1f..%.1f", mid, lo, hi)
	}
	// Labels sit beside the box at the end of the edge that no other edge
	// shares: the targets of the fan-out, the sources of the fan-in.
	for _, p := range r.Paths {
		if p.Label == "" {
			t.Errorf("edge %s->%s lost its label", p.From, p.To)
		}
		other, anchor, x := p.To, "end", p.Points[len(p.Points)-1].X-labelGap
		if p.To == center.ID {
			other, anchor, x = p.From, "start", p.Points[0].X+labelGap
		}
		if p.LabelAnchor != anchor || p.LabelAt.X != x {
			t.Errorf("edge %s->%s label anchored %q at x %.1f, want %q at %.1f beside %s", p.From, p.To, p.LabelAnchor, p.LabelAt.X, anchor, x, other)
		}
	}
}

func TestLayoutErrors(t *testing.T) {
	big := Graph{}
	for i := 0; i <= maxNodes; i++ {
		big.Nodes = append(big.Nodes, Node{ID: fmt.Sprint(i)})
	}
	// A path through 300 nodes puts each in its own layer; an edge from
	// the first node to every other spans up to 298 layers.
	chain := Graph{}
	for i := 0; i < maxNodes; i++ {
		chain.Nodes = append(chain.Nodes, Node{ID: fmt.Sprint(i)})
		if i > 0 {
			chain.Edges = append(chain.Edges, Edge{From: fmt.Sprint(i - 1), To: fmt.Sprint(i)}, Edge{From: "0", To: fmt.Sprint(i)})
		}
	}
	tests := []struct {
		name    string
		graph   Graph
		wantErr string
		wantIs  error
	}{
		{name: "duplicate", graph: Graph{Nodes: []Node{{ID: "a"}, {ID: "a"}}}, wantErr: `diagram: duplicate node "a"`},
		{name: "unknown source", graph: Graph{Nodes: []Node{{ID: "a"}}, Edges: []Edge{{From: "x", To: "a"}}}, wantErr: `diagram: edge from unknown node "x"`},
		{name: "unknown target", graph: Graph{Nodes: []Node{{ID: "a"}}, Edges: []Edge{{From: "a", To: "y"}}}, wantErr: `diagram: edge to unknown node "y"`},
		{name: "too large", graph: big, wantErr: "diagram: graph too large to draw: 301 nodes", wantIs: ErrTooLarge},
		{name: "too many long edges", graph: chain, wantErr: "diagram: graph too large to draw: 300 nodes need 44851 vertices", wantIs: ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Layout(tc.graph)
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.wantIs)
			}
		})
	}
}

// TestReduceCrossings starts from an order with every edge crossing and
// expects the sweeps to untangle it.
func TestReduceCrossings(t *testing.T) {
	l := &layout{}
	for i := 0; i < 6; i++ {
		l.nodes = append(l.nodes, &vertex{h: nodeHeight, layer: i / 3})
	}
	// Upper 0,1,2 connect to lower 5,4,3: a full reversal.
	for i := 0; i < 3; i++ {
		l.segments = append(l.segments, segment{upper: i, lower: 5 - i})
	}
	l.layers = [][]int{{0, 1, 2}, {3, 4, 5}}
	for _, layer := range l.layers {
		for i, v := range layer {
			l.nodes[v].order = i
		}
	}
	if got := l.crossings(); got != 3 {
		t.Fatalf("initial crossings = %d, want 3", got)
	}
	l.reduceCrossings()
	if got := l.crossings(); got != 0 {
		t.Errorf("crossings after reduction = %d, want 0 (layers %v)", got, l.layers)
	}
}

func assertNoOverlap(t *testing.T, r *Result) {
	t.Helper()
	for i, a := range r.Boxes {
		for _, b := range r.Boxes[i+1:] {
			if a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
				t.Errorf("boxes %s and %s overlap", a.ID, b.ID)
			}
		}
	}
}

// assertPathsConnect checks each path starts on its source box's border and
// ends on its target box's border.
func assertPathsConnect(t *testing.T, r *Result) {
	t.Helper()
	for _, p := range r.Paths {
		if len(p.Points) < 2 {
			t.Errorf("edge %s->%s has %d points", p.From, p.To, len(p.Points))
			continue
		}
		from, _ := r.Box(p.From)
		to, _ := r.Box(p.To)
		if !onBorder(from, p.Points[0]) {
			t.Errorf("edge %s->%s starts at %+v, not on %s's border", p.From, p.To, p.Points[0], p.From)
		}
		if !onBorder(to, p.Points[len(p.Points)-1]) {
			t.Errorf("edge %s->%s ends at %+v, not on %s's border", p.From, p.To, p.Points[len(p.Points)-1], p.To)
		}
	}
}

func onBorder(b Box, p Point) bool {
	const eps = 0.01
	inY := p.Y >= b.Y-eps && p.Y <= b.Y+b.H+eps
	onSide := math.Abs(p.X-b.X) < eps || math.Abs(p.X-(b.X+b.W)) < eps
	return inY && onSide
}

func BenchmarkLayoutNeighbourhood(b *testing.B) {
	g := neighbourhood()
	for b.Loop() {
		if _, err := Layout(g); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzLayout(f *testing.F) {
	f.Add(uint8(5), []byte{0, 1, 1, 2, 2, 0, 3, 4})
	f.Add(uint8(12), []byte{0, 1, 0, 2, 0, 3, 4, 0, 5, 0, 0, 6, 0, 7, 7, 8, 8, 9})
	f.Fuzz(func(t *testing.T, n uint8, pairs []byte) {
		g := Graph{}
		count := int(n%40) + 1
		for i := 0; i < count; i++ {
			g.Nodes = append(g.Nodes, Node{ID: fmt.Sprint(i), Label: fmt.Sprint("node ", i)})
		}
		for i := 0; i+1 < len(pairs) && i < 200; i += 2 {
			g.Edges = append(g.Edges, Edge{From: fmt.Sprint(int(pairs[i]) % count), To: fmt.Sprint(int(pairs[i+1]) % count)})
		}
		r, err := Layout(g)
		if err != nil {
			t.Fatal(err)
		}
		assertNoOverlap(t, r)
		assertPathsConnect(t, r)
	})
}
