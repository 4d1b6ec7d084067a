"""Staff web pages: server-rendered jinja2, signed in by an HttpOnly cookie, CSRF-checked forms."""
