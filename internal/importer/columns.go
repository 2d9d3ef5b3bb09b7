package importer

import (
	"strings"
	"unicode"
)

// Field is what a column of an import file holds, whatever its header says.
type Field string

// Practice columns.
const (
	FieldAGB          Field = "agb"
	FieldPracticeName Field = "practice_name"
	FieldStreet       Field = "street"
	FieldPostcode     Field = "postcode"
	FieldCity         Field = "city"
	FieldPatients     Field = "patients"
	FieldJoinedOn     Field = "joined_on"
	FieldInflowWave   Field = "inflow_wave"
	FieldStatus       Field = "status"
)

// Staff columns.
const (
	FieldName  Field = "name"
	FieldEmail Field = "email"
	FieldBIG   Field = "big"
	FieldKABIZ Field = "kabiz"
	FieldRole  Field = "role"
	FieldFTE   Field = "fte"
	FieldFrom  Field = "from"
	FieldTo    Field = "to"
)

// Column describes one recognised column: the header we write in the
// example file, the headers we accept (compared case-, space- and
// accent-insensitively) and whether it belongs to the practice or the staff
// part of a row.
type Column struct {
	Field    Field
	Header   string   // canonical Dutch header
	Aliases  []string // accepted headers, Dutch and English
	Practice bool     // practice column (else staff column)
	// Required: "always", "practices" (when the file holds practices),
	// "staff" (when the file holds staff) or "" (optional).
	Required string
}

// DescKey is the message key explaining the column on the upload page.
func (c Column) DescKey() string { return "import.col." + string(c.Field) }

// Columns lists the recognised columns in the order of the example file.
var Columns = []Column{
	{FieldAGB, "AGB", []string{"AGB", "AGB-code", "AGB code", "praktijk AGB", "AGB praktijk", "AGB-code praktijk", "praktijk AGB-code", "practice AGB", "AGB code practice", "practice AGB code"}, true, "always"},
	{FieldPracticeName, "praktijknaam", []string{"praktijknaam", "naam praktijk", "praktijk", "huisartsenpraktijk", "practice name", "practice"}, true, "practices"},
	{FieldStreet, "adres", []string{"adres", "straat", "straat en huisnummer", "bezoekadres", "address", "street"}, true, ""},
	{FieldPostcode, "postcode", []string{"postcode", "postal code", "zip code", "zip"}, true, ""},
	{FieldCity, "plaats", []string{"plaats", "woonplaats", "vestigingsplaats", "city", "town"}, true, ""},
	{FieldPatients, "ingeschreven patiënten", []string{"ingeschreven patiënten", "ION", "aantal patiënten", "aantal ingeschreven patiënten", "patiënten", "registered patients", "patients"}, true, ""},
	{FieldJoinedOn, "startdatum", []string{"startdatum", "deelname vanaf", "start MTVP", "startdatum MTVP", "start date", "joined on", "joined"}, true, ""},
	{FieldInflowWave, "instroom", []string{"instroom", "cohort", "instroomcohort", "inflow wave", "inflow", "wave"}, true, ""},
	{FieldStatus, "status", []string{"status", "deelnamestatus"}, true, ""},
	{FieldName, "naam", []string{"naam", "medewerker", "naam medewerker", "volledige naam", "name", "staff member", "employee", "full name"}, false, "staff"},
	{FieldEmail, "e-mail", []string{"e-mail", "e-mailadres", "mail", "email", "email address"}, false, ""},
	{FieldBIG, "BIG-nummer", []string{"BIG", "BIG-nummer", "BIG nr", "BIG-registratie", "BIG number"}, false, ""},
	{FieldKABIZ, "KABIZ", []string{"KABIZ", "KABIZ-nummer", "KABIZ nr", "KABIZ number"}, false, ""},
	{FieldRole, "functie", []string{"functie", "rol", "role", "function", "job title"}, false, "staff"},
	{FieldFTE, "FTE", []string{"FTE", "fte in dienst", "omvang"}, false, ""},
	{FieldFrom, "in dienst vanaf", []string{"in dienst vanaf", "vanaf", "in dienst sinds", "datum in dienst", "begindatum", "from", "since", "start of employment"}, false, "staff"},
	{FieldTo, "tot", []string{"tot", "einddatum", "tot en met", "uit dienst", "datum uit dienst", "to", "until", "end date"}, false, ""},
}

var (
	columnOf = map[Field]Column{}
	aliasOf  = map[string]Field{}
)

func init() {
	for _, c := range Columns {
		columnOf[c.Field] = c
		for _, a := range c.Aliases {
			n := normHeader(a)
			if f, dup := aliasOf[n]; dup && f != c.Field {
				panic("importer: alias " + a + " used twice")
			}
			aliasOf[n] = c.Field
		}
	}
}

// fieldOf maps a header as written in a file to its field ("" = unknown).
func fieldOf(header string) Field { return aliasOf[normHeader(header)] }

// normHeader folds a header for comparison: lower case, accents removed,
// text in parentheses dropped ("FTE (0-1,5)"), only letters and digits kept.
func normHeader(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(s) {
		switch r {
		case '(':
			depth++
			continue
		case ')':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 {
			continue
		}
		r = foldAccent(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func foldAccent(r rune) rune {
	switch r {
	case 'á', 'à', 'ä', 'â':
		return 'a'
	case 'é', 'è', 'ë', 'ê':
		return 'e'
	case 'í', 'ì', 'ï', 'î':
		return 'i'
	case 'ó', 'ò', 'ö', 'ô':
		return 'o'
	case 'ú', 'ù', 'ü', 'û':
		return 'u'
	}
	return r
}
