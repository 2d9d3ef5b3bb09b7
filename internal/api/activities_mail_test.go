package api

import (
	"context"
	"strings"
	"testing"

	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
)

// TestActivityMailsFromAPI: a PUT that moves the activity writes the change
// mail to the person signed up (a new title alone does not), and DELETE the
// cancellation, with their calendar entries.
func TestActivityMailsFromAPI(t *testing.T) {
	f := newFixture(t)
	activityWorld(f)
	ctx := context.Background()
	x := mtvp.ActivitySignUp{ActivityID: 1, PersonID: f.anna.ID, PracticeID: f.p1.ID}
	if err := f.db.SignUpForActivity(ctx, mtvp.SystemActor, &x); err != nil {
		t.Fatal(err)
	}
	count := func(kind string) int {
		ms, err := f.db.ListMail(ctx, f.regionA.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range ms {
			if m.Kind == kind && m.To == strings.ToLower(f.anna.Email) {
				n++
			}
		}
		return n
	}
	if rec := f.send(consultantA, "PUT", "/api/v1/activities/1", `{"title":"Netwerkavond nieuw","version":1}`); rec.Code != 200 {
		t.Fatalf("title: %d %s", rec.Code, rec.Body)
	}
	if n := count(mail.KindActivityChanged); n != 0 {
		t.Fatalf("a new title mailed %d", n)
	}
	if rec := f.send(consultantA, "PUT", "/api/v1/activities/1", `{"place":"Sittard","version":2}`); rec.Code != 200 {
		t.Fatalf("move: %d %s", rec.Code, rec.Body)
	}
	if n := count(mail.KindActivityChanged); n != 1 {
		t.Fatalf("change mails %d", n)
	}
	if rec := f.send(consultantA, "DELETE", "/api/v1/activities/1?version=3", ""); rec.Code != 200 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	ms, _ := f.db.ListMail(ctx, f.regionA.ID, 1)
	if len(ms) != 1 || ms[0].Kind != mail.KindActivityCancelled || !strings.Contains(string(ms[0].Attachment), "METHOD:CANCEL\r\n") ||
		!strings.Contains(string(ms[0].Attachment), "SEQUENCE:4\r\n") {
		t.Fatalf("cancellation mail: %+v", ms)
	}
}
