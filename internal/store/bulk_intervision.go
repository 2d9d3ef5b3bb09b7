package store

import (
	"context"
	"database/sql"
	"strings"

	"meertijd/internal/mtvp"
)

// IntervisionBatch is what BulkIntervision writes.
type IntervisionBatch struct {
	Groups     []*mtvp.Group
	Members    []*MemberRow
	Meetings   []*MeetingRow
	Attendance []AttendanceRow
	// AuditSummary: one "import" entry per region and entity instead of
	// one per record (see bulk.go).
	AuditSummary bool
}

// MemberRow is a place (or waiting-list entry) in a group of the batch.
// Member: PersonID, PracticeID, Role, Status, SignedUp, Joined, Left;
// PersonName and PracticeName, when set, go into the audit entry.
type MemberRow struct {
	Group  *mtvp.Group
	Member mtvp.GroupMember
}

// MeetingRow is a meeting of a group of the batch.
type MeetingRow struct {
	Group   *mtvp.Group
	Meeting mtvp.Meeting
}

// AttendanceRow is one member's attendance of one meeting.
type AttendanceRow struct {
	Meeting *MeetingRow
	Member  *MemberRow
	Status  mtvp.AttendanceStatus
}

// BulkIntervision writes groups (each with a new calendar secret),
// members, meetings and attendance in one transaction. Groups and meetings
// are validated as CreateGroup and CreateMeeting do; that the facilitator
// holds a grant, that places do not exceed capacity and that attendance
// falls within a member's place are the caller's to ensure. Zero
// timestamps become now.
func (db *DB) BulkIntervision(ctx context.Context, a mtvp.Actor, b *IntervisionBatch) error {
	log := newAuditLog(a, b.AuditSummary)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.bulkIntervision(ctx, tx, log, b); err != nil {
			return err
		}
		return db.writeAudit(ctx, tx, log)
	})
}

// bulkIntervision is BulkIntervision inside a transaction; the audit entries go
// to log (written by the caller).
func (db *DB) bulkIntervision(ctx context.Context, tx *sql.Tx, log *auditLog, b *IntervisionBatch) error {
	for _, g := range b.Groups {
		g.Normalize()
		if err := g.Validate(); err != nil {
			return err
		}
	}
	for _, m := range b.Meetings {
		m.Meeting.Normalize()
		if err := mtvp.ValidateMeeting(&m.Meeting, *m.Group); err != nil {
			return err
		}
	}
	now := db.now()
	ids := make([]int64, len(b.Groups))
	if err := db.bulkInsert(ctx, tx, "intervision_groups", `region_id, year, name, facilitator_user_id, place, place_key,
		weekday, times, capacity, mixed, year_plan, year_report, calendar_token, version, created_at, updated_at`, 16, len(b.Groups),
		func(i int, args []any) []any {
			g := b.Groups[i]
			return append(args, g.RegionID, g.Year, g.Name, g.FacilitatorID, g.Place, strings.ToLower(g.Place), g.Weekday, g.Times,
				g.Capacity, g.Mixed, g.YearPlan, g.YearReport, newCalendarToken(), 1, now, now)
		}, ids); err != nil {
		return err
	}
	for i, g := range b.Groups {
		g.ID, g.Version, g.CreatedAt, g.UpdatedAt = ids[i], 1, ts(now), ts(now)
		log.add(mtvp.Actor{}, g.RegionID, EntityGroup, g.ID, ActionCreate, func() []mtvp.Change { return mtvp.Diff(nil, auditGroup(g)) })
	}

	ids = make([]int64, len(b.Members))
	if err := db.bulkInsert(ctx, tx, "intervision_members", `group_id, person_id, practice_id, role, status, signed_up_at,
		joined_on, left_on, version, created_at, updated_at`, 11, len(b.Members),
		func(i int, args []any) []any {
			r := b.Members[i]
			m := &r.Member
			m.GroupID, m.SignedUp, m.Version = r.Group.ID, stamp(m.SignedUp, now), 1
			return append(args, m.GroupID, m.PersonID, m.PracticeID, string(m.Role), string(m.Status), m.SignedUp,
				m.Joined, m.Left, 1, m.SignedUp, m.SignedUp)
		}, ids); err != nil {
		if isUnique(err) {
			return invalid("person", "intervision.err.already_in_group")
		}
		return err
	}
	for i, r := range b.Members {
		m := &r.Member
		m.ID, m.GroupName = ids[i], r.Group.Name
		log.add(mtvp.Actor{}, r.Group.RegionID, EntityMember, m.ID, ActionSignUp, func() []mtvp.Change {
			ch := []mtvp.Change{{Field: "Group", New: r.Group.Name}, {Field: "Person", New: m.PersonName},
				{Field: "Practice", New: m.PracticeName}, {Field: "Status", New: string(m.Status)}}
			return ch
		})
	}

	ids = make([]int64, len(b.Meetings))
	if err := db.bulkInsert(ctx, tx, "intervision_meetings", `group_id, meeting_date, start_time, end_time, place, theme,
		gaia_submitted_on, version, created_at, updated_at`, 10, len(b.Meetings),
		func(i int, args []any) []any {
			r := b.Meetings[i]
			m := &r.Meeting
			m.GroupID = r.Group.ID
			return append(args, m.GroupID, m.Date, m.Start, m.End, m.Place, m.Theme, m.GAIASubmitted, 1, now, now)
		}, ids); err != nil {
		return err
	}
	for i, r := range b.Meetings {
		m := &r.Meeting
		m.ID, m.Version, m.CreatedAt, m.UpdatedAt = ids[i], 1, ts(now), ts(now)
		log.add(mtvp.Actor{}, r.Group.RegionID, EntityMeeting, m.ID, ActionCreate, func() []mtvp.Change { return mtvp.Diff(nil, m) })
	}

	if err := db.bulkInsert(ctx, tx, "intervision_attendance", `meeting_id, member_id, status`, 3, len(b.Attendance),
		func(i int, args []any) []any {
			at := b.Attendance[i]
			return append(args, at.Meeting.Meeting.ID, at.Member.Member.ID, string(at.Status))
		}, nil); err != nil {
		return err
	}
	// One entry per meeting, as SetAttendance writes.
	perMeeting := map[*MeetingRow][]mtvp.Change{}
	var order []*MeetingRow
	for _, at := range b.Attendance {
		if _, ok := perMeeting[at.Meeting]; !ok {
			order = append(order, at.Meeting)
		}
		perMeeting[at.Meeting] = append(perMeeting[at.Meeting], mtvp.Change{Field: at.Member.Member.PersonName, New: string(at.Status)})
	}
	for _, mr := range order {
		log.add(mtvp.Actor{}, mr.Group.RegionID, EntityMeeting, mr.Meeting.ID, ActionAttendance, func() []mtvp.Change {
			ch := perMeeting[mr]
			sortChanges(ch)
			return ch
		})
	}
	return nil
}
