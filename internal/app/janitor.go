package app

import (
	"context"
	"time"
)

// janitor removes expired sessions and old login failures every interval
// until ctx ends, so neither table grows without bound.
func (a *App) janitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		a.sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *App) sweep(ctx context.Context) {
	if err := a.DB.SessionStore().DeleteExpired(ctx); err != nil && ctx.Err() == nil {
		a.cfg.Logger.Warn("delete expired sessions", "err", err)
	}
	// Failures older than a day no longer count for throttling.
	if err := a.DB.PruneLoginFailures(ctx, a.cfg.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
		a.cfg.Logger.Warn("prune login failures", "err", err)
	}
}
