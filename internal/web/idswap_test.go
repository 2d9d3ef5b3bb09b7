package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/store/storetest"
)

// webIDKinds maps a path parameter to the kind of record it names
// (storetest.Foreign's keys). webNotIDs are parameters that name no record
// of a region or practice. A parameter in neither fails TestIDSwap, so a
// new route cannot slip past it.
var (
	webIDKinds = map[string]string{
		"region": "region", "practice": "practice", "membership": "membership", "user": "user",
		"mail": "mail", "snapshot": "snapshot", "group": "group", "member": "member", "meeting": "meeting",
		"link": "link", "round": "round", "training": "training", "session": "session",
		"completion": "completion", "enrolment": "enrolment", "claim": "claim", "visit": "visit",
		"activity": "activity", "signup": "signup", "news": "news", "proposal": "proposal",
	}
	// year, file kind, template kind and plan step are words, not records;
	// {token} is a secret (invitation, calendar, reset, newsletter
	// unsubscribe): knowing it is the permission, except under
	// /account/tokens/ where it is an API token id.
	// {provider} names a sign-in provider ("host", "regio-zio") on the
	// public sign-in routes: anyone may start a sign-in with any of them.
	// {month} is a newsletter's month ("2026-11") within the region of the
	// address: a word, not a record.
	webNotIDs = map[string]bool{"year": true, "kind": true, "soort": true, "step": true, "$": true, "token": true, "provider": true, "month": true}
)

// idKindOf returns the kind of record a pattern's parameter names ("" for
// none) and whether the parameter is known at all.
func webIDKindOf(pattern, param string) (string, bool) {
	if param == "token" && strings.Contains(pattern, "/account/tokens/{token}") {
		return "token", true
	}
	if k, ok := webIDKinds[param]; ok {
		return k, true
	}
	return "", webNotIDs[param]
}

// TestIDSwap (issue 17, Access): for every route with a record id in its
// address, each id in turn is replaced by the id of a record of the same
// kind in another region, and of another practice in the same region; a
// login that may use the route for its own records gets 404 (never 403:
// no existence oracle), for GET and for writes with a plausible form, and
// no row of any table changes.
func TestIDSwap(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	for _, row := range routeRows {
		if row.setup != nil {
			row.setup(f)
		}
	}
	fr := storetest.ForeignRecords(t, f.db, f.regionA, f.regionB, f.p2, f.p3)
	foreignValue := func(kind string, ids map[string]int64) (string, bool) {
		if kind == "region" {
			if _, ok := ids["region"]; ok {
				return f.regionB.Code, true
			}
			return "", false
		}
		id, ok := ids[kind]
		return strconv.FormatInt(id, 10), ok
	}
	// Logins of region A in the order tried; the platform admin may see
	// every region and is never one of them.
	regionUsers := []who{adminA, consultantA, practiceP1, facilitatorA, funderA}
	practiceUsers := []who{practiceP1, consultantA}
	requests, checked, controls := 0, 0, 0
	// Digests of every table before each request: taken once, then the
	// previous request's "after" (sessions aside, nothing may change).
	before := storetest.TableDigests(t, f.db)
	for _, p := range f.srv.Patterns() {
		for _, seg := range strings.Split(p, "/") {
			if name, ok := strings.CutPrefix(seg, "{"); ok {
				name = strings.TrimSuffix(strings.TrimSuffix(name, "}"), "...")
				if _, known := webIDKindOf(p, name); !known {
					t.Errorf("%s: parameter {%s} has no id-swap case (add it to webIDKinds or webNotIDs)", p, name)
				}
			}
		}
	}
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
			kind, _ := webIDKindOf(row.pattern, strings.Trim(seg, "{}"))
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
				if c, ok := controlPath(row.pattern, patSegs, segs, i, value, scope.ids, f.regionB.Code); ok && method == http.MethodGet && scope.ids["region"] != 0 &&
					(row.setup == nil || (kind != "region" && kind != "practice")) {
					// Control: the record exists; the platform admin, who
					// sees every region, reads it at its own address. (Not
					// for a region or practice on a route whose row sets up
					// more, e.g. a plan: the other region has none.)
					if rec := f.do(platform, method, c+query, nil); rec.Code != row.want[platform] {
						t.Errorf("control: %s as platform admin: status %d, want %d", c, rec.Code, row.want[platform])
					}
					controls++
				}
				for _, w := range scope.users {
					if want, ok := row.want[w]; !ok || want >= 400 {
						continue
					}
					rec := f.do(w, method, target, row.form)
					requests++
					if rec.Code != http.StatusNotFound {
						t.Errorf("%s with {%s} of %s (%s) as %s: status %d, want 404 (%.200s)", row.pattern, kind, scope.name, target, w, rec.Code, strings.TrimSpace(rec.Body.String()))
					}
					after := storetest.TableDigests(t, f.db)
					if changed := storetest.ChangedTables(before, after, "sessions"); len(changed) > 0 {
						t.Errorf("%s with {%s} of %s (%s) as %s: status %d and tables changed: %v", row.pattern, kind, scope.name, target, w, rec.Code, changed)
					}
					before = after
				}
				checked++
			}
		}
	}
	t.Logf("%d swaps, %d requests, %d controls", checked, requests, controls)
	if checked < 100 {
		t.Fatalf("only %d swaps checked", checked)
	}
}

// controlPath is the address of the foreign record itself: the swapped id
// at i with the other region's code and practice around it. ok is false
// when the route names another record too (its own would not fit).
func controlPath(pattern string, patSegs, segs []string, i int, value string, ids map[string]int64, region string) (string, bool) {
	out := append([]string(nil), segs...)
	out[i] = value
	for j, seg := range patSegs {
		if j == i || !strings.HasPrefix(seg, "{") {
			continue
		}
		switch kind, _ := webIDKindOf(pattern, strings.Trim(seg, "{}")); kind {
		case "":
		case "region":
			out[j] = region
		case "practice":
			out[j] = strconv.FormatInt(ids["practice"], 10)
		default:
			return "", false
		}
	}
	return strings.Join(out, "/"), true
}
