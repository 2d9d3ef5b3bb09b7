package importer

import (
	"context"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// Hostile input (issue 17): whatever bytes arrive as an import file, the
// importer answers with a preview and messages, never a panic, and every
// refusal names a message that exists in both languages. CI runs each
// target for a short while (.ci/run); the long form is
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 10m ./internal/importer/

func checkRefusals(t *testing.T, p *Preview) {
	t.Helper()
	if p == nil {
		t.Fatal("no preview")
	}
	for _, e := range p.Errors() {
		for _, lang := range []string{"nl", "en"} {
			if m := e.Message(lang); m == "" || m == e.Key || strings.Contains(m, "%!") {
				t.Fatalf("error %q (row %d, column %q) has no %s message: %q", e.Key, e.Row, e.Column, lang, m)
			}
		}
	}
	if p.Batch != nil && p.ErrorCount > 0 {
		t.Fatal("a batch to write beside errors")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(ExampleCSV())
	f.Add([]byte("AGB-code;Praktijk\n01000001;Een\n"))
	f.Add([]byte("\xEF\xBB\xBFagb,naam,plaats\n\"01\"\"0\",\"a\nb\",x\n"))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Add([]byte{})
	if x, err := HistoryTemplate(HistoryIntervision, "nl"); err == nil {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRefusals(t, Parse(data, nil))
	})
}

func FuzzReadSheets(f *testing.F) {
	f.Add(ExampleCSV())
	if x, err := HistoryTemplate(HistoryCompletions, "nl"); err == nil {
		f.Add(x)
	}
	f.Add([]byte("a;b\n1;2;3\n\"open"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, sheets, _, err := ReadSheets(data)
		if err == nil && sheets == nil {
			t.Fatal("no sheets and no error")
		}
	})
}

// FuzzHistoryDryRun feeds the history importer (a dry run: nothing is
// written) every kind of list.
func FuzzHistoryDryRun(f *testing.F) {
	kinds := HistoryKinds
	for i, k := range kinds {
		if x, err := HistoryTemplate(k, "nl"); err == nil {
			f.Add(uint8(i), x)
		}
		var b strings.Builder
		for _, c := range HistoryColumns(k) {
			b.WriteString(c.Header + ";")
		}
		b.WriteString("\n2025;x;y;z;01000001;Anna;12345678901;31-02-2025;aanwezig\n")
		f.Add(uint8(i), []byte(b.String()))
	}
	w := newImportWorld(f)
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := kinds[int(kind)%len(kinds)]
		p, err := ImportHistory(context.Background(), w.db, w.reg.ID, data, HistoryOptions{Kind: k, FileName: "fuzz.csv", Actor: importActor, DryRun: true,
			Today: mtvp.MustDate("2026-06-15")})
		if err != nil {
			if mtvp.ErrorCode(err) == mtvp.EINTERNAL {
				t.Fatalf("%s: %v", k, err)
			}
			return
		}
		checkRefusals(t, p)
	})
}
