package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"meertijd/internal/mtvp"
)

// reminderHorizon is how far ahead meetings and sessions are loaded: the
// largest "days before" a region may set.
const reminderHorizon = 31

// ReminderSettings returns a region's reminder settings (defaults for
// what is not set).
func (db *DB) ReminderSettings(ctx context.Context, regionID int64) (mtvp.ReminderSettings, error) {
	var raw []byte
	if err := db.rd.QueryRowContext(ctx, `SELECT reminder_settings FROM regions WHERE id = $1`, regionID).Scan(&raw); err != nil {
		return mtvp.ReminderSettings{}, rowErr(err)
	}
	return decodeReminderSettings(raw)
}

func decodeReminderSettings(raw []byte) (mtvp.ReminderSettings, error) {
	s := mtvp.DefaultReminderSettings()
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &s); err != nil {
			return s, internal(err)
		}
	}
	return s, nil
}

// SetReminderSettings stores a region's reminder settings.
func (db *DB) SetReminderSettings(ctx context.Context, a mtvp.Actor, regionID int64, s mtvp.ReminderSettings) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var raw []byte
		if err := tx.QueryRowContext(ctx, `SELECT reminder_settings FROM regions WHERE id = $1`, regionID).Scan(&raw); err != nil {
			return rowErr(err)
		}
		old, err := decodeReminderSettings(raw)
		if err != nil {
			return err
		}
		text, err := jsonText(s)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE regions SET reminder_settings = $2, updated_at = $3 WHERE id = $1`, regionID, text, db.now()); err != nil {
			return internal(err)
		}
		return db.auditAt(ctx, tx, db.now(), a, regionID, EntityRegion, regionID, ActionUpdate, mtvp.Diff(&old, &s))
	})
}

// ReminderFacts loads, for every region, what mtvp.DueReminders chooses
// the reminders of day from: meetings and sessions in the coming month,
// participating practices with whether their plan for day's year is final,
// pending claims and planned visits whose date has passed, waiting-list
// promotions of the past month and what was remembered as sent. Nine
// queries, however many regions; besides them, inside a region's at-risk
// window, its standings from the standings cache (RegionStandings, shared
// with the pages: evaluated only when the region changed).
func (db *DB) ReminderFacts(ctx context.Context, day mtvp.Date) ([]mtvp.ReminderFacts, error) {
	regions := map[int64]*mtvp.ReminderFacts{}
	var order []int64
	rows, err := db.rd.QueryContext(ctx, `SELECT id, reminder_settings, settings FROM regions ORDER BY id`)
	if err != nil {
		return nil, internal(err)
	}
	for rows.Next() {
		var id int64
		var raw, norms []byte
		if err := rows.Scan(&id, &raw, &norms); err != nil {
			rows.Close()
			return nil, internal(err)
		}
		s, err := decodeReminderSettings(raw)
		if err != nil {
			rows.Close()
			return nil, err
		}
		f := &mtvp.ReminderFacts{RegionID: id, Settings: s, Sent: map[string]bool{}}
		if err := jsonScan(norms, &f.Norms); err != nil {
			rows.Close()
			return nil, err
		}
		regions[id] = f
		order = append(order, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	// Only the dates some region reminds of today are loaded: meetings and
	// sessions from day+least to day+most "days before" of the regions that
	// send them, plans only for regions whose plan reminder falls today.
	least, most, events, plans := reminderHorizon, -1, false, false
	for _, f := range regions {
		for _, r := range []mtvp.ReminderRule{f.Settings.Meeting, f.Settings.Session} {
			if r.On {
				least, most, events = min(least, max(r.Days, 0)), max(most, max(r.Days, 0)), true
			}
		}
		if _, ok := mtvp.PlanReminderDue(f.Settings, day); ok {
			plans = true
		}
	}
	from, until := day.AddDays(least), day.AddDays(most)
	// loadEvents groups (region, event, date, person) rows into events.
	loadEvents := func(query string, put func(f *mtvp.ReminderFacts, e mtvp.ReminderEvent)) error {
		if !events {
			return nil
		}
		rows, err := db.rd.QueryContext(ctx, query, from, until)
		if err != nil {
			return internal(err)
		}
		defer rows.Close()
		var cur mtvp.ReminderEvent
		var curRegion int64
		flush := func() {
			if cur.ID != 0 {
				if f := regions[curRegion]; f != nil {
					put(f, cur)
				}
			}
		}
		for rows.Next() {
			var region, id, person int64
			var on mtvp.Date
			if err := rows.Scan(&region, &id, &on, &person); err != nil {
				return internal(err)
			}
			if id != cur.ID {
				flush()
				cur, curRegion = mtvp.ReminderEvent{ID: id, On: on}, region
			}
			cur.Recipients = append(cur.Recipients, person)
		}
		flush()
		return internal(rows.Err())
	}
	err = loadEvents(`SELECT g.region_id, mt.id, mt.meeting_date, m.person_id
		FROM intervision_meetings mt JOIN intervision_groups g ON g.id = mt.group_id
		JOIN intervision_members m ON m.group_id = g.id AND m.status = 'lid'
			AND (m.left_on IS NULL OR m.left_on >= mt.meeting_date)
		WHERE mt.meeting_date >= $1 AND mt.meeting_date <= $2
		ORDER BY mt.id, m.person_id`, func(f *mtvp.ReminderFacts, e mtvp.ReminderEvent) { f.Meetings = append(f.Meetings, e) })
	if err != nil {
		return nil, err
	}
	err = loadEvents(`SELECT s.region_id, s.id, s.first_date, e.person_id
		FROM training_sessions s JOIN training_enrolments e ON e.session_id = s.id AND e.status = 'geplaatst'
		WHERE s.first_date >= $1 AND s.first_date <= $2
		ORDER BY s.id, e.person_id`, func(f *mtvp.ReminderFacts, e mtvp.ReminderEvent) { f.Sessions = append(f.Sessions, e) })
	if err != nil {
		return nil, err
	}
	if plans {
		if err := db.reminderPlans(ctx, day, regions); err != nil {
			return nil, err
		}
	}
	rows, err = db.rd.QueryContext(ctx, `SELECT c.region_id, c.id, c.practice_id, COALESCE(p.consultant_user_id, 0), c.created_at
		FROM training_claims c JOIN practices p ON p.id = c.practice_id WHERE c.status = $1 ORDER BY c.id`, string(mtvp.ClaimPending))
	if err != nil {
		return nil, internal(err)
	}
	for rows.Next() {
		var region int64
		var c mtvp.ReminderClaim
		var created sql.NullTime
		if err := rows.Scan(&region, &c.ID, &c.PracticeID, &c.ConsultantID, &created); err != nil {
			rows.Close()
			return nil, internal(err)
		}
		c.SubmittedOn = mtvp.DateOf(nullTime(created))
		if f := regions[region]; f != nil {
			f.Claims = append(f.Claims, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	rows, err = db.rd.QueryContext(ctx, `SELECT v.region_id, v.id, v.practice_id, COALESCE(v.consultant_user_id, p.consultant_user_id, 0), v.planned_on
		FROM visits v JOIN practices p ON p.id = v.practice_id WHERE v.status = $1 AND v.planned_on < $2 ORDER BY v.id`, string(mtvp.VisitPlanned), day)
	if err != nil {
		return nil, internal(err)
	}
	for rows.Next() {
		var region int64
		var v mtvp.ReminderVisit
		if err := rows.Scan(&region, &v.ID, &v.PracticeID, &v.ConsultantID, &v.PlannedOn); err != nil {
			rows.Close()
			return nil, internal(err)
		}
		if f := regions[region]; f != nil {
			f.Visits = append(f.Visits, v)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	since := day.AddDays(-reminderHorizon).Time()
	promotions := func(query string, group bool) error {
		rows, err := db.rd.QueryContext(ctx, query, since)
		if err != nil {
			return internal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var region int64
			var at time.Time
			p := mtvp.ReminderPromotion{Group: group}
			if err := rows.Scan(&region, &p.ID, &p.PersonID, &p.PracticeID, &at); err != nil {
				return internal(err)
			}
			p.On = mtvp.DateOf(at)
			if f := regions[region]; f != nil {
				f.Promotions = append(f.Promotions, p)
			}
		}
		return internal(rows.Err())
	}
	if err := promotions(`SELECT g.region_id, m.id, m.person_id, m.practice_id, m.promoted_at
		FROM intervision_members m JOIN intervision_groups g ON g.id = m.group_id
		WHERE m.promoted_at >= $1 AND m.status = 'lid' AND m.left_on IS NULL ORDER BY m.id`, true); err != nil {
		return nil, err
	}
	if err := promotions(`SELECT s.region_id, e.id, e.person_id, e.practice_id, e.promoted_at
		FROM training_enrolments e JOIN training_sessions s ON s.id = e.session_id
		WHERE e.promoted_at >= $1 AND e.status = 'geplaatst' ORDER BY e.id`, false); err != nil {
		return nil, err
	}
	rows, err = db.rd.QueryContext(ctx, `SELECT COALESCE(region_id, 0), key FROM reminder_memory WHERE until_on >= $1`, day)
	if err != nil {
		return nil, internal(err)
	}
	for rows.Next() {
		var region int64
		var key string
		if err := rows.Scan(&region, &key); err != nil {
			rows.Close()
			return nil, internal(err)
		}
		if f := regions[region]; f != nil {
			f.Sent[key] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	out := make([]mtvp.ReminderFacts, 0, len(order))
	for _, id := range order {
		f := regions[id]
		if f.Settings.NormAtRisk.On && mtvp.AtRiskWindowOpen(f.Norms, day) {
			st, err := db.RegionStandings(ctx, id, day.Year(), day)
			if err != nil {
				return nil, err
			}
			for _, p := range st.Practices {
				f.Standings = append(f.Standings, mtvp.ReminderStanding{ConsultantID: p.Practice.ConsultantID, Standing: p.Standing})
			}
		}
		out = append(out, *f)
	}
	return out, nil
}

// RememberedReminder is a memory key of a written reminder
// (mtvp.Reminder.Remember) with the last day it matters.
type RememberedReminder struct {
	Key      string
	RegionID int64
	Until    mtvp.Date
}

// EnqueueReminders writes reminder mails like EnqueueMail and, in the same
// transaction, remembers keys so the reminders are not chosen again.
func (db *DB) EnqueueReminders(ctx context.Context, mails []*Mail, remember []RememberedReminder) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		n = 0
		for _, m := range mails {
			ok, err := db.enqueueMail(ctx, tx, m)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		now := db.now()
		for _, r := range remember {
			if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_memory (key, region_id, until_on, created_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT DO NOTHING`, r.Key, nullID(r.RegionID), r.Until, now); err != nil {
				return internal(err)
			}
		}
		return nil
	})
	return n, err
}

// DueRemindersOn loads the facts and selects every region's reminders of
// day.
func (db *DB) DueRemindersOn(ctx context.Context, day mtvp.Date) ([]mtvp.Reminder, error) {
	facts, err := db.ReminderFacts(ctx, day)
	if err != nil {
		return nil, err
	}
	var out []mtvp.Reminder
	for _, f := range facts {
		out = append(out, mtvp.DueReminders(f, day)...)
	}
	return out, nil
}

// Remembered reports whether key is in the reminder memory.
func (db *DB) Remembered(ctx context.Context, key string) (bool, error) {
	var n int
	err := db.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminder_memory WHERE key = $1`, key).Scan(&n)
	return n > 0, internal(err)
}

// reminderPlans adds to regions whose plan reminder falls on day their
// practices taking part, with whether the plan of day's year is final.
func (db *DB) reminderPlans(ctx context.Context, day mtvp.Date, regions map[int64]*mtvp.ReminderFacts) error {
	due := map[int64]bool{}
	for id, f := range regions {
		_, due[id] = mtvp.PlanReminderDue(f.Settings, day)
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT p.region_id, p.id, EXISTS (SELECT 1 FROM plans pl JOIN plan_versions v ON v.plan_id = pl.id
			WHERE pl.practice_id = p.id AND pl.year = $2 AND v.status = $3)
		FROM practices p WHERE p.status = $1 ORDER BY p.id`, string(mtvp.PracticeActive), day.Year(), string(mtvp.PlanFinal))
	if err != nil {
		return internal(err)
	}
	for rows.Next() {
		var region int64
		var p mtvp.ReminderPlan
		if err := rows.Scan(&region, &p.PracticeID, &p.Final); err != nil {
			rows.Close()
			return internal(err)
		}
		if f := regions[region]; f != nil && due[region] {
			f.Plans = append(f.Plans, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal(err)
	}
	return nil
}
