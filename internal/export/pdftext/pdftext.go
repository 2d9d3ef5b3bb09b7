// Package pdftext extracts a PDF's text for tests with poppler's pdftotext.
// A test that needs it calls Extract: when pdftotext is absent the test is
// skipped with a clear message, except in CI (CI=true), where it fails.
package pdftext

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Extract returns the text of pdf in reading order (pdftotext -layout).
func Extract(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found: install poppler-utils (apt-get install -y poppler-utils); CI must run the PDF tests")
		}
		t.Skip("pdftotext not found: install poppler-utils (apt-get install -y poppler-utils) to check PDF text")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return out.String()
}

// Pages returns the number of pages pdftotext found (form feeds + 1).
func Pages(text string) int {
	return bytes.Count([]byte(text), []byte("\f"))
}
