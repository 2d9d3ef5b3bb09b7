package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

func TestMain(m *testing.M) {
	auth.SetTestParams()
	if args := os.Getenv(crashChildArgs); args != "" {
		// The crash test's server: this test binary runs the command line.
		os.Exit(crashChild(strings.Split(args, "\x1f")))
	}
	m.Run()
}

// cli runs the command line in-process against a fresh database.
type cli struct {
	t    *testing.T
	args []string // --data/--database for every call
}

func newCLI(t *testing.T) *cli {
	args := []string{"--data", t.TempDir()}
	if url := storetest.NewDatabaseURL(t); url != "" {
		args = append(args, "--database", url)
	}
	return &cli{t: t, args: args}
}

func (c *cli) run(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	full := append([]string{}, args...)
	// Subcommand words first, then flags.
	n := 1
	if len(args) > 1 && (args[0] == "user" || args[0] == "token") {
		n = 2
	}
	full = append(append(append([]string{}, args[:n]...), c.args...), args[n:]...)
	err := run(context.Background(), full, strings.NewReader(stdin), &out, &errb)
	if err != nil {
		errb.WriteString(err.Error())
		return out.String(), errb.String(), exitCode(err)
	}
	return out.String(), errb.String(), 0
}

func TestCommandLine(t *testing.T) {
	c := newCLI(t)
	if out, _, code := c.run("", "migrate"); code != 0 || !strings.Contains(out, "bijgewerkt") {
		t.Fatalf("migrate: %d %q", code, out)
	}
	if _, errs, code := c.run("", "user", "add", "--email", "a@b.nl", "--name", "A", "--role", "koning"); code != 2 || !strings.Contains(errs, "onbekende rol") {
		t.Fatalf("bad role: %d %q", code, errs)
	}
	if _, errs, code := c.run("kort\n", "user", "add", "--email", "a@b.nl", "--name", "A", "--role", "platform-admin"); code != 1 || !strings.Contains(errs, "wachtwoord geweigerd") {
		t.Fatalf("short password: %d %q", code, errs)
	}
	if _, errs, code := c.run("een lang genoeg wachtwoord\n", "user", "add", "--email", "a@b.nl", "--name", "A", "--role", "region-admin", "--region", "nergens"); code != 1 || !strings.Contains(errs, "niet gevonden") {
		t.Fatalf("unknown region: %d %q", code, errs)
	}
	out, errs, code := c.run("een lang genoeg wachtwoord\n", "user", "add", "--email", "Beheer@Host.nl", "--name", "Beheer", "--role", "platform-admin")
	if code != 0 || !strings.Contains(out, "beheer@host.nl") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	if _, errs, code := c.run("een lang genoeg wachtwoord\n", "user", "add", "--email", "beheer@host.nl", "--name", "Beheer", "--role", "platform-admin"); code != 1 || !strings.Contains(errs, "Er is al een account") {
		t.Fatalf("duplicate: %d %q", code, errs)
	}
	out, errs, code = c.run("", "token", "create", "--email", "beheer@host.nl")
	token := strings.TrimSpace(out)
	if code != 0 || !auth.LooksLikeAPIToken(token) || !strings.Contains(errs, "niet opnieuw getoond") {
		t.Fatalf("token: %d %q %q", code, out, errs)
	}
	if _, errs, code := c.run("", "token", "create", "--email", "niemand@host.nl"); code != 1 || !strings.Contains(errs, "geen account") {
		t.Fatalf("token for unknown user: %d %q", code, errs)
	}
	// Tokens have a name and an expiry, are listed and revoked (issue 11).
	if _, errs, code := c.run("", "token", "create", "--email", "beheer@host.nl", "--name", "koppeling", "--days", "400"); code != 1 || !strings.Contains(errs, "binnen een jaar") {
		t.Fatalf("token for 400 days: %d %q", code, errs)
	}
	if _, errs, code := c.run("", "token", "create", "--email", "beheer@host.nl", "--name", "koppeling", "--days", "30"); code != 0 || !strings.Contains(errs, "werkt tot") {
		t.Fatalf("token for 30 days: %d %q", code, errs)
	}
	out, _, code = c.run("", "token", "list", "--email", "beheer@host.nl")
	if code != 0 || !strings.Contains(out, "koppeling") || !strings.Contains(out, "cli") || !strings.Contains(out, "nooit") || strings.Contains(out, token) {
		t.Fatalf("token list: %d %q", code, out)
	}
	if _, errs, code := c.run("", "token", "revoke", "--email", "beheer@host.nl", "--id", "999"); code != 1 || !strings.Contains(errs, "geen token 999") {
		t.Fatalf("revoke unknown: %d %q", code, errs)
	}
	if out, errs, code := c.run("", "token", "revoke", "--email", "beheer@host.nl", "--id", "1"); code != 0 || !strings.Contains(out, "ingetrokken") {
		t.Fatalf("revoke: %d %q %q", code, out, errs)
	}
	if out, _, _ := c.run("", "token", "list", "--email", "beheer@host.nl"); strings.Contains(out, "cli ") {
		t.Fatalf("revoked token still listed: %q", out)
	}
	if _, errs, code := c.run("", "bestaatniet"); code != 2 || !strings.Contains(errs, "onbekende opdracht") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
	if out, _, code := c.run("", "--help"); code != 0 || !strings.Contains(out, "meertijd serve") {
		t.Fatalf("help: %d %q", code, out)
	}
	if _, errs, code := c.run("", "import", "--region", "zio", "/bestaat/niet.csv"); code == 0 || errs == "" {
		t.Fatalf("import of a missing file: %d %q", code, errs)
	}
	_ = mtvp.SystemActor
}
