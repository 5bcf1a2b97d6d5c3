"""What AWS knows of a request beyond its parameters, for the extensions that evaluate policies.

The server sets it for each request it serves (one thread per request); code running outside a request (a
background copy of the emulator itself) sees the defaults.
"""

from __future__ import annotations

import contextvars

# aws:SecureTransport: the request came over TLS (the emulator's TLS listener), not plain HTTP.
SECURE_TRANSPORT: contextvars.ContextVar[bool] = contextvars.ContextVar("secure_transport", default=False)


def condition_values() -> dict[str, str]:
    """The global condition keys the lab knows for the current request, as IAM's policy language names them."""
    return {"aws:SecureTransport": "true" if SECURE_TRANSPORT.get() else "false"}
