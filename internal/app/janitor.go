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
	// Throttle keys idle for a day no longer count (the policy forgets
	// them after an hour already). Throttling follows the wall clock.
	if err := a.DB.PruneAttempts(ctx, time.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
		a.cfg.Logger.Warn("prune login attempts", "err", err)
	}
}
