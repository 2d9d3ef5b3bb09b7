package api

import (
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// personJSON is a Person on the wire; id, region_id, created_at and
// updated_at are read-only.
type personJSON struct {
	ID        int64     `json:"id"`
	RegionID  int64     `json:"region_id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	BIG       string    `json:"big"`
	KABIZ     string    `json:"kabiz"`
	Version   *int      `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func personToJSON(p mtvp.Person) personJSON {
	return personJSON{ID: p.ID, RegionID: p.RegionID, Name: p.Name, Email: p.Email, BIG: p.BIG, KABIZ: p.KABIZ,
		Version: intPtr(p.Version), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
}

func (j personJSON) apply(p *mtvp.Person) {
	p.Name, p.Email, p.BIG, p.KABIZ = j.Name, j.Email, j.BIG, j.KABIZ
}

// personAccess tells whether the caller may see a person and change their
// details. Region admins reach every person of their region; anyone else
// reaches a person through a practice where that person works or worked and
// that the caller may see (edit: whose staff the caller may edit). A
// practice never reaches another practice's people.
func (a *API) personAccess(r *http.Request, person mtvp.Person) (see, edit bool, err error) {
	u := userOf(r)
	if u.CanAdminRegion(person.RegionID) {
		return true, true, nil
	}
	if !u.CanSeeRegion(person.RegionID) {
		return false, false, nil
	}
	ms, err := a.db.MembershipsOfPerson(r.Context(), person.ID)
	if err != nil {
		return false, false, err
	}
	done := map[int64]bool{}
	for _, m := range ms {
		if done[m.PracticeID] {
			continue
		}
		done[m.PracticeID] = true
		p, err := a.db.PracticeByID(r.Context(), m.PracticeID)
		if err != nil {
			return false, false, err
		}
		if u.CanSeePractice(&p) {
			see = true
			edit = edit || u.CanEditStaff(&p)
		}
	}
	return see, edit, nil
}

// personFor loads {id} if the caller may see the person.
func (a *API) personFor(r *http.Request) (mtvp.Person, bool, error) {
	id, err := pathID(r)
	if err != nil {
		return mtvp.Person{}, false, err
	}
	p, err := a.db.PersonByID(r.Context(), id)
	if err != nil {
		return p, false, err
	}
	see, edit, err := a.personAccess(r, p)
	if err != nil {
		return p, false, err
	}
	if !see {
		return p, false, errNotFound
	}
	return p, edit, nil
}

// listPeople: everyone who works or worked at the practice, once each.
func (a *API) listPeople(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	staff, err := a.db.Staff(r.Context(), p.ID, true)
	if err != nil {
		return err
	}
	items := []personJSON{}
	seen := map[int64]bool{}
	for _, s := range staff {
		if !seen[s.Person.ID] {
			seen[s.Person.ID] = true
			items = append(items, personToJSON(s.Person))
		}
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) getPerson(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.personFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, personToJSON(p))
	return nil
}

// staffCreateJSON is a new person with their first membership.
type staffCreateJSON struct {
	personJSON
	Membership *membershipJSON `json:"membership"`
}

// staffCreatedJSON answers a staff creation. existing_person is true when
// the BIG number matched a person already known in the region, who was
// linked instead of created (their details are then not changed).
type staffCreatedJSON struct {
	Person         personJSON     `json:"person"`
	Membership     membershipJSON `json:"membership"`
	ExistingPerson bool           `json:"existing_person"`
}

// createStaff adds a person and their first membership in one transaction
// (store.AddStaff): the practice and region admins may.
func (a *API) createStaff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	pr, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	if !u.CanEditStaff(&pr) {
		return errForbidden
	}
	var in staffCreateJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	person := mtvp.Person{RegionID: pr.RegionID}
	in.personJSON.apply(&person)
	person.Normalize()
	m := mtvp.Membership{PracticeID: pr.ID}
	if in.Membership == nil {
		f.Add("membership", "err.required")
		mergeInvalid(f, person.Validate(), "")
		return invalid(f)
	}
	in.Membership.apply(&m, f, "membership.", true)
	m.Normalize()
	mergeInvalid(f, person.Validate(), "")
	mergeInvalid(f, m.Validate(), "membership.")
	if len(f) > 0 {
		return invalid(f)
	}
	existing := false
	if person.BIG != "" {
		switch _, err := a.db.PersonByBIG(ctx, pr.RegionID, person.BIG); {
		case err == nil:
			existing = true
		case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
			return err
		}
	}
	if err := a.db.AddStaff(ctx, actorOf(u), pr.ID, &person, &m); err != nil {
		if staffInvalid(f, err) {
			return invalid(f)
		}
		return err
	}
	savedP, err := a.db.PersonByID(ctx, person.ID)
	if err != nil {
		return err
	}
	savedM, err := a.db.MembershipByID(ctx, m.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/people/"+strconv.FormatInt(savedP.ID, 10))
	writeJSON(w, http.StatusCreated, staffCreatedJSON{
		Person:         personToJSON(savedP),
		Membership:     membershipToJSON(savedM, savedP.Name),
		ExistingPerson: existing,
	})
	return nil
}

// membershipFields are mtvp's names of membership errors.
var membershipFields = map[string]bool{"role": true, "fte": true, "from": true, "to": true}

// staffInvalid maps a store validation error of AddStaff: membership
// fields go under "membership.".
func staffInvalid(f mtvp.FieldErrors, err error) bool {
	return mergeInvalidAs(f, err, func(k string) string {
		if membershipFields[k] {
			return "membership." + k
		}
		return k
	})
}

// updatePerson changes name, e-mail, BIG and KABIZ. Whoever may edit the
// staff of a practice where the person works or worked may; that change is
// seen by every practice of the person.
func (a *API) updatePerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userOf(r)
	stored, edit, err := a.personFor(r)
	if err != nil {
		return err
	}
	if !edit {
		return errForbidden
	}
	in := personToJSON(stored)
	version, err := decodeVersioned(r, &in, &in.Version, nil)
	if err != nil {
		return err
	}
	if version != stored.Version {
		return conflict(personToJSON(stored))
	}
	p := stored
	in.apply(&p)
	p.Normalize()
	f := mtvp.FieldErrors{}
	mergeInvalid(f, p.Validate(), "")
	if len(f) > 0 {
		return invalid(f)
	}
	cur := storedAs(ctx, a.db.PersonByID, stored.ID, personToJSON)
	if err := a.db.UpdatePerson(ctx, actorOf(u), &p); err != nil {
		return writeFailed(err, asOnWire, cur.conflict)
	}
	return cur.write(w, http.StatusOK)
}
