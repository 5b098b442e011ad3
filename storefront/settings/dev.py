"""Local development: SQLite, console e-mail, local media, debug on."""

from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Demo bank account for VietQR (Vietcombank's BIN, an invented account): never paid into.
OCOP_VIETQR_BANK_BIN = "970436"
OCOP_VIETQR_ACCOUNT = "0011001234567"
OCOP_VIETQR_ACCOUNT_NAME = "HTX OCOP DEMO"
