package auth

import (
	"net"
	"net/http"
)

// ClientIP is the remote address of a request, the address throttling and
// the authentication log use. Forwarded headers are not trusted: behind a
// proxy the operator terminates there.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
