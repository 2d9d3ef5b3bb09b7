package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/mtvp"
)

// Frozen snapshots of the region's standing: a region admin freezes all
// practices at a reference date; snapshots are listed, viewed and exported
// (XLSX, CSV, PDF) and never change.

func snapshotsURL(reg mtvp.Region) string { return complianceURL(reg) + "/momentopnamen" }

func snapshotURL(reg mtvp.Region, id int64) string {
	return snapshotsURL(reg) + "/" + strconv.FormatInt(id, 10)
}

// snapshotRegion: the region (404 outside) whose snapshots the user may see
// (403 for other members).
func (s *Server) snapshotRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.regionFor(r)
	if err == nil && !currentUser(r).CanSeeSnapshots(reg.ID) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "may not see compliance snapshots")
	}
	return reg, err
}

// snapshotOf loads {snapshot} of the region.
func (s *Server) snapshotOf(r *http.Request, reg mtvp.Region) (mtvp.ComplianceSnapshot, error) {
	id, err := pathID(r, "snapshot")
	if err != nil {
		return mtvp.ComplianceSnapshot{}, err
	}
	snap, err := s.db.ComplianceSnapshotByID(r.Context(), id)
	if err == nil && snap.RegionID != reg.ID {
		err = notFound
	}
	return snap, err
}

type snapshotForm struct {
	Year int
	Ref  string
	Note string
}

type snapshotsData struct {
	Region    mtvp.Region
	Base      string
	Dashboard string
	Snapshots []mtvp.ComplianceSnapshot
	Form      snapshotForm
	Years     []int
	CanFreeze bool
}

func (s *Server) getSnapshots(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.snapshotRegion(r)
	if err != nil {
		return err
	}
	today := mtvp.DateOf(s.cfg.Now())
	return s.renderSnapshots(w, r, reg, http.StatusOK, snapshotForm{Year: today.Year(), Ref: today.String()}, nil)
}

func (s *Server) renderSnapshots(w http.ResponseWriter, r *http.Request, reg mtvp.Region, status int, form snapshotForm, errs mtvp.FieldErrors) error {
	d := snapshotsData{Region: reg, Base: snapshotsURL(reg), Dashboard: complianceURL(reg), Form: form, CanFreeze: currentUser(r).CanFreezeSnapshot(reg.ID)}
	d.Years = s.readNormPeriod(r, reg).Years
	var err error
	if d.Snapshots, err = s.db.ListComplianceSnapshots(r.Context(), reg.ID); err != nil {
		return err
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "compliance"
	v.Errors = errs
	return s.render(w, r, status, "compliance_snapshots", v)
}

// postSnapshot freezes the standing of every practice in the programme at
// the chosen reference date, from the same facts and function as the
// dashboard.
func (s *Server) postSnapshot(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.snapshotRegion(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanFreezeSnapshot(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not freeze the standing")
	}
	ctx := r.Context()
	errs := mtvp.FieldErrors{}
	form := snapshotForm{Ref: strings.TrimSpace(r.PostFormValue("peildatum")), Note: strings.TrimSpace(r.PostFormValue("notitie"))}
	form.Year = formInt(r, "jaar", errs)
	var ref mtvp.Date
	if form.Ref != "" {
		ref = formDate(r, "peildatum", errs)
	}
	if len(errs) == 0 {
		mergeErrors(errs, mtvp.ValidateSnapshotRequest(form.Year, ref, form.Note, mtvp.DateOf(s.cfg.Now())))
	}
	if len(errs) > 0 {
		return s.renderSnapshots(w, r, reg, http.StatusUnprocessableEntity, form, errs)
	}
	practices, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return err
	}
	facts, err := s.db.ComplianceFacts(ctx, reg.ID, form.Year, ref)
	if err != nil {
		return err
	}
	var in []mtvp.Practice
	standings := map[int64]mtvp.Standing{}
	for _, p := range practices {
		f, ok := facts[p.ID]
		if !ok || !mtvp.CountsInCompliance(p.Practice, form.Year) {
			continue
		}
		in = append(in, p.Practice)
		standings[p.ID] = mtvp.EvaluateCompliance(f, reg.Settings, form.Year, ref)
	}
	snap := mtvp.NewComplianceSnapshot(reg.ID, form.Year, ref, form.Note, reg.Settings, in, standings)
	if err := s.db.CreateComplianceSnapshot(ctx, actorOf(u), &snap); err != nil {
		if mergeErrors(errs, err) {
			return s.renderSnapshots(w, r, reg, http.StatusUnprocessableEntity, form, errs)
		}
		return err
	}
	s.flash(r, "normen.snapshot.saved")
	http.Redirect(w, r, snapshotURL(reg, snap.ID), http.StatusSeeOther)
	return nil
}

type snapshotCell struct {
	Code, Status, Label, Figure, Text string
	Applies                           bool
}

type snapshotRow struct {
	Name, AGB, Consultant, Wave string
	Compliant                   bool
	Cells                       []snapshotCell
}

type snapshotData struct {
	Region   mtvp.Region
	Base     string
	List     string
	Snapshot mtvp.ComplianceSnapshot
	Columns  []normColumn
	Rows     []snapshotRow
}

func (s *Server) getSnapshot(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.snapshotRegion(r)
	if err != nil {
		return err
	}
	snap, err := s.snapshotOf(r, reg)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	d := snapshotData{Region: reg, Base: snapshotURL(reg, snap.ID), List: snapshotsURL(reg), Snapshot: snap}
	d.Columns, d.Rows = snapshotMatrix(lang, snap)
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "compliance"
	return s.render(w, r, http.StatusOK, "compliance_snapshot", v)
}

// snapshotMatrix formats a snapshot for the page: columns with counts and
// one row per practice.
func snapshotMatrix(lang string, snap mtvp.ComplianceSnapshot) ([]normColumn, []snapshotRow) {
	cols := make([]normColumn, len(mtvp.AllRequirements))
	for i, c := range mtvp.AllRequirements {
		cols[i] = normColumn{Code: string(c), Label: tr(lang, "normen.req."+string(c)), Applies: snap.Settings.Applies(c)}
	}
	var rows []snapshotRow
	for _, p := range snap.Practices {
		row := snapshotRow{Name: p.Name, AGB: p.AGB, Consultant: p.Consultant, Wave: p.InflowWave, Compliant: p.Compliant}
		for i, c := range mtvp.AllRequirements {
			req := p.Requirement(c)
			cell := snapshotCell{Code: string(c), Status: string(req.Status), Label: tr(lang, "compliance.status."+string(req.Status)), Text: req.Text(lang), Applies: cols[i].Applies}
			if req.Denominator > 0 {
				cell.Figure = tr(lang, "normen.figure", req.Actual, req.Denominator, req.Required)
				if req.Pending > 0 && req.Status == mtvp.StatusNotMet {
					cell.Figure += " · " + tr(lang, "normen.figure_pending", req.Pending)
				}
			}
			switch req.Status {
			case mtvp.StatusMet:
				cols[i].Met++
			case mtvp.StatusNotMet:
				cols[i].NotMet++
			case mtvp.StatusNotApplicable:
				cols[i].NA++
			default:
				cols[i].NotRecorded++
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	// A requirement with any result other than "not applicable" is shown
	// even if the frozen settings do not list it.
	for i := range cols {
		cols[i].Applies = cols[i].Applies || cols[i].Met+cols[i].NotMet+cols[i].NotRecorded > 0
		for r := range rows {
			rows[r].Cells[i].Applies = cols[i].Applies
		}
	}
	return cols, rows
}
