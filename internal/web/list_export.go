package web

import (
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/export"
	"meertijd/internal/mtvp"
)

// List exports: a list page (practices, visits, plans, claims) also
// answers at its address + "/lijst.xlsx" and "/lijst.csv" with the same
// handler, so the file holds exactly the rows the page shows with the same
// filters and authorisation. The page's data type says how its rows look
// as a table (tabler); render then sends the file instead of the HTML.

// tabler is page data that can be downloaded as a table.
type tabler interface {
	table(lang string) export.Table
	// exportName is the file name without extension.
	exportName() string
}

// listExportSuffix is the path element of a list's download.
const listExportSuffix = "/lijst"

// exportFormat is "xlsx" or "csv" for a list download, "" for the page.
func exportFormat(r *http.Request) string {
	p := r.URL.Path
	dir, file := path.Split(p)
	if !strings.HasSuffix(strings.TrimSuffix(dir, "/")+"/"+strings.TrimSuffix(file, path.Ext(file)), listExportSuffix) {
		return ""
	}
	switch path.Ext(file) {
	case ".xlsx":
		return "xlsx"
	case ".csv":
		return "csv"
	}
	return ""
}

// sendListExport sends data as a table when r asks for a download; ok is
// false when r is a page request (or the data has no table).
func sendListExport(w http.ResponseWriter, r *http.Request, lang string, data any) (bool, error) {
	format := exportFormat(r)
	if format == "" {
		return false, nil
	}
	t, isTable := data.(tabler)
	if !isTable {
		return true, mtvp.Errorf(mtvp.ENOTFOUND, "no export")
	}
	return true, trSendTable(w, format, t.exportName(), t.table(lang))
}

// The lists as tables: raw numbers and real dates, words for statuses.

func (d practiceListData) exportName() string { return "praktijken-" + d.Region.Code }

func (d practiceListData) table(lang string) export.Table {
	t := export.Table{Name: tr(lang, "practice.list_title"), Header: []string{d.L.Name, d.L.AGB, d.L.City, d.L.Status, d.L.Wave, d.L.Consultant,
		d.L.Patients, d.L.GPFTE, d.L.PerFTE, d.L.Staff, tr(lang, "practice.field.joined_on")}}
	for _, r := range d.Rows {
		var ratio any
		if n := r.P.PatientsPerGPFTE(); n > 0 {
			ratio = n
		}
		t.Rows = append(t.Rows, []any{r.Name, r.AGB, r.City, r.StatusLabel, r.Wave, r.Consultant,
			r.P.RegisteredPatients, r.P.GPFTE, ratio, r.P.StaffCount, r.P.JoinedOn.Time()})
	}
	return t
}

func (d regionPlansData) exportName() string {
	return "plannen-" + d.Region.Code + "-" + strconv.Itoa(d.Year)
}

func (d regionPlansData) table(lang string) export.Table {
	t := export.Table{Name: tr(lang, "plan.region.title"), Header: []string{tr(lang, "practice.col.name"), tr(lang, "practice.field.agb"),
		tr(lang, "plan.status_label"), tr(lang, "plan.version"), tr(lang, "plan.region.last_change")}}
	for _, r := range d.Rows {
		var version any
		if r.Number > 0 {
			version = r.Number
		}
		t.Rows = append(t.Rows, []any{r.Name, r.AGB, r.StatusLabel, version, r.Changed.In(amsterdam)})
	}
	return t
}

func (d coverageData) exportName() string {
	return "bezoeken-" + d.Region.Code + "-" + strconv.Itoa(d.Year)
}

func (d coverageData) table(lang string) export.Table {
	t := export.Table{Name: tr(lang, "visit.coverage.title"), Header: []string{tr(lang, "visit.col.practice"), tr(lang, "practice.field.agb"),
		tr(lang, "visit.field.consultant"), tr(lang, "visit.col.state"), tr(lang, "visit.overdue"), tr(lang, "visit.field.planned_on"), tr(lang, "visit.field.visited_on")}}
	for _, r := range d.Rows {
		var planned, visited time.Time
		if r.Visit != nil {
			planned, visited = r.Visit.PlannedOn.Time(), r.Visit.VisitedOn.Time()
		}
		t.Rows = append(t.Rows, []any{r.PracticeName, r.AGB, r.ConsultantName, tr(lang, "visit.state."+string(r.State)), yesNo(lang, r.Overdue), planned, visited})
	}
	return t
}

func (d claimQueueData) exportName() string { return "aanvragen-" + d.Region.Code + "-" + d.Status }

func (d claimQueueData) table(lang string) export.Table {
	t := export.Table{Name: tr(lang, "training.claims_title"), Header: []string{tr(lang, "training.field.practice"), tr(lang, "training.field.person"),
		tr(lang, "training.field.title"), tr(lang, "training.field.provider"), tr(lang, "training.field.theme"), tr(lang, "training.field.completed_on"),
		tr(lang, "training.field.status"), tr(lang, "training.field.reason"), tr(lang, "training.submitted_on")}}
	for _, c := range d.Claims {
		t.Rows = append(t.Rows, []any{c.PracticeName, c.PersonName, c.Title, c.Provider, c.Theme, c.CompletedOn.Time(),
			tOr(lang, "training.claim_status."+string(c.Status), string(c.Status)), c.Reason, c.CreatedAt.In(amsterdam)})
	}
	return t
}
