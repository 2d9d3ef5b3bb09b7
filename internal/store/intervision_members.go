package store

import (
	"context"
	"database/sql"
	"time"

	"meertijd/internal/mtvp"
)

const memberCols = `m.id, m.group_id, m.person_id, m.practice_id, m.role, m.status, m.signed_up_at, m.joined_on, m.left_on,
	m.promoted_at, m.version, g.name, pe.name, pe.big, pr.name`

const memberFrom = ` FROM intervision_members m
	JOIN intervision_groups g ON g.id = m.group_id
	JOIN persons pe ON pe.id = m.person_id
	JOIN practices pr ON pr.id = m.practice_id`

func scanMember(s rowScanner) (mtvp.GroupMember, error) {
	var m mtvp.GroupMember
	var signed time.Time
	var promoted sql.NullTime
	err := s.Scan(&m.ID, &m.GroupID, &m.PersonID, &m.PracticeID, &m.Role, &m.Status, &signed, &m.Joined, &m.Left,
		&promoted, &m.Version, &m.GroupName, &m.PersonName, &m.BIG, &m.PracticeName)
	m.SignedUp, m.PromotedAt = utc(signed), nullTime(promoted)
	return m, err
}

func collectMembers(rows *sql.Rows) ([]mtvp.GroupMember, error) {
	defer rows.Close()
	var out []mtvp.GroupMember
	pos := map[int64]int{} // group → waiting positions handed out
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, internal(err)
		}
		if m.Status == mtvp.MemberWaiting && m.Current() {
			pos[m.GroupID]++
			m.Position = pos[m.GroupID]
		}
		out = append(out, m)
	}
	return out, internal(rows.Err())
}

// memberOrder puts current members first (by name), then the waiting list
// in its order, then history; waiting positions are counted in this order.
const memberOrder = ` ORDER BY m.group_id, CASE WHEN m.left_on IS NOT NULL THEN 2 WHEN m.status = 'lid' THEN 0 ELSE 1 END,
	CASE WHEN m.status = 'lid' THEN pe.search_key ELSE '' END, m.signed_up_at, m.id`

// GroupMembers returns a group's members and waiting list (with positions);
// with history also the rows of people who left.
func (db *DB) GroupMembers(ctx context.Context, groupID int64, history bool) ([]mtvp.GroupMember, error) {
	q := `SELECT ` + memberCols + memberFrom + ` WHERE m.group_id = $1`
	if !history {
		q += ` AND m.left_on IS NULL`
	}
	rows, err := db.rd.QueryContext(ctx, q+memberOrder, groupID)
	if err != nil {
		return nil, internal(err)
	}
	return collectMembers(rows)
}

// PracticeGroupMembers returns the places and waiting-list entries (with
// positions, history included) of the people a practice signed up, in the
// groups of one year. One query.
func (db *DB) PracticeGroupMembers(ctx context.Context, practiceID int64, year int) ([]mtvp.GroupMember, error) {
	// Positions are counted over the whole waiting list of each group, so
	// the query reads every current waiting entry of the groups concerned
	// and the practice's own rows are kept afterwards.
	rows, err := db.rd.QueryContext(ctx, `SELECT `+memberCols+memberFrom+`
		WHERE g.year = $2 AND m.group_id IN (SELECT x.group_id FROM intervision_members x WHERE x.practice_id = $1)
		AND (m.practice_id = $1 OR (m.status = 'wachtlijst' AND m.left_on IS NULL))`+memberOrder, practiceID, year)
	if err != nil {
		return nil, internal(err)
	}
	all, err := collectMembers(rows)
	if err != nil {
		return nil, err
	}
	var out []mtvp.GroupMember
	for _, m := range all {
		if m.PracticeID == practiceID {
			out = append(out, m)
		}
	}
	return out, nil
}

// GroupMemberByID returns one member row (position filled for a waiting
// entry).
func (db *DB) GroupMemberByID(ctx context.Context, id int64) (mtvp.GroupMember, error) {
	m, err := scanMember(db.rd.QueryRowContext(ctx, `SELECT `+memberCols+memberFrom+` WHERE m.id = $1`, id))
	if err != nil {
		return m, rowErr(err)
	}
	if m.Status == mtvp.MemberWaiting && m.Current() {
		m.Position, err = waitingPosition(ctx, db.rd, m)
	}
	return m, err
}

func (db *DB) memberTx(ctx context.Context, tx *sql.Tx, id int64) (mtvp.GroupMember, error) {
	m, err := scanMember(tx.QueryRowContext(ctx, `SELECT `+memberCols+memberFrom+` WHERE m.id = $1`, id))
	return m, rowErr(err)
}

func waitingPosition(ctx context.Context, q querier, m mtvp.GroupMember) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM intervision_members
		WHERE group_id = $1 AND status = 'wachtlijst' AND left_on IS NULL
		AND (signed_up_at < $2 OR (signed_up_at = $2 AND id <= $3))`, m.GroupID, ts(m.SignedUp), m.ID).Scan(&n)
	return n, internal(err)
}

func countMembers(ctx context.Context, q querier, groupID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM intervision_members WHERE group_id = $1 AND status = 'lid' AND left_on IS NULL`, groupID).Scan(&n)
	return n, internal(err)
}

// roleAt returns the person's role at the practice on day d that the group
// accepts; EINVALID when they do not work there then or in no such role.
func roleAt(ctx context.Context, q querier, personID, practiceID int64, d mtvp.Date, g mtvp.Group, s mtvp.NormSettings) (mtvp.StaffRole, error) {
	rows, err := q.QueryContext(ctx, `SELECT role FROM memberships WHERE person_id = $1 AND practice_id = $2
		AND from_date <= $3 AND (to_date IS NULL OR to_date >= $3) ORDER BY id`, personID, practiceID, d)
	if err != nil {
		return "", internal(err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var r mtvp.StaffRole
		if err := rows.Scan(&r); err != nil {
			return "", internal(err)
		}
		found = true
		if g.AcceptsRole(r, s) {
			return r, nil
		}
	}
	if err := rows.Err(); err != nil {
		return "", internal(err)
	}
	if !found {
		return "", invalid("person", "intervision.err.not_at_practice")
	}
	return "", invalid("person", "intervision.err.role_not_accepted")
}

func regionSettings(ctx context.Context, q querier, regionID int64) (mtvp.NormSettings, error) {
	var raw []byte
	if err := q.QueryRowContext(ctx, `SELECT settings FROM regions WHERE id = $1`, regionID).Scan(&raw); err != nil {
		return mtvp.NormSettings{}, rowErr(err)
	}
	s := mtvp.DefaultNormSettings()
	return s, jsonScan(raw, &s)
}

// joinDate is the date a place is taken on day d: a sign-up before the
// group's year takes the place from 1 January.
func joinDate(g mtvp.Group, d mtvp.Date) mtvp.Date {
	if d.Year() < g.Year {
		return mtvp.NewDate(g.Year, time.January, 1)
	}
	return d
}

// SignUp puts a person working at the practice into the group on day on:
// a place when one is free, else the end of the waiting list. The person
// must work at the practice that day in a role the group accepts, and may
// not already be in the group or on its list (EINVALID field "person").
// A group of a past year is closed (EINVALID field "group").
func (db *DB) SignUp(ctx context.Context, a mtvp.Actor, groupID, practiceID, personID int64, on mtvp.Date) (mtvp.SignUpResult, error) {
	var res mtvp.SignUpResult
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		g, err := db.lockGroup(ctx, tx, groupID)
		if err != nil {
			return err
		}
		if on.Year() > g.Year {
			return invalid("group", "intervision.err.group_closed")
		}
		var practiceRegion int64
		if err := tx.QueryRowContext(ctx, `SELECT region_id FROM practices WHERE id = $1`, practiceID).Scan(&practiceRegion); err != nil {
			return rowErr(err)
		}
		if practiceRegion != g.RegionID {
			return notFound()
		}
		settings, err := regionSettings(ctx, tx, g.RegionID)
		if err != nil {
			return err
		}
		role, err := roleAt(ctx, tx, personID, practiceID, on, g, settings)
		if err != nil {
			return err
		}
		members, err := countMembers(ctx, tx, g.ID)
		if err != nil {
			return err
		}
		status, joined := mtvp.MemberWaiting, mtvp.Date{}
		if mtvp.SeatTaken(g.Capacity, members) {
			status, joined = mtvp.MemberActive, joinDate(g, on)
		}
		now := db.now()
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO intervision_members (group_id, person_id, practice_id, role, status, signed_up_at,
			joined_on, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id`,
			g.ID, personID, practiceID, string(role), string(status), db.recordedAt(on), joined, now).Scan(&id)
		if isUnique(err) {
			return invalid("person", "intervision.err.already_in_group")
		}
		if err != nil {
			return internal(err)
		}
		m, err := db.memberTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if status == mtvp.MemberWaiting {
			if m.Position, err = waitingPosition(ctx, tx, m); err != nil {
				return err
			}
		}
		res = mtvp.SignUpResult{Member: m, Position: m.Position}
		changes := []mtvp.Change{{Field: "Group", New: g.Name}, {Field: "Person", New: m.PersonName},
			{Field: "Practice", New: m.PracticeName}, {Field: "Status", New: string(status)}}
		if m.Position > 0 {
			changes = append(changes, mtvp.Change{Field: "Position", New: itoa(m.Position)})
		}
		changes = append(changes, mtvp.RecordedAfterwards(on, db.today())...)
		return db.audit(ctx, tx, a, g.RegionID, EntityMember, id, ActionSignUp, changes)
	})
	return res, err
}

// promote fills free places of g from its waiting list by the shared seat
// rule (mtvp.PromoteWaiting), on day on. Each move is audited.
func (db *DB) promote(ctx context.Context, tx *sql.Tx, a mtvp.Actor, g mtvp.Group, on mtvp.Date) ([]mtvp.Promotion, error) {
	members, err := countMembers(ctx, tx, g.ID)
	if err != nil {
		return nil, err
	}
	if mtvp.FreeSeats(g.Capacity, members) == 0 {
		return nil, nil
	}
	waiting, err := collectWaiters(tx.QueryContext(ctx, `SELECT id, signed_up_at FROM intervision_members WHERE group_id = $1 AND status = 'wachtlijst' AND left_on IS NULL`, g.ID))
	if err != nil {
		return nil, err
	}
	var out []mtvp.Promotion
	for _, id := range mtvp.PromoteWaiting(g.Capacity, members, waiting) {
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE intervision_members SET status = 'lid', joined_on = $2, promoted_at = $3,
			version = version + 1, updated_at = $3 WHERE id = $1`, id, joinDate(g, on), now); err != nil {
			return nil, internal(err)
		}
		m, err := db.memberTx(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, mtvp.Promotion{Member: m, At: now})
		if err := db.audit(ctx, tx, a, g.RegionID, EntityMember, id, ActionPromote, []mtvp.Change{
			{Field: "Group", New: g.Name}, {Field: "Person", New: m.PersonName}, {Field: "Practice", New: m.PracticeName},
			{Field: "Status", Old: string(mtvp.MemberWaiting), New: string(mtvp.MemberActive)}}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LeaveGroup ends a place or waiting-list entry on day on (if version is
// current). A freed place goes to the first on the waiting list in the same
// transaction; the promotions are returned.
func (db *DB) LeaveGroup(ctx context.Context, a mtvp.Actor, memberID int64, on mtvp.Date, version int) ([]mtvp.Promotion, error) {
	var promos []mtvp.Promotion
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		m, err := db.memberTx(ctx, tx, memberID)
		if err != nil {
			return err
		}
		g, err := db.lockGroup(ctx, tx, m.GroupID)
		if err != nil {
			return err
		}
		if m, err = db.memberTx(ctx, tx, memberID); err != nil { // re-read under the lock
			return err
		}
		if m.Version != version || !m.Current() {
			return conflict()
		}
		if err := db.endPlace(ctx, tx, m, on); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, a, g.RegionID, EntityMember, m.ID, ActionLeave, []mtvp.Change{
			{Field: "Group", New: g.Name}, {Field: "Person", New: m.PersonName}, {Field: "Left", New: on.String()}}); err != nil {
			return err
		}
		if m.Status == mtvp.MemberActive {
			promos, err = db.promote(ctx, tx, a, g, on)
		}
		return err
	})
	return promos, err
}

func (db *DB) endPlace(ctx context.Context, tx *sql.Tx, m mtvp.GroupMember, on mtvp.Date) error {
	if on.IsZero() {
		return invalid("left", "err.required")
	}
	if m.Status == mtvp.MemberActive && on.Before(m.Joined) {
		return invalid("left", "intervision.err.left_before_joined")
	}
	res, err := tx.ExecContext(ctx, `UPDATE intervision_members SET left_on = $3, version = version + 1, updated_at = $4
		WHERE id = $1 AND version = $2`, m.ID, m.Version, on, db.now())
	return checkUpdated(res, err)
}

// MoveMember moves a current member to another group of the same region and
// year on day on, with a reason (region admins). The target needs a free
// place and must accept the person's role; the freed place in the source
// goes to its waiting list. Returns the new row and the promotions.
func (db *DB) MoveMember(ctx context.Context, a mtvp.Actor, memberID, toGroupID int64, on mtvp.Date, reason string, version int) (mtvp.GroupMember, []mtvp.Promotion, error) {
	var moved mtvp.GroupMember
	var promos []mtvp.Promotion
	f := mtvp.FieldErrors{}
	if len([]rune(reason)) < 3 {
		f.Add("reason", "intervision.err.reason_required")
	} else if len([]rune(reason)) > 500 {
		f.Add("reason", "err.too_long")
	}
	if on.IsZero() {
		f.Add("on", "err.required")
	}
	if err := f.Err(); err != nil {
		return moved, nil, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		m, err := db.memberTx(ctx, tx, memberID)
		if err != nil {
			return err
		}
		if m.GroupID == toGroupID {
			return invalid("to_group", "intervision.err.same_group")
		}
		// Lock both groups in id order so two moves cannot deadlock.
		first, second := m.GroupID, toGroupID
		if second < first {
			first, second = second, first
		}
		locked := map[int64]mtvp.Group{}
		for _, id := range []int64{first, second} {
			g, err := db.lockGroup(ctx, tx, id)
			if err != nil {
				if mtvp.ErrorCode(err) == mtvp.ENOTFOUND && id == toGroupID {
					return invalid("to_group", "err.not_found")
				}
				return err
			}
			locked[id] = g
		}
		from, to := locked[m.GroupID], locked[toGroupID]
		if to.RegionID != from.RegionID || to.Year != from.Year {
			return invalid("to_group", "intervision.err.other_year")
		}
		if m, err = db.memberTx(ctx, tx, memberID); err != nil {
			return err
		}
		if m.Version != version || !m.Current() {
			return conflict()
		}
		if m.Status != mtvp.MemberActive {
			return invalid("member", "intervision.err.move_waiting")
		}
		settings, err := regionSettings(ctx, tx, to.RegionID)
		if err != nil {
			return err
		}
		if !to.AcceptsRole(m.Role, settings) {
			return invalid("to_group", "intervision.err.role_not_accepted")
		}
		n, err := countMembers(ctx, tx, to.ID)
		if err != nil {
			return err
		}
		if n >= to.Capacity {
			return invalid("to_group", "intervision.err.target_full")
		}
		if err := db.endPlace(ctx, tx, m, on); err != nil {
			return err
		}
		now := db.now()
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO intervision_members (group_id, person_id, practice_id, role, status, signed_up_at,
			joined_on, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 'lid', $5, $6, 1, $5, $5) RETURNING id`,
			to.ID, m.PersonID, m.PracticeID, string(m.Role), now, joinDate(to, on)).Scan(&id)
		if isUnique(err) {
			return invalid("to_group", "intervision.err.already_in_group")
		}
		if err != nil {
			return internal(err)
		}
		changes := []mtvp.Change{{Field: "Group", Old: from.Name, New: to.Name}, {Field: "Person", New: m.PersonName}, {Field: "Reason", New: reason}}
		if err := db.audit(ctx, tx, a, from.RegionID, EntityMember, m.ID, ActionMove, changes); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, a, to.RegionID, EntityMember, id, ActionMove, changes); err != nil {
			return err
		}
		if moved, err = db.memberTx(ctx, tx, id); err != nil {
			return err
		}
		promos, err = db.promote(ctx, tx, a, from, on)
		return err
	})
	return moved, promos, err
}
