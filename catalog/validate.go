package catalog

import (
	"github.com/keelson-dev/keelson/catalog/model"
)

// Validate checks one decoded descriptor exactly as ingestion does: Backstage's validation
// rules and the refs its relations are derived from.
func Validate(raw map[string]any) error {
	e, err := model.FromRaw(raw)
	if err != nil {
		return err
	}
	_, err = model.Relations(e)
	return err
}
