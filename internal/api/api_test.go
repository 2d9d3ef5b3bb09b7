package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// items returns the "items" of a list answer.
func items(t testing.TB, rec *httptest.ResponseRecorder) []map[string]any {
	t.Helper()
	var b struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || b.Items == nil {
		t.Fatalf("not a list answer: %v: %s", err, rec.Body.String())
	}
	return b.Items
}

func namesOf(list []map[string]any) []string {
	var out []string
	for _, m := range list {
		out = append(out, m["name"].(string))
	}
	return out
}

func TestRegions(t *testing.T) {
	f := newFixture(t)
	t.Run("list shows only the caller's regions", func(t *testing.T) {
		for w, want := range map[who]string{platform: "Regio A,Regio B", adminA: "Regio A", adminB: "Regio B", funderA: "Regio A", practiceP2: "Regio A"} {
			rec := f.get(w, "/api/v1/regions")
			wantStatus(t, rec, 200)
			if got := strings.Join(namesOf(items(t, rec)), ","); got != want {
				t.Errorf("%s sees %q, want %q", w, got, want)
			}
		}
	})
	t.Run("get has snake_case fields and ISO dates", func(t *testing.T) {
		rec := f.get(adminA, "/api/v1/regions/regio-a")
		wantStatus(t, rec, 200)
		b := decodeBody(t, rec)
		if b["code"] != "regio-a" || b["programme_start"] != "2024-01-01" || b["version"] != float64(1) {
			t.Fatalf("region: %v", b)
		}
		s := b["settings"].(map[string]any)
		if s["intervision_threshold"] != 0.5 || s["prior_learning_cutoff"] != "2022-09-01" {
			t.Fatalf("settings: %v", s)
		}
	})
	t.Run("create with default settings", func(t *testing.T) {
		rec := f.send(platform, "POST", "/api/v1/regions", `{"code":" Zuid ","name":"Regio Zuid","insurers":["CZ","VGZ"],"programme_start":"2025-01-01","settings":{"at_risk_days":30}}`)
		wantStatus(t, rec, 201)
		if loc := rec.Header().Get("Location"); loc != "/api/v1/regions/zuid" {
			t.Fatalf("Location %q", loc)
		}
		got, err := f.db.RegionByCode(context.Background(), "zuid")
		if err != nil {
			t.Fatal(err)
		}
		if got.Settings.AtRiskDays != 30 || got.Settings.IntervisionThreshold != 0.5 || len(got.Insurers) != 2 {
			t.Fatalf("stored: %+v", got)
		}
		rec = f.send(platform, "POST", "/api/v1/regions", `{"code":"zuid","name":"Nog een"}`)
		wantStatus(t, rec, 422)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "code"); k != "api.err.region_code_taken" {
			t.Fatalf("fields %v", fields)
		}
	})
	t.Run("update", func(t *testing.T) {
		rec := f.send(adminA, "PUT", "/api/v1/regions/regio-a", `{"version":1,"name":"Regio A-Z","share_participation":true,"settings":{"min_per_element":{"A":1,"D":1},"intervision_threshold":0.6}}`)
		wantStatus(t, rec, 200)
		got, _ := f.db.RegionByCode(context.Background(), "regio-a")
		if got.Name != "Regio A-Z" || !got.ShareParticipation || got.Settings.IntervisionThreshold != 0.6 ||
			got.Settings.MinPerElement["A"] != 1 || got.Settings.GPTrainingThreshold != 0.5 || got.Version != 2 {
			t.Fatalf("stored: %+v", got)
		}
		// min_per_element replaces, it does not merge.
		rec = f.send(adminA, "PUT", "/api/v1/regions/regio-a", `{"version":2,"settings":{"min_per_element":{"B":2}}}`)
		wantStatus(t, rec, 200)
		got, _ = f.db.RegionByCode(context.Background(), "regio-a")
		if len(got.Settings.MinPerElement) != 1 || got.Settings.MinPerElement["B"] != 2 {
			t.Fatalf("min_per_element: %v", got.Settings.MinPerElement)
		}
	})
	t.Run("settings errors and a fixed code", func(t *testing.T) {
		before := f.auditCount()
		rec := f.send(adminA, "PUT", "/api/v1/regions/regio-a", `{"version":3,"code":"ander","settings":{"inflow_quota_percent":150}}`)
		wantStatus(t, rec, 422)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "code"); k != "api.err.immutable" {
			t.Fatalf("fields %v", fields)
		}
		rec = f.send(adminA, "PUT", "/api/v1/regions/regio-a", `{"version":3,"settings":{"inflow_quota_percent":150}}`)
		wantStatus(t, rec, 422)
		_, _, fields = errorOf(t, rec)
		if k, _ := fieldKey(fields, "settings.inflow_quota_percent"); k != "err.percent_range" {
			t.Fatalf("fields %v", fields)
		}
		if f.auditCount() != before {
			t.Fatal("a refused update wrote to the audit log")
		}
	})
}

func TestPractices(t *testing.T) {
	f := newFixture(t)
	t.Run("list with filters, scoped for consultants", func(t *testing.T) {
		rec := f.get(adminA, "/api/v1/regions/regio-a/practices")
		wantStatus(t, rec, 200)
		list := items(t, rec)
		if got := strings.Join(namesOf(list), ","); got != "Praktijk Een,Praktijk Twee" {
			t.Fatalf("admin sees %q", got)
		}
		if list[0]["staff_count"] != float64(2) || list[0]["agb"] != "01000001" || list[0]["joined_on"] != "2024-04-01" {
			t.Fatalf("row: %v", list[0])
		}
		for path, want := range map[string]string{
			"?q=meerssen":     "Praktijk Twee",
			"?status=actief":  "Praktijk Een,Praktijk Twee",
			"?status=gestopt": "",
			"?consultant_id=" + itoa(f.users[consultantA].ID): "Praktijk Een",
			"?inflow_wave=2024-Q3":                            "Praktijk Twee",
		} {
			rec := f.get(adminA, "/api/v1/regions/regio-a/practices"+path)
			wantStatus(t, rec, 200)
			if got := strings.Join(namesOf(items(t, rec)), ","); got != want {
				t.Errorf("%s: %q, want %q", path, got, want)
			}
		}
		rec = f.get(consultantA, "/api/v1/regions/regio-a/practices")
		if got := strings.Join(namesOf(items(t, rec)), ","); got != "Praktijk Een" {
			t.Fatalf("consultant sees %q", got)
		}
		rec = f.get(consultantA2, "/api/v1/regions/regio-a/practices")
		if got := len(items(t, rec)); got != 0 {
			t.Fatalf("other consultant sees %d practices", got)
		}
		for _, q := range []string{"?status=weg", "?consultant_id=x", "?sort=name"} {
			rec := f.get(adminA, "/api/v1/regions/regio-a/practices"+q)
			wantStatus(t, rec, 400)
		}
	})
	t.Run("get", func(t *testing.T) {
		rec := f.get(practiceP1, "/api/v1/practices/{practice}")
		wantStatus(t, rec, 200)
		b := decodeBody(t, rec)
		if b["name"] != "Praktijk Een" || b["consultant_id"] != float64(f.users[consultantA].ID) || b["consultant_name"] != string(consultantA) || b["inflow_wave"] != "2024-Q2" {
			t.Fatalf("practice: %v", b)
		}
		if _, ok := b["staff_count"]; ok {
			t.Fatal("staff_count belongs to lists only")
		}
	})
	t.Run("create", func(t *testing.T) {
		body := `{"agb":"0100 0042","name":"Praktijk Veertig","postcode":"6211ab","city":"Maastricht","registered_patients":2095,"consultant_id":` + itoa(f.users[consultantA2].ID) + `,"status":"actief","joined_on":"2025-02-01"}`
		rec := f.send(adminA, "POST", "/api/v1/regions/regio-a/practices", body)
		wantStatus(t, rec, 201)
		b := decodeBody(t, rec)
		if b["agb"] != "01000042" || b["postcode"] != "6211 AB" || b["inflow_wave"] != "2025-Q1" || b["region_id"] != float64(f.regionA.ID) {
			t.Fatalf("created: %v", b)
		}
		if rec.Header().Get("Location") != "/api/v1/practices/"+itoa(int64(b["id"].(float64))) {
			t.Fatalf("Location %q", rec.Header().Get("Location"))
		}
		// duplicate AGB in the region
		rec = f.send(adminA, "POST", "/api/v1/regions/regio-a/practices", `{"agb":"01000042","name":"Dubbel"}`)
		wantStatus(t, rec, 422)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "agb"); k != "err.agb_taken" {
			t.Fatalf("fields %v", fields)
		}
		// a consultant of another region, or a non-consultant, cannot be assigned
		rec = f.send(adminA, "POST", "/api/v1/regions/regio-a/practices", `{"agb":"01000043","name":"X","consultant_id":`+itoa(f.users[adminA].ID)+`}`)
		wantStatus(t, rec, 422)
		_, _, fields = errorOf(t, rec)
		if k, _ := fieldKey(fields, "consultant_id"); k != "api.err.consultant_unknown" {
			t.Fatalf("fields %v", fields)
		}
	})
	t.Run("practice changes its details, round trip of GET", func(t *testing.T) {
		g := f.get(practiceP1, "/api/v1/practices/{practice}")
		var p map[string]any
		json.Unmarshal(g.Body.Bytes(), &p)
		p["street"] = "Markt 1"
		p["registered_patients"] = 2600
		b, _ := json.Marshal(p)
		rec := f.send(practiceP1, "PUT", "/api/v1/practices/{practice}", string(b))
		wantStatus(t, rec, 200)
		got, _ := f.db.PracticeByID(context.Background(), f.p1.ID)
		if got.Street != "Markt 1" || got.RegisteredPatients != 2600 || got.Status != mtvp.PracticeActive || got.ConsultantID != f.users[consultantA].ID {
			t.Fatalf("stored: %+v", got)
		}
	})
	t.Run("practice may not change administrative fields", func(t *testing.T) {
		cur, _ := f.db.PracticeByID(context.Background(), f.p1.ID)
		before := f.auditCount()
		rec := f.send(practiceP1, "PUT", "/api/v1/practices/{practice}", `{"version":`+strconv.Itoa(cur.Version)+`,"name":"Nieuw","status":"gestopt","consultant_id":null}`)
		wantStatus(t, rec, 403)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "status"); k != "api.err.admin_only" {
			t.Fatalf("fields %v", fields)
		}
		if k, _ := fieldKey(fields, "consultant_id"); k != "api.err.admin_only" {
			t.Fatalf("fields %v", fields)
		}
		if _, ok := fields["name"]; ok {
			t.Fatal("name is a detail")
		}
		got, _ := f.db.PracticeByID(context.Background(), f.p1.ID)
		if got.Name != cur.Name || got.Version != cur.Version || f.auditCount() != before {
			t.Fatal("a refused update changed something")
		}
		// the region admin may
		rec = f.send(adminA, "PUT", "/api/v1/practices/{practice}", `{"version":`+strconv.Itoa(cur.Version)+`,"status":"gestopt","consultant_id":null}`)
		wantStatus(t, rec, 200)
		if b := decodeBody(t, rec); b["status"] != "gestopt" || b["consultant_id"] != nil {
			t.Fatalf("saved: %v", b)
		}
	})
}

func TestPeopleAndMemberships(t *testing.T) {
	f := newFixture(t)
	t.Run("people of a practice, current and former, once each", func(t *testing.T) {
		ctx := context.Background()
		m := f.bertM
		if err := f.db.EndMembership(ctx, mtvp.SystemActor, m.ID, mtvp.MustDate("2023-12-31"), m.Version); err != nil {
			t.Fatal(err)
		}
		rec := f.get(practiceP2, "/api/v1/practices/"+itoa(f.p2.ID)+"/people")
		wantStatus(t, rec, 200)
		got := namesOf(items(t, rec))
		if len(got) != 2 || !strings.Contains(strings.Join(got, ","), "Bert Jansen") || !strings.Contains(strings.Join(got, ","), "Lotte Smeets") {
			t.Fatalf("P2's people: %v", got)
		}
		rec = f.get(practiceP2, "/api/v1/practices/"+itoa(f.p2.ID)+"/memberships")
		if n := len(items(t, rec)); n != 1 {
			t.Fatalf("current memberships of P2: %d, want 1 (Lotte)", n)
		}
		rec = f.get(practiceP2, "/api/v1/practices/"+itoa(f.p2.ID)+"/memberships?include_ended=true")
		if n := len(items(t, rec)); n != 2 {
			t.Fatalf("all memberships of P2: %d, want 2", n)
		}
		wantStatus(t, f.get(practiceP2, "/api/v1/practices/"+itoa(f.p2.ID)+"/memberships?include_ended=misschien"), 400)
	})
	t.Run("a locum is seen by both practices, their colleagues are not", func(t *testing.T) {
		wantStatus(t, f.get(practiceP1, "/api/v1/people/{lotte}"), 200)
		wantStatus(t, f.get(practiceP2, "/api/v1/people/{lotte}"), 200)
		wantStatus(t, f.get(practiceP2, "/api/v1/people/{anna}"), 404)
		wantStatus(t, f.get(practiceP1, "/api/v1/people/{bert}"), 404)
		wantStatus(t, f.get(adminA, "/api/v1/people/{bert}"), 200)
		wantStatus(t, f.get(adminB, "/api/v1/people/{bert}"), 404)
		// a practice's membership of the locum is not the other's
		wantStatus(t, f.get(practiceP1, "/api/v1/memberships/"+itoa(f.lotteM2.ID)), 404)
	})
	t.Run("add a staff member", func(t *testing.T) {
		rec := f.send(practiceP1, "POST", "/api/v1/practices/{practice}/people",
			`{"name":"  Nina   Nieuw ","email":"Nina@Praktijkeen.nl","big":"11122233344","membership":{"role":"doktersassistent","fte":0.5,"from":"2026-01-01"}}`)
		wantStatus(t, rec, 201)
		var b staffCreatedJSON
		json.Unmarshal(rec.Body.Bytes(), &b)
		if b.Person.Name != "Nina Nieuw" || b.Person.Email != "nina@praktijkeen.nl" || b.ExistingPerson ||
			b.Membership.PracticeID != f.p1.ID || b.Membership.PersonID != b.Person.ID || b.Membership.From.d.String() != "2026-01-01" || b.Membership.To.d.IsZero() != true {
			t.Fatalf("created: %s", rec.Body.String())
		}
		rec = f.get(practiceP1, "/api/v1/people/"+itoa(b.Person.ID))
		wantStatus(t, rec, 200)
		// the same BIG number at P2 links the known person
		rec = f.send(practiceP2, "POST", "/api/v1/practices/"+itoa(f.p2.ID)+"/people",
			`{"name":"Nina N.","big":"11122233344","membership":{"role":"doktersassistent","fte":0.2,"from":"2026-02-01"}}`)
		wantStatus(t, rec, 201)
		var linked staffCreatedJSON
		json.Unmarshal(rec.Body.Bytes(), &linked)
		if !linked.ExistingPerson || linked.Person.ID != b.Person.ID {
			t.Fatalf("linked: %s", rec.Body.String())
		}
	})
	t.Run("staff errors name nested fields", func(t *testing.T) {
		before := f.auditCount()
		rec := f.send(practiceP1, "POST", "/api/v1/practices/{practice}/people",
			`{"name":"","big":"123","membership":{"role":"chirurg","fte":2,"from":"2026-01-01","to":"2025-01-01"}}`)
		wantStatus(t, rec, 422)
		_, _, fields := errorOf(t, rec)
		for name, key := range map[string]string{"name": "err.required", "big": "err.big_format", "membership.role": "err.role_unknown", "membership.fte": "err.fte_range", "membership.to": "err.to_before_from"} {
			if k, _ := fieldKey(fields, name); k != key {
				t.Errorf("field %s: %q, want %q (%v)", name, k, key, fields)
			}
		}
		rec = f.send(practiceP1, "POST", "/api/v1/practices/{practice}/people", `{"name":"Zonder functie"}`)
		wantStatus(t, rec, 422)
		if f.auditCount() != before {
			t.Fatal("refused staff was saved")
		}
	})
	t.Run("update a person", func(t *testing.T) {
		rec := f.send(practiceP1, "PUT", "/api/v1/people/{anna}", `{"version":1,"kabiz":"K-123","email":"anna@example.nl"}`)
		wantStatus(t, rec, 200)
		got, _ := f.db.PersonByID(context.Background(), f.anna.ID)
		if got.KABIZ != "K-123" || got.Email != "anna@example.nl" || got.Name != "Anna de Vries" || got.Version != 2 {
			t.Fatalf("stored: %+v", got)
		}
		rec = f.send(practiceP1, "PUT", "/api/v1/people/{anna}", `{"version":2,"big":"98765432109"}`)
		wantStatus(t, rec, 422)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "big"); k != "api.err.big_taken" {
			t.Fatalf("fields %v", fields)
		}
		rec = f.send(practiceP1, "PUT", "/api/v1/people/{anna}", `{"kabiz":"K-9"}`)
		wantStatus(t, rec, 422)
		_, _, fields = errorOf(t, rec)
		if k, _ := fieldKey(fields, "version"); k != "api.err.version_required" {
			t.Fatalf("fields %v", fields)
		}
	})
	t.Run("memberships: create for a visible person only, update, end", func(t *testing.T) {
		rec := f.send(practiceP1, "POST", "/api/v1/practices/{practice}/memberships", `{"person_id":{lotte},"role":"hidha","fte":0.1,"from":"2026-01-01"}`)
		wantStatus(t, rec, 201)
		b := decodeBody(t, rec)
		if b["person_name"] != "Lotte Smeets" || b["role"] != "hidha" || b["to"] != nil {
			t.Fatalf("created: %v", b)
		}
		// Bert works only at P2: for P1 he does not exist, like an unknown id
		unknown := f.send(practiceP1, "POST", "/api/v1/practices/{practice}/memberships", `{"person_id":999999,"role":"hidha","fte":0.1,"from":"2026-01-01"}`)
		other := f.send(practiceP1, "POST", "/api/v1/practices/{practice}/memberships", `{"person_id":{bert},"role":"hidha","fte":0.1,"from":"2026-01-01"}`)
		wantStatus(t, unknown, 422)
		wantStatus(t, other, 422)
		if unknown.Body.String() != other.Body.String() {
			t.Fatalf("another practice's person is distinguishable from no person:\n%s\n%s", unknown.Body.String(), other.Body.String())
		}
		// the same person, role and start again
		rec = f.send(practiceP1, "POST", "/api/v1/practices/{practice}/memberships", `{"person_id":{anna},"role":"praktijkhouder","fte":0.5,"from":"2020-01-01"}`)
		wantStatus(t, rec, 422)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "role"); k != "err.membership_exists" {
			t.Fatalf("fields %v", fields)
		}
		// a person of another region, even for the platform admin
		rec = f.send(platform, "POST", "/api/v1/practices/{practice}/memberships", `{"person_id":`+itoa(f.carla.ID)+`,"role":"hidha","fte":0.1,"from":"2026-01-01"}`)
		wantStatus(t, rec, 422)
		_, _, fields = errorOf(t, rec)
		if k, _ := fieldKey(fields, "person_id"); k != "err.region_mismatch" {
			t.Fatalf("fields %v", fields)
		}
		// end Anna's membership
		rec = f.send(practiceP1, "PUT", "/api/v1/memberships/{membership}", `{"version":1,"to":"2026-06-30"}`)
		wantStatus(t, rec, 200)
		got, _ := f.db.MembershipByID(context.Background(), f.annaM.ID)
		if got.To.String() != "2026-06-30" || got.FTE != 0.8 || got.Role != mtvp.RolePraktijkhouder {
			t.Fatalf("stored: %+v", got)
		}
		// reopen it with null
		rec = f.send(practiceP1, "PUT", "/api/v1/memberships/{membership}", `{"version":2,"to":null}`)
		wantStatus(t, rec, 200)
		got, _ = f.db.MembershipByID(context.Background(), f.annaM.ID)
		if !got.To.IsZero() {
			t.Fatalf("to: %v", got.To)
		}
		rec = f.send(practiceP1, "PUT", "/api/v1/memberships/{membership}", `{"version":3,"person_id":{bert}}`)
		wantStatus(t, rec, 422)
		_, _, fields = errorOf(t, rec)
		if k, _ := fieldKey(fields, "person_id"); k != "api.err.immutable" {
			t.Fatalf("fields %v", fields)
		}
	})
}

func TestUnauthorized(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	disabled := f.addUser("disabled admin", mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: f.regionA.ID})
	disabled.Disabled = true
	if err := f.db.UpdateUser(ctx, mtvp.SystemActor, disabled); err != nil {
		t.Fatal(err)
	}
	unknown, _ := auth.NewAPIToken()
	for name, header := range map[string]string{
		"no header":      "",
		"basic":          "Basic YWRtaW46YWRtaW4=",
		"no mt_ prefix":  "Bearer abcdefghijklmnopqrstuvwxyz0123456789abcdefgh",
		"short":          "Bearer mt_abc",
		"unknown token":  "Bearer " + unknown,
		"disabled user":  "Bearer " + f.tokens["disabled admin"],
		"scheme only":    "Bearer",
		"token of other": "Bearer " + f.tokens[adminA] + "x",
	} {
		r := request{method: "GET", path: "/api/v1/regions/regio-a"}
		if header != "" {
			r.header = map[string]string{"Authorization": header}
		}
		rec := f.do(anon, r)
		if rec.Code != 401 {
			t.Errorf("%s: status %d", name, rec.Code)
			continue
		}
		if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q", name, rec.Header().Get("WWW-Authenticate"))
		}
		if code, msg, _ := errorOf(t, rec); code != "unauthorized" || !strings.Contains(msg, "API-token") {
			t.Errorf("%s: %s %q", name, code, msg)
		}
	}
	// the scheme is case-insensitive
	rec := f.do(anon, request{method: "GET", path: "/api/v1/regions", header: map[string]string{"Authorization": "bearer " + f.tokens[adminA]}})
	wantStatus(t, rec, 200)
	// cookies mean nothing to the API
	r := httptest.NewRequest("GET", "/api/v1/regions", nil)
	r.AddCookie(&http.Cookie{Name: "meertijd_session", Value: "x"})
	rr := httptest.NewRecorder()
	f.handler.ServeHTTP(rr, r)
	wantStatus(t, rr, 401)
}

// TestOutOfScopeIsNotFound: another region's or practice's records answer
// exactly like records that do not exist.
func TestOutOfScopeIsNotFound(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		who           who
		path, nothing string
	}{
		{adminB, "/api/v1/regions/regio-a", "/api/v1/regions/bestaat-niet"},
		{adminB, "/api/v1/regions/regio-a/practices", "/api/v1/regions/bestaat-niet/practices"},
		{adminB, "/api/v1/practices/{practice}", "/api/v1/practices/999999"},
		{adminB, "/api/v1/people/{anna}", "/api/v1/people/999999"},
		{practiceP2, "/api/v1/practices/{practice}", "/api/v1/practices/999999"},
		{practiceP2, "/api/v1/practices/{practice}/people", "/api/v1/practices/999999/people"},
		{practiceP2, "/api/v1/practices/{practice}/memberships", "/api/v1/practices/999999/memberships"},
		{practiceP2, "/api/v1/people/{anna}", "/api/v1/people/999999"},
		{practiceP2, "/api/v1/memberships/{membership}", "/api/v1/memberships/999999"},
		{consultantA2, "/api/v1/practices/{practice}/people", "/api/v1/practices/999999/people"},
		{practiceP1, "/api/v1/practices/abc", "/api/v1/practices/0"},
	}
	for _, c := range cases {
		got, want := f.get(c.who, c.path), f.get(c.who, c.nothing)
		if got.Code != 404 || want.Code != 404 || got.Body.String() != want.Body.String() {
			t.Errorf("%s GET %s: %d %s; nothing there: %d %s", c.who, c.path, got.Code, got.Body.String(), want.Code, want.Body.String())
		}
	}
	// and a write to another practice's record changes nothing
	before := f.auditCount()
	wantStatus(t, f.send(practiceP2, "PUT", "/api/v1/people/{anna}", `{"version":1,"name":"Overgenomen"}`), 404)
	wantStatus(t, f.send(practiceP2, "PUT", "/api/v1/memberships/{membership}", `{"version":1,"fte":0}`), 404)
	wantStatus(t, f.send(practiceP2, "POST", "/api/v1/practices/{practice}/people", `{"name":"X","membership":{"role":"overig","fte":0.1,"from":"2026-01-01"}}`), 404)
	if f.auditCount() != before {
		t.Fatal("a refused write changed data")
	}
}

// TestConsultantMayNotEdit: P1's consultant sees P1 but changes nothing.
func TestConsultantMayNotEdit(t *testing.T) {
	f := newFixture(t)
	before := f.auditCount()
	for _, r := range []request{
		{method: "PUT", path: "/api/v1/practices/{practice}", body: `{"version":1,"name":"Door consulent"}`},
		{method: "POST", path: "/api/v1/practices/{practice}/people", body: `{"name":"X","membership":{"role":"overig","fte":0.1,"from":"2026-01-01"}}`},
		{method: "PUT", path: "/api/v1/people/{anna}", body: `{"version":1,"name":"Door consulent"}`},
		{method: "POST", path: "/api/v1/practices/{practice}/memberships", body: `{"person_id":{anna},"role":"overig","fte":0.1,"from":"2026-01-01"}`},
		{method: "PUT", path: "/api/v1/memberships/{membership}", body: `{"version":1,"fte":0.1}`},
		{method: "POST", path: "/api/v1/regions/{region}/practices", body: `{"agb":"01000077","name":"X"}`},
		{method: "PUT", path: "/api/v1/regions/{region}", body: `{"version":1,"name":"X"}`},
	} {
		rec := f.do(consultantA, r)
		if rec.Code != 403 {
			t.Errorf("%s %s: %d %s", r.method, r.path, rec.Code, rec.Body.String())
			continue
		}
		if code, _, _ := errorOf(t, rec); code != "forbidden" {
			t.Errorf("%s %s: code %s", r.method, r.path, code)
		}
	}
	if f.auditCount() != before {
		t.Fatal("a consultant changed data")
	}
}

// TestValidationMessages: 422 with per-field key and sentence, Dutch by
// default and English on request; nothing saved.
func TestValidationMessages(t *testing.T) {
	f := newFixture(t)
	before := f.auditCount()
	body := `{"agb":"1234","name":"Praktijk Fout","postcode":"12","joined_on":"31-12-2024","registered_patients":-5}`
	rec := f.send(adminA, "POST", "/api/v1/regions/{region}/practices", body)
	wantStatus(t, rec, 422)
	code, msg, fields := errorOf(t, rec)
	if code != "invalid" || msg != "Niet alle velden zijn goed ingevuld. Zie de meldingen per veld." {
		t.Fatalf("%s %q", code, msg)
	}
	for name, want := range map[string][2]string{
		"agb":                 {"err.agb_format", "Een AGB-code bestaat uit precies 8 cijfers."},
		"postcode":            {"err.postcode_format", "Vul een postcode in als 6211 AB."},
		"joined_on":           {"api.err.date_format", "Vul een datum in als JJJJ-MM-DD, zoals 2024-12-31."},
		"registered_patients": {"err.patients_range", ""},
	} {
		k, m := fieldKey(fields, name)
		if k != want[0] || (want[1] != "" && m != want[1]) || m == "" || m == k {
			t.Errorf("field %s: %q %q, want %q %q", name, k, m, want[0], want[1])
		}
	}
	rec = f.do(adminA, request{method: "POST", path: "/api/v1/regions/{region}/practices", body: body, header: map[string]string{"Accept-Language": "en-GB,en;q=0.9,nl;q=0.8"}})
	wantStatus(t, rec, 422)
	_, msg, fields = errorOf(t, rec)
	if _, m := fieldKey(fields, "agb"); m != "An AGB code has exactly 8 digits." || !strings.HasPrefix(msg, "Not all fields") {
		t.Fatalf("English: %q %q", msg, m)
	}
	rec = f.send(practiceP1, "PUT", "/api/v1/memberships/{membership}", `{"version":1,"fte":1.6,"from":"2026-01-01","to":"2025-12-31","role":""}`)
	wantStatus(t, rec, 422)
	_, _, fields = errorOf(t, rec)
	for name, key := range map[string]string{"fte": "err.fte_range", "to": "err.to_before_from", "role": "err.required"} {
		if k, m := fieldKey(fields, name); k != key || m == "" {
			t.Errorf("field %s: %q, want %q", name, k, key)
		}
	}
	if f.auditCount() != before {
		t.Fatal("invalid input was saved")
	}
}

// TestStaleVersion: 409 with the stored record, nothing overwritten.
func TestStaleVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	wantStatus(t, f.send(practiceP1, "PUT", "/api/v1/practices/{practice}", `{"version":1,"name":"Eerste wijziging"}`), 200)
	before := f.auditCount()
	rec := f.send(adminA, "PUT", "/api/v1/practices/{practice}", `{"version":1,"name":"Tweede wijziging","city":"Heerlen"}`)
	wantStatus(t, rec, 409)
	var b struct {
		Error   errorJSON    `json:"error"`
		Current practiceJSON `json:"current"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	if b.Error.Code != "conflict" || b.Current.Name != "Eerste wijziging" || b.Current.Version == nil || *b.Current.Version != 2 || !strings.Contains(b.Error.Message, "intussen gewijzigd") {
		t.Fatalf("409 body: %s", rec.Body.String())
	}
	got, _ := f.db.PracticeByID(ctx, f.p1.ID)
	if got.Name != "Eerste wijziging" || got.City != "Maastricht" || got.Version != 2 || f.auditCount() != before {
		t.Fatalf("stale update changed data: %+v", got)
	}
	for _, r := range []request{
		{method: "PUT", path: "/api/v1/regions/{region}", body: `{"version":7,"name":"X"}`},
		{method: "PUT", path: "/api/v1/people/{anna}", body: `{"version":7,"name":"X"}`},
		{method: "PUT", path: "/api/v1/memberships/{membership}", body: `{"version":7,"fte":0.1}`},
	} {
		rec := f.do(adminA, r)
		wantStatus(t, rec, 409)
		cur, _ := decodeBody(t, rec)["current"].(map[string]any)
		if cur["version"] != float64(1) {
			t.Errorf("%s: current %v", r.path, cur)
		}
	}
	if f.auditCount() != before {
		t.Fatal("stale updates changed data")
	}
}

// TestBadRequests: malformed JSON, unknown fields, wrong types, trailing
// data and oversized bodies are refused naming the problem.
func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	before := f.auditCount()
	cases := []struct {
		body, contains string
		status         int
	}{
		{`{"version":1,"nmae":"X"}`, `"nmae"`, 400},
		{`{"version":1,"name":"X"`, "onvolledig", 400},
		{`{"version":1,"name":"X",}`, "positie", 400},
		{`{"version":1,"registered_patients":"veel"}`, `"registered_patients"`, 400},
		{`{"version":1,"name":"X"} {"name":"Y"}`, "precies één object", 400},
		{`[{"version":1}]`, "JSON-object", 400},
		{``, "geen JSON", 400},
		{`{"version":1,"name":"` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`, "te groot", 413},
	}
	for _, c := range cases {
		rec := f.send(adminA, "PUT", "/api/v1/practices/{practice}", c.body)
		if rec.Code != c.status {
			t.Errorf("%.40s: status %d, want %d: %s", c.body, rec.Code, c.status, rec.Body.String())
			continue
		}
		_, msg, _ := errorOf(t, rec)
		if !strings.Contains(msg, c.contains) {
			t.Errorf("%.40s: message %q does not name %q", c.body, msg, c.contains)
		}
	}
	rec := f.send(practiceP1, "POST", "/api/v1/practices/{practice}/people", `{"name":"X","membership":{"role":"overig","fte":0.1,"from":"2026-01-01","rol":"x"}}`)
	wantStatus(t, rec, 400)
	if _, msg, _ := errorOf(t, rec); !strings.Contains(msg, `"rol"`) {
		t.Errorf("nested unknown field: %q", msg)
	}
	if f.auditCount() != before {
		t.Fatal("a bad request changed data")
	}
}

// TestRoutingErrors: unknown routes and methods answer in JSON too.
func TestRoutingErrors(t *testing.T) {
	f := newFixture(t)
	rec := f.get(adminA, "/api/v1/bestaat-niet")
	wantStatus(t, rec, 404)
	if code, _, _ := errorOf(t, rec); code != "not_found" {
		t.Fatal(code)
	}
	rec = f.send(adminA, "DELETE", "/api/v1/practices/{practice}", "")
	wantStatus(t, rec, 405)
	if code, _, _ := errorOf(t, rec); code != "method_not_allowed" || !strings.Contains(rec.Header().Get("Allow"), "PUT") {
		t.Fatalf("%s Allow=%q", code, rec.Header().Get("Allow"))
	}
	if rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers: %v", rec.Header())
	}
}

// TestMount mounts the API the way the app does and reads the public
// OpenAPI document through it.
func TestMount(t *testing.T) {
	f := newFixture(t)
	mux := http.NewServeMux()
	mux.Handle(Prefix, f.api.Handler())
	mux.Handle("/", http.NotFoundHandler())
	for path, want := range map[string]int{"/api/v1/openapi.json": 200, "/api/v1/regions": 401, "/api/v1/nergens": 404} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: %d %q, want %d", path, rec.Code, rec.Header().Get("Content-Type"), want)
		}
	}
}
