package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Message keys written literally in Go code (error keys) and templates
// (.T "key") must exist, or users see a raw key.
var (
	errKeyLiteral = regexp.MustCompile(`"((?:[a-z]+\.)?err\.[a-z0-9_.]+)"`)
	templateTCall = regexp.MustCompile(`\.T "([a-z0-9_.-]+)"`)
	dynamicPrefix = regexp.MustCompile(`\.$`)
)

func TestUsedKeysExist(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "testdata", "vendor", "data":
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(path)
		if ext != ".go" && ext != ".html" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src := string(b)
		var keys []string
		if ext == ".go" && !strings.HasSuffix(path, "_test.go") {
			for _, m := range errKeyLiteral.FindAllStringSubmatch(src, -1) {
				keys = append(keys, m[1])
			}
		}
		if ext == ".html" {
			for _, m := range templateTCall.FindAllStringSubmatch(src, -1) {
				keys = append(keys, m[1])
			}
		}
		for _, k := range keys {
			if dynamicPrefix.MatchString(k) {
				continue // a prefix completed at run time, e.g. "err." + code
			}
			checked++
			if !Has("nl", k) {
				t.Errorf("%s: message key %q has no Dutch text", path, k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d keys found: the scan is broken", checked)
	}
}
