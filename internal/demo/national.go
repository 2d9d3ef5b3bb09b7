package demo

// A national data set for the benchmarks (issue 6): by default 40 regions,
// 5,000 practices (the first region has 200) and about 80,000 people, with
// the same realistic mix as the demo — practice sizes, staff, locums at two
// practices, inflow waves, consultants — and the demo's activity builders
// for plans, intervision, training and claims. Deterministic for a seed and
// reference moment. Written with the store's bulk methods, one transaction
// per region and area, with summary audit entries.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// NationalOptions shape the national data set; zero fields take the
// defaults of the issue.
type NationalOptions struct {
	Regions   int // default 40
	Practices int // default 5,000 over all regions
	People    int // default 80,000 (approximate: 16 per practice)
	// LargestRegion is the number of practices of the first region
	// (default 200, at most Practices); the others share the rest.
	LargestRegion int
	Seed          uint64    // default 2026
	Now           time.Time // reference moment; default clock.Now()
}

func (o NationalOptions) withDefaults() NationalOptions {
	if o.Regions <= 0 {
		o.Regions = 40
	}
	if o.Practices <= 0 {
		o.Practices = 5000
	}
	if o.People <= 0 {
		o.People = o.Practices * 16
	}
	if o.LargestRegion <= 0 {
		o.LargestRegion = 200
	}
	o.LargestRegion = min(o.LargestRegion, o.Practices-(o.Regions-1))
	if o.Seed == 0 {
		o.Seed = 2026
	}
	if o.Now.IsZero() {
		o.Now = clock.Now()
	}
	return o
}

// NationalResult counts what LoadNational wrote.
type NationalResult struct {
	Regions                                       []string // codes; the first is the largest region
	Practices, People, Memberships, Users         int
	Plans, Groups, Members, Meetings, Attended    int
	Trainings, Completions, Enrolments, Claims    int
	PracticesPerRegion                            []int
	ApprovedClaims, PendingClaims, RejectedClaims int
}

// NationalRegionCode is the code of national region i (0-based): "nl01"….
func NationalRegionCode(i int) string { return fmt.Sprintf("nl%02d", i+1) }

// LoadNational writes the national data set. It refuses a database that
// already holds its first region.
func LoadNational(ctx context.Context, db *store.DB, o NationalOptions) (NationalResult, error) {
	o = o.withDefaults()
	var res NationalResult
	if o.Regions > len(nationalAreas) || o.Practices < o.Regions {
		return res, fmt.Errorf("demo: national set of %d regions and %d practices not supported", o.Regions, o.Practices)
	}
	if _, err := db.RegionByCode(ctx, NationalRegionCode(0)); err == nil {
		return res, fmt.Errorf("demo: the national data set is already loaded")
	} else if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		return res, err
	}
	today := mtvp.DateOf(o.Now)
	sizes := make([]int, o.Regions)
	sizes[0] = o.LargestRegion
	rest := o.Practices - o.LargestRegion
	for i := 1; i < o.Regions; i++ {
		sizes[i] = rest / (o.Regions - 1)
		if i <= rest%(o.Regions-1) {
			sizes[i]++
		}
	}
	g := &generator{today: today, agb: map[string]bool{}, big: map[string]bool{}, kabiz: map[string]bool{}, names: map[string]bool{}}
	a := mtvp.SystemActor
	for r := 0; r < o.Regions; r++ {
		g.rng = rand.New(rand.NewPCG(o.Seed, uint64(r)+1))
		spec := g.nationalSpec(r, sizes[r])
		rd := g.region(spec)
		// The national set has no consultant visits: its regions do not
		// record them in meertijd (yet), so the annual visit is "not
		// recorded" rather than "not met" for all 5,000 practices.
		rd.region.Settings.VisitsRecordedFrom = mtvp.Date{}
		g.topUp(rd, int(math.Round(float64(o.People)*float64(sizes[r])/float64(o.Practices))))
		users := g.regionUsers(rd)

		// Region, regioplans and logins (no password: they are not for
		// signing in).
		if err := db.CreateRegion(ctx, a, &rd.region); err != nil {
			return res, fmt.Errorf("demo: national region %s: %w", spec.code, err)
		}
		for i := range rd.plans {
			rd.plans[i].RegionID = rd.region.ID
			if err := db.SaveRegioplan(ctx, a, &rd.plans[i]); err != nil {
				return res, fmt.Errorf("demo: regioplan %s: %w", spec.code, err)
			}
		}
		for _, u := range users {
			u.u.Grants = nil
			for _, gr := range u.grants {
				u.u.Grants = append(u.u.Grants, mtvp.Grant{Role: gr.role, RegionID: rd.region.ID})
			}
			if err := db.CreateUser(ctx, a, &u.u, ""); err != nil {
				return res, fmt.Errorf("demo: national user %s: %w", u.u.Email, err)
			}
		}
		res.Users += len(users)

		// Practices, people, memberships.
		b := &store.PeopleBatch{AuditSummary: true}
		seen := map[*personData]bool{}
		addRegionPeople(b, seen, rd)
		if err := db.BulkPeople(ctx, a, b); err != nil {
			return res, fmt.Errorf("demo: national people %s: %w", spec.code, err)
		}
		res.Regions = append(res.Regions, spec.code)
		res.PracticesPerRegion = append(res.PracticesPerRegion, len(b.Practices))
		res.Practices += len(b.Practices)
		res.People += len(b.Persons)
		res.Memberships += len(b.Memberships)

		// Activity, read back as the demo reads it.
		reg, err := db.RegionByID(ctx, rd.region.ID)
		if err != nil {
			return res, err
		}
		in, err := readRegion(ctx, db, reg, today)
		if err != nil {
			return res, err
		}
		in.advanced = true
		pb := &store.PlanBatch{Plans: buildPlans(in, o.Now), AuditSummary: true}
		ib := &store.IntervisionBatch{AuditSummary: true}
		buildIntervision(ib, in, o.Now, rand.New(rand.NewPCG(o.Seed, 1000+uint64(r))), max(3, len(in.practices)/5))
		tb := &store.TrainingBatch{AuditSummary: true}
		buildTraining(tb, in, o.Now, max(4, len(in.practices)/4))
		if err := db.BulkPlans(ctx, a, pb); err != nil {
			return res, fmt.Errorf("demo: national plans %s: %w", spec.code, err)
		}
		if err := db.BulkIntervision(ctx, a, ib); err != nil {
			return res, fmt.Errorf("demo: national intervision %s: %w", spec.code, err)
		}
		if err := db.BulkTraining(ctx, a, tb); err != nil {
			return res, fmt.Errorf("demo: national training %s: %w", spec.code, err)
		}
		res.Plans += len(pb.Plans)
		res.Groups += len(ib.Groups)
		res.Members += len(ib.Members)
		res.Meetings += len(ib.Meetings)
		res.Attended += len(ib.Attendance)
		res.Trainings += len(tb.Trainings)
		res.Completions += len(tb.Completions)
		res.Enrolments += len(tb.Enrolments)
		res.Claims += len(tb.Claims)
		for _, c := range tb.Claims {
			switch c.Claim.Status {
			case mtvp.ClaimApproved:
				res.ApprovedClaims++
			case mtvp.ClaimRejected:
				res.RejectedClaims++
			default:
				res.PendingClaims++
			}
		}
	}
	if err := db.Analyze(ctx); err != nil {
		return res, err
	}
	return res, nil
}

// nationalSpec makes region i with n practices: three in four follow
// PrimaCura (six mandatory interventions, every norm, all start at once),
// the others ZIO (a menu to choose from, intervision, plan and visit, a
// quarterly inflow quota).
func (g *generator) nationalSpec(i, n int) regionSpec {
	area := nationalAreas[i]
	var s regionSpec
	if i%4 == 3 {
		s = zioSpec()
		s.surnames = surnamesLimburg
	} else {
		s = primacuraSpec()
		s.surnames = surnamesBrabant
	}
	s.code, s.short = NationalRegionCode(i), NationalRegionCode(i)
	s.name = "Huisartsenzorg " + area.name
	s.practices = n
	s.towns = area.towns(1000 + 220*i)
	s.programmeStart = mtvp.NewDate(2023+i%2, time.January, 1)
	s.managerName = g.plainName()
	s.managerConsults = i%3 == 0
	s.consultants = nil
	for k := 0; k < max(2, n/15); k++ {
		s.consultants = append(s.consultants, g.plainName())
	}
	s.facilitatorName = g.plainName()
	s.funderName = g.plainName() + " (" + s.funder + ")"
	return s
}

// plainName is a name for a login (not a staff member).
func (g *generator) plainName() string {
	first := firstNamesFemale[g.rng.IntN(len(firstNamesFemale))]
	if g.rng.IntN(2) == 0 {
		first = firstNamesMale[g.rng.IntN(len(firstNamesMale))]
	}
	return first + " " + surnamesCommon[g.rng.IntN(len(surnamesCommon))]
}

// topUp adds staff until the region has want people: assistants, practice
// nurses, a practice manager or other staff, at practices chosen by size.
func (g *generator) topUp(rd *regionData, want int) {
	used := map[string]bool{}
	for _, p := range rd.people {
		used[p.p.Name] = true
	}
	total := 0
	for _, p := range rd.practices {
		total += p.p.RegisteredPatients
	}
	roles := []mtvp.StaffRole{mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent,
		mtvp.RolePOHSomatiek, mtvp.RolePOHSomatiek, mtvp.RolePOHGGZ, mtvp.RoleOverig, mtvp.RoleOverig, mtvp.RoleHidha}
	for len(rd.people) < want && total > 0 {
		x := g.rng.IntN(total)
		var pd *practiceData
		for _, p := range rd.practices {
			if x < p.p.RegisteredPatients {
				pd = p
				break
			}
			x -= p.p.RegisteredPatients
		}
		role := roles[g.rng.IntN(len(roles))]
		person := g.person(rd, used, 0.85)
		switch role {
		case mtvp.RoleDoktersassistent:
			if g.rng.IntN(10) < 4 {
				person.p.KABIZ = g.uniqueDigits(g.kabiz, 6)
			}
		case mtvp.RoleOverig:
		default:
			person.p.BIG = g.uniqueDigits(g.big, 11)
		}
		person.p.Email = emailLocal(person.p.Name) + fmt.Sprintf("%d@", len(rd.people)) + pd.domain
		from := g.dateBetween(mtvp.NewDate(2008, 1, 1), g.today.AddDays(-30))
		fte := g.fte(0.2, 0.8)
		if role == mtvp.RoleHidha {
			fte = g.fte(0.2, 0.4) // a small employed GP share keeps the practice in its size class
		}
		pd.staff = append(pd.staff, staffData{person: person, m: mtvp.Membership{Role: role, FTE: fte, From: from}})
	}
}

// nationalArea is a region of the national set with its towns.
type nationalArea struct {
	name  string
	names []string // towns, the largest first
}

// towns gives the area's towns postcodes from pc on, the first (the city)
// with neighbourhoods and most of the practices.
func (a nationalArea) towns(pc int) []town {
	streets := []string{"Stationsstraat", "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Julianastraat", "Wilhelminalaan",
		"Beatrixlaan", "Marktplein", "Nieuwstraat", "Parallelweg", "Kastanjelaan", "Eikenlaan", "Burgemeester de Withstraat"}
	var out []town
	for i, n := range a.names {
		t := town{name: n, pcFrom: pc + 10*i, pcTo: pc + 10*i + 5, weight: 3, streets: streets}
		if i == 0 {
			t.pcTo, t.weight = pc+9, 8
			t.districts = []string{"Centrum", "Noord", "Oost", "Zuid", "West", "De Hoven", "Het Zand", "Molenwijk", "De Bongerd", "Stadsweide"}
		}
		out = append(out, t)
	}
	return out
}

var nationalAreas = []nationalArea{
	{"Groningen", []string{"Groningen", "Hoogezand", "Winschoten", "Delfzijl"}},
	{"Friesland", []string{"Leeuwarden", "Sneek", "Heerenveen", "Drachten"}},
	{"Drenthe", []string{"Assen", "Emmen", "Meppel", "Hoogeveen"}},
	{"Twente", []string{"Enschede", "Hengelo", "Almelo", "Oldenzaal"}},
	{"Salland", []string{"Deventer", "Raalte", "Rijssen", "Holten"}},
	{"Achterhoek", []string{"Doetinchem", "Winterswijk", "Zutphen", "Lochem"}},
	{"Arnhem", []string{"Arnhem", "Velp", "Oosterbeek", "Zevenaar"}},
	{"Nijmegen", []string{"Nijmegen", "Wijchen", "Beuningen", "Groesbeek"}},
	{"Rivierenland", []string{"Tiel", "Culemborg", "Geldermalsen", "Zaltbommel"}},
	{"Gelderse Vallei", []string{"Ede", "Wageningen", "Veenendaal", "Barneveld"}},
	{"Utrecht", []string{"Utrecht", "Nieuwegein", "Houten", "Maarssen"}},
	{"Utrecht-West", []string{"Woerden", "Montfoort", "IJsselstein", "Mijdrecht"}},
	{"Eemland", []string{"Amersfoort", "Soest", "Baarn", "Leusden"}},
	{"Gooi en Vecht", []string{"Hilversum", "Bussum", "Huizen", "Weesp"}},
	{"Amsterdam", []string{"Amsterdam", "Amstelveen", "Diemen", "Ouder-Amstel"}},
	{"Zaanstreek-Waterland", []string{"Zaandam", "Purmerend", "Wormerveer", "Monnickendam"}},
	{"Noord-Holland Noord", []string{"Alkmaar", "Den Helder", "Hoorn", "Heerhugowaard"}},
	{"Kennemerland", []string{"Haarlem", "Heemstede", "Velsen", "Bloemendaal"}},
	{"Haarlemmermeer", []string{"Hoofddorp", "Nieuw-Vennep", "Badhoevedorp", "Zwanenburg"}},
	{"Leiden", []string{"Leiden", "Leiderdorp", "Oegstgeest", "Katwijk"}},
	{"Haaglanden", []string{"Den Haag", "Rijswijk", "Voorburg", "Leidschendam"}},
	{"Delft-Westland", []string{"Delft", "Naaldwijk", "Monster", "Pijnacker"}},
	{"Rotterdam", []string{"Rotterdam", "Schiedam", "Capelle aan den IJssel", "Vlaardingen"}},
	{"Rijnmond-Zuid", []string{"Spijkenisse", "Hellevoetsluis", "Barendrecht", "Ridderkerk"}},
	{"Drechtsteden", []string{"Dordrecht", "Zwijndrecht", "Sliedrecht", "Papendrecht"}},
	{"Zeeland", []string{"Middelburg", "Vlissingen", "Goes", "Terneuzen"}},
	{"West-Brabant", []string{"Breda", "Roosendaal", "Bergen op Zoom", "Oosterhout"}},
	{"Midden-Brabant", []string{"Tilburg", "Waalwijk", "Oisterwijk", "Dongen"}},
	{"Noordoost-Brabant", []string{"'s-Hertogenbosch", "Oss", "Uden", "Veghel"}},
	{"Zuidoost-Brabant", []string{"Eindhoven", "Helmond", "Veldhoven", "Geldrop"}},
	{"De Kempen", []string{"Veldhoven", "Eersel", "Bladel", "Reusel"}},
	{"Noord-Limburg", []string{"Venlo", "Venray", "Horst", "Tegelen"}},
	{"Midden-Limburg", []string{"Roermond", "Weert", "Echt", "Maasbracht"}},
	{"Westelijke Mijnstreek", []string{"Sittard", "Geleen", "Stein", "Beek"}},
	{"Parkstad", []string{"Heerlen", "Kerkrade", "Landgraaf", "Brunssum"}},
	{"Flevoland", []string{"Almere", "Lelystad", "Dronten", "Emmeloord"}},
	{"IJsselland", []string{"Zwolle", "Kampen", "Hardenberg", "Dalfsen"}},
	{"Noord-Veluwe", []string{"Harderwijk", "Ermelo", "Nunspeet", "Elburg"}},
	{"Midden-Holland", []string{"Gouda", "Alphen aan den Rijn", "Waddinxveen", "Bodegraven"}},
	{"Apeldoorn", []string{"Apeldoorn", "Epe", "Twello", "Voorst"}},
}
