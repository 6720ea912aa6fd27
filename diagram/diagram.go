// Package diagram lays out a small directed graph, such as an entity's
// neighbourhood in the catalog, as layered boxes and edge polylines ready to
// draw as SVG.
//
// The layout is Sugiyama's layered method, left to right: cycles are broken
// by reversing back edges, nodes get layers (columns) by longest path with
// sources pulled next to their successors, edges that span several layers
// run through dummy nodes, crossings are reduced by barycenter sweeps, and
// vertical positions are relaxed towards the neighbours' average while
// keeping order and spacing. No mature layered-layout library for Go was
// available to this project, hence this implementation.
package diagram

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Node is a box to place.
type Node struct {
	ID     string
	Label  string
	Kind   string
	Href   string
	Center bool
}

// Edge is a directed, labelled connection between two nodes by ID.
type Edge struct {
	From  string
	To    string
	Label string
}

// Graph is the input of Layout.
type Graph struct {
	Nodes []Node
	Edges []Edge
}

// Point is a position; the origin is the top-left corner, y grows down.
type Point struct{ X, Y float64 }

// Box is a placed node; X and Y are its top-left corner.
type Box struct {
	Node
	X, Y, W, H float64
}

// Path is a routed edge: Points run from the source box's border to the
// target box's border. The label's baseline starts (LabelAnchor "start") or
// ends ("end") at LabelAt, like SVG's text-anchor.
// Consecutive points are to be joined by a straight line where they are
// level (through the columns of long edges) and otherwise by a curve that
// leaves and enters horizontally, as views.DiagramView draws them.
type Path struct {
	Edge
	Points      []Point
	LabelAt     Point
	LabelAnchor string
}

// Result is a laid-out graph. Boxes are in input order; Paths are in input
// order without self-loops and duplicates.
type Result struct {
	Width  float64
	Height float64
	Boxes  []Box
	Paths  []Path
}

// Box returns the placed box of a node.
func (r *Result) Box(id string) (Box, bool) {
	for _, b := range r.Boxes {
		if b.ID == id {
			return b, true
		}
	}
	return Box{}, false
}

// Sizes and spacing in SVG pixels.
const (
	nodeHeight   = 48.0
	minNodeWidth = 120.0
	maxNodeWidth = 240.0
	charWidth    = 7.4  // average advance of the 13px label font
	nodeGap      = 22.0 // vertical space between boxes in a column
	dummyHeight  = 6.0
	minLayerGap  = 120.0
	margin       = 16.0
	maxLabelRune = 30
	maxNodes     = 300
	maxVertices  = 3000 // nodes plus the dummies of long edges
)

// ErrTooLarge is returned for graphs beyond what a page should draw.
var ErrTooLarge = errors.New("diagram: graph too large to draw")

// Layout places the graph's nodes and routes its edges. It fails on a
// duplicate node ID, an edge to an unknown node, or a graph too large to
// draw legibly (ErrTooLarge: more than 300 nodes, or so many long edges that
// the layout would need more than 3000 vertices).
func Layout(g Graph) (*Result, error) {
	if len(g.Nodes) > maxNodes {
		return nil, fmt.Errorf("%w: %d nodes", ErrTooLarge, len(g.Nodes))
	}
	index := make(map[string]int, len(g.Nodes))
	for i, n := range g.Nodes {
		if _, dup := index[n.ID]; dup {
			return nil, fmt.Errorf("diagram: duplicate node %q", n.ID)
		}
		index[n.ID] = i
	}
	l := &layout{}
	for _, n := range g.Nodes {
		l.nodes = append(l.nodes, &vertex{id: n.ID, w: nodeWidth(n), h: nodeHeight})
	}
	seen := map[[2]int]bool{}
	for _, e := range g.Edges {
		from, ok := index[e.From]
		if !ok {
			return nil, fmt.Errorf("diagram: edge from unknown node %q", e.From)
		}
		to, ok := index[e.To]
		if !ok {
			return nil, fmt.Errorf("diagram: edge to unknown node %q", e.To)
		}
		key := [2]int{from, to}
		if from == to || seen[key] {
			continue
		}
		seen[key] = true
		l.edges = append(l.edges, &link{edge: e, from: from, to: to})
	}
	l.breakCycles()
	l.assignLayers()
	l.insertDummies()
	if len(l.nodes) > maxVertices {
		return nil, fmt.Errorf("%w: %d nodes need %d vertices", ErrTooLarge, len(g.Nodes), len(l.nodes))
	}
	l.orderLayers()
	l.placeX()
	l.placeY()
	return l.result(g), nil
}

// nodeWidth sizes a box to its label and kind, within bounds.
func nodeWidth(n Node) float64 {
	runes := max(utf8.RuneCountInString(truncate(n.Label)), utf8.RuneCountInString(n.Kind))
	return min(max(float64(runes)*charWidth+28, minNodeWidth), maxNodeWidth)
}

// truncate shortens long labels so they fit the widest box.
func truncate(s string) string {
	if utf8.RuneCountInString(s) <= maxLabelRune {
		return s
	}
	r := []rune(s)
	return string(r[:maxLabelRune-1]) + "…"
}
