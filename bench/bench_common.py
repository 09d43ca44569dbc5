"""What the benchmark scripts share: a free port on 127.0.0.1 and SigV4 headers as the SDKs sign them."""
import socket

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sigv4_headers(key_id, secret, method, url, body=b""):
    """The headers of a request signed for Pinpoint (service mobiletargeting, us-east-1) with this key."""
    request = AWSRequest(method=method, url=url, data=body,
                         headers={"Content-Type": "application/json"} if body else {})
    SigV4Auth(Credentials(key_id, secret), "mobiletargeting", "us-east-1").add_auth(request)
    return dict(request.headers.items())
