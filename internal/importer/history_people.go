package importer

import (
	"context"
	"sort"
	"strings"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// personInfo is a person of the region with their memberships.
type personInfo struct {
	mtvp.Person
	agb string
	ms  []mtvp.Membership
}

// worksAt reports any membership (past or present) at a practice.
func (p *personInfo) worksAt(practiceID int64) bool {
	for _, m := range p.ms {
		if m.PracticeID == practiceID {
			return true
		}
	}
	return false
}

// rolesAt returns the person's roles at a practice on a day.
func (p *personInfo) rolesAt(practiceID int64, d mtvp.Date) []mtvp.StaffRole {
	var out []mtvp.StaffRole
	for _, m := range p.ms {
		if m.PracticeID == practiceID && !m.From.After(d) && (m.To.IsZero() || !m.To.Before(d)) {
			out = append(out, m.Role)
		}
	}
	return out
}

// peopleIndex finds a region's people and practices for import rows.
type peopleIndex struct {
	big, agb, email, name map[string][]*personInfo
	practices             map[string]mtvp.PracticeSummary // by AGB
	practiceName          map[int64]string
}

func loadPeople(ctx context.Context, db *store.DB, regionID int64) (*peopleIndex, error) {
	ix := &peopleIndex{big: map[string][]*personInfo{}, agb: map[string][]*personInfo{}, email: map[string][]*personInfo{},
		name: map[string][]*personInfo{}, practices: map[string]mtvp.PracticeSummary{}, practiceName: map[int64]string{}}
	ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: regionID})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		ix.practices[p.AGB] = p
		ix.practiceName[p.ID] = p.Name
	}
	staff, err := db.RegionStaff(ctx, regionID)
	if err != nil {
		return nil, err
	}
	agbs, err := db.PersonAGBs(ctx, regionID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*personInfo{}
	ids := make([]int64, 0, len(staff))
	for pid := range staff {
		ids = append(ids, pid)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, pid := range ids {
		for _, s := range staff[pid] {
			pi := byID[s.Person.ID]
			if pi == nil {
				pi = &personInfo{Person: s.Person, agb: agbs[s.Person.ID]}
				byID[s.Person.ID] = pi
				if pi.BIG != "" {
					ix.big[pi.BIG] = append(ix.big[pi.BIG], pi)
				}
				if pi.agb != "" {
					ix.agb[pi.agb] = append(ix.agb[pi.agb], pi)
				}
				if pi.Email != "" {
					ix.email[pi.Email] = append(ix.email[pi.Email], pi)
				}
				k := strings.ToLower(pi.Name)
				ix.name[k] = append(ix.name[k], pi)
			}
			pi.ms = append(pi.ms, s.Membership)
		}
	}
	return ix, nil
}

// describe names a candidate for a message: "Anna de Vries (BIG
// 12345678901, e-mail …, Praktijk De Linde)".
func (ix *peopleIndex) describe(p *personInfo) string {
	var parts []string
	if p.BIG != "" {
		parts = append(parts, "BIG "+p.BIG)
	}
	if p.agb != "" {
		parts = append(parts, "AGB "+p.agb)
	}
	if p.Email != "" {
		parts = append(parts, p.Email)
	}
	seen := map[int64]bool{}
	for _, m := range p.ms {
		if !seen[m.PracticeID] {
			seen[m.PracticeID] = true
			parts = append(parts, ix.practiceName[m.PracticeID])
		}
	}
	if len(parts) == 0 {
		return p.Name
	}
	return p.Name + " (" + strings.Join(parts, ", ") + ")"
}

func (ix *peopleIndex) describeAll(list []*personInfo) string {
	const most = 5
	var out []string
	for i, p := range list {
		if i == most {
			out = append(out, "…")
			break
		}
		out = append(out, ix.describe(p))
	}
	return strings.Join(out, "; ")
}

// person finds the person of a row: by BIG number, then AGB code, then
// e-mail, then name among the people of the practice (practiceID 0: of
// the region) — in that order. An unknown or ambiguous person is a row
// error naming the candidates found. A row's AGB code that the person
// found lacks is queued to be filled in.
func (r *hrow) person(practiceID int64) *personInfo {
	ix := r.run.people
	big := idValue(r.get(colBIG))
	agb := agbValue(r.get(colPersonAGB))
	email := strings.ToLower(r.text(colEmail))
	name := strings.Join(strings.Fields(r.text(colPersonName)), " ")
	var found *personInfo
	switch {
	case big != "" && len(ix.big[big]) == 1:
		found = ix.big[big][0]
	case agb != "" && len(ix.agb[agb]) > 0:
		if c := ix.agb[agb]; len(c) > 1 {
			r.fail(colPersonAGB, "import.hist.err.person_ambiguous", ix.describeAll(c))
			return nil
		}
		found = ix.agb[agb][0]
	case email != "" && len(ix.email[email]) > 0:
		if c := ix.email[email]; len(c) > 1 {
			r.fail(colEmail, "import.hist.err.person_ambiguous", ix.describeAll(c))
			return nil
		}
		found = ix.email[email][0]
	case name != "":
		all := ix.name[strings.ToLower(name)]
		var at []*personInfo
		for _, p := range all {
			if practiceID == 0 || p.worksAt(practiceID) {
				at = append(at, p)
			}
		}
		switch {
		case len(at) == 1:
			found = at[0]
		case len(at) > 1:
			r.fail(colPersonName, "import.hist.err.person_ambiguous", ix.describeAll(at))
			return nil
		case len(all) > 0:
			r.fail(colPersonName, "import.hist.err.person_elsewhere", ix.describeAll(all))
			return nil
		default:
			r.fail(colPersonName, "import.hist.err.person_unknown")
			return nil
		}
	default:
		if name == "" {
			r.fail(colPersonName, "err.required")
		} else {
			r.fail(colPersonName, "import.hist.err.person_unknown")
		}
		return nil
	}
	if agb != "" && found.agb != agb {
		switch {
		case found.agb != "":
			r.fail(colPersonAGB, "import.hist.err.person_agb_differs", found.agb)
			return nil
		case len(ix.agb[agb]) > 0:
			r.fail(colPersonAGB, "import.hist.err.person_agb_other", ix.describeAll(ix.agb[agb]))
			return nil
		case !mtvp.ValidAGB(agb):
			r.fail(colPersonAGB, "err.agb_format")
			return nil
		}
		found.agb = agb
		ix.agb[agb] = []*personInfo{found}
		r.effect("import.hist.eff.person_agb")
		r.run.agbQueue = append(r.run.agbQueue, personAGB{id: found.ID, agb: agb})
	}
	return found
}
