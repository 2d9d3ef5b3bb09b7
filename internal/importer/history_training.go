package importer

import (
	"context"
	"strings"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Training completions and decided prior-learning claims.

const (
	colTraining    = "training"
	colTarget      = "target"
	colTheme       = "theme"
	colCompletedOn = "completed_on"
	colSource      = "source"
	colProvider    = "provider"
	colDecision    = "decision"
	colReason      = "reason"
	colDecidedBy   = "decided_by"
	colDecidedOn   = "decided_on"
)

// importedSessionPlace is the place of a session the import creates to
// hold completions of a training that had none on or before their date.
const importedSessionPlace = "Vastgelegd bij import"

func completionColumns() []HistColumn {
	cols := []HistColumn{
		{colTraining, "scholing", []string{"training", "titel scholing", "cursus"}, true, "Triage voor assistenten"},
		{colTarget, "doelgroep", []string{"target group", "voor"}, false, "assistenten"},
		{colTheme, "thema", []string{"theme"}, false, "triage"},
	}
	cols = append(cols, personColumns(false)...)
	return append(cols,
		HistColumn{colCompletedOn, "datum afgerond", []string{"afgerond op", "datum", "completed on"}, true, "15-05-2024"},
		HistColumn{colSource, "bron", []string{"aanbieder", "source"}, false, "presentielijst NHG"},
	)
}

func claimColumns() []HistColumn {
	cols := personColumns(true)
	return append(cols,
		HistColumn{colTraining, "scholing", []string{"training", "titel scholing", "cursus"}, true, "Positieve gezondheid"},
		HistColumn{colProvider, "aanbieder", []string{"provider"}, false, "Institute for Positive Health"},
		HistColumn{colTheme, "thema", []string{"theme"}, true, "positieve gezondheid"},
		HistColumn{colCompletedOn, "datum scholing", []string{"datum afgerond", "afgerond op", "completed on"}, true, "10-10-2023"},
		HistColumn{colDecision, "besluit", []string{"beslissing", "decision"}, true, "goedgekeurd"},
		HistColumn{colReason, "reden", []string{"toelichting", "reason"}, false, ""},
		HistColumn{colDecidedBy, "besloten door", []string{"consulent", "decided by"}, true, "consulent@regio.nl"},
		HistColumn{colDecidedOn, "besloten op", []string{"datum besluit", "decided on"}, true, "01-11-2023"},
	)
}

// parseTarget reads a training's target group.
func parseTarget(s string) (mtvp.TargetGroup, bool) {
	switch normHeader(s) {
	case "assistenten", "doktersassistenten", "assistent", "doktersassistent", "assistants":
		return mtvp.TargetAssistants, true
	case "huisartsen", "huisarts", "gps", "gp":
		return mtvp.TargetGPs, true
	case "beide", "iedereen", "both", "all":
		return mtvp.TargetBoth, true
	}
	return "", false
}

// theme finds a theme of the region's list (case and accents ignored).
func theme(themes []string, s string) (string, bool) {
	n := normHeader(s)
	for _, t := range themes {
		if normHeader(t) == n {
			return t, true
		}
	}
	return "", false
}

// ---- completions ----

type completionHandler struct {
	run       *historyRun
	themes    []string
	trainings map[string]*mtvp.Training // lower(title)
	sessions  map[int64][]mtvp.TrainingSession
	own       map[string]*store.SessionRow // sessions this run creates: training title|date
	done      map[store.CompletionKey]mtvp.Date
	fresh     map[freshCompletion]bool
	batch     store.TrainingBatch
}

type freshCompletion struct {
	training *mtvp.Training
	person   int64
}

func newCompletionHandler(run *historyRun) historyHandler {
	return &completionHandler{run: run, trainings: map[string]*mtvp.Training{}, sessions: map[int64][]mtvp.TrainingSession{},
		own: map[string]*store.SessionRow{}, fresh: map[freshCompletion]bool{}}
}

func (h *completionHandler) load(ctx context.Context) error {
	db, regionID := h.run.db, h.run.region.ID
	var err error
	if h.themes, err = db.TrainingThemes(ctx, regionID); err != nil {
		return err
	}
	ts, err := db.ListTrainings(ctx, regionID, true)
	if err != nil {
		return err
	}
	for i := range ts {
		t := ts[i]
		k := strings.ToLower(t.Title)
		if _, dup := h.trainings[k]; !dup {
			h.trainings[k] = &t
		}
	}
	h.done, err = db.RegionCompletions(ctx, regionID)
	return err
}

// session finds the session a completion belongs to: the training's last
// session that started on or before the date, else one this import
// creates on that date.
func (h *completionHandler) session(t *mtvp.Training, on mtvp.Date) *store.SessionRow {
	if t.ID != 0 {
		list, ok := h.sessions[t.ID]
		if !ok {
			var err error
			if list, err = h.run.db.SessionsOfTraining(h.run.ctx, t.ID); err != nil {
				list = nil
			}
			h.sessions[t.ID] = list
		}
		var best *mtvp.TrainingSession
		for i := range list {
			s := &list[i]
			if !s.FirstDate().After(on) && (best == nil || s.FirstDate().After(best.FirstDate())) {
				best = s
			}
		}
		if best != nil {
			return &store.SessionRow{Training: t, Session: *best}
		}
	}
	k := strings.ToLower(t.Title) + "|" + on.String()
	if s, ok := h.own[k]; ok {
		return s
	}
	s := &store.SessionRow{Training: t, Session: mtvp.TrainingSession{Dates: []mtvp.Date{on}, Place: importedSessionPlace, Capacity: mtvp.MaxSessionCapacity}}
	h.own[k] = s
	if !h.run.failed {
		h.batch.Sessions = append(h.batch.Sessions, s)
	}
	return s
}

func (h *completionHandler) row(r *hrow) {
	title := strings.Join(strings.Fields(r.required(colTraining)), " ")
	on := r.date(colCompletedOn, true)
	pr, prOK := r.practice(false)
	var person *personInfo
	if prOK {
		person = r.person(pr.ID)
	}
	if title == "" || on.IsZero() || person == nil || !r.ok() {
		return
	}
	t := h.trainings[strings.ToLower(title)]
	if t == nil {
		// Not on the menu: an external training, kept off the menu.
		target, ok := parseTarget(r.text(colTarget))
		if r.text(colTarget) == "" {
			r.fail(colTarget, "import.hist.err.target_required")
		} else if !ok {
			r.fail(colTarget, "import.hist.err.target", "assistenten, huisartsen, beide")
		}
		var themes []string
		if v := r.text(colTheme); v != "" {
			th, ok := theme(h.themes, v)
			if !ok {
				r.fail(colTheme, "import.hist.err.theme", strings.Join(h.themes, ", "))
			}
			themes = []string{th}
		}
		if !r.ok() {
			return
		}
		t = &mtvp.Training{RegionID: h.run.region.ID, Title: title, Target: target, Themes: themes, Provider: r.text(colSource),
			Description: "Externe scholing, vastgelegd bij import.", Active: false}
		t.Normalize()
		if err := t.Validate(h.themes); err != nil {
			r.failFields(err, map[string]string{"title": colTraining, "target": colTarget, "themes": colTheme, "provider": colSource}, colTraining)
			return
		}
		h.trainings[strings.ToLower(title)] = t
		r.effect("import.hist.eff.training_new", title)
		if !h.run.failed {
			h.batch.Trainings = append(h.batch.Trainings, t)
		}
	}
	if t.ID != 0 {
		if _, ok := h.done[store.CompletionKey{TrainingID: t.ID, PersonID: person.ID}]; ok {
			r.effect("import.hist.eff.unchanged")
			return
		}
	}
	if h.fresh[freshCompletion{t, person.ID}] {
		r.effect("import.hist.eff.unchanged")
		return
	}
	s := h.session(t, on)
	if err := mtvp.ValidateCompletion(on, s.Session, h.run.today); err != nil {
		r.failFields(err, nil, colCompletedOn)
		return
	}
	h.fresh[freshCompletion{t, person.ID}] = true
	r.effect("import.hist.eff.completion_new", title, on.Short())
	if !h.run.failed {
		h.batch.Completions = append(h.batch.Completions, &store.CompletionRow{Session: s,
			Completion: mtvp.Completion{PersonID: person.ID, CompletedOn: on, PersonName: person.Name}})
	}
}

func (h *completionHandler) flush(w *store.HistoryImport) error {
	if w != nil {
		if err := w.Training(&h.batch); err != nil {
			return err
		}
		for _, c := range h.batch.Completions {
			k := store.CompletionKey{TrainingID: c.Session.Training.ID, PersonID: c.Completion.PersonID}
			h.done[k] = c.Completion.CompletedOn
			delete(h.fresh, freshCompletion{c.Session.Training, c.Completion.PersonID})
		}
	}
	h.batch = store.TrainingBatch{}
	return nil
}

// ---- claims ----

type claimHandler struct {
	run      *historyRun
	themes   []string
	users    []mtvp.User
	existing map[claimKey]mtvp.Claim
	seen     map[claimKey]int // rows of this file
	batch    store.TrainingBatch
	changes  []claimChange
}

type claimKey struct {
	person, practice int64
	title, on        string
}

type claimChange struct {
	old    mtvp.Claim
	status mtvp.ClaimStatus
	reason string
	by     mtvp.SavedBy
	at     time.Time
}

func newClaimHandler(run *historyRun) historyHandler {
	return &claimHandler{run: run, existing: map[claimKey]mtvp.Claim{}, seen: map[claimKey]int{}}
}

func (h *claimHandler) load(ctx context.Context) error {
	db, regionID := h.run.db, h.run.region.ID
	var err error
	if h.themes, err = db.TrainingThemes(ctx, regionID); err != nil {
		return err
	}
	if h.users, err = db.ListUsers(ctx, regionID); err != nil {
		return err
	}
	cs, err := db.ListClaims(ctx, store.ClaimFilter{RegionID: regionID})
	if err != nil {
		return err
	}
	for _, c := range cs {
		h.existing[claimKey{c.PersonID, c.PracticeID, strings.ToLower(c.Title), c.CompletedOn.String()}] = c
	}
	return nil
}

// parseDecision reads a decision already taken.
func parseDecision(s string) (mtvp.ClaimStatus, bool) {
	switch normHeader(s) {
	case "goedgekeurd", "toegekend", "akkoord", "ja", "approved":
		return mtvp.ClaimApproved, true
	case "afgewezen", "afgekeurd", "nee", "rejected":
		return mtvp.ClaimRejected, true
	}
	return "", false
}

// decider finds who decided: a user of the region by e-mail or name, or
// else the name as written (a consultant who left before the move).
func (h *claimHandler) decider(v string) mtvp.SavedBy {
	for _, u := range h.users {
		if strings.EqualFold(u.Email, v) || strings.EqualFold(u.Name, v) {
			return mtvp.SavedBy{UserID: u.ID, Name: u.Name}
		}
	}
	return mtvp.SavedBy{Name: v}
}

func (h *claimHandler) row(r *hrow) {
	pr, prOK := r.practice(true)
	title := strings.Join(strings.Fields(r.required(colTraining)), " ")
	on := r.date(colCompletedOn, true)
	decidedOn := r.date(colDecidedOn, true)
	by := strings.Join(strings.Fields(r.required(colDecidedBy)), " ")
	status, ok := parseDecision(r.text(colDecision))
	if r.text(colDecision) == "" {
		r.fail(colDecision, "err.required")
	} else if !ok {
		r.fail(colDecision, "import.hist.err.decision", "goedgekeurd, afgewezen")
	}
	reason := r.text(colReason)
	if ok {
		if err := mtvp.ValidateDecision(status, reason); err != nil {
			r.failFields(err, map[string]string{"reason": colReason, "decision": colDecision}, colDecision)
		}
	}
	if !on.IsZero() && !decidedOn.IsZero() && decidedOn.Before(on) {
		r.fail(colDecidedOn, "import.hist.err.decided_before_training")
	}
	var person *personInfo
	if prOK && pr.ID != 0 {
		person = r.person(pr.ID)
	}
	th := r.text(colTheme)
	if th != "" {
		var found bool
		if th, found = theme(h.themes, th); !found {
			r.fail(colTheme, "import.hist.err.theme", strings.Join(h.themes, ", "))
		}
	}
	if person == nil || title == "" || on.IsZero() || decidedOn.IsZero() || !r.ok() {
		return
	}
	c := mtvp.Claim{RegionID: h.run.region.ID, PracticeID: pr.ID, PersonID: person.ID, Title: title, Provider: r.text(colProvider),
		CompletedOn: on, Theme: th, Status: status, Reason: reason}
	c.Normalize()
	// The rules of a new claim, with the person's roles at the practice
	// when it was decided: the cut-off date and the themes still apply.
	roles := person.rolesAt(pr.ID, decidedOn)
	if err := mtvp.ValidateClaim(&c, roles, h.run.region.Settings, h.run.today); err != nil {
		r.failFields(err, map[string]string{"person": colPersonName, "title": colTraining, "provider": colProvider,
			"completed_on": colCompletedOn, "theme": colTheme}, colTraining)
		return
	}
	key := claimKey{person.ID, pr.ID, strings.ToLower(title), on.String()}
	if first, dup := h.seen[key]; dup {
		r.fail(colTraining, "import.hist.err.duplicate_row", first)
		return
	}
	h.seen[key] = r.num
	decider := h.decider(by)
	at := time.Date(decidedOn.Year(), decidedOn.Month(), decidedOn.Day(), 12, 0, 0, 0, time.UTC)
	if old, ok := h.existing[key]; ok {
		if old.Status == status && old.Reason == c.Reason {
			r.effect("import.hist.eff.unchanged")
			return
		}
		r.effect("import.hist.eff.claim_decided", title)
		if !h.run.failed {
			h.changes = append(h.changes, claimChange{old: old, status: status, reason: c.Reason, by: decider, at: at})
		}
		return
	}
	c.DecidedBy, c.DecidedName, c.DecidedAt, c.CreatedAt = decider.UserID, decider.Name, at, at
	r.effect("import.hist.eff.claim_new", title, string(status))
	if !h.run.failed {
		h.batch.Claims = append(h.batch.Claims, &store.ClaimRow{Claim: c})
	}
}

func (h *claimHandler) flush(w *store.HistoryImport) error {
	if w != nil {
		if err := w.Training(&h.batch); err != nil {
			return err
		}
		for _, c := range h.changes {
			if err := w.DecideClaim(c.old, c.status, c.reason, c.by, c.at); err != nil {
				return err
			}
		}
	}
	h.batch = store.TrainingBatch{}
	h.changes = h.changes[:0]
	return nil
}
