package importer

import (
	"bytes"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/i18n"
)

// HistoryTemplate is the XLSX template of a kind: the first sheet holds
// the Dutch headers to fill in below, the second explains every column
// with an example value.
func HistoryTemplate(k HistoryKind, lang string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const data, help = "Gegevens", "Toelichting"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(help); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": codes keep their leading zero
	if err != nil {
		return nil, err
	}
	cols := HistoryColumns(k)
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(data, cell, c.Header); err != nil {
			return nil, err
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetColWidth(data, name, name, max(14, float64(len(c.Header))+4))
		_ = f.SetColStyle(data, name, text)
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), 1)
	_ = f.SetCellStyle(data, "A1", last, bold)
	_ = f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	head := []string{i18n.T(lang, "import.hist.tpl.column"), i18n.T(lang, "import.hist.tpl.required"), i18n.T(lang, "import.hist.tpl.meaning"), i18n.T(lang, "import.hist.tpl.example")}
	for i, h := range head {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		_ = f.SetCellValue(help, cell, h)
	}
	_ = f.SetCellStyle(help, "A1", "D1", bold)
	for r, c := range cols {
		req := i18n.T(lang, "import.hist.tpl.optional")
		if c.Required {
			req = i18n.T(lang, "import.hist.tpl.yes")
		}
		for i, v := range []string{c.Header, req, i18n.T(lang, c.DescKey()), c.Example} {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			_ = f.SetCellValue(help, cell, v)
		}
	}
	_ = f.SetColWidth(help, "A", "A", 24)
	_ = f.SetColWidth(help, "C", "C", 90)
	_ = f.SetColWidth(help, "D", "D", 30)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
