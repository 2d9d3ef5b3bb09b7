package app

import (
	"context"
	"time"

	"meertijd/internal/mtvp"
)

// reminders writes the day's reminder mails into the outbox: at start and
// then every interval (hourly), so a day is never missed while the server
// runs. It is idempotent: each reminder has a dedupe key of kind, subject,
// recipient and day, so a second run on a day (or a second instance) adds
// nothing.
func (a *App) reminders(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		a.remindToday(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *App) remindToday(ctx context.Context) {
	n, err := a.Web.QueueReminders(ctx, mtvp.DateOf(a.cfg.Now()))
	if err != nil {
		if ctx.Err() == nil {
			a.cfg.Logger.Warn("reminders", "err", err)
		}
		return
	}
	if n > 0 {
		a.cfg.Logger.Info("reminders written to the outbox", "mails", n)
	}
}
