package mtvp

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Reminder kinds. Each has a region setting (on/off, days) and, where the
// reminder is about the recipient's own diary or work, a personal opt-out.
const (
	RemindMeeting      = "reminder.meeting"        // intervision meeting tomorrow (members)
	RemindSession      = "reminder.session"        // training session tomorrow (placed people)
	RemindPlanNotFinal = "reminder.plan_not_final" // plan not final N days before the deadline (practice)
	RemindClaimWaiting = "reminder.claim_waiting"  // claim pending more than N days (consultant)
	RemindVisitOverdue = "reminder.visit_overdue"  // planned visit date passed, not done (consultant)
	RemindNormAtRisk   = "reminder.norm_at_risk"   // a practice's requirement at risk (practice and its consultant)
	RemindGroupPlace   = "reminder.group_place"    // moved up from an intervision group's waiting list (person and practice)
	RemindSessionPlace = "reminder.session_place"  // moved up from a training session's waiting list (person and practice)
	// RemindActivityPlace: moved up from a learning activity's waiting list
	// (person and practice). Written with the change that gave the place
	// (store.ActivityNotice), not chosen by DueReminders; the region's
	// PlaceFree setting applies.
	RemindActivityPlace = "reminder.activity_place"
)

// ReminderRule is one region setting: on or off and its number of days.
type ReminderRule struct {
	On   bool
	Days int
}

// ReminderSettings are a region's reminder settings.
type ReminderSettings struct {
	Meeting      ReminderRule // Days before the meeting (1: the day before)
	Session      ReminderRule // Days before the session's first day
	PlanNotFinal ReminderRule // Days before PlanDeadline
	// PlanDeadline is the month and day ("03-31") by which a practice's plan
	// for the calendar year should be final.
	PlanDeadline string
	ClaimWaiting ReminderRule // a claim pending more than Days days; again every week
	VisitOverdue ReminderRule // Days after the planned date; again every week
	// NormAtRisk: a requirement the practice does not meet inside the
	// region's at-risk window (NormSettings.AtRiskDays before 31
	// December, see AtRisk). Days is the period: at most one mail per
	// requirement per Days days while it stays at risk (0: once a year).
	NormAtRisk ReminderRule
	// PlaceFree: someone moved up from a waiting list into a freed place
	// (intervision group or training session; promotion is automatic).
	// Days is the time to decline: the mail names that date, and a place
	// given back before it goes to the next one on the list.
	PlaceFree ReminderRule
}

// DefaultReminderSettings: everything on; meetings and sessions the day
// before; plans two weeks before 31 March; claims after 14 days; visits a
// week after the planned date; a norm at risk once per 30 days; a week to
// decline a place from the waiting list.
func DefaultReminderSettings() ReminderSettings {
	return ReminderSettings{
		Meeting: ReminderRule{true, 1}, Session: ReminderRule{true, 1},
		PlanNotFinal: ReminderRule{true, 14}, PlanDeadline: "03-31",
		ClaimWaiting: ReminderRule{true, 14}, VisitOverdue: ReminderRule{true, 7},
		NormAtRisk: ReminderRule{true, 30}, PlaceFree: ReminderRule{true, 7},
	}
}

// ReminderFacts are what the reminders of one region are chosen from.
type ReminderFacts struct {
	RegionID int64
	Settings ReminderSettings
	Meetings []ReminderEvent // intervision meetings on the dates reminded of (today + Days)
	Sessions []ReminderEvent // training sessions on the dates reminded of
	Plans    []ReminderPlan  // practices taking part, with their plan's state this year (needed only on PlanReminderDue days)
	Claims   []ReminderClaim // pending claims
	Visits   []ReminderVisit // planned visits (not done, not cancelled)
	// Norms and Standings: the region's norm settings and the standing of
	// each practice taking part this year (only loaded inside the at-risk
	// window; see AtRiskWindowOpen).
	Norms     NormSettings
	Standings []ReminderStanding
	// Promotions: waiting-list places given since PlaceFree.Days ago.
	Promotions []ReminderPromotion
	// Sent holds the memory keys (Reminder.Remember) of reminders already
	// sent: a norm at risk per period, a promotion once.
	Sent map[string]bool
}

// ReminderStanding is a practice's standing with its consultant.
type ReminderStanding struct {
	ConsultantID int64 // user id; 0: none
	Standing     Standing
}

// ReminderPromotion is a waiting-list place that became someone's: an
// intervision group member (Group) or a training enrolment (!Group).
type ReminderPromotion struct {
	ID         int64 // intervision_members or training_enrolments id
	Group      bool
	PersonID   int64
	PracticeID int64
	On         Date // the day of the promotion
}

// ReminderEvent is a meeting or session on a date with whom it concerns.
type ReminderEvent struct {
	ID         int64
	On         Date
	Recipients []int64 // person ids (members, placed people)
}

// ReminderPlan is a participating practice and whether its plan for the
// year is final.
type ReminderPlan struct {
	PracticeID int64
	Final      bool
}

// ReminderClaim is a pending prior-learning claim.
type ReminderClaim struct {
	ID           int64
	PracticeID   int64
	ConsultantID int64 // the practice's consultant (user id); 0: none
	SubmittedOn  Date
}

// ReminderVisit is a planned visit.
type ReminderVisit struct {
	ID           int64
	PracticeID   int64
	ConsultantID int64
	PlannedOn    Date
}

// Reminder is one reminder due: of a kind, about a subject (meeting,
// session, practice, claim or visit id), for a recipient (a person id for
// meetings and sessions, a practice id for plans, a consultant's user id
// for claims and visits), on a day. Kind, subject, recipient and day
// identify it: it is sent once.
type Reminder struct {
	Kind      string
	RegionID  int64
	Subject   int64
	Recipient int64
	On        Date
	Due       Date // the meeting's, session's, deadline's or planned date; a place's date to decline by
	// PracticeID: the practice concerned (norm at risk, places);
	// ConsultantID: its consultant, who gets a copy of a norm at risk.
	PracticeID   int64
	ConsultantID int64
	// Norms: the requirements at risk (norm at risk; all of them, even
	// those already mentioned this period).
	Norms []Requirement
	// Remember: memory keys to store once the reminder is written, so it
	// is not chosen again (ReminderFacts.Sent).
	Remember []string
}

// Key identifies the reminder for sending it once.
func (r Reminder) Key() string {
	return r.Kind + ":" + strconv.FormatInt(r.Subject, 10) + ":" + strconv.FormatInt(r.Recipient, 10) + ":" + r.On.String()
}

// DueReminders returns the reminders due on day for the facts of one
// region, ordered by kind, subject and recipient. Repeating reminders
// (claims, visits) fall on the day the limit is passed and every seventh
// day after, not daily.
func DueReminders(f ReminderFacts, day Date) []Reminder {
	s := f.Settings
	var out []Reminder
	add := func(kind string, subject, recipient int64, due Date) {
		out = append(out, Reminder{Kind: kind, RegionID: f.RegionID, Subject: subject, Recipient: recipient, On: day, Due: due})
	}
	events := func(kind string, rule ReminderRule, evs []ReminderEvent) {
		if !rule.On {
			return
		}
		target := day.AddDays(max(rule.Days, 0))
		for _, e := range evs {
			if e.On.Equal(target) {
				for _, p := range e.Recipients {
					add(kind, e.ID, p, e.On)
				}
			}
		}
	}
	events(RemindMeeting, s.Meeting, f.Meetings)
	events(RemindSession, s.Session, f.Sessions)
	if deadline, ok := PlanReminderDue(s, day); ok {
		for _, p := range f.Plans {
			if !p.Final {
				add(RemindPlanNotFinal, p.PracticeID, p.PracticeID, deadline)
			}
		}
	}
	// repeating: due on the day the limit passes, then weekly.
	repeating := func(since Date, days int) bool {
		n := daysBetween(since, day) - days
		return n >= 0 && n%7 == 0
	}
	if s.ClaimWaiting.On {
		for _, c := range f.Claims {
			if c.ConsultantID != 0 && repeating(c.SubmittedOn, s.ClaimWaiting.Days) {
				add(RemindClaimWaiting, c.ID, c.ConsultantID, c.SubmittedOn)
			}
		}
	}
	if s.VisitOverdue.On {
		for _, v := range f.Visits {
			if v.ConsultantID != 0 && repeating(v.PlannedOn, s.VisitOverdue.Days) {
				add(RemindVisitOverdue, v.ID, v.ConsultantID, v.PlannedOn)
			}
		}
	}
	if s.NormAtRisk.On {
		for _, rs := range f.Standings {
			out = append(out, normAtRisk(f, rs, day)...)
		}
	}
	if s.PlaceFree.On {
		for _, p := range f.Promotions {
			kind := RemindSessionPlace
			if p.Group {
				kind = RemindGroupPlace
			}
			key := kind + ":" + strconv.FormatInt(p.ID, 10)
			deadline := p.On.AddDays(max(s.PlaceFree.Days, 0))
			// Written once, and only while the date to decline has not passed.
			if f.Sent[key] || p.On.After(day) || deadline.Before(day) {
				continue
			}
			out = append(out, Reminder{Kind: kind, RegionID: f.RegionID, Subject: p.ID, Recipient: p.PersonID, On: day, Due: deadline,
				PracticeID: p.PracticeID, Remember: []string{key}})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		return a.Recipient < b.Recipient
	})
	return out
}

// daysBetween is the number of calendar days from a to b.
func daysBetween(a, b Date) int { return int(math.Round(b.t.Sub(a.t).Hours() / 24)) }

// AtRiskWindowOpen reports whether AtRisk can hold on day for day's year
// under s: fewer than s.AtRiskDays days are left. Outside the window the
// standings need not be loaded.
func AtRiskWindowOpen(s NormSettings, day Date) bool {
	return DaysLeft(day.Year(), day) < s.AtRiskDays
}

// NormRiskPeriod is the number of the period of days days (0: the whole
// year) that day falls in, counted from the first day of the at-risk
// window.
func NormRiskPeriod(s NormSettings, days int, day Date) int {
	if days <= 0 {
		return 0
	}
	first := YearEnd(day.Year()).AddDays(1 - s.AtRiskDays)
	return max(daysBetween(first, day), 0) / days
}

// normAtRisk is the norm-at-risk reminder of one practice on day: when
// the practice is at risk (AtRisk) and a requirement it does not meet has
// not been mentioned yet in this period, one reminder for the practice's
// accounts (Recipient: the practice) naming every requirement at risk, with
// ConsultantID for the consultant's copy.
func normAtRisk(f ReminderFacts, rs ReminderStanding, day Date) []Reminder {
	st := rs.Standing
	if st.Year != day.Year() || !AtRisk(st, f.Norms, day) {
		return nil
	}
	period := NormRiskPeriod(f.Norms, f.Settings.NormAtRisk.Days, day)
	var norms []Requirement
	var fresh []string
	for _, r := range st.Requirements {
		if r.Status != StatusNotMet {
			continue
		}
		norms = append(norms, r.Code)
		key := NormRiskKey(st.PracticeID, r.Code, st.Year, period)
		if !f.Sent[key] {
			fresh = append(fresh, key)
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	return []Reminder{{Kind: RemindNormAtRisk, RegionID: f.RegionID, Subject: st.PracticeID, Recipient: st.PracticeID, On: day,
		Due: YearEnd(st.Year), PracticeID: st.PracticeID, ConsultantID: rs.ConsultantID, Norms: norms, Remember: fresh}}
}

// NormRiskKey is the memory key of a requirement at risk in a period.
func NormRiskKey(practiceID int64, code Requirement, year, period int) string {
	return RemindNormAtRisk + ":" + strconv.FormatInt(practiceID, 10) + ":" + string(code) + ":" + strconv.Itoa(year) + ":" + strconv.Itoa(period)
}

// PlanReminderDue reports whether the plan reminder falls on day under s
// (on, and day is Days before the deadline of day's year) and returns that
// deadline. On other days the plans need not be loaded.
func PlanReminderDue(s ReminderSettings, day Date) (Date, bool) {
	if !s.PlanNotFinal.On {
		return Date{}, false
	}
	deadline, err := ParseDate(fmt.Sprintf("%d-%s", day.Year(), s.PlanDeadline))
	if err != nil || !deadline.AddDays(-max(s.PlanNotFinal.Days, 0)).Equal(day) {
		return Date{}, false
	}
	return deadline, true
}
