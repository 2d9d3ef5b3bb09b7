package demo

// Demo learning activities (issue 16 §1): per region two network meetings
// (the second small, so it has a waiting list), shadowing (one accepted,
// one still asked of the host), a practice scan by the consultant with its
// result document, and in the first region a kind the region added
// ("Lunch & leer", counting towards a regioplan minimum). Written through
// the store, as the region and the practices would.

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

var demoFocus = []string{
	"Triage door de assistenten en een belblok in de ochtend, zodat de huisartsen tijd houden voor het goede gesprek.",
	"Veelgebruikers: samen met het wijkteam kijken wat zij werkelijk nodig hebben.",
	"Flexibele consultduur: lange plekken in de agenda voor patiënten met meerdere klachten.",
}

var demoAmbitions = []string{
	"Binnen een jaar gemiddeld 15 minuten per consult, zonder langere wachttijd.",
	"Minder werkdruk en meer werkplezier in het hele team.",
	"Een vaste lijn met het sociaal domein en minder verwijzingen naar de tweede lijn.",
}

// loadActivities writes the demo activities and returns how many.
func loadActivities(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	// The store checks sign-ups against its own day: a demo loaded as of an
	// earlier moment (the tests do) plans its activities after that day too.
	today := mtvp.DateOf(now)
	if d := db.Today(); d.After(today) {
		today = d
	}
	regions, err := ownRegions(ctx, db)
	if err != nil {
		return 0, err
	}
	a := mtvp.SystemActor
	n := 0
	for ri, reg := range regions {
		summaries, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return n, err
		}
		var ps []mtvp.Practice
		for _, s := range summaries {
			if s.Practice.Status == mtvp.PracticeActive {
				ps = append(ps, s.Practice)
			}
		}
		if len(ps) < 4 {
			continue
		}
		staff := map[int64][]mtvp.StaffMember{}
		for _, p := range ps[:min(len(ps), 8)] {
			if staff[p.ID], err = db.Staff(ctx, p.ID, false); err != nil {
				return n, err
			}
		}
		create := func(x mtvp.Activity) (mtvp.Activity, error) {
			x.RegionID = reg.ID
			if err := db.CreateActivity(ctx, a, &x); err != nil {
				return x, fmt.Errorf("demo: activity %q: %w", x.Title, err)
			}
			n++
			return x, nil
		}
		signUp := func(x mtvp.Activity, p mtvp.Practice, k int) error {
			st := staff[p.ID]
			for i := 0; i < k && i < len(st); i++ {
				s := mtvp.ActivitySignUp{ActivityID: x.ID, PracticeID: p.ID, PersonID: st[i].Person.ID}
				if err := db.SignUpForActivity(ctx, a, &s); err != nil {
					return fmt.Errorf("demo: sign up for %q: %w", x.Title, err)
				}
			}
			return nil
		}
		place := ps[0].City
		if place == "" {
			place = reg.Name
		}
		net, err := create(mtvp.Activity{Kind: mtvp.KindNetwork, Title: "Netwerkavond huisartsen en sociaal domein",
			Description: "Kennismaken met het wijkteam en de welzijnsorganisaties: wie doet wat, en hoe verwijzen we naar elkaar?",
			Date:        today.AddDays(16), StartTime: "19:00", EndTime: "21:30", Place: "Zalencentrum " + place, Capacity: 30})
		if err != nil {
			return n, err
		}
		for i, p := range ps[1:min(len(ps), 6)] {
			if err := signUp(net, p, 1+i%2); err != nil {
				return n, err
			}
		}
		small, err := create(mtvp.Activity{Kind: mtvp.KindNetwork, Title: "Intervisie-overstijgende netwerkbijeenkomst: het goede gesprek",
			Date: today.AddDays(37), StartTime: "17:30", EndTime: "20:00", Place: "Kantoor " + reg.Name, Capacity: 4})
		if err != nil {
			return n, err
		}
		for _, p := range ps[1:4] {
			if err := signUp(small, p, 2); err != nil {
				return n, err
			}
		}
		sh, err := create(mtvp.Activity{Kind: mtvp.KindShadowing, Title: "Meelopen met de triage-assistent",
			Description: "Een ochtend meekijken hoe de assistenten triëren en het belblok indelen.",
			Date:        today.AddDays(12), StartTime: "08:00", EndTime: "12:00", Place: ps[0].Name, Capacity: 2, HostPracticeID: ps[0].ID})
		if err != nil {
			return n, err
		}
		if err := db.AnswerShadowing(ctx, a, sh.ID, sh.Version, true); err != nil {
			return n, err
		}
		if err := signUp(sh, ps[2], 1); err != nil {
			return n, err
		}
		if _, err := create(mtvp.Activity{Kind: mtvp.KindShadowing, Title: "Meelopen: spreekuur met flexibele consultduur",
			Date: today.AddDays(26), StartTime: "13:00", EndTime: "17:00", Place: ps[3].Name, Capacity: 1, HostPracticeID: ps[3].ID}); err != nil {
			return n, err
		}
		scan := mtvp.Activity{Kind: mtvp.KindScan, Title: "Praktijkscan " + ps[1].Name, Date: today.AddDays(5), StartTime: "13:00", EndTime: "16:30",
			Place: ps[1].Name, Capacity: 4, HostPracticeID: ps[1].ID}
		if ps[1].ConsultantID != 0 {
			scan.ScanConsultantID = ps[1].ConsultantID
		} else {
			scan.ScanBy = "Bureau Praktijkontwikkeling Limburg"
		}
		if scan, err = create(scan); err != nil {
			return n, err
		}
		if err := signUp(scan, ps[1], 2); err != nil {
			return n, err
		}
		if err := db.SetActivityResult(ctx, a, scan.ID, scan.Version, store.Evidence{Name: "praktijkscan.pdf", Data: titledPDF("Praktijkscan " + ps[1].Name)}); err != nil {
			return n, err
		}
		// Profiles: the first practices wrote down their focus and
		// ambitions (the second one revised them once).
		for i, p := range ps[:3] {
			t := mtvp.PracticeProfileText{PracticeID: p.ID, Focus: demoFocus[i%len(demoFocus)], Ambitions: demoAmbitions[i%len(demoAmbitions)]}
			if err := db.SavePracticeProfileText(ctx, a, &t); err != nil {
				return n, err
			}
			if i == 1 {
				t.Ambitions += " Na de praktijkscan: ook de POH-GGZ meer inzetten bij veelgebruikers."
				if err := db.SavePracticeProfileText(ctx, a, &t); err != nil {
					return n, err
				}
			}
		}
		if ri == 0 {
			k := mtvp.ActivityKind{RegionID: reg.ID, Code: "lunch-leer", Name: "Lunch & leer", Counts: mtvp.CountsRegioplan}
			if err := db.SaveActivityKind(ctx, a, &k); err != nil {
				return n, err
			}
			ll, err := create(mtvp.Activity{Kind: k.Code, Title: "Lunch & leer: welzijn op recept", Date: today.AddDays(21), StartTime: "12:00", EndTime: "13:30",
				Place: "Kantoor " + reg.Name, Capacity: 15})
			if err != nil {
				return n, err
			}
			if err := signUp(ll, ps[0], 2); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// titledPDF is a minimal one-page PDF with a title (a scan report in the
// demo; the claims keep their even smaller demoPDF).
func titledPDF(title string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.4\n")
	stream := fmt.Sprintf("BT /F1 18 Tf 72 760 Td (%s) Tj ET", pdfEscape(title))
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func pdfEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 128:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
