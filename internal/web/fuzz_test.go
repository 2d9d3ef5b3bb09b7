package web

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// multipartTargets are the web's upload forms and the field holding the
// file; TestMultipartFormsFuzzed finds every handler that reads a
// multipart body and fails when one is missing here.
var multipartTargets = []struct{ pattern, file string }{
	{"POST /regio/{region}/praktijken/{practice}/consultduur", "bestand"},
	{"POST /regio/{region}/import", "bestand"},
	{"POST /regio/{region}/intervisie/{group}/jaarstukken", "plan_file"},
	{"POST /regio/{region}/scholing/sessies/{session}/presentielijst", "bestand"},
	{"POST /regio/{region}/praktijken/{practice}/scholing/aanvragen", "evidence"},
	{"POST /regio/{region}/activiteiten/{activity}/resultaat", "result"},
}

// FuzzMultipartForms (issue 17, hostile input): whatever file, file name
// and form fields a browser posts to an upload form — or a body that is
// not multipart at all — the answer is never a 5xx or a panic, and a
// refusal (4xx) is a page with a message. Sent as the platform admin,
// who may use every form. The long form is
//
//	go test -run '^$' -fuzz '^FuzzMultipartForms$' -fuzztime 10m ./internal/web/
func FuzzMultipartForms(f *testing.F) {
	csv := []byte("Begintijd;Eindtijd;Rol\n02-12-2026 08:30;02-12-2026 08:45;huisarts\n")
	for i := range multipartTargets {
		w := uint8(i)
		f.Add(w, "agenda.csv", csv, "")
		f.Add(w, "lijst.csv", []byte("AGB;praktijknaam\n01000077;Praktijk Zeven\n"), "version=1")
		f.Add(w, "plan.pdf", []byte("%PDF-1.4\n%%EOF\n"), "year_plan=Plan&version=1&title=x&completed_on=2024-02-01")
		f.Add(w, "\x00evil\r\n.csv", []byte{0xff, 0xfe, 0, 1}, "version=abc&completed_on=31-02-2024")
		f.Add(w|0x80, "", []byte("--x\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"a.csv\"\r\n\r\nabc"), "")
		f.Add(w|0x80, "", []byte("not multipart at all"), "")
	}
	fx := newFixture(f)
	for _, row := range routeRows {
		if row.setup != nil {
			row.setup(fx)
		}
	}
	rows := map[string]routeRow{}
	for _, row := range routeRows {
		if _, ok := rows[row.pattern]; !ok {
			rows[row.pattern] = row
		}
	}
	cookie := fx.cookie(platform)
	f.Fuzz(func(t *testing.T, which uint8, name string, data []byte, fields string) {
		target := multipartTargets[int(which&0x7f)%len(multipartTargets)]
		row := rows[target.pattern]
		var body bytes.Buffer
		ct := "multipart/form-data; boundary=x"
		if which&0x80 != 0 {
			body.Write(data) // a raw body under a multipart header
		} else {
			mw := multipart.NewWriter(&body)
			for k, vs := range row.form {
				for _, v := range vs {
					mw.WriteField(fx.expand(k), fx.expand(v))
				}
			}
			for _, kv := range strings.Split(fields, "&") {
				if k, v, ok := strings.Cut(kv, "="); ok {
					mw.WriteField(k, v)
				}
			}
			fw, err := mw.CreateFormFile(target.file, name)
			if err != nil {
				t.Fatal(err)
			}
			fw.Write(data)
			mw.Close()
			ct = mw.FormDataContentType()
		}
		req := httptest.NewRequest(http.MethodPost, fx.expand(row.path), &body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		fx.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s (file %q, fields %q): %d %.300s", target.pattern, name, fields, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && !strings.Contains(rec.Body.String(), "<main") {
			t.Fatalf("%s (file %q, fields %q): %d without a page: %.300s", target.pattern, name, fields, rec.Code, rec.Body)
		}
	})
}

// TestMultipartFormsFuzzed: every route whose handler reads a multipart
// body (ParseMultipartForm or MultipartReader in its own code) is one of
// FuzzMultipartForms' targets.
func TestMultipartFormsFuzzed(t *testing.T) {
	readers := map[string]bool{}          // functions that read a multipart body, directly or through a helper
	calls := map[string]map[string]bool{} // function → names it calls
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			called := map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.SelectorExpr:
					if x.Sel.Name == "ParseMultipartForm" || x.Sel.Name == "MultipartReader" {
						readers[fn.Name.Name] = true
					}
				case *ast.CallExpr:
					switch f := x.Fun.(type) {
					case *ast.Ident:
						called[f.Name] = true
					case *ast.SelectorExpr:
						called[f.Sel.Name] = true
					}
				}
				return true
			})
			calls[fn.Name.Name] = called
		}
	}
	if len(readers) == 0 {
		t.Fatal("no multipart reader found")
	}
	// A handler that reads through a shared helper (readEvidenceUpload)
	// reads a multipart body too.
	for changed := true; changed; {
		changed = false
		for fn, called := range calls {
			if readers[fn] {
				continue
			}
			for c := range called {
				if readers[c] {
					readers[fn], changed = true, true
					break
				}
			}
		}
	}
	fx := newFixture(t)
	targets := map[string]bool{}
	for _, tg := range multipartTargets {
		targets[tg.pattern] = true
	}
	routeReaders := 0
	for _, rt := range fx.srv.routes {
		name := runtime.FuncForPC(reflect.ValueOf(rt.h).Pointer()).Name()
		name = strings.TrimSuffix(name[strings.LastIndex(name, ".")+1:], "-fm")
		if readers[name] {
			routeReaders++
			if !targets[rt.pattern] {
				t.Errorf("%s reads a multipart body (%s) but is not in multipartTargets", rt.pattern, name)
			}
		}
	}
	if routeReaders < len(multipartTargets) {
		t.Errorf("only %d routes read a multipart body (readers %v), but %d targets are listed", routeReaders, readers, len(multipartTargets))
	}
}

// FuzzQueries (issue 17, hostile input): any query string on any page of
// the route table (?jaar=, ?kwartaal=, ?van=, filters, sorting): never a
// 5xx or a panic, and a 4xx is a page with a message. As the platform
// admin, who may see every page.
//
//	go test -run '^$' -fuzz '^FuzzQueries$' -fuzztime 10m ./internal/web/
func FuzzQueries(f *testing.F) {
	var rows []routeRow
	for _, row := range routeRows {
		// PDFs take seconds each to draw (a few inputs a minute): their
		// queries are read by the same helpers as the pages'.
		pdf := strings.HasSuffix(row.pattern, ".pdf") || strings.HasSuffix(row.pattern, "/pdf")
		if strings.HasPrefix(row.pattern, "GET ") && row.want[platform] < 400 && !pdf {
			rows = append(rows, row)
		}
	}
	for i, row := range rows {
		if _, q, ok := strings.Cut(row.path, "?"); ok {
			f.Add(uint8(i), q)
		}
	}
	for i, q := range []string{"jaar=0000", "jaar=99999999999999999999", "kwartaal=0000-Q1", "kwartaal=2026-Q9", "van=0&naar=-1",
		"versie=999999", "datum=2026-02-30", "status=%00", "sorteer=;DROP", "q=" + strings.Repeat("a", 3000), "%zz", "jaar=2026&jaar=2027",
		"pagina=-1", "dag=8&vrij=ja&plaats=\x1b[31m"} {
		f.Add(uint8(i*5), q)
	}
	fx := newFixture(f)
	for _, row := range routeRows {
		if row.setup != nil {
			row.setup(fx)
		}
	}
	cookie := fx.cookie(platform)
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		row := rows[int(which)%len(rows)]
		path, _, _ := strings.Cut(fx.expand(row.path), "?")
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.URL.RawQuery = query
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		fx.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s?%s: %d %.300s", path, query, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Code != http.StatusNotFound && !strings.Contains(rec.Body.String(), "<main") {
			t.Fatalf("%s?%s: %d without a page: %.300s", path, query, rec.Code, rec.Body)
		}
	})
}
