"""TLS for the portal: verification always on, and a refusal that names the certificate's problem."""

from __future__ import annotations

import ssl

import certifi

# OpenSSL's X509_V_ERR_* codes for the problems IT meets, in words they can act on.
_VERIFY_CODES = {
    18: "the portal's certificate is self-signed",
    19: "the portal's certificate chain ends in a self-signed certificate this kiosk does not trust",
    10: "the portal's certificate has expired",
    9: "the portal's certificate is not valid yet (check this kiosk's clock)",
    62: "the portal's certificate is for another host name",
    64: "the portal's certificate is for another address",
    20: "the portal's certificate is from a certificate authority this kiosk does not trust",
    2: "the portal's certificate is from a certificate authority this kiosk does not trust",
    21: "the portal's certificate is from a certificate authority this kiosk does not trust",
}


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """Verification always on: the usual CA store, plus the council's own CAs when given.

    (httpx deprecates verify=<path>; and a council bundle should add to the trust store, not
    replace it, so a kiosk behind a TLS-inspecting proxy can still reach other https hosts.)"""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


def tls_problem(exc: BaseException) -> str | None:
    """What was wrong with TLS, if that is why `exc` (or what caused it) happened."""
    seen: BaseException | None = exc
    for _ in range(20):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLCertVerificationError):
            named = _VERIFY_CODES.get(seen.verify_code)
            detail = seen.verify_message or seen.reason or "not trusted"
            return f"{named} ({detail})" if named else f"the portal's certificate is not trusted ({detail})"
        if isinstance(seen, ssl.SSLError):
            return f"the TLS connection to the portal failed ({seen.reason or type(seen).__name__})"
        seen = seen.__cause__ or seen.__context__
    return None


__all__ = ["tls_context", "tls_problem"]
