package web

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// The history pages name every audited record in words, one entry per
// kind of record: what it is (with its practice where it has one) and the
// page that shows it. A kind missing here shows "#id"; the test
// TestHistoryEveryEntityInWords renders every kind and fails on that.

// recordNamer names one record of the region: its text and its page ("" when
// it has none). It returns "" as text for a record that is gone.
type recordNamer func(n *rhNamer, ctx context.Context, lang string, id int64) (text, link string, err error)

var historyRecords = map[string]recordNamer{
	"region": func(n *rhNamer, _ context.Context, _ string, _ int64) (string, string, error) {
		return n.reg.Name, n.base + "/instellingen", nil
	},
	"practice": func(n *rhNamer, _ context.Context, _ string, id int64) (string, string, error) {
		return n.practices[id], n.base + "/praktijken/" + idStr(id), nil
	},
	"user": func(n *rhNamer, _ context.Context, _ string, id int64) (string, string, error) {
		return n.users[id], n.base + "/accounts/" + idStr(id) + "/bewerken", nil
	},
	"invitation": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		l, err := n.s.db.LinkByID(ctx, id)
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			return "", "", nil
		}
		return l.Email, n.base + "/uitnodigingen", err
	},
	"sso": func(n *rhNamer, _ context.Context, lang string, _ int64) (string, string, error) {
		return i18n.T(lang, "sso.title"), n.base + "/instellingen/sso", nil
	},
	"pulse_round": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		r, err := n.s.db.PulseRoundByID(ctx, id)
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			return "", "", nil
		}
		return i18n.T(lang, "pulse.start_title", pulseQuarter(lang, r.Quarter)), n.base + "/peiling", err
	},
	"regioplan": func(n *rhNamer, _ context.Context, lang string, id int64) (string, string, error) {
		y, ok := n.plans[id]
		if !ok {
			return "", "", nil
		}
		return i18n.T(lang, "admin.regioplan.title", y), n.base + "/regioplan/" + strconv.Itoa(y), nil
	},
	"intervention": func(n *rhNamer, _ context.Context, _ string, id int64) (string, string, error) {
		iv, ok := n.interventions[id]
		if !ok {
			return "", "", nil
		}
		y := strconv.Itoa(n.ivYear[id])
		return iv.Code + " " + iv.Title + " (" + y + ")", n.base + "/regioplan/" + y, nil
	},
	"person": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		name, err := n.person(ctx, id)
		return name, "", err
	},
	"membership": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		m, ok := n.memberships[id]
		if !ok {
			var err error
			m, err = n.s.db.MembershipByID(ctx, id)
			if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
				return "", "", err
			}
			n.memberships[id] = m
		}
		pname, ok := n.practices[m.PracticeID]
		if m.ID == 0 || !ok {
			return "", "", nil
		}
		name, err := n.person(ctx, m.PersonID)
		if err != nil {
			return "", "", err
		}
		return i18n.T(lang, "admin.history.membership", name, i18n.T(lang, "role."+string(m.Role)), pname), n.base + "/praktijken/" + idStr(m.PracticeID), nil
	},
	"news": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		it, ok, err := lookup(n.s.db.NewsByID(ctx, id))
		if !ok || it.RegionID != n.reg.ID {
			return "", "", err
		}
		return it.Title, n.base + "/nieuws/" + idStr(it.ID), nil
	},
	"training_proposal": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		p, ok, err := lookup(n.s.db.ProposalByID(ctx, id))
		if !ok || p.RegionID != n.reg.ID {
			return "", "", err
		}
		return n.ofPractice(lang, p.Title, p.PracticeID), n.base + "/scholing/voorstellen/" + idStr(p.ID), nil
	},
	"activity": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		a, ok, err := lookup(n.s.db.ActivityByID(ctx, id))
		if !ok || a.RegionID != n.reg.ID {
			return "", "", err
		}
		return a.Title + " (" + a.Date.Short() + ")", n.base + "/activiteiten/" + idStr(a.ID), nil
	},
	"activity_signup": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		su, ok, err := lookup(n.s.db.ActivitySignUpByID(ctx, id))
		if !ok {
			return "", "", err
		}
		if _, ok := n.practices[su.PracticeID]; !ok {
			return "", "", nil // not this region's
		}
		a, ok, err := lookup(n.s.db.ActivityByID(ctx, su.ActivityID))
		if !ok {
			return "", "", err
		}
		who, err := n.person(ctx, su.PersonID)
		if err != nil {
			return "", "", err
		}
		return n.ofPractice(lang, who+", "+a.Title, su.PracticeID), n.base + "/activiteiten/" + idStr(a.ID), nil
	},
	"practice_profile": func(n *rhNamer, _ context.Context, lang string, id int64) (string, string, error) {
		if _, ok := n.practices[id]; !ok {
			return "", "", nil
		}
		return n.ofPractice(lang, i18n.T(lang, "admin.entity.practice_profile"), id), n.base + "/praktijken/" + idStr(id) + "/profiel", nil
	},
	"visit": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		v, ok, err := lookup(n.s.db.VisitByID(ctx, id))
		if !ok || v.RegionID != n.reg.ID {
			return "", "", err
		}
		return n.ofPractice(lang, strconv.Itoa(v.Year), v.PracticeID), n.base + "/praktijken/" + idStr(v.PracticeID) + "/bezoeken/" + idStr(v.ID), nil
	},
	"agenda_upload": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		up, ok, err := lookup(n.s.db.AgendaUploadByID(ctx, id))
		if !ok || up.RegionID != n.reg.ID {
			return "", "", err
		}
		return n.ofPractice(lang, up.FileName, up.PracticeID), n.base + "/praktijken/" + idStr(up.PracticeID) + "/consultduur", nil
	},
	"plan": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		p, ok, err := lookup(n.s.db.PlanByID(ctx, id))
		if !ok || p.RegionID != n.reg.ID {
			return "", "", err
		}
		return n.ofPractice(lang, strconv.Itoa(p.Year), p.PracticeID), n.base + "/praktijken/" + idStr(p.PracticeID) + "/plan/" + strconv.Itoa(p.Year), nil
	},
	"claim": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		c, ok, err := lookup(n.s.db.ClaimByID(ctx, id))
		if !ok || c.RegionID != n.reg.ID {
			return "", "", err
		}
		who, err := n.person(ctx, c.PersonID)
		if err != nil {
			return "", "", err
		}
		return n.ofPractice(lang, who+", "+c.Title, c.PracticeID), n.base + "/scholing/aanvragen/" + idStr(c.ID), nil
	},
	"enrolment": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		e, ok, err := lookup(n.s.db.EnrolmentByID(ctx, id))
		if !ok {
			return "", "", err
		}
		if _, ok := n.practices[e.PracticeID]; !ok {
			return "", "", nil // not this region's
		}
		who, err := n.person(ctx, e.PersonID)
		if err != nil {
			return "", "", err
		}
		ses, err := n.session(ctx, e.SessionID)
		if err != nil {
			return "", "", err
		}
		return n.ofPractice(lang, who+", "+ses, e.PracticeID), "", nil
	},
	"completion": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		c, ok, err := lookup(n.s.db.CompletionByID(ctx, id))
		if !ok {
			return "", "", err
		}
		if _, ok := n.ownSession(ctx, c.SessionID); !ok {
			return "", "", nil
		}
		who, err := n.person(ctx, c.PersonID)
		if err != nil {
			return "", "", err
		}
		ses, err := n.session(ctx, c.SessionID)
		return who + ", " + ses, "", err
	},
	"training": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		t, err := n.training(ctx, id)
		if strings.HasPrefix(t, "#") {
			return "", "", err
		}
		return t, n.base + "/scholing/trainingen/" + idStr(id), err
	},
	"training_session": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		if _, ok := n.ownSession(ctx, id); !ok {
			return "", "", nil
		}
		s, err := n.session(ctx, id)
		return s, "", err
	},
	"training_themes": func(n *rhNamer, _ context.Context, lang string, _ int64) (string, string, error) {
		return i18n.T(lang, "admin.history.themes_of", n.reg.Name), n.base + "/scholing", nil
	},
	"intervision_group": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		g, err := n.group(ctx, id)
		if strings.HasPrefix(g, "#") {
			return "", "", err
		}
		return g, n.base + "/intervisie/" + idStr(id), err
	},
	"intervision_meeting": func(n *rhNamer, ctx context.Context, _ string, id int64) (string, string, error) {
		m, ok, err := lookup(n.s.db.MeetingByID(ctx, id))
		if !ok {
			return "", "", err
		}
		g, err := n.group(ctx, m.GroupID)
		if err != nil || strings.HasPrefix(g, "#") {
			return "", "", err
		}
		return g + ", " + m.Date.Short(), n.base + "/intervisie/" + idStr(m.GroupID), nil
	},
	"intervision_member": func(n *rhNamer, ctx context.Context, lang string, id int64) (string, string, error) {
		m, ok, err := lookup(n.s.db.GroupMemberByID(ctx, id))
		if !ok {
			return "", "", err
		}
		g, err := n.group(ctx, m.GroupID)
		if err != nil || strings.HasPrefix(g, "#") {
			return "", "", err
		}
		who, err := n.person(ctx, m.PersonID)
		if err != nil {
			return "", "", err
		}
		return n.ofPractice(lang, who+", "+g, m.PracticeID), n.base + "/intervisie/" + idStr(m.GroupID), nil
	},
	"compliance_snapshot": func(n *rhNamer, _ context.Context, lang string, _ int64) (string, string, error) {
		return i18n.T(lang, "admin.history.snapshot"), "", nil
	},
}

// ofPractice adds the practice a record belongs to: "2025 · De Linde".
func (n *rhNamer) ofPractice(lang, what string, practiceID int64) string {
	if p, ok := n.practices[practiceID]; ok {
		return i18n.T(lang, "admin.history.of_practice", what, p)
	}
	return what
}

// ownSession reports whether session id belongs to the region.
func (n *rhNamer) ownSession(ctx context.Context, id int64) (mtvp.TrainingSession, bool) {
	ses, err := n.s.db.SessionByID(ctx, id)
	return ses, err == nil && ses.RegionID == n.reg.ID
}

// lookup reads a record to name it: ok false when it is gone (not an
// error: the history outlives its records) or on err.
func lookup[T any](v T, err error) (T, bool, error) {
	if err != nil && mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return v, false, nil
	}
	return v, err == nil, err
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// Values written before the audit learnt to write lists and structs in
// words ("[]", "{0 }", "[a b]", "{12 Anna}") and times in Go's layout.
var (
	histLegacyStruct = regexp.MustCompile(`^\{\d+ ?(.*)\}$`)
	histGoTime       = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} [A-Z]+$`)
)

// historyClean turns any value that is not yet in words into words: empty
// lists and structs become "" (shown as "—"), a saved-by struct its name,
// a list its items joined, an ISO date or Go time the Dutch form.
func historyClean(val string) string {
	switch {
	case val == "[]" || val == "<nil>" || val == "map[]":
		return ""
	case histLegacyStruct.MatchString(val):
		return strings.TrimSpace(histLegacyStruct.FindStringSubmatch(val)[1])
	case strings.HasPrefix(val, "[") && strings.HasSuffix(val, "]"):
		return strings.Join(historyItems(val), ", ")
	case histGoTime.MatchString(val):
		if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", val); err == nil {
			return t.In(amsterdam).Format("02-01-2006 15:04")
		}
	case len(val) == 10:
		if d, err := mtvp.ParseDate(val); err == nil {
			return d.Short()
		}
	}
	return strings.ReplaceAll(val, " [gedaan]", " (gedaan)") // a visit's actions, as written before
}

// historyItems splits a list value: "a; b" as the audit writes lists now,
// "[a b]" as it wrote them before.
func historyItems(val string) []string {
	if inner, ok := strings.CutPrefix(val, "["); ok {
		return strings.Fields(strings.TrimSuffix(inner, "]"))
	}
	if val == "" {
		return nil
	}
	return strings.Split(val, "; ")
}
