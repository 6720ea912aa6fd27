package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/keelson-dev/keelson/catalog"
)

// maxBodyBytes bounds the JSON bodies the API reads.
const maxBodyBytes = 10 << 20

// bindJSON decodes a JSON request body, answering malformed input with an InputError.
func bindJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxBodyBytes+1))
	if err != nil {
		return &catalog.InputError{Message: "Malformed request body: " + err.Error()}
	}
	if len(body) > maxBodyBytes {
		return &catalog.InputError{Message: "Request body is larger than 10 MiB"}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &catalog.InputError{Message: "Malformed request body: " + err.Error()}
	}
	return nil
}

// writeJSONArray writes already-encoded entities as one JSON array without decoding them.
func writeJSONArray(c echo.Context, items []json.RawMessage) error {
	var buf bytes.Buffer
	buf.Grow(64 + 1024*len(items))
	writeArray(&buf, items)
	return c.JSONBlob(http.StatusOK, buf.Bytes())
}

func writeArray(buf *bytes.Buffer, items []json.RawMessage) {
	buf.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(it)
	}
	buf.WriteByte(']')
}

// writeItems writes {"items": [...]}.
func writeItems(c echo.Context, items []json.RawMessage) error {
	var buf bytes.Buffer
	buf.WriteString(`{"items":`)
	writeArray(&buf, items)
	buf.WriteByte('}')
	return c.JSONBlob(http.StatusOK, buf.Bytes())
}

// writeQueryResult writes by-query's {items, totalItems, pageInfo}.
func writeQueryResult(c echo.Context, res *catalog.QueryResult) error {
	var buf bytes.Buffer
	buf.Grow(64 + 1024*len(res.Items))
	buf.WriteString(`{"items":`)
	writeArray(&buf, res.Items)
	pageInfo := map[string]string{}
	if res.NextCursor != "" {
		pageInfo["nextCursor"] = res.NextCursor
	}
	if res.PrevCursor != "" {
		pageInfo["prevCursor"] = res.PrevCursor
	}
	tail, err := json.Marshal(struct {
		TotalItems int               `json:"totalItems"`
		PageInfo   map[string]string `json:"pageInfo"`
	}{res.TotalItems, pageInfo})
	if err != nil {
		return err
	}
	buf.WriteByte(',')
	buf.Write(tail[1:])
	return c.JSONBlob(http.StatusOK, buf.Bytes())
}
