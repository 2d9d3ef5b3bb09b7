package demo

// Word lists for the demo data. The names are common Dutch (and, as in any
// Dutch region, some Turkish, Moroccan, Surinamese and other) first names and
// surnames, combined at random: any resemblance to a real person is chance.
// Surnames lean Limburgish for ZIO and Brabant for PrimaCura.

var firstNamesFemale = []string{
	"Anne", "Sanne", "Lotte", "Marieke", "Eline", "Femke", "Iris", "Judith", "Karin", "Linda",
	"Maud", "Noor", "Petra", "Renske", "Sophie", "Wendy", "Yvonne", "Esther", "Ingrid", "Marloes",
	"Anouk", "Bianca", "Charlotte", "Danielle", "Evelien", "Hanneke", "Ilse", "Jolien", "Kim", "Lieke",
	"Manon", "Nicole", "Miriam", "Roos", "Suzanne", "Tessa", "Vera", "Willemijn", "Astrid", "Carlijn",
	"Desiree", "Fleur", "Gerda", "Hilde", "Jacqueline", "Loes", "Mariska", "Nathalie", "Priscilla", "Saskia",
	"Fatima", "Samira", "Ayse", "Elif", "Naima", "Soumaya", "Zeynep", "Farah", "Shanti", "Mei",
}

var firstNamesMale = []string{
	"Bart", "Bram", "Daan", "Erik", "Frank", "Gijs", "Hans", "Jeroen", "Joost", "Koen",
	"Luc", "Maarten", "Niels", "Paul", "Rob", "Ruud", "Stijn", "Thijs", "Tom", "Wim",
	"Arjen", "Bas", "Dennis", "Geert", "Harm", "Jan-Willem", "Jasper", "Lars", "Marc", "Pieter",
	"Roel", "Sjoerd", "Twan", "Vincent", "Wouter", "Jos", "Ger", "Huub", "Sjef", "Frans",
	"Mehmet", "Youssef", "Karim", "Emre", "Rachid", "Anil", "Rajesh", "Hamza", "Ricardo", "Milan",
}

// surnamesCommon are spread over the whole country.
var surnamesCommon = []string{
	"de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
	"Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
	"Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "Schouten", "Willems",
	"Yilmaz", "El Amrani", "Bouzid", "Kaya", "Öztürk", "Chaouch", "Pinas", "Nguyen", "Ramdin", "Sahin",
}

// surnamesLimburg lean towards Maastricht-Heuvelland.
var surnamesLimburg = []string{
	"Janssen", "Smeets", "Peeters", "Hermans", "Claessens", "Wouters", "Houben", "Lemmens", "Custers", "Bemelmans",
	"Ramaekers", "Kurvers", "Bollen", "Frissen", "Notermans", "Ubachs", "Schepers", "Hendrikx", "Geurts", "Dassen",
	"Stassen", "Pluijmen", "Vliegen", "Schoonbrood", "Muijrers", "Debets", "Hameleers", "Jongen", "Vaessen", "Beckers",
	"Senden", "Bours", "Schreurs", "Crombach", "Wetzels", "Nelissen", "Lardinois", "Ortmans", "Erkens", "Coenen",
}

// surnamesBrabant lean towards Tilburg and Breda.
var surnamesBrabant = []string{
	"van Gils", "van Dongen", "Verhoeven", "van der Heijden", "Maas", "van Loon", "Schellekens", "Mutsaers", "Kuijpers", "van Rooij",
	"Roovers", "Verschuren", "van Hest", "Lambregts", "Oerlemans", "van Riel", "Brouwers", "Dirven", "Aarts", "Smulders",
	"Kools", "van de Ven", "Laurijssen", "Kerkhofs", "Panhuijzen", "Vromans", "de Kort", "van Iersel", "Rijnen", "Hoeks",
	"Moonen", "van Gorp", "Pijnenburg", "Goossens", "Bastiaansen", "Timmermans", "van Beek", "Hoogendijk", "Couwenberg", "Vissers",
}

// Names of practices that are not named after their GPs: trees, rivers,
// landmarks.
var practiceMotifs = []string{
	"De Linde", "De Eik", "De Kastanje", "De Beuk", "Het Anker", "De Bron", "De Maasoever", "De Jeker",
	"De Geul", "De Sterre", "De Poort", "Het Kompas", "De Wilg", "De Es", "De Hoeksteen", "De Vlinder",
	"De Akker", "De Molen", "De Hoge Hof", "Het Plein", "De Zonnewijzer", "De Brug", "De Populier", "De Meidoorn",
}

// town is a place in a region with its postcode range and street names.
type town struct {
	name      string
	pcFrom    int      // first 4-digit postcode
	pcTo      int      // last 4-digit postcode
	districts []string // neighbourhoods (for city practices)
	// districtPC gives a neighbourhood its own 4-digit postcode; others
	// get one fixed code from the town's range (see districtPostcode).
	districtPC map[string]int
	streets    []string
	weight     int // relative number of practices
}

var zioTowns = []town{
	{name: "Maastricht", pcFrom: 6211, pcTo: 6229, weight: 34,
		districts: []string{"Wyck", "Heer", "Scharn", "Randwyck", "Sint Pieter", "Jekerkwartier", "Malberg", "Daalhof", "Caberg", "Pottenberg",
			"Mariaberg", "Wittevrouwenveld", "Nazareth", "Amby", "Heugem", "Biesland", "Wolder", "Belfort", "Boschpoort", "Céramique",
			"Brusselsepoort", "Statenkwartier", "Sint Maartenspoort", "Limmel", "Heugemerveld", "Campagne", "De Heeg", "Oud-Caberg"},
		districtPC: map[string]int{"Jekerkwartier": 6211, "Boschpoort": 6211, "Sint Pieter": 6212, "Campagne": 6212, "Biesland": 6213, "Wolder": 6213,
			"Belfort": 6214, "Statenkwartier": 6214, "Daalhof": 6215, "Caberg": 6216, "Oud-Caberg": 6216, "Malberg": 6216, "Pottenberg": 6216,
			"Brusselsepoort": 6217, "Mariaberg": 6217, "Wyck": 6221, "Céramique": 6221, "Sint Maartenspoort": 6221, "Limmel": 6222, "Nazareth": 6222,
			"Wittevrouwenveld": 6224, "Amby": 6226, "Scharn": 6226, "Heer": 6227, "Heugemerveld": 6227, "De Heeg": 6228, "Heugem": 6229, "Randwyck": 6229},
		streets: []string{"Wilhelminasingel", "Rechtstraat", "Scharnerweg", "Brusselsestraat", "Akersteenweg", "Heerderweg", "Oranjeplein",
			"Koning Clovisstraat", "Sint Maartenslaan", "Meerssenerweg", "Tongerseweg", "Via Regia", "Burgemeester Cortenstraat", "Prins Bisschopsingel",
			"Mergelweg", "Dorpstraat", "Volksplein", "Valkenburgerweg", "Hertogsingel", "Cabergerweg", "Sibemaweg", "Amersfoortlaan"}},
	{name: "Meerssen", pcFrom: 6231, pcTo: 6231, weight: 4, streets: []string{"Kuileneind", "Beekstraat", "Markt", "Stationsstraat"}},
	{name: "Bunde", pcFrom: 6241, pcTo: 6241, weight: 2, streets: []string{"Dorpstraat", "Rijksweg", "Beekstraat"}},
	{name: "Eijsden", pcFrom: 6245, pcTo: 6245, weight: 3, streets: []string{"Diepstraat", "Breusterstraat", "Graaf de Geloeslaan"}},
	{name: "Gronsveld", pcFrom: 6247, pcTo: 6247, weight: 1, streets: []string{"Rijksweg", "Kerkstraat"}},
	{name: "Cadier en Keer", pcFrom: 6267, pcTo: 6267, weight: 2, streets: []string{"Rijksweg", "Kerkstraat"}},
	{name: "Margraten", pcFrom: 6269, pcTo: 6269, weight: 2, streets: []string{"Groenstraat", "Rijksweg", "Burgemeester Visschersstraat"}},
	{name: "Gulpen", pcFrom: 6271, pcTo: 6271, weight: 3, streets: []string{"Rijksweg", "Kapelaan Pendersstraat", "Markt"}},
	{name: "Wittem", pcFrom: 6286, pcTo: 6286, weight: 1, streets: []string{"Wittemerallee", "Dorpsstraat"}},
	{name: "Mechelen", pcFrom: 6281, pcTo: 6281, weight: 1, streets: []string{"Hoofdstraat", "Dr. Janssenstraat"}},
	{name: "Vaals", pcFrom: 6291, pcTo: 6291, weight: 3, streets: []string{"Maastrichterlaan", "Kerkstraat", "Tentstraat"}},
	{name: "Valkenburg", pcFrom: 6301, pcTo: 6301, weight: 4, streets: []string{"Grendelplein", "Wilhelminalaan", "Plenkertstraat", "Emmalaan"}},
	{name: "Schin op Geul", pcFrom: 6305, pcTo: 6305, weight: 1, streets: []string{"Dorpsstraat", "Oude Akerweg"}},
	{name: "Berg en Terblijt", pcFrom: 6325, pcTo: 6325, weight: 1, streets: []string{"Rijksweg", "Vliegenstraat"}},
	{name: "Wijlre", pcFrom: 6321, pcTo: 6321, weight: 1, streets: []string{"Stationstraat", "Kerkstraat"}},
}

var primacuraTowns = []town{
	{name: "Tilburg", pcFrom: 5011, pcTo: 5049, weight: 24,
		districts: []string{"Reeshof", "Oud-Noord", "Oud-Zuid", "Korvel", "Broekhoven", "De Blaak", "Groenewoud", "Jeruzalem", "Stokhasselt",
			"Heikant", "Quirijnstok", "Armhoef", "Theresia", "Hasselt", "Loven", "Besterd", "Het Zand", "Witbrant", "Zorgvlied", "Koningshoeven"},
		districtPC: map[string]int{"Reeshof": 5043},
		streets: []string{"Ringbaan-West", "Ringbaan-Oost", "Bredaseweg", "Korvelseweg", "Goirkestraat", "Hasseltstraat", "Professor Cobbenhagenlaan",
			"Wandelboslaan", "Piushaven", "Lovense Kanaaldijk", "Enschotsestraat", "Tilburgseweg", "Jan Heijnsstraat", "Besterdring", "Kruisvaartstraat", "Dr. Deelenlaan"}},
	{name: "Breda", pcFrom: 4811, pcTo: 4839, weight: 14,
		districts: []string{"Haagse Beemden", "Princenhage", "Ginneken", "Heuvel", "Boeimeer", "Brabantpark", "Hoge Vucht", "Tuinzigt",
			"Belcrum", "Zandberg", "Heusdenhout", "IJpelaar", "Kesterenplein"},
		streets: []string{"Ginnekenweg", "Haagweg", "Baronielaan", "Teteringsedijk", "Tuinzigtlaan", "Haven", "Nieuwe Boschstraat", "Claudius Prinsenlaan",
			"Graaf Engelbertlaan", "Dr. Struyckenstraat", "Heerbaan", "Liniestraat", "Mastbosstraat", "Burgemeester de Manlaan"}},
	{name: "Prinsenbeek", pcFrom: 4841, pcTo: 4841, weight: 2, streets: []string{"Markt", "Kerkstraat", "Nieuweweg"}},
	{name: "Teteringen", pcFrom: 4847, pcTo: 4847, weight: 1, streets: []string{"Hoofdstraat", "Oosterhoutseweg"}},
	{name: "Bavel", pcFrom: 4854, pcTo: 4854, weight: 1, streets: []string{"Kerkstraat", "Gilzeweg"}},
	{name: "Goirle", pcFrom: 5051, pcTo: 5052, weight: 3, streets: []string{"Tilburgseweg", "Rillaersebaan", "Kloosterstraat"}},
	{name: "Berkel-Enschot", pcFrom: 5056, pcTo: 5057, weight: 2, streets: []string{"Koningsoord", "Eikenlaan", "Kreitenmolenstraat"}},
	{name: "Oisterwijk", pcFrom: 5061, pcTo: 5062, weight: 3, streets: []string{"Almijnstraat", "Lindenlaan", "Kerkstraat", "De Lind"}},
	{name: "Udenhout", pcFrom: 5071, pcTo: 5071, weight: 1, streets: []string{"Slimstraat", "Kreitenmolenstraat"}},
	{name: "Hilvarenbeek", pcFrom: 5081, pcTo: 5081, weight: 2, streets: []string{"Vrijthof", "Gelderstraat", "Diessenseweg"}},
	{name: "Dongen", pcFrom: 5101, pcTo: 5104, weight: 3, streets: []string{"Hoge Ham", "Kerkstraat", "Tramsingel", "Gasthuisstraat"}},
	{name: "Rijen", pcFrom: 5121, pcTo: 5122, weight: 2, streets: []string{"Hoofdstraat", "Julianastraat", "Kerkstraat"}},
	{name: "Gilze", pcFrom: 5126, pcTo: 5126, weight: 1, streets: []string{"Molenstraat", "Raadhuisplein"}},
	{name: "Waalwijk", pcFrom: 5141, pcTo: 5146, weight: 3, streets: []string{"Grotestraat", "Mr. van Coothstraat", "Taxandriaweg"}},
	{name: "Kaatsheuvel", pcFrom: 5171, pcTo: 5172, weight: 2, streets: []string{"Hoofdstraat", "Vaartweg", "Horst"}},
	{name: "Oosterhout", pcFrom: 4901, pcTo: 4909, weight: 4, streets: []string{"Heuvel", "Ridderstraat", "Leijsenhoek", "Arendshof"}},
}
