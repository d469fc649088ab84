"""Map projection for drawing the province: the transverse Mercator (UTM zone 48N for An Giang).

The forward ellipsoidal formulas of Snyder, *Map Projections — A Working Manual* (USGS Professional
Paper 1395, 1987, equations 8-9 to 8-15). Accurate to well under a metre within a few degrees of the
central meridian; An Giang lies between 103.4° and 105.6° E, the central meridian of zone 48 is 105° E.
No dependency: pyproj would do the same for two dozen lines of arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Ellipsoid:
    a: float  # semi-major axis, metres
    inv_f: float  # inverse flattening

    @property
    def e2(self) -> float:
        f = 1 / self.inv_f
        return f * (2 - f)


WGS84 = Ellipsoid(a=6378137.0, inv_f=298.257223563)


def transverse_mercator(
    lat: float,
    lon: float,
    *,
    lon0: float,
    lat0: float = 0.0,
    k0: float = 0.9996,
    false_easting: float = 500000.0,
    false_northing: float = 0.0,
    ellipsoid: Ellipsoid = WGS84,
) -> tuple[float, float]:
    """(latitude, longitude) in degrees → (easting, northing) in metres."""
    a, e2 = ellipsoid.a, ellipsoid.e2
    ep2 = e2 / (1 - e2)
    phi = math.radians(lat)
    sin_phi, cos_phi, tan_phi = math.sin(phi), math.cos(phi), math.tan(phi)
    n = a / math.sqrt(1 - e2 * sin_phi**2)
    t = tan_phi**2
    c = ep2 * cos_phi**2
    big_a = math.radians(lon - lon0) * cos_phi
    m = _meridian_arc(phi, a, e2)
    m0 = _meridian_arc(math.radians(lat0), a, e2)
    x = (
        k0
        * n
        * (big_a + (1 - t + c) * big_a**3 / 6 + (5 - 18 * t + t**2 + 72 * c - 58 * ep2) * big_a**5 / 120)
    )
    y = k0 * (
        m
        - m0
        + n
        * tan_phi
        * (
            big_a**2 / 2
            + (5 - t + 9 * c + 4 * c**2) * big_a**4 / 24
            + (61 - 58 * t + t**2 + 600 * c - 330 * ep2) * big_a**6 / 720
        )
    )
    return x + false_easting, y + false_northing


def _meridian_arc(phi: float, a: float, e2: float) -> float:
    e4, e6 = e2 * e2, e2 * e2 * e2
    return a * (
        (1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * phi
        - (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * math.sin(2 * phi)
        + (15 * e4 / 256 + 45 * e6 / 1024) * math.sin(4 * phi)
        - (35 * e6 / 3072) * math.sin(6 * phi)
    )


def utm48n(lat: float, lon: float) -> tuple[float, float]:
    """UTM zone 48 north (EPSG:32648): central meridian 105° E, scale 0.9996, false easting 500 km."""
    return transverse_mercator(lat, lon, lon0=105.0)
