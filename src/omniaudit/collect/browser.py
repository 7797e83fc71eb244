"""JavaScript rendering with Playwright driving Debian's Chromium: one browser, a small pool of reused pages.

Playwright is imported only when a page actually needs rendering, so crawls of static sites never pay for it.
The browser is closed in `close()`, which the crawler calls from a `finally:` block, so it also goes away
when the crawl fails or the user presses Ctrl-C (asyncio cancels the crawl and the `finally:` still runs).
Ctrl-C in a terminal also reaches Playwright's driver and Chromium (one process group): they exit at once,
and the driver's "connection closed" errors, which nobody awaits any more, are kept out of the user's
terminal (see `_quiet_driver_errors`), so an interrupted run prints only "interrupted".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import MissingDependency

log = logging.getLogger(__name__)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Text is what the audit reads: images, media and fonts only cost time.
_SKIPPED_RESOURCES = frozenset({"image", "media", "font"})
# After `load`, wait until no request has been in flight for _QUIET_S (the page's own data requests have
# settled), but at most _SETTLE_S: Playwright's "networkidle" always waits 500 ms, even for a page that
# requested nothing after load, which halves throughput on ordinary pages.
_QUIET_S = 0.2
_SETTLE_S = 3.0


class BrowserRenderer:
    """`await start()`, then `await render(url)` from several tasks at once (up to `pages` concurrently),
    then `await close()`. `blocked(url)` True aborts that request (robots.txt-disallowed resources)."""

    def __init__(
        self,
        executable: str = "/usr/bin/chromium",
        user_agent: str | None = None,
        pages: int = 4,
        timeout: float = 20.0,
        blocked: Callable[[str], bool] | None = None,
    ) -> None:
        self.executable = executable
        self.user_agent = user_agent
        self.max_pages = max(1, pages)
        self.timeout_ms = int(timeout * 1000)
        self.blocked = blocked
        self._playwright: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._idle: asyncio.Queue[Any] = asyncio.Queue()
        self._created = 0
        self._in_flight: dict[int, int] = {}  # requests in flight per page (by id)
        self._lock = asyncio.Lock()
        self.rendered = 0

    async def start(self) -> None:
        try:
            from playwright.async_api import async_playwright
        except ImportError:  # a slim install: playwright is the optional extra `render`
            raise MissingDependency(
                "playwright is not installed; pip install 'omniaudit[render]', or use render: never"
            ) from None
        if not Path(self.executable).exists():
            raise MissingDependency(
                f"{self.executable}: Chromium not found; install it (apt-get install chromium) or set the "
                "channel's options.browser, or use render: never"
            )
        _quiet_driver_errors(asyncio.get_running_loop())
        self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=self.executable, headless=True, args=CHROMIUM_ARGS
            )
            self._context = await self._browser.new_context(
                user_agent=self.user_agent, service_workers="block", java_script_enabled=True
            )
            await self._context.route("**/*", self._route)
        except Exception as exc:
            await self.close()
            raise MissingDependency(f"{self.executable}: Chromium would not start: {exc}") from None

    async def _route(self, route: Any) -> None:
        request = route.request
        if request.resource_type in _SKIPPED_RESOURCES or (
            self.blocked is not None and self.blocked(request.url)
        ):
            await route.abort()
        else:
            await route.continue_()

    async def _acquire(self) -> Any:
        async with self._lock:
            if self._idle.empty() and self._created < self.max_pages:
                self._created += 1
                try:
                    page = await self._context.new_page()
                    self._track(page)
                    return page
                except Exception:
                    self._created -= 1
                    raise
        return await self._idle.get()

    async def render(self, url: str) -> str:
        """The page's HTML after its scripts ran (the DOM serialised), or an exception."""
        if self._context is None:
            await self.start()
        page = await self._acquire()
        healthy = True
        try:
            self._in_flight[id(page)] = 0
            await page.goto(url, wait_until="load", timeout=self.timeout_ms)
            await self._settle(page)
            html: str = await page.content()
            self.rendered += 1
            return html
        except Exception:
            healthy = False
            raise
        finally:
            if healthy:
                self._idle.put_nowait(page)
            else:
                # A page that failed may be stuck mid-navigation: replace it rather than reuse it.
                self._created -= 1
                try:
                    await page.close()
                except Exception:  # noqa: BLE001 - already broken
                    pass

    async def _settle(self, page: Any) -> None:
        """Wait for the network to go quiet; a page that polls forever is taken as it is at the cap."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(_SETTLE_S, self.timeout_ms / 1000)
        quiet_since: float | None = None
        while loop.time() < deadline:
            now = loop.time()
            if self._in_flight.get(id(page), 0) <= 0:
                quiet_since = quiet_since if quiet_since is not None else now
                if now - quiet_since >= _QUIET_S:
                    return
            else:
                quiet_since = None
            await asyncio.sleep(0.05)

    def _track(self, page: Any) -> None:
        key = id(page)

        def started(request: Any) -> None:
            self._in_flight[key] = self._in_flight.get(key, 0) + 1

        def ended(request: Any) -> None:
            self._in_flight[key] = max(0, self._in_flight.get(key, 0) - 1)

        page.on("request", started)
        page.on("requestfinished", ended)
        page.on("requestfailed", ended)

    async def close(self) -> None:
        context, browser, playwright = self._context, self._browser, self._playwright
        self._context = self._browser = self._playwright = None
        for closer in (context, browser):
            if closer is not None:
                try:
                    await closer.close()
                except Exception as exc:  # noqa: BLE001 - keep closing the rest
                    log.debug("closing %r failed: %s", closer, exc)
        if playwright is not None:
            try:
                await playwright.stop()
            except Exception as exc:  # noqa: BLE001
                log.debug("stopping playwright failed: %s", exc)


def _from_driver(error: object) -> bool:
    """An error that only says Playwright's driver (or the browser behind it) went away."""
    if not isinstance(error, Exception):
        return False
    return type(error).__module__.startswith("playwright") or "from the driver" in str(error)


def _quiet_driver_errors(loop: asyncio.AbstractEventLoop) -> None:
    """Errors of a dead driver that no task awaits go to the debug log instead of asyncio's "Future exception
    was never retrieved" and its traceback on stderr; every other error goes to the handler there was.

    When the driver dies (Ctrl-C reaches the whole process group, or it crashes), each call in flight already
    fails with its own error, which the crawl handles; the driver's connection future also holds the error
    but is awaited only while Playwright starts, so asyncio reports it when it is garbage-collected."""
    previous = loop.get_exception_handler()
    if getattr(previous, "quiets_driver_errors", False):
        return

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if _from_driver(context.get("exception")):
            log.debug("browser driver: %s: %s", context.get("message"), context.get("exception"))
        elif previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    handler.quiets_driver_errors = True  # type: ignore[attr-defined]
    loop.set_exception_handler(handler)
