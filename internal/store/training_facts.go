package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"meertijd/internal/mtvp"
)

// TrainingFacts returns, per practice of the region (or only practiceID
// when it is not 0), what mtvp.EvaluateTrainingNorms needs: the practice's
// memberships (ended ones too) with their people (ID, region and name only:
// the norms need no more, and a region's compliance reads them all), and
// those people's completions, claims and placed training sign-ups, and
// their attendance at activities whose kind counts towards a norm (any
// year: the norms apply the reference date's). Five queries, whatever the
// number of practices.
func (db *DB) TrainingFacts(ctx context.Context, regionID, practiceID int64) (map[int64]mtvp.TrainingFacts, error) {
	out, err := db.trainingFacts(ctx, regionID, practiceID, false)
	if err != nil {
		return nil, err
	}
	acts, err := db.activityFacts(ctx, regionID, 0)
	if err != nil || len(acts) == 0 {
		return out, err
	}
	byPerson := map[int64][]mtvp.ActivityFact{}
	for _, a := range acts {
		byPerson[a.PersonID] = append(byPerson[a.PersonID], a)
	}
	for pid, f := range out {
		seen := map[int64]bool{}
		for _, m := range f.Staff {
			if !seen[m.PersonID] {
				seen[m.PersonID] = true
				f.Activities = append(f.Activities, byPerson[m.PersonID]...)
			}
		}
		out[pid] = f
	}
	return out, nil
}

// staffRow is one membership with its person as trainingFacts scans it.
type staffRow struct {
	id, person, practice, region int64
	role                         mtvp.StaffRole
	fte                          float64
	from, to                     mtvp.Date
	version                      int
	name, key                    string
}

// staffRows keeps the scan buffers of trainingFacts between loads: a
// region's rows are thousands, and growing a new buffer for each load was
// a tenth of the memory a cold national load allocates.
var staffRows = sync.Pool{New: func() any { s := make([]staffRow, 0, 1024); return &s }}

// normCompletionCols are the columns of a completion the norms read
// (mtvp.EvaluateTrainingNorms): no person's name (a join per row) and no
// creation time (a timestamp to parse per row). A region's completions are
// thousands of rows (BenchmarkNationalStandings).
const normCompletionCols = `c.id, c.session_id, c.training_id, c.person_id, c.completed_on, t.title, t.target, t.counts_for_norms`

// trainingFacts is TrainingFacts; forNorms leaves out of the completions
// what only lists show (PersonName, CreatedAt), for the compliance loader.
func (db *DB) trainingFacts(ctx context.Context, regionID, practiceID int64, forNorms bool) (map[int64]mtvp.TrainingFacts, error) {
	out := map[int64]mtvp.TrainingFacts{}
	filter, args := ` AND pr.region_id = $1`, []any{regionID}
	personFilter := ` AND pe.region_id = $1`
	if practiceID != 0 {
		filter += ` AND pr.id = $2`
		personFilter += ` AND pe.id IN (SELECT person_id FROM memberships WHERE practice_id = $2)`
		args = append(args, practiceID)
	}
	// Completions and claims are read at the same time as the staff, on
	// their own read connections, and joined to the staff's practices at
	// the end.
	var (
		cs                        []mtvp.Completion
		claims                    []mtvp.Claim
		places                    []mtvp.TrainingPlace
		csErr, claimErr, placeErr error
		wg                        sync.WaitGroup
	)
	// A region's completions are those of its sessions (a person and a
	// session share the region): found from the region's few sessions,
	// not by probing every person of the region (issue 6 benchmark).
	completionFilter := ` AND c.session_id IN (SELECT s.id FROM training_sessions s WHERE s.region_id = $1)`
	claimFilter := ` AND c.region_id = $1`
	if practiceID != 0 {
		completionFilter, claimFilter = personFilter, personFilter
	}
	placeFilter := ``
	if practiceID != 0 {
		placeFilter = ` AND e.person_id IN (SELECT person_id FROM memberships WHERE practice_id = $2)`
	}
	wg.Add(3)
	go func() {
		defer wg.Done()
		places, placeErr = db.trainingPlaces(ctx, placeFilter, args...)
	}()
	go func() {
		defer wg.Done()
		if !forNorms {
			cs, csErr = scanCompletions(db.reads().QueryContext(ctx, `SELECT `+completionCols+completionFrom+`
			WHERE 1 = 1`+completionFilter+` ORDER BY c.completed_on, c.id`, args...))
			return
		}
		from := ` FROM training_completions c JOIN trainings t ON t.id = c.training_id`
		if practiceID != 0 {
			from += ` JOIN persons pe ON pe.id = c.person_id` // personFilter
		}
		cs, csErr = scanNormCompletions(db.reads().QueryContext(ctx, `SELECT `+normCompletionCols+from+`
			WHERE 1 = 1`+completionFilter+` ORDER BY c.completed_on, c.id`, args...))
	}()
	go func() {
		defer wg.Done()
		claims, claimErr = scanClaims(db.reads().QueryContext(ctx, `SELECT `+claimCols+claimFrom+`
			WHERE 1 = 1`+claimFilter+` ORDER BY c.completed_on, c.id`, args...))
	}()
	defer wg.Wait() // also when the staff query fails

	// Without the rows' timestamps (the norms do not need them; parsing
	// four per row was a fifth of a region's compliance), and for a region
	// found from its practices and ordered here rather than by the
	// database: half the work on SQLite (issue 6 benchmark). The order is
	// the same: practice, name (search key), membership.
	staffQuery := `SELECT m.id, m.person_id, m.practice_id, m.role, m.fte, m.from_date, m.to_date, m.version, pe.region_id, pe.name
		FROM memberships m JOIN persons pe ON pe.id = m.person_id
		WHERE m.practice_id IN (SELECT pr.id FROM practices pr WHERE pr.region_id = $1)`
	if db.engine == EnginePostgres {
		// PostgreSQL would hash all memberships of every region; per
		// practice through its index (OFFSET 0 keeps the subquery apart)
		// is a fraction of that.
		staffQuery = `SELECT m.id, m.person_id, m.practice_id, m.role, m.fte, m.from_date, m.to_date, m.version, pe.region_id, pe.name
		FROM practices pr CROSS JOIN LATERAL (SELECT * FROM memberships mm WHERE mm.practice_id = pr.id OFFSET 0) m
		JOIN persons pe ON pe.id = m.person_id
		WHERE pr.region_id = $1`
	}
	if practiceID != 0 {
		staffQuery = `SELECT m.id, m.person_id, m.practice_id, m.role, m.fte, m.from_date, m.to_date, m.version, pe.region_id, pe.name
		FROM memberships m JOIN persons pe ON pe.id = m.person_id JOIN practices pr ON pr.id = m.practice_id
		WHERE 1 = 1` + filter
	}
	rows, err := db.reads().QueryContext(ctx, staffQuery, args...)
	if err != nil {
		return nil, internal(err)
	}
	// Rows are scanned into compact rows, sorted, and copied once into
	// each practice's slice, allocated at its size: a region's staff is
	// thousands of rows, and growing a slice of whole StaffMembers (and a
	// map entry per row) was a sixth of a region's load
	// (BenchmarkNationalStandings).
	buf := staffRows.Get().(*[]staffRow)
	staff := (*buf)[:0]
	defer func() {
		clear(staff) // no names kept alive in the pool
		*buf = staff[:0]
		staffRows.Put(buf)
	}()
	var r staffRow
	dest := []any{&r.id, &r.person, &r.practice, &r.role, &r.fte, &r.from, &r.to, &r.version, &r.region, &r.name}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, internal(err)
		}
		r.key = personSearchKey(&mtvp.Person{Name: r.name})
		staff = append(staff, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	// By practice, name (search key), membership.
	slices.SortFunc(staff, func(a, b staffRow) int {
		if c := cmp.Compare(a.practice, b.practice); c != 0 {
			return c
		}
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	practicesOf := make(map[int64][]int64, len(staff))
	facts := make(map[int64]*mtvp.TrainingFacts) // filled in place below, copied into out at the end
	for i := 0; i < len(staff); {
		pid := staff[i].practice
		j := i + 1
		for j < len(staff) && staff[j].practice == pid {
			j++
		}
		ms := make([]mtvp.StaffMember, j-i)
		for k := range ms {
			r := &staff[i+k]
			ms[k] = mtvp.StaffMember{
				Membership: mtvp.Membership{ID: r.id, PersonID: r.person, PracticeID: pid, Role: r.role, FTE: r.fte, From: r.from, To: r.to, Version: r.version},
				Person:     mtvp.Person{ID: r.person, RegionID: r.region, Name: r.name},
			}
			ps := practicesOf[r.person]
			if len(ps) == 0 || ps[len(ps)-1] != pid {
				practicesOf[r.person] = append(ps, pid)
			}
		}
		facts[pid] = &mtvp.TrainingFacts{Staff: ms}
		i = j
	}
	wg.Wait()
	if err := errors.Join(csErr, claimErr, placeErr); err != nil {
		return nil, err
	}
	for _, pl := range places {
		for _, p := range practicesOf[pl.PersonID] {
			f := facts[p]
			f.Places = append(f.Places, pl)
		}
	}
	for _, c := range cs {
		for _, p := range practicesOf[c.PersonID] {
			f := facts[p]
			f.Completions = append(f.Completions, c)
		}
	}
	for _, c := range claims {
		for _, p := range practicesOf[c.PersonID] {
			f := facts[p]
			f.Claims = append(f.Claims, c)
		}
	}
	for id, f := range facts {
		out[id] = *f
	}
	return out, nil
}

// scanNormCompletions scans rows of normCompletionCols.
func scanNormCompletions(rows *sql.Rows, err error) ([]mtvp.Completion, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Completion
	var c mtvp.Completion
	counts := true
	dest := []any{&c.ID, &c.SessionID, &c.TrainingID, &c.PersonID, &c.CompletedOn, &c.TrainingTitle, &c.Target, &counts}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, internal(err)
		}
		c.NotCounting = !counts
		out = append(out, c)
	}
	return out, internal(rows.Err())
}

// ParticipationRow is one line of a participation list: a person who
// completed a training, or has an approved claim, with how it counts.
type ParticipationRow struct {
	PracticeID   int64
	PracticeName string
	PracticeAGB  string
	PersonID     int64
	PersonName   string
	BIG          string
	KABIZ        string
	Role         mtvp.StaffRole
	Training     string
	Provider     string
	Register     mtvp.Register
	Points       float64
	Date         mtvp.Date
	ByClaim      bool
	SessionID    int64
	Target       mtvp.TargetGroup // of the training (completions)
	Theme        string           // of the claim (claims)
}

// Participation returns who followed what and when, per practice (their
// current or past memberships in the region, or only practiceID), with
// completions and approved claims, ordered by practice, name and date.
// Two queries.
func (db *DB) Participation(ctx context.Context, regionID, practiceID int64) ([]ParticipationRow, error) {
	filter, args := ``, []any{regionID}
	if practiceID != 0 {
		filter = ` AND pr.id = $2`
		args = append(args, practiceID)
	}
	// The person's role at the practice is their latest membership's.
	q1 := `SELECT pr.id, pr.name, pr.agb, pe.id, pe.name, pe.big, pe.kabiz, m.role, t.title, t.provider, t.register, t.points, c.completed_on, c.session_id, 0, t.target, ''
		FROM memberships m JOIN practices pr ON pr.id = m.practice_id JOIN persons pe ON pe.id = m.person_id
		JOIN training_completions c ON c.person_id = pe.id JOIN trainings t ON t.id = c.training_id
		WHERE pr.region_id = $1 AND m.id = (SELECT MAX(m2.id) FROM memberships m2 WHERE m2.person_id = m.person_id AND m2.practice_id = m.practice_id)` + filter
	q2 := `SELECT pr.id, pr.name, pr.agb, pe.id, pe.name, pe.big, pe.kabiz, m.role, c.title, c.provider, 'geen', 0, c.completed_on, 0, 1, '', c.theme
		FROM memberships m JOIN practices pr ON pr.id = m.practice_id JOIN persons pe ON pe.id = m.person_id
		JOIN training_claims c ON c.person_id = pe.id AND c.status = 'goedgekeurd'
		WHERE pr.region_id = $1 AND m.id = (SELECT MAX(m2.id) FROM memberships m2 WHERE m2.person_id = m.person_id AND m2.practice_id = m.practice_id)` + filter
	var out []ParticipationRow
	for _, q := range []string{q1, q2} {
		rows, err := db.rd.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, internal(err)
		}
		for rows.Next() {
			var r ParticipationRow
			var byClaim int
			if err := rows.Scan(&r.PracticeID, &r.PracticeName, &r.PracticeAGB, &r.PersonID, &r.PersonName, &r.BIG, &r.KABIZ, &r.Role,
				&r.Training, &r.Provider, &r.Register, &r.Points, &r.Date, &r.SessionID, &byClaim, &r.Target, &r.Theme); err != nil {
				rows.Close()
				return nil, internal(err)
			}
			r.ByClaim = byClaim == 1
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err)
		}
	}
	sortParticipation(out)
	return out, nil
}

func sortParticipation(rs []ParticipationRow) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.PracticeName != b.PracticeName {
			return lessName(a.PracticeName, b.PracticeName, a.PracticeID, b.PracticeID)
		}
		if a.PersonName != b.PersonName {
			return strings.ToLower(a.PersonName) < strings.ToLower(b.PersonName)
		}
		return a.Date.Before(b.Date)
	})
}

// trainingPlaces reads the placed sign-ups (not waiting, not cancelled) of
// the region's sessions ($1), narrowed by filter: pending for the training
// norms (mtvp.TrainingPlace).
func (db *DB) trainingPlaces(ctx context.Context, filter string, args ...any) ([]mtvp.TrainingPlace, error) {
	rows, err := db.reads().QueryContext(ctx, `SELECT e.person_id, t.title, t.target, e.queued_at, s.first_date
		FROM training_enrolments e JOIN training_sessions s ON s.id = e.session_id JOIN trainings t ON t.id = s.training_id
		WHERE s.region_id = $1 AND e.status = 'geplaatst'`+filter+` ORDER BY s.first_date, e.id`, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.TrainingPlace
	for rows.Next() {
		var pl mtvp.TrainingPlace
		var queued time.Time
		if err := rows.Scan(&pl.PersonID, &pl.TrainingTitle, &pl.Target, &queued, &pl.FirstDate); err != nil {
			return nil, internal(err)
		}
		pl.SignedUpOn = mtvp.DateOf(queued)
		out = append(out, pl)
	}
	return out, internal(rows.Err())
}
