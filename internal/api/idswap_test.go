package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/store/storetest"
)

// apiIDKinds maps the collection before an {id} or {code} to the kind of
// record it names (storetest.Foreign's keys); apiNotIDs are parameters that
// name no record. A parameter in neither fails TestIDSwap, so a new route
// cannot slip past it.
var (
	apiIDKinds = map[string]string{
		"regions": "region", "practices": "practice", "people": "person", "memberships": "membership",
		"accounts": "user", "intervision-groups": "group", "intervision-members": "member",
		"intervision-meetings": "meeting", "trainings": "training", "sessions": "session",
		"enrolments": "enrolment", "claims": "claim", "completions": "completion", "visits": "visit",
		"activities": "activity", "training-proposals": "proposal",
	}
	// A year is a word of the address, not a record.
	apiNotIDs = map[string]bool{"year": true}
)

// apiIDKindOf returns the kind of record the parameter at segs[i] names
// ("" for none) and whether the parameter is known at all.
func apiIDKindOf(segs []string, i int) (string, bool) {
	name := strings.Trim(segs[i], "{}")
	if apiNotIDs[name] {
		return "", true
	}
	if i == 0 || (name != "id" && name != "code") {
		return "", false
	}
	k, ok := apiIDKinds[segs[i-1]]
	return k, ok
}

// TestIDSwap (issue 17, Access): for every route with a record id in its
// address, each id in turn is replaced by the id of a record of the same
// kind in another region, and of another practice in the same region; a
// token of a login that may use the route for its own records gets 404
// (never 403: no existence oracle), for GET and for writes with a
// plausible body, and no row of any table changes.
func TestIDSwap(t *testing.T) {
	f := newFixture(t)
	for _, row := range routeRows {
		if row.setup != nil {
			row.setup(f)
		}
	}
	fr := storetest.ForeignRecords(t, f.db, f.regionA, f.regionB, f.p2, f.p3)
	for _, p := range f.api.Patterns() {
		_, path, _ := strings.Cut(p, " ")
		segs := strings.Split(path, "/")
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") {
				if _, known := apiIDKindOf(segs, i); !known {
					t.Errorf("%s: parameter %s has no id-swap case (add it to apiIDKinds or apiNotIDs)", p, seg)
				}
			}
		}
	}
	foreignValue := func(kind string, ids map[string]int64) (string, bool) {
		id, ok := ids[kind]
		if kind == "region" && ok {
			return f.regionB.Code, true
		}
		return strconv.FormatInt(id, 10), ok
	}
	// Tokens of region A in the order tried; the platform admin may see
	// every region and is never one of them.
	regionUsers := []who{adminA, consultantA, practiceP1, facilitatorA, funderA}
	practiceUsers := []who{practiceP1, consultantA}
	seen := map[string]bool{}
	requests, checked, controls := 0, 0, 0
	// A token's first use is recorded (last use, an audit line); use each
	// once before the baseline. Its later last-use touches (once a
	// minute) are the caller's own bookkeeping: api_tokens is not compared.
	for _, w := range append(regionUsers, platform) {
		wantStatus(t, f.get(w, "/api/v1/regions"), http.StatusOK)
	}
	before := storetest.TableDigests(t, f.db)
	for _, row := range routeRows {
		if seen[row.pattern] || !strings.Contains(row.pattern, "{") {
			continue
		}
		seen[row.pattern] = true
		method, patPath, _ := strings.Cut(row.pattern, " ")
		path, query, _ := strings.Cut(f.expand(row.path), "?")
		if query != "" {
			query = "?" + query
		}
		patSegs, segs := strings.Split(patPath, "/"), strings.Split(path, "/")
		if len(patSegs) != len(segs) {
			t.Errorf("%s: row path %s does not match the pattern", row.pattern, path)
			continue
		}
		for i, seg := range patSegs {
			if !strings.HasPrefix(seg, "{") {
				continue
			}
			kind, _ := apiIDKindOf(patSegs, i)
			if kind == "" {
				continue
			}
			for _, scope := range []struct {
				name  string
				ids   map[string]int64
				users []who
			}{{"another region", fr.OtherRegion, regionUsers}, {"another practice", fr.OtherPractice, practiceUsers}} {
				value, ok := foreignValue(kind, scope.ids)
				if !ok {
					continue
				}
				swapped := append([]string(nil), segs...)
				swapped[i] = value
				target := strings.Join(swapped, "/") + query
				if method == http.MethodGet && strings.Count(patPath, "{") == 1 {
					// Control: the record exists; the platform admin, who
					// sees every region, reads it through the same address.
					if rec := f.get(platform, target); rec.Code != http.StatusOK {
						t.Errorf("control: %s as platform admin: status %d, want 200 (%.200s)", target, rec.Code, rec.Body.String())
					}
					controls++
				}
				for _, w := range scope.users {
					if want, ok := row.want[w]; !ok || want >= 400 {
						continue
					}
					rec := f.do(w, request{method: method, path: target, body: row.body})
					requests++
					if rec.Code != http.StatusNotFound {
						t.Errorf("%s with {%s} of %s (%s) as %s: status %d, want 404 (%.300s)", row.pattern, kind, scope.name, target, w, rec.Code, strings.TrimSpace(rec.Body.String()))
					}
					after := storetest.TableDigests(t, f.db)
					if changed := storetest.ChangedTables(before, after, "api_tokens"); len(changed) > 0 {
						t.Errorf("%s with {%s} of %s (%s) as %s: status %d and tables changed: %v", row.pattern, kind, scope.name, target, w, rec.Code, changed)
					}
					before = after
				}
				checked++
			}
		}
	}
	t.Logf("%d swaps, %d requests, %d controls", checked, requests, controls)
	if checked < 50 {
		t.Fatalf("only %d swaps checked", checked)
	}
}
