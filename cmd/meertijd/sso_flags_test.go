package main

import (
	"strings"
	"testing"
)

// serve refuses single sign-on flags that do not make a provider, naming
// what is wrong, before it opens anything.
func TestServeSSOFlagsChecked(t *testing.T) {
	c := newCLI(t)
	_, errs, code := c.run("", "serve", "--addr", "127.0.0.1:0", "--sso-issuer", "http://idp.elders.nl", "--sso-client-id", "app")
	if code != 2 || !strings.Contains(errs, "https-adres") || !strings.Contains(errs, "e-maildomein") {
		t.Fatalf("serve with bad sso flags: %d %q", code, errs)
	}
}
