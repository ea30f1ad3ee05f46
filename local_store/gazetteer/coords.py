"""A BLPU's British National Grid coordinates (EPSG:27700) as WGS84 latitude and longitude (EPSG:4326).

DTF 7.3 gives each BLPU (record 21) an X_COORDINATE and a Y_COORDINATE, in metres on the National Grid.
Open311 servers want WGS84 latitude and longitude, so the pack is built with them: every address's point
converted in one batch, by pyproj (PROJ), with no network. Without the OSTN15 grid file (which the kiosk
does not ship, and PROJ is never allowed to fetch) PROJ uses the seven-parameter Helmert transformation
"OSGB36 to WGS 84 (6)" (EPSG:1314, the "OSGB Petroleum transformation", which EPSG gives as accurate to
2 m), so a point is good to a few metres: plenty for telling a council where a street report is. Rounded
to 6 decimal places (about 0.1 m).

``grid_point`` reads the two fields (or says why it cannot: empty, not a number, off the grid);
``to_wgs84`` converts a list of points, pyproj imported only then (the kiosk's own start never needs it).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

__all__ = ["DECIMALS", "MAX_EASTING", "MAX_NORTHING", "grid_point", "to_wgs84"]

MAX_EASTING = 700_000  # the National Grid's extent, in metres
MAX_NORTHING = 1_300_000
DECIMALS = 6  # about 0.1 m

NO_COORDINATES = "address without coordinates: the BLPU's X_COORDINATE or Y_COORDINATE is empty"
NOT_A_NUMBER = "address without coordinates: the BLPU's X_COORDINATE or Y_COORDINATE is not a number"
OFF_THE_GRID = "address without coordinates: the BLPU's coordinates are outside the National Grid"


def grid_point(x: str, y: str) -> tuple[float, float] | str:
    """(easting, northing) in metres, or the reason the address will have no coordinates (a build note)."""
    x, y = x.strip(), y.strip()
    if not x or not y:
        return NO_COORDINATES
    try:
        easting, northing = float(x), float(y)
    except ValueError:
        return NOT_A_NUMBER
    if not (math.isfinite(easting) and math.isfinite(northing)):  # "nan", "inf": float() takes them
        return NOT_A_NUMBER
    if not (0 <= easting <= MAX_EASTING and 0 <= northing <= MAX_NORTHING):
        return OFF_THE_GRID
    return easting, northing


def to_wgs84(points: Sequence[tuple[float, float]]) -> list[tuple[float, float] | None]:
    """Each (easting, northing) as (latitude, longitude) in WGS84, rounded; None where PROJ cannot convert it.

    One transformer for the whole list, and one call for all the points (PROJ loops over the arrays)."""
    if not points:
        return []
    import pyproj  # at build time only: the kiosk's searches never need it
    from pyproj import Transformer

    pyproj.network.set_network_enabled(active=False)  # the PROJ data in the wheel only; never a download
    # only_best=False: without the OSTN15 grid PROJ would warn that "the best transformation is not
    # available"; the Helmert one it then uses is the one the docs describe (a few metres).
    # allow_ballpark=False: far out at sea, outside the Helmert's area of use, PROJ would otherwise ignore
    # the datum (over 100 m out); with it forbidden the Helmert serves the whole grid.
    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True, only_best=False, allow_ballpark=False)
    longitudes, latitudes = transformer.transform(
        array("d", (p[0] for p in points)), array("d", (p[1] for p in points))
    )
    return [
        (round(lat, DECIMALS), round(lon, DECIMALS)) if math.isfinite(lat) and math.isfinite(lon) else None
        for lat, lon in zip(latitudes, longitudes, strict=True)
    ]
