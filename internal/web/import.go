package web

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/importer"
	"meertijd/internal/mtvp"
)

// importRoutes: the region admin's import of practices and staff. Upload
// gives a preview of every row; only a clean file can be confirmed, and the
// confirmation re-reads the very bytes that were checked.
func (s *Server) importRoutes() []route {
	const base = "/regio/{region}/import"
	return []route{
		{"GET " + base, signedIn, s.getImport},
		{"GET " + base + "/voorbeeld.csv", signedIn, s.getImportExample},
		{"GET " + base + "/sjabloon/{soort}", signedIn, s.getHistoryTemplate},
		{"POST " + base, signedIn, s.postImport},
		{"POST " + base + "/bevestigen", signedIn, s.postImportConfirm},
	}
}

func importURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) + "/import" }

// Session keys of a checked upload waiting for confirmation.
const (
	sessImportToken  = "import_token"
	sessImportHash   = "import_sha256"
	sessImportRegion = "import_region"
	sessImportName   = "import_name"
	sessImportKind   = "import_kind" // a history list's kind; "" = practices and staff
)

// A checked upload is kept server-side in a file named by a random token;
// the session holds the token and the SHA-256 of the bytes. Files older
// than importMaxAge are removed on the next upload.
const (
	importFilePrefix = "meertijd-import-"
	importMaxAge     = time.Hour
	// importBodyLimit leaves room for the multipart envelope around a file
	// of the largest accepted size.
	importBodyLimit = importer.MaxSize + 1<<20
)

// importDir is where checked uploads wait; tests may change it.
var importDir = os.TempDir

type importColumn struct {
	Header   string
	Aliases  string
	Required string // message key
	Desc     string // message key
}

type importPageData struct {
	Region   mtvp.Region
	Base     string
	Columns  []importColumn
	Kinds    []importKindView
	Kind     string // the kind chosen for the upload
	ErrorKey string
	Preview  *importPreview
}

// importKindView is one history list the page offers, with its template.
type importKindView struct {
	Value    string
	Title    string // message key
	Template string // URL of the XLSX template
	Columns  string // the template's headers
}

// importPreview is the checked file as the page shows it.
type importPreview struct {
	FileName   string
	Kind       string // message key
	OK         bool
	Summary    string
	People     string
	ErrorsText string
	FileErrors []string
	ErrorList  []importErrorLink
	MoreErrors int
	Tables     []importTableView
}

type importErrorLink struct {
	Anchor string
	Text   string
}

type importTableView struct {
	Caption string
	Headers []string
	Ignored string
	Rows    []importRowView
}

type importRowView struct {
	Anchor  string
	Row     int
	Cells   []importCellView
	Other   []string // errors of columns the file does not have
	Errors  string   // "2 fouten"; "" when the row is fine
	Effects string   // what a history row creates or changes
}

type importCellView struct {
	ID     string
	Value  string
	Errors []string
}

// maxErrorList caps the error summary above the table; every error is
// still shown at its row.
const maxErrorList = 50

func (s *Server) importPage(r *http.Request, reg mtvp.Region) importPageData {
	d := importPageData{Region: reg, Base: importURL(reg)}
	for _, c := range importer.Columns {
		req := "import.req.optional"
		if c.Required != "" {
			req = "import.req." + c.Required
		}
		var aliases []string
		for _, a := range c.Aliases {
			if a != c.Header {
				aliases = append(aliases, a)
			}
		}
		d.Columns = append(d.Columns, importColumn{Header: c.Header, Aliases: strings.Join(aliases, ", "), Required: req, Desc: c.DescKey()})
	}
	for _, k := range importer.HistoryKinds {
		var headers []string
		for _, c := range importer.HistoryColumns(k) {
			headers = append(headers, c.Header)
		}
		d.Kinds = append(d.Kinds, importKindView{Value: string(k), Title: k.TitleKey(), Template: d.Base + "/sjabloon/" + string(k),
			Columns: strings.Join(headers, ", ")})
	}
	return d
}

// getHistoryTemplate sends the XLSX template of a history list.
func (s *Server) getHistoryTemplate(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.adminRegionFor(r); err != nil {
		return err
	}
	k, ok := importer.ParseHistoryKind(r.PathValue("soort"))
	if !ok {
		return mtvp.Errorf(mtvp.ENOTFOUND, "err.not_found")
	}
	data, err := importer.HistoryTemplate(k, s.lang(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="meertijd-sjabloon-`+string(k)+`.xlsx"`)
	_, err = w.Write(data)
	return err
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, d importPageData) error {
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "import"
	v.ErrorKey = d.ErrorKey
	return s.render(w, r, status, "import", v)
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	d := s.importPage(r, reg)
	// ?soort= preselects a list (the outcome pages link to "indicatoren").
	if k, ok := importer.ParseHistoryKind(r.URL.Query().Get("soort")); ok {
		d.Kind = string(k)
	}
	return s.renderImport(w, r, http.StatusOK, reg, d)
}

func (s *Server) getImportExample(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.adminRegionFor(r); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="meertijd-import-voorbeeld.csv"`)
	_, err := w.Write(importer.ExampleCSV())
	return err
}

func (s *Server) postImport(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	d := s.importPage(r, reg)
	s.dropPendingImport(r)
	removeOldImports()

	r.Body = http.MaxBytesReader(w, r.Body, importBodyLimit)
	if err := r.ParseMultipartForm(importBodyLimit); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.ErrorKey = "import.err.too_large"
			return s.renderImport(w, r, http.StatusRequestEntityTooLarge, reg, d)
		}
		d.ErrorKey = "import.err.no_file"
		return s.renderImport(w, r, http.StatusUnprocessableEntity, reg, d)
	}
	defer r.MultipartForm.RemoveAll()
	if err := checkMultipartText(r); err != nil {
		return err
	}
	file, hdr, err := r.FormFile("bestand")
	if err != nil {
		d.ErrorKey = "import.err.no_file"
		return s.renderImport(w, r, http.StatusUnprocessableEntity, reg, d)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, importer.MaxSize+1))
	if err != nil {
		return err
	}
	name := filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
	kind, _ := importer.ParseHistoryKind(r.FormValue("soort"))
	d.Kind = string(kind)

	var p *importer.Preview
	if kind != "" {
		p, err = importer.ImportHistory(r.Context(), s.db, reg.ID, data, importer.HistoryOptions{Kind: kind, FileName: name,
			Actor: actorOf(currentUser(r)), DryRun: true})
		if errors.Is(err, importer.ErrRefused) {
			err = nil
		}
	} else {
		p, err = importer.Check(r.Context(), s.db, reg.ID, data)
	}
	if err != nil {
		return err
	}
	lang := s.lang(r)
	d.Preview = previewView(p, name, lang)
	if !p.OK() {
		return s.renderImport(w, r, http.StatusUnprocessableEntity, reg, d)
	}
	token, err := saveImport(data)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	ctx := r.Context()
	s.sessions.Put(ctx, sessImportToken, token)
	s.sessions.Put(ctx, sessImportHash, hex.EncodeToString(sum[:]))
	s.sessions.Put(ctx, sessImportRegion, reg.ID)
	s.sessions.Put(ctx, sessImportName, name)
	s.sessions.Put(ctx, sessImportKind, string(kind))
	return s.renderImport(w, r, http.StatusOK, reg, d)
}

func (s *Server) postImportConfirm(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := s.importPage(r, reg)
	token := s.sessions.GetString(ctx, sessImportToken)
	if token == "" {
		s.flash(r, "import.nothing_pending")
		http.Redirect(w, r, importURL(reg), http.StatusSeeOther)
		return nil
	}
	if s.sessions.GetInt64(ctx, sessImportRegion) != reg.ID || !validToken(token) {
		d.ErrorKey = "import.err.expired"
		return s.renderImport(w, r, http.StatusConflict, reg, d)
	}
	path := importPath(token)
	data, err := os.ReadFile(path)
	sum := sha256.Sum256(data)
	want, _ := hex.DecodeString(s.sessions.GetString(ctx, sessImportHash))
	if err != nil || subtle.ConstantTimeCompare(sum[:], want) != 1 {
		s.dropPendingImport(r)
		d.ErrorKey = "import.err.expired"
		return s.renderImport(w, r, http.StatusConflict, reg, d)
	}
	name := s.sessions.GetString(ctx, sessImportName)
	if kind, ok := importer.ParseHistoryKind(s.sessions.GetString(ctx, sessImportKind)); ok {
		return s.confirmHistory(w, r, reg, d, kind, name, data)
	}
	p, res, err := importer.Apply(ctx, s.db, actorOf(currentUser(r)), reg.ID, data)
	if errors.Is(err, importer.ErrRefused) {
		// The region changed since the check (a practice removed): show
		// the file's errors now; nothing was saved.
		s.dropPendingImport(r)
		d.Preview = previewView(p, name, s.lang(r))
		return s.renderImport(w, r, http.StatusUnprocessableEntity, reg, d)
	}
	if err != nil {
		return err
	}
	s.dropPendingImport(r)
	// The flash holds the finished sentence: its counts cannot be kept as
	// a message key (a text that is no key is shown as it is).
	s.flash(r, importer.ResultText(res, s.lang(r)))
	http.Redirect(w, r, practicesURL(reg), http.StatusSeeOther)
	return nil
}

// confirmHistory imports a checked history list, all or nothing.
func (s *Server) confirmHistory(w http.ResponseWriter, r *http.Request, reg mtvp.Region, d importPageData, kind importer.HistoryKind, name string, data []byte) error {
	p, err := importer.ImportHistory(r.Context(), s.db, reg.ID, data, importer.HistoryOptions{Kind: kind, FileName: name, Actor: actorOf(currentUser(r))})
	s.dropPendingImport(r)
	if errors.Is(err, importer.ErrRefused) {
		// The region changed since the check: show the errors now.
		d.Kind = string(kind)
		d.Preview = previewView(p, name, s.lang(r))
		return s.renderImport(w, r, http.StatusUnprocessableEntity, reg, d)
	}
	if err != nil {
		return err
	}
	s.flash(r, i18n.T(s.lang(r), "import.hist.done", importer.HistorySummary(p, s.lang(r))))
	http.Redirect(w, r, importURL(reg), http.StatusSeeOther)
	return nil
}

// dropPendingImport forgets a checked upload and removes its file.
func (s *Server) dropPendingImport(r *http.Request) {
	ctx := r.Context()
	if token := s.sessions.GetString(ctx, sessImportToken); validToken(token) {
		_ = os.Remove(importPath(token))
	}
	for _, k := range []string{sessImportToken, sessImportHash, sessImportRegion, sessImportName, sessImportKind} {
		s.sessions.Remove(ctx, k)
	}
}

// saveImport writes a checked upload to a new file readable only by us and
// returns its token.
func saveImport(data []byte) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b)
	f, err := os.OpenFile(importPath(token), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return token, f.Close()
}

func importPath(token string) string {
	return filepath.Join(importDir(), importFilePrefix+token+".bin")
}

// validToken accepts only what saveImport makes (32 hex digits), so a
// session value can never name another file.
func validToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil && strings.ToLower(t) == t
}

// removeOldImports deletes checked uploads nobody confirmed within the
// hour.
func removeOldImports() {
	matches, _ := filepath.Glob(filepath.Join(importDir(), importFilePrefix+"*.bin"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) > importMaxAge {
			_ = os.Remove(m)
		}
	}
}

// previewView prepares the checked file for the page: every row with its
// errors beside the cells they concern.
func previewView(p *importer.Preview, name, lang string) *importPreview {
	pv := &importPreview{FileName: name, OK: p.OK()}
	switch {
	case p.HistoryKind != "":
		pv.Kind = p.HistoryKind.TitleKey()
	case p.Kind != "":
		pv.Kind = "import.kind." + string(p.Kind)
	}
	pv.Summary = importer.Summary(p, lang)
	if p.HistoryKind != "" {
		pv.Summary = importer.HistorySummary(p, lang)
		if shown := len(p.Rows()); p.HistoryRows > shown {
			pv.People = i18n.T(lang, "import.hist.rows_shown", shown, p.HistoryRows)
		}
	}
	if p.People > 0 && p.People < p.Staff {
		pv.People = i18n.T(lang, "import.summary_people", p.People)
	}
	if !p.OK() {
		pv.ErrorsText = importer.ErrorsIntro(p, lang)
	}
	for _, e := range p.FileErrors {
		msg := e.Message(lang)
		if e.Value != "" {
			msg = i18n.T(lang, "import.report.sheet", e.Value) + ": " + msg
		}
		pv.FileErrors = append(pv.FileErrors, msg)
	}
	for ti, t := range p.Tables {
		tv := importTableView{Headers: t.Headers, Caption: i18n.T(lang, "import.rows_caption")}
		if t.Sheet != "" {
			tv.Caption = i18n.T(lang, "import.rows_caption_sheet", t.Sheet)
		}
		if len(t.Ignored) > 0 {
			tv.Ignored = i18n.T(lang, "import.ignored", strings.Join(t.Ignored, ", "))
		}
		cols := map[string]int{}
		for i, h := range t.Headers {
			cols[h] = i
		}
		for _, row := range t.Rows {
			rv := importRowView{Anchor: "rij-" + strconv.Itoa(ti+1) + "-" + strconv.Itoa(row.Row), Row: row.Row}
			if len(row.Errors) > 0 {
				rv.Errors = importer.Count(lang, "import.n_errors", len(row.Errors))
			}
			var effects []string
			for _, e := range row.Effects {
				effects = append(effects, e.Message(lang))
			}
			rv.Effects = strings.Join(effects, "; ")
			rv.Cells = make([]importCellView, len(t.Headers))
			for i := range t.Headers {
				rv.Cells[i] = importCellView{ID: rv.Anchor + "-" + strconv.Itoa(i+1)}
				if i < len(row.Cells) {
					rv.Cells[i].Value = row.Cells[i]
				}
			}
			for _, e := range row.Errors {
				msg := e.Message(lang)
				if i, ok := cols[e.Column]; ok {
					rv.Cells[i].Errors = append(rv.Cells[i].Errors, msg)
				} else {
					rv.Other = append(rv.Other, msg)
				}
				if len(pv.ErrorList) < maxErrorList {
					pv.ErrorList = append(pv.ErrorList, importErrorLink{Anchor: rv.Anchor, Text: locate(lang, row.Sheet, row.Row, e.Column) + ": " + msg})
				} else {
					pv.MoreErrors++
				}
			}
			tv.Rows = append(tv.Rows, rv)
		}
		pv.Tables = append(pv.Tables, tv)
	}
	return pv
}

// locate names a cell: "Rij 3, kolom "AGB"", with the sheet when there is
// one.
func locate(lang, sheet string, row int, column string) string {
	var parts []string
	if sheet != "" {
		parts = append(parts, i18n.T(lang, "import.report.sheet", sheet))
	}
	parts = append(parts, i18n.T(lang, "import.report.row", row))
	if column != "" {
		parts = append(parts, i18n.T(lang, "import.report.column", column))
	}
	s := strings.Join(parts, ", ")
	return string(bytes.ToUpper([]byte(s[:1]))) + s[1:]
}
