package api

import (
	"context"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// proposalWorld adds, once per world, a submitted training proposal of P1
// (id 1).
func proposalWorld(f *fixture) {
	ctx := context.Background()
	ps, err := f.db.ListProposals(ctx, store.ProposalFilter{RegionID: f.regionA.ID, All: true})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(ps) > 0 {
		return
	}
	p := mtvp.Proposal{PracticeID: f.p1.ID, Title: "Omgaan met agressie", Provider: "NHG", Theme: mtvp.ThemeDifficultPatients,
		Target: mtvp.TargetAssistants, Why: "Veel vraag"}
	if err := f.db.SubmitProposal(ctx, mtvp.SystemActor, &p); err != nil {
		f.t.Fatal(err)
	}
}

func init() {
	w := proposalWorld
	list := seesRegionA.with(expect{facilitatorA: 403, funderA: 403})
	// P2 naming P1: not its practice (422); consultants, facilitators and
	// funders propose nothing (403).
	create := all(403).with(expect{anon: 401, adminB: 404, adminA: 201, platform: 201, practiceP1: 201, practiceP2: 422})
	advise := seesP1.with(expect{consultantA: 200, practiceP1: 403, adminA: 403, platform: 403})
	decide := seesP1.with(expect{consultantA: 403, practiceP1: 403, adminA: 200, platform: 200})
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/training-proposals", path: "/api/v1/regions/{region}/training-proposals", want: list, setup: w},
		routeRow{pattern: "POST /api/v1/regions/{code}/training-proposals", path: "/api/v1/regions/{region}/training-proposals",
			body: `{"practice_id":{practice},"title":"Agressie","provider":"NHG","theme":"omgaan met lastige patiënten","target":"assistenten","why":"Vraag"}`, want: create, setup: w},
		routeRow{pattern: "GET /api/v1/training-proposals/{id}", path: "/api/v1/training-proposals/1", want: seesP1, setup: w},
		routeRow{pattern: "PUT /api/v1/training-proposals/{id}/advice", path: "/api/v1/training-proposals/1/advice",
			body: `{"version":1,"advice":"positief","advice_text":"Goed idee"}`, want: advise, setup: w},
		routeRow{pattern: "PUT /api/v1/training-proposals/{id}/decision", path: "/api/v1/training-proposals/1/decision",
			body: `{"version":1,"decision":"accepteren","counts":true}`, want: decide, setup: w},
	)
}

func TestProposalSchemaMatchesJSON(t *testing.T) {
	id := int64(1)
	j := proposalToJSON(mtvp.Proposal{Version: 1})
	j.TrainingID = &id
	checkSchemasMatchJSON(t, map[string]any{"TrainingProposal": j})
}
