package web

// Consult duration ("Consultduur", issue 15 §1): a practice's page with the
// upload of its agenda export (and the column-mapping step for a CSV with
// new columns), the result of the last upload and the week chart. Parsing
// and storing is agenda.Upload, shared with the API.

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"path/filepath"
	"strings"

	"meertijd/internal/agenda"
	"meertijd/internal/chart"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// agendaBodyLimit bounds an upload: a year of a large practice is some
// tens of megabytes; ten million rows about 700 MB. The file is streamed,
// never held in memory.
const agendaBodyLimit = 2 << 30

// consultWeeksShown is how many weeks the chart and table show.
const consultWeeksShown = 26

func (s *Server) agendaRoutes() []route {
	const practice = "/regio/{region}/praktijken/{practice}/consultduur"
	return []route{
		{"GET " + practice, signedIn, s.getConsultDuration},
		{"POST " + practice, signedIn, s.postAgendaUpload},
	}
}

func consultURL(reg mtvp.Region, practiceID int64) string {
	return practiceURL(reg, practiceID) + "/consultduur"
}

// consultPracticeFor loads {region} and {practice} for the consult page:
// the practice, its consultant and the region's admins; anyone else 404.
func (s *Server) consultPracticeFor(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.practiceFor(r)
	if err == nil && !currentUser(r).CanSeeConsultDuration(&p) {
		err = notFound
	}
	return reg, p, err
}

type consultRow struct {
	Week      string
	Consults  string
	Mean      string
	MeetsGoal bool
	Buckets   []string
	Doubles   string
	FTE       string
	PerFTE    string
}

type mappingStep struct {
	Columns []string
	Guess   agenda.Mapping
	Fields  []mappingField
	Roles   []option
}

type mappingField struct {
	Name, Label, Hint string
	Required          bool
	Options           []option
}

type consultPageData struct {
	Region   mtvp.Region
	Practice mtvp.Practice
	Base     string
	Role     mtvp.ConsultRole
	RoleName string
	Roles    []option
	Upload   *mtvp.ConsultUpload
	// Refused: the message of a refused file, with what was read of it.
	Refused    string
	RefusedRes *agenda.Result
	Mapping    *mappingStep
	HasData    bool
	LineSVG    template.HTML
	BarSVG     template.HTML
	Rows       []consultRow
	Summary    string
	Goal       int
	Buckets    []string
	FirstWeek  string
	LastWeek   string
	// Unknown: practitioner names without a role, from the refused file or
	// the last upload, each with a role choice.
	Unknown []unknownRole
}

type unknownRole struct {
	Index   int
	Name    string
	Options []option
}

// unknownRolesOf offers a role choice for each practitioner name.
func unknownRolesOf(lang string, names []string) []unknownRole {
	var out []unknownRole
	for i, n := range names {
		u := unknownRole{Index: i, Name: n, Options: []option{{Value: "", Label: i18n.T(lang, "consult.map.none"), Selected: true}}}
		for _, role := range mtvp.ConsultRoles {
			u.Options = append(u.Options, option{Value: string(role), Label: i18n.T(lang, "consult.role."+string(role))})
		}
		out = append(out, u)
	}
	return out
}

func (s *Server) getConsultDuration(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.consultPracticeFor(r)
	if err != nil {
		return err
	}
	d, err := s.consultPage(r, reg, p)
	if err != nil {
		return err
	}
	return s.renderConsult(w, r, http.StatusOK, d)
}

func (s *Server) renderConsult(w http.ResponseWriter, r *http.Request, status int, d *consultPageData) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = "practices"
	return s.render(w, r, status, "consult_duration", v)
}

// consultPage builds the page: last upload, the chosen role's weeks.
func (s *Server) consultPage(r *http.Request, reg mtvp.Region, p mtvp.Practice) (*consultPageData, error) {
	ctx := r.Context()
	lang := s.lang(r)
	d := &consultPageData{Region: reg, Practice: p, Base: consultURL(reg, p.ID), Role: mtvp.ConsultHuisarts, Goal: mtvp.ConsultGoalMinutes}
	if q := mtvp.ConsultRole(r.URL.Query().Get("rol")); q.Valid() {
		d.Role = q
	}
	d.RoleName = i18n.T(lang, "consult.role."+string(d.Role))
	for _, role := range mtvp.ConsultRoles {
		d.Roles = append(d.Roles, option{Value: string(role), Label: i18n.T(lang, "consult.role."+string(role)), Selected: role == d.Role})
	}
	d.Buckets = mtvp.ConsultBucketLabels[:]
	up, ok, err := s.db.LatestAgendaUpload(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if ok {
		d.Upload = &up
		d.Unknown = unknownRolesOf(lang, up.UnknownRoles)
	}
	all, err := s.db.AgendaWeeks(ctx, p.ID, mtvp.Week{}, mtvp.Week{})
	if err != nil || len(all) == 0 {
		return d, err
	}
	staff, err := s.db.Staff(ctx, p.ID, true)
	if err != nil {
		return nil, err
	}
	ms := mtvp.MembershipsOf(staff)
	last := all[len(all)-1].Week
	first := last.WeeksBack(consultWeeksShown)
	if all[0].Week.Index() > first.Index() {
		first = all[0].Week
	}
	weeks := mtvp.WeekRange(first, last)
	figs := mtvp.FiguresOf(all, ms)
	byRole := map[mtvp.ConsultRole]map[mtvp.Week]mtvp.ConsultFigures{}
	for _, f := range figs {
		if byRole[f.Role] == nil {
			byRole[f.Role] = map[mtvp.Week]mtvp.ConsultFigures{}
		}
		byRole[f.Role][f.Week] = f
	}
	d.HasData = true
	d.FirstWeek, d.LastWeek = weekLabel(lang, first), weekLabel(lang, last)
	labels := make([]string, len(weeks))
	for i, w := range weeks {
		labels[i] = fmt.Sprintf("%d", w.Week)
	}
	// Line chart: mean per role that has consults in these weeks.
	var series []chart.Series
	for _, role := range mtvp.ConsultRoles {
		vals := make([]float64, len(weeks))
		has := false
		for i, w := range weeks {
			vals[i] = math.NaN()
			if f, ok := byRole[role][w]; ok {
				vals[i], has = f.Mean, true
			}
		}
		if has {
			series = append(series, chart.Series{Name: i18n.T(lang, "consult.role."+string(role)), Values: vals})
		}
	}
	goalLabel := i18n.T(lang, "consult.goal_label", mtvp.ConsultGoalMinutes)
	var markers []chart.Marker
	if !p.JoinedOn.IsZero() {
		jw := mtvp.WeekOf(p.JoinedOn)
		for i, w := range weeks {
			if w == jw {
				markers = append(markers, chart.Marker{At: float64(i), Label: i18n.T(lang, "consult.mtvp_start")})
			}
		}
	}
	// Figures of the chosen role, for the table, distribution and summary.
	var rows []consultRow
	dist := make([][]float64, mtvp.ConsultBuckets)
	var total, secs int64
	met, withData := 0, 0
	for i, w := range weeks {
		f, ok := byRole[d.Role][w]
		for b := range dist {
			if dist[b] == nil {
				dist[b] = make([]float64, len(weeks))
			}
			dist[b][i] = math.NaN()
			if ok {
				dist[b][i] = f.BucketShares[b] * 100
			}
		}
		row := consultRow{Week: weekLabel(lang, w), Consults: "0", Mean: "—", Doubles: "—", FTE: "—", PerFTE: "—"}
		if ok {
			total += f.Count
			secs += f.Seconds
			withData++
			if f.MeetsGoal {
				met++
			}
			row.Consults = i18n.Integer(lang, int(f.Count))
			row.Mean, row.MeetsGoal = i18n.Decimal(lang, f.Mean, 1), f.MeetsGoal
			for _, sh := range f.BucketShares {
				row.Buckets = append(row.Buckets, pct(lang, sh))
			}
			row.Doubles = pct(lang, f.DoubleShare)
			if f.GPFTE > 0 {
				row.FTE = i18n.Decimal(lang, f.GPFTE, 2)
			}
			if !math.IsNaN(f.PerGPFTE) {
				row.PerFTE = i18n.Decimal(lang, f.PerGPFTE, 0)
			}
		}
		rows = append(rows, row)
	}
	d.Rows = rows
	if withData == 0 {
		d.Summary = i18n.T(lang, "consult.summary_none", d.RoleName, d.FirstWeek, d.LastWeek)
	} else {
		mean := float64(secs) / 60 / float64(total)
		d.Summary = i18n.T(lang, "consult.summary", d.RoleName, d.FirstWeek, d.LastWeek, i18n.Decimal(lang, mean, 1),
			mtvp.ConsultGoalMinutes, met, withData, i18n.Integer(lang, int(total)))
	}
	d.LineSVG = template.HTML(chart.Line{
		ID: "consult-mean", Title: i18n.T(lang, "consult.chart_mean_title"), Desc: d.Summary,
		XLabels: labels, Series: series, YLabel: i18n.T(lang, "consult.minutes"), XLabel: i18n.T(lang, "consult.week_axis"), IncludeZero: true,
		RefLines: []chart.RefLine{{Value: mtvp.ConsultGoalMinutes, Label: goalLabel, Kind: chart.RefGoal}},
		Markers:  markers,
	}.SVG())
	var bs []chart.Series
	for b := range dist {
		bs = append(bs, chart.Series{Name: mtvp.ConsultBucketLabels[b], Values: dist[b]})
	}
	d.BarSVG = template.HTML(chart.Bar{
		ID: "consult-dist", Title: i18n.T(lang, "consult.chart_dist_title", d.RoleName),
		Desc:       i18n.T(lang, "consult.chart_dist_desc", d.RoleName),
		Categories: labels, Series: bs, Stacked: true, YLabel: "%", XLabel: i18n.T(lang, "consult.week_axis"),
	}.SVG())
	return d, nil
}

func weekLabel(lang string, w mtvp.Week) string {
	return i18n.T(lang, "consult.week", w.Week, w.Year)
}

func pct(lang string, share float64) string {
	if math.IsNaN(share) {
		return "—"
	}
	return i18n.Decimal(lang, share*100, 0) + " %"
}

// postAgendaUpload streams the multipart body: the mapping fields (when
// the mapping step sent them) come before the file, which goes straight
// into the parser.
func (s *Server) postAgendaUpload(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.consultPracticeFor(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, agendaBodyLimit)
	mr, err := r.MultipartReader()
	if err != nil {
		return s.agendaRefused(w, r, reg, p, http.StatusUnprocessableEntity, "Kies een bestand om te uploaden.", nil, nil)
	}
	fields := map[string]string{}
	in := agenda.UploadInput{PracticeID: p.ID}
	var out agenda.Outcome
	var upErr error
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return s.agendaRefused(w, r, reg, p, http.StatusRequestEntityTooLarge, "Het bestand is groter dan 2 GB.", nil, nil)
			}
			return s.agendaRefused(w, r, reg, p, http.StatusUnprocessableEntity, "Het formulier kwam niet goed aan. Probeer het opnieuw.", nil, nil)
		}
		name := part.FormName()
		if name != "bestand" {
			b, _ := io.ReadAll(io.LimitReader(part, 1000))
			fields[name] = strings.TrimSpace(string(b))
			part.Close()
			continue
		}
		if part.FileName() == "" {
			part.Close()
			continue
		}
		found = true
		in.FileName = cleanFileName(part.FileName())
		in.File = part
		in.Remap = fields["indelen"] == "1"
		if fields["mapping"] == "1" {
			m := mappingFromFields(fields)
			in.Mapping = &m
		}
		if fields["rollen"] == "1" {
			in.Roles = rolesFromFields(fields)
		}
		out, upErr = agenda.Upload(r.Context(), s.db, actorOf(currentUser(r)), in)
		part.Close()
		break
	}
	if !found {
		return s.agendaRefused(w, r, reg, p, http.StatusUnprocessableEntity, "Kies een bestand om te uploaden.", nil, nil)
	}
	var fe *agenda.FileError
	switch {
	case errors.As(upErr, &fe):
		return s.agendaRefused(w, r, reg, p, http.StatusUnprocessableEntity, fe.Msg, fe.Result, out.NeedMapping)
	case upErr != nil:
		var tooBig *http.MaxBytesError
		if errors.As(upErr, &tooBig) {
			return s.agendaRefused(w, r, reg, p, http.StatusRequestEntityTooLarge, "Het bestand is groter dan 2 GB.", nil, nil)
		}
		return upErr
	case out.NeedMapping != nil:
		d, err := s.consultPage(r, reg, p)
		if err != nil {
			return err
		}
		d.Mapping = s.mappingStepOf(r, out.NeedMapping, out.Guess)
		return s.renderConsult(w, r, http.StatusOK, d)
	}
	s.flash(r, "consult.flash.uploaded")
	http.Redirect(w, r, consultURL(reg, p.ID)+"#laatste-upload", http.StatusSeeOther)
	return nil
}

func (s *Server) agendaRefused(w http.ResponseWriter, r *http.Request, reg mtvp.Region, p mtvp.Practice, status int, msg string, res *agenda.Result, h *agenda.Header) error {
	d, err := s.consultPage(r, reg, p)
	if err != nil {
		return err
	}
	d.Refused, d.RefusedRes = msg, res
	if res != nil {
		d.Unknown = unknownRolesOf(s.lang(r), res.UnknownRoles)
	}
	if h != nil {
		d.Mapping = s.mappingStepOf(r, h, agenda.Mapping{})
	}
	return s.renderConsult(w, r, status, d)
}

// cleanFileName keeps the base name of an uploaded file, at most 120 characters.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	return name
}

var mappingFieldNames = []struct{ form, key string }{
	{"kol_begin", "start"}, {"kol_eind", "end"}, {"kol_duur", "duration"}, {"kol_datum", "date"}, {"kol_soort", "type"}, {"kol_rol", "role"},
}

func mappingFromFields(f map[string]string) agenda.Mapping {
	return agenda.Mapping{Start: f["kol_begin"], End: f["kol_eind"], Duration: f["kol_duur"], Date: f["kol_datum"],
		Type: f["kol_soort"], Role: f["kol_rol"], DefaultRole: mtvp.ConsultRole(f["vaste_rol"])}
}

// rolesFromFields reads the role choices of the unknown practitioners
// (naam_<i>, rol_<i>); names left without a role are skipped.
func rolesFromFields(f map[string]string) map[string]mtvp.ConsultRole {
	out := map[string]mtvp.ConsultRole{}
	for i := 0; i < agenda.MaxUnknownRoles; i++ {
		k := fmt.Sprint(i)
		name, role := f["naam_"+k], mtvp.ConsultRole(f["rol_"+k])
		if name != "" && role.Valid() {
			out[name] = role
		}
	}
	return out
}

func (s *Server) mappingStepOf(r *http.Request, h *agenda.Header, g agenda.Mapping) *mappingStep {
	lang := s.lang(r)
	st := &mappingStep{Columns: h.Columns, Guess: g}
	chosen := map[string]string{"kol_begin": g.Start, "kol_eind": g.End, "kol_duur": g.Duration, "kol_datum": g.Date, "kol_soort": g.Type, "kol_rol": g.Role}
	for _, f := range mappingFieldNames {
		mf := mappingField{Name: f.form, Label: i18n.T(lang, "consult.map."+f.key), Hint: i18n.T(lang, "consult.map."+f.key+"_hint"), Required: f.form == "kol_begin"}
		if !mf.Required {
			mf.Options = append(mf.Options, option{Value: "", Label: i18n.T(lang, "consult.map.none"), Selected: chosen[f.form] == ""})
		}
		for _, c := range h.Columns {
			mf.Options = append(mf.Options, option{Value: c, Label: c, Selected: strings.EqualFold(c, chosen[f.form])})
		}
		st.Fields = append(st.Fields, mf)
	}
	st.Roles = append(st.Roles, option{Value: "", Label: i18n.T(lang, "consult.map.none"), Selected: g.DefaultRole == ""})
	for _, role := range mtvp.ConsultRoles {
		st.Roles = append(st.Roles, option{Value: string(role), Label: i18n.T(lang, "consult.role."+string(role)), Selected: role == g.DefaultRole})
	}
	return st
}
