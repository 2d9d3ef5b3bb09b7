package api

import (
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// membershipJSON is a Membership on the wire. id, practice_id,
// person_name, created_at and updated_at are read-only; person_id is set
// on creation and fixed after.
type membershipJSON struct {
	ID         int64          `json:"id"`
	PersonID   int64          `json:"person_id"`
	PracticeID int64          `json:"practice_id"`
	PersonName string         `json:"person_name"`
	Role       mtvp.StaffRole `json:"role"`
	FTE        *float64       `json:"fte"`
	From       date           `json:"from"`
	To         date           `json:"to"`
	Version    *int           `json:"version"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

func membershipToJSON(m mtvp.Membership, personName string) membershipJSON {
	fte := m.FTE
	return membershipJSON{ID: m.ID, PersonID: m.PersonID, PracticeID: m.PracticeID, PersonName: personName,
		Role: m.Role, FTE: &fte, From: dateOf(m.From), To: dateOf(m.To),
		Version: intPtr(m.Version), CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
}

// apply copies role, fte, from and to onto m; on creation role and fte
// must be present. Field names get prefix.
func (j membershipJSON) apply(m *mtvp.Membership, f mtvp.FieldErrors, prefix string, creating bool) {
	m.Role = j.Role
	if j.Role == "" {
		f.Add(prefix+"role", "err.required")
	}
	if j.FTE == nil {
		if creating {
			f.Add(prefix+"fte", "err.required")
		}
	} else {
		m.FTE = *j.FTE
	}
	m.From = j.From.check(f, prefix+"from")
	m.To = j.To.check(f, prefix+"to")
}

// membershipFor loads {id} with its practice; visible only to who may see
// the practice.
func (a *API) membershipFor(r *http.Request) (mtvp.Membership, mtvp.Practice, error) {
	return practiceRecordFor(a, r, a.db.MembershipByID, func(m mtvp.Membership) int64 { return m.PracticeID },
		func(u *mtvp.User, p *mtvp.Practice, _ *mtvp.Membership) bool { return u.CanSeePractice(p) })
}

func (a *API) personName(r *http.Request, id int64) (string, error) {
	p, err := a.db.PersonByID(r.Context(), id)
	return p.Name, err
}

// listMemberships: the practice's current memberships, or all with
// ?include_ended=true.
func (a *API) listMemberships(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r, "include_ended")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	includeEnded := false
	if s := q.Get("include_ended"); s != "" {
		if includeEnded, err = strconv.ParseBool(s); err != nil {
			return badRequest("api.err.query_value", "include_ended")
		}
	}
	staff, err := a.db.Staff(r.Context(), p.ID, includeEnded)
	if err != nil {
		return err
	}
	items := make([]membershipJSON, 0, len(staff))
	for _, s := range staff {
		items = append(items, membershipToJSON(s.Membership, s.Person.Name))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) getMembership(w http.ResponseWriter, r *http.Request) error {
	m, _, err := a.membershipFor(r)
	if err != nil {
		return err
	}
	name, err := a.personName(r, m.PersonID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, membershipToJSON(m, name))
	return nil
}

// createMembership links an existing person to the practice. The person
// must be one the caller can already see (for a practice: someone who
// works or worked there; for region admins: anyone in the region); any
// other id is reported as unknown, so ids of other practices' people
// reveal nothing. New people are added with POST …/people.
func (a *API) createMembership(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	pr, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	if !u.CanEditStaff(&pr) {
		return errForbidden
	}
	var in membershipJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	m := mtvp.Membership{PracticeID: pr.ID, PersonID: in.PersonID}
	in.apply(&m, f, "", true)
	m.Normalize()
	mergeInvalid(f, m.Validate(), "")
	var person mtvp.Person
	if in.PersonID <= 0 {
		f.Add("person_id", "err.required")
	} else {
		person, err = a.db.PersonByID(ctx, in.PersonID)
		see := false
		switch {
		case err == nil:
			if see, _, err = a.personAccess(r, person); err != nil {
				return err
			}
		case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
			return err
		}
		if !see {
			f.Add("person_id", "api.err.person_unknown")
		}
	}
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.CreateMembership(ctx, actorOf(u), &m); err != nil {
		if mergeInvalid(f, err, "") {
			return invalid(f)
		}
		return err
	}
	saved, err := a.db.MembershipByID(ctx, m.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/memberships/"+strconv.FormatInt(saved.ID, 10))
	writeJSON(w, http.StatusCreated, membershipToJSON(saved, person.Name))
	return nil
}

// updateMembership changes role, fte, from and to (ending a membership is
// setting "to"); person_id and practice_id cannot change.
func (a *API) updateMembership(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	stored, pr, err := a.membershipFor(r)
	if err != nil {
		return err
	}
	if !u.CanEditStaff(&pr) {
		return errForbidden
	}
	name, err := a.personName(r, stored.PersonID)
	if err != nil {
		return err
	}
	in := membershipToJSON(stored, name)
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		if in.PersonID != stored.PersonID {
			f.Add("person_id", "api.err.immutable")
		}
		if in.PracticeID != stored.PracticeID {
			f.Add("practice_id", "api.err.immutable")
		}
		return nil
	})
	if err != nil {
		return err
	}
	named := func(m mtvp.Membership) membershipJSON { return membershipToJSON(m, name) }
	if version != stored.Version {
		return conflict(named(stored))
	}
	m := stored
	f := mtvp.FieldErrors{}
	in.apply(&m, f, "", false)
	m.Normalize()
	mergeInvalid(f, m.Validate(), "")
	if len(f) > 0 {
		return invalid(f)
	}
	cur := storedAs(ctx, a.db.MembershipByID, stored.ID, named)
	if err := a.db.UpdateMembership(ctx, actorOf(u), &m); err != nil {
		return writeFailed(err, asOnWire, cur.conflict)
	}
	return cur.write(w, http.StatusOK)
}
