package web

import (
	"context"
	"net/http"
	"time"

	"meertijd/internal/store"
)

type storeCredentials = store.Credentials

func contextWithTimeout(r *http.Request, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), d)
}
