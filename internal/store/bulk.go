package store

// Bulk loading. The demo's activity data (plans, intervision, training) and
// the national data set of the benchmarks are written with multi-row
// INSERTs, one transaction per call, instead of one transaction (and a
// dozen statements) per record:
//
//	bulk.go             bulkInsert (multi-row INSERT … RETURNING id), bulkAudit
//	bulk_people.go      BulkPeople: practices, persons, memberships
//	bulk_plans.go       BulkPlans: plans with their versions, comments, reviews
//	bulk_intervision.go BulkIntervision: groups, members, meetings, attendance
//	bulk_training.go    BulkTraining: trainings, sessions, sign-ups,
//	                    completions, claims
//	bulk_read.go        RegionStaff: a region's memberships in one query
//
// These methods are for loaders, not for forms: they run the domain's
// cheap per-record validation (Normalize/Validate) but trust the caller
// with what the interactive methods check against other rows (capacity and
// waiting lists, a plan's workflow, who agreed, a claim's roles). Records
// link to each other by pointer (a member to its group's *mtvp.Group) and
// get their IDs once written. Every record gets the audit entry the
// interactive method would write, unless the batch asks for a summary: one
// "import" entry per region and entity with the number of records (the
// national benchmark set, where per-record history has no reader).

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// bulkMaxParams bounds the parameters of one statement: SQLite allows
// 32766, PostgreSQL 65535. bulkMaxRows bounds the rows: past a few hundred
// rows a longer statement saves nothing on either engine.
const (
	bulkMaxParams = 30000
	bulkMaxRows   = 1000
)

// bulkInsert inserts n rows into table (columns cols, comma-separated, ncols
// of them) with multi-row INSERT statements inside tx. row(i, args) appends
// row i's values to args. When ids is not nil it must have length n and
// receives the new ids in row order: the ids one statement returns are
// sorted, since both engines number the rows of a VALUES list in order.
// When several statements have the full number of rows, that statement is
// prepared once and reused: parsing a statement of a thousand rows costs
// about as much as running it.
func (db *DB) bulkInsert(ctx context.Context, tx *sql.Tx, table, cols string, ncols, n int, row func(i int, args []any) []any, ids []int64) error {
	if n == 0 {
		return nil
	}
	per := min(bulkMaxRows, bulkMaxParams/ncols)
	args := make([]any, 0, per*ncols)
	var full *sql.Stmt
	if n >= 2*per {
		st, err := tx.PrepareContext(ctx, db.bulkInsertSQL(table, cols, ncols, per, ids != nil))
		if err != nil {
			return internal(fmt.Errorf("bulk insert into %s: %w", table, err))
		}
		defer st.Close()
		full = st
	}
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if len(args) != (end-start)*ncols {
			return internal(fmt.Errorf("bulk insert into %s: %d values for %d rows of %d columns", table, len(args), end-start, ncols))
		}
		var query string
		if full == nil || end-start != per {
			query = db.bulkInsertSQL(table, cols, ncols, end-start, ids != nil)
		}
		if ids == nil {
			var err error
			if query == "" {
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, query, args...)
			}
			if err != nil {
				return internal(fmt.Errorf("bulk insert into %s: %w", table, err))
			}
			continue
		}
		var rows *sql.Rows
		var err error
		if query == "" {
			rows, err = full.QueryContext(ctx, args...)
		} else {
			rows, err = tx.QueryContext(ctx, query, args...)
		}
		if err != nil {
			return internal(fmt.Errorf("bulk insert into %s: %w", table, err))
		}
		got := ids[start:start]
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return internal(err)
			}
			got = append(got, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return internal(err)
		}
		if len(got) != end-start {
			return internal(fmt.Errorf("bulk insert into %s: %d ids for %d rows", table, len(got), end-start))
		}
		slices.Sort(got)
	}
	return nil
}

// bulkInsertSQL is the INSERT of k rows into table, with RETURNING id when
// returning.
func (db *DB) bulkInsertSQL(table, cols string, ncols, k int, returning bool) string {
	sqlite := db.engine == EngineSQLite
	var sb strings.Builder
	sb.Grow(len(table) + len(cols) + 32 + k*ncols*6)
	sb.WriteString("INSERT INTO ")
	sb.WriteString(table)
	sb.WriteString(" (")
	sb.WriteString(cols)
	sb.WriteString(") VALUES ")
	p := 1
	for i := 0; i < k; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := 0; c < ncols; c++ {
			if c > 0 {
				sb.WriteString(", ")
			}
			// SQLite looks up every named parameter ($N) in a list of
			// those seen so far, quadratic in a long statement; "?"
			// just takes the next number.
			if sqlite {
				sb.WriteByte('?')
			} else {
				sb.WriteByte('$')
				sb.WriteString(itoa(p))
				p++
			}
		}
		sb.WriteByte(')')
	}
	if returning {
		sb.WriteString(" RETURNING id")
	}
	return sb.String()
}

// auditRow is one audit entry of a bulk load.
type auditRow struct {
	actor    mtvp.Actor
	regionID int64
	entity   string
	id       int64
	action   string
	changes  []mtvp.Change
}

// bulkAudit writes entries, all at the time at.
func (db *DB) bulkAudit(ctx context.Context, tx *sql.Tx, at time.Time, entries []auditRow) error {
	js := make([]string, len(entries))
	for i, e := range entries {
		ch := e.changes
		if ch == nil {
			ch = []mtvp.Change{}
		}
		s, err := jsonText(ch)
		if err != nil {
			return err
		}
		js[i] = s
	}
	return db.bulkInsert(ctx, tx, "audit_log", "at, actor_user_id, actor_name, region_id, entity, entity_id, action, changes", 8, len(entries),
		func(i int, args []any) []any {
			e := entries[i]
			return append(args, at, nullID(e.actor.UserID), e.actor.Name, nullID(e.regionID), e.entity, e.id, e.action, js[i])
		}, nil)
}

// auditLog collects the entries of a bulk load: per record, or with
// summary one "import" entry per region and entity counting the records.
type auditLog struct {
	summary bool
	a       mtvp.Actor
	// note is added to every entry: a history import marks its records
	// "recorded afterwards" with the file they came from.
	note   []mtvp.Change
	rows   []auditRow
	counts map[[3]string]int // entity, action, region → records
}

func newAuditLog(a mtvp.Actor, summary bool) *auditLog {
	return &auditLog{summary: summary, a: a, counts: map[[3]string]int{}}
}

// add records one change; actor zero means the batch's actor.
func (l *auditLog) add(actor mtvp.Actor, regionID int64, entity string, id int64, action string, changes func() []mtvp.Change) {
	if l.summary {
		k := [3]string{entity, action, itoa(int(regionID))}
		if l.counts[k] == 0 {
			l.rows = append(l.rows, auditRow{actor: l.a, regionID: regionID, entity: entity, action: ActionImport,
				changes: []mtvp.Change{{Field: "Actie", New: action}}})
		}
		l.counts[k]++
		return
	}
	if actor == (mtvp.Actor{}) {
		actor = l.a
	}
	ch := changes()
	if len(l.note) > 0 {
		ch = append(ch, l.note...)
	}
	l.rows = append(l.rows, auditRow{actor: actor, regionID: regionID, entity: entity, id: id, action: action, changes: ch})
}

// write stores the entries inside tx.
func (db *DB) writeAudit(ctx context.Context, tx *sql.Tx, l *auditLog) error {
	if l.summary {
		for i := range l.rows {
			r := &l.rows[i]
			n := l.counts[[3]string{r.entity, r.changes[0].New, itoa(int(r.regionID))}]
			r.changes = append(r.changes, mtvp.Change{Field: "Aantal", New: itoa(n)})
		}
	}
	return db.bulkAudit(ctx, tx, db.now(), l.rows)
}

// stamp is t as stored (UTC, microseconds), or now when t is zero.
func stamp(t, now time.Time) time.Time {
	if t.IsZero() {
		return ts(now)
	}
	return ts(t)
}

// nullStamp stores the zero time as NULL.
func nullStamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// Analyze refreshes PostgreSQL's planner statistics after a bulk load, as
// autovacuum would some time later. SQLite runs without statistics (the
// app never analyses it), so there it does nothing.
func (db *DB) Analyze(ctx context.Context) error {
	if db.engine != EnginePostgres {
		return nil
	}
	_, err := db.sql.ExecContext(ctx, `ANALYZE`)
	return internal(err)
}
