package web

import (
	"context"
	"strconv"

	"meertijd/internal/i18n"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The weekly digest. The job runner (internal/app) calls QueueDigests with
// the reminders; mtvp.BuildDigest chooses the numbers. Each region's
// digests of an ISO week are written once, in one transaction with the
// memory key "digest:{region}:{week}", so later runs that week (and after
// a restart) skip the region; each mail also has the dedupe key
// "digest:{user}:{region}:{week}". An empty digest (nothing changed,
// nothing waits) is not sent.

// digestMaxPractices is how many changed practices a digest names.
const digestMaxPractices = 10

type digestItem struct{ Text, Link string }

type digestSection struct {
	Title string
	Items []digestItem
}

type digestContent struct {
	Subject, Intro string
	Sections       []digestSection
}

// QueueDigests writes the week's digests of day into the outbox for
// regions that have none yet this ISO week and returns how many mails
// were new.
func (s *Server) QueueDigests(ctx context.Context, day mtvp.Date) (int, error) {
	regions, err := s.db.ListRegions(ctx)
	if err != nil {
		return 0, err
	}
	week, total := mtvp.ISOWeek(day), 0
	for _, reg := range regions {
		key := "digest:" + strconv.FormatInt(reg.ID, 10) + ":" + week
		done, err := s.db.Remembered(ctx, key)
		if err != nil {
			return total, err
		}
		if done {
			continue
		}
		mails, err := s.regionDigests(ctx, reg, day)
		if err != nil {
			return total, err
		}
		// Remembered until the week's Sunday at the latest: older keys
		// are never loaded by the reminders.
		n, err := s.db.EnqueueReminders(ctx, mails, []store.RememberedReminder{{Key: key, RegionID: reg.ID, Until: day.AddDays(7)}})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// digestRecipients are the region's enabled programme managers and
// consultants (a login with both gets the programme manager's digest).
func digestRecipients(users []mtvp.User, regionID int64) []mtvp.DigestRecipient {
	var out []mtvp.DigestRecipient
	for _, u := range users {
		if u.Disabled {
			continue
		}
		r := mtvp.DigestRecipient{UserID: u.ID}
		in := false
		for _, g := range u.Grants {
			if g.RegionID != regionID {
				continue
			}
			switch g.Role {
			case mtvp.AccountRegionAdmin:
				r.Admin, in = true, true
			case mtvp.AccountConsultant:
				in = true
			}
		}
		if in {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) regionDigests(ctx context.Context, reg mtvp.Region, day mtvp.Date) ([]*store.Mail, error) {
	users, err := s.db.ListUsers(ctx, reg.ID)
	if err != nil {
		return nil, err
	}
	recipients := digestRecipients(users, reg.ID)
	if len(recipients) == 0 {
		return nil, nil
	}
	facts, err := s.db.DigestFacts(ctx, reg.ID, day)
	if err != nil {
		return nil, err
	}
	byID := map[int64]mtvp.User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	var out []*store.Mail
	for _, rc := range recipients {
		u := byID[rc.UserID]
		opted, err := s.db.OptOuts(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if opted[mtvp.KindDigest] {
			continue
		}
		d := mtvp.BuildDigest(facts, rc, day)
		if d.Empty() {
			continue
		}
		to := mail.Recipient{Email: u.Email, Name: u.Name, Locale: u.Locale, UserID: u.ID}
		m, err := s.mail.Compose("digest", reg.ID, to, s.digestContent(reg, d, to.Locale), "/account/berichten")
		if err != nil {
			return nil, err
		}
		m.Kind = mtvp.KindDigest
		m.DedupeKey = "digest:" + strconv.FormatInt(u.ID, 10) + ":" + strconv.FormatInt(reg.ID, 10) + ":" + d.Week
		out = append(out, m)
	}
	return out, nil
}

// digestContent writes a digest's words in lang: counts with links, and
// the practices with the most changes.
func (s *Server) digestContent(reg mtvp.Region, d mtvp.Digest, lang string) digestContent {
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	base := admRegionURL(reg)
	c := digestContent{Subject: T("digest.subject", reg.Name, d.Week[len(d.Week)-2:]),
		Intro: T("digest.intro", dateText(lang, d.From), dateText(lang, d.To), d.Practices)}
	changed := digestSection{Title: T("digest.changed", d.Changes)}
	if d.Changes == 0 {
		changed.Title = T("digest.changed_none")
	}
	for i, p := range d.Changed {
		if i == digestMaxPractices {
			changed.Items = append(changed.Items, digestItem{Text: T("digest.more", len(d.Changed)-i), Link: s.mail.URL(base + "/praktijken")})
			break
		}
		changed.Items = append(changed.Items, digestItem{Text: T("digest.practice_changes", p.Name, p.Changes), Link: s.mail.URL(practiceURL(reg, p.PracticeID))})
	}
	c.Sections = append(c.Sections, changed)
	waits := digestSection{Title: T("digest.waits")}
	add := func(n int, key, link string) {
		if n > 0 {
			waits.Items = append(waits.Items, digestItem{Text: T(key, n), Link: s.mail.URL(link)})
		}
	}
	add(d.ClaimsToDecide, "digest.claims", base+"/scholing/aanvragen")
	add(d.PlansToComment, "digest.plans", base+"/plannen?jaar="+strconv.Itoa(d.To.AddDays(1).Year())+"&status="+string(mtvp.PlanDiscussion))
	add(d.VisitsOverdue, "digest.visits_overdue", base+"/bezoeken")
	add(d.VisitsDue, "digest.visits_due", base+"/bezoeken")
	add(d.AtRisk, "digest.at_risk", base+"/normen?status="+normStatusAtRisk)
	if len(waits.Items) > 0 {
		c.Sections = append(c.Sections, waits)
	}
	return c
}
