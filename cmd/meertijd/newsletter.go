package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"meertijd/internal/app"
	"meertijd/internal/clock"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
)

// cmdNewsletter queues a region's newsletter of a month through the mail
// outbox (the same as "versturen" on the newsletter page); the running app
// delivers it.
func cmdNewsletter(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("newsletter", stderr)
	cfg := dbFlags(fs)
	region := fs.String("region", "", "regiocode (verplicht)")
	month := fs.String("month", "", "maand als JJJJ-MM (standaard: deze maand)")
	baseURL := fs.String("base-url", os.Getenv("MEERTIJD_BASE_URL"), "adres waarop gebruikers meertijd bereiken, voor de links in de mail (verplicht)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *region == "" || *baseURL == "" {
		return usageError{"gebruik: meertijd newsletter --region CODE --base-url https://… [--month JJJJ-MM]"}
	}
	today := mtvp.DateOf(clock.Now())
	m := mtvp.MonthOf(today)
	if *month != "" {
		var ok bool
		if m, ok = mtvp.ParseMonth(*month); !ok {
			return usageError{"--month: schrijf de maand als JJJJ-MM, bijvoorbeeld 2026-12"}
		}
	}
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	reg, err := db.RegionByCode(ctx, *region)
	if err != nil {
		return fmt.Errorf("regio %q: %w", *region, err)
	}
	n, err := mail.Composer{BaseURL: *baseURL}.SendNewsletter(ctx, db, reg, m, today, mtvp.Actor{Name: "meertijd newsletter"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "nieuwsbrief %s van %s: %d berichten in de berichtenbox\n", m, reg.Name, n)
	return nil
}
