package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/mtvp"
)

// notFound is the answer for anything outside the caller's scope: we do
// not reveal whether another region's or practice's record exists.
var notFound = mtvp.Errorf(mtvp.ENOTFOUND, "not found")

// regionFor loads the {region} path value and checks the user may see the
// region at all.
func (s *Server) regionFor(r *http.Request) (mtvp.Region, error) {
	u := currentUser(r)
	reg, err := s.regionByCode(r, r.PathValue("region"))
	if err != nil {
		return reg, err
	}
	if !u.CanSeeRegion(reg.ID) {
		return reg, notFound
	}
	return reg, nil
}

// adminRegionFor is regionFor for region administration pages: a region
// member without admin rights gets 403, an outsider 404.
func (s *Server) adminRegionFor(r *http.Request) (mtvp.Region, error) {
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, err
	}
	if !currentUser(r).CanAdminRegion(reg.ID) {
		return reg, mtvp.Errorf(mtvp.EFORBIDDEN, "not a region admin")
	}
	return reg, nil
}

// practiceFor loads {region} and {practice} and checks the user may see the
// practice's page (its people). Outside the scope it is not found.
func (s *Server) practiceFor(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, mtvp.Practice{}, err
	}
	id, err := pathID(r, "practice")
	if err != nil {
		return reg, mtvp.Practice{}, err
	}
	p, err := s.db.PracticeByID(r.Context(), id)
	if err != nil {
		return reg, p, err
	}
	if p.RegionID != reg.ID || !currentUser(r).CanSeePractice(&p) {
		return reg, p, notFound
	}
	return reg, p, nil
}

// pathID parses a numeric path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound
	}
	return id, nil
}

// formInt parses an optional whole number; a bad value is a field error.
func formInt(r *http.Request, name string, errs mtvp.FieldErrors) int {
	v := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), ".", ""))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		errs.Add(name, "err.number_format")
	}
	return n
}

// formFloat parses a decimal with a comma or a dot ("0,8" or "0.8").
func formFloat(r *http.Request, name string, errs mtvp.FieldErrors) float64 {
	v := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), ",", "."))
	if v == "" {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		errs.Add(name, "err.number_format")
	}
	return f
}

// formDate parses an optional date (<input type=date> or 31-12-2024).
func formDate(r *http.Request, name string, errs mtvp.FieldErrors) mtvp.Date {
	d, err := mtvp.ParseDate(r.PostFormValue(name))
	if err != nil {
		errs.Add(name, "err.date_format")
	}
	return d
}

// formVersion reads the hidden version field used for optimistic locking.
func formVersion(r *http.Request) int {
	n, _ := strconv.Atoi(r.PostFormValue("version"))
	return n
}

// mergeErrors adds the field errors of err (if it is a validation error)
// to errs and reports whether err was one.
func mergeErrors(errs mtvp.FieldErrors, err error) bool {
	fe := mtvp.FieldErrorsOf(err)
	if mtvp.ErrorCode(err) != mtvp.EINVALID {
		return false
	}
	for k, v := range fe {
		errs.Add(k, v)
	}
	return true
}
