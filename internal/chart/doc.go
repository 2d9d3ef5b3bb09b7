// Package chart draws small, accessible, server-rendered SVG charts: a
// time-series line chart (with an optional goal line, vertical marker lines
// and highlighted points) and a bar chart (grouped or stacked). It is pure:
// it imports nothing of meertijd, writes no files and keeps no state, so the
// same chart can go into a web page, a PDF or a test.
//
// Every chart carries <title> and <desc> elements and role="img" with
// aria-labelledby, and numbers are formatted the Dutch way (1.234,5). A
// chart is never the only carrier of its figures: callers show a table and
// a text summary beside it.
package chart
