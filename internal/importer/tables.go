package importer

import (
	"errors"
	"strconv"
)

// Sheet is one table of an uploaded file, for other importers (the
// training attendance lists): the cells' text as the spreadsheet shows it,
// and a date read from a cell that holds a spreadsheet serial date.
type Sheet struct {
	Name string
	Rows [][]SheetCell // Rows[i] is spreadsheet row i+1; nil = empty row
}

// SheetCell is a cell's shown text and raw value (equal for CSV).
type SheetCell struct {
	Text string
	Raw  string
}

// Date returns the cell's date as ISO text when the raw value is a
// spreadsheet serial number (an XLSX date cell), else the shown text.
func (c SheetCell) Date(date1904 bool) string {
	if c.Raw != c.Text {
		if f, err := strconv.ParseFloat(c.Raw, 64); err == nil {
			if t, err := excelDate(f, date1904); err == nil {
				return t.Format("2006-01-02")
			}
		}
	}
	return c.Text
}

// ReadSheets recognises a CSV or XLSX file by its content, the same way
// the staff import does (encodings, separators, the first visible sheet),
// and returns its tables. A refused file gives an error whose message key
// and arguments RefusalOf returns.
func ReadSheets(data []byte) (format string, sheets []Sheet, date1904 bool, err error) {
	format, tables, err := readFile(data)
	if err != nil {
		return "", nil, false, err
	}
	for _, t := range tables {
		s := Sheet{Name: t.sheet, Rows: make([][]SheetCell, len(t.rows))}
		for i, row := range t.rows {
			if row == nil {
				continue
			}
			s.Rows[i] = make([]SheetCell, len(row))
			for j, c := range row {
				s.Rows[i][j] = SheetCell{Text: c.text, Raw: c.raw}
			}
		}
		date1904 = t.date1904
		sheets = append(sheets, s)
	}
	return format, sheets, date1904, nil
}

// RefusalOf returns the message key and arguments of a file refused by
// ReadSheets; ok is false for other errors.
func RefusalOf(err error) (key string, args []any, ok bool) {
	var p *fileProblem
	if errors.As(err, &p) {
		return p.key, p.args, true
	}
	return "", nil, false
}
