package api

// Consult duration over the API (issue 15 §1): upload a practice's agenda
// export (CSV or FHIR R4 Appointment NDJSON as the raw body; parsed and
// stored by agenda.Upload, as the web page does) and read its weekly
// aggregates. The practice, its consultant and region admins; everyone
// else (funders included) 404.

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"

	"meertijd/internal/agenda"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

const agendaUploadsPattern = "POST /api/v1/practices/{id}/agenda-uploads"

func init() {
	// The export is the body itself, streamed: up to 2 GB.
	routeBodyLimits[agendaUploadsPattern] = 2 << 30
}

func (a *API) agendaRoutes() []route {
	return []route{
		{agendaUploadsPattern, false, a.postAgendaUpload},
		{"GET /api/v1/practices/{id}/consult-weeks", false, a.getConsultWeeks},
		{"GET /api/v1/regions/{code}/consult-weeks", false, a.getRegionConsult},
	}
}

// ---- wire types ----

type consultUploadJSON struct {
	ID        int64                `json:"id"`
	Format    string               `json:"format"`
	FileName  string               `json:"file_name"`
	Rows      int64                `json:"rows"`
	Used      int64                `json:"used"`
	Skipped   int64                `json:"skipped"`
	Bad       int64                `json:"bad"`
	BadRows   []mtvp.ConsultBadRow `json:"bad_rows"`
	Unknown   []string             `json:"unknown_practitioners"`
	FirstWeek string               `json:"first_week"`
	LastWeek  string               `json:"last_week"`
	By        string               `json:"uploaded_by"`
	At        string               `json:"uploaded_at"`
}

func uploadToJSON(up mtvp.ConsultUpload) consultUploadJSON {
	bad := up.BadRows
	if bad == nil {
		bad = []mtvp.ConsultBadRow{}
	}
	unknown := up.UnknownRoles
	if unknown == nil {
		unknown = []string{}
	}
	return consultUploadJSON{ID: up.ID, Unknown: unknown, Format: up.Format, FileName: up.FileName, Rows: up.Rows, Used: up.Used, Skipped: up.Skipped,
		Bad: up.Bad, BadRows: bad, FirstWeek: up.First.String(), LastWeek: up.Last.String(), By: up.By.Name,
		At: up.At.UTC().Format("2006-01-02T15:04:05Z")}
}

type consultBucketsJSON struct {
	Lt10  int64 `json:"lt10"`
	M1015 int64 `json:"m10_15"`
	M1520 int64 `json:"m15_20"`
	M2030 int64 `json:"m20_30"`
	Ge30  int64 `json:"ge30"`
}

type consultWeekJSON struct {
	Week             string             `json:"week"`
	Role             mtvp.ConsultRole   `json:"role"`
	Consults         int64              `json:"consults"`
	MeanMinutes      float64            `json:"mean_minutes"`
	Buckets          consultBucketsJSON `json:"buckets"`
	DoubleConsults   int64              `json:"double_consults"`
	DoubleShare      float64            `json:"double_share"`
	MeetsGoal        bool               `json:"meets_goal"`
	GPFTE            float64            `json:"gp_fte"`
	ConsultsPerGPFTE *float64           `json:"consults_per_gp_fte"`
}

type consultWeeksJSON struct {
	PracticeID  int64              `json:"practice_id"`
	GoalMinutes int                `json:"goal_minutes"`
	LastUpload  *consultUploadJSON `json:"last_upload"`
	Weeks       []consultWeekJSON  `json:"weeks"`
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// agendaRefusal is the 422 of a refused file: the message (Dutch, as the
// parser writes it) and what was read of it; for a CSV with new columns
// also the header and a proposed mapping.
type agendaRefusal struct {
	Error   errorJSON            `json:"error"`
	Rows    int64                `json:"rows"`
	Bad     int64                `json:"bad"`
	BadRows []mtvp.ConsultBadRow `json:"bad_rows"`
	Unknown []string             `json:"unknown_practitioners,omitempty"`
	Columns []string             `json:"columns,omitempty"`
	Guess   *agenda.Mapping      `json:"proposed_mapping,omitempty"`
}

// consultPracticeFor loads {id} for the consult routes: the practice, its
// consultant and region admins; anyone else 404.
func (a *API) consultPracticeFor(r *http.Request) (mtvp.Practice, error) {
	p, err := a.practiceFor(r)
	if err == nil && !userOf(r).CanSeeConsultDuration(&p) {
		err = errNotFound
	}
	return p, err
}

// mappingParams are the query parameters naming CSV columns.
var mappingParams = []string{"start", "end", "duration", "date", "type", "role", "default_role"}

// postAgendaUpload: the body is the export. Query parameters start, end,
// duration, date, type, role (column names) and default_role give a
// mapping, remembered once the upload is accepted; without them the
// practice's remembered mapping is used. practitioner=Name:role (repeated)
// gives practitioners a role (unknown_practitioners of an earlier upload).
func (a *API) postAgendaUpload(w http.ResponseWriter, r *http.Request) error {
	p, err := a.consultPracticeFor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	for name := range q {
		if name != "file_name" && name != "practitioner" && !slices.Contains(mappingParams, name) {
			return badRequest("api.err.query_unknown", name)
		}
	}
	in := agenda.UploadInput{PracticeID: p.ID, File: r.Body, FileName: strings.TrimSpace(q.Get("file_name"))}
	if in.FileName == "" {
		in.FileName = "api"
	}
	if len([]rune(in.FileName)) > 120 {
		return badRequest("api.err.query_value", "file_name")
	}
	for _, pr := range q["practitioner"] {
		i := strings.LastIndexByte(pr, ':')
		if i <= 0 || !mtvp.ConsultRole(pr[i+1:]).Valid() {
			return badRequest("api.err.query_value", "practitioner")
		}
		if in.Roles == nil {
			in.Roles = map[string]mtvp.ConsultRole{}
		}
		in.Roles[strings.TrimSpace(pr[:i])] = mtvp.ConsultRole(pr[i+1:])
	}
	for _, name := range mappingParams {
		if q.Has(name) {
			m := agenda.Mapping{Start: q.Get("start"), End: q.Get("end"), Duration: q.Get("duration"), Date: q.Get("date"),
				Type: q.Get("type"), Role: q.Get("role"), DefaultRole: mtvp.ConsultRole(q.Get("default_role"))}
			in.Mapping = &m
			break
		}
	}
	out, err := agenda.Upload(r.Context(), a.db, actorOf(userOf(r)), in)
	var fe *agenda.FileError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge, key: "api.err.too_large", args: []any{byteSize(tooBig.Limit)}}
	case errors.As(err, &fe):
		body := agendaRefusal{Error: errorJSON{Code: mtvp.EINVALID, Message: fe.Msg}, BadRows: []mtvp.ConsultBadRow{}}
		if fe.Result != nil {
			body.Rows, body.Bad, body.BadRows, body.Unknown = fe.Result.Rows, fe.Result.Bad, fe.Result.BadRows, fe.Result.UnknownRoles
		}
		if out.NeedMapping != nil {
			body.Columns, body.Guess = out.NeedMapping.Columns, &out.Guess
		}
		writeJSON(w, http.StatusUnprocessableEntity, body)
		return nil
	case err != nil:
		return err
	case out.NeedMapping != nil:
		g := out.Guess
		writeJSON(w, http.StatusUnprocessableEntity, agendaRefusal{
			Error:   errorJSON{Code: "mapping_required", Message: i18n.T(langOf(r), "consult.api.mapping_required")},
			BadRows: []mtvp.ConsultBadRow{}, Columns: out.NeedMapping.Columns, Guess: &g})
		return nil
	}
	writeJSON(w, http.StatusCreated, uploadToJSON(*out.Upload))
	return nil
}

// getConsultWeeks: the practice's weekly aggregates, ?from= and ?to= as
// ISO weeks ("2026-W01"), ?role= one consult role.
func (a *API) getConsultWeeks(w http.ResponseWriter, r *http.Request) error {
	p, err := a.consultPracticeFor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var from, to mtvp.Week
	var role mtvp.ConsultRole
	for name := range q {
		v := q.Get(name)
		ok := true
		switch name {
		case "from":
			from, ok = mtvp.ParseISOWeek(v)
		case "to":
			to, ok = mtvp.ParseISOWeek(v)
		case "role":
			role = mtvp.ConsultRole(v)
			ok = role.Valid()
		default:
			return badRequest("api.err.query_unknown", name)
		}
		if !ok {
			return badRequest("api.err.query_value", name)
		}
	}
	ctx := r.Context()
	weeks, err := a.db.AgendaWeeks(ctx, p.ID, from, to)
	if err != nil {
		return err
	}
	staff, err := a.db.Staff(ctx, p.ID, true)
	if err != nil {
		return err
	}
	ms := mtvp.MembershipsOf(staff)
	out := consultWeeksJSON{PracticeID: p.ID, GoalMinutes: mtvp.ConsultGoalMinutes, Weeks: []consultWeekJSON{}}
	if up, ok, err := a.db.LatestAgendaUpload(ctx, p.ID); err != nil {
		return err
	} else if ok {
		j := uploadToJSON(up)
		out.LastUpload = &j
	}
	for _, f := range mtvp.FiguresOf(weeks, ms) {
		if role != "" && f.Role != role {
			continue
		}
		b := f.Buckets
		wj := consultWeekJSON{Week: f.Week.String(), Role: f.Role, Consults: f.Count, MeanMinutes: round2(f.Mean),
			Buckets:        consultBucketsJSON{b[0], b[1], b[2], b[3], b[4]},
			DoubleConsults: f.Doubles, DoubleShare: round2(f.DoubleShare), MeetsGoal: f.MeetsGoal, GPFTE: f.GPFTE}
		if !math.IsNaN(f.PerGPFTE) {
			v := round2(f.PerGPFTE)
			wj.ConsultsPerGPFTE = &v
		}
		out.Weeks = append(out.Weeks, wj)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
