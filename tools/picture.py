"""Pictures with the standard library only: the raster Canvas (written as a
PNG with zlib and struct, text in a built-in 5x7 font) and the Svg beside
it, both with the same drawing calls (rect, text, line), so one drawing
function makes both. Shared by tools/memmap.py and tools/vmmap.py."""

import struct
import zlib
from xml.sax.saxutils import escape


def hexcol(c):
    return "#%02x%02x%02x" % c


FONT = {
    "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11110 00001 00001 01110 00001 00001 11110",
    "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
    "A": "01110 10001 10001 11111 10001 10001 10001", "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110", "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111", "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111", "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110", "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001", "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001", "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110", "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101", "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110", "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110", "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010", "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 10001 01010 00100 00100 00100", "Z": "11111 00001 00010 00100 01000 10000 11111",
    " ": "00000 00000 00000 00000 00000 00000 00000", "-": "00000 00000 00000 11111 00000 00000 00000",
    ".": "00000 00000 00000 00000 00000 01100 01100", ":": "00000 01100 01100 00000 01100 01100 00000",
    ",": "00000 00000 00000 00000 01100 00100 01000", "(": "00010 00100 01000 01000 01000 00100 00010",
    ")": "01000 00100 00010 00010 00010 00100 01000", "/": "00001 00010 00010 00100 01000 01000 10000",
    "+": "00000 00100 00100 11111 00100 00100 00000", "_": "00000 00000 00000 00000 00000 00000 11111",
    "=": "00000 00000 11111 00000 11111 00000 00000", "?": "01110 10001 00001 00010 00100 00000 00100",
    "'": "00100 00100 01000 00000 00000 00000 00000", "%": "11001 11010 00010 00100 01000 01011 10011",
    ";": "00000 01100 01100 00000 01100 00100 01000", "`": "01000 00100 00010 00000 00000 00000 00000",
    "|": "00100 00100 00100 00100 00100 00100 00100", "<": "00010 00100 01000 10000 01000 00100 00010",
    ">": "01000 00100 00010 00001 00010 00100 01000", "[": "01110 01000 01000 01000 01000 01000 01110",
    "]": "01110 00010 00010 00010 00010 00010 01110", "&": "01100 10010 10100 01000 10101 10010 01101",
}


class Canvas:
    def __init__(self, w, h, bg=(255, 255, 255)):
        self.w, self.h = w, h
        self.px = [bytearray(bytes(bg) * w) for _ in range(h)]

    def rect(self, x, y, w, h, c):
        x0, y0, x1, y1 = max(0, x), max(0, y), min(self.w, x + w), min(self.h, y + h)
        if x1 <= x0:
            return
        seg = bytes(c) * (x1 - x0)
        for yy in range(y0, y1):
            self.px[yy][x0 * 3:x1 * 3] = seg

    def text(self, x, y, s, c=(0, 0, 0)):
        """5x7 glyphs, 6 px apart; lower case drawn as upper case."""
        for ch in s.upper():
            g = FONT.get(ch, FONT["?"])
            for r, bits in enumerate(g.split()):
                for k, b in enumerate(bits):
                    if b == "1":
                        self.rect(x + k, y + r, 1, 1, c)
            x += 6
        return x

    def line(self, x0, y0, x1, y1, c=(0, 0, 0)):
        """A 1-pixel line (Bresenham)."""
        x0, y0, x1, y1 = int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1))
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        while True:
            self.rect(x0, y0, 1, 1, c)
            if x0 == x1 and y0 == y1:
                return
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def png(self):
        raw = b"".join(b"\x00" + bytes(row) for row in self.px)

        def chunk(tag, data):
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xffffffff)

        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


class Svg:
    def __init__(self):
        self.parts = []

    def rect(self, x, y, w, h, c):
        self.parts.append('<rect x="%g" y="%g" width="%g" height="%g" fill="%s"/>' % (x, y, w, h, hexcol(c)))

    def line(self, x0, y0, x1, y1, c=(0, 0, 0)):
        self.parts.append('<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="1"/>' %
                          (x0 + 0.5, y0 + 0.5, x1 + 0.5, y1 + 0.5, hexcol(c)))

    def text(self, x, y, s, c=(0, 0, 0), size=10, bold=False):
        self.parts.append('<text x="%g" y="%g" font-size="%d"%s fill="%s">%s</text>' %
                          (x, y + 8, size, ' font-weight="bold"' if bold else "", hexcol(c), escape(s)))
        return x + len(s) * size * 0.6

    def document(self, width, height, title):
        """The whole SVG file: a white page of width x height holding the parts."""
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
                'font-family="monospace" shape-rendering="crispEdges">\n'
                '<title>%s</title>\n<rect width="100%%" height="100%%" fill="#ffffff"/>\n%s\n</svg>\n' %
                (width, height, width, height, escape(title), "\n".join(self.parts)))


def heading(out, raster, x, y, title, subtitle, sub_dy):
    """A picture's title and grey subtitle: the PNG's bitmap font at y and
    y + sub_dy, the SVG's larger bold title 2 px higher, its subtitle 3 px
    lower (its text sits on a baseline)."""
    grey = (0x55, 0x55, 0x55)
    if raster:
        out.text(x, y, title)
        out.text(x, y + sub_dy, subtitle, grey)
    else:
        out.text(x, y - 2, title, size=13, bold=True)
        out.text(x, y + sub_dy + 3, subtitle, grey)


def render(draw, width, height, title):
    """(SVG text, PNG bytes) of one picture: draw(out, raster) paints it on
    each (raster: the PNG, whose bitmap font needs other offsets)."""
    svg = Svg()
    draw(svg, False)
    canvas = Canvas(width, height)
    draw(canvas, True)
    return svg.document(width, height, title), canvas.png()
