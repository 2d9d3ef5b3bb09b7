package web

import (
	"net/http"
)

// A confirmation step that needs no script: a destructive form posts
// without confirm=1 and gets this page, whose button posts the same form
// again with confirm=1.

type confirmData struct {
	Title, Message, Button string
	Action, Back           string
	Hidden                 []hiddenField
}

// confirmed reports whether the user confirmed; if not, it renders the
// confirmation page (keeping the posted fields named in keep) and the
// handler returns.
func (s *Server) confirmed(w http.ResponseWriter, r *http.Request, d confirmData, keep ...string) (bool, error) {
	if r.PostFormValue("confirm") == "1" {
		return true, nil
	}
	d.Action = r.URL.Path
	for _, k := range keep {
		d.Hidden = append(d.Hidden, hiddenField{Name: k, Value: r.PostFormValue(k)})
	}
	v := s.newView(r, d)
	return false, s.render(w, r, http.StatusOK, "confirm", v)
}
