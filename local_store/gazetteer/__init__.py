"""The council's gazetteer (LLPG) as an address pack: import a GeoPlace DTF 7.3 file, search it offline.

Imports nothing of the kiosk's other packages.
"""

from local_store.gazetteer.address import Address, Found
from local_store.gazetteer.dtf import DtfError
from local_store.gazetteer.pack import BuildReport, Pack, PackError, PackMeta, build_pack

__all__ = ["Address", "BuildReport", "DtfError", "Found", "Pack", "PackError", "PackMeta", "build_pack"]
