package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// Learning activities (issue 16 §1): kinds with their setting, activities,
// sign-ups by the shared seat rule (mtvp.SeatTaken / mtvp.PromoteWaiting),
// attendance, shadowing answers and scan results.

const (
	EntityActivity       = "activity"
	EntityActivityKind   = "activity_kind"
	EntityActivitySignUp = "activity_signup"
)

// ---- kinds ----

// ActivityKinds returns the region's kinds: the built-ins first (with their
// stored setting, or the default), then the added kinds by name.
func (db *DB) ActivityKinds(ctx context.Context, regionID int64) ([]mtvp.ActivityKind, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT code, name, counts, norm, version FROM activity_kinds WHERE region_id = $1 ORDER BY name, code`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	stored := map[string]mtvp.ActivityKind{}
	var added []mtvp.ActivityKind
	for rows.Next() {
		k := mtvp.ActivityKind{RegionID: regionID}
		if err := rows.Scan(&k.Code, &k.Name, &k.Counts, &k.Norm, &k.Version); err != nil {
			return nil, internal(err)
		}
		k.Builtin = mtvp.IsBuiltinKind(k.Code)
		if k.Builtin {
			stored[k.Code] = k
		} else {
			added = append(added, k)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	out := make([]mtvp.ActivityKind, 0, len(mtvp.BuiltinActivityKinds)+len(added))
	for _, c := range mtvp.BuiltinActivityKinds {
		k, ok := stored[c]
		if !ok {
			k = mtvp.ActivityKind{RegionID: regionID, Code: c, Builtin: true}
		}
		out = append(out, k)
	}
	return append(out, added...), nil
}

// SaveActivityKind adds a kind (k.Version 0, not built-in) or stores a
// kind's setting (k.Version must be current; 0 for a built-in never
// stored). ECONFLICT when someone else changed it meanwhile.
func (db *DB) SaveActivityKind(ctx context.Context, a mtvp.Actor, k *mtvp.ActivityKind) error {
	k.Builtin = mtvp.IsBuiltinKind(k.Code)
	if k.Builtin {
		k.Name = ""
	}
	if err := k.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		var id int64
		var old mtvp.ActivityKind
		err := tx.QueryRowContext(ctx, `SELECT id, counts, norm, version FROM activity_kinds WHERE region_id = $1 AND code = $2`, k.RegionID, k.Code).
			Scan(&id, &old.Counts, &old.Norm, &old.Version)
		switch {
		case err == sql.ErrNoRows:
			if k.Version != 0 {
				return conflict()
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO activity_kinds (region_id, code, name, counts, norm, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`, k.RegionID, k.Code, k.Name, string(k.Counts), string(k.Norm), now).Scan(&id); err != nil {
				return internal(err)
			}
			k.Version = 1
			return db.audit(ctx, tx, a, k.RegionID, EntityActivityKind, id, ActionCreate, []mtvp.Change{
				{Field: "Code", New: k.Code}, {Field: "Name", New: k.Name}, {Field: "Counts", New: string(k.Counts)}, {Field: "Norm", New: string(k.Norm)}})
		case err != nil:
			return internal(err)
		}
		if k.Version == 0 && !k.Builtin {
			return invalid("name", "activity.err.kind_exists")
		}
		if old.Version != k.Version {
			return conflict()
		}
		res, err := tx.ExecContext(ctx, `UPDATE activity_kinds SET counts = $3, norm = $4, version = version + 1, updated_at = $5 WHERE id = $1 AND version = $2`,
			id, k.Version, string(k.Counts), string(k.Norm), now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		k.Version++
		return db.audit(ctx, tx, a, k.RegionID, EntityActivityKind, id, ActionUpdate, []mtvp.Change{{Field: "Counts", Old: string(old.Counts), New: string(k.Counts)},
			{Field: "Norm", Old: string(old.Norm), New: string(k.Norm)}})
	})
}

// ---- activities ----

const activityCols = `a.id, a.region_id, a.kind, a.title, a.description, a.day, a.start_time, a.end_time, a.place, a.capacity,
	COALESCE(a.host_practice_id, 0), COALESCE(hp.name, ''), a.host_status, a.scan_by, COALESCE(a.scan_consultant_id, 0),
	a.result_name, a.result_type, a.result_size, a.version, a.created_at, a.updated_at,
	(SELECT COUNT(*) FROM activity_signups s WHERE s.activity_id = a.id AND s.status = 'geplaatst'),
	(SELECT COUNT(*) FROM activity_signups s WHERE s.activity_id = a.id AND s.status = 'wachtlijst')`

const activityFrom = ` FROM activities a LEFT JOIN practices hp ON hp.id = a.host_practice_id`

func scanActivity(s rowScanner) (mtvp.Activity, error) {
	var a mtvp.Activity
	var created, updated time.Time
	err := s.Scan(&a.ID, &a.RegionID, &a.Kind, &a.Title, &a.Description, &a.Date, &a.StartTime, &a.EndTime, &a.Place, &a.Capacity,
		&a.HostPracticeID, &a.HostPracticeName, &a.HostStatus, &a.ScanBy, &a.ScanConsultantID,
		&a.ResultName, &a.ResultType, &a.ResultSize, &a.Version, &created, &updated, &a.Placed, &a.Waiting)
	a.CreatedAt, a.UpdatedAt = utc(created), utc(updated)
	return a, err
}

// ActivityFilter narrows the list: one kind, from a day on, or the
// activities a practice hosts, is scanned for or has sign-ups in.
type ActivityFilter struct {
	RegionID   int64
	Kind       string
	From       mtvp.Date
	PracticeID int64
}

// Activities lists a region's activities by day.
func (db *DB) Activities(ctx context.Context, f ActivityFilter) ([]mtvp.Activity, error) {
	q := `SELECT ` + activityCols + activityFrom + ` WHERE a.region_id = $1 AND ($2 = '' OR a.kind = $2)`
	args := []any{f.RegionID, f.Kind}
	if !f.From.IsZero() {
		args = append(args, f.From)
		q += ` AND a.day >= $` + strconv.Itoa(len(args))
	}
	if f.PracticeID != 0 {
		args = append(args, f.PracticeID)
		n := strconv.Itoa(len(args))
		q += ` AND (a.host_practice_id = $` + n + ` OR EXISTS (SELECT 1 FROM activity_signups s WHERE s.activity_id = a.id AND s.practice_id = $` + n + ` AND s.status <> 'geannuleerd'))`
	}
	rows, err := db.rd.QueryContext(ctx, q+` ORDER BY a.day, a.start_time, a.id`, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Activity
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, a)
	}
	return out, internal(rows.Err())
}

// ActivityByID returns one activity.
func (db *DB) ActivityByID(ctx context.Context, id int64) (mtvp.Activity, error) {
	return db.activityByID(ctx, db.rd, id)
}

func (db *DB) activityByID(ctx context.Context, q querier, id int64) (mtvp.Activity, error) {
	a, err := scanActivity(q.QueryRowContext(ctx, `SELECT `+activityCols+activityFrom+` WHERE a.id = $1`, id))
	return a, rowErr(err)
}

// lockActivity takes the activity's row lock for the rest of the
// transaction (see lockSession) and returns it.
func (db *DB) lockActivity(ctx context.Context, tx *sql.Tx, id int64) (mtvp.Activity, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE activities SET capacity = capacity WHERE id = $1`, id); err != nil {
		return mtvp.Activity{}, internal(err)
	}
	return db.activityByID(ctx, tx, id)
}

// lockActivityVersion is lockActivity for a change made to version:
// ECONFLICT when the activity moved on meanwhile.
func (db *DB) lockActivityVersion(ctx context.Context, tx *sql.Tx, id int64, version int) (mtvp.Activity, error) {
	act, err := db.lockActivity(ctx, tx, id)
	if err == nil && act.Version != version {
		err = conflict()
	}
	return act, err
}

// checkActivityRefs checks the kind exists in the region, and the host
// practice and scan consultant belong to it.
func (db *DB) checkActivityRefs(ctx context.Context, tx *sql.Tx, act *mtvp.Activity) error {
	if !mtvp.IsBuiltinKind(act.Kind) {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_kinds WHERE region_id = $1 AND code = $2`, act.RegionID, act.Kind).Scan(&n); err != nil {
			return internal(err)
		}
		if n == 0 {
			return invalid("kind", "activity.err.kind_required")
		}
	}
	if act.HostPracticeID != 0 {
		p, err := db.practiceByID(ctx, tx, act.HostPracticeID)
		if err != nil || p.RegionID != act.RegionID {
			return invalid("host_practice", "activity.err.host_required")
		}
	}
	if act.ScanConsultantID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM grants WHERE user_id = $1 AND region_id = $2 AND role IN ('consultant', 'region-admin')`,
			act.ScanConsultantID, act.RegionID).Scan(&n); err != nil {
			return internal(err)
		}
		if n == 0 {
			return invalid("scan_by", "activity.err.scan_by_required")
		}
	}
	return nil
}

// CreateActivity validates and stores a new activity.
func (db *DB) CreateActivity(ctx context.Context, a mtvp.Actor, act *mtvp.Activity) error {
	act.Normalize()
	if err := act.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.checkActivityRefs(ctx, tx, act); err != nil {
			return err
		}
		now := db.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO activities (region_id, kind, title, description, day, start_time, end_time, place, capacity,
			host_practice_id, host_status, scan_by, scan_consultant_id, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id`,
			act.RegionID, act.Kind, act.Title, act.Description, act.Date, act.StartTime, act.EndTime, act.Place, act.Capacity,
			nullID(act.HostPracticeID), string(act.HostStatus), act.ScanBy, nullID(act.ScanConsultantID), now).Scan(&act.ID)
		if err != nil {
			return internal(err)
		}
		cur, err := db.activityByID(ctx, tx, act.ID)
		if err != nil {
			return err
		}
		*act = cur
		return db.audit(ctx, tx, a, act.RegionID, EntityActivity, act.ID, ActionCreate, []mtvp.Change{
			{Field: "Kind", New: act.Kind}, {Field: "Title", New: act.Title}, {Field: "Date", New: act.Date.String()},
			{Field: "Place", New: act.Place}, {Field: "Capacity", New: itoa(act.Capacity)}})
	})
}

// AnswerShadowing records the host practice's answer to a shadowing
// request (mtvp.Activity.DecideHost) if version is current.
func (db *DB) AnswerShadowing(ctx context.Context, a mtvp.Actor, id int64, version int, accept bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		act, err := db.lockActivityVersion(ctx, tx, id, version)
		if err != nil {
			return err
		}
		st, err := act.DecideHost(accept, db.today())
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE activities SET host_status = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2`,
			id, version, string(st), db.now())
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		return db.audit(ctx, tx, a, act.RegionID, EntityActivity, id, ActionUpdate, []mtvp.Change{{Field: "HostStatus", Old: string(act.HostStatus), New: string(st)}})
	})
}

// SetActivityResult stores a practice scan's result document (replacing an
// earlier one) if version is current; the file is checked as evidence is.
func (db *DB) SetActivityResult(ctx context.Context, a mtvp.Actor, id int64, version int, ev Evidence) error {
	f := mtvp.FieldErrors{}
	ev.check(f, "result")
	if err := f.Err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		act, err := db.lockActivityVersion(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if act.Kind != mtvp.KindScan {
			return invalid("result", "activity.err.result_only_scan")
		}
		res, err := tx.ExecContext(ctx, `UPDATE activities SET result_name = $3, result_type = $4, result_size = $5, version = version + 1, updated_at = $6
			WHERE id = $1 AND version = $2`, id, version, ev.Name, ev.Type, len(ev.Data), db.now())
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM activity_results WHERE activity_id = $1`, id); err != nil {
			return internal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_results (activity_id, data) VALUES ($1, $2)`, id, ev.Data); err != nil {
			return internal(err)
		}
		return db.audit(ctx, tx, a, act.RegionID, EntityActivity, id, ActionUpdate, []mtvp.Change{{Field: "Result", Old: act.ResultName, New: ev.Name}})
	})
}

// ActivityResult returns a practice scan's result document.
func (db *DB) ActivityResult(ctx context.Context, id int64) (Evidence, error) {
	var ev Evidence
	err := db.rd.QueryRowContext(ctx, `SELECT a.result_name, a.result_type, r.data FROM activities a
		JOIN activity_results r ON r.activity_id = a.id WHERE a.id = $1`, id).Scan(&ev.Name, &ev.Type, &ev.Data)
	return ev, rowErr(err)
}

// ---- sign-ups ----

const signUpCols = `s.id, s.activity_id, s.person_id, s.practice_id, pe.name, pr.name, s.status, s.queued_at, s.promoted_at, s.attended, s.version`
const signUpFrom = ` FROM activity_signups s JOIN persons pe ON pe.id = s.person_id JOIN practices pr ON pr.id = s.practice_id`

func scanSignUp(s rowScanner) (mtvp.ActivitySignUp, error) {
	var x mtvp.ActivitySignUp
	var queued time.Time
	var promoted sql.NullTime
	var attended sql.NullBool
	err := s.Scan(&x.ID, &x.ActivityID, &x.PersonID, &x.PracticeID, &x.PersonName, &x.PracticeName, &x.Status, &queued, &promoted, &attended, &x.Version)
	x.Queued, x.PromotedAt = utc(queued), nullTime(promoted)
	if attended.Valid {
		b := attended.Bool
		x.Attended = &b
	}
	return x, err
}

// ActivitySignUps returns an activity's sign-ups: placed (by name), the
// waiting list in its order (with positions), then cancelled ones.
// practiceID > 0 keeps only that practice's (positions still count the
// whole list).
func (db *DB) ActivitySignUps(ctx context.Context, activityID, practiceID int64) ([]mtvp.ActivitySignUp, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+signUpCols+signUpFrom+` WHERE s.activity_id = $1
		ORDER BY CASE s.status WHEN 'geplaatst' THEN 0 WHEN 'wachtlijst' THEN 1 ELSE 2 END,
		CASE WHEN s.status = 'geplaatst' THEN pe.search_key ELSE '' END, s.queued_at, s.id`, activityID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.ActivitySignUp
	pos := 0
	for rows.Next() {
		x, err := scanSignUp(rows)
		if err != nil {
			return nil, internal(err)
		}
		if x.Status == mtvp.EnrolmentWaiting {
			pos++
			x.Position = pos
		}
		if practiceID == 0 || x.PracticeID == practiceID {
			out = append(out, x)
		}
	}
	return out, internal(rows.Err())
}

// ActivitySignUpByID returns one sign-up.
func (db *DB) ActivitySignUpByID(ctx context.Context, id int64) (mtvp.ActivitySignUp, error) {
	x, err := scanSignUp(db.rd.QueryRowContext(ctx, `SELECT `+signUpCols+signUpFrom+` WHERE s.id = $1`, id))
	return x, rowErr(err)
}

func (db *DB) activityPlaced(ctx context.Context, tx *sql.Tx, activityID int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_signups WHERE activity_id = $1 AND status = 'geplaatst'`, activityID).Scan(&n)
	return n, internal(err)
}

// SignUpForActivity signs x.PersonID of practice x.PracticeID up for
// activity x.ActivityID: a place while one is free, else the waiting list
// (mtvp.SeatTaken). The person must be on the practice's staff, the
// practice in the activity's region, and mtvp.Activity.SignUpAllowed hold.
// A cancelled sign-up is renewed at the back of the queue.
func (db *DB) SignUpForActivity(ctx context.Context, a mtvp.Actor, x *mtvp.ActivitySignUp) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		act, err := db.lockActivity(ctx, tx, x.ActivityID)
		if err != nil {
			return err
		}
		p, err := db.practiceByID(ctx, tx, x.PracticeID)
		if err != nil {
			return err
		}
		if p.RegionID != act.RegionID {
			return notFound()
		}
		today := db.today()
		if err := act.SignUpAllowed(p.ID, today); err != nil {
			return err
		}
		ok, err := db.onStaff(ctx, tx, p.ID, x.PersonID, today)
		if err != nil {
			return err
		}
		if !ok {
			return invalid("person", "training.err.person_not_on_staff")
		}
		placed, err := db.activityPlaced(ctx, tx, act.ID)
		if err != nil {
			return err
		}
		status := mtvp.EnrolmentWaiting
		if mtvp.SeatTaken(act.Capacity, placed) {
			status = mtvp.EnrolmentPlaced
		}
		now := db.now()
		var oldID int64
		var oldStatus mtvp.EnrolmentStatus
		err = tx.QueryRowContext(ctx, `SELECT id, status FROM activity_signups WHERE activity_id = $1 AND person_id = $2`, act.ID, x.PersonID).Scan(&oldID, &oldStatus)
		switch {
		case err == nil && oldStatus != mtvp.EnrolmentCancelled:
			return invalid("person", "training.err.already_enrolled")
		case err == nil:
			if _, err := tx.ExecContext(ctx, `UPDATE activity_signups SET status = $2, practice_id = $3, queued_at = $4, promoted_at = NULL, attended = NULL,
				version = version + 1, updated_at = $4 WHERE id = $1`, oldID, string(status), p.ID, now); err != nil {
				return internal(err)
			}
			x.ID = oldID
		case err == sql.ErrNoRows:
			err = tx.QueryRowContext(ctx, `INSERT INTO activity_signups (activity_id, person_id, practice_id, status, queued_at, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, 1, $5, $5) RETURNING id`, act.ID, x.PersonID, p.ID, string(status), now).Scan(&x.ID)
			if isUnique(err) {
				return invalid("person", "training.err.already_enrolled")
			}
			if err != nil {
				return internal(err)
			}
		default:
			return internal(err)
		}
		cur, err := scanSignUp(tx.QueryRowContext(ctx, `SELECT `+signUpCols+signUpFrom+` WHERE s.id = $1`, x.ID))
		if err != nil {
			return internal(err)
		}
		*x = cur
		if status == mtvp.EnrolmentWaiting {
			w, err := activityWaiters(ctx, tx, act.ID)
			if err != nil {
				return err
			}
			x.Position = mtvp.WaitingPosition(w, x.ID)
		}
		return db.audit(ctx, tx, a, act.RegionID, EntityActivitySignUp, x.ID, ActionCreate, []mtvp.Change{
			{Field: "Activity", New: act.Title}, {Field: "Person", New: x.PersonName}, {Field: "Status", New: string(x.Status)}})
	})
}

// CancelActivitySignUp cancels a sign-up if version is current; a freed
// place goes to the waiting list by the shared seat rule in the same
// transaction, and mailer's mails about it (the person moved up and their
// practice) are written with it.
func (db *DB) CancelActivitySignUp(ctx context.Context, a mtvp.Actor, id int64, version int, mailer ActivityMailer) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var activityID int64
		if err := tx.QueryRowContext(ctx, `SELECT activity_id FROM activity_signups WHERE id = $1`, id).Scan(&activityID); err != nil {
			return rowErr(err)
		}
		act, err := db.lockActivity(ctx, tx, activityID)
		if err != nil {
			return err
		}
		old, err := scanSignUp(tx.QueryRowContext(ctx, `SELECT `+signUpCols+signUpFrom+` WHERE s.id = $1`, id))
		if err != nil {
			return rowErr(err)
		}
		if old.Version != version {
			return conflict()
		}
		if old.Status == mtvp.EnrolmentCancelled {
			return nil
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE activity_signups SET status = 'geannuleerd', version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2`, id, version, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, a, act.RegionID, EntityActivitySignUp, id, ActionUpdate, []mtvp.Change{{Field: "Status", Old: string(old.Status), New: string(mtvp.EnrolmentCancelled)}}); err != nil {
			return err
		}
		promoted, err := db.promoteActivityWaiting(ctx, tx, a, act, now)
		if err != nil || len(promoted) == 0 {
			return err
		}
		return db.writeActivityMails(ctx, tx, mailer, ActivityNotice{Old: act, New: act, Sequence: act.Version}, promoted)
	})
}

// promoteActivityWaiting gives the activity's free places (act.Capacity as
// it now stands) to its waiting list by the shared seat rule
// (mtvp.PromoteWaiting), within tx (the activity's row lock held), and
// returns the sign-ups moved up.
func (db *DB) promoteActivityWaiting(ctx context.Context, tx *sql.Tx, a mtvp.Actor, act mtvp.Activity, now time.Time) ([]int64, error) {
	placed, err := db.activityPlaced(ctx, tx, act.ID)
	if err != nil {
		return nil, err
	}
	waiting, err := activityWaiters(ctx, tx, act.ID)
	if err != nil {
		return nil, err
	}
	promoted := mtvp.PromoteWaiting(act.Capacity, placed, waiting)
	for _, wid := range promoted {
		if _, err := tx.ExecContext(ctx, `UPDATE activity_signups SET status = 'geplaatst', promoted_at = $2, version = version + 1, updated_at = $2 WHERE id = $1`, wid, now); err != nil {
			return nil, internal(err)
		}
		if err := db.audit(ctx, tx, a, act.RegionID, EntityActivitySignUp, wid, ActionUpdate, []mtvp.Change{{Field: "Status", Old: string(mtvp.EnrolmentWaiting), New: string(mtvp.EnrolmentPlaced)}}); err != nil {
			return nil, err
		}
	}
	return promoted, nil
}

// UpdateActivity stores an edit of an activity's title, description, date,
// times, place and capacity (mtvp.Activity.Edit; kind, host and scan
// settings stay) if e.Version is current: ECONFLICT otherwise, nothing
// saved. A raised capacity gives the new places to the waiting list in the
// same transaction; a capacity below the placed count is refused (field
// capacity). On success *e is the stored activity.
//
// mailer's mails are written in the same transaction: to everyone signed
// up (placed or waiting) when the date, a time or the place changed (not
// for an activity held before today that stays in the past), and to each
// person moved up from the waiting list and their practice.
func (db *DB) UpdateActivity(ctx context.Context, a mtvp.Actor, e *mtvp.Activity, mailer ActivityMailer) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.lockActivityVersion(ctx, tx, e.ID, e.Version)
		if err != nil {
			return err
		}
		act, err := old.Edit(*e, old.Placed)
		if err != nil {
			return err
		}
		var people []ActivityAddressee
		if mailer != nil {
			// Read before the change: the waiting list as it stood.
			if people, err = activityAddressees(ctx, tx, old.ID); err != nil {
				return err
			}
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE activities SET title = $3, description = $4, day = $5, start_time = $6, end_time = $7, place = $8, capacity = $9,
			version = version + 1, updated_at = $10 WHERE id = $1 AND version = $2`,
			act.ID, act.Version, act.Title, act.Description, act.Date, act.StartTime, act.EndTime, act.Place, act.Capacity, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		var changes []mtvp.Change
		for _, c := range []mtvp.Change{
			{Field: "Title", Old: old.Title, New: act.Title}, {Field: "Description", Old: old.Description, New: act.Description},
			{Field: "Date", Old: old.Date.String(), New: act.Date.String()}, {Field: "StartTime", Old: old.StartTime, New: act.StartTime},
			{Field: "EndTime", Old: old.EndTime, New: act.EndTime}, {Field: "Place", Old: old.Place, New: act.Place},
			{Field: "Capacity", Old: itoa(old.Capacity), New: itoa(act.Capacity)},
		} {
			if c.Old != c.New {
				changes = append(changes, c)
			}
		}
		if err := db.audit(ctx, tx, a, act.RegionID, EntityActivity, act.ID, ActionUpdate, changes); err != nil {
			return err
		}
		var promoted []int64
		if act.Capacity > old.Capacity {
			if promoted, err = db.promoteActivityWaiting(ctx, tx, a, act, now); err != nil {
				return err
			}
		}
		cur, err := db.activityByID(ctx, tx, act.ID)
		if err != nil {
			return err
		}
		*e = cur
		n := ActivityNotice{Old: old, New: cur, Sequence: cur.Version}
		if n.worthTelling(db.today()) {
			n.People = people
		} else if len(promoted) == 0 {
			return nil
		}
		return db.writeActivityMails(ctx, tx, mailer, n, promoted)
	})
}

// DeleteActivity cancels an activity that has not taken place
// (mtvp.Activity.Cancellable: not past, no attendance recorded) if version
// is current: the activity, its sign-ups and its result document are
// removed in one transaction, audited. What calendars need to drop the
// event is kept (ActivityCancellation), and mailer's cancellation mails to
// everyone signed up (placed or waiting) are written in the same
// transaction.
func (db *DB) DeleteActivity(ctx context.Context, a mtvp.Actor, id int64, version int, mailer ActivityMailer) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		act, err := db.lockActivityVersion(ctx, tx, id, version)
		if err != nil {
			return err
		}
		var recorded int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_signups WHERE activity_id = $1 AND attended IS NOT NULL`, id).Scan(&recorded); err != nil {
			return internal(err)
		}
		if err := act.Cancellable(db.today(), recorded > 0); err != nil {
			return err
		}
		var people []ActivityAddressee
		if mailer != nil {
			if people, err = activityAddressees(ctx, tx, id); err != nil {
				return err
			}
		}
		sequence := act.Version + 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_cancellations (activity_id, region_id, title, day, start_time, end_time, place, sequence, cancelled_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, act.RegionID, act.Title, act.Date, act.StartTime, act.EndTime, act.Place, sequence, db.now()); err != nil {
			return internal(err)
		}
		if err := db.writeActivityMails(ctx, tx, mailer, ActivityNotice{Old: act, New: act, Cancelled: true, Sequence: sequence, People: people}, nil); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM activity_signups WHERE activity_id = $1`, `DELETE FROM activity_results WHERE activity_id = $1`, `DELETE FROM activities WHERE id = $1`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return internal(err)
			}
		}
		return db.audit(ctx, tx, a, act.RegionID, EntityActivity, id, ActionDelete, []mtvp.Change{
			{Field: "Title", Old: act.Title}, {Field: "Date", Old: act.Date.String()}, {Field: "Place", Old: act.Place},
			{Field: "Capacity", Old: itoa(act.Capacity)}, {Field: "SignUps", Old: itoa(act.Placed + act.Waiting)}})
	})
}

// SetActivityAttendance records whether a placed person attended, if
// version is current.
func (db *DB) SetActivityAttendance(ctx context.Context, a mtvp.Actor, id int64, version int, attended bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var regionID int64
		var status mtvp.EnrolmentStatus
		var v int
		if err := tx.QueryRowContext(ctx, `SELECT a.region_id, s.status, s.version FROM activity_signups s JOIN activities a ON a.id = s.activity_id WHERE s.id = $1`, id).
			Scan(&regionID, &status, &v); err != nil {
			return rowErr(err)
		}
		if v != version {
			return conflict()
		}
		if status != mtvp.EnrolmentPlaced {
			return invalid("attended", "activity.err.attendance_not_placed")
		}
		res, err := tx.ExecContext(ctx, `UPDATE activity_signups SET attended = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2`, id, version, attended, db.now())
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		return db.audit(ctx, tx, a, regionID, EntityActivitySignUp, id, ActionUpdate, []mtvp.Change{{Field: "Attended", New: strconv.FormatBool(attended)}})
	})
}

// PracticeActivityCounts counts, per kind, the activities a practice's
// people took part in (attended, or placed when attendance is not
// recorded) up to day to.
func (db *DB) PracticeActivityCounts(ctx context.Context, practiceID int64, to mtvp.Date) (map[string]int, error) {
	return countsByKind(db.rd.QueryContext(ctx, `SELECT a.kind, COUNT(*) FROM activity_signups s JOIN activities a ON a.id = s.activity_id
		WHERE s.practice_id = $1 AND s.status = 'geplaatst' AND (s.attended IS NULL OR s.attended = $2) AND a.day <= $3 GROUP BY a.kind`, practiceID, true, to))
}

// activityWaiters reads an activity's waiting list for the shared seat rule.
func activityWaiters(ctx context.Context, tx *sql.Tx, activityID int64) ([]mtvp.Waiter, error) {
	return collectWaiters(tx.QueryContext(ctx, `SELECT id, queued_at FROM activity_signups WHERE activity_id = $1 AND status = 'wachtlijst'`, activityID))
}

// ActivitiesHeld counts, per kind, the region's activities of year held
// on or before day to (the regioplan page shows them for the kinds that
// count towards the learning-environment minimum). One query.
func (db *DB) ActivitiesHeld(ctx context.Context, regionID int64, year int, to mtvp.Date) (map[string]int, error) {
	return countsByKind(db.rd.QueryContext(ctx, `SELECT kind, COUNT(*) FROM activities WHERE region_id = $1 AND day >= $2 AND day <= $3 AND day <= $4 GROUP BY kind`,
		regionID, mtvp.NewDate(year, time.January, 1), mtvp.YearEnd(year), to))
}

// countsByKind reads (kind, count) rows into a map.
func countsByKind(rows *sql.Rows, err error) (map[string]int, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, internal(err)
		}
		out[k] = n
	}
	return out, internal(rows.Err())
}
