package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"meertijd/internal/app"
	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// dbFlags adds --data and --database to a subcommand.
func dbFlags(fs *flag.FlagSet) *app.Config {
	cfg := &app.Config{}
	fs.StringVar(&cfg.DataDir, "data", envOr("MEERTIJD_DATA", "./data"), "datamap voor de SQLite-database en de geheime sleutel")
	fs.StringVar(&cfg.DatabaseURL, "database", os.Getenv("MEERTIJD_DATABASE_URL"), "database-URL (postgres://…); leeg = SQLite in de datamap")
	return cfg
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// envInt reads an integer from the environment (0 when unset or invalid).
func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	cfg := dbFlags(fs)
	fs.StringVar(&cfg.Addr, "addr", envOr("MEERTIJD_ADDR", "127.0.0.1:8080"), "adres waarop de webserver luistert")
	fs.BoolVar(&cfg.Demo, "demo", false, "demogegevens laden (eenmalig) en demo-accounts tonen")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", os.Getenv("MEERTIJD_SECURE_COOKIES") == "1", "cookies alleen via HTTPS (achter TLS)")
	fs.StringVar(&cfg.BaseURL, "base-url", os.Getenv("MEERTIJD_BASE_URL"), "adres waarop gebruikers meertijd bereiken, voor links in e-mails (standaard http://ADDR)")
	fs.StringVar(&cfg.SMTP.Host, "smtp-host", os.Getenv("MEERTIJD_SMTP_HOST"), "mailserver (SMTP); leeg = e-mails blijven in de berichtenlijst")
	fs.IntVar(&cfg.SMTP.Port, "smtp-port", envInt("MEERTIJD_SMTP_PORT"), "poort van de mailserver (standaard 587 bij starttls, 465 bij tls, 25 bij none)")
	fs.StringVar(&cfg.SMTP.Security, "smtp-security", envOr("MEERTIJD_SMTP_SECURITY", "starttls"), "versleuteling: starttls, tls of none")
	fs.StringVar(&cfg.SMTP.User, "smtp-user", os.Getenv("MEERTIJD_SMTP_USER"), "gebruikersnaam bij de mailserver")
	fs.StringVar(&cfg.SMTP.From, "smtp-from", os.Getenv("MEERTIJD_SMTP_FROM"), "afzender, bijvoorbeeld 'meertijd <noreply@example.nl>'")
	ssoIssuer := fs.String("sso-issuer", os.Getenv("MEERTIJD_SSO_ISSUER"), "single sign-on: issuer-URL van de OpenID Connect-dienst, bv. https://login.microsoftonline.com/TENANT/v2.0")
	ssoClient := fs.String("sso-client-id", os.Getenv("MEERTIJD_SSO_CLIENT_ID"), "single sign-on: client-ID")
	ssoDomains := fs.String("sso-domains", os.Getenv("MEERTIJD_SSO_DOMAINS"), "single sign-on: toegestane e-maildomeinen, gescheiden door komma's")
	ssoName := fs.String("sso-name", envOr("MEERTIJD_SSO_NAME", "Microsoft"), "single sign-on: naam op de knop „Inloggen met …”")
	metricsFrom := fs.String("metrics-from", envOr("MEERTIJD_METRICS_FROM", app.DefaultMetricsFrom), "adressen en netwerken die /metrics en /debug/pprof/ mogen lezen")
	if err := parse(fs, args); err != nil {
		return err
	}
	var err error
	if cfg.MetricsFrom, err = app.ParseMetricsFrom(*metricsFrom); err != nil {
		return usageError{err.Error()}
	}
	if *ssoIssuer != "" || *ssoClient != "" {
		p := mtvp.SSOProvider{Name: *ssoName, Issuer: *ssoIssuer, ClientID: *ssoClient, Domains: mtvp.ParseDomains(*ssoDomains), Enabled: true}
		p.Normalize()
		if err := p.Validate(); err != nil {
			return usageError{"--sso-issuer, --sso-client-id, --sso-domains, --sso-name: " + describeErr(err).Error()}
		}
		cfg.SSO = &p
		// The secret like the SMTP password: from the environment only.
		cfg.SSOClientSecret = os.Getenv("MEERTIJD_SSO_CLIENT_SECRET")
	}
	// Like the SMTP password: from the environment only.
	cfg.MetricsToken = os.Getenv("MEERTIJD_METRICS_TOKEN")
	// The password only from the environment: never in the process list.
	cfg.SMTP.Password = os.Getenv("MEERTIJD_SMTP_PASSWORD")
	cfg.Logger = newLogger(stderr)
	cfg.Out = stdout
	return app.Run(ctx, *cfg)
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", stderr)
	cfg := dbFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database is bijgewerkt (%s)\n", db.Engine())
	return nil
}

// cmdDemoNational loads the national demo data set into an empty database.
func cmdDemoNational(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo national", stderr)
	cfg := dbFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	cfg.Out = stdout
	return app.LoadNationalDemo(ctx, db, *cfg)
}

// cmdUserAdd creates a login; the password is read from stdin so it never
// appears in the shell history or process list.
func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("user add", stderr)
	cfg := dbFlags(fs)
	email := fs.String("email", "", "e-mailadres (inlognaam)")
	name := fs.String("name", "", "volledige naam")
	role := fs.String("role", "", "rol: platform-admin, region-admin, consultant, practice, facilitator, funder")
	regionCode := fs.String("region", "", "regiocode (niet bij platform-admin)")
	agb := fs.String("practice", "", "AGB-code van de praktijk (alleen bij rol practice)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *email == "" || *name == "" || *role == "" {
		return usageError{"--email, --name en --role zijn verplicht"}
	}
	r := mtvp.AccountRole(*role)
	if !r.Valid() {
		return usageError{fmt.Sprintf("onbekende rol %q; kies uit platform-admin, region-admin, consultant, practice, facilitator, funder", *role)}
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if key := auth.ValidatePassword(password); key != "" {
		return fmt.Errorf("wachtwoord geweigerd: %s", describeKey(key))
	}
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	g := mtvp.Grant{Role: r}
	if *regionCode != "" {
		reg, err := db.RegionByCode(ctx, *regionCode)
		if err != nil {
			return fmt.Errorf("regio %q niet gevonden", *regionCode)
		}
		g.RegionID = reg.ID
		if *agb != "" {
			p, err := db.PracticeByAGB(ctx, reg.ID, *agb)
			if err != nil {
				return fmt.Errorf("praktijk met AGB-code %s niet gevonden in regio %s", *agb, *regionCode)
			}
			g.PracticeID = p.ID
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u := &mtvp.User{Email: *email, Name: *name, Grants: []mtvp.Grant{g}}
	if err := db.CreateUser(ctx, mtvp.SystemActor, u, hash); err != nil {
		return describeErr(err)
	}
	fmt.Fprintf(stdout, "account %s aangemaakt (id %d, rol %s)\n", u.Email, u.ID, r)
	if r.RequiresTOTP() {
		fmt.Fprintln(stdout, "bij de eerste keer inloggen stelt de gebruiker tweestapsverificatie in")
	}
	return nil
}

func readPassword(stdin io.Reader) (string, error) {
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(os.Stderr, "Wachtwoord: ")
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("wachtwoord lezen: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError{"geef het wachtwoord via standaardinvoer, bijvoorbeeld: echo 'geheim wachtwoord' | meertijd user add …"}
	}
	return line, nil
}

func cmdTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("token create", stderr)
	cfg := dbFlags(fs)
	email := fs.String("email", "", "e-mailadres van het account")
	name := fs.String("name", "cli", "naam van de token (waarvoor hij dient)")
	days := fs.Int("days", int(store.DefaultTokenLifetime/(24*time.Hour)), "aantal dagen dat de token werkt (hoogstens 366)")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, u, err := tokenAccount(ctx, *cfg, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	token, hash := auth.NewAPIToken()
	t, err := db.CreateAPITokenUntil(ctx, mtvp.SystemActor, u.ID, *name, hash, time.Now().Add(time.Duration(*days)*24*time.Hour))
	if err != nil {
		return describeErr(err)
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintf(stderr, "Token %d (%s) werkt tot %s.\n", t.ID, t.Name, t.ExpiresAt.Local().Format("2006-01-02 15:04"))
	fmt.Fprintln(stderr, "Bewaar deze token nu: hij wordt niet opnieuw getoond (alleen een hash is opgeslagen).")
	return nil
}

// tokenAccount opens the database and finds the account of --email.
func tokenAccount(ctx context.Context, cfg app.Config, email string) (*store.DB, mtvp.User, error) {
	if email == "" {
		return nil, mtvp.User{}, usageError{"--email is verplicht"}
	}
	db, err := app.OpenDB(ctx, cfg)
	if err != nil {
		return nil, mtvp.User{}, err
	}
	u, err := db.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		db.Close()
		return nil, mtvp.User{}, fmt.Errorf("geen account met e-mailadres %s", email)
	}
	return db, u, nil
}

// cmdTokenList lists an account's tokens: id, name, created, last used,
// expiry. The tokens themselves are never stored, so never shown.
func cmdTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("token list", stderr)
	cfg := dbFlags(fs)
	email := fs.String("email", "", "e-mailadres van het account")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, u, err := tokenAccount(ctx, *cfg, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	tokens, err := db.APITokens(ctx, u.ID)
	if err != nil {
		return err
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return "nooit"
		}
		return t.Local().Format("2006-01-02 15:04")
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id	naam	aangemaakt	laatst gebruikt	verloopt")
	now := time.Now()
	for _, t := range tokens {
		exp := when(t.ExpiresAt)
		if t.Expired(now) {
			exp += " (verlopen)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, when(t.CreatedAt), when(t.LastUsedAt), exp)
	}
	return tw.Flush()
}

// cmdTokenRevoke revokes one of an account's tokens by id.
func cmdTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("token revoke", stderr)
	cfg := dbFlags(fs)
	email := fs.String("email", "", "e-mailadres van het account")
	id := fs.Int64("id", 0, "id van de token (zie token list)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return usageError{"--id is verplicht (zie meertijd token list)"}
	}
	db, u, err := tokenAccount(ctx, *cfg, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.DeleteAPIToken(ctx, mtvp.SystemActor, u.ID, *id); err != nil {
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			return fmt.Errorf("%s heeft geen token %d", u.Email, *id)
		}
		return err
	}
	fmt.Fprintf(stdout, "token %d ingetrokken\n", *id)
	return nil
}

func describeErr(err error) error {
	if fe := mtvp.FieldErrorsOf(err); len(fe) > 0 {
		var parts []string
		for _, f := range fe.Names() {
			parts = append(parts, f+": "+describeKey(fe[f]))
		}
		return fmt.Errorf("%s", strings.Join(parts, "; "))
	}
	return err
}

// newLogger writes text for a person at a terminal and JSON lines for a
// log collector otherwise.
func newLogger(w io.Writer) *slog.Logger {
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(w, nil))
		}
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}
