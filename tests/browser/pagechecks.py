"""Checks every page of the platform must pass in a real browser, at a desk and on a phone.

``check_page(page, path, out=tmp_path)`` opens ``path`` at each width and fails, naming what
and where, on:

- horizontal overflow at a phone's 375 px (the page scrolls sideways);
- a visible input without a border (a cadre cannot see where to type);
- English words in a page served in Chinese, outside ``ALLOWED_WORDS`` (codes, product names);
- a serious or critical axe-core violation (axe-playwright-python bundles axe-core: nothing is
  downloaded at run time).

``input_problems(page, form=True)`` adds what the back office's form walk asks of each visible
input: a usable height and an accessible name. Each width leaves a full-page screenshot in ``out``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

DESK, PHONE = 1440, 375
HEIGHT = 900
MIN_INPUT_HEIGHT = 28  # px: below this a field is a line, not a box to type in

# Latin words a Chinese page may show: product and format names, units, and the codes of the
# test district (tests/conftest.py). Anything else in Latin letters is an untranslated string.
ALLOWED_WORDS = frozenset(
    {
        # formats and products a cadre knows by these names
        "PDF",
        "Excel",
        "xlsx",
        "xls",
        "csv",
        "CSV",
        "Word",
        "docx",
        "ID",
        "QR",
        "SMS",
        "TOTP",
        "API",
        "WeChat",
        "Gonghui",
        "JPG",
        "JPEG",
        "PNG",
        "MB",
        "KB",
        "GBK",
        "UTF",
        # the language switch names English in English
        "English",
        # the test district's codes and user names
        "FED",
        "fedadmin",
        "cadre",
        "leader",
        "evaluator",
        "root",
    }
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Codes are not words: ``JA-SJ-01``, ``ST-A``, ``UTF-8`` (capitals and digits joined by
# hyphens), ``91330104MA0000001X`` (letters among digits, as in a credit code).
CODE = re.compile(r"\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b|[A-Za-z0-9*]*[0-9][A-Za-z0-9*]*")
SERIOUS = {"serious", "critical"}

_AXE = Axe()

# Visible text (innerText skips hidden elements) plus what a screen reader or a cursor shows.
_TEXT_JS = """() => {
  // Text nodes that are drawn, outside icon fonts (Material Symbols draws "search" as a glyph).
  const icons = '.material-symbols-outlined, .material-symbols-rounded, .material-icons';
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const skipped = 'script, style, noscript, template, ' + icons;
    if (!node.textContent.trim() || !el || el.closest(skipped)) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    parts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title]')) {
    if (!el.checkVisibility()) continue;
    for (const a of ['placeholder', 'aria-label', 'title']) {
      if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
    }
  }
  return parts.join('\\n');
}"""

# The inputs a person types into or picks from, as they are drawn on screen.
_INPUTS_JS = """() => {
  const skip = new Set(['hidden', 'checkbox', 'radio', 'submit', 'button', 'reset', 'image',
                        'file', 'range', 'color']);
  const out = [];
  const describe = el => el.id ? '#' + el.id
      : el.name ? `${el.tagName.toLowerCase()}[name="${el.name}"]` : el.outerHTML.slice(0, 80);
  const nameOf = el => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const by = ids.map(i => document.getElementById(i)).filter(Boolean)
        .map(l => l.textContent).join(' ');
    const labels = el.labels ? [...el.labels].map(l => l.textContent).join(' ') : '';
    return [by, el.getAttribute('aria-label') || '', labels, el.getAttribute('title') || '',
            el.getAttribute('placeholder') || ''].join(' ').trim();
  };
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.tagName === 'INPUT' && skip.has((el.type || '').toLowerCase())) continue;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width < 4 || r.height < 4 || s.visibility === 'hidden' || s.display === 'none') continue;
    if (s.clip && s.clip !== 'auto') continue;  // visually hidden (select2 keeps its <select>)
    if (el.closest('[hidden], [aria-hidden="true"]')) continue;
    // The box a person sees: the input's own border, or that of a wrapper drawn tightly around
    // it (Unfold's search box, select2's selection, a file input's frame).
    const bordered = node => {
      const st = getComputedStyle(node);
      const drawn = ['Top', 'Right', 'Bottom', 'Left'].some(side =>
          parseFloat(st['border' + side + 'Width']) > 0 && st['border' + side + 'Style'] !== 'none'
          && !/rgba\\(.*,\\s*0\\)$/.test(st['border' + side + 'Color']));
      const ring = st.boxShadow && st.boxShadow !== 'none'
          && /inset|0px 0px 0px [1-9]/.test(st.boxShadow);
      return drawn || ring;
    };
    let box = null;
    for (let node = el, up = 0; node && up <= 6; node = node.parentElement, up++) {
      if (node.getBoundingClientRect().height > r.height + 24) break;
      if (bordered(node)) { box = node; break; }
    }
    out.push({
      what: describe(el),
      bordered: box !== null,
      height: Math.round((box || el).getBoundingClientRect().height),
      name: nameOf(el),
    });
  }
  return out;
}"""

_OVERFLOW_JS = """(limit) => {
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > limit + 1 && r.width > 0) {
      // name only the outermost offenders, not every child of a wide table
      if (!wide.some(w => w.contains(el))) wide.push(el);
    }
  }
  return {
    width: document.documentElement.scrollWidth,
    wide: wide.slice(0, 5).map(el => {
      const c = (el.className && el.className.baseVal === undefined ? el.className : '')
          .toString().split(/\\s+/).slice(0, 3).join('.');
      return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${c ? '.' + c : ''}`
          + ` (${Math.round(el.getBoundingClientRect().right)}px)`;
    }),
  };
}"""


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The Latin words of ``text`` not in the allow-list, in order, each once."""
    ok = ALLOWED_WORDS | set(allowed)
    seen: dict[str, None] = {}
    for word in WORD.findall(CODE.sub(" ", text)):
        if word not in ok and word.lower() not in {w.lower() for w in ok}:
            seen.setdefault(word, None)
    return list(seen)


def input_problems(page: Page, *, form: bool = False) -> list[str]:
    """Visible inputs without a border; with ``form``, also too low or without a name."""
    problems = []
    for field in page.evaluate(_INPUTS_JS):
        if not field["bordered"]:
            problems.append(f"{field['what']} has no border")
        if form and field["height"] < MIN_INPUT_HEIGHT:
            problems.append(f"{field['what']} is {field['height']}px tall")
        if form and not field["name"]:
            problems.append(f"{field['what']} has no accessible name")
    return problems


def english_problems(page: Page, allowed: Iterable[str] = ()) -> list[str]:
    words = english_words(page.evaluate(_TEXT_JS), allowed)
    return ["English words: " + ", ".join(words[:20])] if words else []


def axe_problems(page: Page, *, exclude: Sequence[str] = ()) -> list[str]:
    context: Any = {"exclude": [[s] for s in exclude]} if exclude else None
    results = _AXE.run(page, context=context)
    problems = []
    for v in results.response["violations"]:
        if v["impact"] not in SERIOUS:
            continue
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        problems.append(f"axe {v['id']} ({v['impact']}) on {len(v['nodes'])} element(s): {targets}")
    return problems


def page_problems(
    page: Page,
    width: int,
    *,
    allowed: Iterable[str] = (),
    form: bool = False,
    axe: bool = True,
) -> list[str]:
    problems = []
    if width <= PHONE:
        overflow = page.evaluate(_OVERFLOW_JS, width)
        if overflow["width"] > width:
            problems.append(
                f"{overflow['width']}px wide on a {width}px screen; too wide: "
                + ", ".join(overflow["wide"])
            )
    problems += input_problems(page, form=form)
    problems += english_problems(page, allowed)
    if axe:
        problems += axe_problems(page)
    return problems


def shot_name(path: str, width: int) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
    return f"{slug}-{width}.png"


def check_page(
    page: Page,
    path: str,
    widths: Sequence[int] = (DESK, PHONE),
    *,
    out: Path,
    allowed: Iterable[str] = (),
    form: bool = False,
) -> None:
    """Open ``path`` (relative to the context's base URL) at each width, save a full-page
    screenshot in ``out`` and fail with every problem found at every width."""
    out.mkdir(parents=True, exist_ok=True)
    found = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        response = page.goto(path)
        assert response is not None
        assert response.ok, f"{path} answered {response.status}"
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / shot_name(path, width)), full_page=True)
        found += [f"{width}px: {p}" for p in page_problems(page, width, allowed=allowed, form=form)]
    assert not found, f"{path}:\n  " + "\n  ".join(found)
