package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

const meetingCols = `mt.id, mt.group_id, mt.meeting_date, mt.start_time, mt.end_time, mt.place, mt.theme, mt.gaia_submitted_on,
	mt.version, mt.created_at, mt.updated_at`

func scanMeeting(s rowScanner) (mtvp.Meeting, error) {
	var m mtvp.Meeting
	var created, updated time.Time
	err := s.Scan(&m.ID, &m.GroupID, &m.Date, &m.Start, &m.End, &m.Place, &m.Theme, &m.GAIASubmitted, &m.Version, &created, &updated)
	m.CreatedAt, m.UpdatedAt = utc(created), utc(updated)
	return m, err
}

// Meetings returns a group's meetings by date.
func (db *DB) Meetings(ctx context.Context, groupID int64) ([]mtvp.Meeting, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+meetingCols+` FROM intervision_meetings mt WHERE mt.group_id = $1
		ORDER BY mt.meeting_date, mt.start_time, mt.id`, groupID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, m)
	}
	return out, internal(rows.Err())
}

// MeetingByID returns one meeting.
func (db *DB) MeetingByID(ctx context.Context, id int64) (mtvp.Meeting, error) {
	m, err := scanMeeting(db.rd.QueryRowContext(ctx, `SELECT `+meetingCols+` FROM intervision_meetings mt WHERE mt.id = $1`, id))
	return m, rowErr(err)
}

// CreateMeeting validates m against its group (date in the group's year)
// and inserts it.
func (db *DB) CreateMeeting(ctx context.Context, a mtvp.Actor, m *mtvp.Meeting) error {
	m.Normalize()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		g, err := db.lockGroup(ctx, tx, m.GroupID)
		if err != nil {
			return err
		}
		if err := mtvp.ValidateMeeting(m, g); err != nil {
			return err
		}
		now := db.now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO intervision_meetings (group_id, meeting_date, start_time, end_time, place, theme,
			gaia_submitted_on, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id`,
			m.GroupID, m.Date, m.Start, m.End, m.Place, m.Theme, m.GAIASubmitted, now).Scan(&id); err != nil {
			return internal(err)
		}
		m.ID, m.Version, m.CreatedAt, m.UpdatedAt = id, 1, now, now
		return db.audit(ctx, tx, a, g.RegionID, EntityMeeting, id, ActionCreate, mtvp.Diff(nil, m))
	})
}

// UpdateMeeting changes a meeting if m.Version is current. Its group stays.
// A new date must keep every recorded attendance valid (the members held a
// place on that day).
func (db *DB) UpdateMeeting(ctx context.Context, a mtvp.Actor, m *mtvp.Meeting) error {
	m.Normalize()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols+` FROM intervision_meetings mt WHERE mt.id = $1`, m.ID))
		if err != nil {
			return rowErr(err)
		}
		g, err := db.lockGroup(ctx, tx, old.GroupID)
		if err != nil {
			return err
		}
		m.GroupID = old.GroupID
		if err := mtvp.ValidateMeeting(m, g); err != nil {
			return err
		}
		if old.Version != m.Version {
			return conflict()
		}
		if !m.Date.Equal(old.Date) {
			var bad int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM intervision_attendance at JOIN intervision_members mb ON mb.id = at.member_id
				WHERE at.meeting_id = $1 AND (mb.joined_on IS NULL OR mb.joined_on > $2 OR (mb.left_on IS NOT NULL AND mb.left_on < $2))`,
				m.ID, m.Date).Scan(&bad); err != nil {
				return internal(err)
			}
			if bad > 0 {
				return invalid("date", "intervision.err.date_breaks_attendance")
			}
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE intervision_meetings SET meeting_date = $3, start_time = $4, end_time = $5, place = $6,
			theme = $7, gaia_submitted_on = $8, version = version + 1, updated_at = $9 WHERE id = $1 AND version = $2`,
			m.ID, m.Version, m.Date, m.Start, m.End, m.Place, m.Theme, m.GAIASubmitted, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		m.Version++
		m.CreatedAt, m.UpdatedAt = old.CreatedAt, now
		return db.audit(ctx, tx, a, g.RegionID, EntityMeeting, m.ID, ActionUpdate, mtvp.Diff(&old, m))
	})
}

// GroupAttendance returns every attendance record of a group's meetings.
func (db *DB) GroupAttendance(ctx context.Context, groupID int64) ([]mtvp.Attendance, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT at.meeting_id, at.member_id, at.status FROM intervision_attendance at
		JOIN intervision_meetings mt ON mt.id = at.meeting_id WHERE mt.group_id = $1`, groupID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Attendance
	for rows.Next() {
		var a mtvp.Attendance
		if err := rows.Scan(&a.MeetingID, &a.MemberID, &a.Status); err != nil {
			return nil, internal(err)
		}
		out = append(out, a)
	}
	return out, internal(rows.Err())
}

// SetAttendance records the attendance of one meeting: status per member
// row id; an empty status removes a record. Every member must belong to the
// meeting's group and hold a place on its date, else nothing is saved
// (EINVALID, field "member.<id>").
func (db *DB) SetAttendance(ctx context.Context, a mtvp.Actor, meetingID int64, statuses map[int64]mtvp.AttendanceStatus) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		mt, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols+` FROM intervision_meetings mt WHERE mt.id = $1`, meetingID))
		if err != nil {
			return rowErr(err)
		}
		g, err := db.lockGroup(ctx, tx, mt.GroupID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+memberCols+memberFrom+` WHERE m.group_id = $1`, g.ID)
		if err != nil {
			return internal(err)
		}
		members := map[int64]mtvp.GroupMember{}
		for rows.Next() {
			m, err := scanMember(rows)
			if err != nil {
				rows.Close()
				return internal(err)
			}
			members[m.ID] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return internal(err)
		}
		old := map[int64]mtvp.AttendanceStatus{}
		orows, err := tx.QueryContext(ctx, `SELECT member_id, status FROM intervision_attendance WHERE meeting_id = $1`, meetingID)
		if err != nil {
			return internal(err)
		}
		for orows.Next() {
			var id int64
			var s mtvp.AttendanceStatus
			if err := orows.Scan(&id, &s); err != nil {
				orows.Close()
				return internal(err)
			}
			old[id] = s
		}
		orows.Close()
		f := mtvp.FieldErrors{}
		for id, s := range statuses {
			if s == "" {
				continue
			}
			m, ok := members[id]
			if !ok {
				m = mtvp.GroupMember{ID: id}
			}
			if err := mtvp.ValidateAttendance(mtvp.Attendance{MeetingID: meetingID, MemberID: id, Status: s}, mt, m); err != nil {
				for _, k := range mtvp.FieldErrorsOf(err) {
					f.Add("member."+itoa(int(id)), k)
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		var changes []mtvp.Change
		for id, s := range statuses {
			if old[id] == s {
				continue
			}
			name := members[id].PersonName
			if s == "" {
				if _, err := tx.ExecContext(ctx, `DELETE FROM intervision_attendance WHERE meeting_id = $1 AND member_id = $2`, meetingID, id); err != nil {
					return internal(err)
				}
			} else if _, err := tx.ExecContext(ctx, `INSERT INTO intervision_attendance (meeting_id, member_id, status) VALUES ($1, $2, $3)
				ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = excluded.status`, meetingID, id, string(s)); err != nil {
				return internal(err)
			}
			changes = append(changes, mtvp.Change{Field: name, Old: string(old[id]), New: string(s)})
		}
		if len(changes) == 0 {
			return nil
		}
		sortChanges(changes)
		changes = append(changes, mtvp.PastYearRecorded(mt.Date, db.today())...)
		return db.audit(ctx, tx, a, g.RegionID, EntityMeeting, meetingID, ActionAttendance, changes)
	})
}

func sortChanges(c []mtvp.Change) {
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j].Field < c[j-1].Field; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
}

// SaveGroupFile stores (or replaces) a group's year plan or report file.
// The content decides the type (PDF or DOCX, at most 10 MiB); anything else
// is EINVALID field "file" and nothing is stored.
func (db *DB) SaveGroupFile(ctx context.Context, a mtvp.Actor, f *mtvp.GroupFile) error {
	if !f.Kind.Valid() {
		return invalid("kind", "intervision.err.kind")
	}
	ct, ext, err := mtvp.SniffDocument(f.Data)
	if err != nil {
		return err
	}
	f.ContentType, f.Size, f.Name = ct, int64(len(f.Data)), mtvp.SafeFileName(f.Name, ext)
	sum := sha256.Sum256(f.Data)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		g, err := db.lockGroup(ctx, tx, f.GroupID)
		if err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `DELETE FROM intervision_files WHERE group_id = $1 AND kind = $2`, f.GroupID, string(f.Kind)); err != nil {
			return internal(err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO intervision_files (group_id, kind, name, content_type, size, sha256, data, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			f.GroupID, string(f.Kind), f.Name, f.ContentType, f.Size, hex.EncodeToString(sum[:]), f.Data, a.Name, now).Scan(&f.ID); err != nil {
			return internal(err)
		}
		f.UploadedBy, f.UploadedAt = a.Name, now
		return db.audit(ctx, tx, a, g.RegionID, EntityGroup, g.ID, ActionUpload, []mtvp.Change{
			{Field: string(f.Kind), New: f.Name + " (" + itoa(int(f.Size)) + " bytes, sha256 " + hex.EncodeToString(sum[:8]) + "…)"}})
	})
}

// GroupFiles lists a group's uploaded files without their content.
func (db *DB) GroupFiles(ctx context.Context, groupID int64) ([]mtvp.GroupFile, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT id, group_id, kind, name, content_type, size, uploaded_by, uploaded_at
		FROM intervision_files WHERE group_id = $1 ORDER BY kind`, groupID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.GroupFile
	for rows.Next() {
		var f mtvp.GroupFile
		var at time.Time
		if err := rows.Scan(&f.ID, &f.GroupID, &f.Kind, &f.Name, &f.ContentType, &f.Size, &f.UploadedBy, &at); err != nil {
			return nil, internal(err)
		}
		f.UploadedAt = utc(at)
		out = append(out, f)
	}
	return out, internal(rows.Err())
}

// GroupFile returns one uploaded file with its content.
func (db *DB) GroupFile(ctx context.Context, groupID int64, kind mtvp.DocKind) (mtvp.GroupFile, error) {
	var f mtvp.GroupFile
	var at time.Time
	err := db.rd.QueryRowContext(ctx, `SELECT id, group_id, kind, name, content_type, size, uploaded_by, uploaded_at, data
		FROM intervision_files WHERE group_id = $1 AND kind = $2`, groupID, string(kind)).
		Scan(&f.ID, &f.GroupID, &f.Kind, &f.Name, &f.ContentType, &f.Size, &f.UploadedBy, &at, &f.Data)
	f.UploadedAt = utc(at)
	return f, rowErr(err)
}

// IntervisionFacts returns, for every place held in a region's groups of a
// year, the person, the dated place and the dates of the meetings attended
// (present): what mtvp.TookPartInIntervision needs for every practice of the
// region, in one query.
func (db *DB) IntervisionFacts(ctx context.Context, regionID int64, year int) ([]mtvp.IntervisionFact, error) {
	// One row per place, with the dates attended joined into one text: a
	// row per attended meeting was four times the rows, each scanned with
	// the place's columns again (BenchmarkNationalStandings).
	attended := `(SELECT group_concat(mt.meeting_date, ',')`
	if db.engine == EnginePostgres {
		attended = `(SELECT string_agg(mt.meeting_date::text, ',')`
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT m.id, m.person_id, m.group_id, g.year, m.joined_on, m.left_on,
		COALESCE(`+attended+` FROM intervision_attendance at JOIN intervision_meetings mt ON mt.id = at.meeting_id
			WHERE at.member_id = m.id AND at.status = 'aanwezig'), '')
		FROM intervision_members m
		JOIN intervision_groups g ON g.id = m.group_id
		WHERE g.region_id = $1 AND g.year = $2 AND m.status = 'lid'
		ORDER BY m.id`, regionID, year)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.IntervisionFact
	for rows.Next() {
		var id int64
		var f mtvp.IntervisionFact
		var dates string
		if err := rows.Scan(&id, &f.PersonID, &f.GroupID, &f.Year, &f.Joined, &f.Left, &dates); err != nil {
			return nil, internal(err)
		}
		if dates != "" {
			f.Attended = make([]mtvp.Date, 0, strings.Count(dates, ",")+1)
			for d := range strings.SplitSeq(dates, ",") {
				var date mtvp.Date
				if err := date.Scan(d); err != nil {
					return nil, internal(err)
				}
				f.Attended = append(f.Attended, date)
			}
			// In date order, as the meetings were read before.
			slices.SortFunc(f.Attended, func(a, b mtvp.Date) int { return a.Time().Compare(b.Time()) })
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	meetings, err := db.groupMeetingDates(ctx, regionID, year)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Meetings = meetings[out[i].GroupID]
	}
	return out, nil
}

// groupMeetingDates returns the meeting dates of every group of a region's
// year, by group id, in date order.
func (db *DB) groupMeetingDates(ctx context.Context, regionID int64, year int) (map[int64][]mtvp.Date, error) {
	rows, err := db.reads().QueryContext(ctx, `SELECT mt.group_id, mt.meeting_date
		FROM intervision_meetings mt JOIN intervision_groups g ON g.id = mt.group_id
		WHERE g.region_id = $1 AND g.year = $2 ORDER BY mt.group_id, mt.meeting_date`, regionID, year)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[int64][]mtvp.Date{}
	for rows.Next() {
		var id int64
		var d mtvp.Date
		if err := rows.Scan(&id, &d); err != nil {
			return nil, internal(err)
		}
		out[id] = append(out[id], d)
	}
	return out, internal(rows.Err())
}
