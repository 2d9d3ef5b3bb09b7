package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestEveryTableScrollAreaReachable: every table that may scroll sideways
// sits in a scroll area a keyboard user can reach and a screen reader
// names (tabindex="0", role="region", aria-label or aria-labelledby); a
// table that turns into cards on a phone labels every data cell.
func TestEveryTableScrollAreaReachable(t *testing.T) {
	wrap := regexp.MustCompile(`<div class="table-wrap[^"]*"[^>]*>`)
	cards := regexp.MustCompile(`(?s)<table class="utrecht-table responsive[^"]*"[^>]*>.*?</table>`)
	n := 0
	err := fs.WalkDir(templateFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		s := string(b)
		for _, w := range wrap.FindAllString(s, -1) {
			n++
			if !strings.Contains(w, `tabindex="0"`) || !strings.Contains(w, `role="region"`) || !(strings.Contains(w, `aria-label="`) || strings.Contains(w, `aria-labelledby="`)) {
				t.Errorf("%s: scroll area not reachable or unnamed: %s", path, w)
			}
		}
		for _, tbl := range cards.FindAllString(s, -1) {
			for _, td := range regexp.MustCompile(`<td(\s[^>]*)?>(</td>)?`).FindAllString(tbl, -1) {
				if !strings.Contains(td, "data-label=") && !strings.Contains(td, "colspan") && !strings.Contains(td, "aria-hidden") && !strings.HasSuffix(td, "</td>") {
					t.Errorf("%s: a card cell without its label: %s", path, td)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Errorf("only %d scroll areas found; is the template walk right?", n)
	}
}
