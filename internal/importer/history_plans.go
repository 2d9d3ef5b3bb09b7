package importer

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Plans van aanpak and consultant visits held.

const (
	colStatus        = "status"
	colFinalisedOn   = "finalised_on"
	colInterventions = "interventions"
	colVisitDate     = "visit_date"
	colConsultant    = "consultant"
	colSummary       = "summary"
)

func planColumns() []HistColumn {
	return []HistColumn{
		{colPractice, "AGB-code praktijk", []string{"AGB praktijk", "praktijk AGB", "AGB", "practice AGB"}, true, "01012345"},
		{colYear, "jaar", []string{"kalenderjaar", "year"}, true, "2024"},
		{colStatus, "status", []string{"status plan"}, true, "definitief"},
		{colFinalisedOn, "definitief op", []string{"datum definitief", "vastgesteld op", "finalised on"}, false, "01-03-2024"},
		{colInterventions, "interventies", []string{"interventiecodes", "gekozen interventies", "interventions"}, true, "A.1, B.2"},
	}
}

func visitColumns() []HistColumn {
	return []HistColumn{
		{colPractice, "AGB-code praktijk", []string{"AGB praktijk", "praktijk AGB", "AGB", "practice AGB"}, true, "01012345"},
		{colVisitDate, "datum bezoek", []string{"bezoekdatum", "datum", "visit date"}, true, "20-09-2024"},
		{colConsultant, "consulent", []string{"bezocht door", "consultant"}, true, "consulent@regio.nl"},
		{colSummary, "samenvatting", []string{"oordeel", "korte samenvatting", "summary"}, true, "Plan loopt goed; triage nog niet ingevoerd."},
	}
}

// parsePlanStatus reads a plan's status.
func parsePlanStatus(s string) (mtvp.PlanStatus, bool) {
	switch normHeader(s) {
	case "concept", "draft":
		return mtvp.PlanConcept, true
	case "inbespreking", "besproken", "indiscussion", "discussion":
		return mtvp.PlanDiscussion, true
	case "definitief", "vastgesteld", "final":
		return mtvp.PlanFinal, true
	}
	return "", false
}

type planHandler struct {
	run        *historyRun
	regioplans map[int]*mtvp.Regioplan // nil: none for the year
	seen       map[[2]int64]int        // practice, year → row
	batch      store.PlanBatch
	changes    []planChange
}

type planChange struct {
	plan      mtvp.Plan
	status    mtvp.PlanStatus
	content   mtvp.PlanContent
	finalised time.Time
}

func newPlanHandler(run *historyRun) historyHandler {
	return &planHandler{run: run, regioplans: map[int]*mtvp.Regioplan{}, seen: map[[2]int64]int{}}
}

func (h *planHandler) load(context.Context) error { return nil }

func (h *planHandler) regioplan(year int) (*mtvp.Regioplan, error) {
	if rp, ok := h.regioplans[year]; ok {
		return rp, nil
	}
	rp, err := h.run.db.Regioplan(h.run.ctx, h.run.region.ID, year)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		h.regioplans[year] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	h.regioplans[year] = &rp
	return &rp, nil
}

// codes returns the sorted intervention codes of a plan's content.
func codes(c mtvp.PlanContent) []string {
	out := make([]string, 0, len(c.Items))
	for _, it := range c.Items {
		out = append(out, it.Code)
	}
	slices.Sort(out)
	return out
}

func (h *planHandler) row(r *hrow) {
	pr, _ := r.practice(true)
	year := r.year(colYear)
	status, ok := parsePlanStatus(r.text(colStatus))
	if r.text(colStatus) == "" {
		r.fail(colStatus, "err.required")
	} else if !ok {
		r.fail(colStatus, "import.hist.err.plan_status", "concept, in bespreking, definitief")
	}
	finalised := r.date(colFinalisedOn, status == mtvp.PlanFinal)
	if status != mtvp.PlanFinal && !finalised.IsZero() {
		r.fail(colFinalisedOn, "import.hist.err.finalised_not_final")
	}
	if year != 0 && !finalised.IsZero() && (finalised.Year() < year-1 || finalised.Year() > year) {
		r.fail(colFinalisedOn, "import.hist.err.finalised_year", year)
	}
	var rp *mtvp.Regioplan
	if year != 0 {
		var err error
		if rp, err = h.regioplan(year); err != nil {
			r.fail(colYear, "err.internal")
		} else if rp == nil {
			r.fail(colYear, "import.hist.err.no_regioplan", year)
		}
	}
	var c mtvp.PlanContent
	if rp != nil {
		byCode := map[string]mtvp.Intervention{}
		for _, iv := range rp.Interventions {
			byCode[strings.ToUpper(iv.Code)] = iv
		}
		var unknown []string
		for _, code := range strings.FieldsFunc(r.text(colInterventions), func(c rune) bool { return c == ',' || c == ';' || c == ' ' }) {
			iv, ok := byCode[strings.ToUpper(code)]
			if !ok {
				unknown = append(unknown, code)
				continue
			}
			c.Items = append(c.Items, mtvp.PlanItem{InterventionID: iv.ID})
		}
		if len(unknown) > 0 {
			var offered []string
			for _, iv := range rp.Interventions {
				offered = append(offered, iv.Code)
			}
			r.fail(colInterventions, "import.hist.err.intervention_unknown", strings.Join(unknown, ", "), year, strings.Join(offered, ", "))
		}
		mtvp.NormalizePlan(&c, rp)
	}
	if pr.ID == 0 || year == 0 || rp == nil || !r.ok() {
		return
	}
	key := [2]int64{pr.ID, int64(year)}
	if first, dup := h.seen[key]; dup {
		r.fail(colYear, "import.hist.err.duplicate_row", first)
		return
	}
	h.seen[key] = r.num
	var at time.Time
	if !finalised.IsZero() {
		at = time.Date(finalised.Year(), finalised.Month(), finalised.Day(), 12, 0, 0, 0, time.UTC)
	}
	actor := mtvp.SavedBy{UserID: h.run.opt.Actor.UserID, Name: h.run.opt.Actor.Name}
	old, err := h.run.db.Plan(h.run.ctx, pr.ID, year)
	switch {
	case err == nil:
		l := old.Latest()
		same := l != nil && l.Status == status && slices.Equal(codes(l.Content), codes(c)) &&
			(status != mtvp.PlanFinal || mtvp.DateOf(l.FinalisedAt).Equal(finalised))
		if same {
			r.effect("import.hist.eff.unchanged")
			return
		}
		r.effect("import.hist.eff.plan_version", pr.Name, strconv.Itoa(year))
		if !h.run.failed {
			h.changes = append(h.changes, planChange{plan: old, status: status, content: c, finalised: at})
		}
	case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
		v := mtvp.PlanVersion{Status: status, Content: c, SavedBy: actor, SavedAt: at}
		if status == mtvp.PlanFinal {
			v.FinalisedBy, v.FinalisedAt = actor, at
		}
		r.effect("import.hist.eff.plan_new", pr.Name, strconv.Itoa(year))
		if !h.run.failed {
			h.batch.Plans = append(h.batch.Plans, &store.PlanRecord{Plan: mtvp.Plan{RegionID: h.run.region.ID, PracticeID: pr.ID,
				Year: year, Versions: []mtvp.PlanVersion{v}, CreatedAt: at, UpdatedAt: at}})
		}
	default:
		r.fail(colPractice, "err.internal")
	}
}

func (h *planHandler) flush(w *store.HistoryImport) error {
	if w != nil {
		if err := w.Plans(&h.batch); err != nil {
			return err
		}
		actor := mtvp.SavedBy{UserID: h.run.opt.Actor.UserID, Name: h.run.opt.Actor.Name}
		for i := range h.changes {
			c := &h.changes[i]
			if err := w.AddPlanVersion(&c.plan, c.status, c.content, actor, c.finalised); err != nil {
				return err
			}
		}
	}
	h.batch = store.PlanBatch{}
	h.changes = h.changes[:0]
	return nil
}

// ---- visits ----

type visitHandler struct {
	run         *historyRun
	consultants []mtvp.User
	existing    map[[2]int64]mtvp.Visit // practice, year → visit not cancelled
	seen        map[[2]int64]int
	batch       []*mtvp.Visit
	changes     []visitChange
}

type visitChange struct {
	old        mtvp.Visit
	on         mtvp.Date
	consultant mtvp.SavedBy
	judgement  string
}

func newVisitHandler(run *historyRun) historyHandler {
	return &visitHandler{run: run, existing: map[[2]int64]mtvp.Visit{}, seen: map[[2]int64]int{}}
}

func (h *visitHandler) load(ctx context.Context) error {
	db, regionID := h.run.db, h.run.region.ID
	var err error
	if h.consultants, err = db.ListUsers(ctx, regionID); err != nil {
		return err
	}
	vs, err := db.ListVisits(ctx, store.VisitFilter{RegionID: regionID})
	if err != nil {
		return err
	}
	for _, v := range vs {
		if v.Status != mtvp.VisitCancelled {
			h.existing[[2]int64{v.PracticeID, int64(v.Year)}] = v
		}
	}
	return nil
}

// consultant finds the consultant by e-mail or name among the region's
// accounts; one who has none (left before the move) is kept by name.
func (h *visitHandler) consultant(v string) mtvp.SavedBy {
	for _, u := range h.consultants {
		if strings.EqualFold(u.Email, v) || strings.EqualFold(u.Name, v) {
			return mtvp.SavedBy{UserID: u.ID, Name: u.Name}
		}
	}
	return mtvp.SavedBy{Name: v}
}

func (h *visitHandler) row(r *hrow) {
	pr, _ := r.practice(true)
	on := r.date(colVisitDate, true)
	cons := strings.Join(strings.Fields(r.required(colConsultant)), " ")
	summary := strings.TrimSpace(r.required(colSummary))
	if len(summary) > mtvp.VisitJudgementMax {
		r.fail(colSummary, "err.too_long")
	}
	if pr.ID == 0 || on.IsZero() || !r.ok() {
		return
	}
	key := [2]int64{pr.ID, int64(on.Year())}
	if first, dup := h.seen[key]; dup {
		r.fail(colVisitDate, "import.hist.err.visit_twice", first)
		return
	}
	h.seen[key] = r.num
	c := h.consultant(cons)
	if old, ok := h.existing[key]; ok {
		switch {
		case old.Status == mtvp.VisitDone && old.VisitedOn.Equal(on) && old.Judgement == summary:
			r.effect("import.hist.eff.unchanged")
		case old.Status == mtvp.VisitDone:
			r.fail(colVisitDate, "import.hist.err.visit_recorded", old.VisitedOn.Short())
		default:
			r.effect("import.hist.eff.visit_recorded", pr.Name, on.Short())
			if !h.run.failed {
				h.changes = append(h.changes, visitChange{old: old, on: on, consultant: c, judgement: summary})
			}
		}
		return
	}
	v := &mtvp.Visit{PracticeID: pr.ID, Year: on.Year(), PlannedOn: on, VisitedOn: on, ConsultantID: c.UserID, ConsultantName: c.Name,
		Judgement: summary, RecordedBy: c}
	v.Status = mtvp.VisitDone
	if err := v.ValidateOutcome(h.run.today); err != nil {
		r.failFields(err, map[string]string{"visited_on": colVisitDate, "judgement": colSummary}, colSummary)
		return
	}
	r.effect("import.hist.eff.visit_new", pr.Name, on.Short())
	if !h.run.failed {
		h.batch = append(h.batch, v)
	}
}

func (h *visitHandler) flush(w *store.HistoryImport) error {
	if w != nil {
		if err := w.Visits(h.batch); err != nil {
			return err
		}
		for _, c := range h.changes {
			if err := w.RecordVisit(c.old, c.on, c.consultant.UserID, c.consultant.Name, c.judgement); err != nil {
				return err
			}
		}
	}
	h.batch = h.batch[:0]
	h.changes = h.changes[:0]
	return nil
}

// historySpecs: the columns and the handler of each kind.
var historySpecs = map[HistoryKind]historySpec{
	HistoryIntervision: {intervisionColumns(), newIVHandler},
	HistoryCompletions: {completionColumns(), newCompletionHandler},
	HistoryClaims:      {claimColumns(), newClaimHandler},
	HistoryPlans:       {planColumns(), newPlanHandler},
	HistoryVisits:      {visitColumns(), newVisitHandler},
	HistoryIndicators:  {indicatorColumns(), newIndicatorHandler},
}
