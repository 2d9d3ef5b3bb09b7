package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Region news (issue 16 §4): the region admin writes announcements; the
// home page shows those for the reader until read or expired; the monthly
// newsletter page gathers them and "versturen" queues it to the audience.

func (s *Server) newsRoutes() []route {
	const base = "/regio/{region}/nieuws"
	const letter = "/regio/{region}/nieuwsbrief/{month}"
	return []route{
		{"GET " + base, signedIn, s.getNewsList},
		{"GET " + base + "/nieuw", signedIn, s.getNewNews},
		{"POST " + base, signedIn, s.postNews},
		{"GET " + base + "/{news}", signedIn, s.getEditNews},
		{"POST " + base + "/{news}", signedIn, s.postNews},
		{"POST " + base + "/{news}/gelezen", signedIn, s.postNewsRead},
		{"GET " + letter, signedIn, s.getNewsletter},
		{"POST " + letter + "/versturen", signedIn, s.postSendNewsletter},
	}
}

func newsURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) + "/nieuws" }

func newsletterURL(reg mtvp.Region, m mtvp.Month) string {
	return "/regio/" + url.PathEscape(reg.Code) + "/nieuwsbrief/" + m.String()
}

// newsAdminRegion: the region (else 404) whose news the user writes (else 403).
func (s *Server) newsAdminRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.regionFor(r)
	if err == nil && !currentUser(r).CanWriteNews(reg.ID) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "may not write news")
	}
	return reg, err
}

type newsListData struct {
	Region    mtvp.Region
	Base      string
	Items     []mtvp.NewsItem
	Today     mtvp.Date
	ThisMonth string
}

func (s *Server) getNewsList(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.newsAdminRegion(r)
	if err != nil {
		return err
	}
	items, err := s.db.ListNews(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	d := newsListData{Region: reg, Base: newsURL(reg), Items: items, Today: s.today(), ThisMonth: mtvp.MonthOf(s.today()).String()}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "news"
	return s.render(w, r, http.StatusOK, "news_list", v)
}

type newsFormData struct {
	Region   mtvp.Region
	Base     string
	Action   string
	Item     mtvp.NewsItem
	Expires  string
	Roles    []admChoice
	Waves    []admChoice
	Sessions []admChoice
	Groups   []admChoice
	Preview  mail.NewsletterItem
}

func (s *Server) renderNewsForm(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, n mtvp.NewsItem, errs mtvp.FieldErrors, errKey string) error {
	ctx := r.Context()
	lang := s.lang(r)
	d := newsFormData{Region: reg, Base: newsURL(reg), Action: newsURL(reg), Item: n}
	if n.ID != 0 {
		d.Action += "/" + strconv.FormatInt(n.ID, 10)
	}
	if !n.ExpiresOn.IsZero() {
		d.Expires = n.ExpiresOn.String()
	}
	linked := map[mtvp.NewsLink]bool{}
	for _, l := range n.Links {
		linked[l] = true
	}
	for _, role := range mtvp.NewsRoles {
		d.Roles = append(d.Roles, admChoice{Value: string(role), Label: tOr(lang, "account_role."+string(role), string(role)), Selected: slices.Contains(n.Roles, role)})
	}
	waves, err := s.db.PracticeWaves(ctx, reg.ID)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var ws []string
	for _, wv := range waves {
		if wv != "" && !seen[wv] {
			seen[wv] = true
			ws = append(ws, wv)
		}
	}
	for _, wv := range n.Waves {
		if !seen[wv] {
			seen[wv] = true
			ws = append(ws, wv)
		}
	}
	slices.Sort(ws)
	for _, wv := range ws {
		sel := false
		for _, x := range n.Waves {
			sel = sel || x == wv
		}
		d.Waves = append(d.Waves, admChoice{Value: wv, Label: wv, Selected: sel})
	}
	ss, err := s.db.ListSessions(ctx, reg.ID, s.today())
	if err != nil {
		return err
	}
	for _, se := range ss {
		d.Sessions = append(d.Sessions, admChoice{Value: strconv.FormatInt(se.ID, 10), Label: se.TrainingTitle + " · " + se.FirstDate().Short(),
			Selected: linked[mtvp.NewsLink{Kind: mtvp.NewsLinkSession, ID: se.ID}]})
	}
	gs, err := s.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: s.today().Year()})
	if err != nil {
		return err
	}
	for _, g := range gs {
		d.Groups = append(d.Groups, admChoice{Value: strconv.FormatInt(g.ID, 10), Label: g.Name,
			Selected: linked[mtvp.NewsLink{Kind: mtvp.NewsLinkGroup, ID: g.ID}]})
	}
	if n.Body != "" {
		if d.Preview, err = mail.RenderNews(ctx, s.db, reg, n); err != nil {
			return err
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "news"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "news_form", v)
}

func (s *Server) getNewNews(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.newsAdminRegion(r)
	if err != nil {
		return err
	}
	return s.renderNewsForm(w, r, http.StatusOK, reg, mtvp.NewsItem{RegionID: reg.ID, PublishOn: s.today()}, nil, "")
}

// newsOf loads {news} of the region.
func (s *Server) newsOf(r *http.Request, reg mtvp.Region) (mtvp.NewsItem, error) {
	id, err := pathID(r, "news")
	if err != nil {
		return mtvp.NewsItem{}, err
	}
	n, err := s.db.NewsByID(r.Context(), id)
	if err == nil && n.RegionID != reg.ID {
		err = notFound
	}
	return n, err
}

func (s *Server) getEditNews(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.newsAdminRegion(r)
	if err != nil {
		return err
	}
	n, err := s.newsOf(r, reg)
	if err != nil {
		return err
	}
	return s.renderNewsForm(w, r, http.StatusOK, reg, n, nil, "")
}

// postNews creates (no {news}) or updates an announcement.
func (s *Server) postNews(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.newsAdminRegion(r)
	if err != nil {
		return err
	}
	n := mtvp.NewsItem{RegionID: reg.ID}
	if r.PathValue("news") != "" {
		if n, err = s.newsOf(r, reg); err != nil {
			return err
		}
		n.Version = formVersion(r)
	}
	if err := r.ParseForm(); err != nil {
		return mtvp.Errorf(mtvp.EINVALID, "bad form")
	}
	errs := mtvp.FieldErrors{}
	n.Title, n.Body = r.PostFormValue("title"), r.PostFormValue("body")
	n.Roles, n.Waves, n.Links = nil, nil, nil
	for _, v := range r.PostForm["roles"] {
		n.Roles = append(n.Roles, mtvp.AccountRole(v))
	}
	n.Waves = append(n.Waves, r.PostForm["waves"]...)
	for _, kind := range []string{mtvp.NewsLinkSession, mtvp.NewsLinkGroup} {
		for _, v := range r.PostForm[kind] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				errs.Add("links", "news.err.link")
				continue
			}
			n.Links = append(n.Links, mtvp.NewsLink{Kind: kind, ID: id})
		}
	}
	n.PublishOn = formDate(r, "publish_on", errs)
	n.ExpiresOn = formDate(r, "expires_on", errs)
	if len(errs) == 0 {
		err = s.db.SaveNews(r.Context(), actorOf(currentUser(r)), &n)
		switch {
		case err == nil:
			s.flash(r, "news.saved")
			http.Redirect(w, r, newsURL(reg), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			cur, err := s.newsOf(r, reg)
			if err != nil {
				return err
			}
			return s.renderNewsForm(w, r, http.StatusConflict, reg, cur, nil, "news.conflict")
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	n.Normalize()
	if err := n.Validate(); err != nil {
		mergeErrors(errs, err)
	}
	return s.renderNewsForm(w, r, http.StatusUnprocessableEntity, reg, n, errs, "")
}

// postNewsRead: "gelezen" — anyone the announcement is for; back home.
func (s *Server) postNewsRead(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	n, err := s.newsOf(r, reg)
	if err != nil {
		return err
	}
	u := currentUser(r)
	waves, err := s.db.PracticeWaves(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	if !n.For(u.ReaderIn(reg.ID, waves)) {
		return notFound
	}
	if err := s.db.MarkNewsRead(r.Context(), n.ID, u.ID); err != nil {
		return err
	}
	next := "/regio/" + url.PathEscape(reg.Code)
	if u.OnlyFunderIn(reg.ID) {
		next = funderURL(reg)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// homeNews is the news a home page shows the user in the region.
func (s *Server) homeNews(r *http.Request, reg mtvp.Region) ([]mail.NewsletterItem, error) {
	ctx := r.Context()
	u := currentUser(r)
	items, err := s.db.ListNews(ctx, reg.ID)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	read, err := s.db.NewsRead(ctx, reg.ID, u.ID)
	if err != nil {
		return nil, err
	}
	waves, err := s.db.PracticeWaves(ctx, reg.ID)
	if err != nil {
		return nil, err
	}
	var out []mail.NewsletterItem
	for _, n := range mtvp.HomeNews(items, u.ReaderIn(reg.ID, waves), read, s.today()) {
		it, err := mail.RenderNews(ctx, s.db, reg, n)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

type newsletterData struct {
	mail.Newsletter
	MonthText string
	Prev      string
	Next      string
	CanSend   bool
	Sends     []store.NewsletterSend
	Action    string
}

func (s *Server) newsletterFor(r *http.Request) (mtvp.Region, mtvp.Month, error) {
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, mtvp.Month{}, err
	}
	if !currentUser(r).CanReadNews(reg.ID) {
		return reg, mtvp.Month{}, notFound
	}
	m, ok := mtvp.ParseMonth(r.PathValue("month"))
	if !ok {
		return reg, m, notFound
	}
	return reg, m, nil
}

func (s *Server) getNewsletter(w http.ResponseWriter, r *http.Request) error {
	reg, m, err := s.newsletterFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	nl, err := mail.GatherNewsletter(r.Context(), s.db, reg, m, s.today())
	if err != nil {
		return err
	}
	if !u.CanWriteNews(reg.ID) {
		waves, err := s.db.PracticeWaves(r.Context(), reg.ID)
		if err != nil {
			return err
		}
		nl = nl.Filter(u.ReaderIn(reg.ID, waves))
	}
	prev := mtvp.MonthOf(m.First().AddDays(-1))
	d := newsletterData{Newsletter: nl, MonthText: m.Text(s.lang(r)), Prev: newsletterURL(reg, prev), Next: newsletterURL(reg, m.Next()),
		CanSend: u.CanWriteNews(reg.ID), Action: newsletterURL(reg, m) + "/versturen"}
	if d.CanSend {
		sends, err := s.db.NewsletterSends(r.Context(), reg.ID, m.String())
		if err != nil {
			return err
		}
		d.Sends = sends
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "newsletter"
	return s.render(w, r, http.StatusOK, "newsletter", v)
}

func (s *Server) postSendNewsletter(w http.ResponseWriter, r *http.Request) error {
	reg, m, err := s.newsletterFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanWriteNews(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not send the newsletter")
	}
	_, err = s.mail.SendNewsletter(r.Context(), s.db, reg, m, s.today(), actorOf(currentUser(r)))
	if err != nil {
		return err
	}
	s.flash(r, "news.sent")
	http.Redirect(w, r, newsletterURL(reg, m), http.StatusSeeOther)
	return nil
}
