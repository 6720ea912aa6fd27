package descriptor

// Limits bound the work and memory one Decode call may spend on a file and
// its substitutions. A zero field means the default from DefaultLimits.
type Limits struct {
	// MaxFileBytes is the largest descriptor file or substitution target, in bytes.
	MaxFileBytes int64
	// MaxDepth is the deepest nesting of mappings and sequences in a document,
	// counting content spliced in by substitutions.
	MaxDepth int
	// MaxSubstitutions is the most placeholders resolved in one file.
	MaxSubstitutions int
	// MaxNodes bounds the values one file decodes to, counting its
	// substitutions and every copy made by an alias; it also rejects, before
	// parsing, YAML or JSON text whose structure would exceed it.
	MaxNodes int
	// MaxTotalBytes bounds the text one file decodes to: the file itself, the
	// content of every substitution and the strings copied by aliases.
	MaxTotalBytes int64
}

// DefaultLimits returns the limits used when a field of Limits is zero:
// 10 MiB files, 1,000 levels of nesting, 100 substitutions per file,
// 500,000 values and 64 MiB of text per file.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:     10 << 20,
		MaxDepth:         1000,
		MaxSubstitutions: 100,
		MaxNodes:         500_000,
		MaxTotalBytes:    64 << 20,
	}
}

// withDefaults fills zero or negative fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxSubstitutions <= 0 {
		l.MaxSubstitutions = d.MaxSubstitutions
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	return l
}
