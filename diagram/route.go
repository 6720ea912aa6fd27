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

	outPort, inPort := l.ports()
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
		label := labelPoint(pts)
		if e.reversed {
			for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
				pts[i], pts[j] = pts[j], pts[i]
			}
		}
		r.Paths = append(r.Paths, Path{Edge: e.edge, Points: pts, LabelAt: label})
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
func (l *layout) ports() (out, in map[portKey]float64) {
	out = map[portKey]float64{}
	in = map[portKey]float64{}
	type end struct {
		link  *link
		other float64 // height of the next vertex along the edge
	}
	outs := map[int][]end{}
	ins := map[int][]end{}
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
	return out, in
}

// labelPoint places the label on the last inter-column stretch of an edge
// (in layering direction), 60% of the way along the curve that draws it:
// past the middle, where the edges of one fan are furthest apart.
func labelPoint(pts []Point) Point {
	a, b := pts[len(pts)-2], pts[len(pts)-1]
	p := CurvePoint(a, b, 0.6)
	return Point{X: p.X, Y: p.Y - 7}
}

// CurvePoint is the point at t (0..1) of the curve drawn between two
// consecutive path points: a cubic Bézier leaving a and entering b
// horizontally, with both control points at the horizontal midpoint. Views
// draw paths this way ("C" segments in SVG), so labels sit on the line.
func CurvePoint(a, b Point, t float64) Point {
	mx := (a.X + b.X) / 2
	u := 1 - t
	w0, w1, w2, w3 := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
	return Point{
		X: w0*a.X + (w1+w2)*mx + w3*b.X,
		Y: (w0+w1)*a.Y + (w2+w3)*b.Y,
	}
}
