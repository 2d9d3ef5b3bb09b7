// Package xlsxtest opens spreadsheets written by meertijd in tests and
// checks what a user relies on: real Excel dates, an autofilter over the
// header row, the columns.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// Book is an opened workbook.
type Book struct {
	t   testing.TB
	F   *excelize.File
	raw []byte
}

// Open reads b as XLSX or fails the test.
func Open(t testing.TB, b []byte) *Book {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not an XLSX file: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return &Book{t: t, F: f, raw: b}
}

// Rows returns a sheet's cells as shown (formatted), header first.
func (b *Book) Rows(sheet string) [][]string {
	b.t.Helper()
	rows, err := b.F.GetRows(sheet)
	if err != nil {
		b.t.Fatalf("sheet %q: %v (sheets: %v)", sheet, err, b.F.GetSheetList())
	}
	return rows
}

// Column returns the 1-based index of the header named name, failing the
// test when the sheet lacks it.
func (b *Book) Column(sheet, name string) int {
	b.t.Helper()
	rows := b.Rows(sheet)
	if len(rows) == 0 {
		b.t.Fatalf("sheet %q is empty", sheet)
	}
	for i, h := range rows[0] {
		if h == name {
			return i + 1
		}
	}
	b.t.Fatalf("sheet %q has no column %q: %v", sheet, name, rows[0])
	return 0
}

// Date reads the cell at (col, row) (1-based) and fails the test unless it
// is a real Excel date: a number with a date format. It returns the date.
func (b *Book) Date(sheet string, col, row int) time.Time {
	b.t.Helper()
	cell, _ := excelize.CoordinatesToCellName(col, row)
	raw, err := b.F.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		b.t.Fatal(err)
	}
	typ, _ := b.F.GetCellType(sheet, cell)
	if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		b.t.Fatalf("%s!%s is text %q, not a date", sheet, cell, raw)
	}
	serial, err := parseFloat(raw)
	if err != nil {
		b.t.Fatalf("%s!%s is %q, not a date serial", sheet, cell, raw)
	}
	id, err := b.F.GetCellStyle(sheet, cell)
	if err != nil {
		b.t.Fatal(err)
	}
	st, err := b.F.GetStyle(id)
	if err != nil {
		b.t.Fatal(err)
	}
	isDate := st.CustomNumFmt != nil && strings.Contains(*st.CustomNumFmt, "yy") || st.NumFmt == 14 || st.NumFmt == 22
	if !isDate {
		b.t.Fatalf("%s!%s has no date format (style %+v)", sheet, cell, st)
	}
	d, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		b.t.Fatal(err)
	}
	return d
}

// AutoFilter fails the test unless the sheet has an autofilter that starts
// at A1 and spans every column of the header row.
func (b *Book) AutoFilter(sheet string) {
	b.t.Helper()
	rows := b.Rows(sheet)
	for _, dn := range b.F.GetDefinedName() {
		if dn.Name != "_xlnm._FilterDatabase" {
			continue
		}
		ref := strings.ReplaceAll(dn.RefersTo, "$", "")
		if !strings.Contains(ref, sheet) && !strings.Contains(ref, "'"+sheet+"'") {
			continue
		}
		i := strings.LastIndex(ref, "!")
		parts := strings.Split(ref[i+1:], ":")
		if len(parts) != 2 || parts[0] != "A1" {
			b.t.Fatalf("autofilter %q does not start at A1", dn.RefersTo)
		}
		col, _, err := excelize.CellNameToCoordinates(parts[1])
		if err != nil || len(rows) == 0 || col != len(rows[0]) {
			b.t.Fatalf("autofilter %q does not span the %d header columns", dn.RefersTo, len(rows[0]))
		}
		// The defined name alone shows nothing: Excel draws the filter
		// buttons from the sheet's own <autoFilter> element.
		if !b.sheetXMLContains(`<autoFilter ref="`+ref[i+1:]+`"`) && !b.sheetXMLContains(`<autoFilter ref="`+absoluteRef(ref[i+1:])+`"`) {
			b.t.Fatalf("sheet %q names an autofilter %q but has no <autoFilter> element", sheet, ref[i+1:])
		}
		return
	}
	b.t.Fatalf("sheet %q has no autofilter", sheet)
}

// absoluteRef writes A1:L2 as $A$1:$L$2, as excelize stores it.
func absoluteRef(r string) string {
	return regexp.MustCompile(`([A-Z]+)([0-9]+)`).ReplaceAllString(r, `$$$1$$$2`)
}

// sheetXMLContains reports whether a worksheet part of the file contains s.
func (b *Book) sheetXMLContains(s string) bool {
	zr, err := zip.NewReader(bytes.NewReader(b.raw), int64(len(b.raw)))
	if err != nil {
		b.t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			b.t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			b.t.Fatal(err)
		}
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
