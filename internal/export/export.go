// Package export writes the spreadsheets, CSV files and PDFs regions hand
// to insurers, registers and teams. Every spreadsheet cell goes through
// SafeCell so a name like "=HYPERLINK(…)" is shown, never executed.
package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// SafeCell neutralises text that a spreadsheet would read as a formula
// (cells starting with =, +, -, @, or a tab/carriage return) by prefixing an
// apostrophe, the way spreadsheet programs mark literal text.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Table is one sheet: a title (sheet name), a header row and data rows.
// Cells are strings (neutralised), numbers (int, int64, float64), dates
// (time.Time: a real Excel date shown as dd-mm-jjjj, "22-11-2026" in CSV)
// or nil.
type Table struct {
	Name   string
	Header []string
	Rows   [][]any
}

// WriteCSV writes a table as CSV the way Dutch Excel opens it directly:
// UTF-8 with a byte-order mark and semicolons.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	rec := make([]string, len(t.Header))
	for i, h := range t.Header {
		rec[i] = SafeCell(h)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for _, row := range t.Rows {
		rec = rec[:0]
		for _, c := range row {
			rec = append(rec, csvCell(c))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return SafeCell(v)
	case float64:
		// Dutch decimal comma.
		return strings.Replace(fmt.Sprintf("%.2f", v), ".", ",", 1)
	case time.Time:
		return DutchDate(v)
	default:
		return SafeCell(fmt.Sprint(v))
	}
}

// XLSX builds a workbook with one sheet per table: bold frozen header row,
// auto filter, sensible column widths.
func XLSX(tables ...Table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E6EDF5"}, Pattern: 1}})
	if err != nil {
		return nil, err
	}
	dateFmt := "dd-mm-yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return nil, err
	}
	for i, t := range tables {
		name := sheetName(t.Name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		// Written cell by cell, not with a StreamWriter: a streamed sheet
		// loses its <autoFilter> (only the defined name is kept), and
		// Excel then shows no filter buttons. Lists here are at most a few
		// thousand rows.
		widths := make([]int, len(t.Header))
		header := make([]any, len(t.Header))
		for c, h := range t.Header {
			header[c] = SafeCell(h)
			widths[c] = len(h)
		}
		if err := f.SetSheetRow(name, "A1", &header); err != nil {
			return nil, err
		}
		if len(t.Header) > 0 {
			lastHead, _ := excelize.CoordinatesToCellName(len(t.Header), 1)
			if err := f.SetCellStyle(name, "A1", lastHead, bold); err != nil {
				return nil, err
			}
		}
		for r, row := range t.Rows {
			out := make([]any, len(row))
			var dates []int
			for c, v := range row {
				switch x := v.(type) {
				case string:
					v = SafeCell(x)
					if c < len(widths) && len(x) > widths[c] {
						widths[c] = len(x)
					}
				case time.Time:
					v = nil
					if !x.IsZero() {
						v = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
						dates = append(dates, c)
					}
					if c < len(widths) && widths[c] < 10 {
						widths[c] = 10
					}
				}
				out[c] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := f.SetSheetRow(name, cell, &out); err != nil {
				return nil, err
			}
			for _, c := range dates {
				dc, _ := excelize.CoordinatesToCellName(c+1, r+2)
				if err := f.SetCellStyle(name, dc, dc, date); err != nil {
					return nil, err
				}
			}
		}
		for c, w := range widths {
			if w > 60 {
				w = 60
			}
			col, _ := excelize.ColumnNumberToName(c + 1)
			if err := f.SetColWidth(name, col, col, float64(w+2)); err != nil {
				return nil, err
			}
		}
		if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		if len(t.Header) > 0 {
			last, _ := excelize.CoordinatesToCellName(len(t.Header), len(t.Rows)+1)
			if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sheetName fits Excel's rules: at most 31 characters, none of []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	if s == "" {
		s = "Blad1"
	}
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}
