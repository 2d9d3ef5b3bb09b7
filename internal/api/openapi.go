package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
)

// The hand-written OpenAPI 3.1 document of this API: openapi.json holds the
// base (info, security, shared components and the foundation's paths);
// each later area adds a fragment openapi/<area>.json with its own "paths",
// "tags" and "components". They are merged at start; a test keeps the
// operations equal to Patterns().
//
//go:embed openapi.json openapi
var openAPIFiles embed.FS

var openAPI = mustMergeOpenAPI(openAPIFiles)

func mustMergeOpenAPI(fsys fs.FS) []byte {
	b, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err)
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	base, err := fs.ReadFile(fsys, "openapi.json")
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	frags, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(frags)
	for _, name := range frags {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := mergeInto(doc, frag, name); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeInto adds a fragment's paths, tags and components; a name defined
// twice is an error, so fragments cannot silently replace each other.
func mergeInto(doc, frag map[string]any, name string) error {
	for key, v := range frag {
		switch key {
		case "paths":
			if err := addKeys(doc, "paths", v, name); err != nil {
				return err
			}
		case "tags":
			tags, _ := doc["tags"].([]any)
			more, _ := v.([]any)
			doc["tags"] = append(tags, more...)
		case "components":
			comps, _ := doc["components"].(map[string]any)
			if comps == nil {
				comps = map[string]any{}
				doc["components"] = comps
			}
			sections, _ := v.(map[string]any)
			for sec, entries := range sections {
				if err := addKeys(comps, sec, entries, name); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s: unexpected top-level key %q (only paths, tags, components)", name, key)
		}
	}
	return nil
}

func addKeys(parent map[string]any, key string, v any, name string) error {
	dst, _ := parent[key].(map[string]any)
	if dst == nil {
		dst = map[string]any{}
		parent[key] = dst
	}
	src, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: %s must be an object", name, key)
	}
	for k, val := range src {
		if _, dup := dst[k]; dup {
			return fmt.Errorf("%s: %s %q is already defined", name, key, k)
		}
		dst[k] = val
	}
	return nil
}

// getOpenAPI serves the document; it is public (no token).
func (a *API) getOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(openAPI)
	return nil
}
