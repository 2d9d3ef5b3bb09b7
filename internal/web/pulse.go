package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"meertijd/internal/auth"
	"meertijd/internal/chart"
	"meertijd/internal/i18n"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The job-satisfaction pulse (issue 15 §4; rules in mtvp/pulse.go). The
// region admin starts a quarter's round: every active practice gets a
// shared questionnaire link for its staff, and every staff member with an
// e-mail address a personal one-time link by mail. Anyone with a link
// answers without logging in. Figures appear once the round is closed,
// over at least five answers.

func (s *Server) pulseRoutes() []route {
	const region = "/regio/{region}/peiling"
	return []route{
		{"GET " + region, signedIn, s.getPulseRegion},
		{"POST " + region, signedIn, s.postPulseStart},
		{"POST " + region + "/{round}/sluiten", signedIn, s.postPulseClose},
		{"GET /regio/{region}/praktijken/{practice}/peiling", signedIn, s.getPulsePractice},
		{"GET /peiling/{token}", public, s.getPulseAnswer},
		{"POST /peiling/{token}", public, s.postPulseAnswer},
	}
}

func pulseURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) + "/peiling" }

func pulsePracticeURL(reg mtvp.Region, practiceID int64) string {
	return practiceURL(reg, practiceID) + "/peiling"
}

// pulseFigureView is a figure as the pages show it.
type pulseFigureView struct {
	Shown          bool
	Hidden         string // message key when not shown
	N              int
	Practices      int
	Workload       string
	Satisfaction   string
	TimeForPatient string
}

func pulseFigureOf(lang string, f mtvp.PulseFigure) pulseFigureView {
	if !f.Shown() {
		return pulseFigureView{Hidden: "pulse.hidden." + f.Hidden}
	}
	return pulseFigureView{Shown: true, N: f.N, Practices: f.Practices, Workload: i18n.Decimal(lang, f.Workload, 1),
		Satisfaction: i18n.Decimal(lang, f.Satisfaction, 1), TimeForPatient: i18n.Decimal(lang, f.TimeForPatient, 1)}
}

// pulseQuarter is "4e kwartaal 2026" / "Q4 2026".
func pulseQuarter(lang string, q mtvp.Quarter) string {
	return i18n.T(lang, "pulse.quarter", q.Q, q.Year)
}

// pulseChart draws figures over quarters (oldest first) as three lines;
// a quarter without figures is a gap. Empty until two quarters have
// figures: one point is no trend (the table says it).
func pulseChart(lang, id, title string, quarters []string, figs []mtvp.PulseFigure) template.HTML {
	series := make([]chart.Series, len(mtvp.PulseScales))
	shown := 0
	for i, name := range mtvp.PulseScales {
		series[i] = chart.Series{Name: i18n.T(lang, "pulse.col."+name), Values: make([]float64, len(figs))}
	}
	for j, f := range figs {
		vals := []float64{f.Workload, f.Satisfaction, f.TimeForPatient}
		for i := range series {
			series[i].Values[j] = math.NaN()
			if f.Shown() {
				series[i].Values[j] = vals[i]
			}
		}
		if f.Shown() {
			shown++
		}
	}
	if shown < 2 {
		return ""
	}
	c := chart.Line{ID: id, Title: title, Desc: i18n.T(lang, "pulse.chart_desc"), XLabels: quarters, Series: series,
		IncludeZero: true}
	return template.HTML(c.SVG()) // the chart package escapes every text
}

// pulseTallies groups a region's tallies by round.
func pulseTallies(ts []mtvp.PulseTally) map[int64][]mtvp.PulseTally {
	out := map[int64][]mtvp.PulseTally{}
	for _, t := range ts {
		out[t.RoundID] = append(out[t.RoundID], t)
	}
	return out
}

func tallyOf(ts []mtvp.PulseTally, practiceID int64) mtvp.PulseTally {
	for _, t := range ts {
		if t.PracticeID == practiceID {
			return t
		}
	}
	return mtvp.PulseTally{PracticeID: practiceID}
}

// pulseOf reads a region's rounds (latest first), their tallies by round,
// and which practices' figures the user sees.
func (s *Server) pulseOf(r *http.Request, regionID int64) ([]mtvp.PulseRound, map[int64][]mtvp.PulseTally, func(int64) bool, error) {
	rounds, err := s.db.PulseRounds(r.Context(), regionID)
	if err != nil {
		return nil, nil, nil, err
	}
	all, err := s.db.PulseTallies(r.Context(), regionID)
	if err != nil {
		return nil, nil, nil, err
	}
	seen, err := s.pulseSeen(r, regionID)
	return rounds, pulseTallies(all), seen, err
}

// pulseSeen is RegionPulseFigure's seen for the signed-in user: the
// practices whose own figures the user sees.
func (s *Server) pulseSeen(r *http.Request, regionID int64) (func(int64) bool, error) {
	u := currentUser(r)
	if u.CanAdminRegion(regionID) {
		return func(int64) bool { return true }, nil
	}
	ps, err := s.db.ListPractices(r.Context(), mtvp.PracticeFilter{RegionID: regionID})
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, p := range ps {
		if u.CanSeePulsePractice(&p.Practice) {
			seen[p.ID] = true
		}
	}
	return func(id int64) bool { return seen[id] }, nil
}

// ---- the region's page ----

type pulseRoundRow struct {
	ID       int64
	Quarter  string
	OpenedOn mtvp.Date
	ClosesOn mtvp.Date
	Open     bool
	Answers  int // while open: how many answered so far (no figures)
	Staff    int
	Version  int
	CloseURL string
	Region   pulseFigureView
}

type pulsePracticeRow struct {
	Name    string
	URL     string
	Answers int
	Staff   int
	Figure  pulseFigureView
}

type pulseRegionData struct {
	Region     mtvp.Region
	Base       string
	CanManage  bool
	Funder     bool
	Current    string
	CanStart   bool
	Rounds     []pulseRoundRow
	Latest     *pulseRoundRow // the latest round, for the practice table
	Practices  []pulsePracticeRow
	MinAnswers int
	Chart      template.HTML
}

func (s *Server) getPulseRegion(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanSeePulseRegion(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not see the pulse")
	}
	return s.renderPulseRegion(w, r, http.StatusOK, reg, nil)
}

func (s *Server) renderPulseRegion(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, errs mtvp.FieldErrors) error {
	ctx := r.Context()
	u := currentUser(r)
	lang := s.lang(r)
	today := s.today()
	rounds, byRound, seen, err := s.pulseOf(r, reg.ID)
	if err != nil {
		return err
	}
	d := pulseRegionData{Region: reg, Base: pulseURL(reg), CanManage: u.CanManagePulse(reg.ID), MinAnswers: mtvp.PulseMinAnswers,
		Current: pulseQuarter(lang, mtvp.QuarterOf(today))}
	d.Funder = !d.CanManage && !u.IsConsultantIn(reg.ID)
	d.CanStart = d.CanManage && mtvp.ValidatePulseStart(mtvp.QuarterOf(today), today, rounds) == nil
	for i, rd := range rounds {
		row := pulseRoundRow{ID: rd.ID, Quarter: pulseQuarter(lang, rd.Quarter), OpenedOn: rd.OpenedOn, ClosesOn: rd.ClosesOn(),
			Open: !rd.ClosedOn(today), Version: rd.Version,
			Region: pulseFigureOf(lang, mtvp.RegionPulseFigure(byRound[rd.ID], rd.ClosedOn(today), seen))}
		if row.Open && d.CanManage {
			row.CloseURL = d.Base + "/" + strconv.FormatInt(rd.ID, 10) + "/sluiten"
		}
		if d.Funder {
			d.Rounds = append(d.Rounds, row)
			continue
		}
		pps, err := s.db.PulsePractices(ctx, rd.ID, 0)
		if err != nil {
			return err
		}
		for _, pp := range pps {
			if !seen(pp.PracticeID) {
				continue
			}
			row.Answers += pp.Answers
			row.Staff += pp.Staff
			if i == 0 {
				d.Practices = append(d.Practices, pulsePracticeRow{Name: pp.PracticeName, URL: pulsePracticeURL(reg, pp.PracticeID),
					Answers: pp.Answers, Staff: pp.Staff,
					Figure: pulseFigureOf(lang, mtvp.PracticePulseFigure(tallyOf(byRound[rd.ID], pp.PracticeID), rd.ClosedOn(today)))})
			}
		}
		d.Rounds = append(d.Rounds, row)
	}
	if len(d.Rounds) > 0 && !d.Funder {
		d.Latest = &d.Rounds[0]
	}
	var labels []string
	var figs []mtvp.PulseFigure
	for i := len(rounds) - 1; i >= 0; i-- {
		if rd := rounds[i]; rd.ClosedOn(today) {
			labels = append(labels, pulseQuarter(lang, rd.Quarter))
			figs = append(figs, mtvp.RegionPulseFigure(byRound[rd.ID], true, seen))
		}
	}
	d.Chart = pulseChart(lang, "pulse-region-chart", i18n.T(lang, "pulse.region_caption", reg.Name), labels, figs)
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "pulse"
	v.Errors = errs
	return s.render(w, r, status, "pulse_region", v)
}

// postPulseStart starts this quarter's round: a link per practice and a
// personal link by mail for every staff member with an e-mail address,
// all in one transaction.
func (s *Server) postPulseStart(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanManagePulse(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not start the pulse")
	}
	ctx := r.Context()
	today := s.today()
	rounds, err := s.db.PulseRounds(ctx, reg.ID)
	if err != nil {
		return err
	}
	q := mtvp.QuarterOf(today)
	if err := mtvp.ValidatePulseStart(q, today, rounds); err != nil {
		if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
			s.flash(r, "pulse.err.started")
			http.Redirect(w, r, pulseURL(reg), http.StatusSeeOther)
			return nil
		}
		return err
	}
	start, err := s.pulseStart(r, reg, q, today)
	if err != nil {
		return err
	}
	if len(start.Practices) == 0 {
		return s.renderPulseRegion(w, r, http.StatusUnprocessableEntity, reg, mtvp.FieldErrors{"quarter": "pulse.err.no_practices"})
	}
	if err := s.db.StartPulse(ctx, actorOf(u), start); err != nil {
		if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
			s.flash(r, "pulse.err.started")
			http.Redirect(w, r, pulseURL(reg), http.StatusSeeOther)
			return nil
		}
		return err
	}
	s.flash(r, "pulse.started")
	http.Redirect(w, r, pulseURL(reg), http.StatusSeeOther)
	return nil
}

// pulseStart gathers a new round's practices (active ones, with their
// staff of today) and the personal links with their mails.
func (s *Server) pulseStart(r *http.Request, reg mtvp.Region, q mtvp.Quarter, today mtvp.Date) (*store.PulseStart, error) {
	ctx := r.Context()
	ps, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return nil, err
	}
	staff, err := s.db.RegionStaff(ctx, reg.ID)
	if err != nil {
		return nil, err
	}
	byPractice := map[int64][]mtvp.StaffMember{}
	for _, list := range staff {
		for _, m := range list {
			if m.ActiveOn(today) {
				byPractice[m.PracticeID] = append(byPractice[m.PracticeID], m)
			}
		}
	}
	var emails []string
	for _, members := range byPractice {
		for _, m := range members {
			if m.Person.Email != "" {
				emails = append(emails, m.Person.Email)
			}
		}
	}
	locales, err := s.db.LoginLocales(ctx, emails)
	if err != nil {
		return nil, err
	}
	st := &store.PulseStart{Round: &mtvp.PulseRound{RegionID: reg.ID, Quarter: q, OpenedOn: today}}
	closes := q.End()
	for _, p := range ps {
		if p.Status != mtvp.PracticeActive {
			continue
		}
		members := byPractice[p.ID]
		people := map[int64]bool{}
		for _, m := range members {
			people[m.Person.ID] = true
		}
		if len(people) == 0 {
			continue
		}
		st.Practices = append(st.Practices, store.PulsePractice{PracticeID: p.ID, LinkToken: store.NewPulseLinkToken(), Staff: len(people)})
		sent := map[int64]bool{}
		for _, m := range members {
			if m.Person.Email == "" || sent[m.Person.ID] {
				continue
			}
			sent[m.Person.ID] = true
			token, hash := mail.NewLinkToken()
			locale := "nl"
			if locales[strings.ToLower(strings.TrimSpace(m.Person.Email))] == "en" {
				locale = "en"
			}
			data := map[string]any{"RegionName": reg.Name, "PracticeName": p.Name, "Quarter": pulseQuarter(locale, q),
				"Link": s.mail.URL("/peiling/" + token), "Closes": dateText(locale, closes)}
			ml, err := s.mail.Compose("pulse", reg.ID, mail.Recipient{Email: m.Person.Email, Name: m.Person.Name, Locale: locale}, data, "")
			if err != nil {
				return nil, err
			}
			st.Invites = append(st.Invites, store.PulseInvite{PracticeID: p.ID, PersonID: m.Person.ID, TokenHash: hash, Mail: ml})
		}
	}
	return st, nil
}

// pulseLinkInMail is a personal questionnaire link in a mail's text.
var pulseLinkInMail = regexp.MustCompile(`/peiling/[A-Za-z0-9_-]+`)

// redactPulseLinks hides the personal links of a pulse mail from whoever
// reads the outbox: with one, an administrator could answer in a staff
// member's name or see whether they answered.
func redactPulseLinks(m store.Mail) store.Mail {
	if m.Kind != "pulse" {
		return m
	}
	m.Text = pulseLinkInMail.ReplaceAllString(m.Text, "/peiling/…")
	m.HTML = pulseLinkInMail.ReplaceAllString(m.HTML, "/peiling/…")
	return m
}

func (s *Server) postPulseClose(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanManagePulse(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not close the pulse")
	}
	id, err := pathID(r, "round")
	if err != nil {
		return err
	}
	rd, err := s.db.PulseRoundByID(r.Context(), id)
	if err != nil {
		return err
	}
	if rd.RegionID != reg.ID {
		return notFound
	}
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		rd.Version = v
	}
	if rd.ClosedOn(s.today()) {
		s.flash(r, "pulse.already_closed")
	} else if err := s.db.ClosePulse(r.Context(), actorOf(currentUser(r)), &rd); err != nil {
		return err
	} else {
		s.flash(r, "pulse.closed")
	}
	http.Redirect(w, r, pulseURL(reg), http.StatusSeeOther)
	return nil
}

// ---- a practice's page ----

type pulseTrendRow struct {
	Quarter  string
	Practice pulseFigureView
	Region   pulseFigureView
}

type pulsePracticeData struct {
	Region     mtvp.Region
	Practice   mtvp.Practice
	Base       string
	Open       *pulseRoundRow
	Link       string
	Trend      []pulseTrendRow
	Comments   []string
	CommentsOf string
	MinAnswers int
	Chart      template.HTML
}

func (s *Server) getPulsePractice(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSeePulsePractice(&p) {
		return notFound
	}
	ctx := r.Context()
	lang := s.lang(r)
	today := s.today()
	rounds, byRound, seen, err := s.pulseOf(r, reg.ID)
	if err != nil {
		return err
	}
	var labels []string
	var figs []mtvp.PulseFigure
	d := pulsePracticeData{Region: reg, Practice: p, Base: pulsePracticeURL(reg, p.ID), MinAnswers: mtvp.PulseMinAnswers}
	for _, rd := range rounds {
		pps, err := s.db.PulsePractices(ctx, rd.ID, p.ID)
		if err != nil {
			return err
		}
		if len(pps) == 0 {
			continue // the practice was not in this round
		}
		closed := rd.ClosedOn(today)
		if rd.OpenOn(today) && d.Open == nil {
			d.Open = &pulseRoundRow{ID: rd.ID, Quarter: pulseQuarter(lang, rd.Quarter), OpenedOn: rd.OpenedOn, ClosesOn: rd.ClosesOn(),
				Open: true, Answers: pps[0].Answers, Staff: pps[0].Staff}
			d.Link = s.mail.URL("/peiling/" + pps[0].LinkToken)
		}
		if !closed {
			continue
		}
		fig := mtvp.PracticePulseFigure(tallyOf(byRound[rd.ID], p.ID), true)
		labels = append([]string{pulseQuarter(lang, rd.Quarter)}, labels...)
		figs = append([]mtvp.PulseFigure{fig}, figs...)
		d.Trend = append(d.Trend, pulseTrendRow{Quarter: pulseQuarter(lang, rd.Quarter), Practice: pulseFigureOf(lang, fig),
			Region: pulseFigureOf(lang, mtvp.RegionPulseFigure(byRound[rd.ID], true, seen))})
		if fig.Shown() && d.CommentsOf == "" {
			d.CommentsOf = pulseQuarter(lang, rd.Quarter)
			if d.Comments, err = s.db.PulseComments(ctx, rd.ID, p.ID); err != nil {
				return err
			}
		}
	}
	d.Chart = pulseChart(lang, "pulse-practice-chart", i18n.T(lang, "pulse.chart_practice", p.Name), labels, figs)
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practice-" + strconv.FormatInt(p.ID, 10)
	return s.render(w, r, http.StatusOK, "pulse_practice", v)
}

// ---- the questionnaire (no login) ----

type pulseAnswerData struct {
	Action       string
	PracticeName string
	RegionName   string
	Quarter      string
	Closes       mtvp.Date
	// State: "" (the form), "done" (just answered), "done_before" (this
	// browser answered the shared link), "used", "closed" or "full".
	State   string
	Scales  []pulseScale
	Comment string
}

type pulseScale struct {
	Name   string
	Label  string
	Low    string
	High   string
	Values []pulseValue
}

type pulseValue struct {
	N       int
	Checked bool
}

// pulseAnswerCookie marks a browser that answered through a practice's
// shared link (it says nothing but "answered").
func pulseAnswerCookie(roundID, practiceID int64) string {
	return "pulse_" + strconv.FormatInt(roundID, 10) + "_" + strconv.FormatInt(practiceID, 10)
}

func (s *Server) pulseTarget(r *http.Request) (store.PulseTarget, string, error) {
	token := r.PathValue("token")
	if token == "" || len(token) > 200 {
		return store.PulseTarget{}, "", notFound
	}
	t, err := s.db.PulseByToken(r.Context(), token, auth.HashToken(token))
	return t, token, err
}

func (s *Server) pulseAnswerData(r *http.Request, t store.PulseTarget, a mtvp.PulseAnswer, filled bool) pulseAnswerData {
	lang := s.lang(r)
	d := pulseAnswerData{Action: r.URL.Path, PracticeName: t.PracticeName, RegionName: t.RegionName,
		Quarter: pulseQuarter(lang, t.Round.Quarter), Closes: t.Round.ClosesOn(), Comment: a.Comment}
	values := []int{a.Workload, a.Satisfaction, a.TimeForPatient}
	for i, name := range mtvp.PulseScales {
		sc := pulseScale{Name: name, Label: i18n.T(lang, "pulse.q."+name), Low: i18n.T(lang, "pulse.q."+name+".low"),
			High: i18n.T(lang, "pulse.q."+name+".high")}
		for n := 0; n <= mtvp.PulseScaleMax; n++ {
			sc.Values = append(sc.Values, pulseValue{N: n, Checked: filled && values[i] == n})
		}
		d.Scales = append(d.Scales, sc)
	}
	switch {
	case !t.Round.OpenOn(s.today()):
		d.State = "closed"
	case t.Personal && t.Used:
		d.State = "used"
	case t.Full:
		d.State = "full"
	case !t.Personal:
		if c, err := r.Cookie(pulseAnswerCookie(t.Round.ID, t.PracticeID)); err == nil && c.Value == "1" {
			d.State = "done_before"
		}
	}
	return d
}

func (s *Server) renderPulseAnswer(w http.ResponseWriter, r *http.Request, status int, d pulseAnswerData, errs mtvp.FieldErrors) error {
	v := s.newView(r, d)
	v.Errors = errs
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, r, status, "pulse_answer", v)
}

func (s *Server) getPulseAnswer(w http.ResponseWriter, r *http.Request) error {
	t, _, err := s.pulseTarget(r)
	if err != nil {
		return err
	}
	return s.renderPulseAnswer(w, r, http.StatusOK, s.pulseAnswerData(r, t, mtvp.PulseAnswer{}, false), nil)
}

func (s *Server) postPulseAnswer(w http.ResponseWriter, r *http.Request) error {
	t, token, err := s.pulseTarget(r)
	if err != nil {
		return err
	}
	a := mtvp.PulseAnswer{Workload: pulseScaleValue(r, "workload"), Satisfaction: pulseScaleValue(r, "satisfaction"),
		TimeForPatient: pulseScaleValue(r, "time_for_patient"), Comment: r.PostFormValue("comment")}
	d := s.pulseAnswerData(r, t, a, true)
	if d.State != "" {
		return s.renderPulseAnswer(w, r, http.StatusConflict, d, nil)
	}
	err = s.db.AnswerPulse(r.Context(), token, auth.HashToken(token), a, s.today())
	switch {
	case mtvp.ErrorCode(err) == mtvp.EINVALID:
		return s.renderPulseAnswer(w, r, http.StatusUnprocessableEntity, d, mtvp.FieldErrorsOf(err))
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		d.State = strings.TrimPrefix(mtvp.ErrorMessage(err), "pulse.err.")
		return s.renderPulseAnswer(w, r, http.StatusConflict, d, nil)
	case err != nil:
		return err
	}
	if !t.Personal {
		http.SetCookie(w, &http.Cookie{Name: pulseAnswerCookie(t.Round.ID, t.PracticeID), Value: "1", Path: r.URL.Path,
			Expires: t.Round.ClosesOn().AddDays(1).Time(), HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	}
	d.State = "done"
	return s.renderPulseAnswer(w, r, http.StatusOK, d, nil)
}

// pulseScaleValue reads a 0–10 choice; -1 when none was chosen, -2 when
// the value is not a number.
func pulseScaleValue(r *http.Request, name string) int {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -2
	}
	return n
}
