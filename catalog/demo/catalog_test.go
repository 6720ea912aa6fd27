package demo

import (
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

var (
	nameRE       = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	tagRE        = regexp.MustCompile(`^[a-z0-9+#]+(-[a-z0-9+#]+)*$`)
	keyPrefixRE  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	labelValueRE = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
)

// validKey reports whether k is a valid label or annotation key: an optional
// DNS subdomain prefix and a slash, then a name.
func validKey(k string) bool {
	prefix, name, found := strings.Cut(k, "/")
	if !found {
		name, prefix = prefix, ""
	}
	if found && (len(prefix) > 253 || !keyPrefixRE.MatchString(prefix)) {
		return false
	}
	return len(name) <= 63 && nameRE.MatchString(name)
}

func TestEnvelope(t *testing.T) {
	c := loadCatalog(t)
	seen := map[string]string{}
	for _, e := range c.entities {
		if got := str(e.body["apiVersion"]); got != "backstage.io/v1alpha1" {
			t.Errorf("%s: apiVersion %q, want backstage.io/v1alpha1", e, got)
		}
		if e.kind() == "" {
			t.Errorf("%s: kind missing", e)
		}
		if n := e.name(); len(n) == 0 || len(n) > 63 || !nameRE.MatchString(n) {
			t.Errorf("%s: metadata.name %q is not a valid name", e, n)
		}
		if ns, ok := e.metadata()["namespace"]; ok {
			t.Errorf("%s: namespace %v set; the demo lives in the default namespace", e, ns)
		}
		if prev, dup := seen[e.ref()]; dup {
			t.Errorf("%s: also defined in %s", e, prev)
		}
		seen[e.ref()] = e.file
		for _, tag := range stringList(e.metadata()["tags"]) {
			if len(tag) > 63 || !tagRE.MatchString(tag) {
				t.Errorf("%s: tag %q is not valid", e, tag)
			}
		}
		for k, v := range mapping(e.metadata()["labels"]) {
			if !validKey(k) {
				t.Errorf("%s: label key %q is not valid", e, k)
			}
			if s, ok := v.(string); !ok || len(s) > 63 || !labelValueRE.MatchString(s) {
				t.Errorf("%s: label %s value %v is not valid", e, k, v)
			}
		}
		for k, v := range mapping(e.metadata()["annotations"]) {
			if !validKey(k) {
				t.Errorf("%s: annotation key %q is not valid", e, k)
			}
			if _, ok := v.(string); !ok {
				t.Errorf("%s: annotation %s value %v is not a string", e, k, v)
			}
		}
		links, _ := e.metadata()["links"].([]any)
		for i, l := range links {
			link := mapping(l)
			if !strings.HasPrefix(str(link["url"]), "https://") {
				t.Errorf("%s: links[%d] url %v is not an https URL", e, i, link["url"])
			}
			if str(link["title"]) == "" || str(link["icon"]) == "" {
				t.Errorf("%s: links[%d] lacks a title or an icon", e, i)
			}
		}
	}
}

// TestEveryFileIsReached fails on files that no Location and no $text reaches,
// checks every $text target exists and decodes every YAML file, definitions
// included.
func TestEveryFileIsReached(t *testing.T) {
	c := loadCatalog(t)
	for p := range c.reached {
		if _, err := fs.Stat(FS, p); err != nil {
			t.Errorf("%s is referenced but missing: %v", p, err)
		}
	}
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !c.reached[p] {
			t.Errorf("%s is not reached from %s", p, Root)
		}
		if strings.HasSuffix(p, ".yaml") {
			if _, err := decodeFile(p); err != nil {
				t.Error(err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
}

// refField is a spec field holding entity refs, with the kind a ref without
// one defaults to ("" when the kind is required) and the kinds it may name.
type refField struct {
	field       string
	defaultKind string
	targets     []string
}

// refFields lists the ref-holding spec fields of each kind, as Backstage reads them.
func refFields() map[string][]refField {
	return map[string][]refField{
		"Component": {
			{"owner", "group", []string{"group", "user"}},
			{"system", "system", []string{"system"}},
			{"subcomponentOf", "component", []string{"component"}},
			{"providesApis", "api", []string{"api"}},
			{"consumesApis", "api", []string{"api"}},
			{"dependsOn", "", []string{"component", "resource"}},
			{"dependencyOf", "", []string{"component", "resource"}},
		},
		"API": {
			{"owner", "group", []string{"group", "user"}},
			{"system", "system", []string{"system"}},
		},
		"Resource": {
			{"owner", "group", []string{"group", "user"}},
			{"system", "system", []string{"system"}},
			{"dependsOn", "", []string{"component", "resource"}},
			{"dependencyOf", "", []string{"component", "resource"}},
		},
		"System": {
			{"owner", "group", []string{"group", "user"}},
			{"domain", "domain", []string{"domain"}},
		},
		"Domain": {
			{"owner", "group", []string{"group", "user"}},
			{"subdomainOf", "domain", []string{"domain"}},
		},
		"Group": {
			{"parent", "group", []string{"group"}},
			{"children", "group", []string{"group"}},
			{"members", "user", []string{"user"}},
		},
		"User": {
			{"memberOf", "group", []string{"group"}},
		},
	}
}

// resolveRef turns [kind:][namespace/]name into a lowercase canonical ref.
func resolveRef(ref, defaultKind string) (kind, canonical string, ok bool) {
	kind, rest, hasKind := strings.Cut(ref, ":")
	if !hasKind {
		kind, rest = defaultKind, ref
	}
	ns, name, hasNS := strings.Cut(rest, "/")
	if !hasNS {
		ns, name = "default", rest
	}
	if kind == "" || name == "" {
		return "", "", false
	}
	kind = strings.ToLower(kind)
	return kind, kind + ":" + strings.ToLower(ns) + "/" + strings.ToLower(name), true
}

func TestRefsResolve(t *testing.T) {
	c := loadCatalog(t)
	defined := map[string]entity{}
	for _, e := range c.entities {
		defined[e.ref()] = e
	}
	fields := refFields()
	for _, e := range c.entities {
		for _, f := range fields[e.kind()] {
			var refs []string
			switch v := e.spec()[f.field].(type) {
			case string:
				refs = []string{v}
			case []any:
				refs = stringList(v)
			case nil:
			default:
				t.Errorf("%s: spec.%s is a %T", e, f.field, v)
			}
			for _, ref := range refs {
				kind, canonical, ok := resolveRef(ref, f.defaultKind)
				if !ok {
					t.Errorf("%s: spec.%s ref %q is not a full entity ref", e, f.field, ref)
					continue
				}
				if !slices.Contains(f.targets, kind) {
					t.Errorf("%s: spec.%s ref %q names a %s, want one of %v", e, f.field, ref, kind, f.targets)
				}
				if _, ok := defined[canonical]; !ok {
					t.Errorf("%s: spec.%s ref %q names no entity in the demo", e, f.field, ref)
				}
			}
		}
	}
}

// TestGroupHierarchy checks parent and children agree and lead to one root.
func TestGroupHierarchy(t *testing.T) {
	c := loadCatalog(t)
	parent := map[string]string{}
	children := map[string][]string{}
	for _, e := range c.entities {
		if e.kind() != "Group" {
			continue
		}
		if p := str(e.spec()["parent"]); p != "" {
			parent[e.name()] = p
		}
		children[e.name()] = stringList(e.spec()["children"])
	}
	var roots []string
	for g := range children {
		p, ok := parent[g]
		if !ok {
			roots = append(roots, g)
			continue
		}
		if !slices.Contains(children[p], g) {
			t.Errorf("group %s has parent %s, which does not list it among its children", g, p)
		}
		depth := 0
		for at := g; parent[at] != ""; at = parent[at] {
			if depth++; depth > len(children) {
				t.Fatalf("group %s: parent chain loops", g)
			}
		}
	}
	for g, kids := range children {
		for _, k := range kids {
			if parent[k] != g {
				t.Errorf("group %s lists child %s, whose parent is %q", g, k, parent[k])
			}
		}
	}
	if len(roots) != 1 || roots[0] != "northwind" {
		t.Errorf("root groups: got %v, want [northwind]", roots)
	}
}

func TestCounts(t *testing.T) {
	c := loadCatalog(t)
	kinds := map[string]int{}
	apiTypes := map[string]int{}
	componentTypes := map[string]int{}
	lifecycles := map[string]int{}
	groupTypes := map[string]int{}
	for _, e := range c.entities {
		kinds[e.kind()]++
		switch e.kind() {
		case "API":
			apiTypes[str(e.spec()["type"])]++
		case "Component":
			componentTypes[str(e.spec()["type"])]++
			lifecycles[str(e.spec()["lifecycle"])]++
		case "Group":
			groupTypes[str(e.spec()["type"])]++
		}
	}
	tests := []struct {
		name    string
		got     int
		atLeast int
	}{
		{name: "groups", got: kinds["Group"], atLeast: 12},
		{name: "team groups", got: groupTypes["team"], atLeast: 12},
		{name: "department groups", got: groupTypes["department"], atLeast: 3},
		{name: "organization groups", got: groupTypes["organization"], atLeast: 1},
		{name: "users", got: kinds["User"], atLeast: 24},
		{name: "components", got: kinds["Component"], atLeast: 40},
		{name: "APIs", got: kinds["API"], atLeast: 8},
		{name: "resources", got: kinds["Resource"], atLeast: 10},
		{name: "systems", got: kinds["System"], atLeast: 8},
		{name: "domains", got: kinds["Domain"], atLeast: 3},
		{name: "locations", got: kinds["Location"], atLeast: 3},
		{name: "openapi APIs", got: apiTypes["openapi"], atLeast: 5},
		{name: "asyncapi APIs", got: apiTypes["asyncapi"], atLeast: 1},
		{name: "graphql APIs", got: apiTypes["graphql"], atLeast: 1},
		{name: "grpc APIs", got: apiTypes["grpc"], atLeast: 1},
		{name: "service components", got: componentTypes["service"], atLeast: 15},
		{name: "website components", got: componentTypes["website"], atLeast: 3},
		{name: "library components", got: componentTypes["library"], atLeast: 3},
		{name: "worker components", got: componentTypes["worker"], atLeast: 3},
		{name: "production components", got: lifecycles["production"], atLeast: 20},
		{name: "experimental components", got: lifecycles["experimental"], atLeast: 3},
		{name: "deprecated components", got: lifecycles["deprecated"], atLeast: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got < tc.atLeast {
				t.Errorf("got %d, want at least %d", tc.got, tc.atLeast)
			}
		})
	}
	if known := []string{"API", "Component", "Domain", "Group", "Location", "Resource", "System", "User"}; len(kinds) != len(known) {
		got := make([]string, 0, len(kinds))
		for k := range kinds {
			got = append(got, k)
		}
		sort.Strings(got)
		t.Errorf("kinds: got %v, want %v", got, known)
	}
}

// TestComponentsAreDescribed checks every component carries what its catalog
// page shows: title, description, tags, links, source annotations, owner and
// system, and that running production software has an on-call service.
func TestComponentsAreDescribed(t *testing.T) {
	c := loadCatalog(t)
	for _, e := range c.entities {
		if e.kind() != "Component" {
			continue
		}
		m, s := e.metadata(), e.spec()
		ann := mapping(m["annotations"])
		checks := []struct {
			what string
			ok   bool
		}{
			{"title", str(m["title"]) != ""},
			{"description", str(m["description"]) != ""},
			{"tags", len(stringList(m["tags"])) > 0},
			{"links", len(sliceOf(m["links"])) > 0},
			{"github.com/project-slug", str(ann["github.com/project-slug"]) == "northwind-labs/"+e.name()},
			{"owner", str(s["owner"]) != ""},
			{"system", str(s["system"]) != ""},
			{"type", str(s["type"]) != ""},
			{"lifecycle", slices.Contains([]string{"production", "experimental", "deprecated"}, str(s["lifecycle"]))},
		}
		runs := slices.Contains([]string{"service", "worker", "website"}, str(s["type"]))
		if runs && str(s["lifecycle"]) == "production" {
			checks = append(checks, struct {
				what string
				ok   bool
			}{"pagerduty.com/service-id", str(ann["pagerduty.com/service-id"]) != ""})
		}
		for _, ch := range checks {
			if !ch.ok {
				t.Errorf("%s: %s missing or wrong", e, ch.what)
			}
		}
	}
}
