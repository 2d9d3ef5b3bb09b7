package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"meertijd/internal/auth"
	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// loadDemo loads the demo data once, prints the demo logins and returns
// their ids: demo mode waives the second factor for these accounts only.
// The demo logins' e-mail addresses are unique and were taken by the
// loader, so they name the loader's accounts (an account someone adds
// later on the demo domain has another address and is not waived).
func loadDemo(ctx context.Context, db *store.DB, cfg Config) (map[int64]bool, error) {
	res, err := demo.LoadAll(ctx, db, auth.HashPassword, cfg.Now())
	if err != nil {
		return nil, err
	}
	ids := map[int64]bool{}
	for _, l := range res.Logins {
		u, err := db.UserByEmail(ctx, l.Email)
		if err != nil {
			return nil, fmt.Errorf("demo login %s: %w", l.Email, err)
		}
		ids[u.ID] = true
	}
	// The national set's logins, recorded when it was loaded.
	if err := addNationalDemoAccounts(ctx, db, ids); err != nil {
		return nil, err
	}
	if res.AlreadyLoaded {
		fmt.Fprintln(cfg.Out, "Demogegevens waren al geladen; er is niets gewijzigd.")
	} else {
		fmt.Fprintf(cfg.Out, "Demogegevens geladen: %d regio's, %d praktijken, %d personen, %d accounts, %d plannen van aanpak, %d intervisiegroepen, %d scholingen.\n",
			res.Regions, res.Practices, res.People, res.Users, res.Plans, res.Groups, res.Trainings)
	}
	return ids, res.Print(cfg.Out)
}

// LoadNationalDemo loads the generated national data set (demo.LoadNational:
// 40 regions, 5,000 practices, about 80,000 people) into a database that
// holds no region yet, gives every login of it the demo password and
// prints a few of them, so an operator can try a national host on their
// own machine (`meertijd demo national`, then `meertijd serve --demo`).
func LoadNationalDemo(ctx context.Context, db *store.DB, cfg Config) error {
	regions, err := db.ListRegions(ctx)
	if err != nil {
		return err
	}
	if len(regions) > 0 {
		return fmt.Errorf("de database bevat al %d regio's; laad de landelijke set in een lege datamap of database", len(regions))
	}
	fmt.Fprintln(cfg.Out, "Landelijke demogegevens laden (40 regio's, 5.000 praktijken; dit duurt enkele minuten)…")
	now := cfg.Now
	if now == nil {
		now = clock.Now
	}
	res, err := demo.LoadNational(ctx, db, demo.NationalOptions{Now: now()})
	if err != nil {
		return err
	}
	if err := db.Analyze(ctx); err != nil {
		return err
	}
	hash, err := auth.HashPassword(demo.Password)
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Out, "Geladen: %d regio's, %d praktijken, %d personen, %d accounts, %d plannen van aanpak, %d intervisiegroepen, %d scholingen.\n",
		len(res.Regions), res.Practices, res.People, res.Users, res.Plans, res.Groups, res.Trainings)
	var shown []mtvp.User
	var national []string
	for i, code := range res.Regions {
		reg, err := db.RegionByCode(ctx, code)
		if err != nil {
			return err
		}
		users, err := db.ListUsers(ctx, reg.ID)
		if err != nil {
			return err
		}
		for _, u := range users {
			if err := db.SetPassword(ctx, mtvp.SystemActor, u.ID, hash); err != nil {
				return err
			}
			national = append(national, strconv.FormatInt(u.ID, 10))
			if i == 0 {
				shown = append(shown, u)
			}
		}
	}
	// serve --demo waives the second factor for exactly these logins.
	if err := db.SetMeta(ctx, nationalDemoAccounts, strings.Join(national, ",")); err != nil {
		return err
	}
	fmt.Fprintf(cfg.Out, "Elk account heeft het wachtwoord %s. Regio %s (%d praktijken), bijvoorbeeld:\n", demo.Password, res.Regions[0], res.PracticesPerRegion[0])
	for _, u := range shown {
		fmt.Fprintf(cfg.Out, "  %-45s %s\n", u.Email, u.Name)
	}
	fmt.Fprintln(cfg.Out, "De andere regio's (nl02…nl40) hebben accounts met dezelfde namen (manager.…, consulent1.…).")
	fmt.Fprintln(cfg.Out, "Start nu met: meertijd serve --demo  (zonder tweestapsverificatie voor demo-accounts; met dezelfde --data/--database)")
	return nil
}

// nationalDemoAccounts is the app_meta key with the ids of the national
// demo set's logins (comma-separated).
const nationalDemoAccounts = "demo_national_accounts"

// addNationalDemoAccounts adds the national demo logins' ids to ids.
func addNationalDemoAccounts(ctx context.Context, db *store.DB, ids map[int64]bool) error {
	v, err := db.Meta(ctx, nationalDemoAccounts)
	if err != nil {
		return err
	}
	for _, f := range strings.Split(v, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids[id] = true
		}
	}
	return nil
}
