package api

import (
	"meertijd/internal/store"
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

// Accounts of a region: logins with a grant in it. Region admins (and
// platform admins) list them, create one with its grants, replace its
// grants in this region and revoke its access here; never more than they
// have (mtvp.User.CanGrant) and never beyond the region: grants elsewhere
// stay as they are, and a login that also works elsewhere keeps working
// there.
func (a *API) accountRoutes() []route {
	const base = "/api/v1/regions/{code}/accounts"
	return []route{
		{"GET " + base, false, a.listAccounts},
		{"POST " + base, false, a.createAccount},
		{"PUT " + base + "/{id}", false, a.putAccountGrants},
		{"POST " + base + "/{id}/revocation", false, a.revokeAccount},
	}
}

type accountGrantJSON struct {
	Role       mtvp.AccountRole `json:"role"`
	PracticeID int64            `json:"practice_id,omitempty"`
}

type accountJSON struct {
	ID        int64              `json:"id"`
	Email     string             `json:"email"`
	Name      string             `json:"name"`
	Disabled  bool               `json:"disabled"`
	Grants    []accountGrantJSON `json:"grants"`
	Elsewhere bool               `json:"elsewhere"`
	Version   int                `json:"version"`
	// Password: only in the answer that created the login, once.
	Password string `json:"password,omitempty"`
}

type accountInput struct {
	Email   string             `json:"email"`
	Name    string             `json:"name"`
	Locale  string             `json:"locale"` // of the invitation mail: "nl" (default) or "en"
	Grants  []accountGrantJSON `json:"grants"`
	Version *int               `json:"version"`
}

func accountToJSON(u mtvp.User, region int64) accountJSON {
	j := accountJSON{ID: u.ID, Email: u.Email, Name: u.Name, Disabled: u.Disabled, Grants: []accountGrantJSON{}, Version: u.Version}
	for _, g := range u.Grants {
		if g.RegionID == region {
			j.Grants = append(j.Grants, accountGrantJSON{Role: g.Role, PracticeID: g.PracticeID})
		} else {
			j.Elsewhere = true
		}
	}
	return j
}

// accountsRegion: the region, for its admins only (members 403).
func (a *API) accountsRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := a.regionFor(r)
	if err != nil {
		return reg, err
	}
	if !userOf(r).CanAdminRegion(reg.ID) {
		return reg, errForbidden
	}
	return reg, nil
}

// regionGrants turns the wire grants into grants of the region, each one
// the caller may give; errors name grants.N.
func (a *API) regionGrants(r *http.Request, reg mtvp.Region, in []accountGrantJSON, f mtvp.FieldErrors) ([]mtvp.Grant, error) {
	ps, err := a.db.ListPractices(r.Context(), mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return nil, err
	}
	known := map[int64]bool{}
	for _, p := range ps {
		known[p.ID] = true
	}
	u := userOf(r)
	var out []mtvp.Grant
	for n, x := range in {
		g := mtvp.Grant{Role: x.Role, RegionID: reg.ID, PracticeID: x.PracticeID}
		field := "grants." + strconv.Itoa(n)
		switch {
		case !u.CanGrant(g):
			f.Add(field+".role", "api.err.grant_beyond")
		case g.Role == mtvp.AccountPractice && !known[g.PracticeID]:
			f.Add(field+".practice_id", "admin.user.practice_unknown")
		}
		out = append(out, g)
	}
	if len(in) == 0 {
		f.Add("grants", "err.grant_required")
	}
	return out, nil
}

// accountFor loads {id}: only logins with a grant in the region are found;
// a platform admin's login is not for region admins.
func (a *API) accountFor(r *http.Request, reg mtvp.Region) (mtvp.User, error) {
	id, err := pathID(r)
	if err != nil {
		return mtvp.User{}, err
	}
	u, err := a.db.UserByID(r.Context(), id)
	if err != nil {
		return u, err
	}
	if len(accountToJSON(u, reg.ID).Grants) == 0 {
		return u, errNotFound
	}
	if u.IsPlatformAdmin() && !userOf(r).IsPlatformAdmin() {
		return u, errForbidden
	}
	return u, nil
}

func (a *API) listAccounts(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.accountsRegion(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	us, err := a.db.ListUsers(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	items := make([]accountJSON, 0, len(us))
	for _, u := range us {
		items = append(items, accountToJSON(u, reg.ID))
	}
	writePage(w, pg, items)
	return nil
}

// invitationJSON is an invitation sent instead of making a login.
type invitationJSON struct {
	ID        int64              `json:"id"`
	Email     string             `json:"email"`
	Name      string             `json:"name"`
	Grants    []accountGrantJSON `json:"grants"`
	ExpiresAt time.Time          `json:"expires_at"`
	State     mtvp.LinkState     `json:"state"`
}

// createAccount: a region admin invites (202 with the invitation): the
// person chooses a password through the mailed link, or, when the address
// has a login in another region, signs in and accepts — the answer is the
// same either way (issue 11). An address with a login in this region is
// 422. A platform admin makes the login and gets its first password once
// (201); for an address that has a login that is 422 too.
func (a *API) createAccount(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.accountsRegion(r)
	if err != nil {
		return err
	}
	var in accountInput
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	grants, err := a.regionGrants(r, reg, in.Grants, f)
	if err != nil {
		return err
	}
	u := mtvp.User{Email: in.Email, Name: in.Name, Grants: grants, Locale: in.Locale}
	u.Normalize()
	mergeInvalid(f, u.Validate(), "")
	if len(f) > 0 {
		return invalid(f)
	}
	me := userOf(r)
	existing, err := a.db.UserByEmail(r.Context(), u.Email)
	switch {
	case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
	case err != nil:
		return err
	case me.IsPlatformAdmin() || len(accountToJSON(existing, reg.ID).Grants) > 0:
		return invalid(mtvp.FieldErrors{"email": "err.email_taken"})
	}
	if !me.IsPlatformAdmin() {
		l, _, err := a.opts.Mail.SendInvitation(r.Context(), a.db, reg, me,
			store.Link{Email: u.Email, Name: u.Name, Locale: u.Locale, Grant: u.Grants[0], More: u.Grants[1:]})
		if err != nil {
			return err
		}
		j := invitationJSON{ID: l.ID, Email: l.Email, Name: l.Name, Grants: []accountGrantJSON{}, ExpiresAt: l.ExpiresAt.UTC(), State: l.StateAt(time.Now())}
		for _, g := range l.Grants() {
			j.Grants = append(j.Grants, accountGrantJSON{Role: g.Role, PracticeID: g.PracticeID})
		}
		writeJSON(w, http.StatusAccepted, j)
		return nil
	}
	password := auth.NewPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	// Issued by an administrator: one-time, changed at the first login.
	u.MustChangePassword = true
	if err := a.db.CreateUser(r.Context(), actorOf(me), &u, hash); err != nil {
		if mergeInvalid(f, err, "") {
			return invalid(f)
		}
		return err
	}
	j := accountToJSON(u, reg.ID)
	j.Password = password
	writeJSON(w, http.StatusCreated, j)
	return nil
}

// putAccountGrants replaces the login's grants in this region; a region
// admin keeps its own admin grant. A stale version is 409.
func (a *API) putAccountGrants(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.accountsRegion(r)
	if err != nil {
		return err
	}
	stored, err := a.accountFor(r, reg)
	if err != nil {
		return err
	}
	var in accountInput
	var here []mtvp.Grant
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) (err error) {
		if in.Email != "" || in.Name != "" {
			f.Add("grants", "api.err.grants_only")
		}
		if here, err = a.regionGrants(r, reg, in.Grants, f); err != nil {
			return err
		}
		me := userOf(r)
		if stored.ID == me.ID && !me.IsPlatformAdmin() {
			keeps := false
			for _, g := range here {
				keeps = keeps || g.Role == mtvp.AccountRegionAdmin
			}
			if !keeps {
				f.Add("grants", "admin.user.keep_own_admin")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	u := stored
	u.Grants, u.Version = stored.WithRegionGrants(reg.ID, here), version
	return a.saveAccount(w, r, reg, u)
}

// revokeAccount ends the login's access to this region: its grants here
// are removed; a login that has no grant elsewhere is disabled instead
// (its grants stay on record). A region admin cannot revoke itself.
func (a *API) revokeAccount(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.accountsRegion(r)
	if err != nil {
		return err
	}
	stored, err := a.accountFor(r, reg)
	if err != nil {
		return err
	}
	var in accountInput
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		if stored.ID == userOf(r).ID {
			f.Add("grants", "admin.user.not_self_disable")
		}
		return nil
	})
	if err != nil {
		return err
	}
	u := stored
	u.Version = version
	if rest := stored.WithRegionGrants(reg.ID, nil); len(rest) > 0 {
		u.Grants = rest
	} else {
		u.Disabled = true
	}
	return a.saveAccount(w, r, reg, u)
}

// saveAccount writes a login's grants (or disables it) with the version
// the client read and answers the account as seen from reg.
func (a *API) saveAccount(w http.ResponseWriter, r *http.Request, reg mtvp.Region, u mtvp.User) error {
	inRegion := func(u mtvp.User) accountJSON { return accountToJSON(u, reg.ID) }
	cur := storedAs(r.Context(), a.db.UserByID, u.ID, inRegion)
	if err := a.db.UpdateUser(r.Context(), actorOf(userOf(r)), &u); err != nil {
		return writeFailed(err, asOnWire, cur.conflict)
	}
	return cur.write(w, http.StatusOK)
}
