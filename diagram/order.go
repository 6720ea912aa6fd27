package diagram

import (
	"slices"
	"sort"
)

// orderLayers fixes each layer's top-to-bottom order: a depth-first initial
// order, then alternating barycenter sweeps.
func (l *layout) orderLayers() {
	l.initialOrder()
	l.reduceCrossings()
}

// initialOrder lists vertices layer by layer in depth-first order over the
// segments, so connected vertices start out near each other.
func (l *layout) initialOrder() {
	adj := make([][]int, len(l.nodes))
	for _, s := range l.segments {
		adj[s.upper] = append(adj[s.upper], s.lower)
		adj[s.lower] = append(adj[s.lower], s.upper)
	}
	placed := make([]bool, len(l.nodes))
	var visit func(int)
	visit = func(v int) {
		placed[v] = true
		layer := l.nodes[v].layer
		l.nodes[v].order = len(l.layers[layer])
		l.layers[layer] = append(l.layers[layer], v)
		for _, w := range adj[v] {
			if !placed[w] {
				visit(w)
			}
		}
	}
	for v := range l.nodes {
		if !placed[v] {
			visit(v)
		}
	}
}

// reduceCrossings sweeps barycenter sorting down and up the layers,
// keeping the order with the fewest crossings.
func (l *layout) reduceCrossings() {
	up := make([][]int, len(l.nodes))
	down := make([][]int, len(l.nodes))
	for _, s := range l.segments {
		down[s.upper] = append(down[s.upper], s.lower)
		up[s.lower] = append(up[s.lower], s.upper)
	}
	best := l.snapshot()
	bestCrossings := l.crossings()
	for iter := 0; iter < 24 && bestCrossings > 0; iter++ {
		if iter%2 == 0 {
			for i := 1; i < len(l.layers); i++ {
				l.sortByBarycenter(i, up)
			}
		} else {
			for i := len(l.layers) - 2; i >= 0; i-- {
				l.sortByBarycenter(i, down)
			}
		}
		if c := l.crossings(); c < bestCrossings {
			bestCrossings = c
			best = l.snapshot()
		}
	}
	l.layers = best
	for _, layer := range l.layers {
		for i, v := range layer {
			l.nodes[v].order = i
		}
	}
}

func (l *layout) snapshot() [][]int {
	out := make([][]int, len(l.layers))
	for i, layer := range l.layers {
		out[i] = slices.Clone(layer)
	}
	return out
}

// sortByBarycenter orders a layer by the mean position of each vertex's
// neighbours in the fixed adjacent layer; a vertex without neighbours keeps
// its place.
func (l *layout) sortByBarycenter(layer int, neighbours [][]int) {
	vs := l.layers[layer]
	bary := make(map[int]float64, len(vs))
	for _, v := range vs {
		ns := neighbours[v]
		if len(ns) == 0 {
			bary[v] = float64(l.nodes[v].order)
			continue
		}
		sum := 0.0
		for _, w := range ns {
			sum += float64(l.nodes[w].order)
		}
		bary[v] = sum / float64(len(ns))
	}
	sort.SliceStable(vs, func(i, j int) bool { return bary[vs[i]] < bary[vs[j]] })
	for i, v := range vs {
		l.nodes[v].order = i
	}
}

// crossings counts pairs of segments between the same two layers that
// cross.
func (l *layout) crossings() int {
	byLayer := make([][]segment, len(l.layers))
	for _, s := range l.segments {
		layer := l.nodes[s.upper].layer
		byLayer[layer] = append(byLayer[layer], s)
	}
	total := 0
	for _, segs := range byLayer {
		for i := range segs {
			for j := i + 1; j < len(segs); j++ {
				a, b := segs[i], segs[j]
				du := l.nodes[a.upper].order - l.nodes[b.upper].order
				dl := l.nodes[a.lower].order - l.nodes[b.lower].order
				if du*dl < 0 {
					total++
				}
			}
		}
	}
	return total
}
