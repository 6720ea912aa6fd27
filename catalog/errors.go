package catalog

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned when an entity, location or other catalog object does not exist.
var ErrNotFound = errors.New("not found")

// InputError is a request the catalog cannot act on because its input is malformed; the
// HTTP layer answers it with 400 and Backstage's error name "InputError".
type InputError struct {
	Message string
}

func (e *InputError) Error() string { return e.Message }

// inputErrorf builds an *InputError.
func inputErrorf(format string, args ...any) error {
	return &InputError{Message: fmt.Sprintf(format, args...)}
}

// ConflictError reports that an object already exists, such as a location registered twice.
type ConflictError struct {
	Message string
}

func (e *ConflictError) Error() string { return e.Message }

// NotFoundError wraps ErrNotFound with Backstage's wording for the missing object.
type NotFoundError struct {
	Message string
}

func (e *NotFoundError) Error() string { return e.Message }

// Unwrap lets errors.Is(err, ErrNotFound) match.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

func notFoundf(format string, args ...any) error {
	return &NotFoundError{Message: fmt.Sprintf(format, args...)}
}
