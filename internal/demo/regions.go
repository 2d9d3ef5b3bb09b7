package demo

import (
	"time"

	"meertijd/internal/mtvp"
)

// regionSpec describes one demo region: its settings, regioplan and the
// shape of its practice population.
type regionSpec struct {
	code, name     string
	short          string // used in demo e-mail addresses: manager.<short>@…
	insurers       []string
	programmeStart mtvp.Date
	settings       mtvp.NormSettings
	practices      int
	towns          []town
	surnames       []string
	conditions     map[string]string
	// offers switched on per plan year: previous and current year.
	offersPrev, offersCurrent []string
	interventions             []mtvp.Intervention
	// Users of the region.
	managerName     string
	managerConsults bool // the programme manager is also a consultant
	consultants     []string
	facilitatorName string
	funder          string // insurer whose staff gets the funder login
	funderName      string
	// firstWaveShare is the share of the active practices that started in
	// the programme's first quarter (regions without quota).
	firstWaveShare float64
}

// zioSpec follows the ZIO regioplan (seed 000): an offering of ten
// interventions from which practices choose their own for MTVP year 1 and
// year 2; nothing is mandatory. MTVP runs in Maastricht-Heuvelland from 2024
// ("vanaf 2024 zal de intervisie worden voortgezet vanuit het project
// MTVP"). The seed does not exempt ZIO from the national rule that at most
// 25 % of practices start per quarter, so ZIO lets practices in by wave.
// ZIO has no training norms with its insurers: its requirements are
// intervision, a final praktijkplan and the consultant's annual visit.
func zioSpec() regionSpec {
	s := mtvp.DefaultNormSettings()
	s.InflowQuotaPercent = 25
	s.Requirements = []mtvp.Requirement{mtvp.ReqIntervision, mtvp.ReqFinalPlan, mtvp.ReqAnnualVisit}
	return regionSpec{
		code:           "zio",
		name:           "ZIO Maastricht-Heuvelland",
		short:          "zio",
		insurers:       []string{"CZ", "VGZ"},
		programmeStart: mtvp.NewDate(2024, time.January, 1),
		settings:       s,
		practices:      58,
		towns:          zioTowns,
		surnames:       surnamesLimburg,
		conditions: map[string]string{
			mtvp.ConditionLearningEnvironment: "Een lerende omgeving middels intervisie is in de regio Maastricht-Heuvelland aanwezig. " +
				"Sinds 2022 organiseert ZIO voor alle huisartsenpraktijken intervisie als onderdeel van de regioprestatie 2022-2023; " +
				"vanaf 2024 wordt de intervisie voortgezet vanuit het project MTVP.",
			mtvp.ConditionRegionalApproach: "ZIO ondersteunt de huisartsen bij de implementatie van MTVP: een programmamanager en " +
				"een eigen consulent per praktijk, een regionaal aanbod van interventies en een lerende omgeving die samen met de RHZ wordt uitgebouwd.",
			mtvp.ConditionCommitment: "Deelnemende huisartsenpraktijken en ZIO committeren zich aan het implementeren van de leidraad MTVP " +
				"door het kiezen en uitvoeren van interventies. Elke praktijk legt in een individueel praktijkplan vast met welke interventies zij in jaar 1 en jaar 2 aan de slag gaat.",
		},
		// The seed lists praktijkprofiel, netwerkbijeenkomsten, meelopen and
		// praktijkscan as "being explored" for 2024; by the current year
		// network meetings and shadowing (already done by the
		// PlusPraktijken) run.
		offersPrev:    nil,
		offersCurrent: []string{mtvp.OfferNetworkMeetings, mtvp.OfferShadowing},
		interventions: []mtvp.Intervention{
			{Code: "A.1", Element: mtvp.ElementA, Title: "Anders triëren door middel van triagetraining",
				Description: "Doktersassistenten volgen een triagetraining zodat hulpvragen vaker bij de juiste zorgverlener terechtkomen, met de juiste urgentie en consultduur."},
			{Code: "A.2", Element: mtvp.ElementA, Title: "Flexibele consultduur via anders inroosteren",
				Description: "De praktijk richt de agenda anders in, met consulten van verschillende duur, zodat een flexibele gemiddelde consultduur van 15 minuten mogelijk wordt."},
			{Code: "A.3", Element: mtvp.ElementA, Title: "Regie op veelgebruikers",
				Description: "De praktijk brengt haar veelgebruikers in kaart en maakt met hen en het netwerk afspraken, zodat de zorg beter past en minder versnipperd is."},
			{Code: "A.4", Element: mtvp.ElementA, Title: "Administratielast verlagen door Lean werken",
				Description: "Met Lean-methoden onderzoekt het team welke administratieve handelingen overbodig zijn of slimmer kunnen, om tijd vrij te maken voor de patiënt."},
			{Code: "B.1", Element: mtvp.ElementB, Title: "Laagdrempelige eenmalige consultaties",
				Description: "Meekijkconsult en intercollegiaal consult: de huisarts overlegt laagdrempelig met een specialist of collega in plaats van direct te verwijzen."},
			{Code: "B.2", Element: mtvp.ElementB, Title: "Samenwerking met het wijkteam",
				Description: "Samenwerking met het wijkteam, buurtteam of sociaal team en de wijkmanager, met vaste contactpersonen en korte lijnen."},
			{Code: "B.3", Element: mtvp.ElementB, Title: "MDO/casuïstiektafel met het netwerk",
				Description: "Multidisciplinair overleg of casuïstiektafel met het sociale domein, de GGZ en/of de tweede lijn en/of de wijkverpleging."},
			{Code: "B.4", Element: mtvp.ElementB, Title: "Welzijn op recept",
				Description: "Patiënten met psychosociale klachten worden verwezen naar een welzijnscoach die hen helpt met activiteiten in de eigen omgeving."},
			{Code: "D.1", Element: mtvp.ElementD, Title: "Scholing positieve gezondheid",
				Description: "Scholing in het gedachtegoed van positieve gezondheid, als basis voor het goede gesprek met de patiënt over wat voor hem of haar belangrijk is."},
			{Code: "D.2", Element: mtvp.ElementD, Title: "Training SOLK",
				Description: "Training in het herkennen en begeleiden van somatisch onvoldoende verklaarde lichamelijke klachten (SOLK)."},
		},
		managerName:     "Marlies Vaessen",
		consultants:     []string{"Ellen Hameleers", "Ruud Bemelmans", "Carlijn Ortmans", "Joost Lardinois"},
		facilitatorName: "Hilde Crombach",
		funder:          "CZ",
		funderName:      "Bas van Loon (CZ)",
	}
}

// primacuraSpec follows PrimaCura's Q&A (seed 001): six mandatory
// interventions agreed with CZ and VGZ and the norms of domain.md (the
// defaults). PrimaCura was a pilot region (Plexus, 2021) and negotiated that
// all practices could start at once: no inflow quota.
func primacuraSpec() regionSpec {
	return regionSpec{
		code:           "primacura",
		name:           "PrimaCura",
		short:          "primacura",
		insurers:       []string{"CZ", "VGZ"},
		programmeStart: mtvp.NewDate(2023, time.January, 1),
		settings:       mtvp.DefaultNormSettings(),
		practices:      62,
		towns:          primacuraTowns,
		surnames:       surnamesBrabant,
		firstWaveShare: 0.6,
		conditions: map[string]string{
			mtvp.ConditionLearningEnvironment: "Intervisie MTVP in vaste groepen onder begeleiding van een EKC, die een jaarplan en een verslag maakt; " +
				"deelnemers krijgen accreditatiepunten en de intervisie is kosteloos. Per praktijk neemt minimaal 50% van de praktijkhoudende huisartsen en vaste waarnemers deel.",
			mtvp.ConditionRegionalApproach: "PrimaCura was pilotregio (Plexus, vijf praktijken sinds 2021). Iedere praktijk heeft een eigen consulent die " +
				"helpt bij de opstart en de praktijk jaarlijks bezoekt op basis van het plan van aanpak; PrimaCura houdt de deelname aan intervisie en scholing bij.",
			mtvp.ConditionCommitment: "Deelnemende praktijken implementeren de zes interventies uit het regioplan en stellen een plan van aanpak MTVP op, " +
				"dat pas definitief wordt als de hele praktijk erachter staat en dat periodiek terugkomt in het teamoverleg.",
		},
		interventions: []mtvp.Intervention{
			{Code: "A.1", Element: mtvp.ElementA, Mandatory: true, Title: "Flexibele consultduur",
				Description: "De praktijk organiseert verschillende consultduren; hoe, is aan de praktijk. Het regioplan noemt drie voorbeelden. " +
					"Consulten van 30 minuten blijken van grote meerwaarde om het goede gesprek te kunnen voeren."},
			{Code: "A.2", Element: mtvp.ElementA, Mandatory: true, Title: "Regie op veelgebruikers",
				Description: "De aanpak is dezelfde als bij de regioprestatie. Ook een doelgroep of handeling waar de praktijk veel tijd aan kwijt is " +
					"(bijvoorbeeld het telefonisch doorgeven van uitslagen) kan onderwerp van het plan van aanpak zijn."},
			{Code: "A.3", Element: mtvp.ElementA, Mandatory: true, Title: "Training triage",
				Description: "Minimaal 50% van de doktersassistenten per praktijk volgt een scholing uit de menukaart, bijvoorbeeld over triage " +
					"of over het omgaan met ‘lastige’ patiënten."},
			{Code: "B.1", Element: mtvp.ElementB, Mandatory: true, Title: "Time-out verwijzingen",
				Description: "Bij twijfel bouwt de huisarts een moment in om te overleggen met een collega, een DAC aan te vragen of informatie op te zoeken, " +
					"en bespreekt het advies later met de patiënt. Bewustwording is hierin het belangrijkste."},
			{Code: "D.1", Element: mtvp.ElementD, Mandatory: true, Title: "Het goede gesprek",
				Description: "Minimaal 50% van de praktijkhoudende huisartsen en vaste waarnemers per praktijk volgt een geaccrediteerde scholing " +
					"‘het goede gesprek’ uit de menukaart."},
			{Code: "D.2", Element: mtvp.ElementD, Mandatory: true, Title: "Deelname intervisie MTVP",
				Description: "Minimaal 50% van de praktijkhoudende huisartsen en vaste waarnemers per praktijk neemt deel aan een vaste intervisiegroep MTVP " +
					"onder begeleiding van een EKC, naast de andere lopende intervisies."},
		},
		managerName:     "Ingrid Schellekens",
		managerConsults: true,
		consultants:     []string{"Judith Mutsaers", "Loes Verschuren", "Stijn Lambregts", "Saskia Pijnenburg"},
		facilitatorName: "Geert Couwenberg",
		funder:          "VGZ",
		funderName:      "Anouk de Kort (VGZ)",
	}
}
