package yookassatest

import "net/http"

// controlRoutes serves the control API under /sim (see ControlAPI).
func (s *Server) controlRoutes(mux *http.ServeMux) {}
