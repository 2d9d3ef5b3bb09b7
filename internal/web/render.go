package web

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// pageSet holds one parsed template per language and page: the layout and
// partials plus that page's "title" and "content" blocks. Each language has
// its own set so the number functions (fte, num, dec) write that
// language's separators.
type pageSet struct {
	pages map[string]map[string]*template.Template // lang → page → template
}

// funcsFor returns the template functions for a language.
func funcsFor(lang string) template.FuncMap {
	return template.FuncMap{
		// fte: a full-time equivalent with two decimals (0,80 / 0.80).
		"fte": func(f float64) string { return i18n.Decimal(lang, f, 2) },
		// num: a whole number with thousands grouped (12.345 / 12,345).
		"num": func(n int) string { return i18n.Integer(lang, n) },
		// dec: a decimal with as few places as needed (2,5 / 2.5).
		"dec": func(f float64) string { return i18n.Decimal(lang, f, -1) },
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(amsterdam).Format("02-01-2006 15:04")
		},
		"join": strings.Join,
		"add":  func(a, b int) int { return a + b },
		"seq": func(from, to int) []int {
			var out []int
			for i := from; i <= to; i++ {
				out = append(out, i)
			}
			return out
		},
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"str": func(v any) string { return fmt.Sprint(v) },
	}
}

var amsterdam = func() *time.Location {
	l, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.UTC
	}
	return l
}()

// loadPages parses the embedded templates once per process: they never
// change, and executing a template set from several servers at once is
// safe. Tests build a server per fixture; parsing each time took 0.3 s.
var loadPages = sync.OnceValues(parsePages)

func parsePages() (*pageSet, error) {
	ps := &pageSet{pages: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Languages {
		base := template.New("layout").Funcs(funcsFor(lang))
		base, err := base.ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
		if err != nil {
			return nil, err
		}
		files, err := fs.Glob(templateFS, "templates/pages/*.html")
		if err != nil {
			return nil, err
		}
		ps.pages[lang] = map[string]*template.Template{}
		for _, f := range files {
			t, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if t, err = t.ParseFS(templateFS, f); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			ps.pages[lang][strings.TrimSuffix(path.Base(f), ".html")] = t
		}
	}
	return ps, nil
}

// view is what every template receives: request context plus the page's
// own Data.
type view struct {
	Lang   string
	User   *mtvp.User
	Demo   bool
	Flash  string
	Path   string
	Region *mtvp.Region // region in scope, for navigation
	Nav    string       // active navigation item
	// Badges: a consultant's waiting work in the menu's region (nil for
	// other logins); filled by render.
	Badges    *navBadges
	Data      any
	Errors    mtvp.FieldErrors
	ErrorKey  string // page-level message key
	ErrorArgs []any  // its arguments (the error page)
	StatusMsg string
	// fieldLabels maps a field's HTML id to its label text, read from a
	// first rendering of a page with errors so the error summary can name
	// the fields.
	fieldLabels map[string]string
	fieldOrder  []string // the ids in page order
	query       string   // the request's query (filters), for downloads
	// cacheKey, when set (cacheAs), says every byte of the page follows
	// from it: render serves and stores the page in the whole-page cache
	// (page_cache.go).
	cacheKey *normCacheKey
}

// DownloadURL is this list page's download in format ("xlsx", "csv") with
// the page's filters.
func (v *view) DownloadURL(format string) string {
	u := strings.TrimSuffix(v.Path, "/") + listExportSuffix + "." + format
	if v.query != "" {
		u += "?" + v.query
	}
	return u
}

// T translates a message key in the page's language.
func (v *view) T(key string, args ...any) string { return i18n.T(v.Lang, key, args...) }

// ErrorText is the page-level message with its arguments.
func (v *view) ErrorText() string { return i18n.T(v.Lang, v.ErrorKey, v.ErrorArgs...) }

// TN translates key+".one" when n is 1, else key+".other", with n as the
// first argument: "1 aanvraag", "2 aanvragen".
func (v *view) TN(key string, n int, args ...any) string {
	if n == 1 {
		key += ".one"
	} else {
		key += ".other"
	}
	return i18n.T(v.Lang, key, append([]any{n}, args...)...)
}

// Err returns the translated error of a field, "" when the field is fine.
func (v *view) Err(field string) string {
	if k, ok := v.Errors[field]; ok {
		return i18n.T(v.Lang, k)
	}
	return ""
}

// ErrLabel is the label of a field with an error, "" when unknown.
func (v *view) ErrLabel(field string) string { return v.fieldLabels[fieldID(field)] }

// ErrNames lists the fields with errors in the order of the form (fields
// not found on the page last, by name).
func (v *view) ErrNames() []string {
	names := v.Errors.Names()
	pos := map[string]int{}
	for i, id := range v.fieldOrder {
		pos[id] = i
	}
	slices.SortStableFunc(names, func(a, b string) int {
		pa, oka := pos[fieldID(a)]
		pb, okb := pos[fieldID(b)]
		switch {
		case oka && okb:
			return pa - pb
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
	return names
}

// ErrLabels names the fields with errors in the order of the form: "Naam,
// AGB-code"; "" when none of their labels is known.
func (v *view) ErrLabels() string {
	var out []string
	for _, f := range v.ErrNames() {
		if l := v.ErrLabel(f); l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return strings.Join(out, ", ")
}

// labelPattern finds a field's label (or a fieldset's legend after its id)
// in rendered HTML: the text up to the first tag inside it.
var labelPattern = regexp.MustCompile(`<label[^>]*\sfor="(f-[^"]+)"[^>]*>\s*([^<]+)|<fieldset[^>]*\sid="(f-[^"]+)"[^>]*>\s*<legend[^>]*>\s*([^<]+)`)

// fieldLabelsOf reads field id → label text from rendered HTML, and the ids
// in page order.
func fieldLabelsOf(page []byte) (map[string]string, []string) {
	out := map[string]string{}
	var order []string
	for _, m := range labelPattern.FindAllSubmatch(page, -1) {
		id, label := string(m[1]), string(m[2])
		if id == "" {
			id, label = string(m[3]), string(m[4])
		}
		if _, seen := out[id]; !seen {
			out[id] = strings.TrimSpace(html.UnescapeString(label))
			order = append(order, id)
		}
	}
	return out, order
}

// HasErr reports whether a field has an error.
func (v *view) HasErr(field string) bool { _, ok := v.Errors[field]; return ok }

// Date formats a date the Dutch way, or in English.
func (v *view) Date(d mtvp.Date) string { return dateText(v.Lang, d) }

// dateText formats a date in lang: "1 september 2022" or "1 September 2022".
func dateText(lang string, d mtvp.Date) string {
	if lang == "en" {
		if d.IsZero() {
			return ""
		}
		return d.Time().Format("2 January 2006")
	}
	return d.Dutch()
}

// Role names a staff or account role in the page's language.
func (v *view) Role(r any) string { return i18n.T(v.Lang, "role."+fmt.Sprint(r)) }

// Field builds the view of one form field for the "field" partial.
func (v *view) Field(name, labelKey string, value any) fieldView {
	return fieldView{V: v, Name: name, Label: i18n.T(v.Lang, labelKey), Value: fmt.Sprint(value), Type: "text"}
}

// fieldView is one labelled input with its error and hint (accessible:
// label for, aria-describedby, aria-invalid).
type fieldView struct {
	V        *view
	Name     string
	Label    string
	Value    string
	Type     string
	Hint     string
	Required bool
	Attrs    template.HTMLAttr
}

func (f fieldView) ID() string { return fieldID(f.Name) }

// fieldID is the HTML id of a form field, shared by the field and the
// error summary that links to it.
func fieldID(name string) string { return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(name) }

// FieldID exposes fieldID to templates.
func (v *view) FieldID(name string) string      { return fieldID(name) }
func (f fieldView) Error() string               { return f.V.Err(f.Name) }
func (f fieldView) WithType(t string) fieldView { f.Type = t; return f }
func (f fieldView) WithHint(key string) fieldView {
	f.Hint = i18n.T(f.V.Lang, key)
	return f
}
func (f fieldView) Req() fieldView { f.Required = true; return f }
func (f fieldView) With(attrs string) fieldView {
	f.Attrs = template.HTMLAttr(attrs) // only literal attributes from templates
	return f
}

// newView builds the base view for a request.
func (s *Server) newView(r *http.Request, data any) *view {
	v := &view{Lang: s.lang(r), User: currentUser(r), Demo: s.cfg.Demo, Path: r.URL.Path, Data: data, query: r.URL.RawQuery}
	if v.User == nil {
		v.User = pendingUser(r)
		if v.User != nil {
			// Pending users see no navigation.
			v.User = nil
		}
	}
	v.Flash = s.sessions.PopString(r.Context(), sessFlash)
	return v
}

// lang picks the language: session choice, else the user's setting, else
// the browser's, else Dutch.
func (s *Server) lang(r *http.Request) string {
	if l := s.sessions.GetString(r.Context(), sessLang); l != "" {
		return i18n.Lang(l)
	}
	if u, _ := r.Context().Value(userKey).(*mtvp.User); u != nil && u.Locale != "" {
		return i18n.Lang(u.Locale)
	}
	if al := r.Header.Get("Accept-Language"); strings.HasPrefix(strings.ToLower(al), "en") {
		return "en"
	}
	return i18n.Default
}

// render executes a page into a buffer first, so a template error never
// leaves half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) error {
	if status == http.StatusOK {
		if done, err := sendListExport(w, r, v.Lang, v.Data); done {
			return err
		}
	}
	t, ok := s.pages.pages[i18n.Lang(v.Lang)][page]
	if !ok {
		return fmt.Errorf("no page %q", page)
	}
	name := "layout"
	// htmx requests for a fragment get only the "content" block.
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && t.Lookup("fragment") != nil {
		name = "fragment"
	}
	// A cached page is served before the menu counts are: they follow
	// from its key too (the region's counter, the user, the day).
	pk, cacheable := v.pageKey(r, status, page, name)
	if cacheable {
		if p, ok := s.pageCache.Get(pk); ok {
			return p.write(w, r)
		}
	}
	if name == "layout" && v.Badges == nil && v.Region != nil && v.User.IsConsultantIn(v.Region.ID) {
		// A failure here only costs the counts, never the page.
		if b, err := s.consultantBadges(r.Context(), *v.Region, v.User.ID); err == nil {
			v.Badges = &b
		} else {
			s.log.Error("menu counts", "err", err)
		}
	}
	var buf bytes.Buffer
	if len(v.Errors) > 0 && v.fieldLabels == nil {
		// A first rendering tells the labels of the fields; the error
		// summary at the top then names them.
		if err := t.ExecuteTemplate(&buf, name, v); err != nil {
			return err
		}
		v.fieldLabels, v.fieldOrder = fieldLabelsOf(buf.Bytes())
		buf.Reset()
	}
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		return err
	}
	if cacheable {
		p := newCachedPage(bytes.Clone(buf.Bytes()))
		s.pageCache.Add(pk, p)
		return p.write(w, r)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// renderError shows a message page with a status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	v := s.newView(r, nil)
	v.ErrorKey, v.ErrorArgs = key, args
	v.Data = map[string]any{"Status": status}
	if err := s.render(w, r, status, "error", v); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, v.ErrorText(), status)
	}
}

// flash stores a one-time message shown on the next page.
func (s *Server) flash(r *http.Request, key string) {
	s.sessions.Put(r.Context(), sessFlash, key)
}

// formatFTE writes an FTE the Dutch way (0,80); pages use the language's
// "fte" function or fteIn.
func formatFTE(f float64) string { return i18n.Decimal("nl", f, 2) }

// formatInt groups thousands with a dot, as Dutch does: 12.345.
func formatInt(n int) string { return i18n.Integer("nl", n) }
