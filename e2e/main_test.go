package e2e

import (
	"os"
	"testing"

	"meertijd/internal/auth"
)

func TestMain(m *testing.M) {
	auth.SetTestParams()
	os.Exit(m.Run())
}
