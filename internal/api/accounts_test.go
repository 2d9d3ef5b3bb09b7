package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

func init() {
	// Login 2 is consultant A2 (the second login the fixture makes).
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/accounts", path: "/api/v1/regions/{region}/accounts", want: adminsA(200)},
		routeRow{pattern: "POST /api/v1/regions/{code}/accounts", path: "/api/v1/regions/{region}/accounts",
			body: `{"email":"nieuw@example.nl","name":"Nieuwe Consulent","grants":[{"role":"consultant"}]}`, want: adminsA(202).with(expect{platform: 201})},
		routeRow{pattern: "PUT /api/v1/regions/{code}/accounts/{id}", path: "/api/v1/regions/{region}/accounts/2",
			body: `{"version":1,"grants":[{"role":"consultant"},{"role":"facilitator"}]}`, want: adminsA(200)},
		routeRow{pattern: "POST /api/v1/regions/{code}/accounts/{id}/revocation", path: "/api/v1/regions/{region}/accounts/2/revocation",
			body: `{"version":1}`, want: adminsA(200)},
	)
}

// TestAccountsAPI: a platform admin creates a login (its password once);
// a region admin changes its grants within the region only, never beyond
// what it has, and revokes it; a login that also works elsewhere keeps
// that.
func TestAccountsAPI(t *testing.T) {
	f := newFixture(t)
	base := "/api/v1/regions/{region}/accounts"
	rec := f.send(platform, http.MethodPost, base, `{"email":"Nina@Example.nl","name":"Nina","grants":[{"role":"practice","practice_id":`+itoa(f.p1.ID)+`}]}`)
	wantStatus(t, rec, http.StatusCreated)
	body := decodeBody(t, rec)
	if body["email"] != "nina@example.nl" || len(body["password"].(string)) < 20 || len(body["grants"].([]any)) != 1 {
		t.Fatalf("created: %v", body)
	}
	id := itoa(int64(body["id"].(float64)))
	// Never more than the admin has, never outside the region.
	for _, bad := range []string{
		`{"version":1,"grants":[{"role":"platform-admin"}]}`,
		`{"version":1,"grants":[{"role":"practice","practice_id":` + itoa(f.p3.ID) + `}]}`,
		`{"version":1,"grants":[]}`,
	} {
		rec = f.send(adminA, http.MethodPut, base+"/"+id, bad)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
	}
	wantStatus(t, f.send(adminA, http.MethodPost, base, `{"email":"nina@example.nl","name":"Nina","grants":[{"role":"funder"}]}`), http.StatusUnprocessableEntity)
	rec = f.send(adminA, http.MethodPut, base+"/"+id, `{"version":1,"grants":[{"role":"funder"}]}`)
	wantStatus(t, rec, http.StatusOK)
	if g := decodeBody(t, rec)["grants"].([]any); len(g) != 1 || g[0].(map[string]any)["role"] != "funder" {
		t.Fatalf("grants: %v", g)
	}
	wantStatus(t, f.send(adminA, http.MethodPut, base+"/"+id, `{"version":1,"grants":[{"role":"consultant"}]}`), http.StatusConflict)
	// Region B's admin does not see region A's accounts.
	wantStatus(t, f.send(adminB, http.MethodPut, base+"/"+id, `{"version":2,"grants":[{"role":"consultant"}]}`), http.StatusNotFound)
	// A login that works in region B too keeps that when A revokes it.
	ctx := context.Background()
	both := f.addUser("beide regio's", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: f.regionA.ID}, mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: f.regionB.ID})
	rec = f.send(adminA, http.MethodPost, base+"/"+itoa(both.ID)+"/revocation", `{"version":1}`)
	wantStatus(t, rec, http.StatusOK)
	got, err := f.db.UserByID(ctx, both.ID)
	if err != nil || got.Disabled || len(got.Grants) != 1 || got.Grants[0].RegionID != f.regionB.ID {
		t.Fatalf("revoked in A: %+v %v", got, err)
	}
	// A login only here is disabled.
	rec = f.send(adminA, http.MethodPost, base+"/"+id+"/revocation", `{"version":2}`)
	wantStatus(t, rec, http.StatusOK)
	if decodeBody(t, rec)["disabled"] != true {
		t.Fatalf("revoked: %s", rec.Body.String())
	}
	// The admin keeps its own admin grant and cannot revoke itself.
	self := itoa(f.users[adminA].ID)
	wantStatus(t, f.send(adminA, http.MethodPut, base+"/"+self, `{"version":1,"grants":[{"role":"consultant"}]}`), http.StatusUnprocessableEntity)
	wantStatus(t, f.send(adminA, http.MethodPost, base+"/"+self+"/revocation", `{"version":1}`), http.StatusUnprocessableEntity)
}

// TestAccountsAPIInvites (issue 11, item 7): a region admin's new account
// is an invitation (202), answered the same whether or not the address has
// a login in another region; nothing about that login changes, and a login
// in this region is a 422.
func TestAccountsAPIInvites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := "/api/v1/regions/{region}/accounts"
	answer := func(email string) (int, map[string]any) {
		rec := f.send(adminA, http.MethodPost, base, `{"email":"`+email+`","name":"Iemand","locale":"en","grants":[{"role":"consultant"},{"role":"facilitator"}]}`)
		return rec.Code, decodeBody(t, rec)
	}
	other := f.users[adminB] // a login in region B only
	audits := f.auditCount()
	newCode, newBody := answer("nog-geen-login@example.nl")
	oldCode, oldBody := answer(other.Email)
	if newCode != http.StatusAccepted || oldCode != newCode {
		t.Fatalf("answers: %d %v / %d %v", newCode, newBody, oldCode, oldBody)
	}
	for _, k := range []string{"id", "email", "expires_at"} {
		delete(newBody, k)
		delete(oldBody, k)
	}
	if fmt.Sprint(newBody) != fmt.Sprint(oldBody) || newBody["state"] != "open" || len(newBody["grants"].([]any)) != 2 {
		t.Errorf("answers differ: %v / %v", newBody, oldBody)
	}
	if u, _ := f.db.UserByID(ctx, other.ID); len(u.Grants) != 1 || f.auditCount() != audits+2 { // one entry per invitation
		t.Errorf("the other region's login changed: %+v", u.Grants)
	}
	if _, err := f.db.UserByEmail(ctx, "nog-geen-login@example.nl"); err == nil {
		t.Error("a login was made before the invitation was accepted")
	}
	mails, err := f.db.ListMail(ctx, 0, 10)
	if err != nil || len(mails) != 2 || mails[0].Locale != "en" || !strings.Contains(mails[0].Text, "/uitnodiging/") {
		t.Fatalf("mails: %d %v", len(mails), err)
	}
	// A login with a grant here is the admin's to know.
	wantStatus(t, f.send(adminA, http.MethodPost, base, `{"email":"`+f.users[consultantA].Email+`","name":"X","grants":[{"role":"facilitator"}]}`), http.StatusUnprocessableEntity)
}
