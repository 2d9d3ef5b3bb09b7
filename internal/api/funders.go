package api

import (
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// Accountability to the insurers (issue 7): the region-level figures a
// funder sees, exactly as on its page (mtvp.BuildFunderFigures, counts
// under 5 suppressed). The named participation lists are included only
// when the region shares them with its insurers.

func (a *API) funderRoutes() []route {
	return []route{
		{"GET /api/v1/regions/{code}/figures", false, a.getFigures},
	}
}

// countJSON is a count as a funder may see it: value is null when
// suppressed ("< 5", or "x" when withheld to protect a small count).
type countJSON struct {
	Value         *int   `json:"value"`
	Suppressed    bool   `json:"suppressed"`
	Complementary bool   `json:"complementary"`
	RoundedTo     int    `json:"rounded_to,omitempty"`
	Display       string `json:"display"`
}

func countOf(c mtvp.FunderCount) countJSON {
	j := countJSON{Suppressed: c.Suppressed, Complementary: c.Complementary, Display: c.String()}
	if !c.Suppressed {
		n := c.N
		j.Value = &n
	}
	if c.Rounded {
		j.RoundedTo = mtvp.PatientsRoundTo
	}
	return j
}

// shareJSON is "met out of of" with suppression: met and percent are null
// unless bound is "exact"; "above" states met > above.
type shareJSON struct {
	Of      countJSON `json:"of"`
	Met     countJSON `json:"met"`
	Percent *int      `json:"percent"`
	Bound   string    `json:"bound"`
	Above   *int      `json:"above,omitempty"`
}

func shareOf(s mtvp.FunderShare) shareJSON {
	j := shareJSON{Of: countOf(s.Of), Met: countOf(s.Met), Bound: s.Bound}
	switch s.Bound {
	case mtvp.ShareExact:
		j.Bound = "exact"
		p := s.Percent
		j.Percent = &p
	case mtvp.ShareAbove:
		floor := s.AboveFloor()
		j.Above = &floor
	}
	return j
}

type quarterJSON struct {
	Quarter    string    `json:"quarter"`
	Started    countJSON `json:"started"`
	TakingPart countJSON `json:"taking_part"`
	Patients   countJSON `json:"patients"`
}

type planStatusJSON struct {
	Status string    `json:"status"`
	Count  countJSON `json:"count"`
}

type normFigureJSON struct {
	Code        mtvp.Requirement `json:"code"`
	NotRecorded bool             `json:"not_recorded"`
	Share       shareJSON        `json:"share"`
}

type visitFiguresJSON struct {
	Visited    countJSON `json:"visited"`
	Planned    countJSON `json:"planned"`
	NotPlanned countJSON `json:"not_planned"`
	Total      countJSON `json:"total"`
}

type snapshotFigureJSON struct {
	Title         string           `json:"title"`
	Year          int              `json:"year"`
	ReferenceDate date             `json:"reference_date"`
	FrozenAt      time.Time        `json:"frozen_at"`
	Practices     countJSON        `json:"practices"`
	Compliant     shareJSON        `json:"compliant"`
	Norms         []normFigureJSON `json:"norms"`
}

type trainingFigureJSON struct {
	Title  string    `json:"title"`
	People countJSON `json:"people"`
}

type participationTotalsJSON struct {
	IntervisionGroups   countJSON            `json:"intervision_groups"`
	IntervisionMembers  countJSON            `json:"intervision_members"`
	IntervisionAttended countJSON            `json:"intervision_attended"`
	TrainingPeople      countJSON            `json:"training_people"`
	TrainingCompletions countJSON            `json:"training_completions"`
	PerTraining         []trainingFigureJSON `json:"per_training"`
}

type obstacleJSON struct {
	Text  string    `json:"text"`
	Count countJSON `json:"count"`
}

type interventionObstaclesJSON struct {
	Code  string         `json:"code"`
	Title string         `json:"title"`
	Top   []obstacleJSON `json:"top"`
}

type intervisionPlaceJSON struct {
	Group        string         `json:"group"`
	PracticeAGB  string         `json:"practice_agb"`
	PracticeName string         `json:"practice_name"`
	PersonName   string         `json:"person_name"`
	Role         mtvp.StaffRole `json:"role"`
	Joined       *date          `json:"joined"`
	Left         *date          `json:"left"`
	Attended     int            `json:"attended"`
}

type trainingParticipationJSON struct {
	PracticeAGB  string         `json:"practice_agb"`
	PracticeName string         `json:"practice_name"`
	PersonName   string         `json:"person_name"`
	Role         mtvp.StaffRole `json:"role"`
	Training     string         `json:"training"`
	Provider     string         `json:"provider"`
	Date         date           `json:"date"`
	ByClaim      bool           `json:"by_claim"`
}

type participationListsJSON struct {
	Intervision []intervisionPlaceJSON      `json:"intervision"`
	Training    []trainingParticipationJSON `json:"training"`
}

type figuresJSON struct {
	Region               string                      `json:"region"`
	Year                 int                         `json:"year"`
	ReferenceDate        date                        `json:"reference_date"`
	SuppressionThreshold int                         `json:"suppression_threshold"`
	TakingPart           countJSON                   `json:"taking_part"`
	TakingPartPatients   countJSON                   `json:"taking_part_patients"`
	Quarters             []quarterJSON               `json:"quarters"`
	PlanStatuses         []planStatusJSON            `json:"plan_statuses"`
	NormsAvailable       bool                        `json:"norms_available"`
	Compliant            *shareJSON                  `json:"compliant"`
	Norms                []normFigureJSON            `json:"norms"`
	Visits               *visitFiguresJSON           `json:"visits"`
	Snapshots            []snapshotFigureJSON        `json:"snapshots"`
	ParticipationTotals  participationTotalsJSON     `json:"participation_totals"`
	Obstacles            []interventionObstaclesJSON `json:"obstacles"`
	ShareParticipation   bool                        `json:"share_participation"`
	// Participation: the named lists, present only when the region shares
	// them with its insurers.
	Participation *participationListsJSON `json:"participation,omitempty"`
}

func optDate(d mtvp.Date) *date {
	if d.IsZero() {
		return nil
	}
	x := dateOf(d)
	return &x
}

func normsJSON(ns []mtvp.NormFigure) []normFigureJSON {
	out := []normFigureJSON{}
	for _, n := range ns {
		out = append(out, normFigureJSON{Code: n.Code, NotRecorded: n.NotRecorded, Share: shareOf(n.Share)})
	}
	return out
}

func figuresToJSON(f mtvp.FunderFigures) figuresJSON {
	j := figuresJSON{Region: f.RegionCode, Year: f.Year, ReferenceDate: dateOf(f.Ref), SuppressionThreshold: mtvp.SuppressBelow,
		TakingPart: countOf(f.TakingPart), TakingPartPatients: countOf(f.TakingPartPatients), NormsAvailable: f.NormsAvailable,
		Norms: normsJSON(f.Norms), ShareParticipation: f.ShareParticipation,
		Quarters: []quarterJSON{}, PlanStatuses: []planStatusJSON{}, Snapshots: []snapshotFigureJSON{}, Obstacles: []interventionObstaclesJSON{}}
	for _, q := range f.Quarters {
		j.Quarters = append(j.Quarters, quarterJSON{Quarter: q.Quarter.String(), Started: countOf(q.Started), TakingPart: countOf(q.TakePart), Patients: countOf(q.Patients)})
	}
	for _, p := range f.PlanStatuses {
		st := string(p.Status)
		if st == "" {
			st = "geen"
		}
		j.PlanStatuses = append(j.PlanStatuses, planStatusJSON{Status: st, Count: countOf(p.Count)})
	}
	if f.NormsAvailable {
		c := shareOf(f.Compliant)
		j.Compliant = &c
	}
	if v := f.Visits; v != nil {
		j.Visits = &visitFiguresJSON{Visited: countOf(v.Visited), Planned: countOf(v.Planned), NotPlanned: countOf(v.NotPlanned), Total: countOf(v.Total)}
	}
	for _, s := range f.Snapshots {
		j.Snapshots = append(j.Snapshots, snapshotFigureJSON{Title: s.Title, Year: s.Year, ReferenceDate: dateOf(s.Ref), FrozenAt: s.FrozenAt.UTC(),
			Practices: countOf(s.Practices), Compliant: shareOf(s.Compliant), Norms: normsJSON(s.Norms)})
	}
	pt := f.Participation
	j.ParticipationTotals = participationTotalsJSON{IntervisionGroups: countOf(pt.IntervisionGroups), IntervisionMembers: countOf(pt.IntervisionMembers),
		IntervisionAttended: countOf(pt.IntervisionAttended), TrainingPeople: countOf(pt.TrainingPeople), TrainingCompletions: countOf(pt.TrainingCompletions),
		PerTraining: []trainingFigureJSON{}}
	for _, t := range pt.PerTraining {
		j.ParticipationTotals.PerTraining = append(j.ParticipationTotals.PerTraining, trainingFigureJSON{Title: t.Title, People: countOf(t.People)})
	}
	for _, io := range f.Obstacles {
		x := interventionObstaclesJSON{Code: io.Code, Title: io.Title, Top: []obstacleJSON{}}
		for _, o := range io.Top {
			x.Top = append(x.Top, obstacleJSON{Text: o.Text, Count: countOf(o.Count)})
		}
		j.Obstacles = append(j.Obstacles, x)
	}
	return j
}

// figuresYear reads ?year=YYYY (default this year); anything else is 400.
func figuresYear(r *http.Request, now int) (int, error) {
	q := r.URL.Query()
	for name := range q {
		if name != "year" {
			return 0, badRequest("api.err.query_unknown", name)
		}
	}
	if !q.Has("year") {
		return now, nil
	}
	s := q.Get("year")
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 2000 || y > now+1 {
		return 0, badRequest("api.err.query_value", "year")
	}
	return y, nil
}

// getFigures: the region's funders and admins (other members 403,
// outsiders 404).
func (a *API) getFigures(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeeFunderFigures(reg.ID) {
		return errForbidden
	}
	today := mtvp.DateOf(clock.Now())
	year, err := figuresYear(r, today.Year())
	if err != nil {
		return err
	}
	ctx := r.Context()
	in, err := a.db.FunderInput(ctx, reg, year, today)
	if err != nil {
		return err
	}
	j := figuresToJSON(mtvp.BuildFunderFigures(in))
	if reg.ShareParticipation && u.CanSeeParticipation(&reg) {
		lists := &participationListsJSON{Intervision: []intervisionPlaceJSON{}, Training: []trainingParticipationJSON{}}
		iv, err := a.db.IntervisionParticipation(ctx, reg.ID, year)
		if err != nil {
			return err
		}
		for _, x := range iv {
			lists.Intervision = append(lists.Intervision, intervisionPlaceJSON{Group: x.Group, PracticeAGB: x.PracticeAGB, PracticeName: x.PracticeName,
				PersonName: x.PersonName, Role: x.Role, Joined: optDate(x.Joined), Left: optDate(x.Left), Attended: x.Attended})
		}
		tr, err := a.db.Participation(ctx, reg.ID, 0)
		if err != nil {
			return err
		}
		for _, x := range tr {
			lists.Training = append(lists.Training, trainingParticipationJSON{PracticeAGB: x.PracticeAGB, PracticeName: x.PracticeName, PersonName: x.PersonName,
				Role: x.Role, Training: x.Training, Provider: x.Provider, Date: dateOf(x.Date), ByClaim: x.ByClaim})
		}
		j.Participation = lists
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}
