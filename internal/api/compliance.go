package api

// Compliance over the API: a practice's standing against the region's
// agreements with its insurers, and the standing of all practices of a
// region, for a programme year at a reference date. The rule is
// mtvp.EvaluateCompliance; the facts come from store.ComplianceFacts in a
// fixed number of queries.
//
// Names of people appear only for callers who may see the practice's
// people (its own login, its consultant, region admins). Funders,
// facilitators and other practices get 404 on both routes: funders see
// aggregates elsewhere.

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"meertijd/internal/clock"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

func (a *API) complianceRoutes() []route {
	return []route{
		{"GET /api/v1/practices/{id}/compliance", false, a.getPracticeCompliance},
		{"GET /api/v1/regions/{code}/compliance", false, a.getRegionCompliance},
	}
}

// ---- wire types ----

type compliancePersonJSON struct {
	PersonID int64          `json:"person_id"`
	Name     string         `json:"name"`
	Role     mtvp.StaffRole `json:"role"`
	Met      bool           `json:"met"`
	Pending  bool           `json:"pending"`
	Via      string         `json:"via"`
	ViaDate  date           `json:"via_date"`
	ByClaim  bool           `json:"by_claim"`
	// ViaActivity: the activity by which the person meets the norm (its
	// kind counts towards it); 0 otherwise.
	ViaActivity int64 `json:"via_activity"`
}

type complianceRequirementJSON struct {
	Code        mtvp.Requirement      `json:"code"`
	Status      mtvp.ComplianceStatus `json:"status"`
	Required    int                   `json:"required"`
	Actual      int                   `json:"actual"`
	Pending     int                   `json:"pending"`
	Denominator int                   `json:"denominator"`
	Explanation string                `json:"explanation"`
	MessageKey  string                `json:"message_key"`
	Next        []string              `json:"next"`
	Missing     []string              `json:"missing_interventions"`
	// People is absent for callers who may not see the practice's people.
	People *[]compliancePersonJSON `json:"people,omitempty"`
}

type practiceComplianceJSON struct {
	PracticeID   int64                       `json:"practice_id"`
	PracticeName string                      `json:"practice_name"`
	AGB          string                      `json:"agb"`
	Status       mtvp.PracticeStatus         `json:"practice_status"`
	ConsultantID *int64                      `json:"consultant_id"`
	InflowWave   string                      `json:"inflow_wave"`
	Counted      bool                        `json:"counted"`
	Year         int                         `json:"year"`
	Date         date                        `json:"date"`
	Compliant    bool                        `json:"compliant"`
	AtRisk       bool                        `json:"at_risk"`
	Requirements []complianceRequirementJSON `json:"requirements"`
}

type requirementTotalsJSON struct {
	Code          mtvp.Requirement `json:"code"`
	Met           int              `json:"met"`
	NotMet        int              `json:"not_met"`
	NotApplicable int              `json:"not_applicable"`
	NotRecorded   int              `json:"not_recorded"`
}

type complianceTotalsJSON struct {
	Practices    int                     `json:"practices"`
	Compliant    int                     `json:"compliant"`
	AtRisk       int                     `json:"at_risk"`
	Requirements []requirementTotalsJSON `json:"requirements"`
}

type regionComplianceJSON struct {
	Region string               `json:"region"`
	Year   int                  `json:"year"`
	Date   date                 `json:"date"`
	Totals complianceTotalsJSON `json:"totals"`
	// Practices is the page's window; Total counts all of them (as
	// Totals.Practices) and Next links the following page.
	Practices []practiceComplianceJSON `json:"practices"`
	Total     int                      `json:"total"`
	Next      string                   `json:"next,omitempty"`
}

func standingToJSON(p mtvp.Practice, st mtvp.Standing, s mtvp.NormSettings, today mtvp.Date, withPeople bool, lang string) practiceComplianceJSON {
	j := practiceComplianceJSON{PracticeID: p.ID, PracticeName: p.Name, AGB: p.AGB, Status: p.Status, InflowWave: p.InflowWave,
		Counted: mtvp.CountsInCompliance(p, st.Year), Year: st.Year, Date: dateOf(st.Ref), Compliant: st.Compliant,
		AtRisk: mtvp.AtRisk(st, s, today), Requirements: []complianceRequirementJSON{}}
	if p.ConsultantID != 0 {
		id := p.ConsultantID
		j.ConsultantID = &id
	}
	for _, r := range st.Requirements {
		rj := complianceRequirementJSON{Code: r.Code, Status: r.Status, Required: r.Required, Actual: r.Actual, Pending: r.Pending,
			Denominator: r.Denominator, Explanation: i18n.T(lang, r.MessageKey, r.Args...), MessageKey: r.MessageKey,
			Next: []string{}, Missing: []string{}}
		for _, m := range r.NextMsgs {
			rj.Next = append(rj.Next, m.Text(lang))
		}
		for _, iv := range r.Missing {
			rj.Missing = append(rj.Missing, iv.Code+" "+iv.Title)
		}
		if withPeople {
			people := []compliancePersonJSON{}
			for _, pp := range r.People {
				people = append(people, compliancePersonJSON{PersonID: pp.PersonID, Name: pp.Name, Role: pp.Role, Met: pp.Met,
					Pending: pp.Pending, Via: pp.Via, ViaDate: dateOf(pp.ViaDate), ByClaim: pp.ByClaim, ViaActivity: pp.ViaActivity})
			}
			rj.People = &people
		}
		j.Requirements = append(j.Requirements, rj)
	}
	return j
}

// complianceQuery reads ?year=YYYY&date=YYYY-MM-DD. Without year: the
// date's year, else this year. Without date: today, at most December 31
// of the year. A date outside the year, a bad value or an unknown
// parameter is 400 naming the parameter.
//
// Other parameters the route knows (its paging) are named in known.
func complianceQuery(r *http.Request, today mtvp.Date, known ...string) (year int, ref mtvp.Date, err error) {
	q := r.URL.Query()
	for name := range q {
		if name != "year" && name != "date" && !slices.Contains(known, name) {
			return 0, ref, badRequest("api.err.query_unknown", name)
		}
	}
	if ref, err = queryDate(q, "date"); err != nil {
		return 0, ref, err
	}
	year = today.Year()
	if !ref.IsZero() {
		year = ref.Year()
	}
	if year, err = queryYear(q, "year", year); err != nil {
		return 0, ref, err
	}
	if ref.IsZero() {
		ref = mtvp.ReferenceDate(year, today)
	} else if err := inYear("date", ref, year); err != nil {
		return 0, ref, err
	}
	return year, ref, nil
}

// getPracticeCompliance: the practice, its consultant and region admins.
func (a *API) getPracticeCompliance(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeePracticeStanding(&p) {
		return errNotFound
	}
	today := mtvp.DateOf(clock.Now())
	year, ref, err := complianceQuery(r, today)
	if err != nil {
		return err
	}
	reg, err := a.db.RegionByID(r.Context(), p.RegionID)
	if err != nil {
		return err
	}
	facts, err := a.db.PracticeComplianceFacts(r.Context(), p.ID, year, ref)
	if err != nil {
		return err
	}
	st := mtvp.EvaluateCompliance(facts, reg.Settings, year, ref)
	writeJSON(w, http.StatusOK, standingToJSON(facts.Practice, st, reg.Settings, today, u.CanSeePractice(&p), langOf(r)))
	return nil
}

// complianceDefaultLimit is the page size of the region's standing
// without ?limit= (smaller than other lists: a practice is a large item).
const complianceDefaultLimit = 50

// getRegionCompliance: region admins (all practices counted that year) and
// consultants (their own); everyone else 404.
//
// The standings come from store.RegionStandings, evaluated once per change
// of the region; a request reads the region's change counter and looks
// them up. The answer pages through the practices (?limit=, default 50,
// ?offset=) with the totals of all of them; people's names only with
// ?include=people. Its ETag is made of the change counter and everything
// else the answer depends on, so If-None-Match answers 304 without
// building the body.
func (a *API) getRegionCompliance(w http.ResponseWriter, r *http.Request) error {
	// regionFor with the region's change counter in the same query.
	reg, counter, err := a.db.RegionByCodeWithChange(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeeRegion(reg.ID) {
		return errNotFound
	}
	if !u.CanSeeComplianceDashboard(reg.ID) {
		return errNotFound
	}
	scope, ok := u.PracticeScope(mtvp.PracticeFilter{RegionID: reg.ID})
	if !ok {
		return errNotFound
	}
	pg, err := pageParams(r, "year", "date", "include")
	if err != nil {
		return err
	}
	if !r.URL.Query().Has("limit") {
		pg.Limit = complianceDefaultLimit
	}
	withPeople := false
	if q := r.URL.Query(); q.Has("include") {
		if q.Get("include") != "people" || len(q["include"]) != 1 {
			return badRequest("api.err.query_value", "include")
		}
		withPeople = true
	}
	today := mtvp.DateOf(clock.Now())
	year, ref, err := complianceQuery(r, today, "limit", "offset", "include")
	if err != nil {
		return err
	}
	rs, err := a.db.RegionStandingsAt(r.Context(), reg.ID, year, ref, counter)
	if err != nil {
		return err
	}
	lang := langOf(r)
	// The answer depends on the region's data (the counter), the caller
	// (scope, who may see names), the language, today (at risk, the
	// default date) and the window asked for.
	etag := fmt.Sprintf(`W/"c%d-%s"`, rs.Counter, etagHash(strconv.FormatInt(reg.ID, 10), strconv.FormatInt(u.ID, 10), lang, today.String(),
		strconv.Itoa(year), ref.String(), strconv.Itoa(pg.Limit), strconv.Itoa(pg.Offset), strconv.FormatBool(withPeople)))
	if notModified(w, r, etag) {
		return nil
	}
	// The same answer asked again (another client of the same caller, or
	// one that does not keep ETags) is sent as encoded the first time.
	if body, ok := a.bodies.Get(etag); ok {
		body.write(w, r)
		return nil
	}
	out := regionComplianceJSON{Region: reg.Code, Year: year, Date: dateOf(ref), Practices: []practiceComplianceJSON{}}
	byCode := map[mtvp.Requirement]*requirementTotalsJSON{}
	for _, q := range mtvp.AllRequirements {
		out.Totals.Requirements = append(out.Totals.Requirements, requirementTotalsJSON{Code: q})
	}
	for i := range out.Totals.Requirements {
		byCode[out.Totals.Requirements[i].Code] = &out.Totals.Requirements[i]
	}
	// Totals over every practice in scope; JSON only for the window.
	n := 0
	for i := range rs.Practices {
		ps := &rs.Practices[i]
		p := &ps.Practice
		if !mtvp.CountsInCompliance(*p, year) || (scope.OnlyConsultant != 0 && p.ConsultantID != scope.OnlyConsultant) {
			continue
		}
		st := &ps.Standing
		if n >= pg.Offset && n < pg.Offset+pg.Limit {
			out.Practices = append(out.Practices, standingToJSON(*p, *st, rs.Settings, today, withPeople && u.CanSeePractice(p), lang))
		}
		n++
		out.Totals.Practices++
		if st.Compliant {
			out.Totals.Compliant++
		}
		if mtvp.AtRisk(*st, rs.Settings, today) {
			out.Totals.AtRisk++
		}
		for _, rq := range st.Requirements {
			t := byCode[rq.Code]
			switch rq.Status {
			case mtvp.StatusMet:
				t.Met++
			case mtvp.StatusNotMet:
				t.NotMet++
			case mtvp.StatusNotApplicable:
				t.NotApplicable++
			case mtvp.StatusNotRecorded:
				t.NotRecorded++
			}
		}
	}
	out.Total = n
	_, hi := pg.window(n)
	out.Next = pg.next(hi, n)
	body, err := newCachedBody(out)
	if err != nil {
		return err
	}
	body.next = out.Next
	a.bodies.Add(etag, body)
	body.write(w, r)
	return nil
}
