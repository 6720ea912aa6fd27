package model

// Relation types, as Backstage names them; each pair is one relation seen from both ends.
const (
	RelationOwnedBy       = "ownedBy"
	RelationOwnerOf       = "ownerOf"
	RelationPartOf        = "partOf"
	RelationHasPart       = "hasPart"
	RelationProvidesAPI   = "providesApi"
	RelationAPIProvidedBy = "apiProvidedBy"
	RelationConsumesAPI   = "consumesApi"
	RelationAPIConsumedBy = "apiConsumedBy"
	RelationDependsOn     = "dependsOn"
	RelationDependencyOf  = "dependencyOf"
	RelationParentOf      = "parentOf"
	RelationChildOf       = "childOf"
	RelationMemberOf      = "memberOf"
	RelationHasMember     = "hasMember"
)

// API versions accepted by the built-in kinds.
const (
	// APIVersionV1alpha1 is accepted by every built-in kind except Template.
	APIVersionV1alpha1 = "backstage.io/v1alpha1"
	// APIVersionV1beta1 is accepted by the built-in kinds except Template and AiResource.
	APIVersionV1beta1 = "backstage.io/v1beta1"
	// APIVersionTemplateV1beta3 is the only apiVersion accepted for Template.
	APIVersionTemplateV1beta3 = "scaffolder.backstage.io/v1beta3"

	specTypeMCPServer       = "mcp-server"
	specTypeAiResourceSkill = "skill"
	specTypeAiResourceRule  = "rule"
	defaultKindForOwnership = "Group"
)

// kindDef describes one built-in kind: the apiVersions its schema accepts, its spec schema
// (which may depend on spec.type) and the spec fields that become relations.
type kindDef struct {
	apiVersions []string
	spec        func(specType string) *schema
	relations   func(specType string) []relationField
}

// relationField is one spec field that holds entity references. Backstage's processor emits
// the outgoing relation from the entity to each target and the incoming one back.
type relationField struct {
	field       string
	defaultKind string // "" means the reference must name its kind
	outgoing    string
	incoming    string
}

// KnownKind reports whether kind is one of the kinds the default catalog validates and
// processes (matched exactly, as Backstage's schemas do). Entities of other kinds pass
// FromRaw when their envelope is valid; Backstage's default catalog would not accept them.
func KnownKind(kind string) bool {
	_, ok := kindDefFor(kind)
	return ok
}

// KnownKinds lists the built-in kinds.
func KnownKinds() []string {
	return []string{"API", "AiResource", "Component", "Domain", "Group", "Location", "Resource", "System", "Template", "User"}
}

// kindDefFor returns the definition of a built-in kind. The facts come from Backstage's
// packages/catalog-model/src/schema/kinds/*.schema.json, the scaffolder's
// Template.v1beta3.schema.json and BuiltinKindsEntityProcessor (field names, required
// fields, apiVersions, relation types and default kinds).
//
// The stored copies of the kind schemas and of the processor predate three fields that
// Backstage's published entity types now carry: Component.spec.dependencyOf,
// Domain.spec.subdomainOf and the optional System/Domain spec.type. Those fields, and their
// relations (dependencyOf/dependsOn without a default kind, like Resource's; partOf/hasPart
// to a Domain), follow the published types and the processor's pattern for the other
// fields, from knowledge of current Backstage rather than from a stored source.
func kindDefFor(kind string) (kindDef, bool) {
	v1 := []string{APIVersionV1alpha1, APIVersionV1beta1}
	owner := relationField{"owner", defaultKindForOwnership, RelationOwnedBy, RelationOwnerOf}
	system := relationField{"system", "System", RelationPartOf, RelationHasPart}
	dependsOn := relationField{"dependsOn", "", RelationDependsOn, RelationDependencyOf}
	dependencyOf := relationField{"dependencyOf", "", RelationDependencyOf, RelationDependsOn}
	fixed := func(r ...relationField) func(string) []relationField {
		return func(string) []relationField { return r }
	}
	switch kind {
	case "Component":
		return kindDef{v1, componentSpec, fixed(
			owner,
			relationField{"subcomponentOf", "Component", RelationPartOf, RelationHasPart},
			relationField{"providesApis", "API", RelationProvidesAPI, RelationAPIProvidedBy},
			relationField{"consumesApis", "API", RelationConsumesAPI, RelationAPIConsumedBy},
			dependsOn, dependencyOf, system,
		)}, true
	case "API":
		return kindDef{v1, apiSpec, fixed(owner, system)}, true
	case "Resource":
		return kindDef{v1, resourceSpec, fixed(owner, dependsOn, dependencyOf, system)}, true
	case "System":
		return kindDef{v1, systemSpec, fixed(owner,
			relationField{"domain", "Domain", RelationPartOf, RelationHasPart})}, true
	case "Domain":
		return kindDef{v1, domainSpec, fixed(owner,
			relationField{"subdomainOf", "Domain", RelationPartOf, RelationHasPart})}, true
	case "Group":
		return kindDef{v1, groupSpec, fixed(
			relationField{"parent", "Group", RelationChildOf, RelationParentOf},
			relationField{"children", "Group", RelationParentOf, RelationChildOf},
			relationField{"members", "User", RelationHasMember, RelationMemberOf},
		)}, true
	case "User":
		return kindDef{v1, userSpec, fixed(
			relationField{"memberOf", "Group", RelationMemberOf, RelationHasMember})}, true
	case "Location":
		return kindDef{v1, locationSpec, fixed()}, true
	case "Template":
		// Only scaffolder.backstage.io/v1beta3 is accepted: the default catalog has no
		// processor or policy for the legacy backstage.io/v1beta2 templates any more, so
		// they are rejected like any foreign apiVersion.
		return kindDef{[]string{APIVersionTemplateV1beta3}, templateSpec, fixed(owner)}, true
	case "AiResource":
		// Backstage models AiResource (catalog.backstage.io/kind-ai-resource) with a
		// default schema and type-specific schemas for skills and rules; skills may
		// depend on other AI resources. Later revisions add "plugin" and "marketplace"
		// types whose relations are not known here; they get the default schema.
		return kindDef{[]string{APIVersionV1alpha1}, aiResourceSpec, func(specType string) []relationField {
			if specType == specTypeAiResourceSkill {
				return []relationField{owner, system, {"dependsOn", "AiResource", RelationDependsOn, RelationDependencyOf}}
			}
			return []relationField{owner, system}
		}}, true
	}
	return kindDef{}, false
}

func refList() *schema { return arrOf(nonEmpty()) }

func componentSpec(string) *schema {
	return obj(
		field("type", nonEmpty()),
		field("lifecycle", nonEmpty()),
		field("owner", nonEmpty()),
		field("system", nonEmpty()),
		field("subcomponentOf", nonEmpty()),
		field("providesApis", refList()),
		field("consumesApis", refList()),
		field("dependsOn", refList()),
		field("dependencyOf", refList()),
	).require("type", "lifecycle", "owner")
}

// apiSpec is the API schema; APIs of type mcp-server use their own schema, which replaces
// the definition with a list of remotes.
func apiSpec(specType string) *schema {
	if specType == specTypeMCPServer {
		return obj(
			field("type", &schema{hasConst: true, constant: specTypeMCPServer}),
			field("lifecycle", nonEmpty()),
			field("owner", nonEmpty()),
			field("system", nonEmpty()),
			field("remotes", &schema{types: []string{"array"}, minItems: 1,
				items: obj(field("type", nonEmpty()), field("url", nonEmpty())).require("type", "url")}),
		).require("type", "lifecycle", "owner", "remotes")
	}
	return obj(
		field("type", nonEmpty()),
		field("lifecycle", nonEmpty()),
		field("owner", nonEmpty()),
		field("system", nonEmpty()),
		field("definition", nonEmpty()),
	).require("type", "lifecycle", "owner", "definition")
}

func resourceSpec(string) *schema {
	return obj(
		field("type", nonEmpty()),
		field("owner", nonEmpty()),
		field("dependsOn", refList()),
		field("dependencyOf", refList()),
		field("system", nonEmpty()),
	).require("type", "owner")
}

func systemSpec(string) *schema {
	return obj(
		field("owner", nonEmpty()),
		field("domain", nonEmpty()),
		field("type", nonEmpty()),
	).require("owner")
}

func domainSpec(string) *schema {
	return obj(
		field("owner", nonEmpty()),
		field("subdomainOf", nonEmpty()),
		field("type", nonEmpty()),
	).require("owner")
}

func profileSpec() *schema {
	return obj(
		field("displayName", nonEmpty()),
		field("email", nonEmpty()),
		field("picture", nonEmpty()),
	)
}

func groupSpec(string) *schema {
	return obj(
		field("type", nonEmpty()),
		field("profile", profileSpec()),
		field("parent", nonEmpty()),
		field("children", refList()),
		field("members", refList()),
	).require("type", "children")
}

func userSpec(string) *schema {
	return obj(
		field("profile", profileSpec()),
		field("memberOf", refList()),
	).require("memberOf")
}

func locationSpec(string) *schema {
	return obj(
		field("type", nonEmpty()),
		field("target", nonEmpty()),
		field("targets", refList()),
		field("presence", &schema{types: []string{"string"}, enum: []string{"required", "optional"}}),
	)
}

// templateSpec is the scaffolder's Template.v1beta3 schema.
func templateSpec(string) *schema {
	condition := &schema{types: []string{"string", "boolean"}}
	permissions := obj(field("tags", arrOf(str())))
	form := obj(field("backstage:permissions", permissions))
	step := obj(
		field("id", str()),
		field("name", str()),
		field("action", str()),
		field("input", obj()),
		field("if", condition),
		field("backstage:permissions", permissions),
	).require("action")
	output := obj(
		field("links", arrOf(obj(
			field("if", condition),
			field("url", nonEmpty()),
			field("entityRef", nonEmpty()),
			field("title", nonEmpty()),
			field("icon", nonEmpty()),
		))),
		field("text", arrOf(obj(
			field("if", condition),
			field("title", nonEmpty()),
			field("icon", nonEmpty()),
			field("content", str()),
		))),
	)
	output.additional = str()
	return obj(
		field("type", nonEmpty()),
		field("owner", nonEmpty()),
		field("lifecycle", nonEmpty()),
		field("parameters", &schema{oneOf: []*schema{form, arrOf(form)}}),
		field("secrets", obj(field("schema", obj()))),
		field("presentation", obj(field("buttonLabels", obj(
			field("backButtonText", str()),
			field("createButtonText", str()),
			field("reviewButtonText", str()),
		)))),
		field("EXPERIMENTAL_recovery", obj(field("EXPERIMENTAL_strategy", str()))),
		field("EXPERIMENTAL_formDecorators", arrOf(obj(field("id", str()), field("input", obj())))),
		field("steps", arrOf(step)),
		field("output", output),
	).require("type", "steps")
}

func aiResourceSpec(specType string) *schema {
	common := []prop{
		field("lifecycle", nonEmpty()),
		field("owner", nonEmpty()),
		field("system", nonEmpty()),
	}
	switch specType {
	case specTypeAiResourceSkill:
		s := obj(append([]prop{field("type", &schema{types: []string{"string"}, enum: []string{specTypeAiResourceSkill}})}, append(common,
			field("disciplines", refList()),
			field("categories", refList()),
			field("agents", refList()),
			field("dependsOn", refList()),
		)...)...)
		return s.require("type", "lifecycle", "owner")
	case specTypeAiResourceRule:
		harness := func(name string, extra ...prop) *schema {
			s := obj(append([]prop{field("harness", &schema{hasConst: true, constant: name})}, extra...)...)
			s.closed = true
			return s.require("harness")
		}
		activation := &schema{types: []string{"array"}, minItems: 1, items: &schema{oneOf: []*schema{
			harness("claude", field("paths", refList()), field("description", nonEmpty())),
			harness("cursor", field("alwaysApply", &schema{types: []string{"boolean"}}),
				field("globs", refList()), field("description", nonEmpty())),
			harness("codex"),
		}}}
		s := obj(append([]prop{field("type", &schema{types: []string{"string"}, enum: []string{specTypeAiResourceRule}})}, append(common,
			field("disciplines", refList()),
			field("category", nonEmpty()),
			field("rationale", nonEmpty()),
			field("activation", activation),
		)...)...)
		return s.require("type", "lifecycle", "owner", "category", "rationale")
	}
	return obj(append([]prop{field("type", nonEmpty())}, common...)...).require("type", "lifecycle", "owner")
}
