package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/auth"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// Handler tests of the administration pages on a real database (the
// route × role fixture of authz_test.go).

func adminPlan(t *testing.T, f *fixture) mtvp.Regioplan {
	t.Helper()
	p, err := f.db.Regioplan(context.Background(), f.regionA.ID, f.year)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// adminPlanForm is the editor's form for the fixture's plan plus extra rows.
func adminPlanForm(p mtvp.Regioplan, extra ...mtvp.Intervention) url.Values {
	form := url.Values{"version": {strconv.Itoa(p.Version)}, "action": {"save"}}
	rows := append(append([]mtvp.Intervention(nil), p.Interventions...), extra...)
	for i, iv := range rows {
		pre := "interventions." + strconv.Itoa(i) + "."
		form.Set(pre+"id", strconv.FormatInt(iv.ID, 10))
		form.Set(pre+"code", iv.Code)
		form.Set(pre+"element", string(iv.Element))
		form.Set(pre+"title", iv.Title)
		form.Set(pre+"description", iv.Description)
		if iv.Mandatory {
			form.Set(pre+"mandatory", "1")
		}
	}
	form.Set("rows", strconv.Itoa(len(rows)))
	return form
}

func wantStatus(t *testing.T, got, want int, body string) {
	t.Helper()
	if got != want {
		t.Fatalf("status %d, want %d; body: %.600s", got, want, body)
	}
}

func TestRegioplanBadCodeShownBesideRow(t *testing.T) {
	f := newFixture(t)
	before, audits := adminPlan(t, f), f.auditCount()
	form := adminPlanForm(before, mtvp.Intervention{Code: "X9", Element: mtvp.ElementB, Title: "Wijkteam"})
	rec := f.do(adminA, "POST", "/regio/{region}/regioplan/{year}", form)
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, body)
	msg := i18n.T("nl", "err.intervention_code")
	// The message sits in row 2's fieldset, tied to its code field.
	row := regexp.MustCompile(`(?s)<fieldset class="adm-row[^"]*" id="row-1">.*?</fieldset>`).FindString(body)
	if !strings.Contains(row, msg) || !strings.Contains(row, `id="f-interventions-1-code-error"`) || !strings.Contains(row, `aria-invalid="true"`) {
		t.Errorf("error not beside row 2: %.1500s", row)
	}
	if first := regexp.MustCompile(`(?s)id="row-0">.*?</fieldset>`).FindString(body); strings.Contains(first, msg) {
		t.Error("error shown at the wrong row")
	}
	if !strings.Contains(body, `value="X9"`) || !strings.Contains(body, `value="Wijkteam"`) {
		t.Error("typed values not kept")
	}
	after := adminPlan(t, f)
	if after.Version != before.Version || len(after.Interventions) != len(before.Interventions) || f.auditCount() != audits {
		t.Errorf("something was saved: version %d→%d, %d interventions", before.Version, after.Version, len(after.Interventions))
	}
}

func TestRegioplanErrorRowSkipsRemovedRows(t *testing.T) {
	f := newFixture(t)
	p := adminPlan(t, f)
	// Row 0 removed, row 1 bad: the plan's intervention 0 is form row 1.
	form := adminPlanForm(p, mtvp.Intervention{Code: "B.1", Element: mtvp.ElementA, Title: "Meekijkconsult"})
	form.Set("interventions.0.remove", "1")
	rec := f.do(adminA, "POST", "/regio/{region}/regioplan/{year}", form)
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `id="f-interventions-1-code-error"`) || strings.Contains(body, `id="f-interventions-0-code-error"`) {
		t.Errorf("element mismatch not reported at row 2")
	}
	if got := adminPlan(t, f); len(got.Interventions) != 1 || got.Interventions[0].Code != "A.1" {
		t.Errorf("plan changed: %+v", got.Interventions)
	}
}

func TestRegioplanAddRowSavesNothing(t *testing.T) {
	f := newFixture(t)
	p, audits := adminPlan(t, f), f.auditCount()
	form := adminPlanForm(p, mtvp.Intervention{Code: "B.2", Title: "Wijkteam"})
	form.Set("action", "add")
	rec := f.do(adminA, "POST", "/regio/{region}/regioplan/{year}", form)
	body := rec.Body.String()
	wantStatus(t, rec.Code, http.StatusOK, body)
	for _, want := range []string{`name="interventions.2.code"`, `name="rows" value="3"`, `value="B.2"`, `autofocus`} {
		if !strings.Contains(body, want) {
			t.Errorf("add-row form lacks %s", want)
		}
	}
	// Adding again keeps the empty row and adds another.
	form.Set("rows", "3")
	rec = f.do(adminA, "POST", "/regio/{region}/regioplan/{year}", form)
	if !strings.Contains(rec.Body.String(), `name="interventions.3.code"`) {
		t.Error("second add-row lost the first empty row")
	}
	if got := adminPlan(t, f); got.Version != p.Version || len(got.Interventions) != 1 || f.auditCount() != audits {
		t.Error("add-row saved something")
	}
}

func TestRegioplanSaveRemoveAndShow(t *testing.T) {
	f := newFixture(t)
	p := adminPlan(t, f)
	form := adminPlanForm(p,
		mtvp.Intervention{Code: "a.2", Title: "Flexibele consultduur", Description: "Anders inroosteren.", Mandatory: true},
		mtvp.Intervention{Code: "D.1", Element: mtvp.ElementD, Title: "Scholing positieve gezondheid"},
		mtvp.Intervention{}, // an unused "add row"
	)
	form.Set("interventions.0.remove", "1")
	form.Set("conditions.lerende_omgeving", "Intervisie sinds 2022.")
	form.Add("learning_offers", "meelopen")
	rec := f.do(adminA, "POST", "/regio/{region}/regioplan/{year}", form)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	got := adminPlan(t, f)
	if len(got.Interventions) != 2 || got.Interventions[0].Code != "A.2" || got.Interventions[0].Element != mtvp.ElementA || !got.Interventions[0].Mandatory || got.Interventions[1].Code != "D.1" {
		t.Fatalf("saved plan: %+v", got.Interventions)
	}
	if got.Conditions[mtvp.ConditionLearningEnvironment] != "Intervisie sinds 2022." || len(got.LearningOffers) != 1 {
		t.Errorf("conditions/offers: %v %v", got.Conditions, got.LearningOffers)
	}
	for _, w := range []who{practiceP1, funderA} {
		rec = f.do(w, "GET", "/regio/{region}/regioplan/{year}", nil)
		body := html.UnescapeString(rec.Body.String())
		wantStatus(t, rec.Code, http.StatusOK, body)
		for _, want := range []string{"A.2 Flexibele consultduur", ">Verplicht<", "Het goede gesprek", "Intervisie sinds 2022.", "Meelopen met een collega"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: plan page lacks %q", w, want)
			}
		}
		if strings.Contains(body, "/bewerken") {
			t.Errorf("%s sees an edit link", w)
		}
	}
}

func TestRegioplanConflict(t *testing.T) {
	f := newFixture(t)
	p := adminPlan(t, f)
	first := adminPlanForm(p, mtvp.Intervention{Code: "B.1", Element: mtvp.ElementB, Title: "Meekijkconsult"})
	rec := f.do(adminA, "POST", "/regio/{region}/regioplan/{year}", first)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	saved, audits := adminPlan(t, f), f.auditCount()
	// A second editor who opened the same version.
	second := adminPlanForm(p, mtvp.Intervention{Code: "D.2", Element: mtvp.ElementD, Title: "Training SOLK"})
	rec = f.do(platform, "POST", "/regio/{region}/regioplan/{year}", second)
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusConflict, body)
	if !strings.Contains(body, i18n.T("nl", "admin.regioplan.conflict")) || !strings.Contains(body, `value="D.2"`) {
		t.Error("conflict page lacks the message or the typed rows")
	}
	got := adminPlan(t, f)
	if got.Version != saved.Version || len(got.Interventions) != 2 || f.auditCount() != audits {
		t.Errorf("conflict saved something: %+v", got.Interventions)
	}
}

func TestRegioplanNewYearAndCopy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Current address goes to a year page.
	rec := f.do(consultantA, "GET", "/regio/{region}/regioplan", nil)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/regio/regio-a/regioplan/20") {
		t.Errorf("redirect to %q", loc)
	}
	// A year without a plan reads as such; the admin may start it.
	rec = f.do(adminA, "GET", "/regio/{region}/regioplan/2030", nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	if !strings.Contains(html.UnescapeString(rec.Body.String()), i18n.T("nl", "admin.regioplan.none", 2030)) {
		t.Error("empty year not explained")
	}
	rec = f.do(adminA, "GET", "/regio/{region}/regioplan/1999", nil)
	wantStatus(t, rec.Code, http.StatusNotFound, rec.Body.String())
	// Copy to next year.
	rec = f.do(adminA, "POST", "/regio/{region}/regioplan/{year}/kopie", nil)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	next, err := f.db.Regioplan(ctx, f.regionA.ID, f.year+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Interventions) != 1 || next.Interventions[0].Code != "A.1" || !next.Interventions[0].Mandatory || next.Interventions[0].ID == adminPlan(t, f).Interventions[0].ID {
		t.Errorf("copy: %+v", next.Interventions)
	}
	// Copying again is refused and changes nothing.
	audits := f.auditCount()
	rec = f.do(adminA, "POST", "/regio/{region}/regioplan/{year}/kopie", nil)
	wantStatus(t, rec.Code, http.StatusConflict, rec.Body.String())
	if f.auditCount() != audits {
		t.Error("second copy wrote audit entries")
	}
}

func adminSettingsForm(version int) url.Values {
	return url.Values{
		"version": {strconv.Itoa(version)}, "name": {"Regio A"}, "insurers": {"CZ, VGZ"}, "programme_start": {"2024-01-01"},
		"intervision_threshold": {"50"}, "assistant_training_threshold": {"50"}, "gp_training_threshold": {"50"},
		"intervision_roles": {"praktijkhouder", "vaste_waarnemer"}, "assistant_training_roles": {"doktersassistent"},
		"gp_training_roles": {"praktijkhouder", "vaste_waarnemer"}, "assistant_themes": {"SOH\r\ntriage\r\n\r\n"}, "gp_themes": {"positieve gezondheid"},
		"prior_learning_cutoff": {"2022-09-01"}, "requirements": {"intervisie", "scholing_assistenten", "jaarbezoek"},
		"inflow_quota_percent": {"0"}, "at_risk_days": {"60"},
	}
}

func TestRegionSettingsValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, audits := f.regionA, f.auditCount()
	form := adminSettingsForm(before.Version)
	form.Set("gp_training_threshold", "150")
	form.Set("inflow_quota_percent", "-5")
	form.Set("min_per_element.D", "x")
	form.Set("prior_learning_cutoff", "")
	form.Add("intervision_roles", "tandarts")
	rec := f.do(adminA, "POST", "/regio/{region}/instellingen", form)
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, body)
	for field, key := range map[string]string{
		"gp_training_threshold": "err.threshold_range", "inflow_quota_percent": "err.percent_range",
		"min_per_element.D": "err.number_format", "prior_learning_cutoff": "err.required", "intervision_roles": "err.role_unknown",
	} {
		if !strings.Contains(body, `id="`+fieldID(field)+`-error">`+i18n.T("nl", key)) {
			t.Errorf("no %s beside %s", key, field)
		}
	}
	if !strings.Contains(body, `value="150"`) {
		t.Error("typed value not kept")
	}
	after, _ := f.db.RegionByID(ctx, before.ID)
	if after.Version != before.Version || f.auditCount() != audits {
		t.Error("invalid settings were saved")
	}

	// A good form saves; percentages become shares.
	form = adminSettingsForm(before.Version)
	form.Set("gp_training_threshold", "62,5")
	form.Set("min_per_element.A", "1")
	form.Set("share_participation", "1")
	rec = f.do(adminA, "POST", "/regio/{region}/instellingen", form)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	after, _ = f.db.RegionByID(ctx, before.ID)
	st := after.Settings
	if st.GPTrainingThreshold != 0.625 || st.MinPerElement[mtvp.ElementA] != 1 || !after.ShareParticipation ||
		len(st.AssistantThemes) != 2 || st.Applies(mtvp.ReqGPTraining) || !st.Applies(mtvp.ReqAnnualVisit) || len(after.Insurers) != 2 {
		t.Errorf("saved settings: %+v share=%v insurers=%v", st, after.ShareParticipation, after.Insurers)
	}
	// The form shows them back as percentages.
	rec = f.do(adminA, "GET", "/regio/{region}/instellingen", nil)
	if !strings.Contains(rec.Body.String(), `value="62,5"`) {
		t.Error("threshold not shown as a percentage")
	}

	// The old version is now stale: 409, nothing saved.
	audits = f.auditCount()
	rec = f.do(adminA, "POST", "/regio/{region}/instellingen", adminSettingsForm(before.Version))
	wantStatus(t, rec.Code, http.StatusConflict, rec.Body.String())
	if f.auditCount() != audits {
		t.Error("stale settings were saved")
	}
}

func TestCreateAccountBadEmail(t *testing.T) {
	f := newFixture(t)
	audits := f.auditCount()
	rec := f.do(adminA, "POST", "/regio/{region}/accounts", url.Values{"name": {"Els Janssen"}, "email": {"els@"}, "roles": {"consultant"}})
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `id="f-email-error">`+i18n.T("nl", "err.email_format")) || !strings.Contains(body, `value="Els Janssen"`) {
		t.Error("e-mail error not shown beside the field")
	}
	if f.auditCount() != audits {
		t.Error("something was saved")
	}
	// No role at all, a platform-admin role, a practice of region B.
	for name, form := range map[string]url.Values{
		"no role":        {"name": {"A"}, "email": {"a@example.nl"}},
		"platform-admin": {"name": {"A"}, "email": {"a@example.nl"}, "roles": {"platform-admin"}},
		"other practice": {"name": {"A"}, "email": {"a@example.nl"}, "practice": {strconv.FormatInt(f.p3.ID, 10)}},
	} {
		rec := f.do(adminA, "POST", "/regio/{region}/accounts", form)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", name, rec.Code)
		}
		if _, err := f.db.UserByEmail(context.Background(), "a@example.nl"); err == nil {
			t.Errorf("%s: user created", name)
		}
	}
}

func TestCreateAccountShowsPasswordOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// A platform admin creates the login; a region admin invites
	// (TestNewAccountByInvitation).
	rec := f.do(platform, "POST", "/regio/{region}/accounts", url.Values{
		"name": {"  Els   Janssen "}, "email": {"Els@Praktijk.NL"}, "roles": {"consultant", "facilitator"}, "practice": {strconv.FormatInt(f.p1.ID, 10), ""},
	})
	body := rec.Body.String()
	wantStatus(t, rec.Code, http.StatusOK, body)
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("password page may be cached")
	}
	m := regexp.MustCompile(`<code class="secret adm-password">([a-z0-9-]+)</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no password on the page: %.800s", body)
	}
	if key := auth.ValidatePassword(m[1]); key != "" || len(m[1]) < 16 {
		t.Errorf("weak password %q: %s", m[1], key)
	}
	u, err := f.db.UserByEmail(ctx, "els@praktijk.nl")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Els Janssen" || len(u.Grants) != 3 {
		t.Errorf("user: %+v", u)
	}
	for _, g := range u.Grants {
		if g.RegionID != f.regionA.ID || (g.Role == mtvp.AccountPractice) != (g.PracticeID == f.p1.ID) {
			t.Errorf("grant %+v", g)
		}
	}
	cred, err := f.db.CredentialsByEmail(ctx, u.Email)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := auth.CheckPassword(cred.PasswordHash, m[1]); !ok || strings.Contains(cred.PasswordHash, m[1]) {
		t.Error("stored hash does not match the shown password")
	}
	// The same address again: refused for a region admin, who sees the
	// login in its own region.
	rec = f.do(adminA, "POST", "/regio/{region}/accounts", url.Values{"name": {"X"}, "email": {"els@praktijk.nl"}, "roles": {"funder"}})
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, rec.Body.String())
}

func TestExistingEmailOtherRegion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other := f.users[adminB] // a login of region B only
	form := url.Values{"name": {other.Name}, "email": {other.Email}, "roles": {"facilitator"}}
	audits := f.auditCount()
	// A region admin gets the same answer as for a new address (issue 11):
	// an invitation goes out; the login is not touched.
	rec := f.do(adminA, "POST", "/regio/{region}/accounts", form)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	fresh := f.do(adminA, "POST", "/regio/{region}/accounts", url.Values{"name": {"Nieuw"}, "email": {"nog-geen-account@example.nl"}, "roles": {"facilitator"}})
	if fresh.Code != rec.Code || fresh.Header().Get("Location") != rec.Header().Get("Location") {
		t.Errorf("answers differ: %d %q / %d %q", rec.Code, rec.Header().Get("Location"), fresh.Code, fresh.Header().Get("Location"))
	}
	if u, _ := f.db.UserByID(ctx, other.ID); len(u.Grants) != 1 || f.auditCount() != audits+2 { // the two invitations
		t.Error("region admin touched another region's login")
	}
	// A platform admin adds the grant to the existing login instead.
	rec = f.do(platform, "POST", "/regio/{region}/accounts", form)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	u, _ := f.db.UserByID(ctx, other.ID)
	if len(u.Grants) != 2 || !u.CanAdminRegion(f.regionB.ID) || !u.CanSeeRegion(f.regionA.ID) || u.CanAdminRegion(f.regionA.ID) {
		t.Errorf("grants after adding: %+v", u.Grants)
	}
	// Now in A too, but reaching B: region admin A edits only A's grants and
	// may not reset the password.
	path := "/regio/{region}/accounts/" + strconv.FormatInt(other.ID, 10)
	rec = f.do(adminA, "GET", path+"/bewerken", nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	if strings.Contains(rec.Body.String(), "/wachtwoord") || strings.Contains(rec.Body.String(), `name="name"`) {
		t.Error("password reset or name offered for a login that reaches another region")
	}
	audits = f.auditCount()
	for _, p := range []string{"/wachtwoord", "/tweestaps-reset"} {
		rec = f.do(adminA, "POST", path+p, nil)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s: status %d", p, rec.Code)
		}
	}
	if f.auditCount() != audits {
		t.Error("refused reset wrote audit entries")
	}
	rec = f.do(adminA, "POST", path, url.Values{"version": {strconv.Itoa(u.Version)}, "name": {"Overgenomen"}, "disabled": {"1"}, "roles": {"consultant"}})
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	u2, _ := f.db.UserByID(ctx, other.ID)
	if u2.Name != other.Name || u2.Disabled || !u2.CanAdminRegion(f.regionB.ID) || !u2.HasRole(mtvp.AccountConsultant) || u2.HasRole(mtvp.AccountFacilitator) {
		t.Errorf("after edit by region admin A: %+v", u2)
	}
}

func TestAccountsOtherRegionNotFound(t *testing.T) {
	f := newFixture(t)
	rec := f.do(adminB, "GET", "/regio/{region}/accounts", nil)
	wantStatus(t, rec.Code, http.StatusNotFound, rec.Body.String())
	rec = f.do(adminB, "GET", "/regio/{region}/accounts/{user}/bewerken", nil)
	wantStatus(t, rec.Code, http.StatusNotFound, rec.Body.String())
	// A's admin cannot reach B's login through A's pages, nor a platform admin.
	b := strconv.FormatInt(f.users[adminB].ID, 10)
	rec = f.do(adminA, "GET", "/regio/{region}/accounts/"+b+"/bewerken", nil)
	wantStatus(t, rec.Code, http.StatusNotFound, rec.Body.String())
	audits := f.auditCount()
	rec = f.do(adminA, "POST", "/regio/{region}/accounts/"+b+"/wachtwoord", nil)
	wantStatus(t, rec.Code, http.StatusNotFound, rec.Body.String())
	if f.auditCount() != audits {
		t.Error("refused request wrote audit entries")
	}
	// The list shows A's logins only.
	rec = f.do(adminA, "GET", "/regio/{region}/accounts", nil)
	body := rec.Body.String()
	if !strings.Contains(body, f.users[practiceP1].Email) || strings.Contains(body, f.users[adminB].Email) || strings.Contains(body, f.users[platform].Email) {
		t.Error("account list shows the wrong logins")
	}
}

func TestEditAccountGuards(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	me := f.users[adminA]
	path := "/regio/{region}/accounts/" + strconv.FormatInt(me.ID, 10)
	audits := f.auditCount()
	rec := f.do(adminA, "POST", path, url.Values{"version": {strconv.Itoa(me.Version)}, "name": {me.Name}, "roles": {"consultant"}, "disabled": {"1"}})
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, i18n.T("nl", "admin.user.not_self_disable")) || !strings.Contains(body, i18n.T("nl", "admin.user.keep_own_admin")) || f.auditCount() != audits {
		t.Error("self-lockout not refused")
	}
	// Stale version: 409.
	pu := f.users[practiceP1]
	upath := "/regio/{region}/accounts/" + strconv.FormatInt(pu.ID, 10)
	rec = f.do(adminA, "POST", upath, url.Values{"version": {strconv.Itoa(pu.Version)}, "name": {"Nieuwe naam"}, "practice": {strconv.FormatInt(f.p2.ID, 10)}})
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	audits = f.auditCount()
	rec = f.do(adminA, "POST", upath, url.Values{"version": {strconv.Itoa(pu.Version)}, "name": {"Oude naam"}, "practice": {strconv.FormatInt(f.p1.ID, 10)}})
	wantStatus(t, rec.Code, http.StatusConflict, rec.Body.String())
	got, _ := f.db.UserByID(ctx, pu.ID)
	if got.Name != "Nieuwe naam" || len(got.Grants) != 1 || got.Grants[0].PracticeID != f.p2.ID || f.auditCount() != audits {
		t.Errorf("after conflict: %+v", got)
	}
	// Second factor reset and a new password.
	rec = f.do(adminA, "POST", upath+"/tweestaps-reset", nil)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = f.do(adminA, "POST", upath+"/wachtwoord", nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	m := regexp.MustCompile(`<code class="secret adm-password">([a-z0-9-]+)</code>`).FindStringSubmatch(rec.Body.String())
	cred, _ := f.db.CredentialsByUserID(ctx, pu.ID)
	if m == nil {
		t.Fatal("no new password shown")
	}
	if ok, _, _ := auth.CheckPassword(cred.PasswordHash, m[1]); !ok {
		t.Error("new password not stored")
	}
}

func TestRegionsCreate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := f.do(platform, "POST", "/regios", url.Values{"code": {"Regio A"}, "name": {""}, "programme_start": {"2026-01-01"}})
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, i18n.T("nl", "err.region_code")) || !strings.Contains(body, `id="f-name-error"`) {
		t.Error("region errors not shown")
	}
	rec = f.do(platform, "POST", "/regios", url.Values{"code": {"regio-a"}, "name": {"Dubbel"}, "programme_start": {"2026-01-01"}})
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, rec.Body.String())
	rec = f.do(platform, "POST", "/regios", url.Values{"code": {"zio"}, "name": {"ZIO Maastricht-Heuvelland"}, "insurers": {"CZ,VGZ"}, "programme_start": {"2024-01-01"}})
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	if loc := rec.Header().Get("Location"); loc != "/regio/zio/accounts/nieuw?rol=region-admin" {
		t.Errorf("redirect to %q", loc)
	}
	reg, err := f.db.RegionByCode(ctx, "zio")
	if err != nil {
		t.Fatal(err)
	}
	def := mtvp.DefaultNormSettings()
	if reg.Settings.IntervisionThreshold != def.IntervisionThreshold || len(reg.Settings.Requirements) != len(def.Requirements) || len(reg.Insurers) != 2 {
		t.Errorf("new region: %+v", reg)
	}
	rec = f.do(platform, "GET", "/regios", nil)
	if !strings.Contains(rec.Body.String(), "ZIO Maastricht-Heuvelland") {
		t.Error("region list lacks the new region")
	}
	rec = f.do(platform, "GET", "/regio/zio/accounts/nieuw?rol=region-admin", nil)
	if !regexp.MustCompile(`value="region-admin" checked`).MatchString(rec.Body.String()) {
		t.Error("region-admin role not preselected")
	}
}

func TestRegionHistoryReadable(t *testing.T) {
	f := newFixture(t)
	p := adminPlan(t, f)
	form := adminPlanForm(p)
	form.Set("interventions.0.title", "Triage anders")
	rec := f.do(adminA, "POST", "/regio/{region}/regioplan/{year}", form)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	settings := adminSettingsForm(f.regionA.Version)
	settings.Set("intervision_threshold", "60")
	rec = f.do(adminA, "POST", "/regio/{region}/instellingen", settings)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = f.do(adminA, "GET", "/regio/{region}/historie", nil)
	body := html.UnescapeString(rec.Body.String())
	wantStatus(t, rec.Code, http.StatusOK, body)
	for _, want := range []string{string(adminA), "Triagetraining", "Triage anders", "Praktijk Een", "/regio/regio-a/praktijken/",
		"Normen: drempel intervisie", "<del>50%</del>", "<ins>60%</ins>", "/regio/regio-a/instellingen"} {
		if !strings.Contains(body, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	if strings.Contains(body, "Regio B") || strings.Contains(body, "Praktijk Drie") {
		t.Error("history shows another region")
	}
	if i, j := strings.Index(body, "Triage anders"), strings.Index(body, "Praktijk Een"); i < 0 || j < 0 || i > j {
		t.Error("newest change is not first")
	}
	rec = f.do(adminA, "GET", "/regio/{region}/historie?aantal=1", nil)
	if !strings.Contains(rec.Body.String(), "historie?aantal=51") {
		t.Error("no link to older entries")
	}
}
