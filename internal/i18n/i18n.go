// Package i18n holds the message catalogs. Dutch is the default language,
// English the second. Catalogs are data files: <area>.nl.json and
// <area>.en.json, so each part of the product keeps its own texts.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.json
var files embed.FS

// Languages supported, default first.
var Languages = []string{"nl", "en"}

// Default language.
const Default = "nl"

var catalogs = map[string]map[string]string{}

func init() {
	if err := load(files); err != nil {
		panic(err)
	}
}

func load(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		parts := strings.Split(strings.TrimSuffix(path.Base(name), ".json"), ".")
		if len(parts) != 2 {
			return fmt.Errorf("i18n: %s: want <area>.<lang>.json", name)
		}
		lang := parts[1]
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("i18n: %s: %w", name, err)
		}
		if catalogs[lang] == nil {
			catalogs[lang] = map[string]string{}
		}
		for k, v := range m {
			if _, dup := catalogs[lang][k]; dup {
				return fmt.Errorf("i18n: %s: key %q defined twice", name, k)
			}
			catalogs[lang][k] = v
		}
	}
	return nil
}

// Lang returns a supported language for an input such as an
// Accept-Language value or a cookie; Dutch when unknown.
func Lang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Languages {
		if strings.HasPrefix(s, l) {
			return l
		}
	}
	return Default
}

// T translates key into lang, formatting args with fmt verbs in the message.
// A key missing in lang falls back to Dutch, then to the key itself.
func T(lang, key string, args ...any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		msg, ok = catalogs[Default][key]
	}
	if !ok {
		msg = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether key exists in lang.
func Has(lang, key string) bool { _, ok := catalogs[lang][key]; return ok }

// Keys returns every key of lang, sorted.
func Keys(lang string) []string {
	var out []string
	for k := range catalogs[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
