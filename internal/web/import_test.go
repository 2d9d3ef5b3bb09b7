package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// importTestSetup gives each test its own directory for checked uploads.
func importTestSetup(t *testing.T) (*fixture, string) {
	t.Helper()
	dir := importTestDir(t)
	return newFixture(t), dir
}

func importTestDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	old := importDir
	importDir = func() string { return dir }
	t.Cleanup(func() { importDir = old })
	return dir
}

// importUpload posts a file as multipart form data with the session
// cookie c.
func importUpload(t *testing.T, f *fixture, c *http.Cookie, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	return historyUpload(t, f, c, "", name, data)
}

func importRequest(t *testing.T, f *fixture, c *http.Cookie, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, f.expand(path), nil)
	if method != http.MethodGet {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	req.AddCookie(c)
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

func importCounts(t *testing.T, f *fixture) [3]int {
	t.Helper()
	ctx := context.Background()
	ps, err := f.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: f.regionA.ID})
	if err != nil {
		t.Fatal(err)
	}
	people, err := f.db.ListPeople(ctx, f.regionA.ID, "", 100000)
	if err != nil {
		t.Fatal(err)
	}
	return [3]int{len(ps), len(people), int(f.auditCount())}
}

func importPending(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, importFilePrefix+"*.bin"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func bodyOf(rec *httptest.ResponseRecorder) string { return html.UnescapeString(rec.Body.String()) }

const importBadCSV = "AGB;Praktijknaam;Naam;Functie;FTE;Vanaf\n" +
	"01000050;Praktijk Vijftig;Ria Bos;praktijkhouder;1,0;01-01-2020\n" +
	"0100051;Praktijk Eenenvijftig;Sem Bos;praktijkhouder;1,0;01-01-2020\n" +
	"01000050;Praktijk Vijftig;Tom Bos;tandarts;0,5;01-01-2020\n"

// P1 (01000001) exists in region A: it is updated, its new staff member
// added; a locum works at P1 and at a new practice.
const importGoodCSV = "AGB-code;Praktijknaam;Plaats;Naam;BIG-nummer;Functie;FTE;In dienst vanaf\n" +
	"01000001;Praktijk Een;Maastricht-Oost;Willem Locum;45678901234;vaste waarnemer;0,4;01-01-2024\n" +
	"01000060;Praktijk Zestig;Gulpen;Willem Locum;45678901234;vaste waarnemer;0,4;01-02-2024\n" +
	"01000060;Praktijk Zestig;Gulpen;Xandra Vos;;doktersassistente;0,8;01-02-2024\n" +
	"01000061;Praktijk Eenenzestig;Vaals;Yara Smit;56789012345;praktijkhouder;1,0;01-03-2024\n"

func TestImportBadFileShowsRowsAndSavesNothing(t *testing.T) {
	f, dir := importTestSetup(t)
	c := f.cookie(adminA)
	before := importCounts(t, f)
	rec := importUpload(t, f, c, "lijst.csv", []byte(importBadCSV))
	body := bodyOf(rec)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d; body %.500s", rec.Code, body)
	}
	for _, want := range []string{
		`Rij 3, kolom "AGB": Een AGB-code bestaat uit precies 8 cijfers.`,
		`Rij 4, kolom "Functie": Onbekende functie.`,
		"2 fouten in 2 rijen. Er is niets opgeslagen.",
		"Bestand: lijst.csv",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if strings.Contains(body, "Import bevestigen") {
		t.Error("a file with errors can be confirmed")
	}
	if p := importPending(t, dir); len(p) != 0 {
		t.Errorf("a refused file was kept: %v", p)
	}
	// Confirming now finds nothing to import.
	rec = importRequest(t, f, c, http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/import" {
		t.Errorf("confirm: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if after := importCounts(t, f); after != before {
		t.Errorf("practices, people, audit %v → %v", before, after)
	}
}

func TestImportWrongTypeRefused(t *testing.T) {
	f, _ := importTestSetup(t)
	before := importCounts(t, f)
	rec := importUpload(t, f, f.cookie(adminA), "lijst.pdf", []byte("%PDF-1.7\n1 0 obj\n"))
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(bodyOf(rec), "Dit bestandstype kan niet worden ingelezen") {
		t.Fatalf("status %d; body %.500s", rec.Code, bodyOf(rec))
	}
	rec = importUpload(t, f, f.cookie(adminA), "leeg.csv", nil)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(bodyOf(rec), "geen rijen om te importeren") {
		t.Fatalf("empty: status %d; body %.500s", rec.Code, bodyOf(rec))
	}
	if after := importCounts(t, f); after != before {
		t.Errorf("counts %v → %v", before, after)
	}
}

func TestImportPreviewThenConfirm(t *testing.T) {
	f, dir := importTestSetup(t)
	c := f.cookie(adminA)
	before := importCounts(t, f)
	rec := importUpload(t, f, c, "regio.csv", []byte(importGoodCSV))
	body := bodyOf(rec)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d; body %.800s", rec.Code, body)
	}
	for _, want := range []string{"3 praktijken, 4 medewerkers; 1 praktijk bestaat al en wordt bijgewerkt", "Import bevestigen", "Willem Locum", "Xandra Vos"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if after := importCounts(t, f); after != before {
		t.Fatalf("the preview saved something: %v → %v", before, after)
	}
	pending := importPending(t, dir)
	if len(pending) != 1 {
		t.Fatalf("pending files: %v", pending)
	}
	if fi, err := os.Stat(pending[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("pending file mode: %v %v", fi.Mode(), err)
	}

	// Another login's session cannot confirm this upload.
	rec = importRequest(t, f, f.cookie(platform), http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/import" {
		t.Errorf("other session: %d", rec.Code)
	}

	rec = importRequest(t, f, c, http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/praktijken" {
		t.Fatalf("confirm: %d %s %.500s", rec.Code, rec.Header().Get("Location"), bodyOf(rec))
	}
	after := importCounts(t, f)
	if after[0] != before[0]+2 || after[1] != before[1]+3 {
		t.Errorf("practices, people %v → %v", before, after)
	}
	if p := importPending(t, dir); len(p) != 0 {
		t.Errorf("applied file not removed: %v", p)
	}
	page := bodyOf(importRequest(t, f, c, http.MethodGet, "/regio/{region}/praktijken"))
	if !strings.Contains(page, "Import voltooid: 2 praktijken toegevoegd, 1 bijgewerkt") {
		t.Errorf("no result flash on the practice list: %s", page[strings.Index(page, "<main"):][:800])
	}
	// Confirming twice imports nothing twice.
	rec = importRequest(t, f, c, http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/import" {
		t.Errorf("second confirm: %d %s", rec.Code, rec.Header().Get("Location"))
	}

	// The same file again: everything exists, nothing is added.
	if rec := importUpload(t, f, c, "regio.csv", []byte(importGoodCSV)); rec.Code != http.StatusOK {
		t.Fatalf("re-upload: %d", rec.Code)
	}
	rec = importRequest(t, f, c, http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("re-confirm: %d", rec.Code)
	}
	page = bodyOf(importRequest(t, f, c, http.MethodGet, "/regio/{region}/praktijken"))
	if !strings.Contains(page, "Import voltooid: 0 praktijken toegevoegd, 0 bijgewerkt; 0 personen toegevoegd") || !strings.Contains(page, "0 functies toegevoegd, 4 waren er al") {
		t.Errorf("second import flash: %s", page[strings.Index(page, "<main"):][:800])
	}
	if again := importCounts(t, f); again != after {
		t.Errorf("second import changed counts %v → %v", after, again)
	}
}

func TestImportTamperedFileRefused(t *testing.T) {
	f, dir := importTestSetup(t)
	c := f.cookie(adminA)
	if rec := importUpload(t, f, c, "regio.csv", []byte(importGoodCSV)); rec.Code != http.StatusOK {
		t.Fatalf("upload: %d", rec.Code)
	}
	before := importCounts(t, f)
	pending := importPending(t, dir)
	if len(pending) != 1 {
		t.Fatalf("pending: %v", pending)
	}
	if err := os.WriteFile(pending[0], []byte(strings.Replace(importGoodCSV, "Gulpen", "Vaals", -1)), 0o600); err != nil {
		t.Fatal(err)
	}
	rec := importRequest(t, f, c, http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusConflict || !strings.Contains(bodyOf(rec), "Kies het bestand opnieuw") {
		t.Fatalf("tampered: %d %.500s", rec.Code, bodyOf(rec))
	}
	if after := importCounts(t, f); after != before {
		t.Errorf("counts %v → %v", before, after)
	}
	if p := importPending(t, dir); len(p) != 0 {
		t.Errorf("tampered file kept: %v", p)
	}
}

func TestImportPageAndExample(t *testing.T) {
	f, _ := importTestSetup(t)
	c := f.cookie(adminA)
	page := bodyOf(importRequest(t, f, c, http.MethodGet, "/regio/{region}/import"))
	for _, want := range []string{`enctype="multipart/form-data"`, "voorbeeld.csv", "AGB-code van de praktijk: 8 cijfers.", "in dienst vanaf"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	rec := importRequest(t, f, c, http.MethodGet, "/regio/{region}/import/voorbeeld.csv")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || !strings.Contains(rec.Body.String(), "AGB;praktijknaam;") {
		t.Errorf("example: %d %s %.200s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}

func TestRemoveOldImports(t *testing.T) {
	importTestDir(t)
	token, err := saveImport([]byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := saveImport([]byte("y"))
	if err != nil {
		t.Fatal(err)
	}
	old := importPath(token)
	past := time.Now().Add(-2 * importMaxAge)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	removeOldImports()
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("old upload kept: %v", err)
	}
	if _, err := os.Stat(importPath(fresh)); err != nil {
		t.Errorf("fresh upload removed: %v", err)
	}
	if validToken("../../etc/passwd") || validToken(strings.Repeat("A", 32)) || !validToken(token) {
		t.Error("validToken")
	}
}

func TestImportConfirmInOtherRegionRefused(t *testing.T) {
	f, dir := importTestSetup(t)
	c := f.cookie(platform)
	if rec := importUpload(t, f, c, "regio.csv", []byte(importGoodCSV)); rec.Code != http.StatusOK {
		t.Fatalf("upload: %d", rec.Code)
	}
	before := importCounts(t, f)
	rec := importRequest(t, f, c, http.MethodPost, "/regio/regio-b/import/bevestigen")
	if rec.Code != http.StatusConflict {
		t.Fatalf("confirm in region B: %d", rec.Code)
	}
	if after := importCounts(t, f); after != before {
		t.Errorf("counts %v → %v", before, after)
	}
	ps, err := f.db.ListPractices(context.Background(), mtvp.PracticeFilter{RegionID: f.regionB.ID})
	if err != nil || len(ps) != 1 {
		t.Errorf("region B practices: %d %v", len(ps), err)
	}
	// The upload still belongs to region A and can be confirmed there.
	if p := importPending(t, dir); len(p) != 1 {
		t.Errorf("pending: %v", p)
	}
	rec = importRequest(t, f, c, http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/praktijken" {
		t.Errorf("confirm in region A: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}

// historyUpload posts a file of a kind ("": practices and staff) as
// multipart form data with the session cookie c (nil: none).
func historyUpload(t *testing.T, f *fixture, c *http.Cookie, kind, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if kind != "" {
		_ = mw.WriteField("soort", kind)
	}
	fw, err := mw.CreateFormFile("bestand", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, f.expand("/regio/{region}/import"), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if c != nil {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

// TestImportHistoryPreviewThenConfirm: a visits list shows per row what it
// will record, saves nothing until confirmed, then records the visit with
// its real date; a broken list names row and column.
func TestImportHistoryPreviewThenConfirm(t *testing.T) {
	f, _ := importTestSetup(t)
	c := f.cookie(adminA)
	ctx := context.Background()
	year := mtvp.DateOf(clock.Now()).Year() - 1
	day := fmt.Sprintf("20-09-%d", year)
	csv := "AGB-code praktijk;datum bezoek;consulent;samenvatting\n01000001;" + day + ";" + string(consultantA) + ";Plan loopt goed.\n"
	rec := historyUpload(t, f, c, "bezoeken", "bezoeken.csv", []byte(csv))
	body := bodyOf(rec)
	if rec.Code != http.StatusOK || !strings.Contains(body, "bezoek aan Praktijk Een op "+day) || !strings.Contains(body, "1 rij; 1 bezoek") {
		t.Fatalf("preview %d: %.2000s", rec.Code, body[strings.Index(body, "<main"):])
	}
	visits := func() []mtvp.Visit {
		vs, err := f.db.ListVisits(ctx, store.VisitFilter{RegionID: f.p1.RegionID, Year: year})
		if err != nil {
			t.Fatal(err)
		}
		return vs
	}
	if len(visits()) != 0 {
		t.Fatal("the preview saved a visit")
	}
	rec = importRequest(t, f, c, http.MethodPost, "/regio/{region}/import/bevestigen")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %.500s", rec.Code, bodyOf(rec))
	}
	vs := visits()
	if len(vs) != 1 || vs[0].Status != mtvp.VisitDone || vs[0].VisitedOn.Short() != day {
		t.Fatalf("visits after import: %+v", vs)
	}
	page := bodyOf(importRequest(t, f, c, http.MethodGet, "/regio/{region}/import"))
	if !strings.Contains(page, "Geïmporteerd: 1 rij; 1 bezoek.") {
		t.Errorf("no result flash: %.1500s", page[strings.Index(page, "<main"):])
	}

	// The run is in the region's history, named by its list and file.
	hist := bodyOf(importRequest(t, f, c, http.MethodGet, "/regio/{region}/historie"))
	if !strings.Contains(hist, "Consulentbezoeken (bezoeken.csv)") || !strings.Contains(hist, "Import (historie)") {
		t.Errorf("history page lacks the import run: %.3000s", hist[strings.Index(hist, "<main"):])
	}

	bad := "AGB-code praktijk;datum bezoek;consulent;samenvatting\n01000002;31-02-" + fmt.Sprint(year) + ";x;y\n"
	rec = historyUpload(t, f, c, "bezoeken", "fout.csv", []byte(bad))
	if body := bodyOf(rec); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `Rij 2, kolom "datum bezoek"`) {
		t.Errorf("broken list: %d %.1500s", rec.Code, body[strings.Index(body, "<main"):])
	}

	// The templates download as XLSX.
	rec = importRequest(t, f, c, http.MethodGet, "/regio/{region}/import/sjabloon/intervisie")
	if rec.Code != http.StatusOK || !bytes.HasPrefix(rec.Body.Bytes(), []byte("PK")) {
		t.Errorf("template: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := importRequest(t, f, c, http.MethodGet, "/regio/{region}/import/sjabloon/onzin"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown template: %d", rec.Code)
	}
}
