package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// ---- persons ----

const personCols = `pe.id, pe.region_id, pe.name, pe.email, pe.big, pe.kabiz, pe.version, pe.created_at, pe.updated_at`

func personDest(p *mtvp.Person, created, updated *time.Time) []any {
	return []any{&p.ID, &p.RegionID, &p.Name, &p.Email, &p.BIG, &p.KABIZ, &p.Version, created, updated}
}

func scanPerson(s rowScanner) (mtvp.Person, error) {
	var p mtvp.Person
	var created, updated time.Time
	err := s.Scan(personDest(&p, &created, &updated)...)
	p.CreatedAt, p.UpdatedAt = utc(created), utc(updated)
	return p, err
}

func personSearchKey(p *mtvp.Person) string { return strings.ToLower(p.Name) }

// PersonByID returns one person.
func (db *DB) PersonByID(ctx context.Context, id int64) (mtvp.Person, error) {
	return db.personByID(ctx, db.rd, id)
}

const sqlPersonByID = `SELECT ` + personCols + ` FROM persons pe WHERE pe.id = $1`

func (db *DB) personByID(ctx context.Context, q querier, id int64) (mtvp.Person, error) {
	p, err := scanPerson(db.queryRow(ctx, q, sqlPersonByID, id))
	return p, rowErr(err)
}

// queryRow runs a one-row query on q, inside a transaction through a
// prepared statement where there is one (see txQueryRow).
func (db *DB) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	if tx, ok := q.(*sql.Tx); ok {
		return db.txQueryRow(ctx, tx, query, args...)
	}
	return q.QueryRowContext(ctx, query, args...)
}

// PersonByBIG finds a person of the region by BIG number.
func (db *DB) PersonByBIG(ctx context.Context, regionID int64, big string) (mtvp.Person, error) {
	return db.personByBIG(ctx, db.rd, regionID, big)
}

func (db *DB) personByBIG(ctx context.Context, q querier, regionID int64, big string) (mtvp.Person, error) {
	big = strings.ReplaceAll(strings.TrimSpace(big), " ", "")
	if big == "" {
		return mtvp.Person{}, notFound()
	}
	p, err := scanPerson(db.queryRow(ctx, q, sqlPersonByBIG, regionID, big))
	return p, rowErr(err)
}

const sqlPersonByBIG = `SELECT ` + personCols + ` FROM persons pe
	WHERE pe.region_id = $1 AND pe.big = $2 ORDER BY pe.id LIMIT 1`

// ListPeople lists a region's people (name contains query), by name, at most
// limit rows (100 when limit <= 0).
func (db *DB) ListPeople(ctx context.Context, regionID int64, query string, limit int) ([]mtvp.Person, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT `+personCols+` FROM persons pe
		WHERE pe.region_id = $1 AND pe.search_key LIKE $2 ESCAPE '\'
		ORDER BY pe.search_key, pe.id LIMIT $3`, regionID, likePattern(query), limit)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, p)
	}
	return out, internal(rows.Err())
}

// CreatePerson validates and inserts p. A BIG number already used by
// another person of the region is EINVALID field "big".
func (db *DB) CreatePerson(ctx context.Context, a mtvp.Actor, p *mtvp.Person) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.createPerson(ctx, tx, a, p, ActionCreate) })
}

func (db *DB) createPerson(ctx context.Context, tx *sql.Tx, a mtvp.Actor, p *mtvp.Person, action string) error {
	if p.BIG != "" {
		if _, err := db.personByBIG(ctx, tx, p.RegionID, p.BIG); err == nil {
			return invalid("big", "err.big_taken")
		} else if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			return err
		}
	}
	now := db.now()
	var id int64
	err := db.txQueryRow(ctx, tx, sqlInsertPerson, p.RegionID, p.Name, p.Email, p.BIG, p.KABIZ, personSearchKey(p), now).Scan(&id)
	if isUnique(err) {
		return invalid("big", "err.big_taken")
	}
	if isForeignKey(err) {
		return invalid("region", "err.not_found")
	}
	if err != nil {
		return internal(err)
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
	return db.audit(ctx, tx, a, p.RegionID, EntityPerson, id, action, mtvp.Diff(nil, p))
}

const sqlInsertPerson = `INSERT INTO persons (region_id, name, email, big, kabiz, search_key, version, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id`

// UpdatePerson validates and updates p if p.Version is current.
func (db *DB) UpdatePerson(ctx context.Context, a mtvp.Actor, p *mtvp.Person) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.personByID(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if old.Version != p.Version {
			return conflict()
		}
		return db.writePerson(ctx, tx, a, &old, p)
	})
}

// writePerson updates p (read as old, Version checked) inside tx.
func (db *DB) writePerson(ctx context.Context, tx *sql.Tx, a mtvp.Actor, old, p *mtvp.Person) error {
	p.RegionID = old.RegionID
	if p.BIG != "" && p.BIG != old.BIG {
		if other, err := db.personByBIG(ctx, tx, p.RegionID, p.BIG); err == nil && other.ID != p.ID {
			return invalid("big", "err.big_taken")
		} else if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			return err
		}
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE persons SET name = $3, email = $4, big = $5, kabiz = $6, search_key = $7,
		version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2`,
		p.ID, p.Version, p.Name, p.Email, p.BIG, p.KABIZ, personSearchKey(p), now)
	if isUnique(err) {
		return invalid("big", "err.big_taken")
	}
	if err := checkUpdated(res, err); err != nil {
		return err
	}
	p.Version++
	p.CreatedAt, p.UpdatedAt = old.CreatedAt, now
	return db.audit(ctx, tx, a, p.RegionID, EntityPerson, p.ID, ActionUpdate, mtvp.Diff(old, p))
}

// UpdateStaff changes a person and one of their memberships together, as
// the staff form edits them, in one transaction: both are validated, both
// Versions must be current (else ECONFLICT and nothing is written), and
// each part that changed is updated and audited as UpdatePerson and
// UpdateMembership do; a part without changes is left as it is (its
// Version stays). A membership that is not the person's is ENOTFOUND.
// Region, person and practice never change.
func (db *DB) UpdateStaff(ctx context.Context, a mtvp.Actor, p *mtvp.Person, m *mtvp.Membership) error {
	p.Normalize()
	m.Normalize()
	if err := mtvp.ValidateStaff(p, m); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		oldP, err := db.personByID(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		oldM, err := db.membershipByID(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if oldM.PersonID != oldP.ID {
			return notFound()
		}
		if oldP.Version != p.Version || oldM.Version != m.Version {
			return conflict()
		}
		p.RegionID = oldP.RegionID
		m.PersonID, m.PracticeID = oldM.PersonID, oldM.PracticeID
		if len(mtvp.Diff(&oldP, p)) > 0 {
			if err := db.writePerson(ctx, tx, a, &oldP, p); err != nil {
				return err
			}
		} else {
			p.CreatedAt, p.UpdatedAt = oldP.CreatedAt, oldP.UpdatedAt
		}
		if len(mtvp.Diff(&oldM, m)) > 0 {
			return db.writeMembership(ctx, tx, a, &oldM, m, ActionUpdate)
		}
		m.CreatedAt, m.UpdatedAt = oldM.CreatedAt, oldM.UpdatedAt
		return nil
	})
}

// ---- memberships ----

const membershipCols = `m.id, m.person_id, m.practice_id, m.role, m.fte, m.from_date, m.to_date, m.version, m.created_at, m.updated_at`

func membershipDest(m *mtvp.Membership, created, updated *time.Time) []any {
	return []any{&m.ID, &m.PersonID, &m.PracticeID, &m.Role, &m.FTE, &m.From, &m.To, &m.Version, created, updated}
}

func scanMembership(s rowScanner) (mtvp.Membership, error) {
	var m mtvp.Membership
	var created, updated time.Time
	err := s.Scan(membershipDest(&m, &created, &updated)...)
	m.CreatedAt, m.UpdatedAt = utc(created), utc(updated)
	return m, err
}

func roleIndex(r mtvp.StaffRole) int {
	for i, x := range mtvp.StaffRoles {
		if x == r {
			return i
		}
	}
	return len(mtvp.StaffRoles)
}

// Staff returns a practice's memberships with their people, ordered by role
// order then name. Without includeEnded it returns the memberships not yet
// ended (to-date empty or today or later), which includes ones starting in
// the future; OtherPractices counts the person's other practices with a
// membership not yet ended.
func (db *DB) Staff(ctx context.Context, practiceID int64, includeEnded bool) ([]mtvp.StaffMember, error) {
	q := `SELECT ` + membershipCols + `, ` + personCols + `,
		(SELECT COUNT(DISTINCT o.practice_id) FROM memberships o
			WHERE o.person_id = m.person_id AND o.practice_id <> m.practice_id
			AND (o.to_date IS NULL OR o.to_date >= $2))
		FROM memberships m JOIN persons pe ON pe.id = m.person_id
		WHERE m.practice_id = $1`
	if !includeEnded {
		q += ` AND (m.to_date IS NULL OR m.to_date >= $2)`
	}
	rows, err := db.rd.QueryContext(ctx, q, practiceID, db.today())
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.StaffMember
	for rows.Next() {
		var s mtvp.StaffMember
		var mc, mu, pc, pu time.Time
		dest := append(membershipDest(&s.Membership, &mc, &mu), personDest(&s.Person, &pc, &pu)...)
		if err := rows.Scan(append(dest, &s.OtherPractices)...); err != nil {
			return nil, internal(err)
		}
		s.Membership.CreatedAt, s.Membership.UpdatedAt = utc(mc), utc(mu)
		s.Person.CreatedAt, s.Person.UpdatedAt = utc(pc), utc(pu)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := roleIndex(a.Role), roleIndex(b.Role); ra != rb {
			return ra < rb
		}
		if la, lb := strings.ToLower(a.Person.Name), strings.ToLower(b.Person.Name); la != lb {
			return la < lb
		}
		if !a.From.Equal(b.From) {
			return a.From.Before(b.From)
		}
		return a.Membership.ID < b.Membership.ID
	})
	return out, nil
}

// MembershipByID returns one membership.
func (db *DB) MembershipByID(ctx context.Context, id int64) (mtvp.Membership, error) {
	return db.membershipByID(ctx, db.rd, id)
}

func (db *DB) membershipByID(ctx context.Context, q querier, id int64) (mtvp.Membership, error) {
	m, err := scanMembership(q.QueryRowContext(ctx, `SELECT `+membershipCols+` FROM memberships m WHERE m.id = $1`, id))
	return m, rowErr(err)
}

// MembershipsOfPerson lists a person's memberships (all practices), by start
// date.
func (db *DB) MembershipsOfPerson(ctx context.Context, personID int64) ([]mtvp.Membership, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+membershipCols+` FROM memberships m
		WHERE m.person_id = $1 ORDER BY m.from_date, m.id`, personID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, m)
	}
	return out, internal(rows.Err())
}

// AddStaff adds a person to a practice in one transaction: when p.ID is 0
// and p.BIG matches a person of the region, that person is reused (p is
// filled with the stored person); when p.ID is 0 otherwise, p is created.
// Then m is inserted with PersonID set. The person must be in the
// practice's region.
func (db *DB) AddStaff(ctx context.Context, a mtvp.Actor, practiceID int64, p *mtvp.Person, m *mtvp.Membership) error {
	if err := validateStaffRow(p, m); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		region, err := db.practiceRegion(ctx, tx, practiceID)
		if err != nil {
			return err
		}
		return db.addStaff(ctx, tx, a, region, practiceID, p, m)
	})
}

// validateStaffRow normalises and validates one row of AddStaff: person and
// membership for a new person, the membership only for a stored one.
func validateStaffRow(p *mtvp.Person, m *mtvp.Membership) error {
	m.Normalize()
	if p.ID == 0 {
		p.Normalize()
		return mtvp.ValidateStaff(p, m)
	}
	return m.Validate()
}

// addStaff is AddStaff inside tx for a practice of region.
func (db *DB) addStaff(ctx context.Context, tx *sql.Tx, a mtvp.Actor, region, practiceID int64, p *mtvp.Person, m *mtvp.Membership) error {
	switch {
	case p.ID != 0:
		stored, err := db.personByID(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		*p = stored
	case p.BIG != "":
		p.RegionID = region
		if err := db.addPersonByBIG(ctx, tx, a, p); err != nil {
			return err
		}
	default:
		p.RegionID = region
		if err := db.createPerson(ctx, tx, a, p, ActionCreate); err != nil {
			return err
		}
	}
	m.PersonID, m.PracticeID = p.ID, practiceID
	return db.createMembership(ctx, tx, a, m, ActionCreate)
}

// StaffRow is one person with their membership for AddStaffBatch.
type StaffRow struct {
	Person     *mtvp.Person
	Membership *mtvp.Membership
}

// AddStaffBatch adds rows to a practice in one transaction: all or nothing.
// Each row is what AddStaff does for one: a person with an ID is that
// stored person (a locum's second practice; it must be in the practice's
// region), a new person whose BIG number matches a person of the region is
// that person, else the person is created; then the membership is
// inserted. Persons and memberships get their IDs and versions as with
// AddStaff. Every row is validated before anything is written; validation
// errors name the row: field "staff.<index>.<field>" (index into rows).
func (db *DB) AddStaffBatch(ctx context.Context, a mtvp.Actor, practiceID int64, rows []StaffRow) error {
	f := mtvp.FieldErrors{}
	for i, r := range rows {
		if r.Person == nil || r.Membership == nil {
			return internal(fmt.Errorf("AddStaffBatch: row %d without person or membership", i))
		}
		for k, v := range mtvp.FieldErrorsOf(validateStaffRow(r.Person, r.Membership)) {
			f.Add(staffRowPrefix(i)+k, v)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	// On failure nothing is saved, so the rows get back what they held
	// (not the IDs of rolled-back inserts).
	type saved struct {
		p mtvp.Person
		m mtvp.Membership
	}
	before := make([]saved, len(rows))
	for i, r := range rows {
		before[i] = saved{*r.Person, *r.Membership}
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		region, err := db.practiceRegion(ctx, tx, practiceID)
		if err != nil {
			return err
		}
		for i, r := range rows {
			if err := db.addStaff(ctx, tx, a, region, practiceID, r.Person, r.Membership); err != nil {
				return prefixed(staffRowPrefix(i), err)
			}
		}
		return nil
	})
	if err != nil {
		for i, r := range rows {
			*r.Person, *r.Membership = before[i].p, before[i].m
		}
	}
	return err
}

func staffRowPrefix(i int) string { return "staff." + strconv.Itoa(i) + "." }

// practiceRegion returns the region of a practice (ENOTFOUND without it).
func (db *DB) practiceRegion(ctx context.Context, tx *sql.Tx, practiceID int64) (int64, error) {
	var region int64
	err := db.txQueryRow(ctx, tx, sqlPracticeRegion, practiceID).Scan(&region)
	return region, rowErr(err)
}

const sqlPracticeRegion = `SELECT region_id FROM practices WHERE id = $1`

// addPersonByBIG inserts p unless a person of the region already has its
// BIG number; then p becomes that person. ON CONFLICT makes this safe when
// two AddStaff calls add the same new person at once on PostgreSQL: the
// second insert waits for the first to commit and then finds its row.
func (db *DB) addPersonByBIG(ctx context.Context, tx *sql.Tx, a mtvp.Actor, p *mtvp.Person) error {
	now := db.now()
	var id int64
	err := db.txQueryRow(ctx, tx, sqlInsertPersonByBIG, p.RegionID, p.Name, p.Email, p.BIG, p.KABIZ, personSearchKey(p), now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		stored, err := db.personByBIG(ctx, tx, p.RegionID, p.BIG)
		if err != nil {
			return err
		}
		*p = stored
		return nil
	}
	if err != nil {
		return internal(err)
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, now, now
	return db.audit(ctx, tx, a, p.RegionID, EntityPerson, id, ActionCreate, mtvp.Diff(nil, p))
}

const sqlInsertPersonByBIG = `INSERT INTO persons (region_id, name, email, big, kabiz, search_key, version, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
	ON CONFLICT (region_id, big) WHERE big <> '' DO NOTHING RETURNING id`

// CreateMembership validates and inserts m (person and practice must be in
// one region).
func (db *DB) CreateMembership(ctx context.Context, a mtvp.Actor, m *mtvp.Membership) error {
	m.Normalize()
	if err := m.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.createMembership(ctx, tx, a, m, ActionCreate) })
}

func (db *DB) createMembership(ctx context.Context, tx *sql.Tx, a mtvp.Actor, m *mtvp.Membership, action string) error {
	var practiceRegion, personRegion sql.NullInt64
	if err := db.txQueryRow(ctx, tx, sqlMembershipRegions, m.PracticeID, m.PersonID).Scan(&practiceRegion, &personRegion); err != nil {
		return internal(err)
	}
	if !practiceRegion.Valid || !personRegion.Valid {
		return notFound()
	}
	if personRegion.Int64 != practiceRegion.Int64 {
		return invalid("person", "err.region_mismatch")
	}
	now := db.now()
	var id int64
	err := db.txQueryRow(ctx, tx, sqlInsertMembership, m.PersonID, m.PracticeID, string(m.Role), m.FTE, m.From, m.To, now).Scan(&id)
	if isUnique(err) {
		return invalid("role", "err.membership_exists")
	}
	if err != nil {
		return internal(err)
	}
	m.ID, m.Version, m.CreatedAt, m.UpdatedAt = id, 1, now, now
	return db.audit(ctx, tx, a, practiceRegion.Int64, EntityMembership, id, action, mtvp.Diff(nil, m))
}

// sqlMembershipRegions reads the regions of a practice ($1) and a person
// ($2) in one statement; NULL when the row does not exist.
const sqlMembershipRegions = `SELECT (SELECT region_id FROM practices WHERE id = $1), (SELECT region_id FROM persons WHERE id = $2)`

const sqlInsertMembership = `INSERT INTO memberships (person_id, practice_id, role, fte, from_date, to_date, version, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id`

// UpdateMembership validates and updates role, FTE, from and to if
// m.Version is current. Person and practice never change.
func (db *DB) UpdateMembership(ctx context.Context, a mtvp.Actor, m *mtvp.Membership) error {
	m.Normalize()
	if err := m.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.membershipByID(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if old.Version != m.Version {
			return conflict()
		}
		m.PersonID, m.PracticeID = old.PersonID, old.PracticeID
		return db.writeMembership(ctx, tx, a, &old, m, ActionUpdate)
	})
}

func (db *DB) writeMembership(ctx context.Context, tx *sql.Tx, a mtvp.Actor, old, m *mtvp.Membership, action string) error {
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE memberships SET role = $3, fte = $4, from_date = $5, to_date = $6,
		version = version + 1, updated_at = $7 WHERE id = $1 AND version = $2`,
		m.ID, m.Version, string(m.Role), m.FTE, m.From, m.To, now)
	if isUnique(err) {
		return invalid("role", "err.membership_exists")
	}
	if err := checkUpdated(res, err); err != nil {
		return err
	}
	m.Version++
	m.CreatedAt, m.UpdatedAt = old.CreatedAt, now
	var region int64
	if err := tx.QueryRowContext(ctx, `SELECT region_id FROM practices WHERE id = $1`, m.PracticeID).Scan(&region); err != nil {
		return internal(err)
	}
	return db.audit(ctx, tx, a, region, EntityMembership, m.ID, action, mtvp.Diff(old, m))
}

// EndMembership sets the end date (on or after From) if version is current.
func (db *DB) EndMembership(ctx context.Context, a mtvp.Actor, id int64, to mtvp.Date, version int) error {
	if to.IsZero() {
		return invalid("to", "err.required")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.membershipByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != version {
			return conflict()
		}
		m := old
		m.To = to
		if err := m.Validate(); err != nil {
			return err
		}
		return db.writeMembership(ctx, tx, a, &old, &m, ActionEnd)
	})
}

// RoleTotal is the staff of one role: memberships, their FTE, and the
// distinct people holding them.
type RoleTotal struct {
	Role        mtvp.StaffRole
	Memberships int
	FTE         float64
	People      int
}

// StaffTotals is the staff of a region's active practices on one day.
type StaffTotals struct {
	Roles []RoleTotal // in mtvp.StaffRoles order; roles nobody holds left out
	// Total over all roles; People counts each person once, also one who
	// holds several roles or works at several practices.
	Total RoleTotal
}

// StaffTotals counts the memberships active on at (from on or before, to
// empty or on or after) at the region's practices whose status is active,
// per role, in one query. FTE sums are rounded to hundredths.
func (db *DB) StaffTotals(ctx context.Context, regionID int64, at mtvp.Date) (StaffTotals, error) {
	const from = ` FROM memberships m JOIN practices p ON p.id = m.practice_id
		WHERE p.region_id = $1 AND p.status = $3 AND m.from_date <= $2 AND (m.to_date IS NULL OR m.to_date >= $2)`
	// The total is a last row with an empty role, so one statement answers.
	rows, err := db.rd.QueryContext(ctx, `SELECT m.role, COUNT(*), COALESCE(SUM(m.fte), 0), COUNT(DISTINCT m.person_id)`+from+`
		GROUP BY m.role
		UNION ALL
		SELECT '', COUNT(*), COALESCE(SUM(m.fte), 0), COUNT(DISTINCT m.person_id)`+from,
		regionID, at, string(mtvp.PracticeActive))
	if err != nil {
		return StaffTotals{}, internal(err)
	}
	defer rows.Close()
	var out StaffTotals
	for rows.Next() {
		var t RoleTotal
		if err := rows.Scan(&t.Role, &t.Memberships, &t.FTE, &t.People); err != nil {
			return StaffTotals{}, internal(err)
		}
		t.FTE = math.Round(t.FTE*100) / 100
		if t.Role == "" {
			out.Total = t
		} else {
			out.Roles = append(out.Roles, t)
		}
	}
	if err := rows.Err(); err != nil {
		return StaffTotals{}, internal(err)
	}
	sort.SliceStable(out.Roles, func(i, j int) bool { return roleIndex(out.Roles[i].Role) < roleIndex(out.Roles[j].Role) })
	return out, nil
}
