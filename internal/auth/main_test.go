package auth

import (
	"os"
	"testing"
)

// Tests hash with cheap parameters; the ones about DefaultParams set them
// explicitly.
func TestMain(m *testing.M) {
	SetTestParams()
	os.Exit(m.Run())
}

// withParams sets p for one test.
func withParams(t *testing.T, p Params) {
	t.Helper()
	old := CurrentParams()
	SetParams(p)
	t.Cleanup(func() { SetParams(old) })
}
