"""Reading the generated PDFs back: their text, pages, fonts and QR codes."""

import io
import re

import zxingcpp
from pypdf import PdfReader


def reader(content):
    return PdfReader(io.BytesIO(content))


def text_of(content):
    return "\n".join(page.extract_text() for page in reader(content).pages)


def font_names(page):
    fonts = page["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


def drawn_images(page):
    """The images `page` draws. WeasyPrint gives every page of a document the same resource
    dictionary, so `page.images` lists the images of all pages: keep those drawn here."""
    drawn = {name.decode() for name in re.findall(rb"/(\S+) Do", page.get_contents().get_data())}
    return [image for image in page.images if image.name.rsplit(".", 1)[0] in drawn]


def qr_texts(page):
    """What every QR code drawn on `page` says."""
    return [
        barcode.text
        for image in drawn_images(page)
        for barcode in zxingcpp.read_barcodes(image.image)
        if barcode.format == zxingcpp.BarcodeFormat.QRCode
    ]
