// Package auth holds the pure building blocks of signing in: password
// hashing (argon2id), encryption of TOTP secrets at rest (AES-256-GCM),
// TOTP codes and their QR codes, recovery codes, API tokens and the login
// throttling policy.
//
// It does no database access and serves no HTTP: the web, API and command
// line layers call these functions and keep the results through the store.
// Secrets that must be shown once (recovery codes, API tokens) are returned
// in plain text together with the hash that is the only thing to store.
package auth
