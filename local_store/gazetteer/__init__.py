"""The council's gazetteer (LLPG) as an address pack: import a GeoPlace DTF 7.3 file, search it offline.

Imports nothing of the kiosk's other packages.
"""

from local_store.gazetteer.address import Address, Found

__all__ = ["Address", "Found"]
