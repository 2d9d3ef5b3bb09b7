package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// The annual report (jaarverslag) for the yearly meeting of the region with
// its insurers and a GP delegation: a Dutch PDF with the regioplan in
// brief, inflow, results per norm, visit coverage, the most named
// obstacles per intervention from the visit reports and participation in
// intervision and training, with bar charts. Every figure is the funders'
// (mtvp.BuildFunderFigures, counts under 5 suppressed) and no practice or
// person is named. The obstacles are the most named items per intervention
// quoted from the visit reports (counts suppressed too), also those named
// at fewer than 5 practices: that is why the region admin, not the funder,
// downloads the report and reads it before handing it out. The region's
// funders download their own edition of any year, which quotes only
// obstacles named at mtvp.SuppressBelow or more practices.

// annualReportTopObstacles: obstacles listed per intervention.
const annualReportTopObstacles = 3

func (s *Server) getAnnualReport(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanDownloadAnnualReport(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "annual report is the region's")
	}
	year, err := s.funderYear(r, reg)
	if err != nil {
		return err
	}
	ctx := r.Context()
	in, err := s.db.FunderInput(ctx, reg, year, mtvp.DateOf(s.cfg.Now()))
	if err != nil {
		return err
	}
	f := mtvp.BuildFunderFigures(in)
	rp, err := s.db.Regioplan(ctx, reg.ID, year)
	if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		return err
	}
	floor := currentUser(r).AnnualReportObstacleMin(reg.ID)
	outcomes, err := s.regionOutcomeItems(r, reg)
	if err != nil {
		return err
	}
	b, err := annualReportPDF(reg, f, rp, mtvp.TopObstacles(in.Obstacles, annualReportTopObstacles, floor), floor, outcomes, s.cfg.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="jaarverslag-mtvp-`+reg.Code+"-"+strconv.Itoa(year)+`.pdf"`)
	_, err = w.Write(b)
	return err
}

// nlShare and nlCount are the Dutch wording of the page (the report is
// always Dutch).
func nlShare(sh mtvp.FunderShare) string { return (&view{Lang: "nl"}).FunderShare(sh) }
func nlCount(c mtvp.FunderCount) string  { return (&view{Lang: "nl"}).FunderCount(c) }

// countBar is a bar for a count; suppressed counts get no bar.
func countBar(label string, c mtvp.FunderCount) export.Bar {
	if c.Suppressed {
		return export.Bar{Label: label, Value: -1, Text: c.String()}
	}
	return export.Bar{Label: label, Value: float64(c.N), Text: i18n.Integer("nl", c.N)}
}

// shareBar is a bar for a share in percent; only exact shares get a bar.
func shareBar(label string, sh mtvp.FunderShare) export.Bar {
	b := export.Bar{Label: label, Value: -1, Text: nlShare(sh)}
	if sh.Bound == mtvp.ShareExact {
		b.Value = float64(sh.Percent)
	}
	return b
}

// annualReportPDF writes the report; floor is the fewest practices an
// obstacle is quoted for (0: every one, the region admin's edition).
func annualReportPDF(reg mtvp.Region, f mtvp.FunderFigures, rp mtvp.Regioplan, obstacles []mtvp.InterventionObstacles, floor int,
	outcomes []outcomeView, printed time.Time) ([]byte, error) {
	nl := func(key string, args ...any) string { return i18n.T("nl", key, args...) }
	sub := reg.Name
	if len(reg.Insurers) > 0 {
		sub += " · " + nl("funders.report.subtitle_insurers", strings.Join(reg.Insurers, ", "))
	}
	p, err := export.NewPDF(export.PDFMeta{Title: nl("funders.report.title", f.Year), Subtitle: sub, Author: reg.Name, Printed: printed})
	if err != nil {
		return nil, err
	}
	p.Muted(nl("funders.report.suppression", mtvp.SuppressBelow, f.Ref.Short()))

	// 1. The regioplan in brief.
	p.Heading(nl("funders.report.h_regioplan", f.Year))
	if len(rp.Interventions) == 0 {
		p.Paragraph(nl("funders.report.no_regioplan", f.Year))
	} else {
		var rows [][]string
		for _, iv := range rp.Interventions {
			m := ""
			if iv.Mandatory {
				m = nl("funders.report.mandatory")
			}
			rows = append(rows, []string{iv.Code, iv.Title, iv.Element.Name(), m})
		}
		p.Table([]string{nl("funders.report.code"), nl("funders.report.intervention"), nl("funders.report.element"), ""}, rows, []int{1, 5, 4, 2})
		var fs []export.Field
		for _, c := range mtvp.Conditions {
			if how := strings.TrimSpace(rp.Conditions[c]); how != "" {
				fs = append(fs, export.Field{Label: nl("admin.condition." + c), Value: how})
			}
		}
		if len(fs) > 0 {
			p.Subheading(nl("funders.report.conditions"))
			p.Fields(fs...)
		}
	}

	// 2. Inflow.
	p.Heading(nl("funders.report.h_inflow"))
	p.Paragraph(nl("funders.report.taking_part", f.Ref.Short(), nlCount(f.TakingPart), nlCount(f.TakingPartPatients)))
	var qrows [][]string
	var qbars []export.Bar
	for _, q := range f.Quarters {
		qrows = append(qrows, []string{q.Quarter.String(), nlCount(q.Started), nlCount(q.TakePart), nlCount(q.Patients)})
		qbars = append(qbars, countBar(q.Quarter.String(), q.TakePart))
	}
	p.Table([]string{nl("funders.quarter"), nl("funders.started"), nl("funders.taking_part_quarter"), nl("funders.patients")}, qrows, []int{3, 3, 3, 3})
	if err := p.BarChart(nl("funders.report.chart_taking_part"), qbars, 0); err != nil {
		return nil, err
	}
	var prows [][]string
	for _, ps := range f.PlanStatuses {
		key := "plan.status.geen"
		if ps.Status != mtvp.PlanNone {
			key = "plan.status." + string(ps.Status)
		}
		prows = append(prows, []string{nl(key), nlCount(ps.Count)})
	}
	p.Subheading(nl("funders.plans"))
	p.Table([]string{nl("plan.status_label"), nl("funders.practices")}, prows, []int{6, 6})

	// 3. Results per norm.
	p.Heading(nl("funders.report.h_norms"))
	if !f.NormsAvailable {
		p.Paragraph(nl("funders.norms_unavailable"))
	} else {
		p.Paragraph(nl("funders.compliant", nlShare(f.Compliant)))
		var bars []export.Bar
		for _, n := range f.Norms {
			label := nl("funders.req_short." + string(n.Code))
			if n.NotRecorded {
				bars = append(bars, export.Bar{Label: label, Value: -1, Text: nl("compliance.status.niet_geregistreerd")})
				continue
			}
			bars = append(bars, shareBar(label, n.Share))
		}
		if err := p.BarChart(nl("funders.report.chart_norms"), bars, 100); err != nil {
			return nil, err
		}
	}
	if len(f.Snapshots) > 0 {
		p.Subheading(nl("funders.snapshots"))
		var rows [][]string
		for _, sn := range f.Snapshots {
			title := sn.Title
			if title == "" {
				title = nl("funders.snapshot_untitled")
			}
			rows = append(rows, []string{title, sn.Ref.Short(), nlCount(sn.Practices), nlShare(sn.Compliant)})
		}
		p.Table([]string{nl("funders.snapshot"), nl("funders.ref"), nl("funders.practices"), nl("funders.snapshot_compliant")}, rows, []int{4, 2, 2, 4})
	}

	// 4. Visits and what gets in the way.
	p.Heading(nl("funders.report.h_visits"))
	if f.Visits == nil {
		p.Paragraph(nl("funders.visits_unavailable"))
	} else {
		v := f.Visits
		if err := p.BarChart(nl("funders.report.chart_visits", nlCount(v.Total)), []export.Bar{
			countBar(nl("funders.visited"), v.Visited), countBar(nl("funders.planned"), v.Planned), countBar(nl("funders.not_planned"), v.NotPlanned),
		}, 0); err != nil {
			return nil, err
		}
	}
	p.Subheading(nl("funders.report.h_obstacles"))
	if len(obstacles) == 0 && floor > 0 {
		p.Paragraph(nl("funders.report.no_obstacles_floor", floor))
	} else if len(obstacles) == 0 {
		p.Paragraph(nl("funders.report.no_obstacles"))
	} else {
		p.Muted(nl("funders.report.obstacles_hint", annualReportTopObstacles))
		if floor > 0 {
			p.Muted(nl("funders.report.obstacles_floor", floor))
		}
		var rows [][]string
		for _, io := range obstacles {
			for i, o := range io.Top {
				name := ""
				if i == 0 {
					name = strings.TrimSpace(io.Code + " " + io.Title)
				}
				rows = append(rows, []string{name, o.Text, nlCount(o.Count)})
			}
		}
		p.Table([]string{nl("funders.report.intervention"), nl("funders.report.obstacle"), nl("funders.report.named_by")}, rows, []int{4, 6, 2})
	}

	// 5. Participation in intervision and training.
	p.Heading(nl("funders.report.h_participation"))
	pt := f.Participation
	p.Fields(
		export.Field{Label: nl("funders.iv_groups"), Value: nlCount(pt.IntervisionGroups)},
		export.Field{Label: nl("funders.iv_members"), Value: nlCount(pt.IntervisionMembers)},
		export.Field{Label: nl("funders.iv_attended"), Value: nlCount(pt.IntervisionAttended)},
		export.Field{Label: nl("funders.tr_people"), Value: nlCount(pt.TrainingPeople)},
		export.Field{Label: nl("funders.report.tr_completions"), Value: nlCount(pt.TrainingCompletions)},
	)
	if len(pt.PerTraining) > 0 {
		var bars []export.Bar
		for _, t := range pt.PerTraining {
			bars = append(bars, countBar(t.Title, t.People))
		}
		if err := p.BarChart(nl("funders.report.chart_trainings"), bars, 0); err != nil {
			return nil, err
		}
	}
	if reg.ShareParticipation {
		p.Muted(nl("funders.report.lists_shared"))
	} else {
		p.Muted(nl("funders.report.lists_not_shared"))
	}

	// 6. Outcomes: the region's indicators beside the country's (issue
	// 15), region figures only.
	if len(outcomes) > 0 {
		p.NewPage()
		p.Heading(nl("funders.report.h_outcomes"))
		p.Paragraph(nl("ind.intro_region") + " " + nl("ind.intro_rules"))
		for _, it := range outcomes {
			if err := outcomePDF(p, reg.Name, "", it); err != nil {
				return nil, err
			}
		}
	}
	return p.Bytes()
}
