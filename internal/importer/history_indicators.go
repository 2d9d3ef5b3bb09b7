package importer

import (
	"context"
	"math"
	"strconv"
	"strings"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Indicators over time (issue 15 §2): quarterly figures per practice, for
// the region and for the country, each with its source and date. One row
// is one figure; a figure already stored for the same level, practice,
// indicator and quarter is changed (or left alone when equal), so the
// same file imported twice changes nothing. Country rows are the region's
// national reference (see mtvp.IndicatorValue).

const (
	colLevel      = "level"
	colIndicator  = "indicator"
	colIndYear    = "ind_year"
	colQuarter    = "quarter"
	colValue      = "value"
	colIndSource  = "ind_source"
	colSourceDate = "source_date"
)

func indicatorColumns() []HistColumn {
	return []HistColumn{
		{colLevel, "niveau", []string{"level", "soort"}, true, "praktijk"},
		{colPractice, "AGB-code praktijk", []string{"AGB praktijk", "praktijk AGB", "practice AGB"}, false, "01012345"},
		{colIndicator, "indicator", []string{"kengetal", "maat"}, true, "consulten per verzekerde"},
		{colIndYear, "jaar", []string{"year"}, false, "2024"},
		{colQuarter, "kwartaal", []string{"quarter", "periode"}, true, "2024-K1"},
		{colValue, "waarde", []string{"value", "uitkomst"}, true, "1,21"},
		{colIndSource, "bron", []string{"source", "herkomst"}, true, "Vektis"},
		{colSourceDate, "datum bron", []string{"peildatum", "brondatum", "source date"}, true, "15-05-2024"},
	}
}

type indicatorHandler struct {
	run      *historyRun
	existing map[mtvp.IndicatorKey]mtvp.IndicatorValue
	seen     map[mtvp.IndicatorKey]int // key → row in this file
	news     []*mtvp.IndicatorValue
	changes  []store.IndicatorChange
}

func newIndicatorHandler(run *historyRun) historyHandler {
	return &indicatorHandler{run: run, existing: map[mtvp.IndicatorKey]mtvp.IndicatorValue{}, seen: map[mtvp.IndicatorKey]int{}}
}

func (h *indicatorHandler) load(ctx context.Context) error {
	vs, err := h.run.db.IndicatorValues(ctx, store.IndicatorFilter{RegionID: h.run.region.ID})
	if err != nil {
		return err
	}
	for _, v := range vs {
		h.existing[v.Key()] = v
	}
	return nil
}

// indicatorNames lists the indicators as the template writes them.
func indicatorNames() string {
	names := make([]string, len(mtvp.Indicators))
	for i, k := range mtvp.Indicators {
		names[i] = strings.ReplaceAll(string(k), "_", " ")
	}
	return strings.Join(names, ", ")
}

// parseDecimal reads a number written "1,21", "1.21" (a single dot with
// other than three digits after it) or "2.095" / "2.095,5" (Dutch
// thousands); an XLSX number as stored.
func parseDecimal(c cell) (float64, bool) {
	if c.number {
		f, err := strconv.ParseFloat(c.raw, 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	v := strings.NewReplacer(" ", "", "\u00a0", "", "€", "").Replace(strings.TrimSpace(c.text))
	switch {
	case strings.Contains(v, ","):
		v = strings.ReplaceAll(v, ".", "")
		v = strings.Replace(v, ",", ".", 1)
	case strings.Count(v, ".") > 1:
		v = strings.ReplaceAll(v, ".", "")
	case strings.Count(v, ".") == 1 && len(v)-strings.Index(v, ".") == 4 && !strings.HasPrefix(v, "0."):
		v = strings.ReplaceAll(v, ".", "") // 2.095: Dutch thousands
	}
	f, err := strconv.ParseFloat(v, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

func (h *indicatorHandler) row(r *hrow) {
	v := mtvp.IndicatorValue{RegionID: h.run.region.ID}
	level, ok := mtvp.ParseIndicatorLevel(r.text(colLevel))
	switch {
	case r.text(colLevel) == "":
		r.fail(colLevel, "err.required")
	case !ok:
		r.fail(colLevel, "import.ind.err.level")
	}
	v.Level = level
	var practiceName string
	if level == mtvp.LevelPractice {
		if p, ok := r.practice(true); ok {
			v.PracticeID, practiceName = p.ID, p.Name
		}
	} else if ok && r.text(colPractice) != "" {
		r.fail(colPractice, "import.ind.err.practice_not_allowed")
	}
	if t := r.text(colIndicator); t == "" {
		r.fail(colIndicator, "err.required")
	} else if ind, ok := mtvp.ParseIndicator(t); !ok {
		r.fail(colIndicator, "import.ind.err.indicator", indicatorNames())
	} else {
		v.Indicator = ind
	}
	year := 0
	if r.text(colIndYear) != "" {
		year = r.year(colIndYear)
	}
	if t := r.text(colQuarter); t == "" {
		r.fail(colQuarter, "err.required")
	} else if q, ok := mtvp.ParseQuarterText(t, year); !ok {
		r.fail(colQuarter, "import.ind.err.quarter")
	} else if h.run.today.Before(q.Start()) {
		r.fail(colQuarter, "import.ind.err.quarter_future")
	} else {
		v.Quarter = q
	}
	if c := r.get(colValue); c.text == "" {
		r.fail(colValue, "err.required")
	} else if f, ok := parseDecimal(c); !ok {
		r.fail(colValue, "import.ind.err.value")
	} else {
		v.Value = f
	}
	v.Source = r.required(colIndSource)
	v.SourceDate = r.date(colSourceDate, true)
	if !r.ok() {
		return
	}
	if err := v.Validate(h.run.today); err != nil {
		r.failFields(err, map[string]string{"level": colLevel, "practice": colPractice, "indicator": colIndicator, "quarter": colQuarter,
			"value": colValue, "source": colIndSource, "source_date": colSourceDate}, colValue)
		return
	}
	key := v.Key()
	if prev, dup := h.seen[key]; dup {
		r.fail(colQuarter, "import.ind.err.duplicate_row", prev)
		return
	}
	h.seen[key] = r.num
	// Effects per level, so the summary counts practice, region and
	// country figures apart.
	who, name := practiceName, strings.ReplaceAll(string(v.Indicator), "_", " ")
	if level == mtvp.LevelRegion {
		who = h.run.region.Name
	}
	old, stored := h.existing[key]
	switch {
	case stored && old.SameFigure(v):
		r.effect(effUnchanged)
		return
	case stored:
		r.effect("import.ind.eff.changed."+string(level), who, name, v.Quarter.String(), formatDecimal(old.Value), formatDecimal(v.Value))
		if !h.run.failed {
			h.changes = append(h.changes, store.IndicatorChange{Old: old, New: v})
		}
	default:
		r.effect("import.ind.eff.new."+string(level), who, name, v.Quarter.String(), formatDecimal(v.Value))
		if !h.run.failed {
			nv := v
			h.news = append(h.news, &nv)
		}
	}
}

// formatDecimal writes a value the Dutch way, without trailing zeros.
func formatDecimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}

func (h *indicatorHandler) flush(w *store.HistoryImport) error {
	if w != nil {
		if err := w.Indicators(h.news, h.changes); err != nil {
			return err
		}
	}
	h.news = h.news[:0]
	h.changes = h.changes[:0]
	return nil
}
