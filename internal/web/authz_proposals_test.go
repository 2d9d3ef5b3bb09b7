package web

import (
	"context"
	"net/url"
	"strconv"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// proposalWorld adds a submitted training proposal of P1 (id 1).
func proposalWorld(f *fixture) {
	ps, err := f.db.ListProposals(context.Background(), proposalAll(f))
	if err != nil {
		f.t.Fatal(err)
	}
	if len(ps) > 0 {
		return
	}
	p := mtvp.Proposal{PracticeID: f.p1.ID, Title: "Omgaan met agressie", Provider: "NHG", Theme: mtvp.ThemeDifficultPatients,
		Target: mtvp.TargetAssistants, Why: "Veel vraag in de praktijk"}
	if err := f.db.SubmitProposal(context.Background(), mtvp.SystemActor, &p); err != nil {
		f.t.Fatal(err)
	}
}

func init() {
	const base = "/regio/{region}/scholing/voorstellen"
	list := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 200, practiceP2: 200, facilitatorA: 403, funderA: 200}
	newPage := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 200, practiceP2: 200, facilitatorA: 403, funderA: 403}
	// P2 sending P1's id: its form only offers its own practice (422, nothing saved).
	create := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 303, practiceP2: 422, facilitatorA: 403, funderA: 403}
	advise := expect{anon: 401, platform: 403, adminA: 403, adminB: 404, consultantA: 303, consultantA2: 404, practiceP1: 403, practiceP2: 404, facilitatorA: 404, funderA: 404}
	decide := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 404, practiceP1: 403, practiceP2: 404, facilitatorA: 404, funderA: 404}
	form := url.Values{"title": {"Omgaan met agressie"}, "provider": {"NHG"}, "theme": {mtvp.ThemeDifficultPatients}, "target": {"assistenten"}, "why": {"Veel vraag"}}
	withPractice := func(f *fixture) { form.Set("practice", strconv.FormatInt(f.p1.ID, 10)) }
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base, want: list, setup: proposalWorld},
		routeRow{pattern: "GET " + base + "/nieuw", path: base + "/nieuw", want: newPage},
		routeRow{pattern: "POST " + base, path: base, form: form, want: create, setup: withPractice},
		routeRow{pattern: "GET " + base + "/{proposal}", path: base + "/1", want: practiceP1Page, setup: proposalWorld},
		routeRow{pattern: "POST " + base + "/{proposal}/advies", path: base + "/1/advies", form: url.Values{"version": {"1"}, "advice": {"positief"}, "advice_text": {"Goed idee"}}, want: advise, setup: proposalWorld},
		routeRow{pattern: "POST " + base + "/{proposal}/besluit", path: base + "/1/besluit", form: url.Values{"version": {"1"}, "decision": {"accepteren"}, "counts": {"1"}}, want: decide, setup: proposalWorld},
	)
}

func proposalAll(f *fixture) store.ProposalFilter {
	return store.ProposalFilter{RegionID: f.regionA.ID, All: true}
}
