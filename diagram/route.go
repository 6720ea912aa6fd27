package diagram

import (
	"sort"
)

// portSpacing is the vertical distance between edge ends on one box side.
const portSpacing = 9.0

// result assembles the boxes and routes the edges.
func (l *layout) result(g Graph) *Result {
	r := &Result{}
	for i, n := range g.Nodes {
		v := l.nodes[i]
		n.Label = truncate(n.Label)
		r.Boxes = append(r.Boxes, Box{Node: n, X: v.x, Y: v.cy - v.h/2, W: v.w, H: v.h})
		r.Width = max(r.Width, v.x+v.w+margin)
		r.Height = max(r.Height, v.cy+v.h/2+margin)
	}
	for _, v := range l.nodes[len(g.Nodes):] {
		r.Height = max(r.Height, v.cy+v.h/2+margin)
	}

	outPort, inPort, outs, ins := l.ports()
	for _, e := range l.edges {
		pts := make([]Point, 0, 2*len(e.chain))
		t, h := e.chain[0], e.chain[len(e.chain)-1]
		tv, hv := l.nodes[t], l.nodes[h]
		pts = append(pts, Point{X: tv.x + tv.w, Y: outPort[portKey{e, t}]})
		for _, d := range e.chain[1 : len(e.chain)-1] {
			dv := l.nodes[d]
			pts = append(pts,
				Point{X: l.colX[dv.layer], Y: dv.cy},
				Point{X: l.colX[dv.layer] + l.colW[dv.layer], Y: dv.cy})
		}
		pts = append(pts, Point{X: hv.x, Y: inPort[portKey{e, h}]})
		label, anchor := placeLabel(pts, len(outs[t]), len(ins[h]))
		if e.reversed {
			for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
				pts[i], pts[j] = pts[j], pts[i]
			}
		}
		r.Paths = append(r.Paths, Path{Edge: e.edge, Points: pts, LabelAt: label, LabelAnchor: anchor})
	}
	return r
}

// portKey names one end of a link at one vertex.
type portKey struct {
	link   *link
	vertex int
}

// ports spreads the ends of the edges leaving (right side) and entering
// (left side) each box, ordered by where the edge goes, so edges fan out
// instead of meeting in one point.
func (l *layout) ports() (out, in map[portKey]float64, outs, ins map[int][]end) {
	out = map[portKey]float64{}
	in = map[portKey]float64{}
	outs = map[int][]end{}
	ins = map[int][]end{}
	for _, e := range l.edges {
		t, h := e.chain[0], e.chain[len(e.chain)-1]
		outs[t] = append(outs[t], end{e, l.nodes[e.chain[1]].cy})
		ins[h] = append(ins[h], end{e, l.nodes[e.chain[len(e.chain)-2]].cy})
	}
	spread := func(v int, ends []end, into map[portKey]float64) {
		sort.SliceStable(ends, func(i, j int) bool { return ends[i].other < ends[j].other })
		vx := l.nodes[v]
		step := min(portSpacing, (vx.h-12)/float64(max(len(ends)-1, 1)))
		first := vx.cy - step*float64(len(ends)-1)/2
		for i, e := range ends {
			into[portKey{e.link, v}] = first + step*float64(i)
		}
	}
	for v, ends := range outs {
		spread(v, ends, out)
	}
	for v, ends := range ins {
		spread(v, ends, in)
	}
	return out, in, outs, ins
}

// end is one edge's end at a box, with the height of the next vertex along
// the edge, which orders the ends on the box's side.
type end struct {
	link  *link
	other float64
}

// labelGap is the distance between a label and the box it sits beside.
const labelGap = 8.0

// placeLabel puts an edge's label just above where the edge meets a box,
// at whichever end fewer edges share: beside the target for a fan-out
// (anchor "end", the text ends labelGap before the box), beside the source
// for a fan-in (anchor "start"). Edges leave and enter boxes horizontally,
// so there the label sits right over its own line.
func placeLabel(pts []Point, tailEdges, headEdges int) (Point, string) {
	if headEdges > tailEdges {
		a := pts[0]
		return Point{X: a.X + labelGap, Y: a.Y - 6}, "start"
	}
	b := pts[len(pts)-1]
	return Point{X: b.X - labelGap, Y: b.Y - 6}, "end"
}
