package store

// PlanInterventionIDsForTest exposes planInterventionIDs to the tests.
var PlanInterventionIDsForTest = planInterventionIDs
