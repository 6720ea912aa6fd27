package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/keelson-dev/keelson/catalog"
	"github.com/keelson-dev/keelson/catalog/descriptor"
	"github.com/keelson-dev/keelson/catalog/model"
)

// validate checks descriptor files exactly as the server does and prints every problem as
// FILE:LINE: kind:namespace/name: field: message. It fails when any file has a problem.
func validate(ctx context.Context, files []string, stdout io.Writer) error {
	if len(files) == 0 {
		return errors.New("validate: name at least one descriptor file")
	}
	fetch := descriptor.NewFetcher(&http.Client{Timeout: 30 * time.Second}, descriptor.DefaultLimits().MaxFileBytes)
	problems, entities := 0, 0
	for _, file := range files {
		abs, err := filepath.Abs(file)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(abs)
		if err != nil {
			fmt.Fprintf(stdout, "%s:0: %v\n", file, err)
			problems++
			continue
		}
		docs, err := descriptor.Decode(ctx, abs, data, fetch, descriptor.DefaultLimits())
		if err != nil {
			var de *descriptor.Error
			if errors.As(err, &de) {
				fmt.Fprintf(stdout, "%s:%d: %s\n", file, de.Line, fieldMessage(de.Field, de.Message))
			} else {
				fmt.Fprintf(stdout, "%s:0: %v\n", file, err)
			}
			problems++
		}
		for i := range docs {
			doc := &docs[i]
			if doc.Err != nil {
				fmt.Fprintf(stdout, "%s:%d: %s\n", file, doc.Err.Line, fieldMessage(doc.Err.Field, doc.Err.Message))
				problems++
				continue
			}
			entities++
			err := catalog.Validate(doc.Raw)
			if err == nil {
				continue
			}
			var ve *model.ValidationError
			if !errors.As(err, &ve) {
				fmt.Fprintf(stdout, "%s:%d: %v\n", file, doc.Line, err)
				problems++
				continue
			}
			ref := ve.Ref
			if ref == "" {
				ref = "<unnamed>"
			}
			for _, p := range ve.Problems {
				line := doc.Line
				if p.Field != "" {
					line = doc.LineOf(p.Field)
				}
				fmt.Fprintf(stdout, "%s:%d: %s: %s\n", file, line, ref, fieldMessage(p.Field, p.Message))
				problems++
			}
		}
	}
	fmt.Fprintf(stdout, "%d files, %d entities, %d problems\n", len(files), entities, problems)
	if problems > 0 {
		return exitCode(1)
	}
	return nil
}

func fieldMessage(field, message string) string {
	if field == "" {
		return message
	}
	return field + ": " + message
}
