package app

import (
	"context"
	"fmt"

	"meertijd/internal/auth"
	"meertijd/internal/demo"
	"meertijd/internal/store"
)

// loadDemo loads the demo data once and prints the demo logins.
func loadDemo(ctx context.Context, db *store.DB, cfg Config) error {
	res, err := demo.LoadAll(ctx, db, auth.HashPassword, cfg.Now())
	if err != nil {
		return err
	}
	if res.AlreadyLoaded {
		fmt.Fprintln(cfg.Out, "Demogegevens waren al geladen; er is niets gewijzigd.")
	} else {
		fmt.Fprintf(cfg.Out, "Demogegevens geladen: %d regio's, %d praktijken, %d personen, %d accounts, %d plannen van aanpak, %d intervisiegroepen, %d scholingen.\n",
			res.Regions, res.Practices, res.People, res.Users, res.Plans, res.Groups, res.Trainings)
	}
	return res.Print(cfg.Out)
}
