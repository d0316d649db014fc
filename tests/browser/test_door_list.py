"""The door list in a real Chromium with a camera that shows a membership card's QR code (a
fake capture device playing a frame made from the card's token): the "用摄像头扫码" button is
there although Chromium on Linux has no BarcodeDetector, jsQR served by the app reads the code
and the person is checked in; the sign-in sheet prints; the page fits a 375 px phone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qrcode
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright

from gonghui.activities import services
from gonghui.activities.models import Registration, RegistrationStatus
from gonghui.membership.cards import card_token
from tests import factories as f
from tests.activities.conftest import make_activity, person
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
WIDTH, HEIGHT = 640, 480


def qr_video(text: str, path: Path) -> Path:
    """A Y4M clip (grey 4:2:0) of ``text``'s QR code on white, as a phone screen held up to
    the camera: what Chromium's fake capture device plays in a loop."""
    qr = qrcode.QRCode(border=4)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    scale = min(WIDTH, HEIGHT) * 8 // 10 // len(matrix)
    left = (WIDTH - len(matrix) * scale) // 2
    top = (HEIGHT - len(matrix) * scale) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + y * scale + dy) * WIDTH + left + x * scale
                    luma[start : start + scale] = b"\x10" * scale
    chroma = b"\x80" * (WIDTH * HEIGHT // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * 5)
    return path


@pytest.fixture
def door(district: Any) -> dict[str, Any]:
    start = timezone.localdate() + dt.timedelta(days=1)
    activity = make_activity(
        district.cadre_a,
        district.A,
        title="“五一”职工趣味运动会",
        place="甲街道文体中心",
        starts_on=start,
        start_time=dt.time(8, 30),
        capacity=5,
    )
    people = [person(district.root, district.A1, name=n) for n in ("张三", "李四")]
    for p in people:
        services.registration_create(actor=district.cadre_a, activity=activity, person=p)
    day = dt.datetime.combine(start, dt.time(8, 30), tzinfo=SHANGHAI)
    return {"activity": activity, "people": people, "day": day}


@pytest.fixture
def camera_browser(door: dict[str, Any], tmp_path: Path) -> Iterator[Browser]:
    clip = qr_video(card_token(door["people"][1]), tmp_path / "card.y4m")
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={clip}",
    ]
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            yield chromium
        finally:
            chromium.close()


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/admin/")
    page.fill("#id_username", "cadre_a")
    page.fill("#id_password", f.PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base}/admin/")


def test_a_cadre_checks_in_by_camera_without_barcode_detector(
    live_server: Any, district: Any, door: dict[str, Any], camera_browser: Browser, tmp_path: Path
) -> None:
    base = live_server.url
    activity = door["activity"]
    context = camera_browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    with time_machine.travel(door["day"]):
        sign_in(page, base)
        page.goto(f"{base}/admin/activities/activity/{activity.pk}/door/")
        assert page.evaluate("'BarcodeDetector' in window") is False  # jsQR does the work
        camera = page.get_by_role("button", name="用摄像头扫码")
        expect(camera).to_be_visible()
        page.screenshot(path=str(tmp_path / "door-1440.png"), full_page=True)
        camera.click()
        expect(page.locator("body")).to_contain_text("李四 签到成功。")
        counts = page.get_by_test_id("door-counts")
        expect(counts).to_contain_text("1 / 2")
        page.screenshot(path=str(tmp_path / "door-1440-scanned.png"), full_page=True)

        # a hand scanner types the code into the box and presses Enter
        page.fill("#token", card_token(door["people"][0]))
        page.press("#token", "Enter")
        expect(page.locator("body")).to_contain_text("张三 签到成功。")
        expect(counts).to_contain_text("2 / 2")

        with page.expect_popup() as popup:
            page.get_by_test_id("door-print").click()
        sheet = popup.value
        expect(sheet.get_by_test_id("door-sheet")).to_contain_text("张三")
        expect(sheet.locator("h1")).to_have_text("“五一”职工趣味运动会 签到表")
        sheet.emulate_media(media="print")
        expect(sheet.get_by_role("button", name="打印")).to_be_hidden()
        sheet.screenshot(path=str(tmp_path / "door-sheet-print.png"), full_page=True)
    context.close()
    statuses = set(Registration.objects.filter(activity=activity).values_list("status", flat=True))
    assert statuses == {RegistrationStatus.ATTENDED}


def test_the_door_list_fits_a_phone_and_offers_the_camera(
    live_server: Any, district: Any, door: dict[str, Any], camera_browser: Browser, tmp_path: Path
) -> None:
    base = live_server.url
    context = camera_browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    with time_machine.travel(door["day"]):
        sign_in(page, base)
        page.goto(f"{base}/admin/activities/activity/{door['activity'].pk}/door/")
        expect(page.get_by_role("button", name="用摄像头扫码")).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("张三 签到"))).to_be_visible()
        page.screenshot(path=str(tmp_path / "door-375.png"), full_page=True)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        assert width <= inner, f"the door list is {width}px wide on a {inner}px phone"
    context.close()
