package agenda

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// benchRows is the size: ten million appointments. Set
// MEERTIJD_AGENDA_BENCH_ROWS for a quicker run.
func benchRows(b *testing.B) int {
	if s := os.Getenv("MEERTIJD_AGENDA_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("MEERTIJD_AGENDA_BENCH_ROWS=%q", s)
		}
		return n
	}
	return 10_000_000
}

var benchFile struct {
	sync.Mutex
	rows int
	path string
}

// benchCSV writes the generated export once per test binary, in a temp
// dir removed at the end of the binary's run.
func benchCSV(b *testing.B, rows int) string {
	benchFile.Lock()
	defer benchFile.Unlock()
	if benchFile.path != "" && benchFile.rows == rows {
		return benchFile.path
	}
	dir, err := os.MkdirTemp("", "agenda-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {}) // the file outlives one benchmark; TestMain removes it
	benchDirs = append(benchDirs, dir)
	path := filepath.Join(dir, "agenda.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	// 5,000 a day: about eight years of a large practice for 10M rows.
	if err := GenerateCSV(f, Gen{Rows: rows, Seed: 99, PerDay: 5000}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	benchFile.rows, benchFile.path = rows, path
	return path
}

var benchDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range benchDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// peakSampler records the highest memory the Go runtime holds from the
// OS (mapped minus released: heap, stacks, runtime structures) while it
// runs.
type peakSampler struct {
	stop chan struct{}
	done chan uint64
}

func startPeak() *peakSampler {
	runtime.GC()
	p := &peakSampler{stop: make(chan struct{}), done: make(chan uint64)}
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		var peak uint64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64() - s[1].Value.Uint64(); v > peak {
				peak = v
			}
			select {
			case <-p.stop:
				p.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakSampler) MB() float64 {
	close(p.stop)
	return float64(<-p.done) / (1 << 20)
}

// BenchmarkAgendaCSV parses and aggregates a generated export of
// benchRows appointments (Dutch dates, ';', patient columns, four mapped
// columns) from a file, and reports rows/s, the peak memory of the Go
// runtime during the parse, and the time sqlite3's .import + GROUP BY
// takes on the same file in the same run.
//
//	go test -run '^$' -bench AgendaCSV -benchtime 1x ./internal/agenda/
func BenchmarkAgendaCSV(b *testing.B) {
	rows := benchRows(b)
	path := benchCSV(b, rows)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	var peak float64
	cpu0 := processCPU()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		p := startPeak()
		res, err := ParseCSV(f, gpMapping)
		peak = max(peak, p.MB())
		f.Close()
		if err != nil || res.Used != int64(rows) {
			b.Fatalf("used %d of %d: %v", res.Used, rows, err)
		}
	}
	b.StopTimer()
	cpu := (processCPU() - cpu0) / time.Duration(b.N)
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(cpu.Seconds(), "cpu-s/op")
	b.ReportMetric(float64(rows)/perOp.Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-MB")
	b.ReportMetric(float64(rows), "rows")
	sqliteCompare(b, path, rows, perOp)
}

// processCPU is the user + system time of this process so far (all
// threads: the parse and the garbage collector).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sqliteCompare times the sqlite3 command-line shell importing the same
// file into an in-memory table and computing the same aggregates with
// GROUP BY (week, role: count, mean, buckets, doubles).
func sqliteCompare(b *testing.B, path string, rows int, ours time.Duration) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Logf("sqlite3 not found (apt-get install sqlite3): comparison skipped")
		return
	}
	// Dutch "dd-mm-yyyy hh:mm" to ISO for julianday/strftime.
	iso := func(col string) string {
		return fmt.Sprintf("(substr(%[1]s,7,4)||'-'||substr(%[1]s,4,2)||'-'||substr(%[1]s,1,2)||' '||substr(%[1]s,12,5))", col)
	}
	dur := fmt.Sprintf("((julianday(%s)-julianday(%s))*1440)", iso(`"Eindtijd"`), iso(`"Begintijd"`))
	script := strings.Join([]string{
		".mode csv",
		".separator ;",
		".import '" + path + "' a",
		// MATERIALIZED: compute each row's day and length once.
		"WITH x AS MATERIALIZED (SELECT substr(\"Begintijd\",7,4)||'-'||substr(\"Begintijd\",4,2)||'-'||substr(\"Begintijd\",1,2) AS day," +
			" \"Behandelaar\" AS r, \"Afspraaksoort\" AS t, " + dur + " AS d FROM a)" +
			" SELECT strftime('%Y-%W', day), r, count(*), avg(d), sum(d<10), sum(d>=10 AND d<15), sum(d>=15 AND d<20)," +
			" sum(d>=20 AND d<30), sum(d>=30), sum(t LIKE '%dubbel%' OR d>=20) FROM x GROUP BY 1, 2;",
		"SELECT count(*) FROM a;",
	}, "\n")
	cmd := exec.Command(bin, ":memory:")
	cmd.Stdin = strings.NewReader(script)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		b.Logf("sqlite3 failed: %v %s", err, errb.String())
		return
	}
	var last string
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		last = sc.Text()
	}
	if last != strconv.Itoa(rows) {
		b.Logf("sqlite3 imported %q rows, want %d", last, rows)
	}
	var cpu time.Duration
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(wall.Seconds(), "sqlite3-s")
	b.ReportMetric(cpu.Seconds(), "sqlite3-cpu-s")
	b.ReportMetric(float64(rows)/wall.Seconds(), "sqlite3-rows/s")
	b.Logf("%d rows: agenda.ParseCSV %.2f s wall (%.0f rows/s); sqlite3 .import + GROUP BY %.2f s wall, %.2f s CPU (%.0f rows/s)",
		rows, ours.Seconds(), float64(rows)/ours.Seconds(), wall.Seconds(), cpu.Seconds(), float64(rows)/wall.Seconds())
}

// BenchmarkAgendaFHIR parses FHIR NDJSON (rows per op = b.N × 10,000).
func BenchmarkAgendaFHIR(b *testing.B) {
	var buf bytes.Buffer
	const rows = 10_000
	if err := GenerateFHIR(&buf, Gen{Rows: rows, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseFHIR(bytes.NewReader(data), Mapping{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
