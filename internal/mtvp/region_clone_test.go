package mtvp

import (
	"reflect"
	"testing"
	"time"
)

// Clone shares no slice or map: every reference field of Region and
// NormSettings, present now or added later, is checked by reflection.
func TestRegionCloneSharesNothing(t *testing.T) {
	r := Region{ID: 1, Code: "zio", Name: "ZIO", Insurers: []string{"CZ"}, Settings: DefaultNormSettings()}
	r.Settings.MinPerElement = map[Element]int{"A": 1}
	r.Settings.AssistantThemes = []string{"SOH"}
	r.Settings.GPThemes = []string{"positieve gezondheid"}
	c := r.Clone()
	if !reflect.DeepEqual(c, r) {
		t.Fatalf("clone differs: %+v", c)
	}
	var check func(path string, a, b reflect.Value)
	check = func(path string, a, b reflect.Value) {
		if a.Type() == reflect.TypeFor[time.Time]() {
			return // a value; its *Location is shared by design
		}
		switch a.Kind() {
		case reflect.Struct:
			for i := range a.NumField() {
				check(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
			}
		case reflect.Slice, reflect.Map:
			if a.Len() == 0 {
				t.Errorf("%s is empty in the test region: fill it, so sharing shows", path)
				return
			}
			if a.UnsafePointer() == b.UnsafePointer() {
				t.Errorf("%s is shared between the region and its clone", path)
			}
		case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
			t.Errorf("%s: a reference field Clone does not know", path)
		}
	}
	check("Region", reflect.ValueOf(r), reflect.ValueOf(c))
}
