package api

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestOpenAPIFragmentsMerge(t *testing.T) {
	base := `{"openapi":"3.1.0","paths":{"/a":{}},"components":{"schemas":{"A":{}}},"tags":[{"name":"a"}]}`
	ok := fstest.MapFS{
		"openapi.json":   {Data: []byte(base)},
		"openapi/b.json": {Data: []byte(`{"paths":{"/b":{}},"components":{"schemas":{"B":{}}},"tags":[{"name":"b"}]}`)},
	}
	b, err := mergeOpenAPI(ok)
	if err != nil || !strings.Contains(string(b), `"/b"`) || !strings.Contains(string(b), `"B"`) {
		t.Fatalf("merge: %v %s", err, b)
	}
	for name, frag := range map[string]string{
		"duplicate path":   `{"paths":{"/a":{}}}`,
		"duplicate schema": `{"components":{"schemas":{"A":{}}}}`,
		"other key":        `{"info":{}}`,
	} {
		bad := fstest.MapFS{"openapi.json": {Data: []byte(base)}, "openapi/x.json": {Data: []byte(frag)}}
		if _, err := mergeOpenAPI(bad); err == nil {
			t.Errorf("%s: merged without error", name)
		}
	}
}
