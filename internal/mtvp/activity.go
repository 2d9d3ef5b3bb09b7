package mtvp

import (
	"regexp"
	"strings"
	"time"
)

// Learning activities (issue 16): one model for what a region offers
// besides intervision and the training menu — network meetings, shadowing a
// colleague (meelopen), practice scans, and kinds a region adds. An activity
// has a date, a time, a place and a capacity; practices sign their own
// people up, with the waiting list of the shared seat rule (seats.go); the
// region records attendance. Per kind the region decides whether taking part
// counts towards a norm or a regioplan minimum (default: it does not).

// The built-in activity kinds. A region may add its own (any other code);
// those behave like a network meeting.
const (
	KindNetwork   = "netwerk"
	KindShadowing = "meelopen"
	KindScan      = "praktijkscan"
)

// BuiltinActivityKinds in display order.
var BuiltinActivityKinds = []string{KindNetwork, KindShadowing, KindScan}

// ActivityCounts says what taking part in a kind counts towards.
type ActivityCounts string

const (
	CountsNothing   ActivityCounts = ""          // default
	CountsNorm      ActivityCounts = "norm"      // a norm (as intervision or training)
	CountsRegioplan ActivityCounts = "regioplan" // a regioplan minimum
)

// ActivityKind is a kind of activity in a region with its setting. Built-in
// kinds exist in every region; their setting is stored once changed.
type ActivityKind struct {
	RegionID int64
	Code     string
	Name     string // the region's name for an added kind; "" for built-ins (translated)
	Counts   ActivityCounts
	// Norm: the requirement a CountsNorm kind counts towards (one of
	// ActivityNorms); "" otherwise. A CountsNorm kind without a norm (set
	// before norms were named) counts towards nothing.
	Norm    Requirement
	Builtin bool
	Version int // 0 while a built-in's default was never stored
}

var kindCodePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,29}$`)

// IsBuiltinKind reports a built-in kind code.
func IsBuiltinKind(code string) bool {
	for _, k := range BuiltinActivityKinds {
		if k == code {
			return true
		}
	}
	return false
}

// KindCode turns a region's name for a new kind into its code
// ("Intervisie-plus dag" → "intervisie-plus-dag").
func KindCode(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 30 {
		s = strings.TrimRight(s[:30], "-")
	}
	return s
}

// Validate checks an added kind or a kind's setting.
func (k *ActivityKind) Validate() error {
	f := FieldErrors{}
	k.Name = strings.TrimSpace(k.Name)
	if !k.Builtin {
		if k.Name == "" {
			f.Add("name", "activity.err.kind_name_required")
		} else if len(k.Name) > 80 {
			f.Add("name", "err.too_long")
		} else if !kindCodePattern.MatchString(k.Code) || IsBuiltinKind(k.Code) {
			f.Add("name", "activity.err.kind_name_invalid")
		}
	}
	switch k.Counts {
	case CountsNorm:
		if !isActivityNorm(k.Norm) {
			f.Add("counts", "activity.err.counts")
		}
	case CountsNothing, CountsRegioplan:
		k.Norm = ""
	default:
		f.Add("counts", "activity.err.counts")
	}
	return f.Err()
}

// ActivityNorms are the norms an activity kind may count towards: the
// people norms (a plan or a visit is not met by taking part).
var ActivityNorms = []Requirement{ReqIntervision, ReqAssistantTraining, ReqGPTraining}

func isActivityNorm(r Requirement) bool {
	for _, n := range ActivityNorms {
		if n == r {
			return true
		}
	}
	return false
}

// CountsNormFor reports whether taking part in the kind counts towards norm.
func (k ActivityKind) CountsNormFor(norm Requirement) bool {
	return k.Counts == CountsNorm && k.Norm != "" && k.Norm == norm
}

// Setting is the kind's setting as one form value: "" (nothing),
// "norm:<requirement>" or "regioplan" (ParseActivitySetting reads it).
func (k ActivityKind) Setting() string {
	if k.Counts == CountsNorm {
		return string(CountsNorm) + ":" + string(k.Norm)
	}
	return string(k.Counts)
}

// ActivitySettings are the form values of every setting, in display order.
func ActivitySettings() []string {
	out := []string{string(CountsNothing)}
	for _, n := range ActivityNorms {
		out = append(out, string(CountsNorm)+":"+string(n))
	}
	return append(out, string(CountsRegioplan))
}

// ParseActivitySetting reads a form value of Setting into the kind's Counts
// and Norm (Validate rejects what is not a setting).
func ParseActivitySetting(v string) (ActivityCounts, Requirement) {
	if c, n, ok := strings.Cut(v, ":"); ok {
		return ActivityCounts(c), Requirement(n)
	}
	return ActivityCounts(v), ""
}

// ActivityFact is one person's recorded attendance at an activity whose kind
// counts towards a norm (ComplianceFacts.Activities): the person meets
// Norm by it when Date lies in the programme year on or before the
// reference date.
type ActivityFact struct {
	PersonID   int64
	ActivityID int64
	Title      string
	Date       Date
	Norm       Requirement
	// Present: attendance recorded as present (absent or unrecorded
	// attendance never counts).
	Present bool
}

// activityVia is the earliest fact by which the person meets norm in ref's
// year on or before ref; ok false when none.
func activityVia(facts []ActivityFact, personID int64, norm Requirement, ref Date) (ActivityFact, bool) {
	var best ActivityFact
	ok := false
	for _, a := range facts {
		if !a.Present || a.PersonID != personID || a.Norm != norm || a.Date.IsZero() || a.Date.Year() != ref.Year() || a.Date.After(ref) {
			continue
		}
		if !ok || a.Date.Before(best.Date) {
			best, ok = a, true
		}
	}
	return best, ok
}

// HostStatus is where a shadowing request stands with the host practice.
type HostStatus string

const (
	HostAsked    HostStatus = "gevraagd"
	HostAccepted HostStatus = "geaccepteerd"
	HostDeclined HostStatus = "afgewezen"
)

// Activity is one learning activity on one day.
type Activity struct {
	ID          int64
	RegionID    int64
	Kind        string
	Title       string
	Description string
	Date        Date
	StartTime   string // "19:00"
	EndTime     string // "21:00"
	Place       string
	Capacity    int
	// HostPracticeID: for shadowing the host practice (which accepts or
	// declines, HostStatus); for a practice scan the practice scanned.
	HostPracticeID   int64
	HostPracticeName string // filled when read
	HostStatus       HostStatus
	// ScanBy: who does a practice scan — a consultant (ScanConsultantID)
	// or an external party (its name).
	ScanBy           string
	ScanConsultantID int64
	// The scan's result document (kept in a separate table).
	ResultName string
	ResultType string
	ResultSize int
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Read with the activity.
	Placed  int
	Waiting int
}

// MaxActivityCapacity bounds an activity's places.
const MaxActivityCapacity = MaxSessionCapacity

// Normalize trims input.
func (a *Activity) Normalize() {
	a.Kind = strings.TrimSpace(a.Kind)
	a.Title = strings.TrimSpace(a.Title)
	a.Description = strings.TrimSpace(a.Description)
	a.Place = strings.TrimSpace(a.Place)
	a.StartTime = strings.TrimSpace(a.StartTime)
	a.EndTime = strings.TrimSpace(a.EndTime)
	a.ScanBy = strings.TrimSpace(a.ScanBy)
	if a.Kind != KindShadowing {
		a.HostStatus = ""
	} else if a.HostStatus == "" {
		a.HostStatus = HostAsked
	}
	if a.Kind != KindShadowing && a.Kind != KindScan {
		a.HostPracticeID = 0
	}
	if a.Kind != KindScan {
		a.ScanBy, a.ScanConsultantID = "", 0
	}
}

// Validate checks an activity (after Normalize).
func (a *Activity) Validate() error {
	f := FieldErrors{}
	if a.Kind == "" {
		f.Add("kind", "activity.err.kind_required")
	}
	if a.Title == "" {
		f.Add("title", "activity.err.title_required")
	} else if len(a.Title) > 200 {
		f.Add("title", "err.too_long")
	}
	if len(a.Description) > 4000 {
		f.Add("description", "err.too_long")
	}
	if a.Date.IsZero() {
		f.Add("date", "activity.err.date_required")
	}
	if !clockPattern.MatchString(a.StartTime) {
		f.Add("start_time", "training.err.time_format")
	}
	if !clockPattern.MatchString(a.EndTime) {
		f.Add("end_time", "training.err.time_format")
	} else if clockPattern.MatchString(a.StartTime) && a.EndTime <= a.StartTime {
		f.Add("end_time", "training.err.end_before_start")
	}
	if a.Place == "" {
		f.Add("place", "training.err.place_required")
	} else if len(a.Place) > 200 {
		f.Add("place", "err.too_long")
	}
	if a.Capacity < 1 || a.Capacity > MaxActivityCapacity {
		f.Add("capacity", "training.err.capacity_range")
	}
	if (a.Kind == KindShadowing || a.Kind == KindScan) && a.HostPracticeID == 0 {
		f.Add("host_practice", "activity.err.host_required")
	}
	if a.Kind == KindScan && a.ScanBy == "" && a.ScanConsultantID == 0 {
		f.Add("scan_by", "activity.err.scan_by_required")
	}
	if len(a.ScanBy) > 200 {
		f.Add("scan_by", "err.too_long")
	}
	return f.Err()
}

// DecideHost is the host practice's answer to a shadowing request: only an
// open request (or a changed mind before the day) can be answered.
func (a Activity) DecideHost(accept bool, today Date) (HostStatus, error) {
	if a.Kind != KindShadowing {
		return "", Errorf(EINVALID, "not shadowing")
	}
	if a.Date.Before(today) {
		return "", FieldErrors{"decision": "activity.err.past"}.Err()
	}
	if accept {
		return HostAccepted, nil
	}
	return HostDeclined, nil
}

// SignUpAllowed checks a practice's sign-up for the activity on day today:
// not after the day, shadowing not declined and never at one's own host
// practice, a scan only for the scanned practice's own staff. It returns a
// field error (field "person" or "activity").
func (a Activity) SignUpAllowed(practiceID int64, today Date) error {
	switch {
	case a.Date.Before(today):
		return FieldErrors{"activity": "activity.err.past"}.Err()
	case a.Kind == KindShadowing && a.HostStatus == HostDeclined:
		return FieldErrors{"activity": "activity.err.host_declined"}.Err()
	case a.Kind == KindShadowing && practiceID == a.HostPracticeID:
		return FieldErrors{"person": "activity.err.own_host"}.Err()
	case a.Kind == KindScan && practiceID != a.HostPracticeID:
		return FieldErrors{"person": "activity.err.scan_other_practice"}.Err()
	}
	return nil
}

// Free is the number of free places.
func (a Activity) Free() int { return FreeSeats(a.Capacity, a.Placed) }

// ActivitySignUp is one person's sign-up for an activity, made by a
// practice. Status uses the training enrolment states (placed, waiting,
// cancelled).
type ActivitySignUp struct {
	ID           int64
	ActivityID   int64
	PersonID     int64
	PracticeID   int64
	PersonName   string
	PracticeName string
	Status       EnrolmentStatus
	Queued       time.Time
	PromotedAt   time.Time
	// Attendance: nil while not recorded.
	Attended *bool
	Version  int
	Position int // on the waiting list, 1 = next; filled when read
}

// Access policy of learning activities.

// CanSeeActivities: every working role in the region sees the list and
// free places (funders do not: counts under 5).
func (u *User) CanSeeActivities(region int64) bool { return u.CanWorkInRegion(region) }

// CanManageActivities: region admins and consultants create activities,
// see every sign-up, record attendance and upload scan results.
func (u *User) CanManageActivities(region int64) bool {
	return u.CanAdminRegion(region) || u.hasRegionRole(region, AccountConsultant)
}

// CanSetActivityKinds: the region admin adds kinds and decides what they
// count towards.
func (u *User) CanSetActivityKinds(region int64) bool { return u.CanAdminRegion(region) }

// CanSignUpForActivity: a practice signs up its own people (the region may
// do it for them).
func (u *User) CanSignUpForActivity(p *Practice) bool {
	return u.CanEditStaff(p) || (p != nil && u.CanManageActivities(p.RegionID))
}

// CanAnswerShadowing: the host practice accepts or declines (the region may
// record the answer for it).
func (u *User) CanAnswerShadowing(host *Practice) bool { return u.CanEditStaff(host) }

// AttendanceKnown reports whether attendance was recorded.
func (x ActivitySignUp) AttendanceKnown() bool { return x.Attended != nil }

// Present reports recorded attendance.
func (x ActivitySignUp) Present() bool { return x.Attended != nil && *x.Attended }

// Edit applies an edit of the editable fields (title, description, date,
// times, place, capacity) to the stored activity; kind, host practice and
// scan settings stay. placed is the number of placed sign-ups: the
// capacity may not drop below it (field "capacity"). It returns the
// edited activity (normalised and validated).
func (a Activity) Edit(e Activity, placed int) (Activity, error) {
	out := a
	out.Title, out.Description, out.Date, out.StartTime, out.EndTime, out.Place, out.Capacity =
		e.Title, e.Description, e.Date, e.StartTime, e.EndTime, e.Place, e.Capacity
	out.Version = e.Version
	out.Normalize()
	f := FieldErrors{}
	for k, v := range FieldErrorsOf(out.Validate()) {
		f.Add(k, v)
	}
	if _, bad := f["capacity"]; !bad && out.Capacity < placed {
		f.Add("capacity", "activity.err.capacity_below_placed")
	}
	return out, f.Err()
}

// Cancellable checks an activity may be cancelled (removed with its
// sign-ups) on day today: not after its day, and not once attendance was
// recorded for any sign-up (field "activity").
func (a Activity) Cancellable(today Date, attendanceRecorded bool) error {
	switch {
	case attendanceRecorded:
		return FieldErrors{"activity": "activity.err.delete_attended"}.Err()
	case a.Date.Before(today):
		return FieldErrors{"activity": "activity.err.delete_past"}.Err()
	}
	return nil
}
