"""Where the synthetic borough (gazetteer_data.py) is: its streets and properties on the British National Grid.

Harwood Vale lies in a 12 by 10 km square of East Lancashire's grid (eastings 360,000 to 372,000,
northings 424,000 to 434,000, about 53.7° N, 2.5° W), so its pack has plausible latitudes and longitudes.
Each street is a straight line from its start (record 11's START_X/Y) in a direction and of a length that
its USRN decides; each property stands along its street, 8 to 20 m to one side of it; a flat stands where
its building (the parent BLPU) does. The generator's own random draws decide where along the street, so
the same seed gives the same file.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

__all__ = ["EAST", "NORTH", "Street", "street_line"]

EAST = (360_000, 372_000)  # the borough's eastings, metres
NORTH = (424_000, 434_000)  # and northings


@dataclass(frozen=True)
class Street:
    """A straight street: its start, its unit direction, its length in metres."""

    x: float
    y: float
    dx: float
    dy: float
    length: float

    @property
    def end(self) -> tuple[int, int]:
        return round(self.x + self.dx * self.length), round(self.y + self.dy * self.length)

    def place(self, along: float, side: float) -> tuple[float, float]:
        """A property ``along`` (0..1) the street, on the side ``side`` gives (-1..1: left or right, and how far)."""
        offset = math.copysign(8 + 12 * abs(side), side or 1)
        x = self.x + self.dx * self.length * along - self.dy * offset
        y = self.y + self.dy * self.length * along + self.dx * offset
        return round(x, 2), round(y, 2)


def street_line(usrn: str, x: int, y: int) -> Street:
    """The street of this USRN, starting at (x, y): its direction and length from the USRN alone."""
    rng = random.Random(int(usrn))
    angle = rng.uniform(0, 2 * math.pi)
    return Street(x, y, math.cos(angle), math.sin(angle), rng.uniform(150, 700))


def fraction(value: int, span: tuple[int, int]) -> float:
    """A draw in ``span`` as 0..1 (the generator's draws of a property's place)."""
    return (value - span[0]) / (span[1] - span[0])
