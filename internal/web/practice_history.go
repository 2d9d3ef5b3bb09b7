package web

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// historyRow is one audit entry made readable: translated field names,
// values in words, old → new.
type historyRow struct {
	At      time.Time
	Actor   string
	Subject string // what record, e.g. "Anna de Vries (persoon)"; "" for the page's own record
	Action  string
	Created bool // a new record: its values, no "old → new"
	Changes []changeText
}

type changeText struct {
	Field, Old, New string
}

// historyHidden are audit fields that mean nothing to a reader (internal
// keys) or repeat another field.
var historyHidden = map[string]bool{"RegionID": true, "PracticeID": true, "PersonID": true, "ConsultantName": true}

// historyRows translates audit entries. subjects names records other than
// the page's own, keyed by entity and id ("person:12").
func historyRows(lang string, entries []mtvp.AuditEntry, consultants map[int64]string, subjects map[string]string) []historyRow {
	out := make([]historyRow, 0, len(entries))
	for _, e := range entries {
		hr := historyRow{
			At:      e.At,
			Actor:   actorName(lang, e.Actor),
			Subject: subjects[e.Entity+":"+strconv.FormatInt(e.EntityID, 10)],
			Action:  tOr(lang, "practice.audit_action."+e.Action, e.Action),
			Created: e.Action == "create",
		}
		for _, c := range e.Changes {
			if historyHidden[c.Field] {
				continue
			}
			hr.Changes = append(hr.Changes, changeText{
				Field: tOr(lang, "practice.audit_field."+c.Field, c.Field),
				Old:   historyValue(lang, c.Field, c.Old, consultants),
				New:   historyValue(lang, c.Field, c.New, consultants),
			})
		}
		out = append(out, hr)
	}
	return out
}

// tOr translates key, or returns fallback when the catalog lacks it.
func tOr(lang, key, fallback string) string {
	if i18n.Has(lang, key) || i18n.Has(i18n.Default, key) {
		return i18n.T(lang, key)
	}
	return fallback
}

func historyValue(lang, field, val string, consultants map[int64]string) string {
	if val == "" {
		return ""
	}
	switch field {
	case "Status":
		return tOr(lang, "practice.status."+val, val)
	case "Role":
		return tOr(lang, "role."+val, val)
	case "ConsultantID":
		id, _ := strconv.ParseInt(val, 10, 64)
		if n, ok := consultants[id]; ok {
			return n
		}
		return "#" + val
	case "JoinedOn", "From", "To", "ProgrammeStart":
		if d, err := mtvp.ParseDate(val); err == nil {
			return d.Short()
		}
	case "FTE":
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			return i18n.Decimal(lang, f, 2)
		}
	case "RegisteredPatients":
		if n, err := strconv.Atoi(val); err == nil {
			return i18n.Integer(lang, n)
		}
	}
	return val
}

type practiceHistoryData struct {
	Region   mtvp.Region
	Practice mtvp.Practice
	Base     string
	Rows     []historyRow
}

// getPracticeHistory shows region admins every change of a practice, its
// memberships and the people working there.
func (s *Server) getPracticeHistory(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "practice")
	if err != nil {
		return err
	}
	p, err := s.db.PracticeByID(ctx, id)
	if err != nil {
		return err
	}
	if p.RegionID != reg.ID {
		return notFound
	}
	lang := s.lang(r)
	entries, err := s.db.History(ctx, "practice", p.ID)
	if err != nil {
		return err
	}
	staff, err := s.db.Staff(ctx, p.ID, true)
	if err != nil {
		return err
	}
	subjects := map[string]string{}
	seen := map[int64]bool{}
	for _, m := range staff {
		more, err := s.db.History(ctx, "membership", m.ID)
		if err != nil {
			return err
		}
		entries = append(entries, more...)
		subjects["membership:"+strconv.FormatInt(m.ID, 10)] = i18n.T(lang, "practice.history.membership_of", m.Person.Name, i18n.T(lang, "role."+string(m.Role)))
		if seen[m.PersonID] {
			continue
		}
		seen[m.PersonID] = true
		more, err = s.db.History(ctx, "person", m.PersonID)
		if err != nil {
			return err
		}
		entries = append(entries, more...)
		subjects["person:"+strconv.FormatInt(m.PersonID, 10)] = i18n.T(lang, "practice.history.person", m.Person.Name)
	}
	sort.SliceStable(entries, func(i, j int) bool {
		if !entries[i].At.Equal(entries[j].At) {
			return entries[i].At.After(entries[j].At)
		}
		return entries[i].ID > entries[j].ID
	})
	names, err := s.consultantNames(r, reg.ID)
	if err != nil {
		return err
	}
	subjects["practice:"+strconv.FormatInt(p.ID, 10)] = i18n.T(lang, "practice.history.practice")
	d := practiceHistoryData{Region: reg, Practice: p, Base: practiceURL(reg, p.ID), Rows: historyRows(lang, entries, names, subjects)}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practices"
	return s.render(w, r, http.StatusOK, "practice_history", v)
}
