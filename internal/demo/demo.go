// Package demo loads the demo data of `meertijd serve --demo`: two regions
// modelled on the seeds — ZIO Maastricht-Heuvelland (ten interventions to
// choose from) and PrimaCura (six mandatory interventions and the default
// norms) — each with about 60 practices of realistic sizes and staff, some
// locums at two practices, consultants with their own practices, and a
// demo login for every role.
//
// The data is generated from fixed random seeds, so every run creates the
// same practices and people (dates are relative to the reference day). It is
// loaded once: the app_meta key "demo_loaded" records that, and a second
// Load changes nothing.
package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Password is the one password of every demo login. It is printed at start
// and documented in the README; demo logins need no second factor in demo
// mode only.
const Password = "meertijd-demo-2026"

// MetaKey is the app_meta key that records that the demo data was loaded.
const MetaKey = "demo_loaded"

// Login is one demo account as `serve --demo` prints it.
type Login struct {
	Email    string
	Name     string
	Roles    []mtvp.AccountRole
	Scope    string // e.g. "PrimaCura", "ZIO Maastricht-Heuvelland; Huisartsenpraktijk De Linde"
	Password string
}

// RoleText joins the roles: "region-admin + consultant".
func (l Login) RoleText() string {
	s := make([]string, len(l.Roles))
	for i, r := range l.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, " + ")
}

// Result tells what Load did.
type Result struct {
	// AlreadyLoaded: the demo data was there before; nothing was changed.
	AlreadyLoaded bool
	// Logins of the demo accounts (also when AlreadyLoaded, so they can be
	// printed at every start; passwords changed since are not known).
	Logins []Login
	// Counts of what was created (zero when AlreadyLoaded).
	Regions, Practices, People, Memberships, Users int
	// Activity created by LoadAll (zero with Load).
	Plans, Groups, Trainings int
	// HistoryRows: rows of PrimaCura's past imported from its lists.
	HistoryRows int
}

// Load writes the demo data once. hash turns the demo password into the
// stored hash (the app passes its argon2id function); it is called once and
// the hash shared by all demo logins. now is the reference moment: the
// regioplans are for its calendar year and the one before, and every start
// and end date lies on or before it.
func Load(ctx context.Context, db *store.DB, hash func(password string) (string, error), now time.Time) (Result, error) {
	return load(ctx, db, hash, now, false)
}

// LoadAll is Load plus the activity of the demo regions, written in the
// same first run: plans van aanpak (LoadPlans), intervision (LoadIntervision)
// and training (LoadTraining), each in one transaction. The data is marked
// as loaded only after all of it, so a second run changes nothing and an
// interrupted first run is refused as Load refuses it. This is what
// `serve --demo` loads.
func LoadAll(ctx context.Context, db *store.DB, hash func(password string) (string, error), now time.Time) (Result, error) {
	return load(ctx, db, hash, now, true)
}

func load(ctx context.Context, db *store.DB, hash func(password string) (string, error), now time.Time, activity bool) (Result, error) {
	ds := generate(mtvp.DateOf(now))
	res := Result{Logins: ds.logins()}

	done, err := db.Meta(ctx, MetaKey)
	if err != nil {
		return Result{}, fmt.Errorf("demo: read %s: %w", MetaKey, err)
	}
	if done != "" {
		res.AlreadyLoaded = true
		return res, nil
	}
	// Not marked as loaded, but a demo region exists: an earlier load was
	// interrupted, or someone made a region with that code. Refuse rather
	// than mix data.
	for _, rd := range ds.regions {
		_, err := db.RegionByCode(ctx, rd.region.Code)
		if err == nil {
			return Result{}, fmt.Errorf("demo: region %q already exists but the demo data is not marked as loaded; start with an empty database", rd.region.Code)
		}
		if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			return Result{}, fmt.Errorf("demo: look up region %q: %w", rd.region.Code, err)
		}
	}

	pwHash, err := hash(Password)
	if err != nil {
		return Result{}, fmt.Errorf("demo: hash password: %w", err)
	}
	w := writer{ctx: ctx, db: db, a: mtvp.SystemActor}
	if err := w.write(ds, pwHash); err != nil {
		return Result{}, err
	}
	if activity {
		if res.Plans, res.Groups, res.Trainings, err = loadActivity(ctx, db, now); err != nil {
			return Result{}, err
		}
		if _, err = loadVisits(ctx, db, now); err != nil {
			return Result{}, err
		}
		if res.HistoryRows, err = loadHistory(ctx, db, now); err != nil {
			return Result{}, err
		}
		if _, err = loadPulse(ctx, db, now); err != nil {
			return Result{}, err
		}
		if _, err = loadAgenda(ctx, db, now); err != nil {
			return Result{}, err
		}
		if _, err = loadActivities(ctx, db, now); err != nil {
			return Result{}, err
		}
		if _, err = loadNews(ctx, db, now); err != nil {
			return Result{}, err
		}
	}
	if err := db.SetMeta(ctx, MetaKey, now.UTC().Format(time.RFC3339)); err != nil {
		return Result{}, fmt.Errorf("demo: set %s: %w", MetaKey, err)
	}
	res.Regions, res.Users = len(ds.regions), len(ds.users)
	for _, rd := range ds.regions {
		res.Practices += len(rd.practices)
		res.People += len(rd.people)
		for _, p := range rd.practices {
			res.Memberships += len(p.staff)
		}
	}
	return res, nil
}

// Print writes the demo logins as a table, Dutch first.
func (r Result) Print(out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Demo-logins (wachtwoord / password: %s; geen tweede factor in demomodus / no second factor in demo mode)\n", Password)
	fmt.Fprintln(tw, "e-mail\trol / role\tbereik / scope")
	for _, l := range r.Logins {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Email, l.RoleText(), l.Scope)
	}
	return tw.Flush()
}

func (ds *dataset) logins() []Login {
	out := make([]Login, 0, len(ds.users))
	for _, u := range ds.users {
		l := Login{Email: u.u.Email, Name: u.u.Name, Scope: u.scope, Password: Password}
		for _, gr := range u.grants {
			l.Roles = append(l.Roles, gr.role)
		}
		out = append(out, l)
	}
	return out
}

// writer writes a dataset through the store's public methods.
type writer struct {
	ctx context.Context
	db  *store.DB
	a   mtvp.Actor
}

func (w writer) write(ds *dataset, pwHash string) error {
	created := map[*userData]bool{}
	createUser := func(u *userData) error {
		u.u.Grants = nil
		for _, gr := range u.grants {
			g := mtvp.Grant{Role: gr.role}
			if gr.region != nil {
				g.RegionID = gr.region.region.ID
			}
			if gr.practice != nil {
				g.PracticeID = gr.practice.p.ID
			}
			u.u.Grants = append(u.u.Grants, g)
		}
		if err := w.db.CreateUser(w.ctx, w.a, &u.u, pwHash); err != nil {
			return fmt.Errorf("demo: create user %s: %w", u.u.Email, err)
		}
		created[u] = true
		return nil
	}
	needsPractice := func(u *userData) bool {
		for _, gr := range u.grants {
			if gr.practice != nil {
				return true
			}
		}
		return false
	}

	// Regions and their regioplans.
	for _, rd := range ds.regions {
		if err := w.db.CreateRegion(w.ctx, w.a, &rd.region); err != nil {
			return fmt.Errorf("demo: create region %s: %w", rd.region.Code, err)
		}
		for i := range rd.plans {
			rd.plans[i].RegionID = rd.region.ID
			if err := w.db.SaveRegioplan(w.ctx, w.a, &rd.plans[i]); err != nil {
				return fmt.Errorf("demo: regioplan %s %d: %w", rd.region.Code, rd.plans[i].Year, err)
			}
		}
	}
	// Logins without a practice grant first: consultants must exist before
	// practices name them.
	for _, u := range ds.users {
		if !needsPractice(u) {
			if err := createUser(u); err != nil {
				return err
			}
		}
	}
	// Practices, their people and memberships: one transaction for all
	// (store.BulkPeople). A locum is one person with a membership at each
	// of their two practices.
	b := &store.PeopleBatch{}
	seen := map[*personData]bool{}
	for _, rd := range ds.regions {
		addRegionPeople(b, seen, rd)
	}
	if err := w.db.BulkPeople(w.ctx, w.a, b); err != nil {
		return fmt.Errorf("demo: practices and staff: %w", err)
	}
	// Practice logins.
	for _, u := range ds.users {
		if !created[u] {
			if err := createUser(u); err != nil {
				return err
			}
		}
	}
	return nil
}

// addRegionPeople adds rd's practices, their people (each once, by seen)
// and memberships to b, stamping the region and consultant IDs.
func addRegionPeople(b *store.PeopleBatch, seen map[*personData]bool, rd *regionData) {
	for _, p := range rd.practices {
		p.p.RegionID = rd.region.ID
		if p.consultant != nil {
			p.p.ConsultantID, p.p.ConsultantName = p.consultant.u.ID, p.consultant.u.Name
		}
		b.Practices = append(b.Practices, &p.p)
	}
	for _, p := range rd.practices {
		for i := range p.staff {
			s := &p.staff[i]
			if !seen[s.person] {
				seen[s.person] = true
				s.person.p.RegionID = rd.region.ID
				b.Persons = append(b.Persons, &s.person.p)
			}
			b.Memberships = append(b.Memberships, &store.MembershipRow{Person: &s.person.p, Practice: &p.p, Membership: s.m})
		}
	}
}
