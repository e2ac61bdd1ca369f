"""What the benchmark scripts share: one kept-alive HTTP connection per thread and server, and the
admin accounts the bindings are spread over."""
import http.client
import json
import threading
import urllib.parse

local = threading.local()


def call(base, method, path, token=None, body=None, retry=True):
    url = urllib.parse.urlparse(base)
    conn = getattr(local, base, None)
    if conn is None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        setattr(local, base, conn)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        reply = conn.getresponse()
        text = reply.read().decode()
    except (http.client.HTTPException, ConnectionError):
        # The server closed a kept-alive connection: once more on a new one.
        conn.close()
        setattr(local, base, None)
        if not retry:
            raise
        return call(base, method, path, token, body, False)
    if reply.status >= 300:
        raise RuntimeError(f"{method} {path}: {reply.status} {text}")
    return json.loads(text) if text.startswith(("{", "[")) else text


def ews_accounts(server, sim, admin_token, accounts):
    """Admin accounts ews0..ews{accounts-1}@exchange.test, NTLM against the simulator."""
    for a in range(accounts):
        call(server, "PUT", f"/admin/api/v1/tenants/bench/exchange_admin_accounts/ews{a}@exchange.test",
             admin_token, {"protocol": "ews", "ews_url": sim + "/EWS/Exchange.asmx",
                           "username": "admin@exchange.test", "password": "secret", "auth": "ntlm"})
