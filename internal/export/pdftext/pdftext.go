// Package pdftext extracts a PDF's text for tests with poppler's pdftotext.
// A test that needs it calls Extract: when pdftotext is absent the test is
// skipped with a clear message, except in CI (CI=true), where it fails.
package pdftext

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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

// Word is one word of a PDF page with its box in points (origin top left).
type Word struct {
	Page                   int
	Text                   string
	XMin, YMin, XMax, YMax float64
}

// PageBox is a page's size in points.
type PageBox struct{ Width, Height float64 }

var (
	pageRe = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	wordRe = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
)

// Words returns every word of the PDF with its box (pdftotext -bbox), and
// the size of each page.
func Words(t testing.TB, pdf []byte) ([]Word, []PageBox) {
	t.Helper()
	html := run(t, pdf, "pdftotext", "-bbox", "-enc", "UTF-8")
	var words []Word
	var pages []PageBox
	for _, chunk := range strings.Split(html, "<page ")[1:] {
		m := pageRe.FindStringSubmatch("<page " + chunk)
		if m == nil {
			continue
		}
		pages = append(pages, PageBox{num(m[1]), num(m[2])})
		for _, w := range wordRe.FindAllStringSubmatch(chunk, -1) {
			words = append(words, Word{Page: len(pages), Text: stdhtml.UnescapeString(w[5]), XMin: num(w[1]), YMin: num(w[2]), XMax: num(w[3]), YMax: num(w[4])})
		}
	}
	return words, pages
}

// DarkRows renders page (1-based) at 72 dpi in grey and returns, per pixel
// row (one point), the share of dark pixels: a drawn rule shows as a row
// with a high share.
func DarkRows(t testing.TB, pdf []byte, page int) []float64 {
	t.Helper()
	out := run(t, pdf, "pdftoppm", "-gray", "-r", "72", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	// A binary PGM: "P5\n<w> <h>\n255\n" then w*h bytes.
	var w, h, maxv int
	var rest string
	if _, err := fmt.Sscanf(out, "P5\n%d %d\n%d", &w, &h, &maxv); err != nil {
		t.Fatalf("pdftoppm output: %v", err)
	}
	header := fmt.Sprintf("P5\n%d %d\n%d\n", w, h, maxv)
	rest = out[len(header):]
	if len(rest) < w*h {
		t.Fatalf("pdftoppm: short image")
	}
	rows := make([]float64, h)
	for y := range h {
		dark := 0
		for x := range w {
			if rest[y*w+x] < 200 {
				dark++
			}
		}
		rows[y] = float64(dark) / float64(w)
	}
	return rows
}

func num(s string) float64 { f, _ := strconv.ParseFloat(s, 64); return f }

// run writes pdf to a file and runs a poppler tool on it, returning stdout.
func run(t testing.TB, pdf []byte, tool string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found: install poppler-utils; CI must run the PDF tests", tool)
		}
		t.Skipf("%s not found: install poppler-utils (apt-get install -y poppler-utils) to check PDF layout", tool)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, stderr bytes.Buffer
	args = append(args, path)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v: %s", tool, err, stderr.String())
	}
	return out.String()
}
