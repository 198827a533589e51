"""docs/openapi.yaml against the live gateway (issue 14, item 28): schemathesis generates requests
from the document for every operation, valid and invalid, and checks that no answer is a 5xx,
that every status is one the document lists, and that every body matches its schema. Bounded in
time; what would end the test's own login (sign-out, resetting its two-step) is left out."""
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_the_gateway_answers_as_its_openapi_document_says(gateway, tmp_path):
    token = gateway.login()
    result = subprocess.run(
        [str(SCHEMATHESIS), "run", str(ROOT / "docs" / "openapi.yaml"), "--url", gateway.url,
         "--header", f"Authorization: Bearer {token}",
         "--checks", "not_a_server_error,status_code_conformance,response_schema_conformance",
         # One worker: with two threads, Python 3.11's ast module can raise a spurious SystemError
         # ("AST constructor recursion depth mismatch", CPython gh-106905) inside schemathesis.
         "--phases", "examples,coverage,fuzzing", "--max-time", "90", "--workers", "1",
         # A fixed seed: every run (CI's and yours) generates the same requests, so a failure reproduces.
         "--seed", "20261202",
         "--exclude-path", "/api/v1/auth/logout", "--exclude-path", "/api/v1/admin/technicians/{id}/two-step/reset"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    failures = result.stdout.find("FAILURES")
    report = result.stdout[failures:failures + 6000] if failures >= 0 else result.stdout[-6000:]
    assert result.returncode == 0, report
    # The login lasted the whole run, so the authenticated operations were really exercised.
    assert gateway.api("GET", "me", token=token)[0] == 200
