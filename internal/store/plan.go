package store

// The plan van aanpak (issue 3):
//
//	Plan, PlanByID, SavePlan, PlanStep, RecordPlanAgreement, StartNextYearPlan,
//	PlanComments, AddPlanComment, PlanReviews, AddPlanReview, PlanOverview,
//	PlanFinalFacts, CurrentStaffNames
//
// Every save of the text inserts a plan_versions row, so every version is
// kept; only a version's workflow columns (status, discussion, agreement,
// finalisation) change later. plans.version is the optimistic lock over the
// whole plan: every save and every step passes the version it read.

import (
	"bytes"
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// EntityPlan is the audit entity of plans (versions, steps, comments and
// reviews are recorded on the plan).
const EntityPlan = "plan"

// Plan returns a practice's plan for a year with all versions; ENOTFOUND
// when none exists.
func (db *DB) Plan(ctx context.Context, practiceID int64, year int) (mtvp.Plan, error) {
	return db.plan(ctx, db.rd, `practice_id = $1 AND year = $2`, practiceID, year)
}

// PlanByID returns a plan with all versions.
func (db *DB) PlanByID(ctx context.Context, id int64) (mtvp.Plan, error) {
	return db.plan(ctx, db.rd, `id = $1`, id)
}

const planVersionCols = `id, plan_id, number, status, content, COALESCE(saved_by_user_id, 0), saved_by_name, saved_at,
	discussed_on, agreed, shared_at, COALESCE(finalised_by_user_id, 0), finalised_by_name, finalised_at`

func scanPlanVersion(s rowScanner) (mtvp.PlanVersion, error) {
	var v mtvp.PlanVersion
	var content, agreed []byte
	var saved time.Time
	var shared, finalised sql.NullTime
	var discussed mtvp.Date
	err := s.Scan(&v.ID, &v.PlanID, &v.Number, &v.Status, &content, &v.SavedBy.UserID, &v.SavedBy.Name, &saved,
		&discussed, &agreed, &shared, &v.FinalisedBy.UserID, &v.FinalisedBy.Name, &finalised)
	if err != nil {
		return v, err
	}
	v.SavedAt, v.SharedAt, v.FinalisedAt, v.DiscussedOn = utc(saved), nullTime(shared), nullTime(finalised), discussed
	if err := jsonScan(content, &v.Content); err != nil {
		return v, err
	}
	if err := jsonScan(agreed, &v.Agreed); err != nil {
		return v, err
	}
	if len(v.Agreed) == 0 {
		v.Agreed = nil
	}
	return v, nil
}

func (db *DB) plan(ctx context.Context, q querier, cond string, args ...any) (mtvp.Plan, error) {
	var p mtvp.Plan
	var created, updated time.Time
	err := q.QueryRowContext(ctx, `SELECT id, region_id, practice_id, year, version, created_at, updated_at
		FROM plans WHERE `+cond, args...).Scan(&p.ID, &p.RegionID, &p.PracticeID, &p.Year, &p.Version, &created, &updated)
	if err != nil {
		return p, rowErr(err)
	}
	p.CreatedAt, p.UpdatedAt = utc(created), utc(updated)
	rows, err := q.QueryContext(ctx, `SELECT `+planVersionCols+` FROM plan_versions WHERE plan_id = $1 ORDER BY number`, p.ID)
	if err != nil {
		return p, internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanPlanVersion(rows)
		if err != nil {
			return p, internal(err)
		}
		p.Versions = append(p.Versions, v)
	}
	return p, internal(rows.Err())
}

// planRules reads the regioplan of the year (nil when the region has none)
// and the region's minimums.
func (db *DB) planRules(ctx context.Context, q querier, regionID int64, year int) (mtvp.PlanRules, error) {
	r, err := db.regionByID(ctx, q, regionID)
	if err != nil {
		return mtvp.PlanRules{}, err
	}
	rules := mtvp.PlanRules{MinPerElement: r.Settings.MinPerElement}
	rp, err := db.regioplan(ctx, q, `region_id = $1 AND year = $2`, regionID, year)
	switch mtvp.ErrorCode(err) {
	case "":
		rules.Regioplan = &rp
	case mtvp.ENOTFOUND:
	default:
		return rules, err
	}
	return rules, nil
}

// PlanRules returns the regioplan and minimums a plan of a region and year
// is checked against (for forms and messages).
func (db *DB) PlanRules(ctx context.Context, regionID int64, year int) (mtvp.PlanRules, error) {
	return db.planRules(ctx, db.rd, regionID, year)
}

// lockPlan checks the caller's version and bumps it; ECONFLICT when another
// change came first.
func (db *DB) lockPlan(ctx context.Context, tx *sql.Tx, p *mtvp.Plan, version int) error {
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE plans SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2`,
		p.ID, version, now)
	if err := checkUpdated(res, err); err != nil {
		return err
	}
	p.Version, p.UpdatedAt = version+1, ts(now)
	return nil
}

func (db *DB) insertPlanVersion(ctx context.Context, tx *sql.Tx, a mtvp.Actor, planID int64, number int, status mtvp.PlanStatus, c mtvp.PlanContent) (mtvp.PlanVersion, error) {
	if c.Items == nil {
		c.Items = []mtvp.PlanItem{}
	}
	content, err := jsonText(c)
	if err != nil {
		return mtvp.PlanVersion{}, err
	}
	now := db.now()
	v := mtvp.PlanVersion{PlanID: planID, Number: number, Status: status, Content: c,
		SavedBy: mtvp.SavedBy{UserID: a.UserID, Name: a.Name}, SavedAt: ts(now)}
	err = tx.QueryRowContext(ctx, `INSERT INTO plan_versions (plan_id, number, status, content, saved_by_user_id, saved_by_name, saved_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, planID, number, status, content, nullID(a.UserID), a.Name, now).Scan(&v.ID)
	if isUnique(err) {
		return v, conflict()
	}
	return v, internal(err)
}

// createPlan inserts the plan row; a plan for the same practice and year
// made meanwhile is ECONFLICT.
func (db *DB) createPlan(ctx context.Context, tx *sql.Tx, pr *mtvp.Practice, year int) (mtvp.Plan, error) {
	if year < 2020 || year > 2100 {
		return mtvp.Plan{}, invalid("year", "err.year_range")
	}
	now := db.now()
	p := mtvp.Plan{RegionID: pr.RegionID, PracticeID: pr.ID, Year: year, Version: 1, CreatedAt: ts(now), UpdatedAt: ts(now)}
	err := tx.QueryRowContext(ctx, `INSERT INTO plans (region_id, practice_id, year, version, created_at, updated_at)
		VALUES ($1, $2, $3, 1, $4, $4) RETURNING id`, pr.RegionID, pr.ID, year, now).Scan(&p.ID)
	if isUnique(err) {
		return p, conflict()
	}
	return p, internal(err)
}

// SavePlan saves the text as a new version. version is plans.version as
// read (0 when the practice has no plan for the year yet: the plan is
// created). The text is normalised against the regioplan of the year
// (mandatory interventions added, only offered ones kept) and validated.
// Only a concept may be edited (a final plan is revised first): otherwise
// EINVALID with the workflow reason. A stale version is ECONFLICT and
// nothing is saved. On success *c holds the saved text.
func (db *DB) SavePlan(ctx context.Context, a mtvp.Actor, practiceID int64, year, version int, c *mtvp.PlanContent) (mtvp.Plan, error) {
	var out mtvp.Plan
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		pr, err := db.practiceByID(ctx, tx, practiceID)
		if err != nil {
			return err
		}
		rules, err := db.planRules(ctx, tx, pr.RegionID, year)
		if err != nil {
			return err
		}
		mtvp.NormalizePlan(c, rules.Regioplan)
		if err := mtvp.ValidatePlan(c); err != nil {
			return err
		}
		p, err := db.plan(ctx, tx, `practice_id = $1 AND year = $2`, practiceID, year)
		switch mtvp.ErrorCode(err) {
		case mtvp.ENOTFOUND:
			if version != 0 {
				return conflict()
			}
			if p, err = db.createPlan(ctx, tx, &pr, year); err != nil {
				return err
			}
		case "":
			if p.Version != version {
				return conflict()
			}
			if r := mtvp.CheckStep(p.Latest(), mtvp.StepEdit, rules); r != nil {
				return r.Err()
			}
			if err := db.lockPlan(ctx, tx, &p, version); err != nil {
				return err
			}
		default:
			return err
		}
		var prev mtvp.PlanContent
		number := 1
		if l := p.Latest(); l != nil {
			prev, number = l.Content, l.Number+1
		}
		v, err := db.insertPlanVersion(ctx, tx, a, p.ID, number, mtvp.PlanConcept, *c)
		if err != nil {
			return err
		}
		p.Versions = append(p.Versions, v)
		if err := db.audit(ctx, tx, a, p.RegionID, EntityPlan, p.ID, ActionUpdate, planAuditChanges(number, prev, *c)); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// planAuditChanges is what the practice history shows of a save.
func planAuditChanges(number int, prev, next mtvp.PlanContent) []mtvp.Change {
	out := []mtvp.Change{{Field: "Versie", New: itoa(number)}}
	for _, ch := range mtvp.DiffPlan(prev, next) {
		f := ch.Field
		if ch.Section != "" {
			f = ch.Section + " " + f
		}
		if ch.Action > 0 {
			f += " (actie " + itoa(ch.Action) + ")"
		}
		out = append(out, mtvp.Change{Field: f, Old: ch.Old, New: ch.New})
	}
	return out
}

// PlanStep moves the plan's latest version one step (share, back,
// finalise, revise). The step is checked with mtvp.CheckStep against the
// regioplan and the region's minimums; a refused step is EINVALID with the
// reason and changes nothing. Revise opens a new concept version with the
// final text; the final version stays current.
func (db *DB) PlanStep(ctx context.Context, a mtvp.Actor, planID int64, version int, step mtvp.PlanStep) (mtvp.Plan, error) {
	return db.PlanStepOn(ctx, a, planID, version, step, mtvp.Date{})
}

// PlanStepOn is PlanStep with the real date of a finalisation recorded
// afterwards (on; zero: now). The date must lie in the plan's year and not
// after today (EINVALID "finalised_on", mtvp.RecordDate's bounds) and not
// before the recorded team discussion; the write is audited as recorded
// afterwards. Other steps ignore on.
func (db *DB) PlanStepOn(ctx context.Context, a mtvp.Actor, planID int64, version int, step mtvp.PlanStep, on mtvp.Date) (mtvp.Plan, error) {
	var out mtvp.Plan
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.plan(ctx, tx, `id = $1`, planID)
		if err != nil {
			return err
		}
		if p.Version != version {
			return conflict()
		}
		switch step {
		case mtvp.StepShare, mtvp.StepBack, mtvp.StepFinalise, mtvp.StepRevise:
		default:
			return (&mtvp.StepRefusal{Key: "plan.err.step_unknown"}).Err()
		}
		rules, err := db.planRules(ctx, tx, p.RegionID, p.Year)
		if err != nil {
			return err
		}
		l := p.Latest()
		if r := mtvp.CheckStep(l, step, rules); r != nil {
			return r.Err()
		}
		var afterwards []mtvp.Change
		if step == mtvp.StepFinalise && !on.IsZero() {
			if _, err := mtvp.RecordDate(mtvp.Recorder{RegionAdmin: true}, on, db.today(), p.Year, "finalised_on"); err != nil {
				return err
			}
			if d := l.DiscussedOn; !d.IsZero() && on.Before(d) {
				return invalid("finalised_on", "history.err.final_before_discussion")
			}
			afterwards = mtvp.RecordedAfterwards(on, db.today())
		}
		if err := db.lockPlan(ctx, tx, &p, version); err != nil {
			return err
		}
		now := db.now()
		if step == mtvp.StepFinalise {
			now = db.recordedAt(on)
		}
		from := l.Status
		switch step {
		case mtvp.StepShare:
			_, err = tx.ExecContext(ctx, `UPDATE plan_versions SET status = $2, shared_at = $3 WHERE id = $1`, l.ID, mtvp.PlanDiscussion, now)
			l.Status, l.SharedAt = mtvp.PlanDiscussion, ts(now)
		case mtvp.StepBack:
			_, err = tx.ExecContext(ctx, `UPDATE plan_versions SET status = $2 WHERE id = $1`, l.ID, mtvp.PlanConcept)
			l.Status = mtvp.PlanConcept
		case mtvp.StepFinalise:
			_, err = tx.ExecContext(ctx, `UPDATE plan_versions SET status = $2, finalised_by_user_id = $3, finalised_by_name = $4, finalised_at = $5 WHERE id = $1`,
				l.ID, mtvp.PlanFinal, nullID(a.UserID), a.Name, now)
			l.Status, l.FinalisedBy, l.FinalisedAt = mtvp.PlanFinal, mtvp.SavedBy{UserID: a.UserID, Name: a.Name}, ts(now)
		case mtvp.StepRevise:
			var v mtvp.PlanVersion
			v, err = db.insertPlanVersion(ctx, tx, a, p.ID, l.Number+1, mtvp.PlanConcept, l.Content)
			p.Versions = append(p.Versions, v)
		}
		if err != nil {
			return internal(err)
		}
		to := p.Latest()
		if err := db.audit(ctx, tx, a, p.RegionID, EntityPlan, p.ID, ActionUpdate, append([]mtvp.Change{
			{Field: "Status versie " + itoa(to.Number), Old: string(from), New: string(to.Status)}}, afterwards...)); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// CurrentStaffNames returns the people with a current membership of the
// practice (person id → name): who may agree with the plan.
func (db *DB) CurrentStaffNames(ctx context.Context, practiceID int64) (map[int64]string, error) {
	return db.currentStaff(ctx, db.rd, practiceID)
}

func (db *DB) currentStaff(ctx context.Context, q querier, practiceID int64) (map[int64]string, error) {
	return scanIDTexts(q.QueryContext(ctx, `SELECT DISTINCT pe.id, pe.name FROM memberships m JOIN persons pe ON pe.id = m.person_id
		WHERE m.practice_id = $1 AND m.from_date <= $2 AND (m.to_date IS NULL OR m.to_date >= $2)`, practiceID, db.today()))
}

// RecordPlanAgreement records on the latest version (in bespreking) when the
// team discussed it and which current staff agreed. It replaces an earlier
// record of the same version.
func (db *DB) RecordPlanAgreement(ctx context.Context, a mtvp.Actor, planID int64, version int, discussed mtvp.Date, agreed []int64) (mtvp.Plan, error) {
	var out mtvp.Plan
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.plan(ctx, tx, `id = $1`, planID)
		if err != nil {
			return err
		}
		if p.Version != version {
			return conflict()
		}
		if r := mtvp.CheckStep(p.Latest(), mtvp.StepAgree, mtvp.PlanRules{}); r != nil {
			return r.Err()
		}
		staff, err := db.currentStaff(ctx, tx, p.PracticeID)
		if err != nil {
			return err
		}
		if err := mtvp.ValidateAgreement(discussed, agreed, staff, db.today()); err != nil {
			return err
		}
		var list []mtvp.Agreement
		seen := map[int64]bool{}
		for _, id := range agreed {
			if !seen[id] {
				seen[id] = true
				list = append(list, mtvp.Agreement{PersonID: id, Name: staff[id]})
			}
		}
		sort.Slice(list, func(i, j int) bool { return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name) })
		js, err := jsonText(list)
		if err != nil {
			return err
		}
		if err := db.lockPlan(ctx, tx, &p, version); err != nil {
			return err
		}
		l := p.Latest()
		if _, err := tx.ExecContext(ctx, `UPDATE plan_versions SET discussed_on = $2, agreed = $3 WHERE id = $1`, l.ID, discussed, js); err != nil {
			return internal(err)
		}
		var names []string
		for _, ag := range list {
			names = append(names, ag.Name)
		}
		var oldNames []string
		for _, ag := range l.Agreed {
			oldNames = append(oldNames, ag.Name)
		}
		changes := mtvp.Diff(&struct{ Besproken, Instemming string }{l.DiscussedOn.String(), strings.Join(oldNames, ", ")},
			&struct{ Besproken, Instemming string }{discussed.String(), strings.Join(names, ", ")})
		l.DiscussedOn, l.Agreed = discussed, list
		if err := db.audit(ctx, tx, a, p.RegionID, EntityPlan, p.ID, ActionUpdate, changes); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// StartNextYearPlan starts the practice's plan for year from the current
// version of its plan for year-1 (mtvp.NextYearContent: unfinished actions
// carried). ENOTFOUND without a previous plan; ECONFLICT when the year
// already has a plan.
func (db *DB) StartNextYearPlan(ctx context.Context, a mtvp.Actor, practiceID int64, year int) (mtvp.Plan, error) {
	var out mtvp.Plan
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		prev, err := db.plan(ctx, tx, `practice_id = $1 AND year = $2`, practiceID, year-1)
		if err != nil {
			return err
		}
		cur := prev.Current()
		if cur == nil {
			return notFound()
		}
		pr, err := db.practiceByID(ctx, tx, practiceID)
		if err != nil {
			return err
		}
		rules, err := db.planRules(ctx, tx, pr.RegionID, year)
		if err != nil {
			return err
		}
		c := mtvp.NextYearContent(cur.Content, rules.Regioplan)
		p, err := db.createPlan(ctx, tx, &pr, year)
		if err != nil {
			return err
		}
		v, err := db.insertPlanVersion(ctx, tx, a, p.ID, 1, mtvp.PlanConcept, c)
		if err != nil {
			return err
		}
		p.Versions = []mtvp.PlanVersion{v}
		if err := db.audit(ctx, tx, a, p.RegionID, EntityPlan, p.ID, ActionCreate, []mtvp.Change{
			{Field: "Jaar", New: itoa(year)}, {Field: "Overgenomen van", New: itoa(year-1) + " versie " + itoa(cur.Number)}}); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// PlanComments returns a plan's comments oldest first.
func (db *DB) PlanComments(ctx context.Context, planID int64) ([]mtvp.PlanComment, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT id, plan_id, section, COALESCE(parent_id, 0), version_number,
		COALESCE(author_user_id, 0), author_name, author_role, body, created_at
		FROM plan_comments WHERE plan_id = $1 ORDER BY id`, planID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.PlanComment
	for rows.Next() {
		var c mtvp.PlanComment
		var at time.Time
		if err := rows.Scan(&c.ID, &c.PlanID, &c.Section, &c.ParentID, &c.VersionNumber, &c.Author.UserID, &c.Author.Name,
			&c.AuthorRole, &c.Body, &at); err != nil {
			return nil, internal(err)
		}
		c.CreatedAt = utc(at)
		out = append(out, c)
	}
	return out, internal(rows.Err())
}

// AddPlanComment adds a comment to a section's thread. A reply's ParentID
// must be a thread start of the same plan and section (ENOTFOUND
// otherwise). Sections are those of the latest version.
func (db *DB) AddPlanComment(ctx context.Context, a mtvp.Actor, c *mtvp.PlanComment) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.plan(ctx, tx, `id = $1`, c.PlanID)
		if err != nil {
			return err
		}
		l := p.Latest()
		if l == nil {
			return notFound()
		}
		if c.ParentID != 0 {
			var section string
			var parent sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT section, parent_id FROM plan_comments WHERE id = $1 AND plan_id = $2`, c.ParentID, c.PlanID).Scan(&section, &parent)
			if err != nil {
				return rowErr(err)
			}
			if parent.Valid {
				c.ParentID = parent.Int64
			}
			c.Section = section
		}
		sections := mtvp.PlanSections(&l.Content)
		if cur := p.Current(); cur != nil {
			sections = append(sections, mtvp.PlanSections(&cur.Content)...)
		}
		if err := mtvp.ValidateComment(c, sections); err != nil {
			return err
		}
		now := db.now()
		c.VersionNumber, c.Author, c.CreatedAt = l.Number, mtvp.SavedBy{UserID: a.UserID, Name: a.Name}, ts(now)
		err = tx.QueryRowContext(ctx, `INSERT INTO plan_comments (plan_id, section, parent_id, version_number, author_user_id, author_name, author_role, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			c.PlanID, c.Section, nullID(c.ParentID), c.VersionNumber, nullID(a.UserID), a.Name, c.AuthorRole, c.Body, now).Scan(&c.ID)
		if err != nil {
			return internal(err)
		}
		return db.audit(ctx, tx, a, p.RegionID, EntityPlan, p.ID, ActionUpdate, []mtvp.Change{{Field: "Opmerking " + c.Section, New: c.Body}})
	})
}

// PlanReviews returns the team reviews, newest first.
func (db *DB) PlanReviews(ctx context.Context, planID int64) ([]mtvp.PlanReview, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT id, plan_id, held_on, works, not_works, connect, needs,
		COALESCE(author_user_id, 0), author_name, created_at FROM plan_reviews WHERE plan_id = $1 ORDER BY held_on DESC, id DESC`, planID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.PlanReview
	for rows.Next() {
		var r mtvp.PlanReview
		var at time.Time
		if err := rows.Scan(&r.ID, &r.PlanID, &r.HeldOn, &r.Works, &r.NotWorks, &r.Connect, &r.Needs, &r.Author.UserID, &r.Author.Name, &at); err != nil {
			return nil, internal(err)
		}
		r.CreatedAt = utc(at)
		out = append(out, r)
	}
	return out, internal(rows.Err())
}

// AddPlanReview records a team review of the plan.
func (db *DB) AddPlanReview(ctx context.Context, a mtvp.Actor, r *mtvp.PlanReview) error {
	if err := mtvp.ValidateReview(r, db.today()); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.plan(ctx, tx, `id = $1`, r.PlanID)
		if err != nil {
			return err
		}
		now := db.now()
		r.Author, r.CreatedAt = mtvp.SavedBy{UserID: a.UserID, Name: a.Name}, ts(now)
		err = tx.QueryRowContext(ctx, `INSERT INTO plan_reviews (plan_id, held_on, works, not_works, connect, needs, author_user_id, author_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			r.PlanID, r.HeldOn, r.Works, r.NotWorks, r.Connect, r.Needs, nullID(a.UserID), a.Name, now).Scan(&r.ID)
		if err != nil {
			return internal(err)
		}
		return db.audit(ctx, tx, a, p.RegionID, EntityPlan, p.ID, ActionUpdate, []mtvp.Change{{Field: "Teamoverleg", New: r.HeldOn.String()}})
	})
}

// PlanOverview lists every practice of the region (only those of
// onlyConsultant when not 0) with its plan status for the year, by name, in
// one query.
func (db *DB) PlanOverview(ctx context.Context, regionID int64, year int, onlyConsultant int64) ([]mtvp.PlanSummary, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT pr.id, pr.name, pr.agb, COALESCE(pr.consultant_user_id, 0),
			COALESCE(pl.id, 0), COALESCE(lv.status, ''), COALESCE(lv.number, 0), pl.updated_at,
			CASE WHEN EXISTS (SELECT 1 FROM plan_versions f WHERE f.plan_id = pl.id AND f.status = 'definitief') THEN 1 ELSE 0 END
		FROM practices pr
		LEFT JOIN plans pl ON pl.practice_id = pr.id AND pl.year = $2
		LEFT JOIN plan_versions lv ON lv.plan_id = pl.id
			AND lv.number = (SELECT MAX(x.number) FROM plan_versions x WHERE x.plan_id = pl.id)
		WHERE pr.region_id = $1 AND ($3 = 0 OR pr.consultant_user_id = $3)
		ORDER BY pr.name, pr.id`, regionID, year, onlyConsultant)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.PlanSummary
	for rows.Next() {
		var s mtvp.PlanSummary
		var last sql.NullTime
		var hasFinal int
		if err := rows.Scan(&s.PracticeID, &s.PracticeName, &s.PracticeAGB, &s.ConsultantID, &s.PlanID, &s.Status, &s.Number, &last, &hasFinal); err != nil {
			return nil, internal(err)
		}
		s.HasFinal = hasFinal == 1
		s.LastChange = nullTime(last)
		out = append(out, s)
	}
	return out, internal(rows.Err())
}

// PlanFinalFacts returns, for every practice of the region with a plan for
// the year, the final version in force at the end of day at (in the
// programme's zone, UTC here), in one query. Compliance asks
// fact.FinalWithMandatory(regioplan). Practices without a final version by
// then have a fact with Number 0.
func (db *DB) PlanFinalFacts(ctx context.Context, regionID int64, year int, at mtvp.Date) (map[int64]mtvp.PlanFinalFact, error) {
	end := mtvp.EndOfDay(at, time.UTC)
	q := `SELECT pl.practice_id, COALESCE(v.number, 0), v.finalised_at, COALESCE(v.content, '{}')
		FROM plans pl
		LEFT JOIN plan_versions v ON v.plan_id = pl.id AND v.number = (
			SELECT MAX(f.number) FROM plan_versions f
			WHERE f.plan_id = pl.id AND f.status = 'definitief' AND f.finalised_at < $3)
		WHERE pl.region_id = $1 AND pl.year = $2`
	if db.engine == EnginePostgres {
		// PostgreSQL hashes every plan version of every region for the
		// query above; per plan through plan_versions_final is a fraction
		// of that (issue 6 benchmark). SQLite has no LATERAL and needs none.
		q = `SELECT pl.practice_id, COALESCE(v.number, 0), v.finalised_at, COALESCE(v.content, '{}')
		FROM plans pl
		LEFT JOIN LATERAL (SELECT f.number, f.finalised_at, f.content FROM plan_versions f
			WHERE f.plan_id = pl.id AND f.status = 'definitief' AND f.finalised_at < $3
			ORDER BY f.number DESC LIMIT 1) v ON true
		WHERE pl.region_id = $1 AND pl.year = $2`
	}
	rows, err := db.reads().QueryContext(ctx, q, regionID, year, end)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[int64]mtvp.PlanFinalFact{}
	for rows.Next() {
		f := mtvp.PlanFinalFact{Year: year}
		var fin sql.NullTime
		var content []byte
		if err := rows.Scan(&f.PracticeID, &f.Number, &fin, &content); err != nil {
			return nil, internal(err)
		}
		f.FinalisedAt = nullTime(fin)
		if f.Number != 0 {
			f.Interventions = planInterventionIDs(content)
		}
		out[f.PracticeID] = f
	}
	return out, internal(rows.Err())
}

// planInterventionIDs returns the intervention_id of every item of a
// stored plan text, in order, without decoding the rest of it (a region's
// compliance reads every final plan; decoding them whole was a fifth of
// it, issue 6 benchmark). The key only occurs on items: inside a user's
// text its quotes are escaped, so `"intervention_id":` never matches there.
// PostgreSQL's jsonb text has a space after the colon.
func planInterventionIDs(content []byte) []int64 {
	const key = `"intervention_id":`
	var out []int64
	for {
		i := bytes.Index(content, []byte(key))
		if i < 0 {
			return out
		}
		content = content[i+len(key):]
		for len(content) > 0 && content[0] == ' ' {
			content = content[1:]
		}
		var id int64
		n := 0
		for n < len(content) && content[n] >= '0' && content[n] <= '9' {
			id = id*10 + int64(content[n]-'0')
			n++
		}
		if n > 0 {
			out = append(out, id)
		}
		content = content[n:]
	}
}
