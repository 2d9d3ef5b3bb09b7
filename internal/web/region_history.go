package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// The region's audit log for its admins: every change, newest first, with
// who, when, which record (linked where it has a page) and old → new.

const (
	rhPage = 50   // entries per step of "show more"
	rhMax  = 1000 // most entries on one page
)

type rhChange struct {
	Field, Old, New string
}

type rhRow struct {
	ID      int64
	At      time.Time
	Actor   string
	Action  string
	Record  string // what record, in words
	Kind    string // what kind of record, in words
	Link    string // its page, "" when it has none
	Changes []rhChange
}

type rhData struct {
	Region mtvp.Region
	Rows   []rhRow
	Limit  int
	More   string // link that shows more entries; "" when all are shown
}

// rhHidden are audit fields that mean nothing to a reader (internal keys)
// or repeat another field.
var rhHidden = map[string]bool{"RegionID": true, "PracticeID": true, "PersonID": true, "ConsultantName": true, "Position": true, "PlanID": true, "RegioplanID": true}

func (s *Server) getRegionHistory(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	limit := rhPage
	if n, err := strconv.Atoi(r.URL.Query().Get("aantal")); err == nil && n > 0 {
		limit = min(n, rhMax)
	}
	entries, err := s.db.RegionHistory(ctx, reg.ID, limit)
	if err != nil {
		return err
	}
	names, err := s.rhNames(ctx, reg)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	d := rhData{Region: reg, Limit: limit}
	for _, e := range entries {
		row, err := names.row(ctx, lang, e)
		if err != nil {
			return err
		}
		d.Rows = append(d.Rows, row)
	}
	if len(entries) >= limit && limit < rhMax {
		d.More = admRegionURL(reg) + "/historie?aantal=" + strconv.Itoa(min(limit+rhPage, rhMax))
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "history"
	return s.render(w, r, http.StatusOK, "admin_history", v)
}

// rhNamer names the records of one region; lookups of people and
// memberships are cached per page.
type rhNamer struct {
	s             *Server
	reg           mtvp.Region
	base          string
	practices     map[int64]string
	users         map[int64]string
	plans         map[int64]int // regioplan id → year
	interventions map[int64]mtvp.Intervention
	ivYear        map[int64]int
	people        map[int64]string
	memberships   map[int64]mtvp.Membership
}

func (s *Server) rhNames(ctx context.Context, reg mtvp.Region) (*rhNamer, error) {
	n := &rhNamer{s: s, reg: reg, base: admRegionURL(reg), practices: map[int64]string{}, users: map[int64]string{},
		plans: map[int64]int{}, interventions: map[int64]mtvp.Intervention{}, ivYear: map[int64]int{},
		people: map[int64]string{}, memberships: map[int64]mtvp.Membership{}}
	ps, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		n.practices[p.ID] = p.Name
	}
	us, err := s.db.ListUsers(ctx, reg.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		n.users[u.ID] = u.Name
	}
	years, err := s.db.RegioplanYears(ctx, reg.ID)
	if err != nil {
		return nil, err
	}
	for _, y := range years {
		p, err := s.db.Regioplan(ctx, reg.ID, y)
		if err != nil {
			return nil, err
		}
		n.plans[p.ID] = y
		for _, iv := range p.Interventions {
			n.interventions[iv.ID] = iv
			n.ivYear[iv.ID] = y
		}
	}
	return n, nil
}

func (n *rhNamer) person(ctx context.Context, id int64) (string, error) {
	if name, ok := n.people[id]; ok {
		return name, nil
	}
	p, err := n.s.db.PersonByID(ctx, id)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		n.people[id] = ""
		return "", nil
	}
	if err != nil {
		return "", err
	}
	n.people[id] = p.Name
	return p.Name, nil
}

func (n *rhNamer) row(ctx context.Context, lang string, e mtvp.AuditEntry) (rhRow, error) {
	id := strconv.FormatInt(e.EntityID, 10)
	row := rhRow{
		ID: e.ID, At: e.At, Actor: e.Actor.Name,
		Action: admT(lang, "admin.audit_action."+e.Action, e.Action),
		Kind:   admT(lang, "admin.entity."+e.Entity, e.Entity),
		Record: "#" + id,
	}
	if row.Actor == "" {
		row.Actor = i18n.T(lang, "admin.history.system")
	}
	switch e.Entity {
	case "region":
		row.Record, row.Link = n.reg.Name, n.base+"/instellingen"
	case "practice":
		if name, ok := n.practices[e.EntityID]; ok {
			row.Record, row.Link = name, n.base+"/praktijken/"+id
		}
	case "user":
		if name, ok := n.users[e.EntityID]; ok {
			row.Record, row.Link = name, n.base+"/accounts/"+id+"/bewerken"
		}
	case "regioplan":
		if y, ok := n.plans[e.EntityID]; ok {
			row.Record, row.Link = i18n.T(lang, "admin.regioplan.title", y), n.base+"/regioplan/"+strconv.Itoa(y)
		}
	case "intervention":
		if iv, ok := n.interventions[e.EntityID]; ok {
			y := n.ivYear[e.EntityID]
			row.Record = iv.Code + " " + iv.Title + " (" + strconv.Itoa(y) + ")"
			row.Link = n.base + "/regioplan/" + strconv.Itoa(y)
		}
	case "person":
		name, err := n.person(ctx, e.EntityID)
		if err != nil {
			return row, err
		}
		if name != "" {
			row.Record = name
		}
	case "membership":
		m, ok := n.memberships[e.EntityID]
		if !ok {
			var err error
			m, err = n.s.db.MembershipByID(ctx, e.EntityID)
			if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
				return row, err
			}
			n.memberships[e.EntityID] = m
		}
		if m.ID != 0 {
			name, err := n.person(ctx, m.PersonID)
			if err != nil {
				return row, err
			}
			if pname, ok := n.practices[m.PracticeID]; ok {
				row.Record = i18n.T(lang, "admin.history.membership", name, i18n.T(lang, "role."+string(m.Role)), pname)
				row.Link = n.base + "/praktijken/" + strconv.FormatInt(m.PracticeID, 10)
			}
		}
	}
	for _, c := range e.Changes {
		if rhHidden[c.Field] || strings.Contains(c.Field, "Hash") {
			continue
		}
		row.Changes = append(row.Changes, rhChange{
			Field: rhFieldName(lang, c.Field),
			Old:   n.value(lang, c.Field, c.Old),
			New:   n.value(lang, c.Field, c.New),
		})
	}
	return row, nil
}

func rhFieldName(lang, field string) string {
	if rest, ok := strings.CutPrefix(field, "Settings."); ok {
		return i18n.T(lang, "admin.audit_field.Settings") + ": " + admT(lang, "admin.audit_field.Settings."+rest, rest)
	}
	return admT(lang, "admin.audit_field."+field, admT(lang, "practice.audit_field."+field, field))
}

// rhList translates a list value written as "[a b]" item by item.
func rhList(val string, tr func(string) string) string {
	items := strings.Fields(strings.Trim(val, "[]"))
	for i, it := range items {
		items[i] = tr(it)
	}
	return strings.Join(items, ", ")
}

// value shows a stored value in words where we know its kind.
func (n *rhNamer) value(lang, field, val string) string {
	if val == "" {
		return ""
	}
	switch field {
	case "Settings.IntervisionThreshold", "Settings.AssistantTrainingThreshold", "Settings.GPTrainingThreshold":
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			return admPercentIn(lang, f) + "%"
		}
	case "Settings.IntervisionRoles", "Settings.AssistantTrainingRoles", "Settings.GPTrainingRoles":
		return rhList(val, func(r string) string { return admT(lang, "role."+r, r) })
	case "Settings.Requirements":
		return rhList(val, func(q string) string { return admT(lang, "admin.requirement."+q, q) })
	case "Settings.InflowQuotaPercent":
		return val + "%"
	case "Password", "TOTPSecret":
		return i18n.T(lang, "admin.history.changed")
	case "Role":
		if mtvp.AccountRole(val).Valid() {
			return i18n.T(lang, "account_role."+val)
		}
		return admT(lang, "role."+val, val)
	case "Status":
		return admT(lang, "practice.status."+val, val)
	case "Element":
		if e := mtvp.Element(val); e.Valid() {
			return val + " · " + e.Name()
		}
	case "ConsultantID":
		id, _ := strconv.ParseInt(val, 10, 64)
		if name, ok := n.users[id]; ok {
			return name
		}
	case "Mandatory", "Disabled", "ShareParticipation", "TOTPEnabled":
		if val == "ja" {
			return i18n.T(lang, "admin.yes")
		}
	case "FTE":
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			return i18n.Decimal(lang, f, 2)
		}
	case "RegisteredPatients":
		if k, err := strconv.Atoi(val); err == nil {
			return i18n.Integer(lang, k)
		}
	}
	if d, err := mtvp.ParseDate(val); err == nil && len(val) == 10 {
		return d.Short()
	}
	return val
}
