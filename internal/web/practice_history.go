package web

import (
	"context"
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

type changeText rhChange

// historyRows translates audit entries with the region's namer: the same
// labels and values in words as the region's history. subjects names
// records other than the page's own, keyed by entity and id ("person:12").
func historyRows(ctx context.Context, n *rhNamer, lang string, entries []mtvp.AuditEntry, subjects map[string]string) ([]historyRow, error) {
	out := make([]historyRow, 0, len(entries))
	for _, e := range entries {
		hr := historyRow{
			At:      e.At,
			Actor:   actorName(lang, e.Actor),
			Subject: subjects[e.Entity+":"+strconv.FormatInt(e.EntityID, 10)],
			Action:  tOr(lang, "practice.audit_action."+e.Action, e.Action),
			Created: e.Action == "create",
		}
		row, err := n.row(ctx, lang, e)
		if err != nil {
			return nil, err
		}
		for _, c := range row.Changes {
			hr.Changes = append(hr.Changes, changeText(c))
		}
		out = append(out, hr)
	}
	return out, nil
}

// tOr translates key, or returns fallback when the catalog lacks it.
func tOr(lang, key, fallback string) string { return admT(lang, key, fallback) }

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
	names, err := s.rhNames(ctx, reg)
	if err != nil {
		return err
	}
	subjects["practice:"+strconv.FormatInt(p.ID, 10)] = i18n.T(lang, "practice.history.practice")
	rows, err := historyRows(ctx, names, lang, entries, subjects)
	if err != nil {
		return err
	}
	d := practiceHistoryData{Region: reg, Practice: p, Base: practiceURL(reg, p.ID), Rows: rows}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practices"
	return s.render(w, r, http.StatusOK, "practice_history", v)
}
