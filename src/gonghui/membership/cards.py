"""The digital membership card: a signed token of the person, shown as a QR code.

The token is signed with the site's key (django.core.signing), so a scanner at the door can
check it offline-safe on the server and no ID number is ever in the code.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.core import signing

from .models import Person

SALT = "gonghui.membership.card"


def card_token(person: Person) -> str:
    return signing.dumps({"p": person.pk}, salt=SALT, compress=True)


def person_id_from_token(token: str) -> int | None:
    """The person a card token names, or None if it was not made by this platform."""
    try:
        return int(signing.loads(token, salt=SALT)["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def card_qr_svg(person: Person) -> str:
    """An inline SVG of the card's QR code (no script, no image request)."""
    image = qrcode.make(card_token(person), image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]
