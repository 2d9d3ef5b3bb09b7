package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

// TestConcurrentEditsOneWins (issue 17 §3): two clients PUT the same
// practice with the same version at the same moment, many times, over
// real HTTP: every time exactly one gets 200 and the other 409 with the
// record as it is now, and the stored name is the winner's. On SQLite and
// (with MEERTIJD_TEST_POSTGRES) PostgreSQL.
func TestConcurrentEditsOneWins(t *testing.T) {
	ctx := context.Background()
	a := startReady(t, testConfig(t, t.TempDir(), true))
	defer closeApp(t, a)
	manager, token := demoToken(t, a, "manager.zio@demo.meertijd.nl")
	ps, err := a.DB.ListPractices(ctx, mtvp.PracticeFilter{RegionID: manager.Grants[0].RegionID})
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	path := fmt.Sprintf("%s/api/v1/practices/%d", a.URL(), ps[0].ID)
	send := func(method, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out map[string]any
		json.Unmarshal(b, &out)
		return resp.StatusCode, out
	}
	const rounds = 40
	for round := 0; round < rounds; round++ {
		code, cur := send("GET", "")
		if code != 200 {
			t.Fatalf("GET: %d", code)
		}
		version := int(cur["version"].(float64))
		names := [2]string{fmt.Sprintf("Praktijk ronde %d links", round), fmt.Sprintf("Praktijk ronde %d rechts", round)}
		var codes [2]int
		var bodies [2]map[string]any
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i], bodies[i] = send("PUT", fmt.Sprintf(`{"version":%d,"name":%q}`, version, names[i]))
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		switch {
		case codes[0] == 200 && codes[1] == 409:
			winner = 0
		case codes[1] == 200 && codes[0] == 409:
			winner = 1
		default:
			t.Fatalf("round %d: statuses %v (want one 200 and one 409)", round, codes)
		}
		loser := 1 - winner
		if current, _ := bodies[loser]["current"].(map[string]any); current == nil || current["name"] != names[winner] {
			t.Errorf("round %d: the 409 does not carry the winner's record: %v", round, bodies[loser])
		}
		if _, now := send("GET", ""); now["name"] != names[winner] || int(now["version"].(float64)) != version+1 {
			t.Errorf("round %d: stored %v, want %q at version %d", round, now["name"], names[winner], version+1)
		}
	}
}

// demoToken makes an API token for a demo login and returns the login.
func demoToken(t *testing.T, a *App, email string) (mtvp.User, string) {
	t.Helper()
	ctx := context.Background()
	u, err := a.DB.UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	token, hash := auth.NewAPIToken()
	if _, err := a.DB.CreateAPIToken(ctx, mtvp.SystemActor, u.ID, "test", hash); err != nil {
		t.Fatal(err)
	}
	return u, token
}
