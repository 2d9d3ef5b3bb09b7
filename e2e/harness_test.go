// Package e2e drives a real meertijd (the same app.New as `meertijd serve`)
// in Debian's Chromium with chromedp, and checks pages with axe-core.
package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"meertijd/internal/app"
	"meertijd/internal/store/storetest"
)

//go:embed testdata/axe.min.js
var axeSource string

// chromiumPath finds Debian's Chromium; without it the browser tests skip,
// except in CI (CI=true or MEERTIJD_REQUIRE_BROWSER=1) where a skip fails.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("MEERTIJD_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" || os.Getenv("MEERTIJD_REQUIRE_BROWSER") == "1" {
		t.Fatal("Chromium not found: install Debian's chromium package (apt-get install chromium); browser tests must run in CI")
	}
	t.Skip("Chromium not found (apt-get install chromium); browser tests skipped")
	return ""
}

// startApp starts meertijd on a free port with a fresh database (SQLite,
// or PostgreSQL when MEERTIJD_TEST_POSTGRES is set) and returns it.
func startApp(t *testing.T, demo bool) *app.App {
	t.Helper()
	dataDir := t.TempDir()
	cfg := app.Config{Addr: "127.0.0.1:0", DataDir: dataDir, Demo: demo,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if url := storetest.NewDatabaseURL(t); url != "" {
		cfg.DatabaseURL = url
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		a.Close(ctx)
	})
	return a
}

// browser opens a headless Chromium tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
}

// checkA11y runs axe-core (WCAG 2.1 A and AA rules) on the current page and
// fails on any violation.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	script := axeSource + `;
		axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})
		  .then(r => JSON.stringify(r))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", page, err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("axe result on %s: %v", page, err)
	}
	for _, v := range res.Violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		t.Errorf("accessibility on %s: %s (%s): %s — %s", page, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}
