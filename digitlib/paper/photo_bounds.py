"""An uploaded photo checked from its header, then decoded small: the server's memory stays bounded.

``check_photo`` reads only the file's header (Pillow's ``Image.open`` decodes no pixel): the byte size,
the format (JPEG, PNG, WebP; HEIC/HEIF only when ``pillow-heif`` is installed) and the pixel count are
checked before anything is decoded. ``decode_photo`` then decodes it at reduced size: a JPEG through
Pillow's ``draft`` mode (the decoder itself skips to 1/2, 1/4 or 1/8 scale, so a 40 MP JPEG never exists
at full size in memory), other formats whole (hence their lower pixel bound), and turns it to grey with
its EXIF orientation applied and its longest side at most ``LONGEST_SIDE``.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitlib.errors import UnreadablePhotoError
from digitlib.language import N_

# The server's upload limit (.streamlit/config.toml's maxUploadSize is 12 MB): a bigger file never arrives.
MAX_BYTES = 12 * 1024 * 1024
# A JPEG is decoded in draft mode (at most 1/8 of its pixels past 1600 px), so it may be large ...
MAX_JPEG_PIXELS = 40_000_000
# ... other formats are decoded whole: 16 MP is 64 MB as RGBA, the most one upload may cost.
MAX_OTHER_PIXELS = 16_000_000
LONGEST_SIDE = 1600
ACCEPTED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC", "AVIF": "HEIC"}
# The EXIF orientation tag's values and the transposition that undoes each (as ImageOps.exif_transpose).
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_HEIC_BRANDS = (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftyphevc", b"ftypavif")


@dataclass(frozen=True)
class PhotoHeader:
    """What the header says: the format's name, the stored size and the EXIF orientation (1 = upright)."""

    format: str
    width: int
    height: int
    orientation: int
    n_bytes: int

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1e6


def heic_supported() -> bool:
    """Whether HEIC photos can be read: ``pillow-heif`` is installed (it is optional, imported only here)."""
    try:
        import pillow_heif  # optional: registers Pillow's HEIF opener
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def check_photo(data: bytes) -> PhotoHeader:
    """The photo's header, or ``UnreadablePhotoError`` saying why it cannot be read; no pixel is decoded."""
    n_bytes = len(data)
    if n_bytes == 0:
        raise UnreadablePhotoError(N_("The file is empty: choose a photo (JPEG, PNG or WebP)."))
    if n_bytes > MAX_BYTES:
        raise UnreadablePhotoError(N_("The file holds {size} MB, more than the {limit} MB a photo may have: take it "
                                      "again at a lower resolution."),
                                   size=round(n_bytes / 2**20, 1), limit=round(MAX_BYTES / 2**20))
    is_heic = data[4:12] in _HEIC_BRANDS
    if is_heic and not heic_supported():
        raise UnreadablePhotoError(N_("This is an HEIC photo, which this server cannot read: set the phone's camera "
                                      "to 'Most compatible' (JPEG) or send a screenshot of it."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format or "", image.size
                orientation = _orientation(image)
    except Image.DecompressionBombError as error:
        raise UnreadablePhotoError(N_("The image claims more pixels than any photo has ({detail}); it was not "
                                      "decoded."), detail=str(error)) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise UnreadablePhotoError(N_("The file is not an image this app can read (JPEG, PNG or WebP), "
                                      "or it is damaged.")) from error
    if fmt not in ACCEPTED:
        raise UnreadablePhotoError(N_("The file is a {format} image; send a photo as JPEG, PNG or WebP."), format=fmt)
    pixels = width * height
    limit = MAX_JPEG_PIXELS if ACCEPTED[fmt] == "JPEG" else MAX_OTHER_PIXELS
    if pixels > limit:
        raise UnreadablePhotoError(N_("The image is {width} × {height} pixels ({megapixels} megapixels), more than "
                                      "the {limit} megapixels a {format} photo may have: take it again at a lower "
                                      "resolution."), width=str(width), height=str(height),
                                   megapixels=round(pixels / 1e6), limit=round(limit / 1e6), format=ACCEPTED[fmt])
    return PhotoHeader(ACCEPTED[fmt], width, height, orientation, n_bytes)


def decode_photo(data: bytes, longest: int = LONGEST_SIDE) -> np.ndarray:
    """The photo as grey levels (uint8, paper bright), upright, its longest side at most ``longest`` pixels.

    Raises ``UnreadablePhotoError`` as ``check_photo`` does, and for a file damaged past its header."""
    header = check_photo(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                small = _decode_small(image, header, longest)
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        raise UnreadablePhotoError(N_("The photo is damaged or cut short (its pixels could not be decoded): "
                                      "send it again.")) from error
    transpose = _ORIENTATION.get(header.orientation)
    if transpose is not None:
        small = small.transpose(transpose)
    return np.asarray(small, dtype=np.uint8)


def _decode_small(image: Image.Image, header: PhotoHeader, longest: int) -> Image.Image:
    scale = longest / max(header.width, header.height)
    if header.format == "JPEG" and scale < 1:
        # The decoder scales by 1/2, 1/4 or 1/8 to at least the size asked; grey JPEG decoding is cheaper too.
        image.draft("L", (int(header.width * scale) + 1, int(header.height * scale) + 1))
    image.seek(0)  # the first frame of an animated WebP or PNG
    image.load()
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float32)
        peak = max(float(values.max()), 1.0)
        image = Image.fromarray((values * (255.0 / (255.0 if peak <= 255 else 65535.0))).clip(0, 255)
                                .astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    grey = image.convert("L")
    if max(grey.size) > longest:
        grey.thumbnail((longest, longest), Image.Resampling.BILINEAR, reducing_gap=2.0)
    return grey


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation read from the header's own EXIF bytes: ``getexif()`` would decode a whole PNG
    to look for EXIF after its pixels (measured: 86 MB for a refused 100 MP PNG)."""
    raw = image.info.get("exif")
    if not raw:
        return 1
    try:
        exif = Image.Exif()
        exif.load(raw)
        value = int(exif.get(0x0112, 1))
    except (ValueError, TypeError, OSError, SyntaxError):
        return 1
    return value if value in _ORIENTATION else 1
