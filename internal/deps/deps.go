// Package deps pins the modules the project uses while parts are being
// written in parallel, so go.mod stays stable. Remove once every module is
// imported by real code.
package deps

import (
	_ "github.com/alexedwards/scs/v2"
	_ "github.com/boombuler/barcode/qr"
	_ "github.com/chromedp/chromedp"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/johnfercher/maroto/v2"
	_ "github.com/pquerna/otp/totp"
	_ "github.com/pressly/goose/v3"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/crypto/argon2"
	_ "modernc.org/sqlite"
)
