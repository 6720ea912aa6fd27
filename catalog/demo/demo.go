// Package demo holds the catalog Keelson loads on first start when no
// catalog location is configured: Northwind Labs, a fictional online grocery
// shop, written in Backstage's descriptor format.
//
// The files are laid out as an organisation's catalog repository would be:
// a root Location (catalog-info.yaml) whose relative targets reach org/,
// systems/, components/, apis/ and resources/. Longer API definitions live
// in apis/definitions/ and are pulled in with $text.
package demo

import "embed"

// FS holds the demo catalog files.
//
//go:embed all:files
var FS embed.FS

// Root is the path inside FS of the root Location file.
const Root = "files/catalog-info.yaml"
