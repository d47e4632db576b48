import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
# Not under test-results/: pytest-playwright empties that folder at every start.
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"Chromium is not installed at {CHROMIUM}: browser tests must run in CI.")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def shoot(page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot(page):
    return lambda name: shoot(page, name)


# --- Accessibility: axe-core on every page the journeys reach -----------------------------
#
# Every browser context a journey opens (the `page` fixture's or `browser.new_context()`)
# gets axe-core as an init script: Playwright injects it through the DevTools protocol, so
# the CSP (script-src 'self', no inline script) does not apply and needs no bypass. In the
# page, axe runs after each `load` and after each HTMX swap, and reports back through an
# exposed binding. When the test body has passed, every open page is checked once more in
# its final state, and any URL the browser reached whose check could not finish (the test
# moved on too fast) is opened again in the same context and checked. A serious or critical
# violation, or a reached URL left unchecked, fails the test.

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

A11Y_RUNNER = """
(() => {
  if (window.top !== window || window.__a11y || !/^https?:$/.test(location.protocol)) return;
  const failing = new Set(%(impacts)s);
  let queue = Promise.resolve();
  const run = (reason) => {
    const url = location.href;
    const done = queue
      .then(() => axe.run(document, {resultTypes: ["violations"]}))
      .then(
        (results) => ({
          url,
          reason,
          violations: results.violations
            .filter((v) => failing.has(v.impact))
            .map((v) => ({
              id: v.id,
              impact: v.impact,
              help: v.help,
              helpUrl: v.helpUrl,
              nodes: v.nodes.map((n) => ({
                target: n.target.map((t) => [].concat(t).join(" >>> ")).join(" "),
                html: n.html.slice(0, 160),
              })),
            })),
        }),
        (error) => ({url, reason, error: String(error)}),
      );
    queue = done;
    return done;
  };
  const report = (reason) => run(reason).then((result) => window.__a11yReport(result));
  let swapTimer = null;
  window.__a11y = {run};
  window.addEventListener("load", () => setTimeout(() => report("load"), 0));
  document.addEventListener("htmx:afterSettle", () => {
    clearTimeout(swapTimer);
    // After Bootstrap's colour transitions (.15 s), which axe would read half-way.
    swapTimer = setTimeout(() => report("htmx swap"), 250);
  });
})();
"""


def _page_key(url: str) -> str:
    """A reached page: its URL without the fragment (a skip link does not make a new page)."""
    return url.split("#", 1)[0]


def _is_web(url: str) -> bool:
    return url.startswith(("http://", "https://"))


class A11yTracker:
    """Runs axe-core on every page a test's browser contexts reach; see the comment above."""

    def __init__(self, axe_source: str):
        self.script = axe_source + "\n" + A11Y_RUNNER % {"impacts": list(FAILING_IMPACTS)}
        self.contexts = []
        self.reached = {}  # page key -> the context that reached it
        self.checked = {}  # page key -> how many checks finished on it
        self.violations = {}  # (rule id, page key, targets) -> one violation, read for humans
        self.errors = []
        self.revisited = []  # page keys whose own check never came back, checked at the end

    # Wiring.
    def watch(self, context):
        if context in self.contexts:
            return context
        self.contexts.append(context)
        context.add_init_script(script=self.script)
        context.expose_binding("__a11yReport", lambda _source, result: self.record(result))
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)
        return context

    def _watch_page(self, page):
        def navigated(frame):
            if frame == page.main_frame and _is_web(frame.url):
                self.reached.setdefault(_page_key(frame.url), page.context)

        page.on("framenavigated", navigated)

    # Results.
    def record(self, result):
        if not result:
            return
        key = _page_key(result["url"])
        if "error" in result:
            self.errors.append(f"{key} ({result['reason']}): axe could not run: {result['error']}")
            return
        self.checked[key] = self.checked.get(key, 0) + 1
        for violation in result["violations"]:
            targets = tuple(node["target"] for node in violation["nodes"])
            self.violations.setdefault(
                (violation["id"], key, targets), {**violation, "url": key, "when": result["reason"]}
            )

    def check(self, page, reason="explicit check"):
        """Run axe now on the page as it is (an open menu, a swapped fragment...)."""
        if not _is_web(page.url):
            raise ValueError(f"axe only runs on web pages, not on {page.url}")
        page.wait_for_load_state("load")
        if not page.evaluate("() => Boolean(window.__a11y)"):
            page.evaluate(self.script)  # a page opened before its context was watched
        result = page.evaluate("reason => window.__a11y.run(reason)", reason)
        self.record(result)
        return result.get("violations", [])

    def take(self):
        """Hand over the violations found so far and forget them (for the checker's own test)."""
        found, self.violations = list(self.violations.values()), {}
        return found

    def finish(self):
        """Check every open page as it ends, then any reached page whose check never came."""
        for context in self.contexts:
            for page in context.pages:
                if not page.is_closed() and _is_web(page.url):
                    self._check_settled(page, "end of test")
        for key, context in list(self.reached.items()):
            if key in self.checked:
                continue
            try:
                page = context.new_page()
            except PlaywrightError as error:  # the test closed the context itself
                self.errors.append(f"{key}: could not be opened again to check it: {error}")
                continue
            try:
                page.goto(key)
                self._check_settled(page, "checked again after the test")
                self.checked.setdefault(key, 1)
                self.revisited.append(key)
            finally:
                page.close()
        self.assert_clean()

    def _check_settled(self, page, reason):
        # A page still loading (a redirect, a form just sent) loses its script context.
        try:
            self.check(page, reason)
        except PlaywrightError:
            page.wait_for_load_state("load")
            self.check(page, reason)

    @staticmethod
    def paths(keys):
        """Page keys as path templates (no address, no ids), to count pages across tests."""
        templates = set()
        for key in keys:
            url = urlsplit(key)
            path = re.sub(r"/\d+(?=/|$)", "/<id>", url.path)
            query = re.sub(r"=\d+(?=&|$)", "=<id>", url.query)
            templates.add(f"{path}?{query}" if query else path)
        return templates

    def assert_clean(self):
        problems = []
        unchecked = sorted(set(self.reached) - set(self.checked))
        if unchecked:
            problems.append("Pages reached but never checked by axe: " + ", ".join(unchecked))
        problems.extend(self.errors)
        # One entry per rule and elements, with every page where they fail.
        grouped = {}
        for violation in self.violations.values():
            targets = tuple(node["target"] for node in violation["nodes"])
            grouped.setdefault((violation["id"], targets), []).append(violation)
        for same in grouped.values():
            violation = same[0]
            lines = [
                f"[{violation['impact']}] {violation['id']}: {violation['help']}",
                f"  see: {violation['helpUrl']}",
            ]
            lines += [f"  page: {v['url']} ({v['when']})" for v in same]
            lines += [f"  - {node['target']}  {node['html']}" for node in violation["nodes"]]
            problems.append("\n".join(lines))
        if problems:
            pytest.fail(
                f"Accessibility (axe-core, impact {' or '.join(FAILING_IMPACTS)}):\n\n"
                + "\n\n".join(problems),
                pytrace=False,
            )


A11Y_KEY = pytest.StashKey[A11yTracker]()
CHECKED_PATHS = set()  # every page checked in the session, for the summary
REVISITED = set()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        message = f"{AXE.relative_to(ROOT)} is missing: run `npm ci` at the repository root."
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def a11y(request, monkeypatch):
    """Every browser context of the test is watched by axe-core; see A11yTracker."""
    if "browser" not in request.fixturenames and "page" not in request.fixturenames:
        yield None
        return
    tracker = A11yTracker(request.getfixturevalue("axe_source"))
    new_context, new_page = Browser.new_context, Browser.new_page
    monkeypatch.setattr(
        Browser, "new_context", lambda self, **kw: tracker.watch(new_context(self, **kw))
    )

    def watched_new_page(self, **kwargs):
        page = new_page(self, **kwargs)
        tracker.watch(page.context)
        return page

    monkeypatch.setattr(Browser, "new_page", watched_new_page)
    request.node.stash[A11Y_KEY] = tracker
    yield tracker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # After the test body and before the fixtures close the browser contexts; only when the
    # body passed, so that its own failure is the one reported.
    result = yield
    tracker = item.stash.get(A11Y_KEY, None)
    if tracker is not None:
        try:
            tracker.finish()
        finally:
            CHECKED_PATHS.update(tracker.paths(tracker.checked))
            REVISITED.update(tracker.paths(tracker.revisited))
    return result


def pytest_terminal_summary(terminalreporter):
    if CHECKED_PATHS:
        terminalreporter.write_line(
            f"axe-core: {len(CHECKED_PATHS)} distinct pages checked "
            f"({len(REVISITED)} opened again after their test, the test having moved on)."
        )
        if terminalreporter.config.get_verbosity() > 0:
            for path in sorted(CHECKED_PATHS):
                again = " (opened again)" if path in REVISITED else ""
                terminalreporter.write_line(f"  {path}{again}")
