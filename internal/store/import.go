package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"meertijd/internal/mtvp"
)

// ApplyImport applies a checked batch to a region in one transaction:
// practices upserted by AGB (creating, or updating name, address and
// registered patients where the batch has a value), then per staff row the
// person matched by BIG number, else e-mail, else exact name (ignoring
// case) among the practice's people, else created; a matched person's empty
// e-mail, BIG and KABIZ are filled in from the row. Then the membership is
// created unless the same person, practice, role and start date exists.
// Any error rolls back everything and returns a zero result; validation
// errors name the row: field "practices.<AGB>.<field>" or
// "staff.<row>.<field>". Audit entries use action "import".
func (db *DB) ApplyImport(ctx context.Context, a mtvp.Actor, regionID int64, b *mtvp.ImportBatch) (mtvp.ImportResult, error) {
	var res mtvp.ImportResult
	if b == nil {
		return res, nil
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.regionByID(ctx, tx, regionID); err != nil {
			return err
		}
		practices := map[string]int64{}
		for _, in := range b.Practices {
			p := in
			p.Normalize()
			prefix := "practices." + p.AGB + "."
			old, err := db.practiceByAGB(ctx, tx, regionID, p.AGB)
			switch {
			case err == nil:
				upd := old
				if p.Name != "" {
					upd.Name = p.Name
				}
				if p.Street != "" {
					upd.Street = p.Street
				}
				if p.Postcode != "" {
					upd.Postcode = p.Postcode
				}
				if p.City != "" {
					upd.City = p.City
				}
				if p.RegisteredPatients != 0 {
					upd.RegisteredPatients = p.RegisteredPatients
				}
				practices[p.AGB] = old.ID
				if upd == old {
					continue
				}
				upd.Normalize()
				if err := upd.Validate(); err != nil {
					return prefixed(prefix, err)
				}
				if err := db.updatePractice(ctx, tx, a, &upd, ActionImport); err != nil {
					return prefixed(prefix, err)
				}
				res.PracticesUpdated++
			case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
				p.ID, p.RegionID = 0, regionID
				if err := p.Validate(); err != nil {
					return prefixed(prefix, err)
				}
				if err := db.createPractice(ctx, tx, a, &p, ActionImport); err != nil {
					return prefixed(prefix, err)
				}
				practices[p.AGB] = p.ID
				res.PracticesCreated++
			default:
				return err
			}
		}
		for _, s := range b.Staff {
			prefix := "staff." + strconv.Itoa(s.Row) + "."
			agb := strings.ReplaceAll(strings.TrimSpace(s.PracticeAGB), " ", "")
			practiceID, ok := practices[agb]
			if !ok {
				pr, err := db.practiceByAGB(ctx, tx, regionID, agb)
				if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
					return prefixed(prefix, invalid("agb", "import.err.practice_unknown"))
				} else if err != nil {
					return err
				}
				practiceID = pr.ID
				practices[agb] = pr.ID
			}
			p, m := s.Person, s.Membership
			p.Normalize()
			m.Normalize()
			if err := mtvp.ValidateStaff(&p, &m); err != nil {
				return prefixed(prefix, err)
			}
			person, found, err := db.matchPerson(ctx, tx, regionID, practiceID, &p)
			if err != nil {
				return prefixed(prefix, err)
			}
			if found {
				res.PeopleMatched++
				if err := db.fillPerson(ctx, tx, a, &person, &p); err != nil {
					return prefixed(prefix, err)
				}
			} else {
				p.ID, p.RegionID = 0, regionID
				if err := db.createPerson(ctx, tx, a, &p, ActionImport); err != nil {
					return prefixed(prefix, err)
				}
				person = p
				res.PeopleCreated++
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships
				WHERE person_id = $1 AND practice_id = $2 AND role = $3 AND from_date = $4`,
				person.ID, practiceID, string(m.Role), m.From).Scan(&n); err != nil {
				return internal(err)
			}
			if n > 0 {
				res.MembershipsSkipped++
				continue
			}
			m.ID, m.PersonID, m.PracticeID = 0, person.ID, practiceID
			if err := db.createMembership(ctx, tx, a, &m, ActionImport); err != nil {
				return prefixed(prefix, err)
			}
			res.MembershipsCreated++
		}
		return nil
	})
	if err != nil {
		return mtvp.ImportResult{}, err
	}
	return res, nil
}

// matchPerson finds the person of an import row: by BIG number in the
// region, else by e-mail in the region, else by name among the people who
// work or worked at the practice.
func (db *DB) matchPerson(ctx context.Context, tx *sql.Tx, regionID, practiceID int64, p *mtvp.Person) (mtvp.Person, bool, error) {
	try := func(cond string, args ...any) (mtvp.Person, bool, error) {
		found, err := scanPerson(tx.QueryRowContext(ctx, `SELECT `+personCols+` FROM persons pe WHERE `+cond+` ORDER BY pe.id LIMIT 1`, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return found, false, nil
		}
		return found, err == nil, internal(err)
	}
	if p.BIG != "" {
		if found, ok, err := try(`pe.region_id = $1 AND pe.big = $2`, regionID, p.BIG); ok || err != nil {
			return found, ok, err
		}
	}
	if p.Email != "" {
		if found, ok, err := try(`pe.region_id = $1 AND pe.email = $2`, regionID, p.Email); ok || err != nil {
			return found, ok, err
		}
	}
	return try(`pe.search_key = $1 AND pe.id IN (SELECT m.person_id FROM memberships m WHERE m.practice_id = $2)`,
		personSearchKey(p), practiceID)
}

// fillPerson completes a matched person's empty e-mail, BIG and KABIZ from
// an import row; a BIG number another person already has is left out.
func (db *DB) fillPerson(ctx context.Context, tx *sql.Tx, a mtvp.Actor, stored, row *mtvp.Person) error {
	upd := *stored
	if upd.Email == "" {
		upd.Email = row.Email
	}
	if upd.KABIZ == "" {
		upd.KABIZ = row.KABIZ
	}
	if upd.BIG == "" && row.BIG != "" {
		if _, err := db.personByBIG(ctx, tx, upd.RegionID, row.BIG); mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			upd.BIG = row.BIG
		} else if err != nil {
			return err
		}
	}
	if upd == *stored {
		return nil
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE persons SET email = $3, big = $4, kabiz = $5, version = version + 1, updated_at = $6
		WHERE id = $1 AND version = $2`, upd.ID, upd.Version, upd.Email, upd.BIG, upd.KABIZ, now)
	if err := checkUpdated(res, err); err != nil {
		return err
	}
	upd.Version++
	upd.UpdatedAt = now
	if err := db.audit(ctx, tx, a, upd.RegionID, EntityPerson, upd.ID, ActionImport, mtvp.Diff(stored, &upd)); err != nil {
		return err
	}
	*stored = upd
	return nil
}

// prefixed renames the field errors of err to name the import row.
func prefixed(prefix string, err error) error {
	f := mtvp.FieldErrorsOf(err)
	if len(f) == 0 {
		return err
	}
	out := mtvp.FieldErrors{}
	for k, v := range f {
		out[prefix+k] = v
	}
	return out.Err()
}
