package web

import (
	"os"
	"testing"

	"meertijd/internal/auth"
)

// Cheap password hashing keeps the many logins in these tests fast; the
// real parameters are tested in internal/auth.
func TestMain(m *testing.M) {
	auth.SetTestParams()
	os.Exit(m.Run())
}
