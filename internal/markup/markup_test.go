package markup

import (
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Hallo", "<p>Hallo</p>\n"},
		{"een\ntwee\n\ndrie", "<p>een<br>twee</p>\n<p>drie</p>\n"},
		{"**vet** en niet", "<p><strong>vet</strong> en niet</p>\n"},
		{"2 ** 3", "<p>2 ** 3</p>\n"},
		{"- een\n- **twee**", "<ul><li>een</li><li><strong>twee</strong></li></ul>\n"},
		{"* een", "<ul><li>een</li></ul>\n"},
		{"Schrijf in:\n- een\n- twee\nDank.", "<p>Schrijf in:</p>\n<ul><li>een</li><li>twee</li></ul>\n<p>Dank.</p>\n"},
		{"Zie [de agenda](https://zio.nl/agenda?a=1&b=2).", `<p>Zie <a href="https://zio.nl/agenda?a=1&amp;b=2">de agenda</a>.</p>` + "\n"},
		{"[sessie](/regio/zio/scholing/sessies/3)", `<p><a href="/regio/zio/scholing/sessies/3">sessie</a></p>` + "\n"},
		{"[mail](mailto:info@zio.nl)", `<p><a href="mailto:info@zio.nl">mail</a></p>` + "\n"},
		// Everything else is escaped.
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{`[klik](javascript:alert(1))`, "<p>[klik](javascript:alert(1))</p>\n"},
		{`[klik](//evil.example/x)`, "<p>[klik](//evil.example/x)</p>\n"},
		{`[a"b](https://x.nl/" onclick="x)`, "<p>[a&#34;b](https://x.nl/&#34; onclick=&#34;x)</p>\n"},
		{`[<b>](https://x.nl)`, `<p><a href="https://x.nl">&lt;b&gt;</a></p>` + "\n"},
		{"**open", "<p>**open</p>\n"},
		{"  \n\n", ""},
	}
	for _, c := range cases {
		if got := string(Render(c.in)); got != c.want {
			t.Errorf("Render(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestText(t *testing.T) {
	got := Text("**Let op**: [agenda](https://zio.nl)\n\n- een")
	want := "Let op: agenda (https://zio.nl)\n\n- een"
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}

func FuzzRender(f *testing.F) {
	f.Add("**a** [b](https://c) <d>")
	f.Fuzz(func(t *testing.T, s string) {
		out := string(Render(s))
		for _, bad := range []string{"<script", `href="javascript:`, `href="//`, "<img", "<a href=\"\""} {
			if strings.Contains(strings.ToLower(out), bad) {
				t.Fatalf("%q rendered %q", s, out)
			}
		}
	})
}
