package demo

import (
	"context"
	"fmt"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// loadNews adds, per region, training proposals in each status (issue 16
// §3) and region news (§4): one for everyone linking the next session,
// one for the practices only, one expired, and one published next week.
func loadNews(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	regions, err := ownRegions(ctx, db)
	if err != nil {
		return 0, err
	}
	today := mtvp.DateOf(now)
	manager := mtvp.Actor{Name: "Programmamanager (demo)"}
	n := 0
	for _, reg := range regions {
		ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return n, err
		}
		themes, err := db.TrainingThemes(ctx, reg.ID)
		if err != nil {
			return n, err
		}
		theme := func(want string) string {
			for _, t := range themes {
				if t == want {
					return t
				}
			}
			return themes[0]
		}
		proposals := []struct {
			title, provider, theme string
			target                 mtvp.TargetGroup
			why                    string
			steps                  []mtvp.ProposalAction
		}{
			{"Omgaan met agressie aan de balie", "Stichting Veilig Werken", theme(mtvp.ThemeDifficultPatients), mtvp.TargetAssistants,
				"Onze assistenten krijgen steeds vaker te maken met boze patiënten aan de telefoon en de balie.", nil},
			{"Motiverende gespreksvoering", "NHG", theme(mtvp.ThemeGoodConversation), mtvp.TargetGPs,
				"Past bij het goede gesprek: patiënten helpen zelf keuzes te maken.", []mtvp.ProposalAction{mtvp.ProposalAdvise}},
			{"Telefonische triage bij kinderen", "Triage Academie", theme(mtvp.ThemeTriage), mtvp.TargetAssistants,
				"Veel vragen over kinderen met koorts; de huidige training gaat daar weinig op in.", []mtvp.ProposalAction{mtvp.ProposalAdvise, mtvp.ProposalAccept}},
			{"Mindfulness voor zorgverleners", "Praktijk De Stilte", theme(mtvp.ThemePositiveHealth), mtvp.TargetBoth,
				"Voor de werkdruk van het hele team.", []mtvp.ProposalAction{mtvp.ProposalAdvise, mtvp.ProposalDecline}},
		}
		for i, pr := range proposals {
			if i >= len(ps) {
				break
			}
			p := ps[i].Practice
			prop := mtvp.Proposal{PracticeID: p.ID, Title: pr.title, Provider: pr.provider, Theme: pr.theme, Target: pr.target, Why: pr.why}
			if err := db.SubmitProposal(ctx, mtvp.Actor{Name: "Praktijk " + p.Name}, &prop); err != nil {
				return n, fmt.Errorf("demo: proposal %s: %w", pr.title, err)
			}
			for _, step := range pr.steps {
				switch step {
				case mtvp.ProposalAdvise:
					advisor := mtvp.Actor{UserID: p.ConsultantID, Name: p.ConsultantName}
					if advisor.Name == "" {
						advisor.Name = "Consulent (demo)"
					}
					prop, err = db.AdviseProposal(ctx, advisor, prop.ID, prop.Version, mtvp.AdvicePositive, "Sluit goed aan bij het plan van aanpak van de praktijk.")
				case mtvp.ProposalAccept:
					prop, err = db.DecideProposal(ctx, manager, prop.ID, prop.Version, mtvp.ProposalAccept,
						mtvp.ProposalMayCount(prop.Theme, prop.Target, reg.Settings), "")
				case mtvp.ProposalDecline:
					prop, err = db.DecideProposal(ctx, manager, prop.ID, prop.Version, mtvp.ProposalDecline, false,
						"Valt buiten de scholingsnormen; de regio biedt dit al aan via de netwerkbijeenkomsten.")
				}
				if err != nil {
					return n, fmt.Errorf("demo: proposal %s %s: %w", pr.title, step, err)
				}
			}
			n++
		}
		var links []mtvp.NewsLink
		if ss, err := db.ListSessions(ctx, reg.ID, today); err != nil {
			return n, err
		} else if len(ss) > 0 {
			links = append(links, mtvp.NewsLink{Kind: mtvp.NewsLinkSession, ID: ss[0].ID})
		}
		items := []mtvp.NewsItem{
			{Title: "Nieuwe data voor de scholingen", Body: "De scholingen van het komende halfjaar staan op de **menukaart**.\n\nSchrijf uw team op tijd in:\n- assistenten: triage en SOH\n- huisartsen: het goede gesprek\n\nVragen? Mail [het programmabureau](mailto:mtvp@demo.meertijd.nl).",
				Links: links, PublishOn: today.AddDays(-3), ExpiresOn: today.AddDays(30)},
			{Title: "Plan van aanpak: denk aan de teambespreking", Body: "Een plan is pas **definitief** als het hele team erachter staat. Leg vast wie wanneer akkoord gaf.",
				Roles: []mtvp.AccountRole{mtvp.AccountPractice}, PublishOn: today.AddDays(-1)},
			{Title: "Netwerkbijeenkomst najaar (verlopen)", Body: "De netwerkbijeenkomst was een succes. Dank aan alle deelnemers!",
				PublishOn: today.AddDays(-60), ExpiresOn: today.AddDays(-30)},
			{Title: "Jaargesprek met de zorgverzekeraars", Body: "Volgende week bespreken we de voortgang met CZ en VGZ.",
				Roles: []mtvp.AccountRole{mtvp.AccountRegionAdmin, mtvp.AccountConsultant}, PublishOn: today.AddDays(7)},
		}
		for _, it := range items {
			it.RegionID = reg.ID
			if err := db.SaveNews(ctx, manager, &it); err != nil {
				return n, fmt.Errorf("demo: news %s: %w", it.Title, err)
			}
		}
	}
	return n, nil
}
