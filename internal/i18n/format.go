package i18n

import (
	"strconv"
	"strings"
)

// Number formatting per language: Dutch writes 1.234,5 and English 1,234.5.
// Pages, messages and PDFs format numbers through these so the separators
// always follow the reader's language.

func separators(lang string) (decimal, thousands string) {
	if Lang(lang) == "en" {
		return ".", ","
	}
	return ",", "."
}

// Decimal formats f with places decimals (places < 0: as few as needed,
// 2.5 → "2,5"), without thousands separators: "0,80" / "0.80".
func Decimal(lang string, f float64, places int) string {
	s := strconv.FormatFloat(f, 'f', places, 64)
	dec, _ := separators(lang)
	return strings.Replace(s, ".", dec, 1)
}

// Integer groups thousands: 12.345 in Dutch, 12,345 in English.
func Integer(lang string, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	_, sep := separators(lang)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}
