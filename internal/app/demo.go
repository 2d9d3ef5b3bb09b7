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
	res, err := demo.Load(ctx, db, auth.HashPassword, cfg.Now())
	if err != nil {
		return err
	}
	if res.AlreadyLoaded {
		fmt.Fprintln(cfg.Out, "Demogegevens waren al geladen; er is niets gewijzigd.")
	} else {
		fmt.Fprintf(cfg.Out, "Demogegevens geladen: %d regio's, %d praktijken, %d personen, %d accounts.\n",
			res.Regions, res.Practices, res.People, res.Users)
	}
	return res.Print(cfg.Out)
}
