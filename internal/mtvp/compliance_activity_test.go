package mtvp

import "testing"

// TestActivityCountsTowardsNorm: presence at an activity whose kind counts
// towards a norm meets that norm for the person, in the programme year on
// or before the reference date; the result names the activity.
func TestActivityCountsTowardsNorm(t *testing.T) {
	ref := MustDate("2025-06-30")
	// Cor (3) is the untrained assistant; Bep's training is taken away so
	// the assistant norm is 1 of 3 (not met) until Cor counts.
	at := func(on string, norm Requirement) []ActivityFact {
		return []ActivityFact{{PersonID: 3, ActivityID: 77, Title: "Netwerkavond triage", Date: MustDate(on), Norm: norm, Present: true}}
	}
	absent := at("2025-03-12", ReqAssistantTraining)
	absent[0].Present = false
	cases := []struct {
		name   string
		facts  []ActivityFact
		ref    Date
		met    bool
		actual int
	}{
		{"counts towards the assistant norm", at("2025-03-12", ReqAssistantTraining), ref, true, 2},
		{"on the reference date counts", at("2025-06-30", ReqAssistantTraining), ref, true, 2},
		{"a kind counting towards another norm does not count", at("2025-03-12", ReqGPTraining), ref, false, 1},
		{"recorded absent", absent, ref, false, 1},
		{"no activity (default kinds count for nothing)", nil, ref, false, 1},
		{"outside the programme year", at("2024-11-12", ReqAssistantTraining), ref, false, 1},
		{"after the reference date", at("2025-07-01", ReqAssistantTraining), ref, false, 1},
		{"after the reference date counts at a later one", at("2025-07-01", ReqAssistantTraining), MustDate("2025-12-31"), true, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, s := complianceBase(), DefaultNormSettings()
			f.Completions = append(f.Completions[:1], f.Completions[2:]...)
			f.Activities = c.facts
			r := EvaluateCompliance(f, s, 2025, c.ref).Requirement(ReqAssistantTraining)
			if r.Actual != c.actual || (r.Status == StatusMet) != c.met {
				t.Fatalf("got %s %d of %d: %s", r.Status, r.Actual, r.Denominator, r.Explanation)
			}
			for _, p := range r.People {
				if p.PersonID != 3 {
					continue
				}
				if p.Met != c.met {
					t.Fatalf("Cor met %v", p.Met)
				}
				if c.met && (p.ViaActivity != 77 || p.Via != "Netwerkavond triage" || p.ViaDate != c.facts[0].Date || p.ByClaim) {
					t.Fatalf("via %+v", p)
				}
			}
		})
	}
	// The intervision norm: Els (5) is not in an intervision group.
	t.Run("intervision via an activity", func(t *testing.T) {
		f, s := complianceBase(), DefaultNormSettings()
		before := EvaluateCompliance(f, s, 2025, ref).Requirement(ReqIntervision)
		f.Activities = []ActivityFact{{PersonID: 5, ActivityID: 8, Title: "Meelopen", Date: MustDate("2025-05-01"), Norm: ReqIntervision, Present: true}}
		after := EvaluateCompliance(f, s, 2025, ref).Requirement(ReqIntervision)
		if after.Actual != before.Actual+1 {
			t.Fatalf("before %d after %d", before.Actual, after.Actual)
		}
		for _, p := range after.People {
			if p.PersonID == 5 && (!p.Met || p.ViaActivity != 8 || p.Via != "Meelopen") {
				t.Fatalf("Els %+v", p)
			}
		}
	})
}

func TestActivityKindSetting(t *testing.T) {
	cases := []struct {
		value string
		ok    bool
		norm  Requirement
	}{
		{"", true, ""},
		{"regioplan", true, ""},
		{"norm:intervisie", true, ReqIntervision},
		{"norm:scholing_huisartsen", true, ReqGPTraining},
		{"norm:", false, ""},
		{"norm:plan_definitief", false, ""},
		{"iets", false, ""},
	}
	for _, c := range cases {
		k := ActivityKind{Code: KindNetwork, Builtin: true}
		k.Counts, k.Norm = ParseActivitySetting(c.value)
		err := k.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v", c.value, err)
			continue
		}
		if c.ok && (k.Norm != c.norm || k.Setting() != c.value) {
			t.Errorf("%q: norm %q setting %q", c.value, k.Norm, k.Setting())
		}
	}
	if got := len(ActivitySettings()); got != 5 {
		t.Errorf("%d settings", got)
	}
}
