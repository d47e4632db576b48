"""The accessibility checker itself: it must be able to fail.

A page served by a fake origin (no Django needed) has an image without text, a text
in pale grey on white and an unnamed button: axe-core, run by the conftest's tracker
on load, has to report them, and the test's final check has to turn them into a
failure with a readable message.
"""

import base64

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ORIGIN = "http://a11y.test"
BROKEN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Broken on purpose</title>
<style>.pale { color: #ccc; background: #fff; }</style></head>
<body><main>
<h1>Broken on purpose</h1>
<img src="/chart.png">
<p class="pale">Text too pale to read.</p>
<button type="button"></button>
<a href="/fine/">A fine page</a>
</main></body></html>"""
GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
FINE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fine</title></head>
<body><main><h1>Fine</h1><p>Nothing wrong here.</p></main></body></html>"""


@pytest.fixture
def site(page):
    pages = {f"{ORIGIN}/broken/": BROKEN, f"{ORIGIN}/fine/": FINE}

    def serve(route):
        url = route.request.url
        if url == f"{ORIGIN}/chart.png":
            return route.fulfill(content_type="image/gif", body=GIF)
        route.fulfill(
            status=200 if url in pages else 404,
            content_type="text/html",
            # Scripts from the page's origin only, like the application: axe is injected by
            # Playwright, not by a <script>. (The inline <style> stays allowed.)
            headers={"Content-Security-Policy": "script-src 'self'; object-src 'none'"},
            body=pages.get(url, ""),
        )

    page.context.route(f"{ORIGIN}/**", serve)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return page


def test_axe_reports_serious_and_critical_violations_on_load(site, a11y):
    site.goto(f"{ORIGIN}/broken/")
    expect(site.get_by_role("heading", name="Broken on purpose")).to_be_visible()
    # The check on load reports through the binding, a little after the load itself.
    site.wait_for_function("() => window.__a11y !== undefined")
    site.evaluate("() => window.__a11y.run('wait for the load check')")
    found = {(v["id"], v["impact"], v["url"]) for v in a11y.take()}
    assert {
        ("image-alt", "critical", f"{ORIGIN}/broken/"),
        ("color-contrast", "serious", f"{ORIGIN}/broken/"),
        ("button-name", "critical", f"{ORIGIN}/broken/"),
    } <= found
    assert a11y.checked[f"{ORIGIN}/broken/"] >= 1
    assert site.console_errors == []  # no CSP refusal, no script error
    # Left open on the broken page, the end-of-test check would find them all again.
    site.goto(f"{ORIGIN}/fine/")


def test_the_failure_names_rule_page_and_element(site, a11y):
    site.goto(f"{ORIGIN}/broken/")
    violations = a11y.check(site)
    assert "image-alt" in {v["id"] for v in violations}
    with pytest.raises(pytest.fail.Exception) as failure:
        a11y.finish()  # what the conftest's hook calls once the test body has passed
    message = str(failure.value)
    assert "[critical] image-alt: Images must have alternative text" in message
    assert f"page: {ORIGIN}/broken/" in message
    assert '- img  <img src="/chart.png">' in message
    assert "[serious] color-contrast" in message
    assert '- p  <p class="pale">' in message
    a11y.take()
    site.goto(f"{ORIGIN}/fine/")


def test_a_page_left_before_its_check_is_checked_again(site, a11y):
    site.goto(f"{ORIGIN}/fine/")
    site.evaluate("() => window.__a11y.run('settle')")
    # As if the test had moved on before axe could report: the page counts as unchecked.
    a11y.checked.clear()
    site.goto("about:blank")
    a11y.finish()
    assert a11y.checked[f"{ORIGIN}/fine/"] >= 1
    assert a11y.take() == []


def test_a_clean_page_passes(site, a11y):
    site.goto(f"{ORIGIN}/fine/")
    assert a11y.check(site) == []
    a11y.assert_clean()
