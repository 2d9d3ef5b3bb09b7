package web

import (
	"net/http"

	"meertijd/internal/mtvp"
)

// The region's training status: both training norms of every practice the
// user may list (consultants: their own), from one TrainingFacts call.

type trainingStatusRow struct {
	Practice mtvp.PracticeSummary
	Norms    []mtvp.TrainingNormResult
}

// trainingStatusColumn is one training norm the region applies, with the
// number of practices meeting it.
type trainingStatusColumn struct {
	Norm mtvp.Requirement
	Met  int
}

type trainingStatusData struct {
	Region  mtvp.Region
	Base    string
	Today   mtvp.Date
	Rows    []trainingStatusRow
	Columns []trainingStatusColumn // the norms the region applies
}

func (s *Server) getTrainingStatus(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingMenuRegion(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	f, ok := u.PracticeScope(mtvp.PracticeFilter{RegionID: reg.ID})
	if !ok {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not list practices")
	}
	ctx := r.Context()
	practices, err := s.db.ListPractices(ctx, f)
	if err != nil {
		return err
	}
	facts, err := s.db.TrainingFacts(ctx, reg.ID, 0)
	if err != nil {
		return err
	}
	today := mtvp.DateOf(s.cfg.Now())
	d := trainingStatusData{Region: reg, Base: trainingsURL(reg), Today: today}
	for _, n := range mtvp.ApplyingTrainingNorms(mtvp.EvaluateTrainingNorms(mtvp.TrainingFacts{}, reg.Settings, today)) {
		d.Columns = append(d.Columns, trainingStatusColumn{Norm: n.Norm})
	}
	for _, p := range practices {
		norms := mtvp.ApplyingTrainingNorms(mtvp.EvaluateTrainingNorms(facts[p.ID], reg.Settings, today))
		for i, n := range norms {
			if n.Met() {
				d.Columns[i].Met++
			}
		}
		d.Rows = append(d.Rows, trainingStatusRow{Practice: p, Norms: norms})
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "training"
	return s.render(w, r, http.StatusOK, "training_status", v)
}
