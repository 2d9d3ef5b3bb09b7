// Package app wires meertijd together: configuration → database →
// migrations → (demo data) → web UI and JSON API. The command line and the
// end-to-end tests start the same App.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"meertijd/internal/api"
	"meertijd/internal/auth"
	"meertijd/internal/clock"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/reqlog"
	"meertijd/internal/store"
	"meertijd/internal/web"
)

// Config is everything that can be set from the command line or the
// environment.
type Config struct {
	Addr        string // listen address; port 0 picks a free port
	DataDir     string // SQLite file, secret key
	DatabaseURL string // "" → SQLite in DataDir; postgres://… → PostgreSQL
	Demo        bool   // load demo data once and waive TOTP for demo accounts
	// DemoAccounts are the ids of the demo logins (set by New when it
	// loads the demo data): demo mode waives the second factor for these
	// only, never for another account on the demo domain.
	DemoAccounts map[int64]bool
	// SecureCookies: set when meertijd is served over TLS (directly or via a
	// proxy); marks cookies Secure and sends HSTS.
	SecureCookies bool
	Logger        *slog.Logger
	// Out receives what an operator must see at start (demo logins).
	Out io.Writer
	Now func() time.Time
	// BaseURL is where users reach meertijd, for links in e-mails
	// ("https://meertijd.example.nl"); default http:// + Addr.
	BaseURL string
	// SMTP delivers the outbox; without a host mails stay in the outbox
	// (shown on the Berichten pages).
	SMTP mail.SMTP
	// MetricsFrom are the networks that may read /metrics and
	// /debug/pprof/ (nil: DefaultMetricsFrom); MetricsToken, when set,
	// lets a scraper from elsewhere in with it as a bearer token.
	MetricsFrom  []netip.Prefix
	MetricsToken string
	// SSO is the host's single sign-on provider (nil: none) and
	// SSOClientSecret its client secret (environment only); regions set
	// their own on their settings page.
	SSO             *mtvp.SSOProvider
	SSOClientSecret string
}

// App is a running meertijd.
type App struct {
	DB       *store.DB
	Web      *web.Server
	API      *api.API
	cfg      Config
	handler  http.Handler
	server   *http.Server
	listener net.Listener
	stop     context.CancelFunc // ends background work
	bg       sync.WaitGroup     // background work that must end before the database closes
}

// OpenDB opens and migrates the configured database; shared by serve and
// the other subcommands.
func OpenDB(ctx context.Context, cfg Config) (*store.DB, error) {
	if cfg.DatabaseURL == "" {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("data folder %s: %w", cfg.DataDir, err)
		}
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return db, nil
}

// New opens the database, migrates, loads demo data when asked and builds
// the handlers. It does not listen yet.
func New(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "data"
	}
	db, err := OpenDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Demo {
		if cfg.DemoAccounts, err = loadDemo(ctx, db, cfg); err != nil {
			db.Close()
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	a, err := NewOn(db, cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// NewOn builds the handlers on an open, migrated database (New without
// opening it or loading demo data; the benchmarks serve the national data
// set with it). cfg.Demo only waives the second factor of demo accounts.
func NewOn(db *store.DB, cfg Config) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	// Lines logged with a request's context carry its id (reqlog).
	if _, ok := cfg.Logger.Handler().(reqlog.Handler); !ok {
		cfg.Logger = slog.New(reqlog.Handler{Handler: cfg.Logger.Handler()})
	}
	a := &App{DB: db, cfg: cfg}
	key, err := auth.LoadOrCreateKey(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if err := cfg.SMTP.Validate(); err != nil {
		return nil, err
	}
	if cfg.Demo && cfg.DemoAccounts == nil {
		// Served without loading: the national set's logins, as recorded.
		cfg.DemoAccounts = map[int64]bool{}
		if err := addNationalDemoAccounts(context.Background(), db, cfg.DemoAccounts); err != nil {
			return nil, err
		}
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + cfg.Addr
	}
	a.cfg = cfg
	a.Web, err = web.New(db, web.Config{Demo: cfg.Demo, DemoAccounts: cfg.DemoAccounts, SecureCookies: cfg.SecureCookies, SecretKey: key, Now: cfg.Now, Logger: cfg.Logger,
		BaseURL: strings.TrimRight(cfg.BaseURL, "/"), MailConfigured: cfg.SMTP.Configured(), MailOrganizer: cfg.SMTP.Address(), SSO: cfg.SSO, SSOClientSecret: cfg.SSOClientSecret})
	if err != nil {
		return nil, err
	}
	a.handler = a.routes()
	return a, nil
}

// Handler is the whole HTTP surface: JSON API and web UI.
func (a *App) Handler() http.Handler { return a.handler }

// Start listens on cfg.Addr and serves in the background.
func (a *App) Start() error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	a.listener = ln
	a.server = &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.cfg.Logger.Handler(), slog.LevelWarn),
	}
	bg, stop := context.WithCancel(context.Background())
	a.stop = stop
	go a.janitor(bg, time.Hour)
	a.bg.Add(1)
	go func() { defer a.bg.Done(); a.reminders(bg, time.Hour) }()
	if a.cfg.SMTP.Configured() {
		sender := &mail.Sender{DB: a.DB, SMTP: a.cfg.SMTP, Logger: a.cfg.Logger}
		a.bg.Add(1)
		go func() { defer a.bg.Done(); sender.Run(bg) }()
	}
	go func() {
		if err := a.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.cfg.Logger.Error("server stopped", "err", err)
		}
	}()
	return nil
}

// URL is the base URL the app listens on.
func (a *App) URL() string { return "http://" + a.listener.Addr().String() }

// Close stops serving (waiting for requests in flight) and closes the
// database.
func (a *App) Close(ctx context.Context) error {
	var err error
	if a.stop != nil {
		a.stop()
	}
	if a.server != nil {
		err = a.server.Shutdown(ctx)
	}
	a.bg.Wait()
	return errors.Join(err, a.DB.Close())
}

// Run starts the app and serves until ctx is cancelled (SIGINT/SIGTERM).
func Run(ctx context.Context, cfg Config) error {
	a, err := New(ctx, cfg)
	if err != nil {
		return err
	}
	if err := a.Start(); err != nil {
		a.DB.Close()
		return err
	}
	fmt.Fprintf(cfg.Out, "meertijd luistert op %s (database: %s)\n", a.URL(), a.DB.Engine())
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	fmt.Fprintln(cfg.Out, "meertijd stopt…")
	return a.Close(shutdown)
}
