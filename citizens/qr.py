"""The printed form of a village's self-assessment link: its absolute address and a QR code
(segno, inline SVG: no image file, prints sharp)."""

import segno
from django.conf import settings
from django.urls import reverse


def link_url(link):
    return (settings.SITE_BASE_URL or "") + reverse("citizen-self", args=[link.token])


def qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=5, border=2, title=url)
