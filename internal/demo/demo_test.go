package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// The reference moment of the tests; any moment works.
var now = time.Date(2026, time.November, 22, 9, 0, 0, 0, time.UTC)

// fakeHash stands in for argon2id, which the app passes.
func fakeHash(pw string) (string, error) { return "test$" + pw, nil }

// snapshot is what the tests count in the database.
type snapshot struct {
	regions     int
	practices   map[string][]mtvp.PracticeSummary // by region code
	staff       map[int64][]mtvp.StaffMember      // all memberships, by practice id
	users       []mtvp.User
	audit       int64
	memberships int
}

func take(t *testing.T, db *store.DB) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{practices: map[string][]mtvp.PracticeSummary{}, staff: map[int64][]mtvp.StaffMember{}}
	regions, err := db.ListRegions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.regions = len(regions)
	for _, r := range regions {
		ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		s.practices[r.Code] = ps
		for _, p := range ps {
			st, err := db.Staff(ctx, p.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			s.staff[p.ID] = st
			s.memberships += len(st)
		}
	}
	if s.users, err = db.ListUsers(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if s.audit, err = db.AuditCount(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func load(t *testing.T, db *store.DB) demo.Result {
	t.Helper()
	res, err := demo.Load(context.Background(), db, fakeHash, now)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}

func TestLoadOnce(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	first := load(t, db)
	if first.AlreadyLoaded {
		t.Fatal("first Load reports AlreadyLoaded")
	}
	if v, err := db.Meta(ctx, demo.MetaKey); err != nil || v == "" {
		t.Fatalf("meta %s = %q, %v", demo.MetaKey, v, err)
	}
	before := take(t, db)
	if first.Practices != len(before.practices["zio"])+len(before.practices["primacura"]) || first.Memberships != before.memberships || first.Users != len(before.users) {
		t.Errorf("result counts %+v disagree with the database: %d+%d practices, %d memberships, %d users",
			first, len(before.practices["zio"]), len(before.practices["primacura"]), before.memberships, len(before.users))
	}

	second := load(t, db)
	if !second.AlreadyLoaded {
		t.Fatal("second Load does not report AlreadyLoaded")
	}
	if second.Practices != 0 || second.Users != 0 {
		t.Errorf("second Load reports created rows: %+v", second)
	}
	if len(second.Logins) != len(first.Logins) {
		t.Errorf("second Load lists %d logins, first %d", len(second.Logins), len(first.Logins))
	}
	after := take(t, db)
	if after.regions != before.regions || after.memberships != before.memberships || len(after.users) != len(before.users) ||
		after.audit != before.audit || len(after.practices["zio"]) != len(before.practices["zio"]) ||
		len(after.practices["primacura"]) != len(before.practices["primacura"]) {
		t.Errorf("second Load changed the database: before %d regions, %d memberships, %d users, %d audit entries; after %d, %d, %d, %d",
			before.regions, before.memberships, len(before.users), before.audit, after.regions, after.memberships, len(after.users), after.audit)
	}
}

// A demo region made by hand (or left by an interrupted load) without the
// marker: Load refuses instead of mixing data.
func TestLoadRefusesExistingRegion(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	r := mtvp.Region{Code: "zio", Name: "ZIO", Settings: mtvp.DefaultNormSettings()}
	if err := db.CreateRegion(ctx, mtvp.SystemActor, &r); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, db, fakeHash, now); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("Load over an existing region: %v", err)
	}
	if n, _ := db.AuditCount(ctx); n != 1 {
		t.Errorf("refused Load wrote %d audit entries", n-1)
	}
	if v, _ := db.Meta(ctx, demo.MetaKey); v != "" {
		t.Errorf("refused Load set the marker: %q", v)
	}
}

func TestContent(t *testing.T) {
	db := storetest.New(t)
	ctx := context.Background()
	res := load(t, db)
	s := take(t, db)

	if s.regions != 2 {
		t.Fatalf("%d regions, want 2", s.regions)
	}
	today := mtvp.DateOf(now)
	agbs := map[string]string{}
	bigs := map[string]int64{} // BIG → person id
	for code, ps := range s.practices {
		if len(ps) < 50 || len(ps) > 70 {
			t.Errorf("%s: %d practices, want about 60", code, len(ps))
		}
		region, err := db.RegionByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		sizes := map[string]int{}
		status := map[mtvp.PracticeStatus]int{}
		perConsultant := map[int64]int{}
		waves := map[string]int{}
		for _, p := range ps {
			if !mtvp.ValidAGB(p.AGB) || !strings.HasPrefix(p.AGB, "01") {
				t.Errorf("%s: bad AGB %q", p.Name, p.AGB)
			}
			if other, dup := agbs[p.AGB]; dup {
				t.Errorf("AGB %s used by %s and %s", p.AGB, other, p.Name)
			}
			agbs[p.AGB] = p.Name
			if p.Street == "" || p.City == "" || p.Postcode == "" {
				t.Errorf("%s: incomplete address %q %q %q", p.Name, p.Street, p.Postcode, p.City)
			}
			prefix := map[string][]string{"zio": {"62", "63"}, "primacura": {"48", "49", "50", "51"}}[code]
			if !hasAnyPrefix(p.Postcode, prefix) {
				t.Errorf("%s %s: postcode %s outside the region", code, p.Name, p.Postcode)
			}
			sizes[p.Size()]++
			status[p.Status]++
			if p.ConsultantID == 0 {
				t.Errorf("%s: no consultant", p.Name)
			}
			perConsultant[p.ConsultantID]++
			if p.Status != mtvp.PracticeInterested {
				if p.JoinedOn.IsZero() || p.JoinedOn.After(today) || p.JoinedOn.Before(region.ProgrammeStart) {
					t.Errorf("%s: joined %s outside programme start %s – today", p.Name, p.JoinedOn, region.ProgrammeStart)
				}
				waves[p.InflowWave]++
			}
			// Patients per GP FTE near the normpraktijk (2,095).
			if n := p.PatientsPerGPFTE(); n < 1500 || n > 3000 {
				t.Errorf("%s: %d patients on %.1f GP FTE: %d per FTE", p.Name, p.RegisteredPatients, p.GPFTE, n)
			}
			checkPatients(t, p)
			checkStaff(t, p, s.staff[p.ID], today, bigs)
		}
		// Size mix near the national 34 % solo, 43 % duo, 23 % group.
		n := float64(len(ps))
		for size, want := range map[string]float64{"solo": 0.34, "duo": 0.43, "groep": 0.23} {
			if got := float64(sizes[size]) / n; got < want-0.06 || got > want+0.06 {
				t.Errorf("%s: %.0f %% %s practices, want about %.0f %%", code, 100*got, size, 100*want)
			}
		}
		if status[mtvp.PracticeActive] < len(ps)*8/10 || status[mtvp.PracticeInterested] < 1 || status[mtvp.PracticeStopped] < 1 || status[mtvp.PracticeStopped] > 2 {
			t.Errorf("%s: statuses %v, want mostly actief, some aangemeld, one or two gestopt", code, status)
		}
		if len(waves) < 4 {
			t.Errorf("%s: practices joined in only %d quarters: %v", code, len(waves), waves)
		}
		if q := region.Settings.InflowQuotaPercent; q > 0 {
			for w, k := range waves {
				if k > len(ps)*q/100 {
					t.Errorf("%s: %d practices started in %s, quota %d %% of %d", code, k, w, q, len(ps))
				}
			}
		}
		consultants, err := db.Consultants(ctx, region.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(consultants) < 3 || len(perConsultant) != len(consultants) {
			t.Errorf("%s: %d consultants, %d of them with practices", code, len(consultants), len(perConsultant))
		}
		for id, k := range perConsultant {
			if k > 20 {
				t.Errorf("%s: consultant %d has %d practices, want ≤ 20", code, id, k)
			}
		}
		checkRegioplans(t, db, region)
	}

	// Locums: the same person at two practices, at least three per region.
	for code, ps := range s.practices {
		practicesOf := map[int64]map[int64]bool{}
		for _, p := range ps {
			for _, m := range s.staff[p.ID] {
				if m.To.IsZero() {
					if practicesOf[m.PersonID] == nil {
						practicesOf[m.PersonID] = map[int64]bool{}
					}
					practicesOf[m.PersonID][p.ID] = true
				}
			}
		}
		locums := 0
		for _, set := range practicesOf {
			if len(set) >= 2 {
				locums++
			}
		}
		if locums < 3 {
			t.Errorf("%s: %d people work at two practices, want ≥ 3", code, locums)
		}
	}

	checkLogins(t, db, res, s)
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func checkPatients(t *testing.T, p mtvp.PracticeSummary) {
	t.Helper()
	lo, hi := map[string][2]int{"solo": {2000, 2600}, "duo": {3500, 5000}, "groep": {6000, 12000}}[p.Size()][0],
		map[string][2]int{"solo": {2000, 2600}, "duo": {3500, 5000}, "groep": {6000, 12000}}[p.Size()][1]
	if p.RegisteredPatients < lo || p.RegisteredPatients > hi {
		t.Errorf("%s (%s, %.1f GP FTE): %d patients, want %d–%d", p.Name, p.Size(), p.GPFTE, p.RegisteredPatients, lo, hi)
	}
}

func checkStaff(t *testing.T, p mtvp.PracticeSummary, staff []mtvp.StaffMember, today mtvp.Date, bigs map[string]int64) {
	t.Helper()
	roles := map[mtvp.StaffRole]int{}
	for _, m := range staff {
		if m.To.IsZero() {
			roles[m.Role]++
		}
		if m.From.After(today) || (!m.To.IsZero() && m.To.After(today)) {
			t.Errorf("%s: %s %s from %s to %s after today", p.Name, m.Role, m.Person.Name, m.From, m.To)
		}
		if m.FTE < 0.1 || m.FTE > 1.0 {
			t.Errorf("%s: %s %s FTE %.2f", p.Name, m.Role, m.Person.Name, m.FTE)
		}
		if m.Person.Email == "" || !mtvp.ValidEmail(m.Person.Email) {
			t.Errorf("%s: %s has e-mail %q", p.Name, m.Person.Name, m.Person.Email)
		}
		switch m.Role {
		case mtvp.RolePraktijkhouder, mtvp.RoleHidha, mtvp.RoleVasteWaarnemer, mtvp.RolePOHSomatiek, mtvp.RolePOHGGZ:
			if !mtvp.ValidBIG(m.Person.BIG) {
				t.Errorf("%s: %s %s has BIG %q", p.Name, m.Role, m.Person.Name, m.Person.BIG)
			}
		}
		if m.Person.BIG != "" {
			if id, ok := bigs[m.Person.BIG]; ok && id != m.PersonID {
				t.Errorf("BIG %s used by two people", m.Person.BIG)
			}
			bigs[m.Person.BIG] = m.PersonID
		}
	}
	if roles[mtvp.RolePraktijkhouder] == 0 || roles[mtvp.RoleDoktersassistent] == 0 || roles[mtvp.RolePOHSomatiek] == 0 || roles[mtvp.RolePOHGGZ] == 0 {
		t.Errorf("%s: staff mix %v lacks a praktijkhouder, assistant or POH", p.Name, roles)
	}
	// About one assistant per 1,000–1,500 patients.
	if a := roles[mtvp.RoleDoktersassistent]; a < p.RegisteredPatients/1600 || a > p.RegisteredPatients/900+1 {
		t.Errorf("%s: %d assistants for %d patients", p.Name, a, p.RegisteredPatients)
	}
}

func checkRegioplans(t *testing.T, db *store.DB, region mtvp.Region) {
	t.Helper()
	ctx := context.Background()
	years, err := db.RegioplanYears(ctx, region.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(years) != 2 || years[1] != now.Year() {
		t.Errorf("%s: regioplan years %v, want the previous and current year", region.Code, years)
	}
	plan, err := db.Regioplan(ctx, region.ID, now.Year())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range mtvp.Conditions {
		if plan.Conditions[c] == "" {
			t.Errorf("%s: no text on how the region meets %s", region.Code, c)
		}
	}
	var codes []string
	mandatory := 0
	for _, i := range plan.Interventions {
		codes = append(codes, i.Code)
		if i.Mandatory {
			mandatory++
		}
		if i.Description == "" {
			t.Errorf("%s %s: no description", region.Code, i.Code)
		}
	}
	switch region.Code {
	case "zio":
		if got := strings.Join(codes, " "); got != "A.1 A.2 A.3 A.4 B.1 B.2 B.3 B.4 D.1 D.2" || mandatory != 0 {
			t.Errorf("zio: interventions %s, %d mandatory", got, mandatory)
		}
		if region.Settings.InflowQuotaPercent != 25 {
			t.Errorf("zio: inflow quota %d", region.Settings.InflowQuotaPercent)
		}
	case "primacura":
		if len(codes) != 6 || mandatory != 6 {
			t.Errorf("primacura: interventions %v, %d mandatory; want six mandatory", codes, mandatory)
		}
		def := mtvp.DefaultNormSettings()
		if region.Settings.IntervisionThreshold != def.IntervisionThreshold || len(region.Settings.Requirements) != len(def.Requirements) ||
			region.Settings.PriorLearningCutoff != def.PriorLearningCutoff {
			t.Errorf("primacura: settings %+v, want the defaults", region.Settings)
		}
	}
}

func checkLogins(t *testing.T, db *store.DB, res demo.Result, s snapshot) {
	t.Helper()
	ctx := context.Background()
	if len(res.Logins) != len(s.users) {
		t.Errorf("%d logins listed, %d users stored", len(res.Logins), len(s.users))
	}
	roles := map[mtvp.AccountRole]int{}
	multi := map[string]bool{}
	for _, l := range res.Logins {
		if !mtvp.IsDemoEmail(l.Email) {
			t.Errorf("login %s is not a demo address", l.Email)
		}
		if l.Password != demo.Password || l.Scope == "" || l.Name == "" {
			t.Errorf("login %+v incomplete", l)
		}
		u, err := db.UserByEmail(ctx, l.Email)
		if err != nil {
			t.Errorf("login %s not stored: %v", l.Email, err)
			continue
		}
		if len(u.Grants) != len(l.Roles) {
			t.Errorf("%s: %d grants stored, %d listed", l.Email, len(u.Grants), len(l.Roles))
		}
		for _, g := range u.Grants {
			roles[g.Role]++
		}
		if len(u.Grants) == 2 {
			multi[l.RoleText()] = true
		}
		cred, err := db.CredentialsByEmail(ctx, l.Email)
		if err != nil || cred.PasswordHash != "test$"+demo.Password {
			t.Errorf("%s: password hash %q, %v", l.Email, cred.PasswordHash, err)
		}
	}
	for _, r := range mtvp.AccountRoles {
		if roles[r] == 0 {
			t.Errorf("no demo login with role %s", r)
		}
	}
	if roles[mtvp.AccountPractice] < 4 {
		t.Errorf("%d practice logins, want at least two per region", roles[mtvp.AccountPractice])
	}
	if !multi["facilitator + practice"] || !multi["region-admin + consultant"] {
		t.Errorf("logins with two grants: %v; want an EKC who is also a GP and a manager who is also a consultant", multi)
	}
	// The EKC-GP works at the practice of their practice grant.
	for _, l := range res.Logins {
		if l.RoleText() != "facilitator + practice" {
			continue
		}
		u, _ := db.UserByEmail(ctx, l.Email)
		for _, g := range u.Grants {
			if g.Role != mtvp.AccountPractice {
				continue
			}
			found := false
			for _, m := range s.staff[g.PracticeID] {
				found = found || (m.Person.Name == u.Name && m.Role == mtvp.RolePraktijkhouder)
			}
			if !found {
				t.Errorf("%s is not a praktijkhouder at practice %d", u.Name, g.PracticeID)
			}
		}
	}
}

// Same seed, same data: two loads into two databases agree.
func TestDeterministic(t *testing.T) {
	a, b := storetest.New(t), storetest.New(t)
	load(t, a)
	load(t, b)
	sa, sb := take(t, a), take(t, b)
	for code := range sa.practices {
		pa, pb := sa.practices[code], sb.practices[code]
		if len(pa) != len(pb) {
			t.Fatalf("%s: %d vs %d practices", code, len(pa), len(pb))
		}
		for i := range pa {
			x, y := pa[i], pb[i]
			if x.AGB != y.AGB || x.Name != y.Name || x.RegisteredPatients != y.RegisteredPatients || x.JoinedOn != y.JoinedOn || x.StaffCount != y.StaffCount {
				t.Errorf("%s: practice %d differs: %+v vs %+v", code, i, x.Practice, y.Practice)
			}
		}
	}
}

func TestPrint(t *testing.T) {
	res, err := demo.Load(context.Background(), storetest.New(t), fakeHash, now)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := res.Print(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{demo.Password, "manager.zio@demo.meertijd.nl", "region-admin + consultant", "facilitator + practice", "beheer@demo.meertijd.nl"} {
		if !strings.Contains(out, want) {
			t.Errorf("printed logins lack %q:\n%s", want, out)
		}
	}
}

// BenchmarkLoad loads both regions into a fresh database per iteration
// (the database is made outside the timer).
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := storetest.New(b)
		b.StartTimer()
		if _, err := demo.Load(ctx, db, fakeHash, now); err != nil {
			b.Fatal(err)
		}
	}
}
