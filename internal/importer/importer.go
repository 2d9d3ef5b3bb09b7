// Package importer reads the practice and staff lists regions already keep
// (CSV or XLSX, Dutch or English headers) and checks every row before
// anything is saved. Parse is pure: the region's existing practices come in
// as a lookup, and the result is a Preview with every row's errors and, when
// there are none, an mtvp.ImportBatch for store.ApplyImport.
package importer

import (
	"math"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// Kind says what a file holds.
type Kind string

const (
	KindPractices Kind = "praktijken"   // practices only
	KindStaff     Kind = "medewerkers"  // staff of practices in the file or the region
	KindCombined  Kind = "gecombineerd" // practices and staff (one row per staff member)
)

// CellError is one problem in a row. Column is the header as written in the
// file (or the canonical header when the column is absent); Key is an i18n
// message key; Args fill the message's verbs.
type CellError struct {
	Column string
	Key    string
	Value  string
	Args   []any
}

// Message is the error in a language.
func (e CellError) Message(lang string) string { return i18n.T(lang, e.Key, e.Args...) }

// RowResult is one data row of the file.
type RowResult struct {
	Sheet  string // XLSX sheet; "" for CSV
	Row    int    // spreadsheet row number (header = row 1)
	Cells  []string
	Values map[string]string // header → cell text
	Errors []CellError
	// Effects: what a history row will create or change.
	Effects []Effect
}

// ErrorsFor returns the row's errors of one column.
func (r RowResult) ErrorsFor(header string) []CellError {
	var out []CellError
	for _, e := range r.Errors {
		if e.Column == header {
			out = append(out, e)
		}
	}
	return out
}

// Table is one sheet of the file (or the CSV file) with its rows.
type Table struct {
	Sheet     string
	HeaderRow int
	Headers   []string // as in the file
	Fields    []Field  // per header; "" = column not recognised (ignored)
	Ignored   []string // headers not recognised
	Kind      Kind
	Rows      []RowResult
}

// Preview is the checked file.
type Preview struct {
	Format string // FormatCSV or FormatXLSX
	Kind   Kind
	Tables []Table
	// FileErrors refuse the whole file (wrong type, missing column, empty).
	FileErrors []CellError
	// Batch is nil when there is any error.
	Batch *mtvp.ImportBatch

	Practices         int // distinct practices in the file
	PracticesNew      int
	PracticesExisting int // already in the region: updated
	Staff             int // staff rows (memberships)
	People            int // distinct people in the staff rows
	ErrorCount        int // file errors plus cell errors
	ErrorRows         int // rows with at least one error

	// A history list (see history.go): its kind, its data rows and what it
	// creates and changes. Tables hold only the first rows and the rows
	// with errors.
	HistoryKind   HistoryKind
	HistoryRows   int
	HistoryCounts []HistoryCount
	historyOK     bool
}

// countErrors sets ErrorCount and ErrorRows from the file errors and the
// rows' errors.
func (p *Preview) countErrors() {
	p.ErrorCount = len(p.FileErrors)
	for _, t := range p.Tables {
		for _, r := range t.Rows {
			if len(r.Errors) > 0 {
				p.ErrorRows++
				p.ErrorCount += len(r.Errors)
			}
		}
	}
}

// OK reports a file without any error.
func (p *Preview) OK() bool { return p.Batch != nil || p.historyOK }

// Rows returns the rows of all tables in order.
func (p *Preview) Rows() []RowResult {
	var out []RowResult
	for _, t := range p.Tables {
		out = append(out, t.Rows...)
	}
	return out
}

// Errors returns every error with its place, file errors first, for
// reports.
func (p *Preview) Errors() []Located {
	var out []Located
	for _, e := range p.FileErrors {
		out = append(out, Located{CellError: e})
	}
	for _, t := range p.Tables {
		for _, r := range t.Rows {
			for _, e := range r.Errors {
				out = append(out, Located{Sheet: r.Sheet, Row: r.Row, CellError: e})
			}
		}
	}
	return out
}

// Located is an error with its sheet and row (0 for file errors).
type Located struct {
	Sheet string
	Row   int
	CellError
}

// Parse reads and checks an import file. existing reports whether a
// practice AGB code already exists in the region (nil: none exist).
func Parse(data []byte, existing func(agb string) bool) *Preview {
	if existing == nil {
		existing = func(string) bool { return false }
	}
	p := &Preview{}
	format, tables, err := readFile(data)
	p.Format = format
	if err != nil {
		p.fileError("", err)
		return p
	}
	c := &checker{p: p, existing: existing, practices: map[string]*practiceEntry{}, staff: map[string]int{}, people: map[string]personEntry{}}
	for _, t := range tables {
		c.table(t)
	}
	if len(p.FileErrors) == 0 && c.dataRows == 0 {
		p.FileErrors = append(p.FileErrors, CellError{Key: "import.err.empty"})
	}
	c.finish()
	return p
}

func (p *Preview) fileError(column string, err error) {
	if fp, ok := err.(*fileProblem); ok {
		p.FileErrors = append(p.FileErrors, CellError{Column: column, Key: fp.key, Args: fp.args})
		return
	}
	p.FileErrors = append(p.FileErrors, CellError{Column: column, Key: "import.err.type"})
}

// practiceEntry is a practice as first defined in the file, merged with
// later rows of the same AGB.
type practiceEntry struct {
	row      int
	sheet    string
	values   map[Field]string // normalised, for comparing repeated rows
	practice mtvp.Practice
	bad      bool // the row defining it has errors
}

type personEntry struct {
	row   int
	name  string
	email string
	big   string
}

// staffRow is a staff row waiting for the check of its practice.
type staffRow struct {
	result *RowResult
	agbCol string
	agb    string
	item   mtvp.ImportStaff
}

type checker struct {
	p         *Preview
	existing  func(string) bool
	practices map[string]*practiceEntry
	order     []string // practice AGBs in file order
	staff     map[string]int
	people    map[string]personEntry
	pending   []staffRow
	dataRows  int
	kinds     map[Kind]bool
}

// table checks one sheet.
func (c *checker) table(t table) {
	hdr := -1
	for i, row := range t.rows {
		if i >= 10 {
			break
		}
		for _, cl := range row {
			if fieldOf(cl.text) == FieldAGB {
				hdr = i
				break
			}
		}
		if hdr >= 0 {
			break
		}
	}
	if hdr < 0 {
		c.p.FileErrors = append(c.p.FileErrors, CellError{Column: columnOf[FieldAGB].Header, Key: "import.err.missing_column", Args: []any{columnOf[FieldAGB].Header}, Value: t.sheet})
		return
	}
	// Rows are addressed by pointer while checking: no reallocation.
	tb := Table{Sheet: t.sheet, HeaderRow: hdr + 1, Rows: make([]RowResult, 0, len(t.rows))}
	colOf := map[Field]int{}
	headerCells := t.rows[hdr]
	// Excel often writes empty cells after the last heading (";;;").
	for len(headerCells) > 0 && strings.TrimSpace(headerCells[len(headerCells)-1].text) == "" {
		headerCells = headerCells[:len(headerCells)-1]
	}
	for j, cl := range headerCells {
		h := strings.TrimSpace(cl.text)
		if h == "" {
			h = "(" + colName(j) + ")"
		}
		f := fieldOf(h)
		if f != "" {
			if prev, dup := colOf[f]; dup {
				c.p.FileErrors = append(c.p.FileErrors, CellError{Column: h, Key: "import.err.duplicate_column", Args: []any{tb.Headers[prev], h}, Value: t.sheet})
				f = ""
			} else {
				colOf[f] = j
			}
		} else if strings.TrimSpace(cl.text) != "" {
			tb.Ignored = append(tb.Ignored, h)
		}
		tb.Headers = append(tb.Headers, h)
		tb.Fields = append(tb.Fields, f)
	}
	has := func(f Field) bool { _, ok := colOf[f]; return ok }
	hasPractice := has(FieldPracticeName)
	hasStaff := has(FieldName) || has(FieldRole)
	switch {
	case hasPractice && hasStaff:
		tb.Kind = KindCombined
	case hasPractice:
		tb.Kind = KindPractices
	case hasStaff:
		tb.Kind = KindStaff
	default:
		c.p.FileErrors = append(c.p.FileErrors, CellError{Column: columnOf[FieldPracticeName].Header, Key: "import.err.missing_content", Value: t.sheet})
		return
	}
	missing := false
	for _, col := range Columns {
		if col.Required == "staff" && hasStaff && !has(col.Field) {
			c.p.FileErrors = append(c.p.FileErrors, CellError{Column: col.Header, Key: "import.err.missing_column", Args: []any{col.Header}, Value: t.sheet})
			missing = true
		}
	}
	if missing {
		c.p.Tables = append(c.p.Tables, tb)
		return
	}
	if c.kinds == nil {
		c.kinds = map[Kind]bool{}
	}
	c.kinds[tb.Kind] = true

	header := func(f Field) string {
		if j, ok := colOf[f]; ok {
			return tb.Headers[j]
		}
		return columnOf[f].Header
	}
	for i := hdr + 1; i < len(t.rows); i++ {
		row := t.rows[i]
		empty := true
		for _, cl := range row {
			if strings.TrimSpace(cl.text) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		c.dataRows++
		// Spreadsheet dates show as the file's number format would (often
		// the American 03-31-24); show them the Dutch way instead.
		for _, f := range []Field{FieldJoinedOn, FieldFrom, FieldTo} {
			if j, ok := colOf[f]; ok && j < len(row) && row[j].number && t.serialDates {
				if d, ok := serialDate(&t, row[j].raw); ok {
					row[j].text = d.Short()
				}
			}
		}
		rr := RowResult{Sheet: t.sheet, Row: i + 1, Values: map[string]string{}, Cells: make([]string, len(tb.Headers))}
		for j := range tb.Headers {
			if j < len(row) {
				rr.Cells[j] = row[j].text
				rr.Values[tb.Headers[j]] = row[j].text
			}
		}
		get := func(f Field) cell {
			if j, ok := colOf[f]; ok && j < len(row) {
				cl := row[j]
				cl.text = strings.TrimSpace(cl.text)
				cl.raw = strings.TrimSpace(cl.raw)
				return cl
			}
			return cell{}
		}
		tb.Rows = append(tb.Rows, rr)
		c.row(&t, &tb.Rows[len(tb.Rows)-1], tb.Kind, get, header)
	}
	c.p.Tables = append(c.p.Tables, tb)
}

// colName names a column by letter (A, B, …, AA) for headerless columns.
func colName(j int) string {
	s := ""
	for j++; j > 0; j = (j - 1) / 26 {
		s = string(rune('A'+(j-1)%26)) + s
	}
	return s
}

// row checks one data row: its practice part and its staff part.
func (c *checker) row(t *table, rr *RowResult, kind Kind, get func(Field) cell, header func(Field) string) {
	errs := map[Field]CellError{}
	add := func(f Field, key string, args ...any) {
		if _, ok := errs[f]; !ok {
			errs[f] = CellError{Column: header(f), Key: key, Value: get(f).text, Args: args}
		}
	}
	defer func() {
		// Errors in column order, so the report reads left to right.
		for _, col := range Columns {
			if e, ok := errs[col.Field]; ok {
				rr.Errors = append(rr.Errors, e)
			}
		}
	}()

	agb := agbValue(get(FieldAGB))
	name := get(FieldPracticeName).text
	staffPart := kind != KindPractices && (get(FieldName).text != "" || get(FieldRole).text != "")
	practicePart := kind == KindPractices || (kind == KindCombined && (name != "" || !staffPart))

	if practicePart {
		c.practiceRow(t, rr, agb, get, add, errs)
	}
	if staffPart {
		c.staffRow(t, rr, agb, get, add, errs, header)
	}
}

// practiceRow reads and checks the practice columns of a row.
func (c *checker) practiceRow(t *table, rr *RowResult, agb string, get func(Field) cell, add func(Field, string, ...any), errs map[Field]CellError) {
	pr := mtvp.Practice{
		AGB:        agb,
		Name:       get(FieldPracticeName).text,
		Street:     get(FieldStreet).text,
		Postcode:   get(FieldPostcode).text,
		City:       get(FieldCity).text,
		InflowWave: get(FieldInflowWave).text,
	}
	if v := get(FieldPatients); v.text != "" {
		n, ok := parseCount(v)
		if !ok {
			add(FieldPatients, "err.number_format")
		}
		pr.RegisteredPatients = n
	}
	pr.JoinedOn = c.date(t, get(FieldJoinedOn), FieldJoinedOn, add)
	if v := get(FieldStatus).text; v != "" {
		st, ok := parseStatus(v)
		if !ok {
			add(FieldStatus, "import.err.status_unknown", statusList())
		}
		pr.Status = st
	}
	statusCell := pr.Status
	pr.Normalize()
	if err := pr.Validate(); err != nil {
		for field, key := range mtvp.FieldErrorsOf(err) {
			f := practiceFields[field]
			if f == "" {
				f = FieldPracticeName
			}
			add(f, key)
		}
	}
	// An empty status keeps the current one of an existing practice; the
	// store gives new practices the default.
	pr.Status = statusCell
	if _, bad := errs[FieldAGB]; bad || agb == "" {
		return
	}
	vals := map[Field]string{
		FieldPracticeName: strings.ToLower(pr.Name), FieldStreet: strings.ToLower(pr.Street), FieldPostcode: pr.Postcode,
		FieldCity: strings.ToLower(pr.City), FieldJoinedOn: pr.JoinedOn.String(), FieldInflowWave: pr.InflowWave, FieldStatus: string(statusCell),
	}
	if pr.RegisteredPatients != 0 {
		vals[FieldPatients] = strconv.Itoa(pr.RegisteredPatients)
	}
	bad := len(errs) > 0
	first, seen := c.practices[agb]
	if !seen {
		c.practices[agb] = &practiceEntry{row: rr.Row, sheet: rr.Sheet, values: vals, practice: pr, bad: bad}
		c.order = append(c.order, agb)
		return
	}
	// The same practice again (a combined file repeats it on every staff
	// row): the data must agree; cells left empty take the earlier value.
	for _, col := range Columns {
		if !col.Practice || col.Field == FieldAGB {
			continue
		}
		a, b := first.values[col.Field], vals[col.Field]
		if a != "" && b != "" && a != b {
			add(col.Field, "import.err.practice_differs", agb, where(first.sheet, first.row, rr.Sheet))
		} else if a == "" && b != "" {
			first.values[col.Field] = b
			mergePractice(&first.practice, pr, col.Field)
		}
	}
	first.bad = first.bad || bad
}

// where names an earlier row for a message: "rij 4", or "rij 4 van blad
// Praktijken" when it is on another sheet.
func where(sheet string, row int, current string) string {
	if sheet != current && sheet != "" {
		return strconv.Itoa(row) + " (" + sheet + ")"
	}
	return strconv.Itoa(row)
}

func mergePractice(dst *mtvp.Practice, src mtvp.Practice, f Field) {
	switch f {
	case FieldPracticeName:
		dst.Name = src.Name
	case FieldStreet:
		dst.Street = src.Street
	case FieldPostcode:
		dst.Postcode = src.Postcode
	case FieldCity:
		dst.City = src.City
	case FieldPatients:
		dst.RegisteredPatients = src.RegisteredPatients
	case FieldJoinedOn:
		dst.JoinedOn = src.JoinedOn
		if dst.InflowWave == "" {
			dst.InflowWave = src.InflowWave
		}
	case FieldInflowWave:
		dst.InflowWave = src.InflowWave
	case FieldStatus:
		dst.Status = src.Status
	}
}

// practiceFields maps mtvp.Practice validation fields to columns.
var practiceFields = map[string]Field{
	"agb": FieldAGB, "name": FieldPracticeName, "postcode": FieldPostcode, "registered_patients": FieldPatients,
	"inflow_wave": FieldInflowWave, "status": FieldStatus, "joined_on": FieldJoinedOn,
}

// staffFields maps mtvp.Person and Membership validation fields to columns.
var staffFields = map[string]Field{
	"name": FieldName, "email": FieldEmail, "big": FieldBIG, "kabiz": FieldKABIZ,
	"role": FieldRole, "fte": FieldFTE, "from": FieldFrom, "to": FieldTo,
}

// staffRow reads and checks the staff columns of a row.
func (c *checker) staffRow(t *table, rr *RowResult, agb string, get func(Field) cell, add func(Field, string, ...any), errs map[Field]CellError, header func(Field) string) {
	person := mtvp.Person{Name: get(FieldName).text, Email: get(FieldEmail).text, BIG: idValue(get(FieldBIG)), KABIZ: idValue(get(FieldKABIZ))}
	m := mtvp.Membership{}
	if v := get(FieldRole).text; v != "" {
		role, ok := ParseRole(v)
		if !ok {
			add(FieldRole, "import.err.role_unknown", roleList())
		}
		m.Role = role
	} else {
		add(FieldRole, "err.required")
	}
	if v := get(FieldFTE); v.text != "" {
		f, ok := parseFTE(v)
		if !ok {
			add(FieldFTE, "err.number_format")
		}
		m.FTE = f
	}
	m.From = c.date(t, get(FieldFrom), FieldFrom, add)
	m.To = c.date(t, get(FieldTo), FieldTo, add)
	if agb == "" {
		add(FieldAGB, "err.required")
	} else if !mtvp.ValidAGB(agb) {
		add(FieldAGB, "err.agb_format")
	}
	person.Normalize()
	m.Normalize()
	if err := mtvp.ValidateStaff(&person, &m); err != nil {
		for field, key := range mtvp.FieldErrorsOf(err) {
			f := staffFields[field]
			if f == "" {
				f = FieldName
			}
			add(f, key)
		}
	}
	if len(errs) > 0 {
		c.pending = append(c.pending, staffRow{result: rr, agb: ""})
		return
	}
	// One person in several rows (a locum at two practices) must be the
	// same person everywhere.
	key := personKey(person)
	if prev, ok := c.people[key]; ok {
		if prev.big != "" && person.BIG != "" && !strings.EqualFold(prev.name, person.Name) {
			add(FieldName, "import.err.person_differs", prev.row, prev.name)
		} else if prev.email != "" && person.Email != "" && prev.email != person.Email {
			add(FieldEmail, "import.err.person_differs", prev.row, prev.email)
		}
	} else {
		c.people[key] = personEntry{row: rr.Row, name: person.Name, email: person.Email, big: person.BIG}
	}
	if person.Email != "" && person.BIG != "" {
		if prev, ok := c.people["email:"+person.Email]; ok && prev.big != "" && prev.big != person.BIG {
			add(FieldBIG, "import.err.person_differs", prev.row, prev.big)
		} else if !ok {
			c.people["email:"+person.Email] = personEntry{row: rr.Row, name: person.Name, email: person.Email, big: person.BIG}
		}
	}
	dup := agb + "|" + key + "|" + string(m.Role) + "|" + m.From.String()
	if first, ok := c.staff[dup]; ok {
		add(FieldName, "import.err.duplicate_staff", first)
	} else {
		c.staff[dup] = rr.Row
	}
	c.pending = append(c.pending, staffRow{result: rr, agbCol: header(FieldAGB), agb: agb,
		item: mtvp.ImportStaff{Row: rr.Row, PracticeAGB: agb, Person: person, Membership: m}})
}

// personKey identifies a person within the file: BIG number, else e-mail,
// else name — the order in which the store matches people.
func personKey(p mtvp.Person) string {
	switch {
	case p.BIG != "":
		return "big:" + p.BIG
	case p.Email != "":
		return "email:" + p.Email
	}
	return "name:" + strings.ToLower(p.Name)
}

// finish checks staff rows against the practices of the file and region,
// counts, and builds the batch when nothing is wrong.
func (c *checker) finish() {
	p := c.p
	staffOK := make([]mtvp.ImportStaff, 0, len(c.pending))
	people := map[string]bool{}
	for _, s := range c.pending {
		if s.agb == "" {
			continue
		}
		_, inFile := c.practices[s.agb]
		if !inFile && !c.existing(s.agb) {
			s.result.Errors = append([]CellError{{Column: s.agbCol, Key: "import.err.practice_unknown", Value: s.agb, Args: []any{s.agb}}}, s.result.Errors...)
			continue
		}
		if len(s.result.Errors) > 0 {
			continue
		}
		staffOK = append(staffOK, s.item)
		people[personKey(s.item.Person)] = true
	}
	p.Staff = len(c.pending)
	p.People = len(people)
	for _, agb := range c.order {
		p.Practices++
		if c.existing(agb) {
			p.PracticesExisting++
		} else {
			p.PracticesNew++
		}
	}
	switch {
	case c.kinds[KindCombined] || c.kinds[KindPractices] && c.kinds[KindStaff]:
		p.Kind = KindCombined
	case c.kinds[KindPractices]:
		p.Kind = KindPractices
	case c.kinds[KindStaff]:
		p.Kind = KindStaff
	}
	p.countErrors()
	if p.ErrorCount > 0 {
		return
	}
	b := &mtvp.ImportBatch{Staff: staffOK}
	for _, agb := range c.order {
		b.Practices = append(b.Practices, c.practices[agb].practice)
	}
	p.Batch = b
}

// ---- Values ----

// agbValue reads an AGB code. A number cell in XLSX drops the leading zero
// of GP practice codes (01…), so a 7-digit number is padded back.
func agbValue(c cell) string {
	v := strings.ReplaceAll(strings.ReplaceAll(c.text, " ", ""), ".", "")
	if c.number {
		v = idValue(c)
		if len(v) == 7 && isDigits(v) {
			v = "0" + v
		}
	}
	return v
}

// idValue reads a number used as an identifier (BIG, KABIZ): a number cell
// may come as 1.2345678901E10 or with a decimal point.
func idValue(c cell) string {
	if c.number {
		if f, err := strconv.ParseFloat(c.raw, 64); err == nil && f == math.Trunc(f) && f >= 0 && f < 1e15 {
			return strconv.FormatFloat(f, 'f', 0, 64)
		}
	}
	return strings.ReplaceAll(c.text, " ", "")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// parseCount reads a whole number; Dutch thousands separators ("2.500")
// are allowed.
func parseCount(c cell) (int, bool) {
	if c.number {
		f, err := strconv.ParseFloat(c.raw, 64)
		if err == nil && f == math.Trunc(f) && math.Abs(f) < 1e9 {
			return int(f), true
		}
		return 0, false
	}
	v := strings.ReplaceAll(strings.ReplaceAll(c.text, ".", ""), " ", "")
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// parseFTE reads a decimal written "0,8" or "0.8"; "80%" is 0.8.
func parseFTE(c cell) (float64, bool) {
	if c.number {
		f, err := strconv.ParseFloat(c.raw, 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	v := strings.ReplaceAll(strings.TrimSpace(c.text), ",", ".")
	pct := strings.HasSuffix(v, "%")
	v = strings.TrimSpace(strings.TrimSuffix(v, "%"))
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	if pct {
		f /= 100
	}
	return f, true
}

// date reads a date cell: a spreadsheet serial number in XLSX, else the
// forms mtvp.ParseDate accepts (31-12-2024, 2024-12-31).
func (c *checker) date(t *table, v cell, f Field, add func(Field, string, ...any)) mtvp.Date {
	if v.text == "" {
		return mtvp.Date{}
	}
	if t.serialDates && v.number {
		if d, ok := serialDate(t, v.raw); ok {
			return d
		}
	}
	d, err := mtvp.ParseDate(v.text)
	if err != nil {
		add(f, "err.date_format")
	}
	return d
}

// serialDate reads a spreadsheet serial date (days since 1900 or 1904).
func serialDate(t *table, raw string) (mtvp.Date, bool) {
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil || serial <= 0 || serial >= 2958466 {
		return mtvp.Date{}, false
	}
	tm, err := excelDate(serial, t.date1904)
	if err != nil {
		return mtvp.Date{}, false
	}
	return mtvp.NewDate(tm.Year(), tm.Month(), tm.Day()), true
}

// parseStatus accepts the status codes and common spellings.
func parseStatus(s string) (mtvp.PracticeStatus, bool) {
	switch normHeader(s) {
	case "aangemeld", "interesse", "geinteresseerd", "interested", "signedup", "nognietgestart":
		return mtvp.PracticeInterested, true
	case "actief", "deelnemer", "deelnemend", "gestart", "active", "participating":
		return mtvp.PracticeActive, true
	case "gestopt", "gestoptmetmtvp", "stopped", "left":
		return mtvp.PracticeStopped, true
	}
	return "", false
}

func statusList() string {
	var out []string
	for _, s := range mtvp.PracticeStatuses {
		out = append(out, string(s))
	}
	return strings.Join(out, ", ")
}

// extraRoles: spellings of roles beyond mtvp.ParseStaffRole.
var extraRoles = map[string]mtvp.StaffRole{
	"huisartspraktijkhouder":    mtvp.RolePraktijkhouder,
	"praktijkhoudendhuisarts":   mtvp.RolePraktijkhouder,
	"practiceowner":             mtvp.RolePraktijkhouder,
	"gppartner":                 mtvp.RolePraktijkhouder,
	"partner":                   mtvp.RolePraktijkhouder,
	"huisartsinloondienst":      mtvp.RoleHidha,
	"salariedgp":                mtvp.RoleHidha,
	"employedgp":                mtvp.RoleHidha,
	"vastewaarnemendhuisarts":   mtvp.RoleVasteWaarnemer,
	"regularlocum":              mtvp.RoleVasteWaarnemer,
	"fixedlocum":                mtvp.RoleVasteWaarnemer,
	"waarnemendhuisarts":        mtvp.RoleWaarnemer,
	"assistant":                 mtvp.RoleDoktersassistent,
	"doctorsassistant":          mtvp.RoleDoktersassistent,
	"doktersassistenten":        mtvp.RoleDoktersassistent,
	"pohsomatiek":               mtvp.RolePOHSomatiek,
	"practicenurse":             mtvp.RolePOHSomatiek,
	"praktijkondersteuner":      mtvp.RolePOHSomatiek,
	"pohgezondheid":             mtvp.RolePOHSomatiek,
	"mentalhealthnurse":         mtvp.RolePOHGGZ,
	"mentalhealthpracticenurse": mtvp.RolePOHGGZ,
	"practicemanager":           mtvp.RolePraktijkmanager,
	"other":                     mtvp.RoleOverig,
	"anders":                    mtvp.RoleOverig,
}

// ParseRole reads a staff role: what mtvp.ParseStaffRole accepts plus a few
// more spellings found in regions' lists, Dutch and English.
func ParseRole(s string) (mtvp.StaffRole, bool) {
	if r, ok := mtvp.ParseStaffRole(s); ok {
		return r, true
	}
	if r, ok := extraRoles[normHeader(s)]; ok {
		return r, true
	}
	return "", false
}

// roleList names the roles as a spreadsheet would spell them.
func roleList() string {
	var out []string
	for _, r := range mtvp.StaffRoles {
		switch r {
		case mtvp.RolePOHSomatiek:
			out = append(out, "POH-somatiek")
		case mtvp.RolePOHGGZ:
			out = append(out, "POH-GGZ")
		default:
			out = append(out, strings.ReplaceAll(string(r), "_", " "))
		}
	}
	return strings.Join(out, ", ")
}
