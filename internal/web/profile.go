package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Practice profile (issue 16 §2): one page the practice and its consultant
// keep together, built from data already in meertijd; the free fields
// (focus, ambitions) are typed in and versioned. One function gathers it
// (practiceProfile) for the page and the PDF.

func (s *Server) profileRoutes() []route {
	const one = "/regio/{region}/praktijken/{practice}/profiel"
	return []route{
		{"GET " + one, signedIn, s.getProfile},
		{"POST " + one, signedIn, s.postProfile},
		{"GET " + one + ".pdf", signedIn, s.getProfilePDF},
	}
}

type profileRole struct {
	Role  mtvp.StaffRole
	Count int
	FTE   float64
}

type profileYear struct {
	Year          int
	Status        mtvp.PlanStatus
	Interventions []string // "A.1 Triagetraining"
}

type profileVisit struct {
	Year   int
	Status mtvp.VisitStatus
	Date   mtvp.Date
}

type profileData struct {
	Region       mtvp.Region
	Practice     mtvp.Practice
	Base         string
	Text         mtvp.PracticeProfileText
	SavedOn      mtvp.Date // of Text, in Amsterdam
	CanEdit      bool
	Staff        int
	FTE          float64
	GPFTE        float64
	PerGPFTE     int // registered patients per FTE GP (0: no GP FTE)
	Roles        []profileRole
	Years        []profileYear
	IvYear       int
	IvMembers    int
	IvWaiting    int
	TrPlaced     int
	TrCompleted  int
	Activities   []profileActivity
	Visits       []profileVisit
	Outcomes     []outcomeView
	Form         mtvp.PracticeProfileText
	ConflictText *mtvp.PracticeProfileText
}

type profileActivity struct {
	Kind  string
	Label string
	Count int
}

// profileFor: {region}/{practice} for the people who see its profile.
func (s *Server) profileFor(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return reg, p, err
	}
	if !currentUser(r).CanSeePracticeProfile(&p) {
		return reg, p, notFound
	}
	return reg, p, nil
}

func (s *Server) practiceProfile(r *http.Request, reg mtvp.Region, p mtvp.Practice) (profileData, error) {
	ctx := r.Context()
	lang := s.lang(r)
	today := mtvp.DateOf(s.cfg.Now())
	d := profileData{Region: reg, Practice: p, Base: practiceURL(reg, p.ID), CanEdit: currentUser(r).CanEditPracticeProfile(&p), IvYear: today.Year()}
	var err error
	if d.Text, err = s.db.PracticeProfileText(ctx, p.ID); err != nil {
		return d, err
	}
	d.Form = d.Text
	if d.Text.Version > 0 {
		d.SavedOn = mtvp.DateOf(d.Text.SavedAt.In(amsterdam))
	}
	staff, err := s.db.Staff(ctx, p.ID, false)
	if err != nil {
		return d, err
	}
	byRole := map[mtvp.StaffRole]*profileRole{}
	for _, m := range staff {
		if !m.Membership.ActiveOn(today) {
			continue
		}
		d.Staff++
		d.FTE += m.FTE
		if m.Role.IsGP() {
			d.GPFTE += m.FTE
		}
		if byRole[m.Role] == nil {
			byRole[m.Role] = &profileRole{Role: m.Role}
		}
		byRole[m.Role].Count++
		byRole[m.Role].FTE += m.FTE
	}
	for _, role := range mtvp.StaffRoles {
		if x := byRole[role]; x != nil {
			d.Roles = append(d.Roles, *x)
		}
	}
	if d.GPFTE > 0 {
		d.PerGPFTE = int(float64(p.RegisteredPatients)/d.GPFTE + 0.5)
	}
	years, err := s.db.PracticePlanYears(ctx, p.ID)
	if err != nil {
		return d, err
	}
	for _, y := range years {
		pl, err := s.db.Plan(ctx, p.ID, y)
		if err != nil {
			return d, err
		}
		v := pl.Current()
		if v == nil {
			continue
		}
		py := profileYear{Year: y, Status: v.Status}
		for _, it := range v.Content.Items {
			py.Interventions = append(py.Interventions, strings.TrimSpace(it.Code+" "+it.Title))
		}
		d.Years = append(d.Years, py)
	}
	members, err := s.db.PracticeGroupMembers(ctx, p.ID, d.IvYear)
	if err != nil {
		return d, err
	}
	for _, m := range members {
		switch {
		case !m.Current():
		case m.Status == mtvp.MemberActive:
			d.IvMembers++
		case m.Status == mtvp.MemberWaiting:
			d.IvWaiting++
		}
	}
	enrols, err := s.db.PracticeEnrolments(ctx, p.ID)
	if err != nil {
		return d, err
	}
	for _, e := range enrols {
		if e.Status == mtvp.EnrolmentPlaced {
			d.TrPlaced++
		}
	}
	rows, err := s.db.Participation(ctx, reg.ID, p.ID)
	if err != nil {
		return d, err
	}
	d.TrCompleted = len(rows)
	counts, err := s.db.PracticeActivityCounts(ctx, p.ID, today.AddDays(366))
	if err != nil {
		return d, err
	}
	kinds, err := s.db.ActivityKinds(ctx, reg.ID)
	if err != nil {
		return d, err
	}
	for _, k := range kinds {
		if n := counts[k.Code]; n > 0 {
			d.Activities = append(d.Activities, profileActivity{Kind: k.Code, Label: kindLabel(lang, kinds, k.Code), Count: n})
		}
	}
	visits, err := s.db.ListVisits(ctx, store.VisitFilter{RegionID: reg.ID, PracticeID: p.ID})
	if err != nil {
		return d, err
	}
	for _, v := range visits {
		on := v.VisitedOn
		if on.IsZero() {
			on = v.PlannedOn
		}
		d.Visits = append(d.Visits, profileVisit{Year: v.Year, Status: v.Status, Date: on})
	}
	sort.Slice(d.Visits, func(i, j int) bool { return d.Visits[i].Year > d.Visits[j].Year })
	if currentUser(r).CanSeePracticeOutcomes(&p) {
		if d.Outcomes, err = s.practiceOutcomeItems(r, reg, p); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.profileFor(r)
	if err != nil {
		return err
	}
	d, err := s.practiceProfile(r, reg, p)
	if err != nil {
		return err
	}
	return s.renderProfile(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, d profileData, errs mtvp.FieldErrors, errKey string) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = fmt.Sprintf("practice-%d", d.Practice.ID)
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "practice_profile", v)
}

func (s *Server) postProfile(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.profileFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanEditPracticeProfile(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not edit the profile")
	}
	in := mtvp.PracticeProfileText{PracticeID: p.ID, Version: formVersion(r), Focus: r.PostFormValue("focus"), Ambitions: r.PostFormValue("ambitions")}
	err = s.db.SavePracticeProfileText(r.Context(), actorOf(currentUser(r)), &in)
	if err == nil {
		s.flash(r, "profile.saved")
		http.Redirect(w, r, practiceURL(reg, p.ID)+"/profiel", http.StatusSeeOther)
		return nil
	}
	d, derr := s.practiceProfile(r, reg, p)
	if derr != nil {
		return derr
	}
	in.Version = d.Text.Version
	d.Form = in
	errs := mtvp.FieldErrors{}
	switch {
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		// Someone else saved meanwhile: show theirs, keep the user's text
		// in the form on top of the newest version.
		cur := d.Text
		d.ConflictText = &cur
		return s.renderProfile(w, r, http.StatusConflict, d, errs, "profile.conflict")
	case mergeErrors(errs, err):
		in.Version = formVersion(r)
		d.Form = in
		return s.renderProfile(w, r, http.StatusUnprocessableEntity, d, errs, "")
	}
	return err
}

// getProfilePDF prints the profile in Dutch.
func (s *Server) getProfilePDF(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.profileFor(r)
	if err != nil {
		return err
	}
	d, err := s.practiceProfile(r, reg, p)
	if err != nil {
		return err
	}
	b, err := ProfilePDF(d, s.cfg.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="praktijkprofiel-%s.pdf"`, p.AGB))
	_, err = w.Write(b)
	return err
}

// ProfilePDF renders the practice profile in Dutch.
func ProfilePDF(d profileData, now time.Time) ([]byte, error) {
	t := func(k string, args ...any) string { return i18n.T("nl", k, args...) }
	p := d.Practice
	doc, err := export.NewPDF(export.PDFMeta{Title: t("profile.title"), Subtitle: p.Name + " (AGB " + p.AGB + ")", Author: d.Region.Name, Printed: now.In(amsterdam)})
	if err != nil {
		return nil, err
	}
	per := "—"
	if d.PerGPFTE > 0 {
		per = formatInt(d.PerGPFTE)
	}
	doc.Heading(t("profile.size"))
	doc.Fields(
		export.Field{Label: t("practice.field.registered_patients"), Value: formatInt(p.RegisteredPatients)},
		export.Field{Label: t("profile.staff"), Value: strconv.Itoa(d.Staff)},
		export.Field{Label: t("profile.fte"), Value: formatFTE(d.FTE)},
		export.Field{Label: t("profile.gp_fte"), Value: formatFTE(d.GPFTE)},
		export.Field{Label: t("profile.per_gp_fte"), Value: per},
	)
	doc.Heading(t("profile.focus"))
	doc.Paragraph(dash(d.Text.Focus))
	doc.Heading(t("profile.ambitions"))
	doc.Paragraph(dash(d.Text.Ambitions))
	if d.Text.Version > 0 {
		doc.Muted(t("profile.saved_by", d.Text.Version, d.Text.UserName, export.DutchDate(d.Text.SavedAt.In(amsterdam))))
	}
	doc.Heading(t("profile.team"))
	var rows [][]string
	for _, x := range d.Roles {
		rows = append(rows, []string{t("role." + string(x.Role)), strconv.Itoa(x.Count), formatFTE(x.FTE)})
	}
	if len(rows) > 0 {
		doc.Table([]string{t("profile.role"), t("profile.count"), t("profile.fte")}, rows, []int{6, 3, 3})
	} else {
		doc.Muted(t("profile.none"))
	}
	doc.Heading(t("profile.interventions"))
	if len(d.Years) == 0 {
		doc.Muted(t("profile.none"))
	}
	for _, y := range d.Years {
		doc.Fields(export.Field{Label: fmt.Sprintf("%d (%s)", y.Year, t("plan.status."+string(y.Status))), Value: dash(strings.Join(y.Interventions, "; "))})
	}
	doc.Heading(t("profile.participation"))
	fs := []export.Field{
		{Label: t("profile.intervision", d.IvYear), Value: t("profile.iv_value", d.IvMembers, d.IvWaiting)},
		{Label: t("profile.trainings"), Value: t("profile.tr_value", d.TrCompleted, d.TrPlaced)},
	}
	for _, a := range d.Activities {
		fs = append(fs, export.Field{Label: a.Label, Value: strconv.Itoa(a.Count)})
	}
	doc.Fields(fs...)
	doc.Heading(t("profile.visits"))
	if len(d.Visits) == 0 {
		doc.Muted(t("profile.none"))
	}
	for _, v := range d.Visits {
		doc.Fields(export.Field{Label: strconv.Itoa(v.Year), Value: t("visit.status."+string(v.Status)) + " " + v.Date.Dutch()})
	}
	if len(d.Outcomes) > 0 {
		doc.Heading(t("profile.outcomes"))
		for _, o := range d.Outcomes {
			doc.Fields(export.Field{Label: o.Title, Value: strings.Join(o.Summary, " ")})
		}
	}
	return doc.Bytes()
}
