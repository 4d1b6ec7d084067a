"""Loket's Chalice app: wires the blueprints and the middleware (security headers, Chalice's own
errors in Loket's words), nothing else."""

from __future__ import annotations

import logging

from chalice import Chalice

from chalicelib import log_context
from chalicelib.api import chalice_errors
from chalicelib.api.routes import api_bp
from chalicelib.security_headers import secure_headers
from chalicelib.staff.admin_pages import admin_bp
from chalicelib.staff.desk_pages import desk_bp
from chalicelib.staff.ikm_pages import ikm_bp
from chalicelib.staff.pages import staff_bp
from chalicelib.staff.report_pages import report_bp
from chalicelib.worker.handler import worker_bp

app = Chalice(app_name="loket")
app.log.setLevel(logging.INFO)
log_context.install()  # each log line carries the case it is about (chalicelib/log_context.py)
app.api.binary_types.append("application/pdf")
app.api.binary_types.append("multipart/form-data")  # SOP file uploads arrive byte for byte

app.register_blueprint(api_bp)
app.register_blueprint(staff_bp)
app.register_blueprint(admin_bp)
app.register_blueprint(desk_bp)
app.register_blueprint(ikm_bp)
app.register_blueprint(report_bp)
app.register_blueprint(worker_bp)
# CSP, HSTS, nosniff, Referrer-Policy, X-Frame-Options on every HTTP response (security_headers.py).
app.register_middleware(secure_headers, "http")
# Chalice's own 405/415/400 in Loket's words: JSON for the API, a page for /staff (api/chalice_errors.py).
app.register_middleware(chalice_errors.middleware(app), "http")
