package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// getPlanPDF sends one version of the plan as a printable Dutch PDF
// (?versie=N; default the current version).
func (s *Server) getPlanPDF(w http.ResponseWriter, r *http.Request) error {
	_, p, year, err := s.planScope(r)
	if err != nil {
		return err
	}
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	v := pl.Current()
	if q := r.URL.Query().Get("versie"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || pl.VersionByNumber(n) == nil {
			return notFound
		}
		v = pl.VersionByNumber(n)
	}
	if v == nil {
		return notFound
	}
	reg, err := s.db.RegionByID(r.Context(), p.RegionID)
	if err != nil {
		return err
	}
	reviews, err := s.db.PlanReviews(r.Context(), pl.ID)
	if err != nil {
		return err
	}
	var outcomes []outcomeView
	if currentUser(r).CanSeePracticeOutcomes(&p) {
		if outcomes, err = s.practiceOutcomeItems(r, reg, p); err != nil {
			return err
		}
	}
	b, err := PlanPDF(reg, p, pl, v, reviews, outcomes, s.cfg.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="plan-van-aanpak-%d-%s-v%d.pdf"`, year, p.AGB, v.Number))
	_, err = w.Write(b)
	return err
}

// PlanPDF renders a plan version in Dutch: practice, year, version, status,
// dates, every section with its actions, and the plan's team reviews
// (teamoverleg, oldest first), then the practice's outcome indicators
// (issue 15): how it sees whether the plan works.
func PlanPDF(reg mtvp.Region, p mtvp.Practice, pl mtvp.Plan, v *mtvp.PlanVersion, reviews []mtvp.PlanReview, outcomes []outcomeView, now time.Time) ([]byte, error) {
	t := func(k string, args ...any) string { return i18n.T("nl", k, args...) }
	when := func(ts time.Time) string {
		if ts.IsZero() {
			return ""
		}
		return ts.In(amsterdam).Format("02-01-2006 15:04")
	}
	status := t("plan.status." + string(v.Status))
	if cur := pl.CurrentFinal(); v.Status == mtvp.PlanFinal && cur != nil && cur.Number != v.Number {
		status += " (" + t("plan.superseded") + ")"
	}
	doc, err := export.NewPDF(export.PDFMeta{
		Title:    t("plan.title", pl.Year),
		Subtitle: fmt.Sprintf("%s · %s %d · %s", p.Name, t("plan.version"), v.Number, status),
		Author:   reg.Name,
		Printed:  now.In(amsterdam),
	})
	if err != nil {
		return nil, err
	}
	var agreed []string
	for _, a := range v.Agreed {
		agreed = append(agreed, a.Name)
	}
	mtvpYear := "—"
	if n := mtvp.MTVPYear(p.JoinedOn, pl.Year); n > 0 {
		mtvpYear = strconv.Itoa(n)
	}
	doc.Fields(
		export.Field{Label: t("plan.pdf.practice"), Value: p.Name + " (AGB " + p.AGB + ")"},
		export.Field{Label: t("plan.pdf.region"), Value: reg.Name},
		export.Field{Label: t("plan.year"), Value: strconv.Itoa(pl.Year)},
		export.Field{Label: t("plan.mtvp_year"), Value: mtvpYear},
		export.Field{Label: t("plan.version"), Value: strconv.Itoa(v.Number)},
		export.Field{Label: t("plan.status_label"), Value: status},
		export.Field{Label: t("plan.saved_by"), Value: strings.TrimSpace(v.SavedBy.Name + " " + when(v.SavedAt))},
		export.Field{Label: t("plan.discussed_on"), Value: v.DiscussedOn.Dutch()},
		export.Field{Label: t("plan.agreed"), Value: strings.Join(agreed, ", ")},
		export.Field{Label: t("plan.finalised"), Value: strings.TrimSpace(v.FinalisedBy.Name + " " + when(v.FinalisedAt))},
	)
	doc.Heading(t("plan.field.ambition"))
	doc.Paragraph(v.Content.Ambition)
	doc.Heading(t("plan.interventions"))
	if len(v.Content.Items) == 0 {
		doc.Muted(t("plan.no_items"))
	}
	for _, it := range v.Content.Items {
		title := it.Code + " " + it.Title
		if it.Mandatory {
			title += " (" + t("plan.mandatory") + ")"
		}
		doc.Subheading(title)
		doc.Fields(
			export.Field{Label: t("plan.field.current"), Value: it.Current},
			export.Field{Label: t("plan.field.goal"), Value: it.Goal},
			export.Field{Label: t("plan.field.measure"), Value: it.Measure},
			export.Field{Label: t("plan.field.notes"), Value: it.Notes},
		)
		if len(it.Actions) == 0 {
			doc.Muted(t("plan.no_actions"))
			continue
		}
		var rows [][]string
		for _, a := range it.Actions {
			rows = append(rows, []string{a.Description, a.Owner, a.Start.Short(), a.End.Short(), t("plan.action_status." + string(a.Status))})
		}
		doc.Space(1)
		doc.Table([]string{t("plan.field.description"), t("plan.field.owner"), t("plan.field.start"), t("plan.field.end"), t("plan.field.status")},
			rows, []int{4, 2, 2, 2, 2})
	}
	doc.Heading(t("plan.review.title"))
	if len(reviews) == 0 {
		doc.Muted(t("plan.review.none"))
	}
	for i := len(reviews) - 1; i >= 0; i-- { // stored newest first
		rv := reviews[i]
		doc.Subheading(t("plan.review.held_on") + " " + rv.HeldOn.Dutch())
		doc.Fields(
			export.Field{Label: t("plan.review.works"), Value: rv.Works},
			export.Field{Label: t("plan.review.not_works"), Value: rv.NotWorks},
			export.Field{Label: t("plan.review.connect"), Value: rv.Connect},
			export.Field{Label: t("plan.review.needs"), Value: rv.Needs},
			export.Field{Label: t("plan.pdf.review_by"), Value: rv.Author.Name},
		)
	}
	if len(outcomes) > 0 {
		doc.NewPage()
		doc.Heading(t("ind.title"))
		doc.Paragraph(t("ind.intro_practice") + " " + t("ind.intro_rules"))
		for _, it := range outcomes {
			if err := outcomePDF(doc, p.Name, reg.Name, it); err != nil {
				return nil, err
			}
		}
	}
	return doc.Bytes()
}
