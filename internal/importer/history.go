package importer

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// History import: the lists a region kept before it moved in — intervision
// participation, training completions, decided prior-learning claims,
// plans van aanpak and consultant visits — one kind per file. The file is
// read row by row; each row is checked against the region (people matched
// by BIG, AGB, e-mail, or name at a practice) and against the rows before
// it, and says what it will create or change. A clean file is written in
// chunks inside one transaction (store.HistoryImport); any error refuses
// the whole file and nothing is saved. Importing the same file again
// changes nothing: every record is looked up before it is created.

// HistoryKind is the kind of a history list.
type HistoryKind string

const (
	HistoryIntervision HistoryKind = "intervisie"
	HistoryCompletions HistoryKind = "scholing"
	HistoryClaims      HistoryKind = "evc"
	HistoryPlans       HistoryKind = "plannen"
	HistoryVisits      HistoryKind = "bezoeken"
	HistoryIndicators  HistoryKind = "indicatoren"
)

// HistoryKinds in the order the import page offers them.
var HistoryKinds = []HistoryKind{HistoryIntervision, HistoryCompletions, HistoryClaims, HistoryPlans, HistoryVisits, HistoryIndicators}

// ParseHistoryKind reads a kind from a URL or flag.
func ParseHistoryKind(s string) (HistoryKind, bool) {
	for _, k := range HistoryKinds {
		if string(k) == strings.ToLower(strings.TrimSpace(s)) {
			return k, true
		}
	}
	return "", false
}

// TitleKey names the kind (message key).
func (k HistoryKind) TitleKey() string { return "import.hist.kind." + string(k) }

// HistColumn is one column of a history list.
type HistColumn struct {
	Key      string
	Header   string // Dutch header of the template
	Aliases  []string
	Required bool
	Example  string // a value for the template's example row
}

// DescKey is the message key explaining the column.
func (c HistColumn) DescKey() string { return "import.hist.col." + c.Key }

// HistoryColumns returns the columns of a kind in template order.
func HistoryColumns(k HistoryKind) []HistColumn { return historySpecs[k].columns }

type historySpec struct {
	columns []HistColumn
	handler func(*historyRun) historyHandler
}

// historyHandler is one kind's part of a run.
type historyHandler interface {
	// load reads what the region already holds.
	load(ctx context.Context) error
	// row checks one row, records its effects and, when it is clean and
	// the run is writing, queues what it creates.
	row(r *hrow)
	// flush writes the queued records (h nil: drops them).
	flush(h *store.HistoryImport) error
}

// Column keys shared by several kinds.
const (
	colPractice   = "practice_agb"
	colPersonName = "name"
	colBIG        = "big"
	colPersonAGB  = "person_agb"
	colEmail      = "email"
)

// personColumns are the columns that name a person.
func personColumns(practiceRequired bool) []HistColumn {
	return []HistColumn{
		{colPractice, "AGB-code praktijk", []string{"AGB praktijk", "praktijk AGB", "practice AGB"}, practiceRequired, "01012345"},
		{colPersonName, "naam", []string{"naam medewerker", "deelnemer", "name"}, true, "Anna de Vries"},
		{colBIG, "BIG-nummer", []string{"BIG", "BIG nr", "BIG number"}, false, "12345678901"},
		{colPersonAGB, "AGB-code persoon", []string{"AGB persoon", "AGB zorgverlener", "person AGB"}, false, "01000001"},
		{colEmail, "e-mail", []string{"e-mailadres", "email"}, false, "anna@delinde.nl"},
	}
}

// HistoryCount is one line of what a run did: a message key and a number.
type HistoryCount struct {
	Key string
	N   int
}

// Effect is what a row will create or change, as a message.
type Effect struct {
	Key  string
	Args []any
}

// Message is the effect in a language.
func (e Effect) Message(lang string) string { return i18n.T(lang, e.Key, e.Args...) }

// HistoryOptions say how to run a history import.
type HistoryOptions struct {
	Kind     HistoryKind
	FileName string
	Actor    mtvp.Actor
	DryRun   bool // check only; nothing is written
	// Today is the day dates are checked against (zero: the clock's).
	Today mtvp.Date
	// PreviewRows is how many clean rows the preview keeps (rows with
	// errors are always kept, up to maxErrorRows); 0 means 200.
	PreviewRows int
}

const (
	defaultPreviewRows = 200
	maxErrorRows       = 1000
)

// historyChunk is how many rows are checked before their records are
// written (tests make it small to cross chunk boundaries).
var historyChunk = 10000

// historyRun is one import of one file.
type historyRun struct {
	ctx      context.Context
	db       *store.DB
	region   mtvp.Region
	today    mtvp.Date
	opt      HistoryOptions
	p        *Preview
	table    *Table
	colOf    map[string]int
	headers  []string
	serial   bool
	date1904 bool
	people   *peopleIndex
	handler  historyHandler
	counts   map[string]int
	order    []string
	failed   bool
	queued   int
	// agbs to fill in, queued like records.
	agbQueue []personAGB
	// Rows with errors kept in the preview, and those only counted.
	errorRowsKept, hiddenErrorRows, hiddenErrors int
}

type personAGB struct {
	id  int64
	agb string
}

// ImportHistory checks a history file of one kind against a region and,
// unless opt.DryRun, imports it all or nothing. A file with errors returns
// its preview and ErrRefused; nothing is saved.
func ImportHistory(ctx context.Context, db *store.DB, regionID int64, data []byte, opt HistoryOptions) (*Preview, error) {
	spec, ok := historySpecs[opt.Kind]
	if !ok {
		return nil, fmt.Errorf("importer: unknown history kind %q", opt.Kind)
	}
	if opt.PreviewRows == 0 {
		opt.PreviewRows = defaultPreviewRows
	}
	reg, err := db.RegionByID(ctx, regionID)
	if err != nil {
		return nil, err
	}
	p := &Preview{HistoryKind: opt.Kind}
	if opt.Today.IsZero() {
		opt.Today = mtvp.DateOf(clock.Now())
	}
	run := &historyRun{ctx: ctx, db: db, region: reg, today: opt.Today, opt: opt, p: p, counts: map[string]int{}}
	format, src, err := openRows(data)
	p.Format = format
	if err != nil {
		p.fileError("", err)
		return run.refused()
	}
	defer src.close()
	run.serial, run.date1904 = src.serial()
	if !run.header(src, spec) {
		return run.refused()
	}
	run.people, err = loadPeople(ctx, db, regionID)
	if err != nil {
		return nil, err
	}
	run.handler = spec.handler(run)
	if err := run.handler.load(ctx); err != nil {
		return nil, err
	}
	var h *store.HistoryImport
	if !opt.DryRun {
		if h, err = db.BeginHistoryImport(ctx, opt.Actor, regionID, opt.FileName); err != nil {
			return nil, err
		}
		defer h.Rollback()
	}
	rows := 0
	for {
		cells, num, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			p.fileError("", err)
			return run.refused()
		}
		rows++
		r := &hrow{run: run, num: num, cells: cells, shown: rows <= opt.PreviewRows}
		run.handler.row(r)
		run.keep(r, rows)
		if len(r.errs) > 0 && !run.failed {
			run.failed = true
			if err := run.flush(nil); err != nil {
				return nil, err
			}
		}
		if !run.failed {
			run.queued++
			if h != nil && run.queued >= historyChunk {
				if err := run.flush(h); err != nil {
					return nil, err
				}
			}
		}
	}
	p.HistoryRows = rows
	if rows == 0 {
		p.FileErrors = append(p.FileErrors, CellError{Key: "import.err.empty"})
	}
	for _, k := range run.order {
		p.HistoryCounts = append(p.HistoryCounts, HistoryCount{Key: k, N: run.counts[k]})
	}
	if run.failed || len(p.FileErrors) > 0 {
		return run.refused()
	}
	// A file that changes nothing (imported before) writes nothing, not
	// even the run's entry.
	if h != nil && run.changed() {
		if err := run.flush(h); err != nil {
			return nil, err
		}
		summary := make([]mtvp.Change, 0, len(p.HistoryCounts)+1)
		summary = append(summary, mtvp.Change{Field: "Rows", New: strconv.Itoa(rows)})
		for _, c := range p.HistoryCounts {
			summary = append(summary, mtvp.Change{Field: c.Key, New: strconv.Itoa(c.N)})
		}
		if err := h.Commit(string(opt.Kind), summary); err != nil {
			return nil, err
		}
	}
	p.historyOK = true
	return p, nil
}

// changed reports whether any row creates or changes something.
func (run *historyRun) changed() bool {
	for k, n := range run.counts {
		if k != effUnchanged && n > 0 {
			return true
		}
	}
	return false
}

const effUnchanged = "import.hist.eff.unchanged"

// refused finishes a preview with errors.
func (run *historyRun) refused() (*Preview, error) {
	p := run.p
	p.countErrors()
	p.ErrorRows += run.hiddenErrorRows
	p.ErrorCount += run.hiddenErrors
	return p, ErrRefused
}

// flush writes what the rows queued (h nil: drops it).
func (run *historyRun) flush(h *store.HistoryImport) error {
	if h != nil {
		for _, a := range run.agbQueue {
			if err := h.SetPersonAGB(a.id, a.agb); err != nil {
				return err
			}
		}
	}
	run.agbQueue = run.agbQueue[:0]
	run.queued = 0
	return run.handler.flush(h)
}

// header finds the header row among the first ten rows and maps its
// columns; missing required columns refuse the file.
func (run *historyRun) header(src rowSource, spec historySpec) bool {
	aliases := map[string]string{}
	for _, c := range spec.columns {
		aliases[normHeader(c.Header)] = c.Key
		for _, a := range c.Aliases {
			aliases[normHeader(a)] = c.Key
		}
	}
	for i := 0; i < 10; i++ {
		cells, num, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			run.p.fileError("", err)
			return false
		}
		colOf := map[string]int{}
		var headers []string
		var ignored []string
		for j, c := range cells {
			h := strings.TrimSpace(c.text)
			headers = append(headers, h)
			key, ok := aliases[normHeader(h)]
			if !ok {
				if h != "" {
					ignored = append(ignored, h)
				}
				continue
			}
			if prev, dup := colOf[key]; dup {
				run.p.FileErrors = append(run.p.FileErrors, CellError{Column: h, Key: "import.err.duplicate_column", Args: []any{headers[prev], h}})
				continue
			}
			colOf[key] = j
		}
		if len(colOf) == 0 {
			continue
		}
		for len(headers) > 0 && headers[len(headers)-1] == "" {
			headers = headers[:len(headers)-1]
		}
		for _, c := range spec.columns {
			if _, ok := colOf[c.Key]; c.Required && !ok {
				run.p.FileErrors = append(run.p.FileErrors, CellError{Column: c.Header, Key: "import.err.missing_column", Args: []any{c.Header}})
			}
		}
		run.colOf, run.headers = colOf, headers
		run.p.Tables = []Table{{HeaderRow: num, Headers: headers, Ignored: ignored}}
		run.table = &run.p.Tables[0]
		return len(run.p.FileErrors) == 0
	}
	if len(run.p.FileErrors) == 0 {
		run.p.FileErrors = append(run.p.FileErrors, CellError{Key: "import.hist.err.no_header", Args: []any{spec.columns[0].Header}})
	}
	return false
}

// keep adds a row to the preview: the first clean rows and every row with
// errors (up to a cap; the rest are only counted).
func (run *historyRun) keep(r *hrow, n int) {
	for _, e := range r.effects {
		if _, ok := run.counts[e.Key]; !ok {
			run.order = append(run.order, e.Key)
		}
		run.counts[e.Key]++
	}
	if len(r.errs) == 0 && n > run.opt.PreviewRows {
		return
	}
	if len(r.errs) > 0 && run.errorRowsKept >= maxErrorRows {
		run.hiddenErrorRows++
		run.hiddenErrors += len(r.errs)
		return
	}
	if len(r.errs) > 0 {
		run.errorRowsKept++
	}
	rr := RowResult{Row: r.num, Cells: make([]string, len(run.headers)), Errors: r.errs}
	if len(r.errs) == 0 {
		rr.Effects = r.effects // a row with errors creates nothing
	}
	for j := range run.headers {
		if j < len(r.cells) {
			rr.Cells[j] = r.cells[j].text
		}
	}
	run.table.Rows = append(run.table.Rows, rr)
}

// hrow is one data row while it is checked.
type hrow struct {
	run     *historyRun
	shown   bool // among the clean rows the preview shows
	num     int
	cells   []cell
	errs    []CellError
	effects []Effect
}

// get returns a cell by column key (trimmed; zero when the column is
// absent).
func (r *hrow) get(key string) cell {
	j, ok := r.run.colOf[key]
	if !ok || j >= len(r.cells) {
		return cell{}
	}
	c := r.cells[j]
	c.text = strings.TrimSpace(c.text)
	c.raw = strings.TrimSpace(c.raw)
	return c
}

func (r *hrow) text(key string) string { return r.get(key).text }

// header is the column's header as in the file.
func (r *hrow) header(key string) string {
	if j, ok := r.run.colOf[key]; ok && j < len(r.run.headers) {
		return r.run.headers[j]
	}
	for _, c := range historySpecs[r.run.opt.Kind].columns {
		if c.Key == key {
			return c.Header
		}
	}
	return key
}

// fail records an error in a column (once per column).
func (r *hrow) fail(key, msg string, args ...any) {
	h := r.header(key)
	for _, e := range r.errs {
		if e.Column == h {
			return
		}
	}
	r.errs = append(r.errs, CellError{Column: h, Key: msg, Value: r.text(key), Args: args})
}

// failFields maps a domain validation error's fields to columns.
func (r *hrow) failFields(err error, fields map[string]string, fallback string) {
	fe := mtvp.FieldErrorsOf(err)
	if len(fe) == 0 {
		r.fail(fallback, "err.internal")
		return
	}
	names := make([]string, 0, len(fe))
	for f := range fe {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		col := fields[f]
		if col == "" {
			col = fallback
		}
		r.fail(col, fe[f])
	}
}

func (r *hrow) ok() bool { return len(r.errs) == 0 }

// effect records what the row creates or changes.
func (r *hrow) effect(key string, args ...any) {
	r.effects = append(r.effects, Effect{Key: key, Args: args})
}

// required reads a cell that must not be empty.
func (r *hrow) required(key string) string {
	v := r.text(key)
	if v == "" {
		r.fail(key, "err.required")
	}
	return v
}

// date reads a date cell: a spreadsheet serial number in XLSX, else the
// forms mtvp.ParseDate accepts. An empty cell is the zero date (with an
// error when required).
func (r *hrow) date(key string, required bool) mtvp.Date {
	c := r.get(key)
	if c.text == "" {
		if required {
			r.fail(key, "err.required")
		}
		return mtvp.Date{}
	}
	if r.run.serial && c.number {
		if f, err := strconv.ParseFloat(c.raw, 64); err == nil && f > 0 && f < 2958466 {
			if tm, err := excelDate(f, r.run.date1904); err == nil {
				return mtvp.NewDate(tm.Year(), tm.Month(), tm.Day())
			}
		}
	}
	d, ok := dutchDate(c.text)
	var err error
	if !ok {
		d, err = mtvp.ParseDate(c.text)
	}
	if err != nil {
		r.fail(key, "err.date_format")
		return mtvp.Date{}
	}
	if d.After(r.run.today) {
		r.fail(key, "import.hist.err.date_future")
		return mtvp.Date{}
	}
	return d
}

// dutchDate reads dd-mm-yyyy, the common case, without mtvp.ParseDate's
// tries of other layouts; ok is false for anything else (and for a day
// that does not exist, which ParseDate then refuses).
func dutchDate(s string) (mtvp.Date, bool) {
	if len(s) != 10 || s[2] != '-' || s[5] != '-' {
		return mtvp.Date{}, false
	}
	num := func(t string) (int, bool) {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return 0, false
			}
			n = n*10 + int(t[i]-'0')
		}
		return n, true
	}
	d, ok1 := num(s[:2])
	m, ok2 := num(s[3:5])
	y, ok3 := num(s[6:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return mtvp.Date{}, false
	}
	date := mtvp.NewDate(y, time.Month(m), d)
	if date.Day() != d {
		return mtvp.Date{}, false // 31-02: not a day
	}
	return date, true
}

// year reads a calendar year.
func (r *hrow) year(key string) int {
	c := r.get(key)
	if c.text == "" {
		r.fail(key, "err.required")
		return 0
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(c.raw, ",", "."), 64)
	y := int(f)
	if err != nil || f != math.Trunc(f) || y < 2000 || y > r.run.today.Year()+1 {
		r.fail(key, "import.hist.err.year")
		return 0
	}
	return y
}

// practice reads the practice AGB column (zero practice when empty).
func (r *hrow) practice(required bool) (mtvp.PracticeSummary, bool) {
	agb := agbValue(r.get(colPractice))
	if agb == "" {
		if required {
			r.fail(colPractice, "err.required")
		}
		return mtvp.PracticeSummary{}, !required
	}
	p, ok := r.run.people.practices[agb]
	if !ok {
		r.fail(colPractice, "import.hist.err.practice_unknown", agb)
		return p, false
	}
	return p, true
}

// ---- Summary texts ----

// HistorySummary describes a checked or imported history file: rows, then
// what it creates and changes.
func HistorySummary(p *Preview, lang string) string {
	parts := []string{Count(lang, "import.n_rows", p.HistoryRows)}
	for _, c := range p.HistoryCounts {
		parts = append(parts, Count(lang, c.Key+".n", c.N))
	}
	return strings.Join(parts, "; ")
}
