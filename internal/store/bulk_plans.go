package store

import (
	"context"
	"database/sql"

	"meertijd/internal/mtvp"
)

// PlanBatch is what BulkPlans writes.
type PlanBatch struct {
	Plans []*PlanRecord
	// AuditSummary: one "import" entry per region instead of one per
	// record (see bulk.go).
	AuditSummary bool
}

// PlanRecord is one plan as it stands after its history: every version
// with its workflow columns (status, discussion, agreement, sharing,
// finalisation), the comment threads and the team reviews.
type PlanRecord struct {
	// Plan: RegionID, PracticeID, Year and Versions (Number from 1, in
	// order) are required; Version (the lock) defaults to the number of
	// versions. IDs are set when written.
	Plan     mtvp.Plan
	Comments []PlanCommentRow
	Reviews  []mtvp.PlanReview
}

// PlanCommentRow is a comment; Parent is the 1-based index in the record's
// Comments of the thread it answers (0: it starts a thread, and must come
// before its replies).
type PlanCommentRow struct {
	Comment mtvp.PlanComment
	Parent  int
}

// BulkPlans writes plans with their versions, comments and reviews in one
// transaction. Each version's content must pass mtvp.ValidatePlan (the
// caller normalises it against the regioplan with mtvp.NormalizePlan).
// Zero timestamps become now. A plan for a practice and year that exists
// already is ECONFLICT and nothing is written.
func (db *DB) BulkPlans(ctx context.Context, a mtvp.Actor, b *PlanBatch) error {
	log := newAuditLog(a, b.AuditSummary)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.bulkPlans(ctx, tx, log, b); err != nil {
			return err
		}
		return db.writeAudit(ctx, tx, log)
	})
}

// bulkPlans is BulkPlans inside a transaction; the audit entries go
// to log (written by the caller).
func (db *DB) bulkPlans(ctx context.Context, tx *sql.Tx, log *auditLog, b *PlanBatch) error {
	now := db.now()
	var versions []*mtvp.PlanVersion
	var threads, replies []*mtvp.PlanComment
	var replyParent []*mtvp.PlanComment
	var reviews []*mtvp.PlanReview
	contents := map[*mtvp.PlanVersion]string{}
	agreed := map[*mtvp.PlanVersion]string{}
	for _, r := range b.Plans {
		p := &r.Plan
		if len(p.Versions) == 0 {
			return invalid("versions", "err.required")
		}
		if p.Version == 0 {
			p.Version = len(p.Versions)
		}
		p.CreatedAt, p.UpdatedAt = stamp(p.CreatedAt, now), stamp(p.UpdatedAt, now)
		for i := range p.Versions {
			v := &p.Versions[i]
			if v.Content.Items == nil {
				v.Content.Items = []mtvp.PlanItem{}
			}
			if err := mtvp.ValidatePlan(&v.Content); err != nil {
				return err
			}
			v.Number = i + 1
			v.SavedAt = stamp(v.SavedAt, now)
			js, err := jsonText(v.Content)
			if err != nil {
				return err
			}
			contents[v] = js
			list := v.Agreed
			if list == nil {
				list = []mtvp.Agreement{}
			}
			if agreed[v], err = jsonText(list); err != nil {
				return err
			}
			versions = append(versions, v)
		}
		for i := range r.Comments {
			c := &r.Comments[i].Comment
			c.CreatedAt = stamp(c.CreatedAt, now)
			if c.VersionNumber == 0 {
				c.VersionNumber = len(p.Versions)
			}
			if par := r.Comments[i].Parent; par > 0 {
				if par > i {
					return invalid("comments", "err.not_found")
				}
				replies, replyParent = append(replies, c), append(replyParent, &r.Comments[par-1].Comment)
			} else {
				threads = append(threads, c)
			}
		}
		for i := range r.Reviews {
			rv := &r.Reviews[i]
			rv.CreatedAt = stamp(rv.CreatedAt, now)
			reviews = append(reviews, rv)
		}
	}
	ids := make([]int64, len(b.Plans))
	err := db.bulkInsert(ctx, tx, "plans", "region_id, practice_id, year, version, created_at, updated_at", 6, len(b.Plans),
		func(i int, args []any) []any {
			p := &b.Plans[i].Plan
			return append(args, p.RegionID, p.PracticeID, p.Year, p.Version, p.CreatedAt, p.UpdatedAt)
		}, ids)
	if isUnique(err) {
		return conflict()
	}
	if err != nil {
		return err
	}
	for i, r := range b.Plans {
		r.Plan.ID = ids[i]
		for j := range r.Plan.Versions {
			r.Plan.Versions[j].PlanID = ids[i]
		}
		for j := range r.Comments {
			r.Comments[j].Comment.PlanID = ids[i]
		}
		for j := range r.Reviews {
			r.Reviews[j].PlanID = ids[i]
		}
	}
	vids := make([]int64, len(versions))
	if err := db.bulkInsert(ctx, tx, "plan_versions", `plan_id, number, status, content, saved_by_user_id, saved_by_name, saved_at,
		discussed_on, agreed, shared_at, finalised_by_user_id, finalised_by_name, finalised_at`, 13, len(versions),
		func(i int, args []any) []any {
			v := versions[i]
			return append(args, v.PlanID, v.Number, string(v.Status), contents[v], nullID(v.SavedBy.UserID), v.SavedBy.Name, v.SavedAt,
				v.DiscussedOn, agreed[v], nullStamp(v.SharedAt), nullID(v.FinalisedBy.UserID), v.FinalisedBy.Name, nullStamp(v.FinalisedAt))
		}, vids); err != nil {
		return err
	}
	for i, v := range versions {
		v.ID = vids[i]
	}
	insertComments := func(cs []*mtvp.PlanComment) error {
		cids := make([]int64, len(cs))
		if err := db.bulkInsert(ctx, tx, "plan_comments", `plan_id, section, parent_id, version_number, author_user_id, author_name,
			author_role, body, created_at`, 9, len(cs),
			func(i int, args []any) []any {
				c := cs[i]
				return append(args, c.PlanID, c.Section, nullID(c.ParentID), c.VersionNumber, nullID(c.Author.UserID), c.Author.Name,
					string(c.AuthorRole), c.Body, c.CreatedAt)
			}, cids); err != nil {
			return err
		}
		for i, c := range cs {
			c.ID = cids[i]
		}
		return nil
	}
	if err := insertComments(threads); err != nil {
		return err
	}
	for i, c := range replies {
		c.ParentID, c.Section = replyParent[i].ID, replyParent[i].Section
	}
	if err := insertComments(replies); err != nil {
		return err
	}
	rids := make([]int64, len(reviews))
	if err := db.bulkInsert(ctx, tx, "plan_reviews", `plan_id, held_on, works, not_works, connect, needs, author_user_id, author_name, created_at`,
		9, len(reviews), func(i int, args []any) []any {
			r := reviews[i]
			return append(args, r.PlanID, r.HeldOn, r.Works, r.NotWorks, r.Connect, r.Needs, nullID(r.Author.UserID), r.Author.Name, r.CreatedAt)
		}, rids); err != nil {
		return err
	}
	for i, r := range reviews {
		r.ID = rids[i]
	}
	for _, r := range b.Plans {
		p := &r.Plan
		l := p.Latest()
		log.add(actorOf(p.Versions[0].SavedBy), p.RegionID, EntityPlan, p.ID, ActionCreate, func() []mtvp.Change {
			return []mtvp.Change{{Field: "Jaar", New: itoa(p.Year)}, {Field: "Versie", New: itoa(l.Number)},
				{Field: "Status versie " + itoa(l.Number), New: string(l.Status)}}
		})
		for i := range r.Comments {
			c := &r.Comments[i].Comment
			log.add(actorOf(c.Author), p.RegionID, EntityPlan, p.ID, ActionUpdate, func() []mtvp.Change {
				return []mtvp.Change{{Field: "Opmerking " + c.Section, New: c.Body}}
			})
		}
		for i := range r.Reviews {
			rv := &r.Reviews[i]
			log.add(actorOf(rv.Author), p.RegionID, EntityPlan, p.ID, ActionUpdate, func() []mtvp.Change {
				return []mtvp.Change{{Field: "Teamoverleg", New: rv.HeldOn.String()}}
			})
		}
	}
	return nil
}

func actorOf(s mtvp.SavedBy) mtvp.Actor { return mtvp.Actor{UserID: s.UserID, Name: s.Name} }
