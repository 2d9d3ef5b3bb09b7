package web

import (
	"context"
	"html"
	"regexp"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// TestRegionHistoryAllEntitiesReadable: plan, training, session, sign-up,
// completion, claim and intervision entries read as words in both
// languages: no raw entity names, field names, status codes or zero times,
// and the system actor translated.
func TestRegionHistoryAllEntitiesReadable(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ivSetup(f)
	ctx := context.Background()
	c := mtvp.PlanContent{Ambition: "Rust"}
	if _, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, 2026, 0, &c); err != nil {
		t.Fatal(err)
	}
	get := func(english bool) string {
		b := html.UnescapeString(pageIn(t, f, adminA, english, "/regio/{region}/historie?aantal=1000"))
		return b[strings.Index(b, "<main"):]
	}
	raw := []string{"in_behandeling", "0001-01-01", "training_session", "CompletedOn", "EvidenceName", "StartTime", "TrainingID",
		"GroupID", "FacilitatorID", "region-admin@", ": claim", ": plan", ": enrolment", ": completion", ": training"}
	for _, c := range []struct {
		english   bool
		want      []string
		forbidden []string
	}{
		{false, []string{"Aanvraag eerder gevolgde scholing", "Scholingssessie", "Inschrijving scholing", "Afgeronde scholing", "Plan van aanpak", "Intervisiegroep", "systeem", "In behandeling", "Het goede gesprek", "Begeleider (EKC)"}, nil},
		{true, []string{"Prior-learning claim", "Training session", "Training sign-up", "Training completed", "Plan of approach", "Intervision group", "system", "Facilitator (EKC)", "Places", "Programme manager (region admin) (regio-a)", "member"},
			[]string{"systeem", "Versie", "Jaar", "Opmerking", "tekens", "wachtlijst", "aanwezig"}},
	} {
		body := get(c.english)
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("english=%v: history lacks %q", c.english, w)
			}
		}
		for _, w := range append(raw, c.forbidden...) {
			if strings.Contains(body, w) {
				t.Errorf("english=%v: history shows %q", c.english, w)
			}
		}
		if m := regexp.MustCompile(`admin\.[a-z_.]+`).FindString(body); m != "" {
			t.Errorf("raw key %q", m)
		}
	}
}
