package store

import (
	"context"
	"database/sql"

	"meertijd/internal/mtvp"
)

// PeopleBatch is what BulkPeople writes: practices, persons and their
// memberships. Persons already written (ID set) may be linked again.
type PeopleBatch struct {
	Practices   []*mtvp.Practice
	Persons     []*mtvp.Person
	Memberships []*MembershipRow
	// AuditSummary: one "import" entry per region and entity instead of
	// one per record (see bulk.go).
	AuditSummary bool
}

// MembershipRow links a person and a practice (of the batch, or written
// before: their IDs are read when the row is written).
type MembershipRow struct {
	Person     *mtvp.Person
	Practice   *mtvp.Practice
	Membership mtvp.Membership
}

// BulkPeople writes practices, persons and memberships in one transaction,
// each validated as CreatePractice, CreatePerson and CreateMembership do.
// That consultants hold a consultant grant in the region and that a
// membership's person and practice share a region are the caller's to
// ensure. A duplicate AGB or BIG number in a region, or a duplicate
// membership, is EINVALID and nothing is written.
func (db *DB) BulkPeople(ctx context.Context, a mtvp.Actor, b *PeopleBatch) error {
	for _, p := range b.Practices {
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
	}
	for _, p := range b.Persons {
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
	}
	for _, m := range b.Memberships {
		m.Membership.Normalize()
		if err := m.Membership.Validate(); err != nil {
			return err
		}
	}
	now := db.now()
	log := newAuditLog(a, b.AuditSummary)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		ids := make([]int64, len(b.Practices))
		err := db.bulkInsert(ctx, tx, "practices", `region_id, agb, name, street, postcode, city, registered_patients,
			consultant_user_id, joined_on, inflow_wave, status, search_key, version, created_at, updated_at`, 15, len(b.Practices),
			func(i int, args []any) []any {
				p := b.Practices[i]
				return append(args, p.RegionID, p.AGB, p.Name, p.Street, p.Postcode, p.City, p.RegisteredPatients,
					nullID(p.ConsultantID), p.JoinedOn, p.InflowWave, string(p.Status), practiceSearchKey(p), 1, now, now)
			}, ids)
		if isUnique(err) {
			return invalid("agb", "err.agb_taken")
		}
		if err != nil {
			return err
		}
		for i, p := range b.Practices {
			p.ID, p.Version, p.CreatedAt, p.UpdatedAt = ids[i], 1, ts(now), ts(now)
			log.add(mtvp.Actor{}, p.RegionID, EntityPractice, p.ID, ActionCreate, func() []mtvp.Change { return mtvp.Diff(nil, p) })
		}

		ids = make([]int64, len(b.Persons))
		err = db.bulkInsert(ctx, tx, "persons", `region_id, name, email, big, kabiz, search_key, version, created_at, updated_at`, 9, len(b.Persons),
			func(i int, args []any) []any {
				p := b.Persons[i]
				return append(args, p.RegionID, p.Name, p.Email, p.BIG, p.KABIZ, personSearchKey(p), 1, now, now)
			}, ids)
		if isUnique(err) {
			return invalid("big", "err.big_taken")
		}
		if err != nil {
			return err
		}
		for i, p := range b.Persons {
			p.ID, p.Version, p.CreatedAt, p.UpdatedAt = ids[i], 1, ts(now), ts(now)
			log.add(mtvp.Actor{}, p.RegionID, EntityPerson, p.ID, ActionCreate, func() []mtvp.Change { return mtvp.Diff(nil, p) })
		}

		ids = make([]int64, len(b.Memberships))
		err = db.bulkInsert(ctx, tx, "memberships", `person_id, practice_id, role, fte, from_date, to_date, version, created_at, updated_at`, 9, len(b.Memberships),
			func(i int, args []any) []any {
				r := b.Memberships[i]
				m := &r.Membership
				m.PersonID, m.PracticeID = r.Person.ID, r.Practice.ID
				return append(args, m.PersonID, m.PracticeID, string(m.Role), m.FTE, m.From, m.To, 1, now, now)
			}, ids)
		if isUnique(err) {
			return invalid("role", "err.membership_exists")
		}
		if err != nil {
			return err
		}
		for i, r := range b.Memberships {
			m := &r.Membership
			m.ID, m.Version, m.CreatedAt, m.UpdatedAt = ids[i], 1, ts(now), ts(now)
			log.add(mtvp.Actor{}, r.Practice.RegionID, EntityMembership, m.ID, ActionCreate, func() []mtvp.Change { return mtvp.Diff(nil, m) })
		}
		return db.writeAudit(ctx, tx, log)
	})
}
