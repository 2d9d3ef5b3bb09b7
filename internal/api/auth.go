package api

import (
	"net/http"
	"strings"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

// authenticate reads "Authorization: Bearer mt_…" and returns the token's
// user. Anything missing, malformed, unknown or belonging to a disabled user
// is 401; the store is not asked about anything that is not shaped like a token.
func (a *API) authenticate(r *http.Request) (*mtvp.User, error) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, errUnauthorized
	}
	token = strings.TrimSpace(token)
	if !auth.LooksLikeAPIToken(token) {
		return nil, errUnauthorized
	}
	u, err := a.db.UserByToken(r.Context(), auth.HashToken(token), auth.ClientIP(r))
	switch {
	case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
		return nil, errUnauthorized
	case err != nil:
		return nil, err
	case u.Disabled:
		return nil, errUnauthorized
	}
	return &u, nil
}
