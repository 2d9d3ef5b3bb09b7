package web

import (
	"bytes"
	"net/http"
	"path"
	"strconv"
	"strings"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/importer"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Participation lists (CSV/XLSX), register attendance lists (XLSX) and the
// bulk completion upload from a provider's attendance list.

func trParticipationTable(lang string, settings mtvp.NormSettings, rows []store.ParticipationRow) export.Table {
	t := export.Table{Name: i18n.T(lang, "training.export.sheet"), Header: []string{
		i18n.T(lang, "training.export.practice"), i18n.T(lang, "training.export.agb"), i18n.T(lang, "training.export.name"),
		i18n.T(lang, "training.export.role"), i18n.T(lang, "training.export.training"), i18n.T(lang, "training.export.provider"),
		i18n.T(lang, "training.export.date"), i18n.T(lang, "training.export.via"), i18n.T(lang, "training.export.register"),
		i18n.T(lang, "training.export.points"), i18n.T(lang, "training.export.counts_for"),
	}}
	for _, r := range rows {
		var counts []string
		for _, n := range mtvp.CountsFor(r.Role, r.ByClaim, r.Target, r.Theme, r.Date, settings) {
			counts = append(counts, i18n.T(lang, "training.norm."+string(n)))
		}
		countsFor := strings.Join(counts, ", ")
		if countsFor == "" {
			countsFor = i18n.T(lang, "training.export.counts_none")
		}
		via := i18n.T(lang, "training.export.via_completion")
		if r.ByClaim {
			via = i18n.T(lang, "training.export.via_claim")
		}
		var points any
		if r.Points != 0 {
			points = r.Points
		}
		t.Rows = append(t.Rows, []any{r.PracticeName, r.PracticeAGB, r.PersonName, i18n.T(lang, "role."+string(r.Role)),
			r.Training, r.Provider, r.Date.Time(), via, i18n.T(lang, "training.register."+string(r.Register)), points, countsFor})
	}
	return t
}

// trSendTable writes t as CSV or XLSX; any other format is not found.
func trSendTable(w http.ResponseWriter, format, filename string, t export.Table) error {
	var buf bytes.Buffer
	switch format {
	case "csv":
		if err := export.WriteCSV(&buf, t); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	case "xlsx":
		b, err := export.XLSX(t)
		if err != nil {
			return err
		}
		buf.Write(b)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	default:
		return notFound
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+"."+format+`"`)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) getRegionParticipation(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingMenuRegion(r)
	if err != nil {
		return err
	}
	format := path.Ext(r.URL.Path)[1:]
	if format != "csv" && format != "xlsx" {
		return notFound
	}
	if !currentUser(r).CanSeeParticipation(&reg) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "participation lists not shared")
	}
	rows, err := s.db.Participation(r.Context(), reg.ID, 0)
	if err != nil {
		return err
	}
	return trSendTable(w, format, "scholing-deelname-"+reg.Code, trParticipationTable(s.lang(r), reg.Settings, rows))
}

func (s *Server) getPracticeParticipation(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.trainingPractice(r)
	if err != nil {
		return err
	}
	format := path.Ext(r.URL.Path)[1:]
	if format != "csv" && format != "xlsx" {
		return notFound
	}
	rows, err := s.db.Participation(r.Context(), reg.ID, p.ID)
	if err != nil {
		return err
	}
	return trSendTable(w, format, "scholing-deelname-"+p.AGB, trParticipationTable(s.lang(r), reg.Settings, rows))
}

// getRegisterList is the attendance list for the accreditation register:
// GAIA lists BIG numbers, KABIZ the assistants' KABIZ numbers.
func (s *Server) getRegisterList(w http.ResponseWriter, r *http.Request) error {
	reg, ses, err := s.completionSession(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := s.db.TrainingByID(ctx, ses.TrainingID)
	if err != nil {
		return err
	}
	cs, err := s.db.SessionCompletions(ctx, ses.ID)
	if err != nil {
		return err
	}
	people, err := s.db.ListPeople(ctx, reg.ID, "", 1000000)
	if err != nil {
		return err
	}
	byID := map[int64]mtvp.Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	lang := s.lang(r)
	number := i18n.T(lang, "training.export.big")
	if t.Register == mtvp.RegisterKABIZ {
		number = i18n.T(lang, "training.export.kabiz")
	}
	tab := export.Table{Name: string(t.Register), Header: []string{i18n.T(lang, "training.export.name"), number,
		i18n.T(lang, "training.export.training"), i18n.T(lang, "training.export.provider"), i18n.T(lang, "training.export.date"), i18n.T(lang, "training.export.points"),
		i18n.T(lang, "training.export.remark")}}
	for _, c := range cs {
		p := byID[c.PersonID]
		n := p.BIG
		if t.Register == mtvp.RegisterKABIZ {
			n = p.KABIZ
		}
		var points any
		if t.Points != 0 {
			points = t.Points
		}
		remark := ""
		if n == "" {
			remark = i18n.T(lang, "training.export.number_missing", number)
		}
		tab.Rows = append(tab.Rows, []any{p.Name, n, t.Title, t.Provider, c.CompletedOn.Time(), points, remark})
	}
	b, err := export.XLSX(tab)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="presentielijst-`+strings.ToLower(string(t.Register))+"-"+strconv.FormatInt(ses.ID, 10)+`.xlsx"`)
	_, err = w.Write(b)
	return err
}

// ---- bulk completions from an attendance list ----

// trAttendanceRow is one row of an uploaded attendance list.
type trAttendanceRow struct {
	Line     int
	Name     string
	Number   string // BIG, KABIZ or e-mail as given
	Date     string
	PersonID int64
	Person   string
	On       mtvp.Date
	Problems []string // message keys
}

type trAttendancePreview struct {
	File  string
	Rows  []trAttendanceRow
	OK    bool
	Error string // message key for a refused file
	Args  []any
	Msg   string // Error translated, with its arguments
}

// attendanceColumns recognises the header cells of an attendance list.
func trAttendanceColumn(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.NewReplacer("-", "", " ", "", "_", "", ".", "").Replace(h)
	switch h {
	case "naam", "name", "deelnemer", "volledigenaam":
		return "name"
	case "big", "bignummer", "bignumber", "bigregistratienummer":
		return "big"
	case "kabiz", "kabiznummer", "kabiznumber", "registratienummer":
		return "kabiz"
	case "email", "emailadres", "mail":
		return "email"
	case "datum", "date", "afgerondop", "completedon", "datumafgerond":
		return "date"
	}
	return ""
}

func trNormNumber(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), " ", "") }

// readAttendance checks every row of the file against the region's people
// and the session; nothing is saved here.
func (s *Server) readAttendance(r *http.Request, reg mtvp.Region, ses mtvp.TrainingSession, data []byte, name string) (*trAttendancePreview, error) {
	pv := &trAttendancePreview{File: name}
	_, sheets, date1904, err := importer.ReadSheets(data)
	if err != nil {
		key, args, ok := importer.RefusalOf(err)
		if !ok {
			return nil, err
		}
		pv.Error, pv.Args = key, args
		return pv, nil
	}
	if len(sheets) == 0 {
		pv.Error = "import.err.empty"
		return pv, nil
	}
	sh := sheets[0]
	cols := map[string]int{}
	header := -1
	for i, row := range sh.Rows {
		found := map[string]int{}
		for j, c := range row {
			if k := trAttendanceColumn(c.Text); k != "" {
				if _, dup := found[k]; !dup {
					found[k] = j
				}
			}
		}
		if len(found) > 0 {
			cols, header = found, i
			break
		}
	}
	_, hasName := cols["name"]
	_, hasBIG := cols["big"]
	_, hasKABIZ := cols["kabiz"]
	_, hasEmail := cols["email"]
	if header < 0 || !hasName || !(hasBIG || hasKABIZ || hasEmail || hasName) {
		pv.Error = "training.err.attendance_header"
		return pv, nil
	}
	people, err := s.db.ListPeople(r.Context(), reg.ID, "", 1000000)
	if err != nil {
		return nil, err
	}
	byBIG, byKABIZ, byEmail, byName := map[string]mtvp.Person{}, map[string]mtvp.Person{}, map[string]mtvp.Person{}, map[string][]mtvp.Person{}
	for _, p := range people {
		if p.BIG != "" {
			byBIG[p.BIG] = p
		}
		if p.KABIZ != "" {
			byKABIZ[trNormNumber(p.KABIZ)] = p
		}
		if p.Email != "" {
			byEmail[p.Email] = p
		}
		byName[strings.ToLower(p.Name)] = append(byName[strings.ToLower(p.Name)], p)
	}
	get := func(row []importer.SheetCell, k string) importer.SheetCell {
		if j, ok := cols[k]; ok && j < len(row) {
			return row[j]
		}
		return importer.SheetCell{}
	}
	today := mtvp.DateOf(s.cfg.Now())
	seen := map[int64]int{}
	pv.OK = true
	for i := header + 1; i < len(sh.Rows); i++ {
		row := sh.Rows[i]
		empty := true
		for _, c := range row {
			if strings.TrimSpace(c.Text) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		ar := trAttendanceRow{Line: i + 1, Name: strings.TrimSpace(get(row, "name").Text)}
		big, kabiz, email := trNormNumber(get(row, "big").Text), trNormNumber(get(row, "kabiz").Text), strings.ToLower(strings.TrimSpace(get(row, "email").Text))
		ar.Number = strings.TrimSpace(big + " " + kabiz + " " + email)
		var p mtvp.Person
		var ok bool
		switch {
		case big != "":
			p, ok = byBIG[big]
		case kabiz != "":
			p, ok = byKABIZ[kabiz]
		case email != "":
			p, ok = byEmail[email]
		default:
			if list := byName[strings.ToLower(ar.Name)]; len(list) == 1 {
				p, ok = list[0], true
			} else if len(list) > 1 {
				ar.Problems = append(ar.Problems, "training.err.attendance_name_ambiguous")
			}
		}
		if ok {
			ar.PersonID, ar.Person = p.ID, p.Name
			if prev, dup := seen[p.ID]; dup {
				ar.Problems = append(ar.Problems, "training.err.person_twice")
				_ = prev
			}
			seen[p.ID] = ar.Line
		} else if len(ar.Problems) == 0 {
			ar.Problems = append(ar.Problems, "training.err.attendance_unknown")
		}
		dc := get(row, "date")
		ar.Date = dc.Text
		if strings.TrimSpace(dc.Text) == "" {
			ar.On = ses.LastDate()
			if ar.On.After(today) {
				ar.On = today
			}
		} else if d, err := mtvp.ParseDate(dc.Date(date1904)); err != nil {
			ar.Problems = append(ar.Problems, "err.date_format")
		} else {
			ar.On = d
		}
		if !ar.On.IsZero() {
			if err := mtvp.ValidateCompletion(ar.On, ses, today); err != nil {
				ar.Problems = append(ar.Problems, mtvp.FieldErrorsOf(err)["completed_on"])
			}
		}
		if len(ar.Problems) > 0 {
			pv.OK = false
		}
		pv.Rows = append(pv.Rows, ar)
	}
	if len(pv.Rows) == 0 {
		pv.OK = false
		pv.Error = "training.err.no_rows"
	}
	return pv, nil
}

// postAttendanceUpload shows a preview of every row's problems; with
// confirm=1 it records the previewed rows, all or nothing.
func (s *Server) postAttendanceUpload(w http.ResponseWriter, r *http.Request) error {
	reg, ses, err := s.completionSession(r)
	if err != nil {
		return err
	}
	d, err := s.trSessionPageData(r, reg, ses)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, importer.MaxSize+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if err := r.ParseForm(); err != nil {
			d.Upload = &trAttendancePreview{Error: "import.err.too_large", Args: []any{importer.MaxSize >> 20}}
			return s.renderSession(w, r, http.StatusRequestEntityTooLarge, d, nil, "")
		}
	} else {
		defer r.MultipartForm.RemoveAll()
	}
	if err := checkMultipartText(r); err != nil {
		return err
	}
	if r.PostFormValue("confirm") == "1" {
		ids, dates := r.PostForm["row_person"], r.PostForm["row_date"]
		var cs []mtvp.Completion
		for i := range ids {
			id, _ := strconv.ParseInt(ids[i], 10, 64)
			var on mtvp.Date
			if i < len(dates) {
				on, _ = mtvp.ParseDate(dates[i])
			}
			cs = append(cs, mtvp.Completion{PersonID: id, CompletedOn: on})
		}
		err := s.db.RecordCompletions(r.Context(), actorOf(currentUser(r)), ses.ID, cs)
		if err == nil {
			s.flash(r, "training.attendance_saved")
			http.Redirect(w, r, sessionURL(reg, ses.ID)+"#completions", http.StatusSeeOther)
			return nil
		}
		if mtvp.ErrorCode(err) != mtvp.EINVALID {
			return err
		}
		d.Upload = &trAttendancePreview{Error: "training.err.attendance_changed"}
		return s.renderSession(w, r, http.StatusUnprocessableEntity, d, nil, "")
	}
	file, hdr, err := r.FormFile("bestand")
	if err != nil {
		d.Upload = &trAttendancePreview{Error: "import.err.no_file"}
		return s.renderSession(w, r, http.StatusUnprocessableEntity, d, nil, "")
	}
	defer file.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(file); err != nil {
		return err
	}
	pv, err := s.readAttendance(r, reg, ses, buf.Bytes(), hdr.Filename)
	if err != nil {
		return err
	}
	d.Upload = pv
	status := http.StatusOK
	if !pv.OK {
		status = http.StatusUnprocessableEntity
	}
	return s.renderSession(w, r, status, d, nil, "")
}
