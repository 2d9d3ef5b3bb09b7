package mtvp

// ImportBatch is a checked import of a region's practices and staff (the
// lists regions already keep), applied all or nothing.
type ImportBatch struct {
	// Practices are created, or updated when the AGB already exists in the
	// region (name, address, registered patients; empty cells keep values).
	Practices []Practice
	Staff     []ImportStaff
}

// ImportStaff is one staff row: a person working at a practice.
type ImportStaff struct {
	Row         int    // 1-based row in the file, for messages
	PracticeAGB string // practice in this batch or already in the region
	Person      Person
	Membership  Membership
}

// ImportResult counts what an applied import did.
type ImportResult struct {
	PracticesCreated   int
	PracticesUpdated   int
	PeopleCreated      int
	PeopleMatched      int // existing person found by BIG, e-mail or name at the practice
	MembershipsCreated int
	MembershipsSkipped int // identical membership already present
}
