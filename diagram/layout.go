package diagram

import (
	"math"
	"slices"
	"unicode/utf8"
)

// vertex is a real node or a dummy on a long edge.
type vertex struct {
	id    string
	dummy bool
	w, h  float64
	layer int
	order int
	x, cy float64 // left edge and vertical centre
}

// link is an input edge as the layout sees it.
type link struct {
	edge     Edge
	from, to int  // real vertex indices as given
	reversed bool // drawn against the layering to break a cycle
	chain    []int
}

// tail and head are the link's ends in layering direction.
func (k *link) tail() int {
	if k.reversed {
		return k.to
	}
	return k.from
}

func (k *link) head() int {
	if k.reversed {
		return k.from
	}
	return k.to
}

// segment joins two vertices in adjacent layers.
type segment struct{ upper, lower int }

type layout struct {
	nodes    []*vertex
	edges    []*link
	layers   [][]int
	segments []segment
	colX     []float64
	colW     []float64
}

// breakCycles reverses the back edges found by a depth-first search, so
// the remaining graph is acyclic.
func (l *layout) breakCycles() {
	out := make([][]*link, len(l.nodes))
	for _, e := range l.edges {
		out[e.from] = append(out[e.from], e)
	}
	const (
		white = iota
		grey
		black
	)
	colour := make([]int, len(l.nodes))
	var visit func(int)
	visit = func(v int) {
		colour[v] = grey
		for _, e := range out[v] {
			switch colour[e.to] {
			case grey:
				e.reversed = true
			case white:
				visit(e.to)
			}
		}
		colour[v] = black
	}
	for v := range l.nodes {
		if colour[v] == white {
			visit(v)
		}
	}
}

// assignLayers gives every node the longest-path layer from the sources,
// then moves each source right to just before its nearest successor, so
// that a node feeding into the middle of the graph does not sit far left.
func (l *layout) assignLayers() {
	n := len(l.nodes)
	in := make([]int, n)
	succ := make([][]int, n)
	for _, e := range l.edges {
		in[e.head()]++
		succ[e.tail()] = append(succ[e.tail()], e.head())
	}
	indeg := slices.Clone(in)
	queue := make([]int, 0, n)
	for v := 0; v < n; v++ {
		if indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	for i := 0; i < len(queue); i++ {
		v := queue[i]
		for _, s := range succ[v] {
			l.nodes[s].layer = max(l.nodes[s].layer, l.nodes[v].layer+1)
			indeg[s]--
			if indeg[s] == 0 {
				queue = append(queue, s)
			}
		}
	}
	for v := 0; v < n; v++ {
		if in[v] != 0 || len(succ[v]) == 0 {
			continue
		}
		nearest := math.MaxInt
		for _, s := range succ[v] {
			nearest = min(nearest, l.nodes[s].layer)
		}
		l.nodes[v].layer = nearest - 1
	}
	low := math.MaxInt
	for _, v := range l.nodes {
		low = min(low, v.layer)
	}
	for _, v := range l.nodes {
		v.layer -= low
	}
}

// insertDummies splits edges spanning several layers with dummy vertices
// and records every adjacent-layer segment.
func (l *layout) insertDummies() {
	for _, e := range l.edges {
		t, h := e.tail(), e.head()
		e.chain = []int{t}
		for layer := l.nodes[t].layer + 1; layer < l.nodes[h].layer; layer++ {
			l.nodes = append(l.nodes, &vertex{id: "", dummy: true, h: dummyHeight, layer: layer})
			e.chain = append(e.chain, len(l.nodes)-1)
		}
		e.chain = append(e.chain, h)
		for i := 0; i+1 < len(e.chain); i++ {
			l.segments = append(l.segments, segment{upper: e.chain[i], lower: e.chain[i+1]})
		}
	}
	depth := 0
	for _, v := range l.nodes {
		depth = max(depth, v.layer+1)
	}
	l.layers = make([][]int, depth)
}

// placeX puts each layer in a column as wide as its widest box, with room
// between columns for the widest edge label crossing the gap.
func (l *layout) placeX() {
	l.colW = make([]float64, len(l.layers))
	gap := make([]float64, len(l.layers))
	for _, v := range l.nodes {
		l.colW[v.layer] = max(l.colW[v.layer], v.w)
	}
	for i := range gap {
		gap[i] = minLayerGap
	}
	for _, e := range l.edges {
		layer := min(l.nodes[e.from].layer, l.nodes[e.to].layer)
		gap[layer] = max(gap[layer], float64(utf8.RuneCountInString(e.edge.Label))*6.6+60)
	}
	l.colX = make([]float64, len(l.layers))
	x := margin
	for i := range l.layers {
		l.colX[i] = x
		x += l.colW[i] + gap[i]
	}
	// Boxes are left-aligned in their column, so every edge entering a
	// column ends at the same x and labels before it line up.
	for _, v := range l.nodes {
		v.x = l.colX[v.layer]
	}
}

// placeY stacks each column, then repeatedly moves every vertex towards the
// mean height of its neighbours while keeping order and spacing.
func (l *layout) placeY() {
	adj := make([][]int, len(l.nodes))
	for _, s := range l.segments {
		adj[s.upper] = append(adj[s.upper], s.lower)
		adj[s.lower] = append(adj[s.lower], s.upper)
	}
	for _, layer := range l.layers {
		y := 0.0
		for i, v := range layer {
			if i > 0 {
				y += separation(l.nodes[layer[i-1]], l.nodes[v])
			}
			l.nodes[v].cy = y
		}
		shift := y / 2
		for _, v := range layer {
			l.nodes[v].cy -= shift
		}
	}
	for iter := 0; iter < 12; iter++ {
		order := make([]int, len(l.layers))
		for i := range order {
			order[i] = i
		}
		if iter%2 == 1 {
			slices.Reverse(order)
		}
		for _, i := range order {
			l.relax(l.layers[i], adj)
		}
	}
	top := math.Inf(1)
	for _, v := range l.nodes {
		top = min(top, v.cy-v.h/2)
	}
	for _, v := range l.nodes {
		v.cy += margin - top
	}
}

// separation is the minimum distance between the centres of two vertices
// stacked in one column.
func separation(a, b *vertex) float64 {
	gap := nodeGap
	if a.dummy || b.dummy {
		gap = nodeGap / 2
	}
	return (a.h+b.h)/2 + gap
}

// relax moves the vertices of one column as close as possible to their
// neighbours' mean height (least squares) subject to order and spacing,
// by pool-adjacent-violators on the spacing-shifted targets.
func (l *layout) relax(layer []int, adj [][]int) {
	n := len(layer)
	if n == 0 {
		return
	}
	offset := make([]float64, n)
	for i := 1; i < n; i++ {
		offset[i] = offset[i-1] + separation(l.nodes[layer[i-1]], l.nodes[layer[i]])
	}
	type block struct {
		sum, weight float64
		count       int
	}
	blocks := make([]block, 0, n)
	for i, v := range layer {
		want := l.nodes[v].cy
		weight := 1.0
		if ns := adj[v]; len(ns) > 0 {
			sum := 0.0
			for _, w := range ns {
				sum += l.nodes[w].cy
			}
			want = sum / float64(len(ns))
			weight = float64(len(ns))
		}
		blocks = append(blocks, block{sum: (want - offset[i]) * weight, weight: weight, count: 1})
		for len(blocks) > 1 {
			last, prev := blocks[len(blocks)-1], blocks[len(blocks)-2]
			if prev.sum/prev.weight <= last.sum/last.weight {
				break
			}
			blocks = blocks[:len(blocks)-2]
			blocks = append(blocks, block{sum: prev.sum + last.sum, weight: prev.weight + last.weight, count: prev.count + last.count})
		}
	}
	i := 0
	for _, b := range blocks {
		q := b.sum / b.weight
		for k := 0; k < b.count; k++ {
			l.nodes[layer[i]].cy = q + offset[i]
			i++
		}
	}
}
