package web

// routeTable lists every route. Each area keeps its routes beside its
// handlers; the route × role test (routes_test.go) must have a row for each.
func (s *Server) routeTable() []route {
	var rs []route
	rs = append(rs, s.coreRoutes()...)
	rs = append(rs, s.regionRoutes()...)
	rs = append(rs, s.practiceRoutes()...)
	rs = append(rs, s.regioplanRoutes()...)
	rs = append(rs, s.userRoutes()...)
	rs = append(rs, s.authLogRoutes()...)
	rs = append(rs, s.importRoutes()...)
	rs = append(rs, s.planRoutes()...)
	rs = append(rs, s.intervisionRoutes()...)
	rs = append(rs, s.trainingRoutes()...)
	rs = append(rs, s.activityRoutes()...)
	rs = append(rs, s.profileRoutes()...)
	rs = append(rs, s.proposalRoutes()...)
	rs = append(rs, s.newsRoutes()...)
	rs = append(rs, s.visitRoutes()...)
	rs = append(rs, s.agendaRoutes()...)
	rs = append(rs, s.outcomeRoutes()...)
	rs = append(rs, s.funderRoutes()...)
	rs = append(rs, s.notFoundRoutes()...)
	rs = append(rs, s.complianceRoutes()...)
	rs = append(rs, s.outboxRoutes()...)
	rs = append(rs, s.invitationRoutes()...)
	rs = append(rs, s.resetRoutes()...)
	rs = append(rs, s.mailPrefRoutes()...)
	rs = append(rs, s.unsubscribeRoutes()...)
	rs = append(rs, s.personalCalendarRoutes()...)
	rs = append(rs, s.pulseRoutes()...)
	rs = append(rs, s.regionConsultRoutes()...)
	rs = append(rs, s.ssoRoutes()...)
	return rs
}

func (s *Server) coreRoutes() []route {
	return []route{
		{"GET /healthz", public, s.getHealthz},
		{"GET /readyz", public, s.getReadyz},
		{"GET /inloggen", public, s.getLogin},
		{"POST /inloggen", public, s.postLogin},
		{"GET /inloggen/tweestaps", secondStep, s.getSecondStep},
		{"POST /inloggen/tweestaps", secondStep, s.postSecondStep},
		{"POST /uitloggen", public, s.postLogout},
		{"POST /taal", public, s.postLang},
		{"GET /{$}", signedIn, s.getHome},
		{"GET /account", signedIn, s.getAccount},
		{"POST /account/wachtwoord", signedIn, s.postPassword},
		{"POST /account/tweestaps", signedIn, s.postEnableTOTP},
		{"POST /account/tokens/{token}/intrekken", signedIn, s.postRevokeToken},
	}
}
