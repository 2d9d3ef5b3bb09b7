package mtvp

import (
	"strings"
	"testing"
)

func TestNotAgreed(t *testing.T) {
	v := &PlanVersion{Agreed: []Agreement{{PersonID: 1, Name: "Anna"}}}
	got := NotAgreed(v, map[int64]string{1: "Anna", 2: "Piet", 3: "Bert"})
	if strings.Join(got, ",") != "Bert,Piet" {
		t.Errorf("NotAgreed = %v", got)
	}
	if got := NotAgreed(v, map[int64]string{1: "Anna"}); len(got) != 0 {
		t.Errorf("everyone agreed: %v", got)
	}
}
