"""Helpers for the browser tests: the browser's settings, the SMS code from the development outbox, a real tiny PNG,
screenshots, and axe-core (vendored, test-only: never served by the site)."""

from __future__ import annotations

import re
import struct
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from fayuan.notifications.sms import LoggingSMSBackend

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium, headless, quiet: no sandbox (root in containers), no GPU, nothing fetched in the background.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 14; V2307A Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
             "(KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 "
             "MMWEBSDK/20240802 MicroMessenger/8.0.50.2701(0x28003253) WeChat/arm64 Weixin NetType/WIFI "
             "Language/zh_CN ABI/arm64")
COMMON: dict[str, Any] = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PHONE: dict[str, Any] = {**COMMON, "viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                         "is_mobile": True, "has_touch": True, "user_agent": WECHAT_UA}
DESKTOP: dict[str, Any] = {**COMMON, "viewport": {"width": 1280, "height": 900}}

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
JOURNEY_SHOTS = SCREENSHOTS / "journey"

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""}))}));
}"""


def sms_code(phone: str, timeout: float = 5.0) -> str:
    """The newest code sent to ``phone``. The live server is a thread of this process, so the development backend's
    class-level outbox is the same list here."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(LoggingSMSBackend.outbox):
            found = re.search(r"\d{6}", message.text)
            if message.phone == phone and found:
                return found.group(0)
        if time.monotonic() > deadline:
            raise AssertionError(f"no SMS code for {phone} in the outbox: {LoggingSMSBackend.outbox!r}")
        time.sleep(0.05)


def tiny_png(width: int = 32, height: int = 20, rgb: tuple[int, int, int] = (70, 120, 190)) -> bytes:
    """A real (decodable) PNG: signature, IHDR, one zlib-compressed IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))  # filter byte 0, then RGB pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def shoot(page: Page, name: str, folder: Path = JOURNEY_SHOTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Page, *, csp_bypassed: bool = True) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now.

    In a context made with ``bypass_csp=True`` the vendored file goes in with ``add_script_tag`` (the site's CSP,
    ``script-src 'self'``, would refuse the inline script otherwise). In a context that keeps the CSP, the source is
    evaluated through DevTools, which the page's CSP does not govern.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        if csp_bypassed:
            page.add_script_tag(path=str(AXE))
        else:
            page.evaluate(AXE.read_text(encoding="utf-8"))
    return list(page.evaluate(_AXE_RUN, AXE_TAGS))


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        lines.extend(f"    {n['target']}  {n['summary'].splitlines()[-1] if n['summary'] else ''}" for n in v["nodes"])
    return "\n".join(lines)


def office_sign_in(page: Page, user: Any, password: str) -> None:
    """Sign a staff member in through the real forms: the password, then the 6-digit code their authenticator
    shows (computed from the account's TOTP secret, as the phone app would)."""
    import re as _re

    from fayuan.accounts.testing import totp_code, totp_device

    device = totp_device(user)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(_re.compile(r"/accounts/otp/"))
    page.get_by_label("验证码或恢复码").fill(totp_code(device))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(_re.compile(r"/office/"))

