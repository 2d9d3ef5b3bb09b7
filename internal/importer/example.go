package importer

import (
	"bytes"
	"encoding/csv"
)

// exampleRows are the data rows of the example file, in Columns order: two
// practices with their staff, a locum working at both, and a practice that
// has signed up without staff yet.
var exampleRows = [][]string{
	{"01012345", "Huisartsenpraktijk De Linde", "Lindenlaan 4", "6211 AB", "Maastricht", "2450", "01-01-2024", "2024-Q1", "actief", "Anna de Vries", "anna@delinde.nl", "12345678901", "", "praktijkhouder", "0,8", "01-01-2015", ""},
	{"01012345", "Huisartsenpraktijk De Linde", "Lindenlaan 4", "6211 AB", "Maastricht", "2450", "01-01-2024", "2024-Q1", "actief", "Bram Jansen", "bram@waarneming.nl", "98765432109", "", "vaste waarnemer", "0,4", "01-03-2022", ""},
	{"01012345", "Huisartsenpraktijk De Linde", "Lindenlaan 4", "6211 AB", "Maastricht", "2450", "01-01-2024", "2024-Q1", "actief", "Carla Smeets", "carla@delinde.nl", "", "12345", "doktersassistent", "0,6", "15-08-2019", ""},
	{"01012346", "Gezondheidscentrum Heer", "Heerderweg 12", "6224 AC", "Maastricht", "6100", "01-04-2024", "2024-Q2", "actief", "Bram Jansen", "bram@waarneming.nl", "98765432109", "", "vaste waarnemer", "0,3", "01-09-2023", "31-12-2026"},
	{"01012346", "Gezondheidscentrum Heer", "Heerderweg 12", "6224 AC", "Maastricht", "6100", "01-04-2024", "2024-Q2", "actief", "Dirk Hermans", "dirk@heer.nl", "23456789012", "", "praktijkhouder", "1,0", "01-01-2010", ""},
	{"01012346", "Gezondheidscentrum Heer", "Heerderweg 12", "6224 AC", "Maastricht", "6100", "01-04-2024", "2024-Q2", "actief", "Eva Peeters", "", "", "", "POH-GGZ", "0,5", "01-02-2021", ""},
	{"01012347", "Praktijk Gulpen", "Markt 1", "6271 BD", "Gulpen", "1900", "", "", "aangemeld", "", "", "", "", "", "", "", ""},
}

// ExampleCSV is a small combined file as Dutch Excel writes it: UTF-8 with
// a byte order mark (so Excel shows "patiënten" right) and ';' between
// cells.
func ExampleCSV() []byte {
	var buf bytes.Buffer
	buf.WriteString("\xEF\xBB\xBF")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	header := make([]string, len(Columns))
	for i, c := range Columns {
		header[i] = c.Header
	}
	_ = w.Write(header)
	_ = w.WriteAll(exampleRows)
	return buf.Bytes()
}
