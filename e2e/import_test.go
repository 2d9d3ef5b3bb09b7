package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestImportHistoryChangesNorms: a region admin uploads the list of
// trainings its assistants completed before the move, sees per row what
// will be recorded, confirms, and the norms dashboard shows the practice
// meeting the assistants' norm. Pages are checked with axe-core.
func TestImportHistoryChangesNorms(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	w := newWorld(t, a, func(r *mtvp.Region) {
		r.Settings.Requirements = []mtvp.Requirement{mtvp.ReqAssistantTraining}
	})
	must := w.must
	admin := w.user("beheer@zio.nl", "Petra Programma", mtvp.AccountRegionAdmin, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400})
	person := mtvp.Person{Name: "Anna Smeets", Email: "anna@delinde.nl"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2022-01-01")}
	must(a.DB.AddStaff(ctx, mtvp.SystemActor, p.ID, &person, &m))

	done := mtvp.DateOf(clock.Now()).AddDays(-1)
	list := filepath.Join(t.TempDir(), "scholing-assistenten.csv")
	must(os.WriteFile(list, []byte("scholing;doelgroep;thema;AGB-code praktijk;naam;e-mail;datum afgerond;bron\n"+
		"Triage voor assistenten;assistenten;triage;01061234;Anna Smeets;anna@delinde.nl;"+done.Short()+";presentielijst\n"), 0o600))

	base := a.URL()
	b := browser(t)
	loginWithTOTP(t, b, base, admin.Email, testPassword)
	total := func() string { return strings.TrimSpace(text(t, b, `#norm-total`)) }
	run(t, b, "norms before", chromedp.Navigate(base+"/regio/zio/normen"), chromedp.WaitVisible(`#norm-total`))
	if got := total(); !strings.Contains(got, "0 van 1 praktijken") {
		t.Fatalf("before the import: %q", got)
	}
	run(t, b, "import page", chromedp.Navigate(base+"/regio/zio/import"), chromedp.WaitVisible(`#f-soort`))
	checkA11y(t, b, "import page")
	run(t, b, "preview",
		chromedp.SetValue(`#f-soort`, "scholing"),
		chromedp.SetUploadFiles(`#f-bestand`, []string{list}),
		chromedp.Submit(`#f-bestand`),
		chromedp.WaitVisible(`//button[contains(., "Import bevestigen")]`),
	)
	body := text(t, b, `main`)
	for _, want := range []string{"Afgeronde scholingen", "nieuwe externe scholing Triage voor assistenten", "Triage voor assistenten afgerond op " + done.Short()} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	checkA11y(t, b, "history preview")
	run(t, b, "confirm",
		chromedp.Click(`//button[contains(., "Import bevestigen")]`),
		chromedp.WaitVisible(`//*[contains(., "Geïmporteerd: 1 rij")]`),
	)
	run(t, b, "norms after", chromedp.Navigate(base+"/regio/zio/normen"), chromedp.WaitVisible(`#norm-total`))
	if got := total(); !strings.Contains(got, "1 van 1 praktijken") {
		t.Errorf("after the import: %q", got)
	}
	checkA11y(t, b, "norms after the import")
}
