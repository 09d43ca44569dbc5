"""Verifies a Waymark webhook request's Waymark-Signature header (Python 3 standard library only).

Use verify() in your receiver with the raw request body (bytes, exactly as received, before any JSON parsing):

    if not verify(SECRET, request.headers["Waymark-Signature"], raw_body):
        respond 401

Or from a shell:  WAYMARK_WEBHOOK_SECRET=... python3 verify_webhook.py "<header value>" < body.json
(exit status 0 when the signature is valid and fresh, 1 when not).
"""
import hashlib
import hmac
import os
import sys
import time

TOLERANCE_SECONDS = 300  # refuse requests signed more than 5 minutes away from now (replays)


def verify(secret, header, body, now=None, tolerance=TOLERANCE_SECONDS):
    """True when header ("t=<unix seconds>,v1=<hex>") is the HMAC-SHA256 of b"<t>." + body keyed with secret."""
    fields = dict(part.strip().split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
        given = fields["v1"]
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    expected = hmac.new(key, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


if __name__ == "__main__":
    valid = verify(os.environ["WAYMARK_WEBHOOK_SECRET"], sys.argv[1], sys.stdin.buffer.read())
    print("valid" if valid else "invalid")
    sys.exit(0 if valid else 1)
