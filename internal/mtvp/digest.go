package mtvp

import (
	"fmt"
	"sort"
)

// The weekly digest: one mail a week to each programme manager (the whole
// region) and consultant (their own practices) with what changed in those
// practices in the past seven days and what waits for them. BuildDigest
// chooses the numbers from a region's facts; the mail shows counts with
// links, never people.

// KindDigest is the digest's mail kind (and its opt-out).
const KindDigest = "digest.weekly"

// DigestFacts are what a region's digests are built from.
type DigestFacts struct {
	RegionID  int64
	Practices []DigestPractice // practices taking part
	// Changes: changes recorded (audit log) about a practice in the week
	// before the digest's day.
	Changes []DigestChange
	Claims  []ReminderClaim // pending prior-learning claims
	// Discussion: practices whose plan for the year is in discussion
	// (shared with the team): the consultant reads and comments.
	Discussion []int64
	Visits     []ReminderVisit // planned visits (not done, not cancelled)
	AtRisk     []int64         // practices at risk (AtRisk) on the day
}

// DigestPractice is a practice taking part with its consultant.
type DigestPractice struct {
	ID           int64
	Name         string
	ConsultantID int64 // user id; 0: none
}

// DigestChange is one recorded change about a practice.
type DigestChange struct {
	PracticeID int64
	On         Date
}

// DigestRecipient is a login receiving a region's digest: a programme
// manager sees every practice, a consultant the practices they are the
// consultant of.
type DigestRecipient struct {
	UserID int64
	Admin  bool
}

// DigestPracticeChanges counts one practice's changes in the week.
type DigestPracticeChanges struct {
	PracticeID int64
	Name       string
	Changes    int
}

// Digest is one recipient's weekly digest.
type Digest struct {
	Week     string // ISO week, "2026-W49"
	From, To Date   // the week looked back on: From up to and including To
	// Practices: how many practices the recipient looks after.
	Practices int
	// Changed: the practices with changes, most changes first.
	Changed []DigestPracticeChanges
	Changes int
	// What waits.
	ClaimsToDecide int
	PlansToComment int
	VisitsDue      int // planned in the coming seven days
	VisitsOverdue  int // planned date passed
	AtRisk         int
}

// Empty reports whether nothing changed and nothing waits: no mail then.
func (d Digest) Empty() bool {
	return d.Changes == 0 && d.ClaimsToDecide == 0 && d.PlansToComment == 0 && d.VisitsDue == 0 && d.VisitsOverdue == 0 && d.AtRisk == 0
}

// ISOWeek is day's ISO 8601 week, "2026-W49" (the digest is sent once per
// recipient per ISO week).
func ISOWeek(day Date) string {
	y, w := day.Time().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// BuildDigest is to's digest on day: changes from seven days before day
// up to yesterday, and what waits on day.
func BuildDigest(f DigestFacts, to DigestRecipient, day Date) Digest {
	d := Digest{Week: ISOWeek(day), From: day.AddDays(-7), To: day.AddDays(-1)}
	mine := map[int64]string{}
	for _, p := range f.Practices {
		if to.Admin || (to.UserID != 0 && p.ConsultantID == to.UserID) {
			mine[p.ID] = p.Name
		}
	}
	d.Practices = len(mine)
	changed := map[int64]int{}
	for _, c := range f.Changes {
		if _, ok := mine[c.PracticeID]; ok && !c.On.Before(d.From) && !c.On.After(d.To) {
			changed[c.PracticeID]++
			d.Changes++
		}
	}
	for id, n := range changed {
		d.Changed = append(d.Changed, DigestPracticeChanges{PracticeID: id, Name: mine[id], Changes: n})
	}
	sort.Slice(d.Changed, func(i, j int) bool {
		a, b := d.Changed[i], d.Changed[j]
		if a.Changes != b.Changes {
			return a.Changes > b.Changes
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.PracticeID < b.PracticeID
	})
	for _, c := range f.Claims {
		if _, ok := mine[c.PracticeID]; ok {
			d.ClaimsToDecide++
		}
	}
	for _, id := range f.Discussion {
		if _, ok := mine[id]; ok {
			d.PlansToComment++
		}
	}
	week := day.AddDays(7)
	for _, v := range f.Visits {
		if _, ok := mine[v.PracticeID]; !ok {
			continue
		}
		switch {
		case v.PlannedOn.Before(day):
			d.VisitsOverdue++
		case v.PlannedOn.Before(week):
			d.VisitsDue++
		}
	}
	for _, id := range f.AtRisk {
		if _, ok := mine[id]; ok {
			d.AtRisk++
		}
	}
	return d
}
