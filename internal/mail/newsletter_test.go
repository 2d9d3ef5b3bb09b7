package mail_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

// TestNewsletterMail: each login gets the month's news addressed to it and
// the upcoming sessions; sending twice mails nobody twice; the markup is
// rendered safely.
func TestNewsletterMail(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	reg := mtvp.Region{Code: "zio", Name: "ZIO", Insurers: []string{"CZ"}, ProgrammeStart: mtvp.MustDate("2024-01-01"), Settings: mtvp.DefaultNormSettings()}
	must(db.CreateRegion(ctx, sys, &reg))
	p := mtvp.Practice{RegionID: reg.ID, AGB: "01000001", Name: "Praktijk Een", City: "Maastricht", Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2025-01-15")}
	must(db.CreatePractice(ctx, sys, &p))
	prac := &mtvp.User{Email: "praktijk@een.nl", Name: "Piet Praktijk", Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: reg.ID, PracticeID: p.ID}}}
	must(db.CreateUser(ctx, sys, prac, ""))
	cons := &mtvp.User{Email: "consulent@zio.nl", Name: "Carla Consulent", Locale: "en", Grants: []mtvp.Grant{{Role: mtvp.AccountConsultant, RegionID: reg.ID}}}
	must(db.CreateUser(ctx, sys, cons, ""))
	tr := mtvp.Training{RegionID: reg.ID, Title: "Triage", Target: mtvp.TargetAssistants, Themes: []string{mtvp.ThemeTriage}, Active: true}
	must(db.CreateTraining(ctx, sys, &tr))
	ses := mtvp.TrainingSession{TrainingID: tr.ID, Dates: []mtvp.Date{mtvp.MustDate("2099-12-10")}, StartTime: "09:00", Place: "Maastricht", Capacity: 12}
	must(db.CreateSession(ctx, sys, &ses))
	net := mtvp.Activity{RegionID: reg.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond sociaal domein", Date: mtvp.MustDate("2099-12-17"), StartTime: "19:00", EndTime: "21:00", Place: "Zalencentrum", Capacity: 30}
	must(db.CreateActivity(ctx, sys, &net))
	m, _ := mtvp.ParseMonth("2099-12")
	all := mtvp.NewsItem{RegionID: reg.ID, Title: "Nieuwe data triagetraining", Body: "Er zijn **nieuwe data**.\n\n- ochtend\n- avond\n\n<script>x</script>",
		PublishOn: mtvp.MustDate("2099-12-01"), Links: []mtvp.NewsLink{{Kind: mtvp.NewsLinkSession, ID: ses.ID}}}
	must(db.SaveNews(ctx, sys, &all))
	onlyQ3 := mtvp.NewsItem{RegionID: reg.ID, Title: "Alleen instroom 2025-Q3", Body: "Welkom", PublishOn: mtvp.MustDate("2099-12-02"),
		Roles: []mtvp.AccountRole{mtvp.AccountPractice}, Waves: []string{"2025-Q3"}}
	must(db.SaveNews(ctx, sys, &onlyQ3))
	n, err := composer.SendNewsletter(ctx, db, reg, m, mtvp.MustDate("2099-12-01"), sys)
	must(err)
	if n != 2 {
		t.Fatalf("queued %d, want 2", n)
	}
	again, err := composer.SendNewsletter(ctx, db, reg, m, mtvp.MustDate("2099-12-01"), sys)
	must(err)
	if again != 0 {
		t.Fatalf("second send queued %d", again)
	}
	mails, err := db.ListMail(ctx, reg.ID, 10)
	must(err)
	var nlMail, nlHTML, enMail string
	links := map[string]bool{}
	for _, ml := range mails {
		// Each mail its own one-click unsubscribe link, in its footer.
		if !ml.UnsubscribeOneClick || !strings.HasPrefix(ml.UnsubscribeURL, "https://meertijd.test/nieuwsbrief/afmelden/") || links[ml.UnsubscribeURL] ||
			!strings.Contains(ml.Text, ml.UnsubscribeURL) || !strings.Contains(ml.HTML, `href="`+ml.UnsubscribeURL+`"`) {
			t.Errorf("mail to %s: unsubscribe %q (one-click %v), shared or not in the footer", ml.To, ml.UnsubscribeURL, ml.UnsubscribeOneClick)
		}
		links[ml.UnsubscribeURL] = true
		switch ml.To {
		case "praktijk@een.nl":
			nlMail, nlHTML = ml.Subject+"\n\n"+ml.Text+"\n\n"+ml.HTML, ml.HTML
		case "consulent@zio.nl":
			enMail = ml.Subject + "\n\n" + ml.Text
		}
	}
	if os.Getenv("NEWSLETTER_DUMP") != "" {
		os.WriteFile(os.Getenv("NEWSLETTER_DUMP"), []byte(nlMail+"\n\n=====\n\n"+enMail), 0o644)
	}
	for _, want := range []string{"Nieuwsbrief ZIO – december 2099", "Beste Piet Praktijk", "Nieuwe data triagetraining", "nieuwe data",
		"Triage · 10 december 2099: https://meertijd.test/regio/zio/scholing/sessies/", "<strong>nieuwe data</strong>", "<li>ochtend</li>", "&lt;script&gt;",
		"Komende leeractiviteiten", "17 december 2099 19:00: Netwerkavond sociaal domein (Zalencentrum), nog 30 plaatsen", "https://meertijd.test/regio/zio/activiteiten/"} {
		if !strings.Contains(nlMail, want) {
			t.Errorf("practice mail lacks %q:\n%s", want, nlMail)
		}
	}
	if strings.Contains(nlMail, "Alleen instroom 2025-Q3") || strings.Contains(nlHTML, "<script>") {
		t.Errorf("practice of 2025-Q1 got the Q3 news or raw script:\n%s", nlMail)
	}
	if !strings.Contains(enMail, "Newsletter ZIO – December 2099") || !strings.Contains(enMail, "Upcoming training sessions") {
		t.Errorf("consultant mail:\n%s", enMail)
	}
}
