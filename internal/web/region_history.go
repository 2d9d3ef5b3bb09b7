package web

import (
	"cmp"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/importer"
	"meertijd/internal/markup"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
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
	// Training and intervision records named in changes, read on demand.
	trainings map[int64]string // id → title; nil until first needed
	sessions  map[int64]string // id → "title, first date"
	groups    map[int64]string // id → name
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
	row.Actor = actorName(lang, e.Actor)
	if name, ok := historyRecords[e.Entity]; ok {
		text, link, err := name(n, ctx, lang, e.EntityID)
		if err != nil {
			return row, err
		}
		if text != "" {
			row.Record, row.Link = text, link
		}
	}
	if row.Record == "#"+id {
		// A record that is gone (a cancelled activity, a removed
		// announcement) is named by the title its entry wrote down.
		for _, c := range e.Changes {
			if c.Field == "Title" && (c.Old != "" || c.New != "") {
				row.Record = cmp.Or(c.Old, c.New)
			}
		}
	}
	if e.Entity == "activity_kind" {
		// A kind is named by its code (built-in) or name, written with it.
		var code, name string
		for _, c := range e.Changes {
			switch c.Field {
			case "Code":
				code = c.New
			case "Name":
				name = c.New
			}
		}
		if code != "" || name != "" {
			row.Record, row.Link = admT(lang, "activity.kind."+code, name), n.base+"/activiteiten"
		}
	}
	if e.Entity == "import" {
		// A history import run: named by its kind of list and its file.
		for _, c := range e.Changes {
			switch c.Field {
			case "Kind":
				if k, ok := importer.ParseHistoryKind(c.New); ok {
					row.Record = i18n.T(lang, k.TitleKey())
				}
			case "RecordedAfterwards":
				row.Record += " (" + historyClean(c.New) + ")"
			}
		}
		row.Link = n.base + "/import"
	}
	for _, c := range e.Changes {
		if rhHidden[c.Field] || strings.Contains(c.Field, "Hash") {
			continue
		}
		old, err := n.value(ctx, lang, e.Entity, c.Field, c.Old)
		if err != nil {
			return row, err
		}
		nw, err := n.value(ctx, lang, e.Entity, c.Field, c.New)
		if err != nil {
			return row, err
		}
		if old == "" && nw == "" && c.Old+c.New != "" {
			continue // only an empty value (e.g. no decision yet)
		}
		row.Changes = append(row.Changes, rhChange{Field: rhFieldName(lang, e.Entity, c.Field), Old: old, New: nw})
	}
	return row, nil
}

// rhPlanStatusField: the plan's audit names a version's status "Status
// versie N".
var rhPlanStatusField = regexp.MustCompile(`^Status versie (\d+)$`)

// rhMeetingFields are the fields of a meeting; other fields of a meeting's
// attendance entry are the names of the people.
var rhMeetingFields = map[string]bool{"Date": true, "Start": true, "End": true, "Place": true, "Theme": true, "GAIASubmitted": true, "GroupID": true, "Version": true, "RecordedAfterwards": true}

func rhFieldName(lang, entity, field string) string {
	if entity == "plan" {
		if sec, ok := strings.CutPrefix(field, "Opmerking "); ok {
			return i18n.T(lang, "admin.audit_field.plan_comment", rhPlanSection(lang, sec))
		}
		if m := rhPlanStatusField.FindStringSubmatch(field); m != nil {
			return i18n.T(lang, "admin.audit_field.plan_status_version", m[1])
		}
		return admT(lang, "admin.audit_field.plan."+field, field)
	}
	if code, ok := strings.CutPrefix(field, "Findings "); ok && entity == "visit" {
		return i18n.T(lang, "admin.audit_field.visit_findings", code)
	}
	if entity == "intervision_meeting" && !rhMeetingFields[field] {
		return field // a member's name: their attendance
	}
	if strings.HasPrefix(field, "import.hist.eff.") {
		return admT(lang, field+".label", field) // what an import run did
	}
	if kind, ok := strings.CutPrefix(field, store.AuditFieldMail); ok {
		return i18n.T(lang, "admin.audit_field.Mail") + ": " + admT(lang, "prefs.kind."+kind, kind)
	}
	if rest, ok := strings.CutPrefix(field, "Settings."); ok {
		return i18n.T(lang, "admin.audit_field.Settings") + ": " + admT(lang, "admin.audit_field.Settings."+rest, rest)
	}
	return admT(lang, "admin.audit_field."+entity+"."+field, admT(lang, "admin.audit_field."+field, admT(lang, "practice.audit_field."+field, field)))
}

// rhList translates a list value ("a; b", or "[a b]" as written before)
// item by item.
func rhList(val string, tr func(string) string) string {
	items := historyItems(val)
	for i, it := range items {
		items[i] = tr(it)
	}
	return strings.Join(items, ", ")
}

// actorName names who made a change; the command line and the demo loader
// ("systeem") in the reader's language.
func actorName(lang string, a mtvp.Actor) string {
	if a.UserID == 0 && (a.Name == "" || a.Name == mtvp.SystemActor.Name) {
		return i18n.T(lang, "admin.history.system")
	}
	return a.Name
}

// rhPlanSection names a comment section of the plan.
func rhPlanSection(lang, sec string) string {
	switch sec {
	case mtvp.PlanSectionGeneral:
		return i18n.T(lang, "admin.history.plan_general")
	case mtvp.PlanSectionAmbition:
		return i18n.T(lang, "plan.field.ambition")
	}
	return sec
}

var rhChars = regexp.MustCompile(`^(\d+) tekens$`)

// value shows a stored value of entity's field in words where we know its
// kind; "" for a value that means "none" (a zero time).
func (n *rhNamer) value(ctx context.Context, lang, entity, field, val string) (string, error) {
	if val == "" || strings.HasPrefix(val, "0001-01-01") {
		return "", nil
	}
	if m := rhChars.FindStringSubmatch(val); m != nil {
		k, _ := strconv.Atoi(m[1])
		return i18n.T(lang, "admin.history.chars", i18n.Integer(lang, k)), nil
	}
	id, _ := strconv.ParseInt(val, 10, 64)
	switch entity {
	case "pulse_round":
		if q, ok := mtvp.ParseQuarter(val); ok && field == "Quarter" {
			return pulseQuarter(lang, q), nil
		}
	case "plan":
		if rhPlanStatusField.MatchString(field) {
			return admT(lang, "plan.status."+val, val), nil
		}
		return historyClean(val), nil
	case "intervision_meeting":
		if !rhMeetingFields[field] {
			return admT(lang, "intervision.attendance."+val, val), nil
		}
		if field == "GroupID" {
			return n.group(ctx, id)
		}
	case "visit":
		if field == "Status" {
			return admT(lang, "visit.status."+val, val), nil
		}
	case "intervision_member":
		if field == "Status" {
			return admT(lang, "admin.history.member_status."+val, val), nil
		}
	case "intervision_group":
		switch field {
		case "FacilitatorID":
			if name, ok := n.users[id]; ok {
				return name, nil
			}
		case "Weekday":
			return admT(lang, "intervision.weekday."+val, val), nil
		}
	case "claim":
		switch field {
		case "Status":
			return admT(lang, "training.claim_status."+val, val), nil
		case "EvidenceSize":
			return i18n.T(lang, "admin.history.bytes", i18n.Integer(lang, int(id))), nil
		case "DecidedAt":
			if t, err := time.Parse("2006-01-02 15:04:05 -0700 MST", val); err == nil {
				return t.In(amsterdam).Format("02-01-2006 15:04"), nil
			}
		}
	case "enrolment":
		switch field {
		case "Status":
			return admT(lang, "training.enrolment_status."+val, val), nil
		case "Session":
			return n.session(ctx, id)
		}
	case "completion":
		switch field {
		case "Session":
			return n.session(ctx, id)
		case "Person":
			if id != 0 {
				if name, err := n.person(ctx, id); err != nil || name != "" {
					return name, err
				}
			}
		}
	case "training":
		switch field {
		case "Target":
			return admT(lang, "training.target."+val, val), nil
		case "Register":
			return admT(lang, "training.register."+val, val), nil
		case "Points":
			if f, err := strconv.ParseFloat(val, 64); err == nil {
				return i18n.Decimal(lang, f, -1), nil
			}
		}
	case "training_session":
		switch field {
		case "TrainingID":
			return n.training(ctx, id)
		case "Dates":
			return rhList(val, func(d string) string {
				if dd, err := mtvp.ParseDate(d); err == nil {
					return dd.Short()
				}
				return d
			}), nil
		}
	case "news":
		switch field {
		case "Body":
			return markup.Text(val), nil // the text as it reads, without its markup
		case "Links":
			return n.newsLinks(ctx, val)
		case "Roles":
			return rhList(val, func(r string) string { return admT(lang, "account_role."+r, r) }), nil
		}
	case "training_proposal":
		switch field {
		case "Status":
			return admT(lang, "proposal.status."+val, val), nil
		case "Advice":
			return admT(lang, "proposal.advice."+val, val), nil
		case "Target":
			return admT(lang, "training.target."+val, val), nil
		case "AdvisedBy":
			if name, ok := n.users[id]; ok {
				return name, nil
			}
		case "TrainingID":
			return n.training(ctx, id)
		}
	case "activity":
		switch field {
		case "Kind":
			return admT(lang, "activity.kind."+val, val), nil
		case "HostStatus":
			return admT(lang, "activity.host_status."+val, val), nil
		}
	case "activity_kind":
		if field == "Counts" || field == "Norm" {
			return admT(lang, "activity.setting."+val, val), nil
		}
	case "activity_signup":
		switch field {
		case "Status":
			return admT(lang, "training.enrolment_status."+val, val), nil
		case "Attended":
			if val == "true" {
				return i18n.T(lang, "admin.yes"), nil
			}
			return i18n.T(lang, "admin.no"), nil
		}
	case "user", "invitation":
		if strings.HasPrefix(field, store.AuditFieldMail) {
			// Whether the login receives this mail.
			if val == "ja" {
				return i18n.T(lang, "admin.yes"), nil
			}
			return i18n.T(lang, "admin.no"), nil
		}
		if field == "Roles" {
			return rhList(val, func(g string) string {
				role, region, _ := strings.Cut(g, "@")
				region, practice, _ := strings.Cut(region, " (")
				out := admT(lang, "account_role."+role, role)
				if practice = strings.TrimSuffix(practice, ")"); practice != "" {
					out += ", " + practice
				}
				if region != "" {
					out += " (" + region + ")"
				}
				return out
			}), nil
		}
	}
	return n.plainValue(lang, field, val), nil
}

// newsLinks names an announcement's links ("{sessie 4} {groep 2}" as the
// audit wrote them) by their sessions and groups.
func (n *rhNamer) newsLinks(ctx context.Context, val string) (string, error) {
	var out []string
	for _, m := range rhNewsLink.FindAllStringSubmatch(val, -1) {
		id, _ := strconv.ParseInt(m[2], 10, 64)
		var name string
		var err error
		if m[1] == string(mtvp.NewsLinkGroup) {
			name, err = n.group(ctx, id)
		} else {
			name, err = n.session(ctx, id)
		}
		if err != nil {
			return "", err
		}
		out = append(out, name)
	}
	return strings.Join(out, ", "), nil
}

var rhNewsLink = regexp.MustCompile(`\{(\S+) (\d+)\}`)

// training, session and group name the records a change refers to.
func (n *rhNamer) training(ctx context.Context, id int64) (string, error) {
	if n.trainings == nil {
		n.trainings = map[int64]string{}
		ts, err := n.s.db.ListTrainings(ctx, n.reg.ID, true)
		if err != nil {
			return "", err
		}
		for _, t := range ts {
			n.trainings[t.ID] = t.Title
		}
	}
	if t, ok := n.trainings[id]; ok {
		return t, nil
	}
	return "#" + strconv.FormatInt(id, 10), nil
}

func (n *rhNamer) session(ctx context.Context, id int64) (string, error) {
	if n.sessions == nil {
		n.sessions = map[int64]string{}
	}
	if s, ok := n.sessions[id]; ok {
		return s, nil
	}
	label := "#" + strconv.FormatInt(id, 10)
	ses, err := n.s.db.SessionByID(ctx, id)
	switch {
	case err == nil && ses.RegionID == n.reg.ID:
		title, err := n.training(ctx, ses.TrainingID)
		if err != nil {
			return "", err
		}
		label = title
		if len(ses.Dates) > 0 {
			label += ", " + ses.Dates[0].Short()
		}
	case err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
		return "", err
	}
	n.sessions[id] = label
	return label, nil
}

func (n *rhNamer) group(ctx context.Context, id int64) (string, error) {
	if n.groups == nil {
		n.groups = map[int64]string{}
	}
	if g, ok := n.groups[id]; ok {
		return g, nil
	}
	label := "#" + strconv.FormatInt(id, 10)
	g, err := n.s.db.GroupByID(ctx, id)
	switch {
	case err == nil && g.RegionID == n.reg.ID:
		label = g.Name
	case err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
		return "", err
	}
	n.groups[id] = label
	return label, nil
}

// plainValue shows a value whose meaning does not depend on the record.
func (n *rhNamer) plainValue(lang, field, val string) string {
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
	case "Mandatory", "Disabled", "ShareParticipation", "TOTPEnabled", "Active", "Online", "Mixed":
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
	case "Locale":
		return admT(lang, "admin.history.locale."+val, val)
	case "EvidenceType":
		if _, kind, ok := strings.Cut(val, "/"); ok {
			return strings.ToUpper(kind)
		}
	}
	return historyClean(val)
}
