"""Project-level checks: migrations are complete, production settings pass --deploy
and refuse to start without their secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ENV = {
    "DJANGO_SECRET_KEY": "x7#kq9!sample-only-secret-key-for-the-deploy-check-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "ocop.example.vn",
    "OCOP_DATABASE_URL": "postgres://ocop:secret@db.example.vn:5432/ocop",
    "OCOP_BASE_URL": "https://ocop.example.vn",
    "OCOP_VIETQR_BANK_BIN": "970436",
    "OCOP_VIETQR_ACCOUNT": "0011001234567",
    "OCOP_VIETQR_ACCOUNT_NAME": "HTX OCOP",
}
VIETQR_ENV = {"OCOP_VIETQR_BANK_BIN", "OCOP_VIETQR_ACCOUNT", "OCOP_VIETQR_ACCOUNT_NAME"}


def run_manage(*args, env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.django_db
def test_makemigrations_is_clean():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**SAMPLE_ENV, "DJANGO_SETTINGS_MODULE": "storefront.settings.production"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", sorted(SAMPLE_ENV))
def test_production_refuses_to_start_without_a_secret(missing):
    env = {k: v for k, v in SAMPLE_ENV.items() if k != missing}
    result = run_manage("check", env={**env, "DJANGO_SETTINGS_MODULE": "storefront.settings.production"})
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///ocop.sqlite3",
        "mysql://ocop@db.example.vn/ocop",
        "postgres://ocop@db.example.vn:5432/",
        "postgres://ocop@db.example.vn:port/ocop",
    ],
)
def test_production_refuses_a_database_url_that_is_not_postgresql(url):
    env = {**SAMPLE_ENV, "OCOP_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "storefront.settings.production"}
    result = run_manage("check", env=env)
    assert result.returncode != 0 and "OCOP_DATABASE_URL" in result.stderr


def test_production_needs_no_bank_account_when_vietqr_is_off():
    env = {k: v for k, v in SAMPLE_ENV.items() if k not in VIETQR_ENV}
    env.update(OCOP_VIETQR_ENABLED="0", DJANGO_SETTINGS_MODULE="storefront.settings.production")
    result = run_manage("check", env=env)
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_weak_secret_key():
    env = {**SAMPLE_ENV, "DJANGO_SECRET_KEY": "short", "DJANGO_SETTINGS_MODULE": "storefront.settings.production"}
    result = run_manage("check", env=env)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
