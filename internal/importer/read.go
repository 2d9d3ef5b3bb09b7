package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// MaxSize is the largest file accepted (5 MiB): far more than the biggest
// region's lists, small enough to parse in memory.
const MaxSize = 5 << 20

// Formats recognised by content.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// table is one sheet (or the CSV file) as rows of cells. rows[i] is
// spreadsheet row i+1; a nil row is an empty one.
type table struct {
	sheet string
	rows  [][]cell
	// serialDates: numbers in date columns are spreadsheet serial dates.
	serialDates bool
	date1904    bool
}

// cell is one cell: the text as the spreadsheet shows it and the raw value
// (for XLSX numbers and dates; equal to text for CSV). number reports that
// XLSX stored a number (so a short AGB code lost its leading zero).
type cell struct {
	text   string
	raw    string
	number bool
}

// fileProblem is a reason to refuse a whole file.
type fileProblem struct {
	key  string
	args []any
}

func (p *fileProblem) Error() string { return p.key }

func refuse(key string, args ...any) *fileProblem { return &fileProblem{key: key, args: args} }

// readFile recognises the file by its content and returns its tables.
func readFile(data []byte) (format string, tables []table, err error) {
	if format, err = sniffFormat(data, MaxSize); err != nil {
		return "", nil, err
	}
	if format == FormatXLSX {
		tables, err = readXLSX(data)
	} else {
		tables, err = readCSV(data)
	}
	return format, tables, err
}

// sniffFormat recognises a file by its content (FormatXLSX or FormatCSV)
// and refuses one that is too large, empty or an old .xls.
func sniffFormat(data []byte, maxSize int) (string, error) {
	if len(data) > maxSize {
		return "", refuse("import.err.too_large", maxSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return "", refuse("import.err.empty")
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return FormatXLSX, nil
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		// OLE compound file: old .xls, or an .xlsx with a password.
		return "", refuse("import.err.type_xls")
	}
	return FormatCSV, nil
}

// ---- CSV ----

// decodeText turns the bytes of a text file into a string: UTF-8 with or
// without BOM, UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252
// (what Dutch Excel writes as "CSV (gescheiden door lijstscheidingsteken)").
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		b, err := dec.Bytes(data)
		if err != nil {
			return "", refuse("import.err.encoding")
		}
		data = b
	}
	if looksBinary(data) {
		return "", refuse("import.err.type")
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	b, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", refuse("import.err.encoding")
	}
	return string(b), nil
}

// looksBinary recognises files that are not text: known signatures (PDF,
// images, archives) or control characters a CSV never has.
func looksBinary(data []byte) bool {
	for _, sig := range []string{"%PDF", "\x89PNG", "\xFF\xD8\xFF", "GIF8", "{\\rtf", "\x1F\x8B", "Rar!", "7z\xBC\xAF"} {
		if bytes.HasPrefix(data, []byte(sig)) {
			return true
		}
	}
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	lower := bytes.ToLower(bytes.TrimSpace(head))
	if bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) || bytes.HasPrefix(lower, []byte("<?xml")) {
		return true // HTML or XML saved with a .xls or .csv name
	}
	bad := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			bad++
		}
	}
	return bad > len(head)/100+1
}

// sniffSeparator picks ';', ',' or tab: the one found most often outside
// quotes in the first lines. Dutch Excel writes ';'.
func sniffSeparator(text string) rune {
	counts := map[rune]int{}
	lines, inQuote := 0, false
	for _, r := range text {
		switch {
		case r == '"':
			inQuote = !inQuote
		case r == '\n' && !inQuote:
			lines++
		case !inQuote && (r == ';' || r == ',' || r == '\t'):
			counts[r]++
		}
		if lines >= 10 {
			break
		}
	}
	best := ';'
	for _, r := range []rune{',', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func readCSV(data []byte) ([]table, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sniffSeparator(text)
	r.FieldsPerRecord = -1
	// Strict quoting: a stray quote must not silently swallow the rows
	// after it. Excel always quotes correctly.
	t := table{}
	// Row numbers are the spreadsheet's: one per record, counting blank
	// lines (which encoding/csv skips) but not line breaks inside a quoted
	// cell.
	lastLine, row := 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, refuse("import.err.csv_syntax", pe.Line)
			}
			return nil, refuse("import.err.type")
		}
		start, _ := r.FieldPos(0)
		if blank := start - lastLine - 1; blank > 0 {
			row += blank
			for ; blank > 0; blank-- {
				t.rows = append(t.rows, nil)
			}
		}
		row++
		end := start
		cells := make([]cell, len(rec))
		for i, v := range rec {
			end += strings.Count(v, "\n")
			cells[i] = cell{text: v, raw: v}
		}
		lastLine = end
		t.rows = append(t.rows, cells)
	}
	return []table{t}, nil
}

// ---- XLSX ----

// Unzipped size limits guard against zip bombs.
const (
	unzipLimit    = 64 << 20
	unzipXMLLimit = 16 << 20
)

// sheetNames: a workbook with sheets named so is read sheet by sheet
// (practices first); otherwise its first visible sheet is read.
var sheetNames = []string{"praktijken", "practices", "medewerkers", "staff"}

func readXLSX(data []byte) ([]table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		return nil, refuse("import.err.type")
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) == 0 {
		return nil, refuse("import.err.type")
	}
	var chosen []string
	for _, want := range sheetNames {
		for _, s := range list {
			if normHeader(s) == want {
				chosen = append(chosen, s)
			}
		}
	}
	if len(chosen) == 0 {
		for _, s := range list {
			if visible, err := f.GetSheetVisible(s); err == nil && visible {
				chosen = append(chosen, s)
				break
			}
		}
		if len(chosen) == 0 {
			chosen = list[:1]
		}
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	var out []table
	for _, s := range chosen {
		t, err := readSheet(f, s)
		if err != nil {
			return nil, err
		}
		t.date1904 = date1904
		out = append(out, t)
	}
	return out, nil
}

func readSheet(f *excelize.File, sheet string) (table, error) {
	text, err := f.GetRows(sheet)
	if err != nil {
		return table{}, refuse("import.err.type")
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return table{}, refuse("import.err.type")
	}
	t := table{sheet: sheet, serialDates: true}
	n := max(len(text), len(raw))
	t.rows = make([][]cell, n)
	for i := 0; i < n; i++ {
		var tr, rr []string
		if i < len(text) {
			tr = text[i]
		}
		if i < len(raw) {
			rr = raw[i]
		}
		m := max(len(tr), len(rr))
		if m == 0 {
			continue
		}
		row := make([]cell, m)
		for j := 0; j < m; j++ {
			var c cell
			if j < len(tr) {
				c.text = tr[j]
			}
			if j < len(rr) {
				c.raw = rr[j]
			} else {
				c.raw = c.text
			}
			if _, err := strconv.ParseFloat(c.raw, 64); err == nil && c.raw != "" {
				if name, err := excelize.CoordinatesToCellName(j+1, i+1); err == nil {
					if ct, err := f.GetCellType(sheet, name); err == nil && (ct == excelize.CellTypeUnset || ct == excelize.CellTypeNumber) {
						c.number = true
					}
				}
			}
			row[j] = c
		}
		t.rows[i] = row
	}
	// Merged cells (a practice's AGB spanning its staff rows) count for
	// every cell they cover.
	merged, err := f.GetMergeCells(sheet)
	if err == nil {
		for _, m := range merged {
			c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
			c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err1 != nil || err2 != nil || r1 > len(t.rows) || r1 < 1 {
				continue
			}
			src := cell{}
			if row := t.rows[r1-1]; c1-1 < len(row) {
				src = row[c1-1]
			}
			for r := r1; r <= r2 && r <= len(t.rows); r++ {
				for c := c1; c <= c2; c++ {
					for len(t.rows[r-1]) < c {
						t.rows[r-1] = append(t.rows[r-1], cell{})
					}
					t.rows[r-1][c-1] = src
				}
			}
		}
	}
	return t, nil
}

// excelDate converts a spreadsheet serial date.
func excelDate(serial float64, date1904 bool) (time.Time, error) {
	return excelize.ExcelDateToTime(serial, date1904)
}
