package agenda

import (
	"strings"
	"time"
)

// Dates and times in agenda exports: Dutch "02-12-2026 08:30" (also with
// "/" or "." and one-digit day, month or hour, optional seconds) and ISO
// 8601 "2026-12-02T08:30:00" (or with a space; optional fraction, "Z" or
// offset). Without an offset the time is a wall-clock time in Amsterdam.
// Hand-written because it runs once or twice per row of a ten-million-row
// file: no allocation, no time.Parse layout matching.

func digits(s string, i, max int) (v, j int) {
	j = i
	for j < len(s) && j-i < max && s[j] >= '0' && s[j] <= '9' {
		v = v*10 + int(s[j]-'0')
		j++
	}
	return v, j
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseDate reads a date at the start of s and returns the rest.
func parseDate(s string) (y, m, d int, rest string, ok bool) {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' { // ISO yyyy-mm-dd
		var j int
		if y, j = digits(s, 0, 4); j != 4 {
			return
		}
		if m, j = digits(s, 5, 2); j != 7 {
			return
		}
		if d, j = digits(s, 8, 2); j != 10 {
			return
		}
		rest = s[10:]
	} else { // Dutch d-m-yyyy
		var i, j int
		if d, j = digits(s, 0, 2); j == 0 || j >= len(s) {
			return
		}
		sep := s[j]
		if sep != '-' && sep != '/' && sep != '.' {
			return
		}
		i = j + 1
		if m, j = digits(s, i, 2); j == i || j >= len(s) || s[j] != sep {
			return
		}
		i = j + 1
		if y, j = digits(s, i, 4); j != i+4 {
			return
		}
		rest = s[j:]
	}
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return
	}
	return y, m, d, rest, true
}

// parseClock reads "8:30", "08:30:00" or "08:30:00.000" at the start of s.
func parseClock(s string) (secs int, rest string, ok bool) {
	h, j := digits(s, 0, 2)
	if j == 0 || j >= len(s) || s[j] != ':' {
		return
	}
	mi, k := digits(s, j+1, 2)
	if k != j+3 {
		return
	}
	sec := 0
	if k < len(s) && s[k] == ':' {
		var l int
		if sec, l = digits(s, k+1, 2); l != k+3 {
			return
		}
		k = l
		if k < len(s) && (s[k] == '.' || s[k] == ',') {
			_, l = digits(s, k+1, 9)
			if l == k+1 {
				return
			}
			k = l
		}
	}
	if h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi > 0 || sec > 0)) {
		return
	}
	return h*3600 + mi*60 + sec, s[k:], true
}

// parseZone reads "", "Z", "+01:00", "+0100" or "-05:00"; zoned is false
// for "" (Amsterdam wall-clock time).
func parseZone(s string) (offset int, zoned, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, true
	}
	if s == "Z" || s == "z" {
		return 0, true, true
	}
	if s[0] != '+' && s[0] != '-' {
		return 0, false, false
	}
	h, j := digits(s, 1, 2)
	if j != 3 {
		return 0, false, false
	}
	if j < len(s) && s[j] == ':' {
		j++
	}
	mi, k := digits(s, j, 2)
	if k != len(s) || k != j+2 || h > 14 || mi > 59 {
		return 0, false, false
	}
	offset = h*3600 + mi*60
	if s[0] == '-' {
		offset = -offset
	}
	return offset, true, true
}

// at makes the instant of a wall-clock time, in Amsterdam or at a fixed
// offset. On the spring-forward day a time in the missing hour counts as
// summer time minus the hour (02:30 becomes 03:30 CEST); on the fall-back
// day a repeated time is its first occurrence (summer time).
func at(y, m, d, secs, offset int, zoned bool) time.Time {
	if zoned {
		return time.Date(y, time.Month(m), d, 0, 0, secs, 0, time.UTC).Add(-time.Duration(offset) * time.Second)
	}
	return time.Date(y, time.Month(m), d, 0, 0, secs, 0, Amsterdam)
}

// ParseDateTime reads a date with a time ("02-12-2026 08:30",
// "2026-12-02T08:30:00+01:00").
func ParseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	y, m, d, rest, ok := parseDate(s)
	if !ok || rest == "" || (rest[0] != ' ' && rest[0] != 'T' && rest[0] != 't') {
		return time.Time{}, false
	}
	return clockOn(y, m, d, strings.TrimLeft(rest[1:], " "))
}

// clockOn reads a time with an optional zone ("08:30", "08:30:00+01:00")
// on day y-m-d.
func clockOn(y, m, d int, clock string) (time.Time, bool) {
	secs, rest, ok := parseClock(clock)
	if !ok {
		return time.Time{}, false
	}
	off, zoned, ok := parseZone(rest)
	if !ok {
		return time.Time{}, false
	}
	return at(y, m, d, secs, off, zoned), true
}

// ParseDateClock combines a date column and a time column ("02-12-2026",
// "8:30").
func ParseDateClock(date, clock string) (time.Time, bool) {
	y, m, d, rest, ok := parseDate(strings.TrimSpace(date))
	if !ok || strings.TrimSpace(rest) != "" {
		return time.Time{}, false
	}
	return clockOn(y, m, d, strings.TrimSpace(clock))
}

// ParseMinutes reads a duration: minutes ("15", "12,5", "15 min") or a
// clock duration ("0:15", "00:15:00").
func ParseMinutes(s string) (seconds int64, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(s), "min"), "minuten"))
	if s == "" {
		return 0, false
	}
	if strings.IndexByte(s, ':') >= 0 {
		h, j := digits(s, 0, 3)
		if j == 0 || j >= len(s) || s[j] != ':' {
			return 0, false
		}
		mi, k := digits(s, j+1, 2)
		if k != j+3 || mi > 59 {
			return 0, false
		}
		sec := 0
		if k < len(s) {
			var l int
			if s[k] != ':' {
				return 0, false
			}
			if sec, l = digits(s, k+1, 2); l != k+3 || l != len(s) || sec > 59 {
				return 0, false
			}
		}
		return int64(h*3600 + mi*60 + sec), true
	}
	whole, j := digits(s, 0, 6)
	if j == 0 {
		return 0, false
	}
	secs := int64(whole) * 60
	if j < len(s) {
		if s[j] != ',' && s[j] != '.' {
			return 0, false
		}
		frac, k := digits(s, j+1, 3)
		if k == j+1 || k != len(s) {
			return 0, false
		}
		scale := 1
		for n := k - j - 1; n > 0; n-- {
			scale *= 10
		}
		secs += int64(frac) * 60 / int64(scale)
	}
	return secs, true
}
