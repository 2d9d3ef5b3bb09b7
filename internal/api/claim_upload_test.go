package api

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// TestClaimEvidenceLimits: evidence up to 5 MiB fits through the API as
// base64 (the claim route takes a larger body); over the body limit the
// 413 names the limits in MB; evidence just over 5 MiB is 422 on its field.
func TestClaimEvidenceLimits(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	const claims = "/api/v1/practices/{practice}/claims"
	pdf := func(n int) string {
		b := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), n-9)...)
		return base64.StdEncoding.EncodeToString(b)
	}
	body := func(ev string) string {
		return `{"person_id":{anna},"title":"PG","completed_on":"2023-05-01","theme":"positieve gezondheid","evidence":{"name":"bewijs.pdf","content_base64":"` + ev + `"}}`
	}
	wantStatus(t, f.send(practiceP1, "POST", claims, body(pdf(2<<20))), http.StatusCreated)

	rec := f.send(practiceP1, "POST", claims, body(pdf(mtvp.MaxEvidenceSize+1)))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["evidence"] == nil {
		t.Fatalf("evidence over 5 MiB: %v", fields)
	}

	rec = f.send(practiceP1, "POST", claims, body(pdf(6<<20)))
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
	_, msg, _ := errorOf(t, rec)
	for _, want := range []string{"6,7 MB", "5 MB"} {
		if !strings.Contains(msg, want) {
			t.Errorf("413 message %q lacks %q", msg, want)
		}
	}
	// Other routes keep the 1 MiB limit, in words.
	rec = f.send(practiceP1, "PUT", "/api/v1/practices/{practice}", `{"version":1,"name":"`+strings.Repeat("x", DefaultMaxBodyBytes)+`"}`)
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
	if _, msg, _ := errorOf(t, rec); !strings.Contains(msg, "hoogstens 1 MB") {
		t.Errorf("413 message %q", msg)
	}
}
