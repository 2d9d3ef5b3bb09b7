package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/agenda"
	"meertijd/internal/mtvp"
)

// TestConsultDurationUpload: a practice uploads its agenda export; the new
// columns are mapped once (the guess is preselected), the file is chosen
// again, and the page shows the week chart with the 15-minute goal, the
// distribution, the table and the refused rows. A second upload of the
// same file goes straight in. Every page is checked with axe-core;
// MEERTIJD_E2E_SHOTS=dir saves screenshots at 1400 and 390 px.
func TestConsultDurationUpload(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400,
		JoinedOn: mtvp.MustDate("2026-02-02")})
	w.must(a.DB.AddStaff(w.ctx, mtvp.SystemActor, p.ID, &mtvp.Person{Name: "Hanna Huisarts"},
		&mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 0.9, From: mtvp.MustDate("2020-01-01")}))
	u := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)

	file := filepath.Join(t.TempDir(), "agenda-export.csv")
	f, err := os.Create(file)
	w.must(err)
	w.must(agenda.GenerateCSV(f, agenda.Gen{Rows: 2400, Seed: 8, BadEvery: 100, PerDay: 80}))
	w.must(f.Close())

	base := a.URL()
	page := base + "/regio/zio/praktijken/" + strconv.FormatInt(p.ID, 10) + "/consultduur"
	b := browser(t)
	loginPassword(t, b, base, u.Email, testPassword)
	run(t, b, "practice page", chromedp.Navigate(base+"/regio/zio/praktijken/"+strconv.FormatInt(p.ID, 10)), chromedp.WaitVisible(`//a[.="Consultduur"]`))
	run(t, b, "consult page", chromedp.Click(`//a[.="Consultduur"]`), chromedp.WaitVisible(`#f-bestand`))
	if s := text(t, b, `main`); !strings.Contains(s, "Er is nog geen afsprakenexport geüpload") {
		t.Fatalf("empty page: %q", s)
	}
	checkA11y(t, b, "consult duration, empty")
	run(t, b, "upload",
		chromedp.SetUploadFiles(`#f-bestand`, []string{file}),
		chromedp.Submit(`#f-bestand`),
		chromedp.WaitVisible(`#indeling`),
	)
	checkA11y(t, b, "column mapping")
	start, err := chromedp.Run(b, chromedp.Value(`#f-kol_begin`))
	if err != nil || start != "Begintijd" {
		t.Fatalf("start column guessed as %q", start)
	}
	run(t, b, "mapped upload",
		chromedp.SetUploadFiles(`#f-bestand`, []string{file}),
		chromedp.Submit(`#f-bestand`),
		chromedp.WaitVisible(`#consult-chart svg`),
	)
	s := text(t, b, `main`)
	for _, want := range []string{"De afsprakenexport is verwerkt", "2400 gelezen, 2376 meegeteld, 24 afgekeurd", "begintijd onleesbaar", "Huisarts, week"} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	goal, err := chromedp.Run(b, chromedp.Evaluate[int](`[...document.querySelectorAll('#consult-chart svg text')].filter(e => e.textContent === 'doel 15 min').length`))
	w.must(err)
	rows, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('#consult-table tbody tr').length`))
	w.must(err)
	if goal != 1 || rows == 0 {
		t.Errorf("chart goal labels %d, table rows %d", goal, rows)
	}
	checkA11y(t, b, "consult duration with figures")
	run(t, b, "wide", chromedp.EmulateViewport(1400, 900))
	normShot(t, b, "consult-1400")
	run(t, b, "phone", chromedp.EmulateViewport(390, 844))
	normShot(t, b, "consult-390")
	checkA11y(t, b, "consult duration on a phone")

	// The mapping is remembered: the same file goes straight in.
	run(t, b, "again",
		chromedp.Navigate(page),
		chromedp.SetUploadFiles(`#f-bestand`, []string{file}),
		chromedp.Submit(`#f-bestand`),
		chromedp.WaitVisible(`#consult-chart svg`),
	)
	if s := text(t, b, `main`); !strings.Contains(s, "De afsprakenexport is verwerkt") {
		t.Errorf("second upload: %q", s[:min(len(s), 300)])
	}
}
