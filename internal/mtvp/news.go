package mtvp

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Region news (issue 16 §4): announcements for an audience, shown on the
// home page until read or expired, gathered per month in a newsletter.

// NewsLink points an announcement at a session or an intervision group.
type NewsLink struct {
	Kind string `json:"kind"` // "sessie" or "groep"
	ID   int64  `json:"id"`
}

// News link kinds.
const (
	NewsLinkSession = "sessie"
	NewsLinkGroup   = "groep"
)

// KindNewsletter is the monthly newsletter's mail kind (and its opt-out).
const KindNewsletter = "newsletter"

// UnsubscribeLinkValidity is how long the personal unsubscribe link of a
// newsletter mail works: the mail may sit in an inbox for months, and a
// mail provider's one-click unsubscribe (RFC 8058) may come any time.
const UnsubscribeLinkValidity = 365 * 24 * time.Hour

// ReceivesNewsletter reports whether u can get a region's newsletter (a
// newsletter goes to the logins with a grant in its region), so may switch
// it off.
func (u *User) ReceivesNewsletter() bool { return len(u.RegionIDs()) > 0 }

// NewsItem is one announcement of a region.
type NewsItem struct {
	ID       int64
	RegionID int64
	Title    string
	Body     string // small markup (internal/markup)
	Links    []NewsLink
	// Audience: the roles and inflow waves it is for; empty = everyone.
	// Waves only narrow practice logins (others have no wave).
	Roles      []AccountRole
	Waves      []string
	PublishOn  Date
	ExpiresOn  Date // zero: never
	AuthorID   int64
	AuthorName string
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// NewsRoles are the roles an announcement may be addressed to.
var NewsRoles = []AccountRole{AccountRegionAdmin, AccountConsultant, AccountPractice, AccountFacilitator, AccountFunder}

// Normalize trims input and drops duplicate roles and waves.
func (n *NewsItem) Normalize() {
	n.Title = strings.TrimSpace(n.Title)
	n.Body = strings.TrimSpace(n.Body)
	var waves []string
	for _, w := range n.Waves {
		w = strings.ToUpper(strings.TrimSpace(w))
		if w != "" && !slices.Contains(waves, w) {
			waves = append(waves, w)
		}
	}
	n.Waves = waves
	var roles []AccountRole
	for _, r := range n.Roles {
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	n.Roles = roles
}

var newsWavePattern = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)

// Validate checks an announcement.
func (n *NewsItem) Validate() error {
	f := FieldErrors{}
	if n.Title == "" {
		f.Add("title", "err.required")
	} else if len(n.Title) > 200 {
		f.Add("title", "err.too_long")
	}
	if n.Body == "" {
		f.Add("body", "err.required")
	} else if len(n.Body) > 20000 {
		f.Add("body", "err.too_long")
	}
	for _, r := range n.Roles {
		if !slices.Contains(NewsRoles, r) {
			f.Add("roles", "news.err.role")
		}
	}
	for _, w := range n.Waves {
		if !newsWavePattern.MatchString(w) {
			f.Add("waves", "news.err.wave")
		}
	}
	if n.PublishOn.IsZero() {
		f.Add("publish_on", "err.required")
	}
	if !n.ExpiresOn.IsZero() && !n.PublishOn.IsZero() && n.ExpiresOn.Before(n.PublishOn) {
		f.Add("expires_on", "news.err.expires_before_publish")
	}
	for _, l := range n.Links {
		if (l.Kind != NewsLinkSession && l.Kind != NewsLinkGroup) || l.ID <= 0 {
			f.Add("links", "news.err.link")
		}
	}
	return f.Err()
}

// Live reports whether the announcement is published and not expired on
// day.
func (n NewsItem) Live(day Date) bool {
	return !n.PublishOn.After(day) && (n.ExpiresOn.IsZero() || !n.ExpiresOn.Before(day))
}

// NewsReader is what decides whether an announcement is for a login in a
// region: its roles there and the inflow waves of its practices.
type NewsReader struct {
	Roles []AccountRole
	Waves []string
}

// ReaderIn describes u in region; waves maps u's practices to their
// inflow wave. Platform admins read as region admins.
func (u *User) ReaderIn(region int64, waves map[int64]string) NewsReader {
	var r NewsReader
	if u.IsPlatformAdmin() {
		r.Roles = append(r.Roles, AccountRegionAdmin)
	}
	for _, g := range u.Grants {
		if g.RegionID != region {
			continue
		}
		if !slices.Contains(r.Roles, g.Role) {
			r.Roles = append(r.Roles, g.Role)
		}
		if g.Role == AccountPractice {
			if w := waves[g.PracticeID]; w != "" && !slices.Contains(r.Waves, w) {
				r.Waves = append(r.Waves, w)
			}
		}
	}
	return r
}

// For reports whether the announcement is addressed to the reader: one of
// its roles is in the audience (no roles: everyone), and when waves are
// set, a practice reader must have one of them (other roles are not
// narrowed by waves).
func (n NewsItem) For(r NewsReader) bool {
	for _, role := range r.Roles {
		if len(n.Roles) > 0 && !slices.Contains(n.Roles, role) {
			continue
		}
		if role != AccountPractice || len(n.Waves) == 0 {
			return true
		}
		for _, w := range r.Waves {
			if slices.Contains(n.Waves, w) {
				return true
			}
		}
	}
	return false
}

// HomeNews is what a reader's home page shows: live, addressed to it and
// not read yet, newest first as given.
func HomeNews(items []NewsItem, r NewsReader, read map[int64]bool, day Date) []NewsItem {
	var out []NewsItem
	for _, n := range items {
		if n.Live(day) && !read[n.ID] && n.For(r) {
			out = append(out, n)
		}
	}
	return out
}

// Month is a calendar month ("2026-12").
type Month struct {
	Year  int
	Month time.Month
}

var monthPattern = regexp.MustCompile(`^([0-9]{4})-(0[1-9]|1[0-2])$`)

// ParseMonth reads "yyyy-mm".
func ParseMonth(s string) (Month, bool) {
	m := monthPattern.FindStringSubmatch(s)
	if m == nil {
		return Month{}, false
	}
	y, mo := 0, 0
	for _, c := range m[1] {
		y = y*10 + int(c-'0')
	}
	for _, c := range m[2] {
		mo = mo*10 + int(c-'0')
	}
	return Month{y, time.Month(mo)}, true
}

// MonthOf is the month of a day.
func MonthOf(d Date) Month { return Month{d.Year(), d.Month()} }

func (m Month) String() string { return NewDate(m.Year, m.Month, 1).String()[:7] }

// First and Last are the month's first and last day.
func (m Month) First() Date { return NewDate(m.Year, m.Month, 1) }
func (m Month) Last() Date  { return m.Next().First().AddDays(-1) }

// Next is the month after m.
func (m Month) Next() Month {
	if m.Month == time.December {
		return Month{m.Year + 1, time.January}
	}
	return Month{m.Year, m.Month + 1}
}

// NewsletterItems are the announcements of a month's newsletter: published
// in that month, for the audience r (nil: everyone — the printable page of
// the region), in the order given.
func NewsletterItems(items []NewsItem, m Month, r *NewsReader) []NewsItem {
	var out []NewsItem
	for _, n := range items {
		if n.PublishOn.Before(m.First()) || n.PublishOn.After(m.Last()) {
			continue
		}
		if r != nil && !n.For(*r) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// NewsletterSessions are the upcoming sessions of the newsletter: those
// starting from the month's first day (not before today) up to the end of
// the next month.
func NewsletterSessions(sessions []TrainingSession, m Month, today Date) []TrainingSession {
	var out []TrainingSession
	from, until := m.First(), m.Next().Last()
	if today.After(from) {
		from = today
	}
	for _, s := range sessions {
		d := s.FirstDate()
		if d.IsZero() || d.Before(from) || d.After(until) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// NewsletterActivities keeps the activities open to the whole region
// (network meetings and kinds a region adds — not a shadowing or a scan,
// which belong to one host practice) from today or the month's first day
// to the end of the next month, as NewsletterSessions does for sessions.
func NewsletterActivities(acts []Activity, m Month, today Date) []Activity {
	var out []Activity
	from, until := m.First(), m.Next().Last()
	if today.After(from) {
		from = today
	}
	for _, a := range acts {
		if a.HostPracticeID != 0 || a.Date.IsZero() || a.Date.Before(from) || a.Date.After(until) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// Access policy of news.

// CanWriteNews: the region admin.
func (u *User) CanWriteNews(region int64) bool { return u.CanAdminRegion(region) }

// CanReadNews: everyone in the region (the home page shows what is for
// them; the newsletter page shows the month's news).
func (u *User) CanReadNews(region int64) bool { return u.CanSeeRegion(region) }

// Text names the month in lang: "december 2026", "December 2026".
func (m Month) Text(lang string) string {
	if lang == "en" {
		return m.First().Time().Format("January 2006")
	}
	return dutchMonths[m.Month-1] + " " + m.First().Time().Format("2006")
}
