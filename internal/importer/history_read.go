package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// HistoryMaxSize is the largest history file accepted: a region's whole
// past (100,000 rows) fits easily. Rows are read one at a time.
const HistoryMaxSize = 32 << 20

// rowSource streams the rows of a file: next returns the cells of the next
// non-empty row and its spreadsheet number, io.EOF at the end. The cells
// are valid until the following call.
type rowSource interface {
	next() ([]cell, int, error)
	close()
	// serial reports that numbers in date columns are spreadsheet serial
	// dates (XLSX), and whether the workbook counts from 1904.
	serial() (bool, bool)
}

// openRows recognises a file by its content and opens its first table.
func openRows(data []byte) (string, rowSource, error) {
	format, err := sniffFormat(data, HistoryMaxSize)
	if err != nil {
		return "", nil, err
	}
	if format == FormatXLSX {
		s, err := openXLSXRows(data)
		return format, s, err
	}
	s, err := openCSVRows(data)
	return format, s, err
}

// ---- CSV, streamed ----

type csvRows struct {
	r        *csv.Reader
	lastLine int
	row      int
	cells    []cell
}

func openCSVRows(data []byte) (*csvRows, error) {
	var rd io.Reader
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
		rd = bytes.NewReader(data)
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		rd = transform.NewReader(bytes.NewReader(data), unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	default:
		if looksBinary(data) {
			return nil, refuse("import.err.type")
		}
		if utf8.Valid(data) {
			rd = bytes.NewReader(data)
		} else {
			rd = transform.NewReader(bytes.NewReader(data), charmap.Windows1252.NewDecoder())
		}
	}
	// The separator is sniffed from the start of the file.
	head := data
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	r := csv.NewReader(rd)
	r.Comma = sniffSeparator(string(head))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return &csvRows{r: r}, nil
}

func (c *csvRows) next() ([]cell, int, error) {
	for {
		rec, err := c.r.Read()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, refuse("import.err.csv_syntax", pe.Line)
			}
			return nil, 0, refuse("import.err.type")
		}
		// Row numbers are the spreadsheet's: blank lines count, line breaks
		// inside a quoted cell do not.
		start, _ := c.r.FieldPos(0)
		if blank := start - c.lastLine - 1; blank > 0 {
			c.row += blank
		}
		c.row++
		end := start
		c.cells = c.cells[:0]
		empty := true
		for _, v := range rec {
			end += strings.Count(v, "\n")
			c.cells = append(c.cells, cell{text: v, raw: v})
			if strings.TrimSpace(v) != "" {
				empty = false
			}
		}
		c.lastLine = end
		if !empty {
			return c.cells, c.row, nil
		}
	}
}

func (c *csvRows) close()               {}
func (c *csvRows) serial() (bool, bool) { return false, false }

// ---- XLSX, streamed ----

type xlsxRows struct {
	f        *excelize.File
	rows     *excelize.Rows
	row      int
	cells    []cell
	date1904 bool
}

func openXLSXRows(data []byte) (*xlsxRows, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit << 2, UnzipXMLSizeLimit: unzipXMLLimit})
	if err != nil {
		return nil, refuse("import.err.type")
	}
	list := f.GetSheetList()
	if len(list) == 0 {
		f.Close()
		return nil, refuse("import.err.type")
	}
	sheet := list[0]
	for _, s := range list {
		if visible, err := f.GetSheetVisible(s); err == nil && visible {
			sheet = s
			break
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, refuse("import.err.type")
	}
	x := &xlsxRows{f: f, rows: rows}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		x.date1904 = *p.Date1904
	}
	return x, nil
}

func (x *xlsxRows) next() ([]cell, int, error) {
	for x.rows.Next() {
		x.row++
		cols, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, 0, refuse("import.err.type")
		}
		x.cells = x.cells[:0]
		empty := true
		for _, v := range cols {
			c := cell{text: v, raw: v}
			if v != "" {
				if _, err := strconv.ParseFloat(v, 64); err == nil {
					c.number = true
				}
				if strings.TrimSpace(v) != "" {
					empty = false
				}
			}
			x.cells = append(x.cells, c)
		}
		if !empty {
			return x.cells, x.row, nil
		}
	}
	if err := x.rows.Error(); err != nil {
		return nil, 0, refuse("import.err.type")
	}
	return nil, 0, io.EOF
}

func (x *xlsxRows) close() {
	_ = x.rows.Close()
	_ = x.f.Close()
}

func (x *xlsxRows) serial() (bool, bool) { return true, x.date1904 }
