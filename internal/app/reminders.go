package app

import (
	"context"
	"time"

	"meertijd/internal/mtvp"
)

// reminders writes the day's reminder mails (and the week's digests) into
// the outbox: at start and
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
	day := mtvp.DateOf(a.cfg.Now())
	n, err := a.Web.QueueReminders(ctx, day)
	if err != nil {
		if ctx.Err() == nil {
			a.cfg.Logger.Warn("reminders", "err", err)
		}
	} else if n > 0 {
		a.cfg.Logger.Info("reminders written to the outbox", "mails", n)
	}
	// The weekly digests: the first run of each ISO week writes them
	// (remembered per region and week, so once a week across restarts).
	n, err = a.Web.QueueDigests(ctx, day)
	if err != nil {
		if ctx.Err() == nil {
			a.cfg.Logger.Warn("digests", "err", err)
		}
	} else if n > 0 {
		a.cfg.Logger.Info("weekly digests written to the outbox", "mails", n)
	}
}
