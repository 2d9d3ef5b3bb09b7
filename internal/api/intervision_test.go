package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"meertijd/internal/mtvp"
)

func TestIntervisionAPIPrivacyAndRules(t *testing.T) {
	f := newFixture(t)
	intervisionWorld(f)
	// P2 sees Lotte by name and the totals, never Anna or Daan of P1.
	rec := f.get(practiceP2, "/api/v1/intervision-groups/1/members")
	var ms struct {
		Items []struct {
			PersonName string `json:"person_name"`
			Status     string `json:"status"`
			Position   int    `json:"position"`
		} `json:"items"`
		Members, Waiting int
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &ms); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if len(ms.Items) != 1 || ms.Items[0].PersonName != "Lotte Smeets" || ms.Members != 2 || ms.Waiting != 1 {
		t.Fatalf("P2 members view %+v", ms)
	}
	rec = f.get(facilitatorA, "/api/v1/intervision-groups/1/members")
	json.Unmarshal(rec.Body.Bytes(), &ms)
	if len(ms.Items) != 3 || ms.Items[2].Status != "wachtlijst" || ms.Items[2].Position != 1 {
		t.Fatalf("facilitator members view %+v", ms)
	}
	// Funders list the groups without facilitators.
	rec = f.get(funderA, ivy("/api/v1/regions/{region}/intervision-groups?year={ivyear}"))
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "facilitator") {
		t.Fatalf("funder list: %s", rec.Body)
	}
	before := f.auditCount()
	// Lotte is already in the group (signed up by P2): P1 cannot add her again.
	rec = f.send(practiceP1, "POST", "/api/v1/intervision-groups/1/members", `{"practice_id":{practice},"person_id":{lotte}}`)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "intervision.err.already_in_group") {
		t.Fatalf("double sign-up: %d %s", rec.Code, rec.Body)
	}
	// Attendance for someone on the waiting list, a meeting in another
	// year: 422, nothing saved.
	rec = f.send(facilitatorA, "PUT", "/api/v1/intervision-meetings/1/attendance", `{"attendance":[{"member_id":1,"status":"aanwezig"},{"member_id":3,"status":"aanwezig"}]}`)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "attendance.member_id.3") {
		t.Fatalf("attendance for a waiting person: %d %s", rec.Code, rec.Body)
	}
	rec = f.send(facilitatorA, "POST", "/api/v1/intervision-groups/1/meetings", `{"date":"`+mtvp.NewDate(ivYear-1, time.December, 1).String()+`","start":"19:00","end":"21:00"}`)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "intervision.err.meeting_year") {
		t.Fatalf("meeting outside the year: %d %s", rec.Code, rec.Body)
	}
	if f.auditCount() != before {
		t.Fatal("refused requests wrote something")
	}
	// Anna leaves: Daan (first waiting, P1) moves up and P1 is told.
	rec = f.send(practiceP1, "PUT", "/api/v1/intervision-members/1/leave", `{"version":1,"left":"`+ivPast(time.June, 1).String()+`"}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Daan Dirksen") {
		t.Fatalf("leave: %d %s", rec.Code, rec.Body)
	}
	rec = f.send(practiceP1, "PUT", "/api/v1/intervision-members/1/leave", `{"version":1}`)
	if rec.Code != 409 {
		t.Fatalf("second leave: %d %s", rec.Code, rec.Body)
	}
}
