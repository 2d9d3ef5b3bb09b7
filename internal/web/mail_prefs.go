package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/mtvp"
)

// A person's opt-outs (the List-Unsubscribe target of reminder mails; the
// newsletter's own links are in newsletter_unsubscribe.go) and a region's
// reminder settings.

func (s *Server) mailPrefRoutes() []route {
	return []route{
		{"GET /account/berichten", signedIn, s.getMailPrefs},
		{"POST /account/berichten", signedIn, s.postMailPrefs},
		{"GET /regio/{region}/herinneringen", signedIn, s.getReminderSettings},
		{"POST /regio/{region}/herinneringen", signedIn, s.postReminderSettings},
	}
}

type prefRow struct {
	Kind  string
	On    bool
	Label string
}

func (s *Server) getMailPrefs(w http.ResponseWriter, r *http.Request) error {
	out, err := s.db.OptOuts(r.Context(), currentUser(r).ID)
	if err != nil {
		return err
	}
	var rows []prefRow
	for _, k := range optOutKinds(currentUser(r)) {
		rows = append(rows, prefRow{Kind: k, On: !out[k]})
	}
	v := s.newView(r, rows)
	v.Nav = "account"
	return s.render(w, r, http.StatusOK, "mail_prefs", v)
}

func (s *Server) postMailPrefs(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	out := map[string]bool{}
	kinds := optOutKinds(currentUser(r))
	for _, k := range kinds {
		out[k] = r.PostFormValue(k) == ""
	}
	if err := s.db.SetOptOuts(r.Context(), actorOf(currentUser(r)), currentUser(r).ID, kinds, out); err != nil {
		return err
	}
	s.flash(r, "prefs.saved")
	http.Redirect(w, r, "/account/berichten", http.StatusSeeOther)
	return nil
}

type remSetRow struct {
	Key   string
	Label string
	Rule  mtvp.ReminderRule
	Days  string
}

type remSetData struct {
	Region   mtvp.Region
	Rows     []remSetRow
	Deadline string
}

func remSetRows(st mtvp.ReminderSettings) []remSetRow {
	row := func(key string, r mtvp.ReminderRule) remSetRow {
		return remSetRow{Key: key, Label: "remset." + key, Rule: r, Days: strconv.Itoa(r.Days)}
	}
	return []remSetRow{row("meeting", st.Meeting), row("session", st.Session), row("plan", st.PlanNotFinal), row("claim", st.ClaimWaiting), row("visit", st.VisitOverdue),
		row("risk", st.NormAtRisk), row("place", st.PlaceFree)}
}

func (s *Server) renderReminderSettings(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, d remSetData, errs mtvp.FieldErrors) error {
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "reminders"
	v.Errors = errs
	return s.render(w, r, status, "reminder_settings", v)
}

func (s *Server) getReminderSettings(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	st, err := s.db.ReminderSettings(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	return s.renderReminderSettings(w, r, http.StatusOK, reg, remSetData{Region: reg, Rows: remSetRows(st), Deadline: st.PlanDeadline}, nil)
}

func (s *Server) postReminderSettings(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	rule := func(key string) mtvp.ReminderRule {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(key + ".days")))
		if err != nil || n < 0 || n > 31 {
			errs.Add(key+".days", "remset.days_invalid")
		}
		return mtvp.ReminderRule{On: r.PostFormValue(key+".on") != "", Days: n}
	}
	st := mtvp.ReminderSettings{Meeting: rule("meeting"), Session: rule("session"), PlanNotFinal: rule("plan"), ClaimWaiting: rule("claim"), VisitOverdue: rule("visit"),
		NormAtRisk: rule("risk"), PlaceFree: rule("place")}
	st.PlanDeadline = strings.TrimSpace(r.PostFormValue("plan_deadline"))
	if _, err := mtvp.ParseDate(fmt.Sprintf("2024-%s", st.PlanDeadline)); err != nil || len(st.PlanDeadline) != 5 {
		errs.Add("plan_deadline", "remset.deadline_invalid")
	}
	d := remSetData{Region: reg, Rows: remSetRows(st), Deadline: st.PlanDeadline}
	for i := range d.Rows {
		d.Rows[i].Days = r.PostFormValue(d.Rows[i].Key + ".days")
	}
	if len(errs) > 0 {
		return s.renderReminderSettings(w, r, http.StatusUnprocessableEntity, reg, d, errs)
	}
	if err := s.db.SetReminderSettings(r.Context(), actorOf(currentUser(r)), reg.ID, st); err != nil {
		return err
	}
	s.flash(r, "remset.saved")
	http.Redirect(w, r, admRegionURL(reg)+"/herinneringen", http.StatusSeeOther)
	return nil
}
