package store

import (
	"context"

	"meertijd/internal/mtvp"
)

// CalendarEvent is one entry of a personal calendar feed.
type CalendarEvent struct {
	UID     string
	Summary string
	Place   string
	On      mtvp.Date
	Start   string // "19:00"; "" = all day
	End     string
}

// SetCalendarToken stores the hash of a login's personal calendar token,
// replacing (and so stopping) the previous one.
func (db *DB) SetCalendarToken(ctx context.Context, userID int64, hash string) error {
	res, err := db.sql.ExecContext(ctx, `UPDATE users SET calendar_token_hash = $2 WHERE id = $1`, userID, hash)
	return affectedOne(res, err)
}

// UserByCalendarToken returns the enabled login whose calendar token has
// this hash.
func (db *DB) UserByCalendarToken(ctx context.Context, hash string) (mtvp.User, error) {
	if hash == "" {
		return mtvp.User{}, notFound()
	}
	u, err := db.userBy(ctx, db.rd, `u.calendar_token_hash = $1 AND NOT u.disabled`, hash)
	return u, err
}

// PersonalEvents lists, from a date on, the intervision meetings of the
// groups the login's person is a member of and the training sessions they
// are placed in (matched on the e-mail address), and the planned visits
// the login makes as consultant.
func (db *DB) PersonalEvents(ctx context.Context, u mtvp.User, from mtvp.Date) ([]CalendarEvent, error) {
	var out []CalendarEvent
	scan := func(query string, args []any, make func(id int64, e *CalendarEvent) string) error {
		rows, err := db.rd.QueryContext(ctx, query, args...)
		if err != nil {
			return internal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var e CalendarEvent
			if err := rows.Scan(&id, &e.On, &e.Start, &e.End, &e.Place, &e.Summary); err != nil {
				return internal(err)
			}
			e.UID = make(id, &e)
			out = append(out, e)
		}
		return internal(rows.Err())
	}
	email := normEmail(u.Email)
	err := scan(`SELECT DISTINCT mt.id, mt.meeting_date, mt.start_time, mt.end_time, CASE WHEN mt.place = '' THEN g.place ELSE mt.place END, g.name
		FROM intervision_meetings mt JOIN intervision_groups g ON g.id = mt.group_id
		JOIN intervision_members m ON m.group_id = g.id AND m.status = 'lid' AND (m.left_on IS NULL OR m.left_on >= mt.meeting_date)
		JOIN persons p ON p.id = m.person_id
		WHERE LOWER(p.email) = $1 AND mt.meeting_date >= $2 ORDER BY mt.meeting_date`, []any{email, from},
		func(id int64, e *CalendarEvent) string {
			e.Summary = "Intervisie " + e.Summary
			return "meeting-" + itoa(int(id)) + "@meertijd"
		})
	if err != nil {
		return nil, err
	}
	err = scan(`SELECT DISTINCT s.id, s.first_date, s.start_time, s.end_time, s.place, t.title
		FROM training_sessions s JOIN trainings t ON t.id = s.training_id
		JOIN training_enrolments e ON e.session_id = s.id AND e.status = 'geplaatst'
		JOIN persons p ON p.id = e.person_id
		WHERE LOWER(p.email) = $1 AND s.first_date >= $2 ORDER BY s.first_date`, []any{email, from},
		func(id int64, e *CalendarEvent) string { return "session-" + itoa(int(id)) + "@meertijd" })
	if err != nil {
		return nil, err
	}
	err = scan(`SELECT v.id, v.planned_on, '', '', pr.city, pr.name
		FROM visits v JOIN practices pr ON pr.id = v.practice_id
		WHERE v.consultant_user_id = $1 AND v.status = $3 AND v.planned_on >= $2 ORDER BY v.planned_on`, []any{u.ID, from, string(mtvp.VisitPlanned)},
		func(id int64, e *CalendarEvent) string {
			e.Summary = "Jaarbezoek " + e.Summary
			return "visit-" + itoa(int(id)) + "@meertijd"
		})
	return out, err
}
