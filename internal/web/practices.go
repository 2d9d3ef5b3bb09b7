package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// practiceRoutes: the region's practice overview, the practice page with
// its staff, and the practice's history.
func (s *Server) practiceRoutes() []route {
	const base = "/regio/{region}/praktijken"
	const one = base + "/{practice}"
	const member = one + "/medewerkers/{membership}"
	return []route{
		{"GET " + base, signedIn, s.getPractices},
		{"GET " + base + listExportSuffix + ".xlsx", signedIn, s.getPractices},
		{"GET " + base + listExportSuffix + ".csv", signedIn, s.getPractices},
		{"GET " + base + "/nieuw", signedIn, s.getNewPractice},
		{"POST " + base, signedIn, s.postNewPractice},
		{"GET " + one, signedIn, s.getPractice},
		{"GET " + one + "/bewerken", signedIn, s.getEditPractice},
		{"POST " + one, signedIn, s.postEditPractice},
		{"GET " + one + "/historie", signedIn, s.getPracticeHistory},
		{"GET " + one + "/medewerkers/nieuw", signedIn, s.getNewStaff},
		{"POST " + one + "/medewerkers", signedIn, s.postNewStaff},
		{"GET " + member + "/bewerken", signedIn, s.getEditStaff},
		{"POST " + member, signedIn, s.postEditStaff},
		{"POST " + member + "/beeindigen", signedIn, s.postEndStaff},
	}
}

func practicesURL(reg mtvp.Region) string {
	return "/regio/" + url.PathEscape(reg.Code) + "/praktijken"
}

func practiceURL(reg mtvp.Region, id int64) string {
	return practicesURL(reg) + "/" + strconv.FormatInt(id, 10)
}

// ---- Overview ----

// practiceQuery is the overview's search, filters and sort, read from and
// written to the query string so every result has its own address.
type practiceQuery struct {
	Q          string
	Status     string
	Consultant string
	Wave       string
	Sort       string // one of practiceSorts; "" = name
	Desc       bool
}

// Sort keys of the overview (query parameter "sorteer").
const (
	sortName     = "naam"
	sortPatients = "patienten"
	sortGPFTE    = "fte"
	sortRatio    = "per-fte"
	sortStaff    = "medewerkers"
)

var practiceSorts = []string{sortName, sortPatients, sortGPFTE, sortRatio, sortStaff}

func readPracticeQuery(r *http.Request) practiceQuery {
	qs := r.URL.Query()
	q := practiceQuery{
		Q:          strings.TrimSpace(qs.Get("q")),
		Status:     qs.Get("status"),
		Consultant: qs.Get("consulent"),
		Wave:       qs.Get("instroom"),
		Sort:       qs.Get("sorteer"),
		Desc:       qs.Get("volgorde") == "af",
	}
	if !mtvp.PracticeStatus(q.Status).Valid() {
		q.Status = ""
	}
	valid := false
	for _, k := range practiceSorts {
		valid = valid || k == q.Sort
	}
	if !valid {
		q.Sort = sortName
	}
	return q
}

// values encodes the query, leaving out defaults.
func (q practiceQuery) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", q.Q)
	set("status", q.Status)
	set("consulent", q.Consultant)
	set("instroom", q.Wave)
	if q.Sort != sortName {
		v.Set("sorteer", q.Sort)
	}
	if q.Desc {
		v.Set("volgorde", "af")
	}
	return v
}

// sortHeader is one sortable column heading.
type sortHeader struct {
	Key   string
	Label string // message key
	URL   string // link that sorts by this column (toggling direction)
	Aria  string // aria-sort value, "" when not sorted by it
	Num   bool
}

type practiceListData struct {
	Region      mtvp.Region
	Base        string
	Query       practiceQuery
	Rows        []practiceRow
	L           practiceListLabels
	InScope     int // practices the user may list, before search and filters
	Patients    int
	GPFTE       float64
	Staff       int
	Headers     []sortHeader
	Statuses    []mtvp.PracticeStatus
	Consultants []mtvp.User
	Waves       []string
	IsAdmin     bool
	Filtered    bool
}

func (s *Server) getPractices(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	scope, ok := u.PracticeScope(mtvp.PracticeFilter{RegionID: reg.ID})
	if !ok {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not list practices")
	}
	q := readPracticeQuery(r)
	d := practiceListData{Region: reg, Base: practicesURL(reg), Query: q, Statuses: mtvp.PracticeStatuses, IsAdmin: u.CanAdminRegion(reg.ID)}
	if !d.IsAdmin {
		q.Consultant = "" // consultants see only their own practices anyway
		d.Query = q
	}
	all, err := s.db.ListPractices(ctx, scope)
	if err != nil {
		return err
	}
	d.InScope = len(all)
	f := scope
	f.Query = q.Q
	f.Status = mtvp.PracticeStatus(q.Status)
	f.InflowWave = q.Wave
	if q.Consultant != "" {
		id, err := strconv.ParseInt(q.Consultant, 10, 64)
		if err != nil || id <= 0 {
			q.Consultant, d.Query.Consultant = "", ""
		} else {
			f.ConsultantID = id
		}
	}
	d.Filtered = f.Query != "" || f.Status != "" || f.InflowWave != "" || f.ConsultantID != 0
	rows := all
	if d.Filtered {
		if rows, err = s.db.ListPractices(ctx, f); err != nil {
			return err
		}
	}
	sortPractices(rows, q.Sort, q.Desc)
	lang := s.lang(r)
	d.L = listLabels(lang)
	status := map[mtvp.PracticeStatus]string{}
	for _, st := range mtvp.PracticeStatuses {
		status[st] = i18n.T(lang, "practice.status."+string(st))
	}
	d.Rows = make([]practiceRow, len(rows))
	for i, p := range rows {
		d.Patients += p.RegisteredPatients
		d.GPFTE += p.GPFTE
		d.Staff += p.StaffCount
		d.Rows[i] = practiceRow{P: p,
			URL: d.Base + "/" + strconv.FormatInt(p.ID, 10), Name: p.Name, AGB: p.AGB, City: p.City,
			Status: string(p.Status), StatusLabel: status[p.Status], Wave: p.InflowWave, Consultant: p.ConsultantName,
			Patients: i18n.Integer(lang, p.RegisteredPatients), GPFTE: i18n.Decimal(lang, p.GPFTE, 2), Ratio: "—", Staff: i18n.Integer(lang, p.StaffCount),
		}
		if n := p.PatientsPerGPFTE(); n > 0 {
			d.Rows[i].Ratio = i18n.Integer(lang, n)
		}
	}
	d.Headers = practiceHeaders(d.Base, q)
	if d.Waves, err = s.db.InflowWaves(ctx, reg.ID); err != nil {
		return err
	}
	if d.IsAdmin {
		if d.Consultants, err = s.db.Consultants(ctx, reg.ID); err != nil {
			return err
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practices"
	return s.render(w, r, http.StatusOK, "practices", v)
}

// practiceRow is one overview row, formatted in Go: with 200 rows the
// template stays a plain copy of strings, which keeps the page fast.
type practiceRow struct {
	URL, Name, AGB, City, Status, StatusLabel, Wave, Consultant string
	Patients, GPFTE, Ratio, Staff                               string
	P                                                           mtvp.PracticeSummary // for the download
}

// practiceListLabels are the column labels, repeated per cell as
// data-label for the phone layout.
type practiceListLabels struct {
	Name, AGB, City, Status, Wave, Consultant, NoConsultant string
	Patients, GPFTE, PerFTE, Staff                          string
}

func listLabels(lang string) practiceListLabels {
	t := func(k string) string { return i18n.T(lang, k) }
	return practiceListLabels{
		Name: t("practice.col.name"), AGB: t("practice.field.agb"), City: t("practice.field.city"), Status: t("practice.field.status"),
		Wave: t("practice.field.inflow_wave"), Consultant: t("practice.field.consultant"), NoConsultant: t("practice.no_consultant"),
		Patients: t("practice.col.patients"), GPFTE: t("practice.col.gp_fte"), PerFTE: t("practice.col.per_fte"), Staff: t("practice.col.staff"),
	}
}

func practiceHeaders(base string, q practiceQuery) []sortHeader {
	cols := []struct {
		key, label string
		num        bool
	}{
		{sortName, "practice.col.name", false},
		{sortPatients, "practice.col.patients", true},
		{sortGPFTE, "practice.col.gp_fte", true},
		{sortRatio, "practice.col.per_fte", true},
		{sortStaff, "practice.col.staff", true},
	}
	var out []sortHeader
	for _, c := range cols {
		h := sortHeader{Key: c.key, Label: c.label, Num: c.num}
		next := q
		next.Sort = c.key
		if q.Sort == c.key {
			h.Aria = "ascending"
			if q.Desc {
				h.Aria = "descending"
			}
			next.Desc = !q.Desc
		} else {
			// Figures are most useful largest first; names A–Z.
			next.Desc = c.num
		}
		h.URL = base
		if enc := next.values().Encode(); enc != "" {
			h.URL += "?" + enc
		}
		out = append(out, h)
	}
	return out
}

// sortPractices orders rows by a column, then by name.
func sortPractices(rows []mtvp.PracticeSummary, key string, desc bool) {
	name := func(i, j int) bool {
		return strings.ToLower(rows[i].Name) < strings.ToLower(rows[j].Name)
	}
	cmp := func(a, b float64, i, j int) bool {
		if a == b {
			return name(i, j)
		}
		if desc {
			return a > b
		}
		return a < b
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch key {
		case sortPatients:
			return cmp(float64(a.RegisteredPatients), float64(b.RegisteredPatients), i, j)
		case sortGPFTE:
			return cmp(a.GPFTE, b.GPFTE, i, j)
		case sortRatio:
			return cmp(float64(a.PatientsPerGPFTE()), float64(b.PatientsPerGPFTE()), i, j)
		case sortStaff:
			return cmp(float64(a.StaffCount), float64(b.StaffCount), i, j)
		}
		if desc {
			return name(j, i)
		}
		return name(i, j)
	})
}

// ---- Practice page ----

type practicePageData struct {
	Region       mtvp.Region
	Practice     mtvp.Practice
	Base         string // the practice's URL
	Staff        []mtvp.StaffMember
	ShowEnded    bool
	Today        mtvp.Date
	CanEditStaff bool
	CanEditInfo  bool
	CanConsult   bool // the consult-duration page (agenda.go)
	CanAdmin     bool
	CanList      bool
	History      []historyRow
	MoreHistory  bool
}

// historyOnPage is how many changes the practice page shows; the history
// page shows all.
const historyOnPage = 10

func (s *Server) getPractice(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	d := practicePageData{
		Region:       reg,
		Practice:     p,
		Base:         practiceURL(reg, p.ID),
		ShowEnded:    r.URL.Query().Get("beeindigd") == "1",
		Today:        mtvp.DateOf(s.cfg.Now()),
		CanEditStaff: u.CanEditStaff(&p),
		CanEditInfo:  u.CanEditPracticeDetails(&p),
		CanConsult:   u.CanSeeConsultDuration(&p),
		CanAdmin:     u.CanAdminRegion(reg.ID),
		CanList:      u.CanListPractices(reg.ID),
	}
	if d.Staff, err = s.db.Staff(ctx, p.ID, d.ShowEnded); err != nil {
		return err
	}
	if d.CanAdmin {
		entries, err := s.db.History(ctx, "practice", p.ID)
		if err != nil {
			return err
		}
		if len(entries) > historyOnPage {
			entries, d.MoreHistory = entries[:historyOnPage], true
		}
		names, err := s.rhNames(ctx, reg)
		if err != nil {
			return err
		}
		if d.History, err = historyRows(ctx, names, s.lang(r), entries, nil); err != nil {
			return err
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = navForPractice(u, p)
	return s.render(w, r, http.StatusOK, "practice", v)
}

// navForPractice marks the navigation item of a practice page: a practice
// login's own practice, else the overview.
func navForPractice(u *mtvp.User, p mtvp.Practice) string {
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountPractice && g.PracticeID == p.ID {
			return "practice-" + strconv.FormatInt(p.ID, 10)
		}
	}
	return "practices"
}

// consultantNames maps the region's consultants' user ids to names, for
// the consultant select and for history.
func (s *Server) consultantNames(r *http.Request, regionID int64) (map[int64]string, error) {
	cs, err := s.db.Consultants(r.Context(), regionID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(cs))
	for _, c := range cs {
		out[c.ID] = c.Name
	}
	return out, nil
}

// ---- Practice form (new and edit) ----

// practiceForm holds what was typed, as text, so a form with errors shows
// it again unchanged.
type practiceForm struct {
	AGB        string
	Name       string
	Street     string
	Postcode   string
	City       string
	Patients   string
	Consultant string
	JoinedOn   string
	Wave       string
	Status     string
	Version    int
}

// practiceFormFields are the form's field names in display order; admin
// fields are only shown to and accepted from region admins.
var (
	practiceDetailFields = []string{"name", "street", "postcode", "city", "registered_patients"}
	practiceAdminFields  = []string{"agb", "consultant", "joined_on", "inflow_wave", "status"}
)

func practiceFormOf(p mtvp.Practice) practiceForm {
	f := practiceForm{
		AGB: p.AGB, Name: p.Name, Street: p.Street, Postcode: p.Postcode, City: p.City,
		JoinedOn: p.JoinedOn.String(), Wave: p.InflowWave, Status: string(p.Status), Version: p.Version,
	}
	if p.RegisteredPatients != 0 || p.ID != 0 {
		f.Patients = strconv.Itoa(p.RegisteredPatients)
	}
	if p.ConsultantID != 0 {
		f.Consultant = strconv.FormatInt(p.ConsultantID, 10)
	}
	return f
}

// value returns a field's text by form name.
func (f practiceForm) value(name string) string {
	switch name {
	case "agb":
		return f.AGB
	case "name":
		return f.Name
	case "street":
		return f.Street
	case "postcode":
		return f.Postcode
	case "city":
		return f.City
	case "registered_patients":
		return f.Patients
	case "consultant":
		return f.Consultant
	case "joined_on":
		return f.JoinedOn
	case "inflow_wave":
		return f.Wave
	case "status":
		return f.Status
	}
	return ""
}

// readPracticeForm reads the posted fields; admin fields only when admin.
func readPracticeForm(r *http.Request, admin bool) practiceForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := practiceForm{Name: g("name"), Street: g("street"), Postcode: g("postcode"), City: g("city"), Patients: g("registered_patients"), Version: formVersion(r)}
	if admin {
		f.AGB, f.Consultant, f.JoinedOn, f.Wave, f.Status = g("agb"), g("consultant"), g("joined_on"), g("inflow_wave"), g("status")
	}
	return f
}

// applyPracticeForm copies the form onto p (detail fields always, admin
// fields when admin), collecting parse errors.
func applyPracticeForm(r *http.Request, f practiceForm, p *mtvp.Practice, admin bool, consultants map[int64]string, errs mtvp.FieldErrors) {
	p.Name, p.Street, p.Postcode, p.City = f.Name, f.Street, f.Postcode, f.City
	p.RegisteredPatients = formInt(r, "registered_patients", errs)
	if !admin {
		return
	}
	p.AGB = f.AGB
	p.ConsultantID = 0
	if f.Consultant != "" {
		id, err := strconv.ParseInt(f.Consultant, 10, 64)
		if _, ok := consultants[id]; err != nil || !ok {
			errs.Add("consultant", "practice.err.consultant_unknown")
		} else {
			p.ConsultantID = id
		}
	}
	p.JoinedOn = formDate(r, "joined_on", errs)
	p.InflowWave = f.Wave
	p.Status = mtvp.PracticeStatus(f.Status)
}

type practiceFormData struct {
	Region      mtvp.Region
	Practice    mtvp.Practice // stored practice (edit) or zero (new)
	Form        practiceForm
	IsNew       bool
	Admin       bool // admin fields shown
	Action      string
	Cancel      string
	Consultants []option
	Statuses    []option
	Waves       []string
	// Conflict lists the fields someone else changed since the form was
	// opened (on 409).
	Conflict []conflictRow
	// Orig are the stored values the form was opened with, sent back as
	// hidden fields to explain a conflict.
	Orig []hiddenField
}

type option struct {
	Value    string
	Label    string
	Selected bool
}

type hiddenField struct{ Name, Value string }

type conflictRow struct {
	Label, Then, Now, Yours string
}

func (s *Server) practiceFormData(r *http.Request, reg mtvp.Region, stored mtvp.Practice, f practiceForm, admin bool) (practiceFormData, error) {
	lang := s.lang(r)
	d := practiceFormData{Region: reg, Practice: stored, Form: f, IsNew: stored.ID == 0, Admin: admin}
	if d.IsNew {
		d.Action, d.Cancel = practicesURL(reg), practicesURL(reg)
	} else {
		d.Action, d.Cancel = practiceURL(reg, stored.ID), practiceURL(reg, stored.ID)
		orig := practiceFormOf(stored)
		for _, k := range append(append([]string{}, practiceDetailFields...), practiceAdminFields...) {
			d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: orig.value(k)})
		}
	}
	if !admin {
		return d, nil
	}
	cs, err := s.db.Consultants(r.Context(), reg.ID)
	if err != nil {
		return d, err
	}
	d.Consultants = []option{{Value: "", Label: i18n.T(lang, "practice.no_consultant"), Selected: f.Consultant == ""}}
	for _, c := range cs {
		id := strconv.FormatInt(c.ID, 10)
		d.Consultants = append(d.Consultants, option{Value: id, Label: c.Name, Selected: id == f.Consultant})
	}
	for _, st := range mtvp.PracticeStatuses {
		d.Statuses = append(d.Statuses, option{Value: string(st), Label: i18n.T(lang, "practice.status."+string(st)), Selected: string(st) == f.Status})
	}
	if d.Waves, err = s.db.InflowWaves(r.Context(), reg.ID); err != nil {
		return d, err
	}
	return d, nil
}

func (s *Server) renderPracticeForm(w http.ResponseWriter, r *http.Request, status int, d practiceFormData, errs mtvp.FieldErrors, errKey string) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = "practices"
	if !d.IsNew {
		v.Nav = navForPractice(v.User, d.Practice)
	}
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "practice_form", v)
}

func (s *Server) getNewPractice(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	f := practiceFormOf(mtvp.Practice{Status: mtvp.PracticeInterested})
	d, err := s.practiceFormData(r, reg, mtvp.Practice{}, f, true)
	if err != nil {
		return err
	}
	return s.renderPracticeForm(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) postNewPractice(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	names, err := s.consultantNames(r, reg.ID)
	if err != nil {
		return err
	}
	f := readPracticeForm(r, true)
	errs := mtvp.FieldErrors{}
	p := mtvp.Practice{RegionID: reg.ID}
	applyPracticeForm(r, f, &p, true, names, errs)
	p.Normalize()
	mergeErrors(errs, p.Validate())
	if len(errs) == 0 {
		err := s.db.CreatePractice(r.Context(), actorOf(currentUser(r)), &p)
		if err != nil && !mergeErrors(errs, err) {
			return err
		}
	}
	if len(errs) > 0 {
		d, err := s.practiceFormData(r, reg, mtvp.Practice{}, f, true)
		if err != nil {
			return err
		}
		return s.renderPracticeForm(w, r, http.StatusUnprocessableEntity, d, errs, "")
	}
	s.flash(r, "practice.created")
	http.Redirect(w, r, practiceURL(reg, p.ID), http.StatusSeeOther)
	return nil
}

// editablePractice loads the practice for its edit form: visible (else
// 404) and editable by the user (else 403).
func (s *Server) editablePractice(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return reg, p, err
	}
	if !currentUser(r).CanEditPracticeDetails(&p) {
		return reg, p, mtvp.Errorf(mtvp.EFORBIDDEN, "may not edit practice")
	}
	return reg, p, nil
}

func (s *Server) getEditPractice(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.editablePractice(r)
	if err != nil {
		return err
	}
	d, err := s.practiceFormData(r, reg, p, practiceFormOf(p), currentUser(r).CanEditPracticeAdmin(&p))
	if err != nil {
		return err
	}
	return s.renderPracticeForm(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) postEditPractice(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, stored, err := s.editablePractice(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	admin := u.CanEditPracticeAdmin(&stored)
	names, err := s.consultantNames(r, reg.ID)
	if err != nil {
		return err
	}
	f := readPracticeForm(r, admin)
	errs := mtvp.FieldErrors{}
	// Start from the stored practice: a practice login's post can only
	// change the detail fields, whatever else it sends.
	p := stored
	p.Version = f.Version
	applyPracticeForm(r, f, &p, admin, names, errs)
	if !admin {
		f = practiceFormMerge(f, practiceFormOf(stored))
	}
	p.Normalize()
	mergeErrors(errs, p.Validate())
	if len(errs) == 0 {
		err := s.db.UpdatePractice(ctx, actorOf(u), &p)
		switch {
		case err == nil:
			s.flash(r, "practice.saved")
			http.Redirect(w, r, practiceURL(reg, p.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			return s.practiceConflict(w, r, reg, stored.ID, f, admin, names)
		case !mergeErrors(errs, err):
			return err
		}
	}
	d, err := s.practiceFormData(r, reg, stored, f, admin)
	if err != nil {
		return err
	}
	d.Orig = origFromPost(r, d.Orig)
	return s.renderPracticeForm(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

// practiceFormMerge fills the admin fields a practice login does not edit
// from the stored practice, so the form shows them unchanged.
func practiceFormMerge(typed, stored practiceForm) practiceForm {
	typed.AGB, typed.Consultant, typed.JoinedOn, typed.Wave, typed.Status = stored.AGB, stored.Consultant, stored.JoinedOn, stored.Wave, stored.Status
	return typed
}

// origFromPost keeps the hidden original values of the first form across
// re-renders with errors, so a later conflict still shows what changed
// since the user started.
func origFromPost(r *http.Request, fallback []hiddenField) []hiddenField {
	out := make([]hiddenField, len(fallback))
	for i, h := range fallback {
		out[i] = h
		if vals, ok := r.PostForm[h.Name]; ok && len(vals) > 0 {
			out[i].Value = vals[0]
		}
	}
	return out
}

// practiceConflict answers a stale version: 409 with the form again, the
// user's input kept, and a table of what someone else changed meanwhile.
// The form now carries the current version, so saving again is a
// deliberate overwrite.
func (s *Server) practiceConflict(w http.ResponseWriter, r *http.Request, reg mtvp.Region, id int64, typed practiceForm, admin bool, names map[int64]string) error {
	current, err := s.db.PracticeByID(r.Context(), id)
	if err != nil {
		return err
	}
	cur := practiceFormOf(current)
	if !admin {
		typed = practiceFormMerge(typed, cur)
	}
	d, err := s.practiceFormData(r, reg, current, typed, admin)
	if err != nil {
		return err
	}
	d.Form.Version = current.Version
	lang := s.lang(r)
	fields := append([]string{}, practiceDetailFields...)
	if admin {
		fields = append(fields, practiceAdminFields...)
	}
	// Without the original values (an old form) compare with the input.
	_, hasOrig := r.PostForm["orig_name"]
	for _, k := range fields {
		then, now := r.PostFormValue("orig_"+k), cur.value(k)
		if !hasOrig {
			then = typed.value(k)
		}
		if then == now {
			continue
		}
		d.Conflict = append(d.Conflict, conflictRow{
			Label: i18n.T(lang, "practice.field."+k),
			Then:  practiceFieldText(lang, k, then, names),
			Now:   practiceFieldText(lang, k, now, names),
			Yours: practiceFieldText(lang, k, typed.value(k), names),
		})
	}
	return s.renderPracticeForm(w, r, http.StatusConflict, d, nil, "practice.conflict")
}

// practiceFieldText shows a form value readably: consultant by name,
// status and dates in words.
func practiceFieldText(lang, field, val string, consultants map[int64]string) string {
	if val == "" {
		return "—"
	}
	switch field {
	case "consultant":
		id, _ := strconv.ParseInt(val, 10, 64)
		if n, ok := consultants[id]; ok {
			return n
		}
	case "status":
		return i18n.T(lang, "practice.status."+val)
	case "joined_on":
		if d, err := mtvp.ParseDate(val); err == nil {
			return d.Short()
		}
	}
	return val
}
