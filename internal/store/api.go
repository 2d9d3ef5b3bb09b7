package store

// This package's methods are the contract that web, api, import, demo and
// the command line code against. Every method returns *mtvp.Error codes
// (ENOTFOUND, ECONFLICT on a stale Version or duplicate key, EINVALID from
// domain validation), runs each multi-row change in one transaction, writes
// an audit entry for every change inside that same transaction, and stores
// timestamps in UTC. Version columns implement optimistic locking: an update
// passes the Version it read; a mismatch is ECONFLICT and changes nothing;
// on success the struct's Version is incremented.
//
// Where each part lives (methods beyond the original contract marked +):
//
//	db.go         Open, Migrate, Close, Ping, Engine, SchemaVersion+, Migrations+
//	regions.go    ListRegions, RegionByID, RegionByCode, CreateRegion, UpdateRegion
//	regioplan.go  Regioplan, RegioplanByID+, RegioplanYears, SaveRegioplan
//	practices.go  ListPractices, PracticeByID, PracticeByAGB, CreatePractice,
//	              UpdatePractice, InflowWaves
//	people.go     PersonByID, PersonByBIG, ListPeople, CreatePerson, UpdatePerson,
//	              Staff, MembershipByID, MembershipsOfPerson, AddStaff,
//	              AddStaffBatch+, CreateMembership, UpdateMembership, UpdateStaff+,
//	              EndMembership, StaffTotals+
//	users.go      CreateUser, UpdateUser, UserByID, UserByEmail, ListUsers,
//	              Consultants, Credentials, CredentialsByEmail, CredentialsByUserID,
//	              SetPassword, SetTOTP, UseTOTPStep, UseRecoveryCode,
//	              RecoveryCodesLeft+, RecordLogin
//	throttle.go   ReserveAttempt, ClearAttempts, ReleaseAttempt, PruneAttempts+
//	tokens.go     APIToken, CreateAPIToken, UserByTokenHash, APITokens+, DeleteAPIToken+
//	sessions.go   SessionStore (scs.Store and scs.CtxStore), DeleteExpired+
//	audit.go      History, RegionHistory; entity and action names
//	audit_count.go AuditCount
//	meta.go       Meta, SetMeta
//	import.go     ApplyImport
//	bulk*.go      BulkPeople+, BulkPlans+, BulkIntervision+, BulkTraining+, RegionStaff+,
//	              Analyze+ (multi-row loaders for the demo and the national set)
//
// The areas built on it keep their own files; each file's head comment
// lists its methods:
//
//	plan.go                    plan van aanpak: versions, workflow, comments, team reviews
//	intervision*.go            groups, members and waiting lists, meetings, attendance, files
//	training*.go               menu and sessions, sign-ups and completions, claims, norm facts
//	compliance*.go             compliance facts and snapshots
//	visit*.go                  consultant visits and their coverage
//	funder.go                  funder (health insurer) figures
//	bulk*.go, querycount.go    set-wise reads and writes for large regions; query counting
//
// Schema: migrations/sqlite and migrations/postgres hold the same numbered
// migrations with the same tables and columns. New tables follow the same
// style: plural snake_case names (plans, intervision_groups, trainings,
// claims, visits), id, region_id or practice_id foreign keys, version,
// created_at and updated_at; dates as DATE/TEXT, timestamps UTC.

// SessionStore returns an scs.Store backed by this database.
func (db *DB) SessionStore() *SessionStore { return &SessionStore{db: db} }
