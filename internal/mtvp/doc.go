// Package mtvp is the domain of meertijd: the types of the Meer Tijd voor de
// Patiënt programme (regions, regioplan, practices, people, memberships,
// accounts) and its pure rules (validation, access policy, norm defaults).
// It does no I/O: storage lives in internal/store, HTTP in internal/web and
// internal/api.
package mtvp
