"""Crawl benchmark: omniaudit's website connector vs Scrapy on the same generated local site, same run.

    python bench/bench_crawl.py        # 1,000 pages, concurrency 8, Scrapy from /tmp/scrapy-venv
    python bench/bench_crawl.py --pages 1000 --concurrency 8 --render-pages 300 --repeat 3 --markdown

Scrapy is not a project dependency; install it in its own venv for the benchmark only:

    python3 -m venv /tmp/scrapy-venv && /tmp/scrapy-venv/bin/pip install scrapy

What is measured, each crawler in its own fresh process (so imports and memory do not leak between runs):
- static: every page fetched over HTTP/1.1 keep-alive, robots.txt obeyed, links followed breadth-first, the
  page's text extracted (omniaudit: scoped text blocks; Scrapy: all body text nodes via its selectors);
- rendered: omniaudit with `render: always` (Chromium via Playwright) on the first `--render-pages` pages.
pages/s = pages / crawl seconds (measured inside the child, imports excluded); peak memory = the highest
total PSS of the crawler's process tree (Chromium included), sampled every 50 ms.

The site is served from memory by a small asyncio HTTP/1.1 server in a separate process, so the server is
not what is being measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "outdoor gear built last lifetime repaired free long own trail jacket waterproof breathable delivery "
    "returns days support hours phone store portland river street team people outside mountain weather "
    "layer warm light pack boots tent season guide repair programme recycled wool cotton down fill zipper"
).split()


# -- the site ---------------------------------------------------------------------------------------------


def generate_site(folder: Path, pages: int, seed: int = 7) -> None:
    """`pages` HTML pages of ~6 KB: index -> 20 sections -> pages; every page links to neighbours and a few
    pseudo-random pages, plus header, nav and footer boilerplate like a real brand site."""
    rng = random.Random(seed)
    sections = 20
    folder.mkdir(parents=True, exist_ok=True)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        return " ".join(words).capitalize() + "."

    def url(i: int) -> str:
        return "/" if i == 0 else f"/s{i % sections}/p{i}.html"

    nav = "".join(f'<li><a href="/s{s}/p{s if s else sections}.html">Section {s}</a></li>' for s in range(8))
    for i in range(pages):
        links = {url(0), url((i + 1) % pages), url((i - 1) % pages)}
        if i == 0:
            links |= {url(j) for j in range(1, min(pages, sections * 3))}
        links |= {url(rng.randrange(pages)) for _ in range(6)}
        body_links = "".join(
            f'<li><a href="{link}">Related {n}</a></li>' for n, link in enumerate(sorted(links))
        )
        paragraphs = "".join(f"<p>{' '.join(sentence() for _ in range(4))}</p>\n" for _ in range(6))
        html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Page {i} | Northwind</title>
<meta name="description" content="{sentence()}"><meta property="og:title" content="Page {i}">
<link rel="stylesheet" href="/style.css"></head>
<body><header><a href="/">Northwind</a><nav><ul>{nav}</ul></nav></header>
<main><h1>Page {i}</h1>
{paragraphs}<h2>Related</h2><ul>{body_links}</ul></main>
<footer><p>Call +1 800 555 0199, Monday to Friday, 8am-8pm.</p>
<p><a href="https://instagram.com/northwind">Instagram</a>
<a href="mailto:help@northwind.example">Email</a></p>
</footer></body></html>
"""
        path = folder / url(i).lstrip("/") if i else folder / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")


# -- the server (a child process) -------------------------------------------------------------------------


def serve_folder(folder: Path) -> None:
    """HTTP/1.1 keep-alive server for `folder`, from memory; prints its port, runs until stdin closes."""
    files: dict[str, bytes] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            files["/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    files["/"] = files["/index.html"]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode("latin-1").split("?")[0]
                body = files.get(target)
                if body is None:
                    status, body, kind = "404 Not Found", b"not found", "text/plain"
                else:
                    status = "200 OK"
                    kind = "text/plain" if target.endswith(".txt") else "text/html; charset=utf-8"
                header = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n"
                writer.write(header.encode("ascii") + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        print(server.sockets[0].getsockname()[1], flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
        server.close()

    asyncio.run(main())


# -- crawlers (child processes) ---------------------------------------------------------------------------


def crawl_omniaudit(url: str, max_pages: int, concurrency: int, render: str) -> dict[str, object]:
    from omniaudit.collect import CollectContext, get_connector
    from omniaudit.config import Channel

    options = {
        "max_pages": max_pages,
        "concurrency": concurrency,
        "render": render,
        "sitemaps": False,
        "cache": False,
        "retries": 1,
        "timeout": 30,
    }
    channel = Channel(id="bench", type="website", connector="website", source=url, options=options)
    connector = get_connector(channel, CollectContext(base_dir=Path(".")))
    started = time.perf_counter()
    result = connector.collect()
    seconds = time.perf_counter() - started
    blocks = sum(len(doc.blocks) for doc in result.documents)
    return {
        "pages": len(result.documents),
        "failures": len(result.failures),
        "seconds": seconds,
        "blocks": blocks,
    }


def crawl_scrapy(url: str, max_pages: int, concurrency: int) -> dict[str, object]:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor

    host = url.split("/")[2].split(":")[0]
    counts = {"pages": 0, "texts": 0}

    class SiteSpider(scrapy.Spider):
        name = "site"
        start_urls = [url]
        allowed_domains = [host]  # the offsite middleware keeps the crawl on the site
        custom_settings = {
            "DEPTH_PRIORITY": 1,  # breadth-first, like omniaudit
            "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
            "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        }
        extractor = LinkExtractor()

        def parse(self, response):
            counts["pages"] += 1
            texts = [t.strip() for t in response.xpath("//body//text()[not(ancestor::script)]").getall()]
            counts["texts"] += sum(1 for t in texts if t)
            response.xpath("//title/text()").get()
            for link in self.extractor.extract_links(response):
                yield response.follow(link.url, callback=self.parse)

    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "ERROR",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "CLOSESPIDER_PAGECOUNT": max_pages,
            "COOKIES_ENABLED": False,
            "RETRY_TIMES": 1,
            "USER_AGENT": "scrapy-bench",
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        }
    )
    process.crawl(SiteSpider)
    started = time.perf_counter()
    process.start()
    seconds = time.perf_counter() - started
    return {"pages": counts["pages"], "failures": 0, "seconds": seconds, "blocks": counts["texts"]}


# -- measuring --------------------------------------------------------------------------------------------


def _tree_memory(pid: int) -> int:
    """Total PSS (bytes) of `pid` and all its descendants: PSS splits shared pages between the processes that
    share them, so Chromium's many processes are not counted several times over (RSS would be)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


def run_child(python: str, args: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [python, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_memory(process.pid))
        time.sleep(0.05)
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{args[:2]} failed ({process.returncode}):\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mib"] = peak / 2**20
    # CPU seconds of the whole child (imports included), Chromium's processes too: load on the machine
    # changes wall-clock rates, much less the CPU each crawler spends.
    result["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--render-pages", type=int, default=300, help="pages to crawl with render: always (0: skip)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per crawler; the median is reported")
    parser.add_argument(
        "--scrapy-python", default=os.environ.get("SCRAPY_PYTHON", "/tmp/scrapy-venv/bin/python")
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table for CRAWL_RESULTS.md")
    parser.add_argument("--child", choices=["serve", "omniaudit", "scrapy"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--render", default="never", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "serve":
        serve_folder(Path(args.folder))
        return
    if args.child == "omniaudit":
        print(json.dumps(crawl_omniaudit(args.url, args.pages, args.concurrency, args.render)))
        return
    if args.child == "scrapy":
        print(json.dumps(crawl_scrapy(args.url, args.pages, args.concurrency)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        generate_site(site, args.pages)
        server = subprocess.Popen(
            [sys.executable, __file__, "--child", "serve", "--folder", str(site)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            url = f"http://127.0.0.1:{server.stdout.readline().strip()}/"
            common = ["--url", url, "--pages", str(args.pages), "--concurrency", str(args.concurrency)]
            plans: list[tuple[str, str, list[str]]] = [
                ("omniaudit static", sys.executable, ["--child", "omniaudit", *common]),
            ]
            if Path(args.scrapy_python).exists():
                plans.append(("Scrapy static", args.scrapy_python, ["--child", "scrapy", *common]))
            else:
                print(f"Scrapy not found at {args.scrapy_python}: skipped", file=sys.stderr)
            if args.render_pages:
                render_common = [
                    "--url",
                    url,
                    "--pages",
                    str(args.render_pages),
                    "--concurrency",
                    str(args.concurrency),
                ]
                plans.append(
                    (
                        "omniaudit rendered",
                        sys.executable,
                        ["--child", "omniaudit", *render_common, "--render", "always"],
                    )
                )
            results: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in plans}
            for _ in range(args.repeat):
                for name, python, child_args in plans:  # interleaved, so drift hits every crawler alike
                    results[name].append(run_child(python, child_args))
                    last = results[name][-1]
                    print(
                        f"{name}: {last['pages']} pages in {last['seconds']:.2f} s, "
                        f"{last['cpu_s']:.1f} CPU s, peak {last['peak_mib']:.0f} MiB",
                        file=sys.stderr,
                    )
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=10)

    rows = []
    for name, runs in results.items():
        rates = [float(r["pages"]) / float(r["seconds"]) for r in runs]
        cpu_ms = statistics.median(1000 * float(r["cpu_s"]) / float(r["pages"]) for r in runs)
        peak = statistics.median(float(r["peak_mib"]) for r in runs)
        rows.append(
            (name, int(runs[0]["pages"]), statistics.median(rates), min(rates), max(rates), cpu_ms, peak)
        )
    if args.markdown:
        print("| crawler | pages | pages/s (median) | min-max | CPU ms per page | peak memory (MiB) |")
        print("|---|---:|---:|---:|---:|---:|")
    for name, pages, median, low, high, cpu_ms, peak in rows:
        if args.markdown:
            print(f"| {name} | {pages} | {median:.0f} | {low:.0f}-{high:.0f} | {cpu_ms:.1f} | {peak:.0f} |")
        else:
            print(
                f"{name:20s} {pages:5d} pages  {median:7.1f} pages/s ({low:.0f}-{high:.0f})  "
                f"{cpu_ms:5.1f} CPU ms/page  {peak:6.0f} MiB"
            )
    static = {name: median for name, _, median, _, _, _, _ in rows}
    if "omniaudit static" in static and "Scrapy static" in static:
        ratio = static["Scrapy static"] / static["omniaudit static"]
        print(f"\nScrapy / omniaudit static throughput: {ratio:.2f}x (target: at most 1.2x)")


if __name__ == "__main__":
    main()
