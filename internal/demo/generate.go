package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	"unicode"

	"meertijd/internal/mtvp"
)

// The generator builds the whole demo data set in memory, deterministically
// for a given reference day; Load then writes it through the store. Keeping
// the two apart lets Load report the logins without writing anything when
// the data is already there.

// dataset is everything the demo writes.
type dataset struct {
	regions []*regionData
	users   []*userData // in creation order; practice grants last
}

type regionData struct {
	spec      regionSpec
	region    mtvp.Region
	plans     []mtvp.Regioplan
	practices []*practiceData
	people    []*personData
}

type practiceData struct {
	p          mtvp.Practice
	size       string // "solo", "duo", "groep"
	slug       string // ascii, for e-mail addresses
	domain     string // the practice's (fictitious) mail domain
	consultant *userData
	staff      []staffData
}

type personData struct {
	p mtvp.Person // ID set once written
}

type staffData struct {
	person *personData
	m      mtvp.Membership
}

type userData struct {
	u      mtvp.User // ID set once written
	grants []grantSpec
	scope  string // human description of the grants' scope
}

type grantSpec struct {
	role     mtvp.AccountRole
	region   *regionData
	practice *practiceData
}

// generator holds the random source and the uniqueness registers shared by
// both regions (AGB, BIG, KABIZ codes and practice names are unique over the
// whole demo).
type generator struct {
	today mtvp.Date
	rng   *rand.Rand
	agb   map[string]bool
	big   map[string]bool
	kabiz map[string]bool
	names map[string]bool // practice names
}

// Seeds of the random sources: the same numbers give the same data.
const (
	seedZIO       = 20240101
	seedPrimaCura = 20230101
)

// generate builds the demo data set for the reference day today.
func generate(today mtvp.Date) *dataset {
	g := &generator{today: today, agb: map[string]bool{}, big: map[string]bool{}, kabiz: map[string]bool{}, names: map[string]bool{}}
	ds := &dataset{}
	platform := &userData{
		u:      mtvp.User{Email: "beheer@" + mtvp.DemoEmailDomain, Name: "Platformbeheer meertijd"},
		grants: []grantSpec{{role: mtvp.AccountPlatformAdmin}},
		scope:  "alle regio's",
	}
	ds.users = append(ds.users, platform)
	var practiceLogins []*userData
	for _, rs := range []struct {
		spec regionSpec
		seed uint64
	}{{zioSpec(), seedZIO}, {primacuraSpec(), seedPrimaCura}} {
		g.rng = rand.New(rand.NewPCG(rs.seed, 0x6d747670))
		rd := g.region(rs.spec)
		ds.regions = append(ds.regions, rd)
		staffUsers := g.regionUsers(rd)
		ds.users = append(ds.users, staffUsers...)
		practiceLogins = append(practiceLogins, g.practiceUsers(rd)...)
	}
	// The EKC who is also a GP: facilitator in ZIO and a practice login for
	// the practice where they are praktijkhouder.
	zio := ds.regions[0]
	if p := pick(zio.practices, func(p *practiceData) bool {
		return p.size == "duo" && p.p.Status == mtvp.PracticeActive && !hasLogin(practiceLogins, p)
	}); p != nil {
		gp := p.staff[0].person.p
		practiceLogins = append(practiceLogins, &userData{
			u: mtvp.User{Email: "huisarts.ekc." + zio.spec.short + "@" + mtvp.DemoEmailDomain, Name: gp.Name},
			grants: []grantSpec{
				{role: mtvp.AccountFacilitator, region: zio},
				{role: mtvp.AccountPractice, region: zio, practice: p},
			},
			scope: zio.spec.name + "; " + p.p.Name,
		})
	}
	ds.users = append(ds.users, practiceLogins...)
	return ds
}

func pick(ps []*practiceData, ok func(*practiceData) bool) *practiceData {
	for _, p := range ps {
		if ok(p) {
			return p
		}
	}
	return nil
}

func hasLogin(users []*userData, p *practiceData) bool {
	for _, u := range users {
		for _, gr := range u.grants {
			if gr.practice == p {
				return true
			}
		}
	}
	return false
}

// ---- Region ----

func (g *generator) region(spec regionSpec) *regionData {
	rd := &regionData{spec: spec}
	rd.region = mtvp.Region{
		Code:           spec.code,
		Name:           spec.name,
		Insurers:       append([]string(nil), spec.insurers...),
		ProgrammeStart: spec.programmeStart,
		Settings:       spec.settings,
	}
	// The demo records consultant visits from last year on (demoVisits
	// visits practices last year and this year): a missing visit is "not
	// met" from January 1 of last year.
	if rd.region.Settings.VisitsRecordedFrom.IsZero() {
		rd.region.Settings.VisitsRecordedFrom = mtvp.NewDate(g.today.Year()-1, time.January, 1)
	}
	// Regioplans for the previous and the current calendar year, but never
	// before the programme started.
	cur := g.today.Year()
	for y := cur - 1; y <= cur; y++ {
		if y < spec.programmeStart.Year() {
			continue
		}
		offers := spec.offersCurrent
		if y < cur {
			offers = spec.offersPrev
		}
		rd.plans = append(rd.plans, mtvp.Regioplan{
			Year:           y,
			Conditions:     copyMap(spec.conditions),
			LearningOffers: append([]string(nil), offers...),
			Interventions:  positioned(spec.interventions),
		})
	}
	if len(rd.plans) == 0 { // today is before the programme: plan its first year
		rd.plans = append(rd.plans, mtvp.Regioplan{Year: spec.programmeStart.Year(), Conditions: copyMap(spec.conditions),
			LearningOffers: append([]string(nil), spec.offersPrev...), Interventions: positioned(spec.interventions)})
	}

	usedPeople := map[string]bool{}
	sizes := g.sizeMix(spec.practices)
	for _, size := range sizes {
		rd.practices = append(rd.practices, g.practice(rd, size, usedPeople))
	}
	g.locums(rd, usedPeople)
	g.inflow(rd)
	return rd
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func positioned(in []mtvp.Intervention) []mtvp.Intervention {
	out := append([]mtvp.Intervention(nil), in...)
	for i := range out {
		out[i].Position = i + 1
	}
	return out
}

// Share of practices by size in the Netherlands (domain.md).
const (
	shareSolo  = 0.34
	shareGroup = 0.23
)

// sizeMix returns n size classes in random order with the national mix.
func (g *generator) sizeMix(n int) []string {
	solo := int(math.Round(shareSolo * float64(n)))
	group := int(math.Round(shareGroup * float64(n)))
	var out []string
	for i := 0; i < n; i++ {
		switch {
		case i < solo:
			out = append(out, "solo")
		case i < solo+group:
			out = append(out, "groep")
		default:
			out = append(out, "duo")
		}
	}
	g.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// ---- Practices ----

// normpraktijk: registered patients per FTE GP (domain.md).
const normPatientsPerFTE = 2095

func (g *generator) practice(rd *regionData, size string, usedPeople map[string]bool) *practiceData {
	pd := &practiceData{size: size}
	t := g.town(rd.spec.towns)
	district := ""
	if len(t.districts) > 0 {
		district = t.districts[g.rng.IntN(len(t.districts))]
	}

	// Registered patients by size, then the GP capacity that goes with it:
	// roughly a normpraktijk (2,095) per FTE, with the spread real
	// practices show.
	var patients int
	var gpFTE float64
	switch size {
	case "solo":
		patients = g.between(2000, 2600)
		gpFTE = 1.0
		if patients > 2300 && g.rng.IntN(2) == 0 {
			gpFTE = 1.0 + 0.1*float64(1+g.rng.IntN(2)) // a vaste waarnemer 0.1–0.2
		}
	case "duo":
		patients = g.between(3500, 5000)
		gpFTE = clamp(round1(float64(patients)/float64(g.between(1950, 2400))), 1.4, 2.2)
	default:
		patients = g.between(6000, 12000)
		gpFTE = clamp(round1(float64(patients)/float64(g.between(1950, 2400))), 2.6, 6.0)
	}
	pd.p.RegisteredPatients = patients

	// The GP team.
	gps := g.gpTeam(size, gpFTE)
	for i, gp := range gps {
		person := g.person(rd, usedPeople, 0.55)
		if gp.role == mtvp.RolePraktijkhouder || gp.role == mtvp.RoleHidha || gp.role == mtvp.RoleVasteWaarnemer {
			person.p.BIG = g.uniqueDigits(g.big, 11)
		}
		var from mtvp.Date
		switch gp.role {
		case mtvp.RolePraktijkhouder:
			// The founder first, later partners joined.
			from = g.dateBetween(mtvp.NewDate(1988+4*i, 1, 1), g.today.AddDays(-400))
		default:
			from = g.dateBetween(mtvp.NewDate(2017, 1, 1), g.today.AddDays(-60))
		}
		pd.staff = append(pd.staff, staffData{person: person, m: mtvp.Membership{Role: gp.role, FTE: gp.fte, From: from}})
	}

	// Name and address, now the GPs' surnames are known.
	pd.p.Name = g.practiceName(size, t, district, pd)
	pd.slug = slug(strings.TrimSpace(stripPrefix(pd.p.Name)))
	pd.domain = mailDomain(pd.p.Name, pd.slug)
	g.address(pd, t, district)
	pd.p.AGB = "0105" + g.uniqueDigitsPrefixed(g.agb, "0105", 4)

	// Doktersassistenten: one per 1,000–1,500 registered patients.
	nAssist := max(1, int(math.Round(float64(patients)/float64(g.between(1000, 1500)))))
	for i := 0; i < nAssist; i++ {
		person := g.person(rd, usedPeople, 0.96)
		if g.rng.IntN(10) < 4 {
			person.p.KABIZ = g.uniqueDigits(g.kabiz, 6)
		}
		from := g.dateBetween(mtvp.NewDate(2004, 1, 1), g.today.AddDays(-30))
		pd.staff = append(pd.staff, staffData{person: person, m: mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: g.fte(0.4, 0.9), From: from}})
	}

	// POH-somatiek ≈ 0.55 FTE and POH-GGZ ≈ 0.3 FTE per normpraktijk.
	norm := float64(patients) / normPatientsPerFTE
	for _, poh := range []struct {
		role mtvp.StaffRole
		fte  float64
	}{{mtvp.RolePOHSomatiek, 0.55 * norm}, {mtvp.RolePOHGGZ, 0.3 * norm}} {
		n := max(1, int(math.Ceil(poh.fte/0.9)))
		each := clamp(round1(poh.fte/float64(n)), 0.2, 1.0)
		for i := 0; i < n; i++ {
			person := g.person(rd, usedPeople, 0.9)
			person.p.BIG = g.uniqueDigits(g.big, 11)
			from := g.dateBetween(mtvp.NewDate(2010, 1, 1), g.today.AddDays(-60))
			fte := clamp(round1(each+0.1*float64(g.rng.IntN(3)-1)), 0.2, 1.0)
			pd.staff = append(pd.staff, staffData{person: person, m: mtvp.Membership{Role: poh.role, FTE: fte, From: from}})
		}
	}

	// A praktijkmanager in most group practices and some duos.
	if (size == "groep" && g.rng.IntN(10) < 8) || (size == "duo" && g.rng.IntN(4) == 0) {
		person := g.person(rd, usedPeople, 0.75)
		lo, hi := 0.3, 0.5
		if size == "groep" {
			lo, hi = 0.5, 0.9
		}
		from := g.dateBetween(mtvp.NewDate(2012, 1, 1), g.today.AddDays(-90))
		pd.staff = append(pd.staff, staffData{person: person, m: mtvp.Membership{Role: mtvp.RolePraktijkmanager, FTE: g.fte(lo, hi), From: from}})
	}

	// Some practices have a former colleague whose membership ended.
	if g.rng.IntN(8) == 0 {
		role := []mtvp.StaffRole{mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RolePOHSomatiek, mtvp.RoleHidha}[g.rng.IntN(5)]
		person := g.person(rd, usedPeople, 0.85)
		if role != mtvp.RoleDoktersassistent {
			person.p.BIG = g.uniqueDigits(g.big, 11)
		}
		to := g.dateBetween(g.today.AddDays(-540), g.today.AddDays(-20))
		from := g.dateBetween(to.AddDays(-9*365), to.AddDays(-200))
		pd.staff = append(pd.staff, staffData{person: person, m: mtvp.Membership{Role: role, FTE: g.fte(0.4, 0.8), From: from, To: to}})
	}

	// E-mail addresses at the practice's domain.
	used := map[string]bool{}
	for _, s := range pd.staff {
		if s.person.p.Email == "" {
			s.person.p.Email = uniqueLocal(used, emailLocal(s.person.p.Name)) + "@" + pd.domain
		}
	}
	return pd
}

type gpSlot struct {
	role mtvp.StaffRole
	fte  float64
}

// gpTeam splits total GP FTE over praktijkhouders, hidha's and vaste
// waarnemers; the sum stays within the size class (solo ≤ 1.2, duo ≤ 2.2,
// group > 2.2) that PracticeSummary.Size uses.
func (g *generator) gpTeam(size string, total float64) []gpSlot {
	switch size {
	case "solo":
		out := []gpSlot{{mtvp.RolePraktijkhouder, 1.0}}
		if total > 1.0 {
			out = append(out, gpSlot{mtvp.RoleVasteWaarnemer, round1(total - 1.0)})
		}
		return out
	case "duo":
		if total >= 1.8 && g.rng.IntN(3) == 0 {
			h := round1(0.3 + 0.1*float64(g.rng.IntN(3)))
			rest := split(round1(total-h), 2, 0.5, 1.0, g)
			return []gpSlot{{mtvp.RolePraktijkhouder, rest[0]}, {mtvp.RolePraktijkhouder, rest[1]}, {mtvp.RoleHidha, h}}
		}
		rest := split(total, 2, 0.6, 1.0, g)
		return []gpSlot{{mtvp.RolePraktijkhouder, rest[0]}, {mtvp.RolePraktijkhouder, rest[1]}}
	}
	n := int(math.Round(total / 0.8))
	n = max(3, min(6, n))
	ftes := split(total, n, 0.5, 1.0, g)
	out := make([]gpSlot, n)
	owners := max(2, n-1-g.rng.IntN(2)) // one or two employed GPs
	if n == 3 {
		owners = 2 + g.rng.IntN(2)
	}
	for i := range out {
		out[i] = gpSlot{mtvp.RolePraktijkhouder, ftes[i]}
		if i >= owners {
			out[i].role = mtvp.RoleHidha
			if g.rng.IntN(3) == 0 {
				out[i].role = mtvp.RoleVasteWaarnemer
			}
		}
	}
	return out
}

// split divides total over n people, each within [lo, hi], in steps of 0.1,
// summing to total as closely as the bounds allow.
func split(total float64, n int, lo, hi float64, g *generator) []float64 {
	out := make([]float64, n)
	base := total / float64(n)
	for i := range out {
		out[i] = clamp(round1(base+0.1*float64(g.rng.IntN(3)-1)), lo, hi)
	}
	want := int(math.Round(total * 10))
	for iter := 0; iter < 100; iter++ {
		sum := 0
		for _, v := range out {
			sum += int(math.Round(v * 10))
		}
		if sum == want {
			break
		}
		i := iter % n
		if sum < want && out[i] < hi {
			out[i] = round1(out[i] + 0.1)
		} else if sum > want && out[i] > lo {
			out[i] = round1(out[i] - 0.1)
		}
	}
	return out
}

func (g *generator) town(ts []town) town {
	sum := 0
	for _, t := range ts {
		sum += t.weight
	}
	n := g.rng.IntN(sum)
	for _, t := range ts {
		if n < t.weight {
			return t
		}
		n -= t.weight
	}
	return ts[0]
}

// practiceName makes a unique, plausible name: after the GPs for many
// small practices, after a tree or landmark, or after the neighbourhood or
// village for group practices.
func (g *generator) practiceName(size string, t town, district string, pd *practiceData) string {
	place := district
	if place == "" {
		place = t.name
	}
	surname := func(i int) string { return surnameOf(pd.staff[i].person.p.Name) }
	motif := func() string { return practiceMotifs[g.rng.IntN(len(practiceMotifs))] }
	for attempt := 0; ; attempt++ {
		var name string
		r := g.rng.IntN(100)
		switch size {
		case "solo":
			switch {
			case r < 45:
				name = "Huisartsenpraktijk " + surname(0)
			case r < 80:
				name = "Huisartsenpraktijk " + motif()
			default:
				name = "Huisartsenpraktijk " + place
			}
		case "duo":
			switch {
			case r < 35:
				name = "Huisartsen " + surname(0) + " & " + surname(1)
			case r < 65:
				name = "Huisartsenpraktijk " + motif()
			default:
				name = "Huisartsen " + place
			}
		default:
			switch {
			case r < 50:
				name = "Gezondheidscentrum " + place
			case r < 75:
				name = "Huisartsengroep " + place
			default:
				name = "Medisch Centrum " + place
			}
		}
		if attempt > 20 { // lists exhausted: add the village
			name += " " + t.name
		}
		if attempt > 40 {
			name += fmt.Sprintf(" %d", attempt)
		}
		if !g.names[name] {
			g.names[name] = true
			return name
		}
	}
}

// surnameOf returns the surname of "First [tussenvoegsel] Surname" with a
// capital tussenvoegsel, as Dutch writes it without a first name:
// "Anne van der Heijden" → "Van der Heijden".
func surnameOf(name string) string {
	i := strings.IndexByte(name, ' ')
	s := name[i+1:]
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

var namePrefixes = []string{"Huisartsenpraktijk ", "Huisartsengroep ", "Huisartsen ", "Gezondheidscentrum ", "Medisch Centrum "}

func stripPrefix(name string) string {
	for _, p := range namePrefixes {
		if strings.HasPrefix(name, p) {
			return name[len(p):]
		}
	}
	return name
}

// mailDomain gives a practice a fictitious domain under the reserved
// .example top-level domain, so that no demo address can reach a real
// practice.
func mailDomain(name, slug string) string {
	switch {
	case strings.HasPrefix(name, "Gezondheidscentrum "):
		return "gc" + slug + ".example"
	case strings.HasPrefix(name, "Medisch Centrum "):
		return "mc" + slug + ".example"
	case strings.HasPrefix(name, "Huisartsengroep "):
		return "huisartsengroep" + slug + ".example"
	}
	return "huisarts" + slug + ".example"
}

// slug folds a name to lower-case ASCII letters and digits.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'á', 'à', 'â', 'ä':
			r = 'a'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'í', 'ì', 'î', 'ï':
			r = 'i'
		case 'ó', 'ò', 'ô', 'ö':
			r = 'o'
		case 'ú', 'ù', 'û', 'ü':
			r = 'u'
		case 'ç':
			r = 'c'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// emailLocal makes "a.vandenheuvel" of "Anne van den Heuvel".
func emailLocal(name string) string {
	i := strings.IndexByte(name, ' ')
	return slug(name[:1]) + "." + slug(name[i+1:])
}

func uniqueLocal(used map[string]bool, local string) string {
	l := local
	for n := 2; used[l]; n++ {
		l = fmt.Sprintf("%s%d", local, n)
	}
	used[l] = true
	return l
}

// districtPostcode is the 4-digit postcode of a neighbourhood: known ones
// from the town's list, others one fixed code of the town's range derived
// from the name, so practices in one neighbourhood share it.
func districtPostcode(t town, district string) int {
	if pc, ok := t.districtPC[district]; ok {
		return pc
	}
	h := 0
	for _, r := range district {
		h = (h*31 + int(r)) % 1000003
	}
	return t.pcFrom + h%(t.pcTo-t.pcFrom+1)
}

// Letters of Dutch postcodes; SA, SD and SS are not issued.
const postcodeLetters = "ABCDEFGHJKLMNPRSTVWXZ"

func (g *generator) address(pd *practiceData, t town, district string) {
	pd.p.City = t.name
	pc := t.pcFrom + g.rng.IntN(t.pcTo-t.pcFrom+1)
	if district != "" {
		pc = districtPostcode(t, district)
	}
	var letters string
	for {
		letters = string(postcodeLetters[g.rng.IntN(len(postcodeLetters))]) + string(postcodeLetters[g.rng.IntN(len(postcodeLetters))])
		if letters != "SA" && letters != "SD" && letters != "SS" {
			break
		}
	}
	pd.p.Postcode = fmt.Sprintf("%d %s", pc, letters)
	num := fmt.Sprint(1 + g.rng.IntN(180))
	if g.rng.IntN(8) == 0 {
		num += string("abc"[g.rng.IntN(3)])
	}
	pd.p.Street = t.streets[g.rng.IntN(len(t.streets))] + " " + num
}

// person invents a person of the region with a name not used before in it.
func (g *generator) person(rd *regionData, used map[string]bool, femaleShare float64) *personData {
	for attempt := 0; ; attempt++ {
		var first string
		if g.rng.Float64() < femaleShare {
			first = firstNamesFemale[g.rng.IntN(len(firstNamesFemale))]
		} else {
			first = firstNamesMale[g.rng.IntN(len(firstNamesMale))]
		}
		var last string
		if g.rng.IntN(10) < 6 {
			last = rd.spec.surnames[g.rng.IntN(len(rd.spec.surnames))]
		} else {
			last = surnamesCommon[g.rng.IntN(len(surnamesCommon))]
		}
		name := first + " " + last
		if attempt >= 40 { // a large region runs short of combinations: add an initial
			name = first + " " + string(rune('A'+attempt%26)) + ". " + last
		}
		if used[name] {
			continue
		}
		used[name] = true
		pd := &personData{p: mtvp.Person{Name: name}}
		rd.people = append(rd.people, pd)
		return pd
	}
}

// ---- Locums ----

// locumsPerRegion is how many waarnemers work at two practices.
const locumsPerRegion = 4

// locums adds GPs who work at two practices of the region: a vaste
// waarnemer at a group practice, and a vaste waarnemer (when the second
// practice's size class leaves room) or waarnemer at another one.
func (g *generator) locums(rd *regionData, usedPeople map[string]bool) {
	var groups []int
	for i, p := range rd.practices {
		if p.size == "groep" {
			groups = append(groups, i)
		}
	}
	usedPair := map[int]bool{}
	for l := 0; l < locumsPerRegion && len(groups) > 0; l++ {
		a := groups[g.rng.IntN(len(groups))]
		b := g.rng.IntN(len(rd.practices))
		for b == a || usedPair[b] {
			b = (b + 1) % len(rd.practices)
		}
		usedPair[b] = true
		person := g.person(rd, usedPeople, 0.55)
		person.p.BIG = g.uniqueDigits(g.big, 11)
		person.p.Email = emailLocal(person.p.Name) + "@waarneming.example"
		fteA := g.fte(0.2, 0.4)
		fteB := g.fte(0.1, 0.3)
		from := g.dateBetween(mtvp.NewDate(2019, 1, 1), g.today.AddDays(-120))
		rd.practices[a].staff = append(rd.practices[a].staff, staffData{person: person,
			m: mtvp.Membership{Role: mtvp.RoleVasteWaarnemer, FTE: fteA, From: from}})
		roleB := mtvp.RoleWaarnemer
		pb := rd.practices[b]
		if gpFTE(pb)+fteB <= maxGPFTE(pb.size) {
			roleB = mtvp.RoleVasteWaarnemer
		}
		pb.staff = append(pb.staff, staffData{person: person,
			m: mtvp.Membership{Role: roleB, FTE: fteB, From: g.dateBetween(from, g.today.AddDays(-30))}})
	}
}

// gpFTE sums the current FTE that PracticeSummary counts as GP capacity.
func gpFTE(p *practiceData) float64 {
	sum := 0.0
	for _, s := range p.staff {
		if s.m.To.IsZero() && (s.m.Role == mtvp.RolePraktijkhouder || s.m.Role == mtvp.RoleHidha || s.m.Role == mtvp.RoleVasteWaarnemer) {
			sum += s.m.FTE
		}
	}
	return round1(sum)
}

func maxGPFTE(size string) float64 {
	switch size {
	case "solo":
		return 1.2
	case "duo":
		return 2.2
	}
	return 6.5
}

// ---- Inflow ----

// inflow sets status, start date and wave. Regions with a quota let at most
// that share of their practices start per quarter; others let most start
// in the first quarter. A few practices have signed up but not started (their
// wave is the next quarter) and one or two stopped.
func (g *generator) inflow(rd *regionData) {
	n := len(rd.practices)
	start := rd.spec.programmeStart
	var quarters []mtvp.Date // first days of the quarters up to today
	for q := quarterStart(start); !q.After(g.today); q = nextQuarter(q) {
		quarters = append(quarters, q)
	}
	next := nextQuarter(quarterStart(g.today))
	quota := n
	if p := rd.spec.settings.InflowQuotaPercent; p > 0 {
		quota = max(1, n*p/100)
	}
	order := g.rng.Perm(n)
	interested := 2
	stopped := 1
	if rd.spec.settings.InflowQuotaPercent == 0 {
		stopped = 2
	}
	perWave := make([]int, len(quarters))
	for k, i := range order {
		p := &rd.practices[i].p
		draw := g.rng.Float64() // one draw per practice keeps the stream stable
		if k < interested || len(quarters) == 0 {
			p.Status = mtvp.PracticeInterested
			p.InflowWave = mtvp.WaveOf(next)
			continue
		}
		w := -1
		if rd.spec.settings.InflowQuotaPercent == 0 && draw < rd.spec.firstWaveShare {
			w = 0
		} else {
			// Later quarters are less likely: weight 1/(1+q/2), skipping
			// full waves (and, without a quota, the first one).
			total := 0.0
			for q := range quarters {
				if perWave[q] < quota && (rd.spec.settings.InflowQuotaPercent > 0 || q > 0 || len(quarters) == 1) {
					total += 1 / (1 + float64(q)/2)
				}
			}
			x := draw * total
			if rd.spec.settings.InflowQuotaPercent == 0 {
				x = (draw - rd.spec.firstWaveShare) / (1 - rd.spec.firstWaveShare) * total
			}
			for q := range quarters {
				if perWave[q] < quota && (rd.spec.settings.InflowQuotaPercent > 0 || q > 0 || len(quarters) == 1) {
					wt := 1 / (1 + float64(q)/2)
					if x < wt {
						w = q
						break
					}
					x -= wt
					w = q // rounding: fall back to the last open wave
				}
			}
		}
		if w < 0 { // every wave is full: waits for the next quarter
			p.Status = mtvp.PracticeInterested
			p.InflowWave = mtvp.WaveOf(next)
			continue
		}
		perWave[w]++
		p.JoinedOn = quarters[w]
		p.InflowWave = mtvp.WaveOf(quarters[w])
		p.Status = mtvp.PracticeActive
		if k < interested+stopped && w < len(quarters)-1 {
			p.Status = mtvp.PracticeStopped
		}
	}
}

func quarterStart(d mtvp.Date) mtvp.Date {
	return mtvp.NewDate(d.Year(), d.Month()-(d.Month()-1)%3, 1)
}

func nextQuarter(d mtvp.Date) mtvp.Date {
	t := d.Time().AddDate(0, 3, 0)
	return mtvp.NewDate(t.Year(), t.Month(), 1)
}

// ---- Users ----

// regionUsers makes the region's programme manager, consultants, EKC and
// funder logins and assigns every practice to a consultant: practices sorted
// by postcode, so each consultant has an area.
func (g *generator) regionUsers(rd *regionData) []*userData {
	s := rd.spec
	mail := func(local string) string { return local + "." + s.short + "@" + mtvp.DemoEmailDomain }
	manager := &userData{u: mtvp.User{Email: mail("manager"), Name: s.managerName},
		grants: []grantSpec{{role: mtvp.AccountRegionAdmin, region: rd}}, scope: s.name}
	users := []*userData{manager}
	var consultants []*userData
	if s.managerConsults {
		manager.grants = append(manager.grants, grantSpec{role: mtvp.AccountConsultant, region: rd})
		consultants = append(consultants, manager)
	}
	for i, name := range s.consultants {
		c := &userData{u: mtvp.User{Email: mail(fmt.Sprintf("consulent%d", i+1)), Name: name},
			grants: []grantSpec{{role: mtvp.AccountConsultant, region: rd}}, scope: s.name}
		users = append(users, c)
		consultants = append(consultants, c)
	}
	users = append(users,
		&userData{u: mtvp.User{Email: mail("ekc"), Name: s.facilitatorName},
			grants: []grantSpec{{role: mtvp.AccountFacilitator, region: rd}}, scope: s.name},
		&userData{u: mtvp.User{Email: mail(strings.ToLower(s.funder)), Name: s.funderName},
			grants: []grantSpec{{role: mtvp.AccountFunder, region: rd}}, scope: s.name})

	// Caseloads: a programme manager who also consults takes a smaller
	// share (about half); the rest is split evenly.
	sorted := append([]*practiceData(nil), rd.practices...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].p.Postcode < sorted[j].p.Postcode })
	weights := make([]float64, len(consultants))
	total := 0.0
	for i := range consultants {
		weights[i] = 1
		if s.managerConsults && i == 0 {
			weights[i] = 0.5
		}
		total += weights[i]
	}
	idx, acc := 0, 0.0
	for k, p := range sorted {
		for idx < len(consultants)-1 && float64(k) >= (acc+weights[idx])/total*float64(len(sorted)) {
			acc += weights[idx]
			idx++
		}
		p.consultant = consultants[idx]
	}
	return users
}

// practiceUsers gives a solo, a duo and a group practice of the region a
// practice login, in the name of its praktijkmanager or first GP.
func (g *generator) practiceUsers(rd *regionData) []*userData {
	var out []*userData
	for _, size := range []string{"solo", "duo", "groep"} {
		p := pick(rd.practices, func(p *practiceData) bool { return p.size == size && p.p.Status == mtvp.PracticeActive })
		if p == nil {
			continue
		}
		name := p.staff[0].person.p.Name
		for _, s := range p.staff {
			if s.m.Role == mtvp.RolePraktijkmanager {
				name = s.person.p.Name
			}
		}
		out = append(out, &userData{
			u:      mtvp.User{Email: "praktijk." + p.slug + "@" + mtvp.DemoEmailDomain, Name: name},
			grants: []grantSpec{{role: mtvp.AccountPractice, region: rd, practice: p}},
			scope:  rd.spec.name + "; " + p.p.Name,
		})
	}
	return out
}

// ---- Small helpers ----

// between returns an integer in [lo, hi].
func (g *generator) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// fte returns an FTE in [lo, hi] in steps of 0.1.
func (g *generator) fte(lo, hi float64) float64 {
	steps := int(math.Round((hi - lo) * 10))
	return round1(lo + 0.1*float64(g.rng.IntN(steps+1)))
}

// dateBetween returns a day in [a, b]; b when b is before a. It always
// takes one draw, so the random stream (and with it every name) does not
// depend on the reference day.
func (g *generator) dateBetween(a, b mtvp.Date) mtvp.Date {
	n := g.rng.IntN(1 << 30)
	days := int(b.Time().Sub(a.Time()).Hours() / 24)
	if days <= 0 {
		return b
	}
	return a.AddDays(n % (days + 1))
}

// uniqueDigits returns a new n-digit number (no leading zero) not in used.
func (g *generator) uniqueDigits(used map[string]bool, n int) string {
	lo := int64(math.Pow10(n - 1))
	for {
		s := fmt.Sprint(lo + g.rng.Int64N(9*lo))
		if !used[s] {
			used[s] = true
			return s
		}
	}
}

// uniqueDigitsPrefixed returns n digits that, after prefix, are not in used.
func (g *generator) uniqueDigitsPrefixed(used map[string]bool, prefix string, n int) string {
	for {
		s := fmt.Sprintf("%0*d", n, g.rng.IntN(int(math.Pow10(n))))
		if !used[prefix+s] {
			used[prefix+s] = true
			return s
		}
	}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
