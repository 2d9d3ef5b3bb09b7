package web

// Helpers shared by the administration pages: regions, regioplan, region
// settings, accounts and the region history.

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// admChoice is one option of a select or one checkbox of a group. Label is
// already translated.
type admChoice struct {
	Value    string
	Label    string
	Selected bool
}

// admRegionURL is the base address of a region's pages.
func admRegionURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) }

// admPlatformOnly refuses anyone but a platform admin.
func admPlatformOnly(r *http.Request) error {
	if !currentUser(r).CanManagePlatform() {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "not a platform admin")
	}
	return nil
}

// admFormList returns the trimmed, non-empty values of a repeated form field.
func admFormList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.PostForm[name] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// admSplitComma splits "CZ, VGZ" into its trimmed parts.
func admSplitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// admSplitLines splits a textarea into its trimmed, non-empty lines.
func admSplitLines(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// admDateInput formats a date for <input type=date>.
func admDateInput(d mtvp.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// admHas reports whether list holds s.
func admHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// admT translates key, falling back to fallback when no catalog has it.
func admT(lang, key, fallback string) string {
	if i18n.Has(lang, key) || i18n.Has(i18n.Default, key) {
		return i18n.T(lang, key)
	}
	return fallback
}

// admPercent shows a 0..1 share as a percentage with a Dutch comma: 0.5 → "50".
func admPercent(f float64) string { return admPercentIn("nl", f) }

// admPercentIn is admPercent in a language: 0.125 → "12,5" / "12.5".
func admPercentIn(lang string, f float64) string {
	return i18n.Decimal(lang, math.Round(f*10000)/100, -1)
}

// admFormPercent reads a percentage ("50" or "50,5") as a share 0..1.
func admFormPercent(r *http.Request, name string, errs mtvp.FieldErrors) float64 {
	v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(r.PostFormValue(name)), "%"))
	v = strings.ReplaceAll(v, ",", ".")
	if v == "" {
		errs.Add(name, "err.required")
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		errs.Add(name, "err.number_format")
		return 0
	}
	return f / 100
}

// AdmLabel replaces a field's label with an already translated text.
func (f fieldView) AdmLabel(text string) fieldView { f.Label = text; return f }
