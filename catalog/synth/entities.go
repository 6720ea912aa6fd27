package synth

import (
	"fmt"
	"strconv"
)

func (s shape) groupEntities() []object {
	out := make([]object, 0, s.groups+1)
	out = append(out, object{
		{"apiVersion", str(apiVersion)},
		{"kind", str("Group")},
		{"metadata", object{
			{"name", str("org-root")},
			{"description", str("Root organization")},
		}},
		{"spec", object{
			{"type", str("organization")},
			{"children", list{}},
		}},
	})
	for g := range s.groups {
		out = append(out, object{
			{"apiVersion", str(apiVersion)},
			{"kind", str("Group")},
			{"metadata", object{
				{"name", str(s.team(g))},
				{"title", str(fmt.Sprintf("Team %d", g))},
				{"description", str(fmt.Sprintf("Synthetic team %d", g))},
			}},
			{"spec", object{
				{"type", str("team")},
				{"parent", str("org-root")},
				{"children", list{}},
				{"profile", object{
					{"displayName", str(fmt.Sprintf("Team %d", g))},
					{"email", str(fmt.Sprintf("team-%d@example.com", g))},
				}},
			}},
		})
	}
	return out
}

func (s shape) domainEntities() []object {
	out := make([]object, 0, s.domains)
	for d := range s.domains {
		out = append(out, object{
			{"apiVersion", str(apiVersion)},
			{"kind", str("Domain")},
			{"metadata", object{
				{"name", str(s.domain(d))},
				{"description", str(fmt.Sprintf("Domain %d", d))},
			}},
			{"spec", object{
				{"owner", str("group:default/" + s.team(d))},
			}},
		})
	}
	return out
}

func (s shape) systemEntities() []object {
	out := make([]object, 0, s.systems)
	for i := range s.systems {
		out = append(out, object{
			{"apiVersion", str(apiVersion)},
			{"kind", str("System")},
			{"metadata", object{
				{"name", str(s.system(i))},
				{"description", str(fmt.Sprintf("System %d", i))},
				{"tags", list{str("synthetic")}},
			}},
			{"spec", object{
				{"owner", str("group:default/" + s.team(i))},
				{"domain", str(s.domain(i))},
			}},
		})
	}
	return out
}

// apiEntities returns APIs from (inclusive) to to (exclusive).
func (s shape) apiEntities(from, to int) []object {
	out := make([]object, 0, to-from)
	for a := from; a < to; a++ {
		name := s.api(a)
		out = append(out, object{
			{"apiVersion", str(apiVersion)},
			{"kind", str("API")},
			{"metadata", object{
				{"name", str(name)},
				{"description", str("API number " + strconv.Itoa(a))},
				{"tags", list{str("rest"), str("synthetic")}},
			}},
			{"spec", object{
				{"type", str("openapi")},
				{"lifecycle", str("production")},
				{"owner", str("group:default/" + s.team(2*a/50))},
				{"system", str(s.system(2 * a / 20))},
				{"definition", str("openapi: 3.0.0\ninfo:\n  title: " + name + "\n  version: 1.0.0\npaths: {}")},
			}},
		})
	}
	return out
}

// componentEntities returns components from (inclusive) to to (exclusive),
// drawing from rnd in the reference's order: two consumed APIs, two
// dependencies, then the language tag.
func (s shape) componentEntities(rnd *lcg, from, to int) []object {
	componentTypes := [...]string{"service", "website", "library"}
	languages := [...]string{"java", "go", "node", "python"}
	out := make([]object, 0, to-from)
	for i := from; i < to; i++ {
		lifecycle := "production"
		if i%3 == 2 {
			lifecycle = "experimental"
		}
		spec := object{
			{"type", str(componentTypes[i%3])},
			{"lifecycle", str(lifecycle)},
			{"owner", str("group:default/" + s.team(i/50))},
			{"system", str(s.system(i / 20))},
		}
		if i%2 == 0 {
			spec = append(spec, field{"providesApis", list{str(s.api(i / 2))}})
		}
		consumed := list{str(s.api(rnd.intn(s.apis))), str(s.api(rnd.intn(s.apis)))}
		spec = append(spec, field{"consumesApis", consumed})
		next := "component:default/" + s.component(i+1+rnd.intn(10))
		prev := "component:default/" + s.component(i-1-rnd.intn(10))
		spec = append(spec, field{"dependsOn", list{str(next), str(prev)}})
		lang := languages[rnd.intn(len(languages))]
		name := s.component(i)
		out = append(out, object{
			{"apiVersion", str(apiVersion)},
			{"kind", str("Component")},
			{"metadata", object{
				{"name", str(name)},
				{"title", str("Service " + strconv.Itoa(i))},
				{"description", str("Synthetic component " + strconv.Itoa(i) + " of the perf data set")},
				{"tags", list{str(lang), str("synthetic")}},
				{"annotations", object{
					{"backstage.io/techdocs-ref", str("dir:.")},
					{"github.com/project-slug", str("example/" + name)},
				}},
				{"labels", object{{"tier", str("t" + strconv.Itoa(i%3))}}},
				{"links", list{object{
					{"url", str("https://example.com/" + name)},
					{"title", str("Home")},
				}}},
			}},
			{"spec", spec},
		})
	}
	return out
}
