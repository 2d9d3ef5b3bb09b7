package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// crashChildArgs holds the command line of the crash test's server process
// (fields separated by \x1f); TestMain runs it instead of the tests.
const crashChildArgs = "MEERTIJD_CRASH_CHILD_ARGS"

func crashChild(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, args, os.Stdin, io.Discard, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "meertijd:", err)
		return 1
	}
	return 0
}

// TestCrashKeepsAcknowledgedWrites (issue 17 §3): meertijd serve runs as
// its own process while writers create practices through the API; the
// process is killed with SIGKILL at a random moment and started again, over
// and over. Every practice whose creation was acknowledged (201) must be
// there at the end, and the database must pass its integrity check.
// Cycles: MEERTIJD_CRASH_CYCLES, default 50 on SQLite and 20 on
// PostgreSQL; the long form is 1,000.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills a server many times")
	}
	if os.Getenv("MEERTIJD_TEST_TODAY") != "" {
		t.Skip("crashes do not depend on the day: run once, not in CI's other-day passes")
	}
	c := newCLI(t)
	cycles := 50
	if os.Getenv(storetest.EnvPostgres) != "" {
		cycles = 20
	}
	if n, err := strconv.Atoi(os.Getenv("MEERTIJD_CRASH_CYCLES")); err == nil && n > 0 {
		cycles = n
	}
	if _, errs, code := c.run("een lang genoeg wachtwoord\n", "user", "add", "--email", "beheer@host.nl", "--name", "Beheer", "--role", "platform-admin"); code != 0 {
		t.Fatal(errs)
	}
	out, errs, code := c.run("", "token", "create", "--email", "beheer@host.nl")
	if code != 0 {
		t.Fatal(errs)
	}
	token := strings.TrimSpace(out)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	base := "http://" + addr
	client := &http.Client{Timeout: 10 * time.Second}
	call := func(method, path, body string) (int, error) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	logFile := filepath.Join(t.TempDir(), "server.log")
	start := func() *exec.Cmd {
		t.Helper()
		args := append([]string{"serve", "--addr", addr}, c.args...)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildArgs+"="+strings.Join(args, "\x1f"))
		lf, _ := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		cmd.Stdout, cmd.Stderr = lf, lf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			if resp, err := client.Get(base + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return cmd
				}
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				b, _ := os.ReadFile(logFile)
				t.Fatalf("server did not become ready: %s", b)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	srv := start()
	if code, err := call("POST", "/api/v1/regions", `{"code":"crash","name":"Regio Crash"}`); code != 201 {
		t.Fatalf("region: %d %v", code, err)
	}
	var (
		mu     sync.Mutex
		acked  []string
		others = map[string]int{}
		seq    int
	)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 17))
	for cycle := 0; cycle < cycles; cycle++ {
		if cycle > 0 {
			srv = start()
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					seq++
					agb := fmt.Sprintf("07%06d", seq)
					mu.Unlock()
					code, err := call("POST", "/api/v1/regions/crash/practices", `{"agb":"`+agb+`","name":"Praktijk `+agb+`"}`)
					mu.Lock()
					switch {
					case code == 201:
						acked = append(acked, agb)
					case err != nil:
						others["no answer"]++ // killed mid-request: outcome unknown, not acknowledged
					default:
						others[strconv.Itoa(code)]++
					}
					mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
		}
		time.Sleep(time.Duration(50+rng.IntN(450)) * time.Millisecond)
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		close(stop)
		wg.Wait()
	}

	// Every acknowledged practice is there, read by a fresh process.
	db, err := openForCheck(c.args)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	reg, err := db.RegionByCode(ctx, "crash")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, p := range ps {
		have[p.AGB] = true
	}
	lost := 0
	for _, agb := range acked {
		if !have[agb] {
			lost++
		}
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Errorf("integrity check: %v", err)
	}
	t.Logf("%d kill cycles on %s: %d writes acknowledged, %d lost; %d stored in all; other answers %v", cycles, db.Engine(), len(acked), lost, len(ps), others)
	if lost > 0 {
		t.Errorf("%d acknowledged writes lost", lost)
	}
	if len(acked) < cycles {
		t.Errorf("only %d writes acknowledged over %d cycles: the test did not write", len(acked), cycles)
	}
	for code := range others {
		if code != "no answer" {
			t.Errorf("answers other than 201 or none: %v", others)
			break
		}
	}
}

// openForCheck opens the database the CLI flags name.
func openForCheck(args []string) (*store.DB, error) {
	var dir, url string
	for i := 0; i+1 < len(args); i += 2 {
		switch args[i] {
		case "--data":
			dir = args[i+1]
		case "--database":
			url = args[i+1]
		}
	}
	return store.Open(context.Background(), url, dir)
}
