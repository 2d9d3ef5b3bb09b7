package auth

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/boombuler/barcode/qr"
)

// qrQuietZone is the white border, in modules, that the QR specification
// requires around the code; scanners find codes without it less reliably.
const qrQuietZone = 4

// QRCodePNG renders content (an otpauth:// URL) as a size×size PNG QR
// code: error correction level M, whole pixels per module so edges stay
// sharp, and a quiet zone. It fails when size is too small for the code.
func QRCodePNG(content string, size int) ([]byte, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("auth: QR code: %w", err)
	}
	n := code.Bounds().Dx()
	scale := size / (n + 2*qrQuietZone)
	if scale < 1 {
		return nil, fmt.Errorf("auth: QR code of %d modules does not fit in %d pixels", n, size)
	}
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	off := (size - n*scale) / 2
	min := code.Bounds().Min
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if r, _, _, _ := code.At(min.X+x, min.Y+y).RGBA(); r != 0 {
				continue // light module
			}
			for dy := 0; dy < scale; dy++ {
				row := img.Pix[img.PixOffset(off+x*scale, off+y*scale+dy):]
				for dx := 0; dx < scale; dx++ {
					row[dx] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// QRCodeDataURI is QRCodePNG as a data: URI for <img src>, so the secret
// never travels in a separate, cacheable image request. html/template
// rejects data: URLs held in a plain string (it writes #ZgotmplZ): the
// caller must convert the result to template.URL.
func QRCodeDataURI(content string, size int) (string, error) {
	b, err := QRCodePNG(content, size)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b), nil
}
