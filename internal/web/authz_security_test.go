package web

import (
	"context"
	"strconv"

	"meertijd/internal/auth"
)

func init() {
	regionAdminA := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	platformOnly := expect{anon: 303, platform: 200, adminA: 403, adminB: 403, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	// Each login revokes only its own tokens: another's token id is 404.
	ownToken := expect{anon: 401, platform: 404, adminA: 404, adminB: 404, consultantA: 404, consultantA2: 404, practiceP1: 303, practiceP2: 404, facilitatorA: 404, funderA: 404}
	addRouteRows(
		routeRow{pattern: "GET /regio/{region}/inlogactiviteit", path: "/regio/{region}/inlogactiviteit", want: regionAdminA},
		routeRow{pattern: "GET /beheer/inlogactiviteit", path: "/beheer/inlogactiviteit", want: platformOnly},
		routeRow{pattern: "POST /account/tokens/{token}/intrekken", path: "/account/tokens/{apitoken}/intrekken", want: ownToken, setup: apiTokenSetup},
	)
}

// apiTokenSetup gives practice P1 an API token, {apitoken}.
func apiTokenSetup(f *fixture) {
	t := f.t
	if f.vars["{apitoken}"] != "" {
		return
	}
	_, hash := auth.NewAPIToken()
	tok, err := f.db.CreateAPIToken(context.Background(), actorOf(f.users[practiceP1]), f.users[practiceP1].ID, "koppeling", hash)
	if err != nil {
		t.Fatal(err)
	}
	f.vars["{apitoken}"] = strconv.FormatInt(tok.ID, 10)
}
