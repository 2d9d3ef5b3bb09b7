package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Recording the past by hand in the web (issue 12 §2): the forms take the
// real date from those who may give it, decided by mtvp.SignUpDate /
// mtvp.RecordDate; refusals are 422 in Dutch naming the field and write
// nothing.

// lastYearGroup is a group of last year in region A (facilitator A).
func lastYearGroup(t *testing.T, f *fixture) mtvp.Group {
	t.Helper()
	g := mtvp.Group{RegionID: f.regionA.ID, Year: clock.Now().Year() - 1, Name: "Vorig jaar", FacilitatorID: f.users[facilitatorA].ID,
		Place: "Gulpen", Weekday: 2, Capacity: 6}
	if err := f.db.CreateGroup(context.Background(), mtvp.SystemActor, &g); err != nil {
		t.Fatal(err)
	}
	f.vars["{pastgroup}"], f.vars["{pastyear}"] = strconv.FormatInt(g.ID, 10), strconv.Itoa(g.Year)
	return g
}

// recordedAfterwards reports whether the newest audit entry of the entity
// is marked as recorded afterwards on day on.
func recordedAfterwards(t *testing.T, f *fixture, entity string, id int64, on mtvp.Date) bool {
	t.Helper()
	h, err := f.db.History(context.Background(), entity, id)
	if err != nil || len(h) == 0 {
		t.Fatalf("history of %s %d: %v %v", entity, id, h, err)
	}
	for _, c := range h[0].Changes {
		if c.Field == "RecordedAfterwards" && c.New == on.String() {
			return true
		}
	}
	return false
}

// refused posts a form that must be refused: 422, the Dutch message, the
// field's label named in the error summary, and nothing audited.
func refused(t *testing.T, f *fixture, w who, path string, form url.Values, label, msg string) {
	t.Helper()
	before := f.auditCount()
	rec := f.do(w, http.MethodPost, path, form)
	body := rec.Body.String()
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, msg) || (label != "" && !strings.Contains(body, label+": "+msg)) {
		if i := strings.Index(body, `role="alert"`); i > 0 {
			body = body[i:]
		}
		t.Fatalf("%s %v: status %d, want 422 with %q: %.1500s", w, form, rec.Code, msg, body)
	}
	if f.auditCount() != before {
		t.Fatalf("%s %v: refused but something was written", w, form)
	}
}

func TestWebRecordPastIntervisionSignUp(t *testing.T) {
	f := ivWorld(t)
	ctx := context.Background()
	g := lastYearGroup(t, f)
	today := mtvp.DateOf(clock.Now())
	march := mtvp.NewDate(g.Year, time.March, 1)
	page := "/regio/{region}/intervisie/{pastgroup}"

	// The practice sees that the year is closed: no form.
	body := f.do(practiceP1, http.MethodGet, page, nil).Body.String()
	if !strings.Contains(body, "Dit programmajaar is voorbij") || strings.Contains(body, `action="/regio/`+f.regionA.Code+`/intervisie/`+f.vars["{pastgroup}"]+`/aanmelden"`) {
		t.Fatalf("practice page of a past group: %.3000s", body)
	}
	body = f.do(practiceP1, http.MethodGet, "/regio/{region}/praktijken/{practice}/intervisie?jaar={pastyear}", nil).Body.String()
	if !strings.Contains(body, "Dit programmajaar is voorbij") || strings.Contains(body, `name="group"`) {
		t.Fatalf("practice intervision page of a past year: %.3000s", body)
	}
	// The region admin chooses the practice, then gets the form with the
	// required date.
	body = f.do(adminA, http.MethodGet, page, nil).Body.String()
	if !strings.Contains(body, `name="praktijk"`) || strings.Contains(body, `name="signed_up_on"`) {
		t.Fatalf("admin's group page offers no practice choice: %.3000s", body)
	}
	body = f.do(adminA, http.MethodGet, page+"?praktijk={practice}", nil).Body.String()
	if !strings.Contains(body, "Datum van aanmelding") || !strings.Contains(body, `name="signed_up_on"`) || !strings.Contains(body, "Daan Dirksen") ||
		!strings.Contains(body, "vul de werkelijke datum van aanmelding in") {
		t.Fatalf("admin's sign-up form of a past group: %.3000s", body)
	}
	body = f.do(adminA, http.MethodGet, "/regio/{region}/praktijken/{practice}/intervisie?jaar={pastyear}", nil).Body.String()
	if !strings.Contains(body, `name="signed_up_on"`) || !strings.Contains(body, "Vorig jaar") {
		t.Fatalf("admin's practice intervision page of a past year: %.3000s", body)
	}

	post := page + "/aanmelden"
	form := func(on string) url.Values {
		return url.Values{"practice": {"{practice}"}, "person": {"{newperson}"}, "signed_up_on": {on}}
	}
	refused(t, f, practiceP1, post, form(march.String()), "", "nieuwe aanmeldingen kunnen niet meer")
	refused(t, f, adminA, post, form(""), "Datum van aanmelding", "Geef de werkelijke datum op")
	refused(t, f, adminA, post, form(today.AddDays(1).String()), "Datum van aanmelding", "Deze datum ligt in de toekomst")
	refused(t, f, adminA, post, form(mtvp.NewDate(g.Year+1, time.January, 1).String()), "Datum van aanmelding", "Deze datum valt buiten het programmajaar")
	refused(t, f, adminA, post, form("1 maart"), "Datum van aanmelding", "Vul een datum in")
	if ms, err := f.db.GroupMembers(ctx, g.ID, true); err != nil || len(ms) != 0 {
		t.Fatalf("refused sign-ups saved: %v %v", ms, err)
	}

	rec := f.do(adminA, http.MethodPost, post, form(march.String()))
	ivStatus(t, rec, http.StatusSeeOther)
	ms, err := f.db.GroupMembers(ctx, g.ID, true)
	if err != nil || len(ms) != 1 || ms[0].Status != mtvp.MemberActive || mtvp.DateOf(ms[0].SignedUp) != march {
		t.Fatalf("recorded sign-up: %+v %v", ms, err)
	}
	if !recordedAfterwards(t, f, store.EntityMember, ms[0].ID, march) {
		t.Fatal("past sign-up not audited as recorded afterwards")
	}
	hist := f.do(adminA, http.MethodGet, "/regio/{region}/historie", nil).Body.String()
	if !strings.Contains(hist, "Achteraf vastgelegd") {
		t.Fatalf("region history does not show recorded afterwards: %.2000s", hist)
	}

	// From the practice's intervision page the same rules (Anna of P1 is
	// in this year's group, not yet in last year's).
	ppost := "/regio/{region}/praktijken/{practice}/intervisie"
	pform := func(on string) url.Values {
		return url.Values{"group": {"{pastgroup}"}, "person": {strconv.FormatInt(f.person.ID, 10)}, "signed_up_on": {on}}
	}
	refused(t, f, practiceP1, ppost, pform(""), "", "nieuwe aanmeldingen kunnen niet meer")
	refused(t, f, adminA, ppost, pform(""), "Datum van aanmelding", "Geef de werkelijke datum op")
	ivStatus(t, f.do(adminA, http.MethodPost, ppost, pform(march.AddDays(7).String())), http.StatusSeeOther)

	// This year's group: the date stays optional; a practice signs up
	// without one (today), and may not date it in an earlier year.
	body = f.do(adminA, http.MethodGet, "/regio/{region}/intervisie/{group3}?praktijk={practice}", nil).Body.String()
	if !strings.Contains(body, `name="signed_up_on"`) || strings.Contains(body, `name="signed_up_on" value="" max="`+today.String()+`" required`) {
		t.Fatalf("this year's form: %.3000s", body)
	}
	f.vars["{pastyear}"] = strconv.Itoa(g.Year)
	refused(t, f, practiceP1, "/regio/{region}/intervisie/{group3}/aanmelden",
		url.Values{"practice": {"{practice}"}, "person": {"{newperson}"}, "signed_up_on": {mtvp.NewDate(g.Year, time.December, 31).String()}}, "", "Alleen de programmamanager legt een datum in een eerder jaar vast")
	ivStatus(t, f.do(practiceP1, http.MethodPost, "/regio/{region}/intervisie/{group3}/aanmelden",
		url.Values{"practice": {"{practice}"}, "person": {"{newperson}"}}), http.StatusSeeOther)
}

func TestWebRecordPastTrainingSignUp(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	last := today.Year() - 1
	trs, err := f.db.ListTrainings(ctx, f.regionA.ID, true)
	if err != nil || len(trs) == 0 {
		t.Fatal(trs, err)
	}
	ses := mtvp.TrainingSession{TrainingID: trs[0].ID, Dates: []mtvp.Date{mtvp.NewDate(last, time.October, 1)}, Place: "Heerlen", Capacity: 5}
	if err := f.db.CreateSession(ctx, mtvp.SystemActor, &ses); err != nil {
		t.Fatal(err)
	}
	sid := strconv.FormatInt(ses.ID, 10)
	page := "/regio/{region}/praktijken/{practice}/scholing"
	option := `<option value="` + sid + `"`
	if body := f.do(practiceP1, http.MethodGet, page, nil).Body.String(); strings.Contains(body, option) || strings.Contains(body, `name="signed_up_on"`) {
		t.Fatal("the practice is offered a session of last year or the date field")
	}
	if body := f.do(adminA, http.MethodGet, page, nil).Body.String(); !strings.Contains(body, option) || !strings.Contains(body, "al begonnen") ||
		!strings.Contains(body, "Datum van inschrijving") {
		t.Fatal("the region admin is not offered last year's session with the date field")
	}

	bert := f.staffID("Bert Jansen")
	post := page + "/inschrijvingen"
	form := func(on string) url.Values {
		return url.Values{"session": {sid}, "enrol_person": {bert}, "signed_up_on": {on}}
	}
	sept := mtvp.NewDate(last, time.September, 1)
	refused(t, f, practiceP1, post, form(sept.String()), "", "nieuwe aanmeldingen kunnen niet meer")
	refused(t, f, adminA, post, form(""), "Datum van inschrijving", "Geef de werkelijke datum op")
	refused(t, f, adminA, post, form(today.AddDays(1).String()), "Datum van inschrijving", "Deze datum ligt in de toekomst")
	// After the first day: the session had begun (the store's rule).
	refused(t, f, adminA, post, form(mtvp.NewDate(last, time.October, 2).String()), "Bijeenkomst", "Deze bijeenkomst is al begonnen")
	if es, err := f.db.SessionEnrolments(ctx, ses.ID); err != nil || len(es) != 0 {
		t.Fatalf("refused sign-ups saved: %+v %v", es, err)
	}

	ivStatus(t, f.do(adminA, http.MethodPost, post, form(sept.String())), http.StatusSeeOther)
	es, err := f.db.SessionEnrolments(ctx, ses.ID)
	if err != nil || len(es) != 1 || es[0].Status != mtvp.EnrolmentPlaced {
		t.Fatalf("recorded sign-up: %+v %v", es, err)
	}
	if !recordedAfterwards(t, f, store.EntityEnrolment, es[0].ID, sept) {
		t.Fatal("past sign-up not audited as recorded afterwards")
	}
}

func TestWebRecordPastFinalisation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	last := today.Year() - 1
	pl := ensurePlan(f, last, mtvp.PlanDiscussion)
	pl, err := f.db.RecordPlanAgreement(ctx, mtvp.SystemActor, pl.ID, pl.Version, mtvp.NewDate(last, time.May, 1), []int64{f.person.ID})
	if err != nil {
		t.Fatal(err)
	}
	step := "/regio/{region}/praktijken/{practice}/plan/" + strconv.Itoa(last) + "/stap/definitief"
	if body := f.do(practiceP1, http.MethodGet, step, nil).Body.String(); strings.Contains(body, `name="finalised_on"`) {
		t.Fatal("the practice is offered the finalisation date")
	}
	if body := f.do(adminA, http.MethodGet, step, nil).Body.String(); !strings.Contains(body, "Datum van definitief maken") || !strings.Contains(body, `name="finalised_on"`) {
		t.Fatalf("the region admin is not offered the finalisation date: %.2000s", body)
	}
	if body := f.do(adminA, http.MethodGet, strings.Replace(step, "definitief", "terug", 1), nil).Body.String(); strings.Contains(body, `name="finalised_on"`) {
		t.Fatal("another step offers the finalisation date")
	}
	version := strconv.Itoa(pl.Version)
	form := func(on string) url.Values { return url.Values{"version": {version}, "finalised_on": {on}} }
	june := mtvp.NewDate(last, time.June, 3)
	refused(t, f, practiceP1, step, form(june.String()), "", "Alleen de programmamanager legt een datum in een eerder jaar vast")
	refused(t, f, adminA, step, form(today.AddDays(1).String()), "Datum van definitief maken", "Deze datum ligt in de toekomst")
	refused(t, f, adminA, step, form(mtvp.NewDate(last, time.April, 30).String()), "Datum van definitief maken", "Deze datum ligt vóór het teamoverleg")
	refused(t, f, adminA, step, form("3 juni"), "Datum van definitief maken", "Vul een datum in")
	if got, err := f.db.Plan(ctx, f.p1.ID, last); err != nil || got.Latest().Status == mtvp.PlanFinal {
		t.Fatalf("refused finalisation saved: %v", err)
	}

	ivStatus(t, f.do(adminA, http.MethodPost, step, form(june.String())), http.StatusSeeOther)
	got, err := f.db.Plan(ctx, f.p1.ID, last)
	if err != nil {
		t.Fatal(err)
	}
	if l := got.Latest(); l.Status != mtvp.PlanFinal || mtvp.DateOf(l.FinalisedAt) != june {
		t.Fatalf("final: %+v", l)
	}
	if !recordedAfterwards(t, f, store.EntityPlan, got.ID, june) {
		t.Fatal("finalisation not audited as recorded afterwards")
	}
}

// TestWebRecordPastAttendance: the region admin and the group's
// facilitator record attendance at a meeting of last year; the practice
// may not; the write is audited as recorded afterwards.
func TestWebRecordPastAttendance(t *testing.T) {
	f := ivWorld(t)
	ctx := context.Background()
	g := lastYearGroup(t, f)
	res, err := f.db.SignUp(ctx, mtvp.SystemActor, g.ID, f.p1.ID, f.person.ID, mtvp.NewDate(g.Year, time.January, 5))
	if err != nil {
		t.Fatal(err)
	}
	mt := mtvp.Meeting{GroupID: g.ID, Date: mtvp.NewDate(g.Year, time.March, 10), Start: "19:00", End: "21:30"}
	if err := f.db.CreateMeeting(ctx, mtvp.SystemActor, &mt); err != nil {
		t.Fatal(err)
	}
	meeting := "/regio/{region}/intervisie/{pastgroup}/bijeenkomsten/" + strconv.FormatInt(mt.ID, 10)
	field := "member." + strconv.FormatInt(res.Member.ID, 10)
	if body := f.do(facilitatorA, http.MethodGet, meeting, nil).Body.String(); !strings.Contains(body, `name="`+field+`"`) {
		t.Fatalf("the facilitator gets no attendance form for last year's meeting: %.2000s", body)
	}
	ivStatus(t, f.do(practiceP1, http.MethodPost, meeting+"/aanwezigheid", url.Values{field: {"aanwezig"}}), http.StatusForbidden)
	for _, tc := range []struct {
		w      who
		status mtvp.AttendanceStatus
	}{{facilitatorA, mtvp.AttendPresent}, {adminA, mtvp.AttendExcused}} {
		ivStatus(t, f.do(tc.w, http.MethodPost, meeting+"/aanwezigheid", url.Values{field: {string(tc.status)}}), http.StatusSeeOther)
		att, err := f.db.GroupAttendance(ctx, g.ID)
		if err != nil || len(att) != 1 || att[0].Status != tc.status {
			t.Fatalf("%s: attendance %+v %v", tc.w, att, err)
		}
		if !recordedAfterwards(t, f, store.EntityMeeting, mt.ID, mt.Date) {
			t.Fatalf("%s: attendance of last year not audited as recorded afterwards", tc.w)
		}
	}
}

// TestWebRecordPastVisit: a consultant records a visit of last year with
// its real date (a visit is by nature recorded after the day, in the web
// as in the API: not after today, inside the visit's year); it is audited
// as recorded afterwards.
func TestWebRecordPastVisit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	nov := mtvp.NewDate(today.Year()-1, time.November, 15)
	base := "/regio/{region}/praktijken/{practice}/bezoeken"
	rec := f.do(consultantA, http.MethodPost, base, url.Values{"planned_on": {nov.String()}})
	ivStatus(t, rec, http.StatusSeeOther)
	visit := rec.Header().Get("Location")
	id, err := strconv.ParseInt(visit[strings.LastIndex(visit, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("location %q", visit)
	}
	form := func(on string) url.Values {
		return url.Values{"version": {"1"}, "visited_on": {on}, "judgement": {"Goed op weg"}, "action_rows": {"1"}}
	}
	refused(t, f, consultantA, visit+"/verslag", form(today.AddDays(1).String()), "Datum bezoek", "De datum van het bezoek mag niet in de toekomst liggen")
	refused(t, f, consultantA, visit+"/verslag", form(mtvp.NewDate(today.Year()-2, time.December, 31).String()), "Datum bezoek", "De datum moet in het jaar van het bezoek liggen")
	ivStatus(t, f.do(consultantA, http.MethodPost, visit+"/verslag", form(nov.String())), http.StatusSeeOther)
	v, err := f.db.VisitByID(ctx, id)
	if err != nil || v.Status != mtvp.VisitDone || v.VisitedOn != nov {
		t.Fatalf("recorded visit %+v %v", v, err)
	}
	if !recordedAfterwards(t, f, store.EntityVisit, id, nov) {
		t.Fatal("last year's visit not audited as recorded afterwards")
	}
}
