"""Message catalogs (A3, A4): every language has every key of English with the same placeholders,
no empty texts, and every key the pages and scripts use exists — so no page shows a raw key or
mixes languages."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "Web"
CATALOGS = sorted(path for path in (WEB / "i18n").glob("*/*.json")) + sorted((ROOT / "Sources" / "LifelineApplet" / "Catalogs").glob("*.json"))
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_catalog_has_every_key_with_the_same_placeholders(path):
    english = load(path.parent / "en.json")
    catalog = load(path)
    assert sorted(set(english) - set(catalog)) == [], "missing keys"
    assert sorted(set(catalog) - set(english)) == [], "keys English does not have"
    for key, text in catalog.items():
        assert isinstance(text, str) and text.strip(), f"{key} is empty"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), f"{key}: placeholders differ"


def used_keys(folder_names, catalog):
    """Keys the HTML (data-i18n…) and the scripts (t('…')) of those folders use; dynamic keys are skipped."""
    keys = set()
    for folder in folder_names:
        for path in (WEB / folder).rglob("*"):
            if path.suffix == ".html":
                keys |= set(re.findall(r'data-i18n(?:-placeholder|-title|-label)?="([^"]+)"', path.read_text(encoding="utf-8")))
            elif path.suffix == ".js":
                keys |= set(re.findall(r"\bt\('([a-zA-Z0-9_.]+)'", path.read_text(encoding="utf-8")))
    return keys


@pytest.mark.parametrize("catalog,folders", [
    ("console", ["console", "components", "collaborator"]),
    ("customer", ["customer"]),
    ("admin", ["admin"]),
])
def test_every_key_the_pages_use_is_in_english(catalog, folders):
    english = load(WEB / "i18n" / catalog / "en.json")
    missing = sorted(key for key in used_keys(folders, catalog) if key not in english)
    assert missing == []


APPLET = ROOT / "Sources" / "LifelineApplet"


def test_the_applet_has_the_customer_languages_and_every_key_its_code_uses():
    customer = sorted(path.stem for path in (WEB / "i18n" / "customer").glob("*.json"))
    assert sorted(path.stem for path in (APPLET / "Catalogs").glob("*.json")) == customer
    english = load(APPLET / "Catalogs" / "en.json")
    used = set()
    for folder in [APPLET, ROOT / "Sources" / "LifelineAppletWindow", ROOT / "Sources" / "lifeline-applet"]:
        for path in folder.glob("*.swift"):
            source = path.read_text(encoding="utf-8")
            used |= set(re.findall(r'\btext\("([a-z_.]+)"', source)) | set(re.findall(r'note\(key: "([a-z_.]+)"', source))
            # Keys picked by a condition: text(flag ? "a" : "b").
            used |= set(re.findall(r'\? "([a-z_]+\.[a-z_.]+)" : "[a-z_.]+"', source)) | set(re.findall(r'\? "[a-z_.]+" : "([a-z_]+\.[a-z_.]+)"', source))
    assert len(used) > 50
    assert sorted(key for key in used if key not in english) == []


def test_no_catalog_is_english_left_untranslated():
    """A copied English catalog would pass the key test and still show English: most texts must differ."""
    for folder in [WEB / "i18n" / "console", WEB / "i18n" / "customer", WEB / "i18n" / "admin", WEB / "i18n" / "errors", APPLET / "Catalogs"]:
        english = load(folder / "en.json")
        for path in folder.glob("*.json"):
            if path.stem == "en":
                continue
            catalog = load(path)
            same = [key for key, text in catalog.items() if text == english[key]]
            assert len(same) < len(english) / 4, f"{path.parent.name}/{path.name}: {len(same)} texts still English"


def test_every_logged_event_has_its_console_wording():
    """The gateway's log lines (SessionLogEvent.swift: one case per line; SessionLogEvent+Code.swift:
    its code; SessionLogEvent+English.swift: its English)
    are worded by each console: each code has a `log.<code>` key whose English is the gateway's own."""
    source = "".join((ROOT / "Sources" / "LifelineProtocol" / name).read_text(encoding="utf-8")
                     for name in ["SessionLogEvent.swift", "SessionLogEvent+Code.swift", "SessionLogEvent+English.swift"])
    gateway = dict(re.findall(r'^\s+"([a-z_]+)": "(.*)",$', source, re.M))
    assert len(gateway) > 30
    english = load(WEB / "i18n" / "console" / "en.json")
    assert {code: english.get(f"log.{code}") for code in gateway} == gateway
    # Every case's code (the `code` switch) has a wording: a case added without one fails here.
    codes = set(re.findall(r'^\s+case \.[A-Za-z]+: "([a-z_]+)"$', source, re.M))
    assert len(codes) > 30
    assert sorted(codes - set(gateway)) == [], "every event the gateway logs has a wording"


def test_every_error_code_is_worded_in_every_console_language():
    """The gateway's error codes (ErrorCode.swift) are worded in Web/i18n/errors, in each console
    language, so no banner shows the gateway's English in another language."""
    source = (ROOT / "Sources" / "LifelineGateway" / "ErrorCode.swift").read_text(encoding="utf-8")
    codes = {raw or name for name, raw in re.findall(r'^\s+case (\w+)(?: = "(\w+)")?$', source, re.M)}
    assert len(codes) > 90
    errors = WEB / "i18n" / "errors"
    assert sorted(codes ^ set(load(errors / "en.json"))) == [], "the English catalog has exactly the gateway's codes"
    console = sorted(path.stem for path in (WEB / "i18n" / "console").glob("*.json"))
    assert sorted(path.stem for path in errors.glob("*.json")) == console


def test_every_audit_action_is_worded_in_every_admin_language():
    """The audit log's actions (AuditAction in AuditChain.swift) are worded in the Admin Center's
    catalogs, so its Audit tab never shows a raw key (five were missing before this test)."""
    source = (ROOT / "Sources" / "LifelineCore" / "AuditChain.swift").read_text(encoding="utf-8")
    body = source.split("public enum AuditAction")[1].split("\n}\n")[0]
    actions = set(re.findall(r'case \w+ = "(\w+)"', body))
    assert len(actions) > 40
    for catalog in sorted((WEB / "i18n" / "admin").glob("*.json")):
        words = load(catalog)
        missing = sorted(action for action in actions if f"audit.{action}" not in words)
        assert missing == [], f"{catalog.name} lacks {missing}"
