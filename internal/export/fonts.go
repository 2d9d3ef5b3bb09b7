package export

import _ "embed"

// Liberation Sans (SIL Open Font License 1.1, from Debian's
// fonts-liberation), embedded so PDFs show Dutch text (ë, é, €) the same on
// every machine, metric-compatible with Arial.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	FontBold []byte
)

// FontFamily is the name PDFs register the embedded fonts under.
const FontFamily = "liberation"
