package mtvp

import "testing"

func TestNewsAudience(t *testing.T) {
	day := MustDate("2026-12-03")
	admin := NewsReader{Roles: []AccountRole{AccountRegionAdmin}}
	prQ1 := NewsReader{Roles: []AccountRole{AccountPractice}, Waves: []string{"2025-Q1"}}
	prQ3 := NewsReader{Roles: []AccountRole{AccountPractice}, Waves: []string{"2025-Q3"}}
	ekcPractice := NewsReader{Roles: []AccountRole{AccountFacilitator, AccountPractice}, Waves: []string{"2025-Q3"}}
	base := NewsItem{ID: 1, PublishOn: MustDate("2026-12-01")}
	cases := []struct {
		name string
		edit func(*NewsItem)
		r    NewsReader
		want bool
	}{
		{"everyone", func(*NewsItem) {}, prQ1, true},
		{"practices only: admin not", func(n *NewsItem) { n.Roles = []AccountRole{AccountPractice} }, admin, false},
		{"practices only: practice", func(n *NewsItem) { n.Roles = []AccountRole{AccountPractice} }, prQ1, true},
		{"wave Q1: practice of Q1", func(n *NewsItem) { n.Waves = []string{"2025-Q1"} }, prQ1, true},
		{"wave Q1: practice of Q3 not", func(n *NewsItem) { n.Waves = []string{"2025-Q1"} }, prQ3, false},
		{"wave Q1: admin not narrowed", func(n *NewsItem) { n.Waves = []string{"2025-Q1"} }, admin, true},
		{"wave Q1 to practices: EKC+practice of Q3 not", func(n *NewsItem) { n.Roles = []AccountRole{AccountPractice}; n.Waves = []string{"2025-Q1"} }, ekcPractice, false},
		{"wave Q1, everyone: EKC role reads it", func(n *NewsItem) { n.Waves = []string{"2025-Q1"} }, ekcPractice, true},
		{"no roles at all", func(*NewsItem) {}, NewsReader{}, false},
	}
	for _, c := range cases {
		n := base
		c.edit(&n)
		if got := n.For(c.r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Live and read.
	future := NewsItem{ID: 2, PublishOn: MustDate("2026-12-04")}
	expired := NewsItem{ID: 3, PublishOn: MustDate("2026-11-01"), ExpiresOn: MustDate("2026-12-02")}
	lastDay := NewsItem{ID: 4, PublishOn: MustDate("2026-11-01"), ExpiresOn: day}
	got := HomeNews([]NewsItem{base, future, expired, lastDay}, prQ1, map[int64]bool{1: true}, day)
	if len(got) != 1 || got[0].ID != 4 {
		t.Errorf("home news %+v", got)
	}
}

func TestNewsValidate(t *testing.T) {
	ok := NewsItem{Title: "Nieuws", Body: "Tekst", PublishOn: MustDate("2026-12-01")}
	cases := []struct {
		name  string
		edit  func(*NewsItem)
		field string
	}{
		{"ok", func(*NewsItem) {}, ""},
		{"no title", func(n *NewsItem) { n.Title = " " }, "title"},
		{"no body", func(n *NewsItem) { n.Body = "" }, "body"},
		{"bad role", func(n *NewsItem) { n.Roles = []AccountRole{"koning"} }, "roles"},
		{"bad wave", func(n *NewsItem) { n.Waves = []string{"2025-5"} }, "waves"},
		{"wave lower case ok", func(n *NewsItem) { n.Waves = []string{"2025-q2"} }, ""},
		{"expires before publish", func(n *NewsItem) { n.ExpiresOn = MustDate("2026-11-30") }, "expires_on"},
		{"no publish date", func(n *NewsItem) { n.PublishOn = Date{} }, "publish_on"},
		{"bad link", func(n *NewsItem) { n.Links = []NewsLink{{Kind: "x", ID: 1}} }, "links"},
	}
	for _, c := range cases {
		n := ok
		c.edit(&n)
		n.Normalize()
		f := FieldErrorsOf(n.Validate())
		if c.field == "" && len(f) > 0 || c.field != "" && f[c.field] == "" {
			t.Errorf("%s: %v, want error on %q", c.name, f, c.field)
		}
	}
}

func TestNewsletterMonth(t *testing.T) {
	m, ok := ParseMonth("2026-12")
	if !ok || m.String() != "2026-12" || m.Last().String() != "2026-12-31" || m.Next().String() != "2027-01" {
		t.Fatalf("month %v %v", m, ok)
	}
	for _, bad := range []string{"2026-13", "2026-1", "26-12", ""} {
		if _, ok := ParseMonth(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
	items := []NewsItem{{ID: 1, PublishOn: MustDate("2026-11-30")}, {ID: 2, PublishOn: MustDate("2026-12-01")},
		{ID: 3, PublishOn: MustDate("2026-12-31"), Roles: []AccountRole{AccountConsultant}}}
	if got := NewsletterItems(items, m, nil); len(got) != 2 {
		t.Errorf("all %+v", got)
	}
	r := NewsReader{Roles: []AccountRole{AccountPractice}}
	if got := NewsletterItems(items, m, &r); len(got) != 1 || got[0].ID != 2 {
		t.Errorf("for practice %+v", got)
	}
	ss := []TrainingSession{{ID: 1, Dates: []Date{MustDate("2026-11-30")}}, {ID: 2, Dates: []Date{MustDate("2026-12-10")}},
		{ID: 3, Dates: []Date{MustDate("2027-01-31")}}, {ID: 4, Dates: []Date{MustDate("2027-02-01")}}}
	if got := NewsletterSessions(ss, m, MustDate("2026-11-15")); len(got) != 2 || got[0].ID != 2 || got[1].ID != 3 {
		t.Errorf("sessions %+v", got)
	}
	if got := NewsletterSessions(ss, m, MustDate("2026-12-11")); len(got) != 1 || got[0].ID != 3 {
		t.Errorf("sessions after the 11th: %+v", got)
	}
	// Activities: the same window; a shadowing or scan (one host practice)
	// is not for the whole region.
	acts := []Activity{{ID: 1, Date: MustDate("2026-11-30")}, {ID: 2, Date: MustDate("2026-12-10")},
		{ID: 3, Date: MustDate("2026-12-12"), HostPracticeID: 7}, {ID: 4, Date: MustDate("2027-01-31")}, {ID: 5, Date: MustDate("2027-02-01")}}
	if got := NewsletterActivities(acts, m, MustDate("2026-11-15")); len(got) != 2 || got[0].ID != 2 || got[1].ID != 4 {
		t.Errorf("activities %+v", got)
	}
	if got := NewsletterActivities(acts, m, MustDate("2026-12-11")); len(got) != 1 || got[0].ID != 4 {
		t.Errorf("activities after the 11th: %+v", got)
	}
}
