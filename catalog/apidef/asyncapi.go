package apidef

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// parseAsyncAPI reads an AsyncAPI 2.x or 3.x document, YAML or JSON, into
// channels with their operations and message names.
func parseAsyncAPI(d *Definition, text string) error {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil {
		return yamlError(err, text)
	}
	top := documentMapping(&root)
	if top == nil {
		return &ParseError{Line: nodeLine(&root), Msg: "the definition is not a YAML or JSON mapping"}
	}
	version := mappingValue(top, "asyncapi")
	if version == nil || version.Kind != yaml.ScalarNode {
		return &ParseError{Line: top.Line, Msg: `no "asyncapi" version field at the top level`}
	}
	if info := mappingValue(top, "info"); info != nil {
		d.Title = mappingString(info, "title")
		d.Version = mappingString(info, "version")
		d.Description = mappingString(info, "description")
	}
	if err := checkMapping(top, "channels"); err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(version.Value, "2."):
		d.Servers = servers(mappingValue(top, "servers"), false)
		d.Channels = channelsV2(mappingValue(top, "channels"))
	case strings.HasPrefix(version.Value, "3."):
		if err := checkMapping(top, "operations"); err != nil {
			return err
		}
		d.Servers = servers(mappingValue(top, "servers"), true)
		d.Channels = channelsV3(mappingValue(top, "channels"), mappingValue(top, "operations"))
	default:
		return &ParseError{Line: version.Line, Msg: fmt.Sprintf("unsupported asyncapi version %q", version.Value)}
	}
	return nil
}

// checkMapping fails when key is present but not a mapping.
func checkMapping(top *yaml.Node, key string) error {
	v := mappingValue(top, key)
	if v == nil || v.Kind == yaml.MappingNode || (v.Kind == yaml.ScalarNode && v.Tag == "!!null") {
		return nil
	}
	return &ParseError{Line: v.Line, Msg: fmt.Sprintf("%q must be a mapping", key)}
}

// servers lists broker addresses: "url (protocol)" in 2.x, host and
// pathname in 3.x.
func servers(n *yaml.Node, v3 bool) []string {
	var out []string
	mappingPairs(n, func(name string, s *yaml.Node) {
		addr := mappingString(s, "url")
		if v3 {
			addr = mappingString(s, "host") + mappingString(s, "pathname")
		}
		if addr == "" {
			return
		}
		if p := mappingString(s, "protocol"); p != "" {
			addr += " (" + p + ")"
		}
		out = append(out, addr)
	})
	return out
}

// channelsV2 reads 2.x channels, whose operations sit inside them.
func channelsV2(n *yaml.Node) []Channel {
	var out []Channel
	mappingPairs(n, func(name string, c *yaml.Node) {
		ch := Channel{Name: name, Description: mappingString(c, "description")}
		for _, action := range []string{"publish", "subscribe"} {
			op := mappingValue(c, action)
			if op == nil || op.Kind != yaml.MappingNode {
				continue
			}
			ch.Operations = append(ch.Operations, ChannelOperation{
				Action:      action,
				OperationID: mappingString(op, "operationId"),
				Summary:     firstNonEmpty(mappingString(op, "summary"), mappingString(op, "description")),
				Messages:    messageNames(mappingValue(op, "message")),
			})
		}
		out = append(out, ch)
	})
	return out
}

// channelsV3 reads 3.x channels and attaches the top-level operations that
// reference them.
func channelsV3(chans, ops *yaml.Node) []Channel {
	var out []Channel
	index := map[string]int{}
	mappingPairs(chans, func(id string, c *yaml.Node) {
		name := mappingString(c, "address")
		if name == "" {
			name = id
		}
		index[id] = len(out)
		out = append(out, Channel{Name: name, Description: firstNonEmpty(mappingString(c, "description"), mappingString(c, "summary"))})
	})
	mappingPairs(ops, func(id string, op *yaml.Node) {
		target := refName(mappingString(mappingValue(op, "channel"), "$ref"))
		i, ok := index[target]
		if !ok {
			return
		}
		var msgs []string
		if list := mappingValue(op, "messages"); list != nil && list.Kind == yaml.SequenceNode {
			for _, m := range list.Content {
				msgs = append(msgs, messageNames(resolveAlias(m))...)
			}
		}
		out[i].Operations = append(out[i].Operations, ChannelOperation{
			Action:      mappingString(op, "action"),
			OperationID: id,
			Summary:     firstNonEmpty(mappingString(op, "summary"), mappingString(op, "title"), mappingString(op, "description")),
			Messages:    msgs,
		})
	})
	return out
}

// messageNames names the messages of an operation: a $ref's last segment,
// an inline message's name or title, or each entry of oneOf.
func messageNames(m *yaml.Node) []string {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	if ref := mappingString(m, "$ref"); ref != "" {
		return []string{refName(ref)}
	}
	if one := mappingValue(m, "oneOf"); one != nil && one.Kind == yaml.SequenceNode {
		var out []string
		for _, e := range one.Content {
			out = append(out, messageNames(resolveAlias(e))...)
		}
		return out
	}
	if n := firstNonEmpty(mappingString(m, "name"), mappingString(m, "title"), mappingString(m, "messageId")); n != "" {
		return []string{n}
	}
	return nil
}

// refName is the last segment of a JSON pointer reference, unescaped.
func refName(ref string) string {
	s := ref[strings.LastIndex(ref, "/")+1:]
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
