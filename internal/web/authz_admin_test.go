package web

import (
	"context"
	"net/url"
	"strconv"

	"meertijd/internal/mail"
)

// Route × role rows of the administration pages: regions, regioplan,
// region settings, history and accounts.
func init() {
	// Only platform admins manage regions.
	platformOnlyPage := expect{anon: 303, platform: 200, adminA: 403, adminB: 403, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	platformOnlyPost := platformOnlyPage.with(expect{anon: 401, platform: 303})
	// Region A administration by POST: success is a redirect.
	adminPostA := regionAdminA.with(expect{anon: 401, platform: 303, adminA: 303})
	// Pages that answer a POST with a page (a password shown once).
	adminShowA := regionAdminA.with(expect{anon: 401})
	// The regioplan address without a year redirects every reader of A.
	planRedirect := regionMembersA.with(expect{platform: 303, adminA: 303, consultantA: 303, consultantA2: 303, practiceP1: 303, practiceP2: 303, facilitatorA: 303, funderA: 303})

	settings := url.Values{
		"version": {"1"}, "name": {"Regio A (nieuw)"}, "insurers": {"CZ, VGZ"}, "programme_start": {"2024-01-01"},
		"intervision_threshold": {"50"}, "assistant_training_threshold": {"50"}, "gp_training_threshold": {"60"},
		"intervision_roles": {"praktijkhouder", "vaste_waarnemer"}, "assistant_training_roles": {"doktersassistent"},
		"gp_training_roles": {"praktijkhouder", "vaste_waarnemer"}, "assistant_themes": {"SOH\ntriage"}, "gp_themes": {"positieve gezondheid"},
		"prior_learning_cutoff": {"2022-09-01"}, "requirements": {"intervisie", "jaarbezoek"},
		"min_per_element.A": {"1"}, "inflow_quota_percent": {"25"}, "at_risk_days": {"60"},
	}
	addRouteRows(
		routeRow{pattern: "GET /regios", path: "/regios", want: platformOnlyPage},
		routeRow{pattern: "GET /regios/nieuw", path: "/regios/nieuw", want: platformOnlyPage},
		routeRow{pattern: "POST /regios", path: "/regios", form: url.Values{"code": {"regio-c"}, "name": {"Regio C"}, "insurers": {"CZ, VGZ"}, "programme_start": {"2026-01-01"}}, want: platformOnlyPost},

		routeRow{pattern: "GET /regio/{region}/regioplan", path: "/regio/{region}/regioplan", want: planRedirect},
		routeRow{pattern: "GET /regio/{region}/regioplan/{year}", path: "/regio/{region}/regioplan/{year}", want: regionMembersA},
		routeRow{pattern: "GET /regio/{region}/regioplan/{year}/bewerken", path: "/regio/{region}/regioplan/{year}/bewerken", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/regioplan/{year}", path: "/regio/{region}/regioplan/{year}",
			form: url.Values{"version": {"1"}, "rows": {"1"}, "interventions.0.code": {"A.2"}, "interventions.0.element": {"A"}, "interventions.0.title": {"Flexibele consultduur"}, "interventions.0.mandatory": {"1"}, "conditions.commitment": {"Alle praktijken tekenen."}},
			want: adminPostA},
		routeRow{pattern: "POST /regio/{region}/regioplan/{year}/kopie", path: "/regio/{region}/regioplan/{year}/kopie", want: adminPostA},

		routeRow{pattern: "GET /regio/{region}/instellingen", path: "/regio/{region}/instellingen", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/instellingen", path: "/regio/{region}/instellingen", form: settings, want: adminPostA},
		routeRow{pattern: "GET /regio/{region}/historie", path: "/regio/{region}/historie", want: regionAdminA},

		routeRow{pattern: "GET /regio/{region}/accounts", path: "/regio/{region}/accounts", want: regionAdminA},
		routeRow{pattern: "GET /regio/{region}/accounts/nieuw", path: "/regio/{region}/accounts/nieuw", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/accounts", path: "/regio/{region}/accounts",
			form: url.Values{"name": {"Nieuwe Consulent"}, "email": {"nieuw@example.nl"}, "roles": {"consultant"}}, want: adminShowA.with(expect{adminA: 303})},
		routeRow{pattern: "GET /regio/{region}/accounts/{user}/bewerken", path: "/regio/{region}/accounts/{user}/bewerken", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/accounts/{user}", path: "/regio/{region}/accounts/{user}",
			form: url.Values{"version": {"1"}, "name": {"Praktijk Een (assistent)"}, "roles": {"facilitator"}}, want: adminPostA},
		routeRow{pattern: "POST /regio/{region}/accounts/{user}/tweestaps-reset", path: "/regio/{region}/accounts/{user}/tweestaps-reset", want: adminPostA},
		routeRow{pattern: "POST /regio/{region}/accounts/{user}/wachtwoord", path: "/regio/{region}/accounts/{user}/wachtwoord", want: adminShowA},
	)
}

// Route × role rows of the outbox pages (issue 13).
func init() {
	platformOnlyPage := expect{anon: 303, platform: 200, adminA: 403, adminB: 403, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	addRouteRows(
		routeRow{pattern: "GET /berichten", path: "/berichten", want: platformOnlyPage},
		routeRow{pattern: "GET /berichten/{mail}", path: "/berichten/{mail}", setup: setupOutboxMail, want: platformOnlyPage},
		routeRow{pattern: "GET /regio/{region}/berichten", path: "/regio/{region}/berichten", want: regionAdminA},
		routeRow{pattern: "GET /regio/{region}/berichten/{mail}", path: "/regio/{region}/berichten/{mail}", setup: setupOutboxMail, want: regionAdminA},
	)
}

// setupOutboxMail writes one mail of region A into the outbox ({mail}).
func setupOutboxMail(f *fixture) {
	if f.vars["{mail}"] != "" {
		return
	}
	m, err := f.srv.mail.Compose("reset", f.regionA.ID, mail.Recipient{Email: "anna@praktijkeen.nl", Name: "Anna"}, map[string]any{"Link": "https://x/y", "ValidMinutes": 60}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.db.EnqueueMail(context.Background(), m); err != nil {
		f.t.Fatal(err)
	}
	f.vars["{mail}"] = strconv.FormatInt(m.ID, 10)
}
