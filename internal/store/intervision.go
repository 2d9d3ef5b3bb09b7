package store

// Intervision: groups, members and waiting lists, meetings, attendance,
// uploaded year documents and the facts the intervision norm needs.
//
//	intervision.go          CreateGroup, UpdateGroup, GroupByID, GroupByCalendarToken,
//	                        GroupCalendarToken, RotateCalendarToken, ListGroups,
//	                        GroupPlaces, Facilitators
//	intervision_members.go  GroupMembers, PracticeGroupMembers, GroupMemberByID, SignUp,
//	                        LeaveGroup, MoveMember
//	intervision_meetings.go Meetings, MeetingByID, CreateMeeting, UpdateMeeting,
//	                        GroupAttendance, SetAttendance, SaveGroupFile, GroupFiles,
//	                        GroupFile, IntervisionFacts
//
// Capacity is enforced under a lock on the group row: on PostgreSQL every
// change of a group's places first takes SELECT … FOR UPDATE on the group;
// on SQLite the single writer connection and BEGIN IMMEDIATE serialise
// writers. So two practices taking the last place at once: one gets it, the
// other is first on the waiting list.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Audit entity names of intervision.
const (
	EntityGroup   = "intervision_group"
	EntityMember  = "intervision_member"
	EntityMeeting = "intervision_meeting"
)

// Audit actions of intervision.
const (
	ActionSignUp     = "signup"
	ActionPromote    = "promote"
	ActionLeave      = "leave"
	ActionMove       = "move"
	ActionAttendance = "attendance"
	ActionUpload     = "upload"
	// ActionRotateCalendar: the calendar feed got a new secret URL.
	ActionRotateCalendar = "rotate_calendar"
)

const groupCols = `g.id, g.region_id, g.year, g.name, g.facilitator_user_id, COALESCE(u.name, ''), g.place, g.weekday,
	g.times, g.capacity, g.mixed, g.year_plan, g.year_report, g.version, g.created_at, g.updated_at`

const groupFrom = ` FROM intervision_groups g LEFT JOIN users u ON u.id = g.facilitator_user_id`

func scanGroup(s rowScanner, extra ...any) (mtvp.Group, error) {
	var g mtvp.Group
	var created, updated time.Time
	dest := []any{&g.ID, &g.RegionID, &g.Year, &g.Name, &g.FacilitatorID, &g.FacilitatorName, &g.Place, &g.Weekday,
		&g.Times, &g.Capacity, &g.Mixed, &g.YearPlan, &g.YearReport, &g.Version, &created, &updated}
	err := s.Scan(append(dest, extra...)...)
	g.CreatedAt, g.UpdatedAt = utc(created), utc(updated)
	return g, err
}

// auditGroup is what the history shows of a group (texts by length, not
// content).
func auditGroup(g *mtvp.Group) any {
	return struct {
		Year                 int
		Name                 string
		FacilitatorID        int64
		Place                string
		Weekday              int
		Times                string
		Capacity             int
		Mixed                bool
		YearPlan, YearReport string
	}{g.Year, g.Name, g.FacilitatorID, g.Place, g.Weekday, g.Times, g.Capacity, g.Mixed, textLen(g.YearPlan), textLen(g.YearReport)}
}

func textLen(s string) string {
	if s == "" {
		return ""
	}
	return itoa(len([]rune(s))) + " tekens"
}

// GroupByID returns one group.
func (db *DB) GroupByID(ctx context.Context, id int64) (mtvp.Group, error) {
	g, err := scanGroup(db.rd.QueryRowContext(ctx, `SELECT `+groupCols+groupFrom+` WHERE g.id = $1`, id))
	return g, rowErr(err)
}

// lockGroup reads a group inside tx and, on PostgreSQL, locks its row until
// the transaction ends, so capacity checks and the write after them are
// atomic.
func (db *DB) lockGroup(ctx context.Context, tx *sql.Tx, id int64) (mtvp.Group, error) {
	q := `SELECT ` + groupCols + groupFrom + ` WHERE g.id = $1`
	if db.engine == EnginePostgres {
		q += ` FOR UPDATE OF g`
	}
	g, err := scanGroup(tx.QueryRowContext(ctx, q, id))
	return g, rowErr(err)
}

// GroupByCalendarToken finds the group of a calendar feed's secret.
func (db *DB) GroupByCalendarToken(ctx context.Context, token string) (mtvp.Group, error) {
	if len(token) < 32 {
		return mtvp.Group{}, notFound()
	}
	g, err := scanGroup(db.rd.QueryRowContext(ctx, `SELECT `+groupCols+groupFrom+` WHERE g.calendar_token = $1`, token))
	return g, rowErr(err)
}

// GroupCalendarToken returns the secret of a group's calendar feed.
func (db *DB) GroupCalendarToken(ctx context.Context, id int64) (string, error) {
	var tok string
	err := db.rd.QueryRowContext(ctx, `SELECT calendar_token FROM intervision_groups WHERE id = $1`, id).Scan(&tok)
	return tok, rowErr(err)
}

// RotateCalendarToken gives the group's calendar feed a new secret: the old
// URL stops working at once. The change is audited (never the secret).
func (db *DB) RotateCalendarToken(ctx context.Context, a mtvp.Actor, id int64) (string, error) {
	tok := newCalendarToken()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		g, err := db.lockGroup(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE intervision_groups SET calendar_token = $2, updated_at = $3 WHERE id = $1`, id, tok, db.now())
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		return db.audit(ctx, tx, a, g.RegionID, EntityGroup, id, ActionRotateCalendar,
			[]mtvp.Change{{Field: "calendar_link", Old: "…", New: "…"}})
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

func newCalendarToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// checkFacilitator: the facilitator must hold a facilitator grant in the
// group's region.
func checkFacilitator(ctx context.Context, q querier, g *mtvp.Group) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM grants WHERE user_id = $1 AND role = $2 AND region_id = $3`,
		g.FacilitatorID, string(mtvp.AccountFacilitator), g.RegionID).Scan(&n); err != nil {
		return internal(err)
	}
	if n == 0 {
		return invalid("facilitator", "intervision.err.facilitator")
	}
	return nil
}

// CreateGroup validates and inserts g with a new calendar secret.
func (db *DB) CreateGroup(ctx context.Context, a mtvp.Actor, g *mtvp.Group) error {
	g.Normalize()
	if err := g.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkFacilitator(ctx, tx, g); err != nil {
			return err
		}
		now := db.now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO intervision_groups (region_id, year, name, facilitator_user_id, place, place_key,
			weekday, times, capacity, mixed, year_plan, year_report, calendar_token, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id`,
			g.RegionID, g.Year, g.Name, g.FacilitatorID, g.Place, strings.ToLower(g.Place), g.Weekday, g.Times, g.Capacity,
			g.Mixed, g.YearPlan, g.YearReport, newCalendarToken(), now).Scan(&id)
		if isForeignKey(err) {
			return invalid("region", "err.not_found")
		}
		if err != nil {
			return internal(err)
		}
		g.ID, g.Version, g.CreatedAt, g.UpdatedAt = id, 1, now, now
		return db.audit(ctx, tx, a, g.RegionID, EntityGroup, id, ActionCreate, mtvp.Diff(nil, auditGroup(g)))
	})
}

// UpdateGroup changes a group if g.Version is current. Region and year stay.
// Capacity may not drop below the current members; raising it moves people
// up from the waiting list into the new places (returned).
func (db *DB) UpdateGroup(ctx context.Context, a mtvp.Actor, g *mtvp.Group) ([]mtvp.Promotion, error) {
	g.Normalize()
	var promos []mtvp.Promotion
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.lockGroup(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		g.RegionID, g.Year = old.RegionID, old.Year
		if err := g.Validate(); err != nil {
			return err
		}
		if old.Version != g.Version {
			return conflict()
		}
		if g.FacilitatorID != old.FacilitatorID {
			if err := checkFacilitator(ctx, tx, g); err != nil {
				return err
			}
		}
		members, err := countMembers(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		if g.Capacity < members {
			return invalid("capacity", "intervision.err.capacity_below_members")
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE intervision_groups SET name = $3, facilitator_user_id = $4, place = $5, place_key = $6,
			weekday = $7, times = $8, capacity = $9, mixed = $10, year_plan = $11, year_report = $12, version = version + 1, updated_at = $13
			WHERE id = $1 AND version = $2`,
			g.ID, g.Version, g.Name, g.FacilitatorID, g.Place, strings.ToLower(g.Place), g.Weekday, g.Times, g.Capacity, g.Mixed,
			g.YearPlan, g.YearReport, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		g.Version++
		g.CreatedAt, g.UpdatedAt = old.CreatedAt, now
		if err := db.audit(ctx, tx, a, g.RegionID, EntityGroup, g.ID, ActionUpdate, mtvp.Diff(auditGroup(&old), auditGroup(g))); err != nil {
			return err
		}
		promos, err = db.promote(ctx, tx, a, *g, db.today())
		return err
	})
	if err != nil {
		return nil, err
	}
	if fresh, err := db.GroupByID(ctx, g.ID); err == nil {
		g.FacilitatorName = fresh.FacilitatorName
	}
	return promos, nil
}

// ListGroups returns the groups of a region and year with their counts,
// by name, in one query.
func (db *DB) ListGroups(ctx context.Context, f mtvp.GroupFilter) ([]mtvp.GroupSummary, error) {
	q := `SELECT ` + groupCols + `,
		(SELECT COUNT(*) FROM intervision_members m WHERE m.group_id = g.id AND m.status = 'lid' AND m.left_on IS NULL),
		(SELECT COUNT(*) FROM intervision_members m WHERE m.group_id = g.id AND m.status = 'wachtlijst' AND m.left_on IS NULL),
		(SELECT COUNT(*) FROM intervision_meetings mt WHERE mt.group_id = g.id)` + groupFrom + `
		WHERE g.region_id = $1 AND g.year = $2`
	args := []any{f.RegionID, f.Year}
	if p := strings.TrimSpace(f.Place); p != "" {
		args = append(args, strings.ToLower(p))
		q += ` AND g.place_key = $` + itoa(len(args))
	}
	if f.Weekday != 0 {
		args = append(args, f.Weekday)
		q += ` AND g.weekday = $` + itoa(len(args))
	}
	if f.FacilitatorID != 0 {
		args = append(args, f.FacilitatorID)
		q += ` AND g.facilitator_user_id = $` + itoa(len(args))
	}
	if f.OnlyFree {
		q += ` AND g.capacity > (SELECT COUNT(*) FROM intervision_members m WHERE m.group_id = g.id AND m.status = 'lid' AND m.left_on IS NULL)`
	}
	q += ` ORDER BY g.name, g.id`
	rows, err := db.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.GroupSummary
	for rows.Next() {
		var s mtvp.GroupSummary
		g, err := scanGroup(rows, &s.Members, &s.Waiting, &s.Meetings)
		if err != nil {
			return nil, internal(err)
		}
		s.Group = g
		out = append(out, s)
	}
	return out, internal(rows.Err())
}

// GroupPlaces lists the distinct places of a region's groups in a year, for
// the overview's filter.
func (db *DB) GroupPlaces(ctx context.Context, regionID int64, year int) ([]string, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT MIN(place) FROM intervision_groups WHERE region_id = $1 AND year = $2
		GROUP BY place_key ORDER BY place_key`, regionID, year)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, internal(err)
		}
		out = append(out, p)
	}
	return out, internal(rows.Err())
}

// GroupYears lists the years in which a region has groups, newest first.
func (db *DB) GroupYears(ctx context.Context, regionID int64) ([]int, error) {
	return db.years(ctx, `SELECT DISTINCT year FROM intervision_groups WHERE region_id = $1 ORDER BY year DESC`, regionID)
}

// Facilitators lists the users with a facilitator grant in a region, by
// name (id and name only).
func (db *DB) Facilitators(ctx context.Context, regionID int64) ([]mtvp.User, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT DISTINCT u.id, u.name FROM users u JOIN grants gr ON gr.user_id = u.id
		WHERE gr.region_id = $1 AND gr.role = $2 AND u.disabled = $3 ORDER BY u.name, u.id`,
		regionID, string(mtvp.AccountFacilitator), false)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.User
	for rows.Next() {
		var u mtvp.User
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, internal(err)
		}
		out = append(out, u)
	}
	return out, internal(rows.Err())
}
