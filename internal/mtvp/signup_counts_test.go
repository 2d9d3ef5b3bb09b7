package mtvp

import "testing"

func TestSignUpCounts(t *testing.T) {
	s := DefaultNormSettings()
	for _, c := range []struct {
		roles  []StaffRole
		target TargetGroup
		want   bool
	}{
		{[]StaffRole{RoleDoktersassistent}, TargetGPs, false},
		{[]StaffRole{RoleDoktersassistent}, TargetAssistants, true},
		{[]StaffRole{RoleDoktersassistent}, TargetBoth, true},
		{[]StaffRole{RolePraktijkhouder}, TargetAssistants, false},
		{[]StaffRole{RolePraktijkhouder, RoleDoktersassistent}, TargetAssistants, true},
		{[]StaffRole{RolePraktijkmanager}, TargetBoth, false},
	} {
		if got := SignUpCounts(c.roles, c.target, s); got != c.want {
			t.Errorf("%v, %s: %v", c.roles, c.target, got)
		}
	}
	s.Requirements = []Requirement{ReqIntervision}
	if SignUpCounts([]StaffRole{RoleDoktersassistent}, TargetAssistants, s) {
		t.Error("a norm switched off still counts")
	}
}

func TestAcceptedByAny(t *testing.T) {
	s := DefaultNormSettings()
	gp := []Group{{Name: "Huisartsen"}}
	if AcceptedByAny(gp, RoleDoktersassistent, s) || !AcceptedByAny(gp, RolePraktijkhouder, s) {
		t.Error("a GP group: assistants out, GPs in")
	}
	if !AcceptedByAny(append(gp, Group{Name: "Gemengd", Mixed: true}), RoleDoktersassistent, s) {
		t.Error("a mixed group accepts assistants")
	}
	if AcceptedByAny(nil, RolePraktijkhouder, s) {
		t.Error("no groups, nobody fits")
	}
}
