package auth

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

const sampleURL = "otpauth://totp/meertijd:marieke@zio.nl?algorithm=SHA1&digits=6&issuer=meertijd&period=30&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func dark(img image.Image, x, y int) bool {
	r, _, _, _ := img.At(x, y).RGBA()
	return r < 0x8000
}

// The PNG is the library's QR matrix drawn at whole pixels per module,
// centred, with at least the 4-module quiet zone.
func TestQRCodePNG(t *testing.T) {
	const size = 220
	b, err := QRCodePNG(sampleURL, size)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, size, size) {
		t.Fatalf("bounds %v", img.Bounds())
	}
	code, _ := qr.Encode(sampleURL, qr.M, qr.Auto)
	n := code.Bounds().Dx()
	scale := size / (n + 8)
	off := (size - n*scale) / 2
	if scale < 1 || off < 4*scale {
		t.Fatalf("n=%d scale=%d off=%d: no quiet zone", n, scale, off)
	}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			mx, my := (x-off)/scale, (y-off)/scale
			want := false
			if x >= off && y >= off && mx < n && my < n {
				want = dark(code, mx, my)
			}
			if got := dark(img, x, y); got != want {
				t.Fatalf("pixel (%d,%d) dark=%v, want %v (module %d,%d)", x, y, got, want, mx, my)
			}
		}
	}
	// The finder pattern's corner is dark: the matrix is not empty.
	if !dark(img, off, off) || !dark(img, off+n*scale-1, off) {
		t.Fatal("finder patterns missing")
	}
}

func TestQRCodePNGTooSmall(t *testing.T) {
	if _, err := QRCodePNG(sampleURL, 40); err == nil {
		t.Fatal("a QR code that cannot fit was rendered")
	}
}

func TestQRCodeDataURI(t *testing.T) {
	s, err := QRCodeDataURI(sampleURL, 200)
	if err != nil {
		t.Fatal(err)
	}
	data, ok := strings.CutPrefix(s, "data:image/png;base64,")
	if !ok {
		t.Fatalf("URI starts %.40q", s)
	}
	b, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := QRCodePNG(sampleURL, 200)
	if !bytes.Equal(b, want) {
		t.Fatal("data URI does not hold the PNG")
	}
}

// When zbarimg (Debian zbar-tools) is installed, a real QR reader decodes
// the image back to the URL.
func TestQRCodeScans(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (apt-get install zbar-tools); the pixel test above still runs")
	}
	b, err := QRCodePNG(sampleURL, 220)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != sampleURL {
		t.Fatalf("scanned %q", got)
	}
}
