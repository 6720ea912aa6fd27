package handlers

import (
	"maps"
	"slices"
	"strconv"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/apidef"
	"github.com/keelson-dev/keelson/catalog/model"
	"github.com/keelson-dev/keelson/diagram"
	"github.com/keelson-dev/keelson/views"
)

// diagramEdges says, per relation seen from the entity at the centre, which way its edge
// points and what it reads: owners, systems, APIs and dependencies are to the right of what
// uses them.
var diagramEdges = map[string]struct {
	outward bool
	label   string
}{
	model.RelationOwnedBy:       {true, "owned by"},
	model.RelationPartOf:        {true, "part of"},
	model.RelationHasPart:       {false, "part of"},
	model.RelationProvidesAPI:   {true, "provides"},
	model.RelationConsumesAPI:   {true, "consumes"},
	model.RelationAPIProvidedBy: {false, "provides"},
	model.RelationAPIConsumedBy: {false, "consumes"},
	model.RelationDependsOn:     {true, "depends on"},
	model.RelationDependencyOf:  {false, "depends on"},
}

// entityDiagram lays out the entity's neighbourhood; nil when it has no neighbours.
func entityDiagram(d *catalog.EntityDetail) *views.Diagram {
	if len(d.Neighbours) == 0 {
		return nil
	}
	center := d.Self.Ref
	g := diagram.Graph{Nodes: []diagram.Node{{ID: center, Label: d.Self.Text(), Kind: d.Entity.Kind, Center: true}}}
	edge := func(rel, other string) {
		e := diagramEdges[rel]
		if e.outward {
			g.Edges = append(g.Edges, diagram.Edge{From: center, To: other, Label: e.label})
		} else {
			g.Edges = append(g.Edges, diagram.Edge{From: other, To: center, Label: e.label})
		}
	}
	for _, n := range d.Neighbours {
		l := summaryLink(n.Entity)
		g.Nodes = append(g.Nodes, diagram.Node{ID: n.Entity.Ref, Label: l.Text(), Kind: n.Entity.Kind, Href: l.Href})
		edge(n.Relation, n.Entity.Ref)
	}
	for _, rel := range slices.Sorted(maps.Keys(d.Hidden)) {
		hidden := d.Hidden[rel]
		if hidden == 0 {
			continue
		}
		id := "more:" + rel
		g.Nodes = append(g.Nodes, diagram.Node{ID: id, Label: "+" + strconv.Itoa(hidden) + " more", Kind: "more"})
		edge(rel, id)
	}
	res, err := diagram.Layout(g)
	if err != nil {
		return nil
	}
	out := &views.Diagram{Width: res.Width, Height: res.Height}
	for _, b := range res.Boxes {
		out.Nodes = append(out.Nodes, views.DiagramNode{ID: b.ID, Label: b.Label, Kind: b.Kind, Href: b.Href, Center: b.Center,
			X: b.X, Y: b.Y, W: b.W, H: b.H})
	}
	for _, p := range res.Paths {
		e := views.DiagramEdge{From: p.From, To: p.To, Label: p.Label, LabelAt: views.Point(p.LabelAt), LabelAnchor: p.LabelAnchor}
		for _, pt := range p.Points {
			e.Points = append(e.Points, views.Point(pt))
		}
		out.Edges = append(out.Edges, e)
	}
	return out
}

// apiDefinition reads an API entity's definition for its page; the raw text is always kept.
func apiDefinition(e *model.Entity) views.APIDefinition {
	def, err := apidef.Parse(specString(e, "type"), specString(e, "definition"))
	v := views.APIDefinition{Type: def.Type, Title: def.Title, Version: def.Version, Description: def.Description,
		Servers: def.Servers, Highlighted: def.Highlighted, Raw: def.Raw}
	if err != nil {
		v.Error = err.Error()
		if pe, ok := err.(*apidef.ParseError); ok {
			v.Error = pe.Msg
			if pe.Line > 0 {
				v.Error = "line " + strconv.Itoa(pe.Line) + ": " + pe.Msg
			}
		}
	}
	for _, g := range def.Groups {
		vg := views.OperationGroup{Tag: g.Tag, Description: g.Description}
		for _, op := range g.Operations {
			vo := views.Operation{Method: op.Method, Path: op.Path, OperationID: op.OperationID, Summary: op.Summary,
				Description: op.Description, Deprecated: op.Deprecated, RequestBody: op.RequestBody}
			for _, prm := range op.Parameters {
				vo.Parameters = append(vo.Parameters, views.Parameter(prm))
			}
			for _, r := range op.Responses {
				vo.Responses = append(vo.Responses, views.Response(r))
			}
			vg.Operations = append(vg.Operations, vo)
		}
		v.OperationGroups = append(v.OperationGroups, vg)
	}
	for _, ch := range def.Channels {
		vc := views.Channel{Name: ch.Name, Description: ch.Description}
		for _, op := range ch.Operations {
			vc.Operations = append(vc.Operations, views.ChannelOperation(op))
		}
		v.Channels = append(v.Channels, vc)
	}
	return v
}
