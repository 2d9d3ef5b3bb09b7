// Command meertijd runs the MTVP tool: `meertijd serve` for the web UI and
// API, plus subcommands for operators. Errors go to stderr in plain words
// with a non-zero exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `meertijd — Meer Tijd voor de Patiënt, per regio georganiseerd.

Gebruik:
  meertijd serve   [--addr 127.0.0.1:8080] [--data ./data] [--database URL] [--demo] [--secure-cookies]
  meertijd migrate [--data ./data] [--database URL]
  meertijd backup  [--data ./data] BESTAND              (SQLite, terwijl de app draait)
  meertijd restore [--data ./data] [--vervang] BESTAND  (SQLite, met de app gestopt)
  meertijd demo national [--data ./data] [--database URL]   (landelijke demoset in een lege database)
  meertijd user add --email E --name N --role ROLE [--region CODE] [--practice AGB]   (wachtwoord via stdin)
  meertijd token create --email E [--name NAAM] [--days 90]
  meertijd token list   --email E
  meertijd token revoke --email E --id ID
  meertijd import --region CODE [--dry-run] BESTAND.csv|BESTAND.xlsx
  meertijd newsletter --region CODE --base-url URL [--month JJJJ-MM]   (nieuwsbrief in de berichtenbox)
  meertijd version

Database: standaard SQLite in de datamap; --database postgres://… of
MEERTIJD_DATABASE_URL voor PostgreSQL. Elke opdracht kent --help.

Rollen: platform-admin, region-admin, consultant, practice, facilitator, funder.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "meertijd:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// usageError is a wrong invocation (exit 2), as opposed to a failure (1).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"geef een opdracht, zie hierboven"}
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args[1:], stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args[1:], stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "add" {
			return usageError{"gebruik: meertijd user add --email E --name N --role ROLE [--region CODE] [--practice AGB]"}
		}
		return cmdUserAdd(ctx, args[2:], stdin, stdout, stderr)
	case "token":
		if len(args) < 2 {
			return usageError{"gebruik: meertijd token create|list|revoke --email E"}
		}
		switch args[1] {
		case "create":
			return cmdTokenCreate(ctx, args[2:], stdout, stderr)
		case "list":
			return cmdTokenList(ctx, args[2:], stdout, stderr)
		case "revoke":
			return cmdTokenRevoke(ctx, args[2:], stdout, stderr)
		}
		return usageError{"gebruik: meertijd token create|list|revoke --email E"}
	case "import":
		return cmdImport(ctx, args[1:], stdout, stderr)
	case "newsletter":
		return cmdNewsletter(ctx, args[1:], stdout, stderr)
	case "demo":
		if len(args) < 2 || args[1] != "national" {
			return usageError{"gebruik: meertijd demo national [--data ./data] [--database URL]"}
		}
		return cmdDemoNational(ctx, args[2:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "meertijd", version)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("onbekende opdracht %q", args[0])}
}

var version = "dev"
