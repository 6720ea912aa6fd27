// Package ent holds Keelson's storage schema (schema/, hand-written) and the code ent generates from it.
package ent

//go:generate go tool ent generate --feature sql/upsert,sql/modifier,sql/execquery,sql/lock ./schema
