package apidef

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// classPrefix namespaces chroma's short class names ("k", "s") so they
// cannot collide with the page's; static/css/app.css styles "hl-*".
const classPrefix = "hl-"

// highlight renders source as HTML with class-based syntax colouring. The
// formatter escapes every token, so the result is safe to embed.
func highlight(d *Definition, lexerName, source string) error {
	lexer := lexers.Get(lexerName)
	if lexer == nil {
		return fmt.Errorf("no %s highlighter", lexerName)
	}
	lexer = chroma.Coalesce(lexer)
	it, err := lexer.Tokenise(nil, source)
	if err != nil {
		return fmt.Errorf("tokenise %s: %w", lexerName, err)
	}
	f := html.New(html.WithClasses(true), html.ClassPrefix(classPrefix), html.TabWidth(4))
	var b strings.Builder
	if err := f.Format(&b, styles.Fallback, it); err != nil {
		return fmt.Errorf("format %s: %w", lexerName, err)
	}
	d.Highlighted = template.HTML(b.String()) // #nosec G203 -- chroma escapes every token.
	return nil
}
