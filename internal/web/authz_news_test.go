package web

import (
	"context"
	"net/url"

	"meertijd/internal/mtvp"
)

// newsWorld adds, once per world, an announcement for everyone (id 1).
func newsWorld(f *fixture) {
	ns, err := f.db.ListNews(context.Background(), f.regionA.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(ns) > 0 {
		return
	}
	n := mtvp.NewsItem{RegionID: f.regionA.ID, Title: "Nieuwe data", Body: "**Let op**", PublishOn: mtvp.MustDate("2026-01-01")}
	if err := f.db.SaveNews(context.Background(), mtvp.SystemActor, &n); err != nil {
		f.t.Fatal(err)
	}
}

func init() {
	const base = "/regio/{region}/nieuws"
	const letter = "/regio/{region}/nieuwsbrief/2026-12"
	adminPost := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	read := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 303, consultantA2: 303, practiceP1: 303, practiceP2: 303, facilitatorA: 303, funderA: 303}
	form := url.Values{"title": {"Nieuwe data"}, "body": {"Tekst"}, "publish_on": {"2026-12-01"}, "roles": {"practice"}}
	edit := url.Values{"version": {"1"}, "title": {"Nieuwe data (gewijzigd)"}, "body": {"Tekst"}, "publish_on": {"2026-12-01"}}
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base, want: regionAdminA, setup: newsWorld},
		routeRow{pattern: "GET " + base + "/nieuw", path: base + "/nieuw", want: regionAdminA},
		routeRow{pattern: "POST " + base, path: base, form: form, want: adminPost},
		routeRow{pattern: "GET " + base + "/{news}", path: base + "/1", want: regionAdminA, setup: newsWorld},
		routeRow{pattern: "POST " + base + "/{news}", path: base + "/1", form: edit, want: adminPost, setup: newsWorld},
		routeRow{pattern: "POST " + base + "/{news}/gelezen", path: base + "/1/gelezen", want: read, setup: newsWorld},
		routeRow{pattern: "GET /regio/{region}/nieuwsbrief/{month}", path: letter, want: regionMembersA, setup: newsWorld},
		routeRow{pattern: "POST /regio/{region}/nieuwsbrief/{month}/versturen", path: letter + "/versturen", want: adminPost, setup: newsWorld},
	)
}
