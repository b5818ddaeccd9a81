"""A local stand-in for Alibaba Cloud SMS that speaks its RPC protocol: for the tests, and for a smoke test of a
deployment's configuration without sending a real text (docs/deployment.md).

It checks what the real service checks before anything else (the access key id, the signature with the shared
secret, the timestamp's freshness, a nonce used once), then answers ``SendSms`` and ``QuerySendDetails`` in the
provider's JSON. It can be told to fail the next requests of an action (``fail_next``): ``http500``, ``throttle``,
``illegal_number``, ``template``, ``hang`` (answer only after ``hang_seconds``, past the client's timeout) or
``accept_then_hang`` (take the message, then hang: the client times out on a message that was sent), and
to report a message delivered or failed (``report``). The signature is verified by its own code (not the client's
``rpc_signature``), so a mistake in one is not mirrored in the other.

    python -m fayuan.notifications.aliyun_fake --port 18080 --access-key-id test-id --secret test-secret
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import itertools
import json
import re
import signal
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
FAILURES = ("http500", "throttle", "illegal_number", "template", "hang", "accept_then_hang")


def _encode(value: str) -> str:
    return "".join(chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in value.encode("utf-8"))


def expected_signature(params: dict[str, str], secret: str, method: str) -> str:
    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    canonical = "&".join(_encode(k) + "=" + _encode(v) for k, v in pairs)
    to_sign = method + "&" + _encode("/") + "&" + _encode(canonical)
    return base64.b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


@dataclass
class SentMessage:
    biz_id: str
    phone: str
    sign_name: str
    template_code: str
    template_param: dict[str, str]
    out_id: str
    sent_at: dt.datetime
    status: int = 1  # 1 waiting for the receipt, 2 failed, 3 delivered
    err_code: str = ""
    received_at: dt.datetime | None = None


@dataclass
class FakeAliyunSms:
    access_key_id: str
    secret: str
    template_codes: set[str] | None = None  # None: any TemplateCode is approved
    host: str = "127.0.0.1"
    port: int = 0
    hang_seconds: float = 5.0
    sent: list[SentMessage] = field(default_factory=list)
    requests: list[dict[str, str]] = field(default_factory=list)  # every request's parameters, as received
    rejected: list[str] = field(default_factory=list)  # the codes of requests refused before the action
    _failures: dict[str, deque[str]] = field(default_factory=dict)
    _nonces: set[str] = field(default_factory=set)
    _ids: Any = field(default_factory=lambda: itertools.count(900619746936498440))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _release: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # --- control ---------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake gateway is not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    def start(self) -> FakeAliyunSms:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                fake._handle(self, "POST", dict(parse_qsl(body, keep_blank_values=True)))

            def do_GET(self) -> None:
                fake._handle(self, "GET", dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True)))

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the request line carries nothing useful; keep test output quiet

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-aliyun-sms", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # a hanging answer returns now
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeAliyunSms:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(self, *modes: str, action: str = "SendSms") -> None:
        """Fail the next requests of ``action`` (that have passed the signature check), one mode each."""
        for mode in modes:
            if mode not in FAILURES:
                raise ValueError(f"unknown failure {mode!r}; one of {FAILURES}")
            self._failures.setdefault(action, deque()).append(mode)

    def report(self, biz_id: str, *, delivered: bool, err_code: str = "", at: dt.datetime | None = None) -> None:
        with self._lock:
            message = next(m for m in self.sent if m.biz_id == biz_id)
            message.status = 3 if delivered else 2
            message.err_code = err_code or ("DELIVERED" if delivered else "MK:0001")
            message.received_at = at or dt.datetime.now(CHINA)

    # --- protocol --------------------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str, params: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(params)
        status, answer = self._answer(method, params)
        if status == 0:  # hang: keep the connection open past the client's timeout, then close without answering
            self._release.wait(self.hang_seconds)
            handler.close_connection = True
            return
        body = json.dumps(answer, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json;charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _refuse(self, status: int, code: str, message: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.rejected.append(code)
        return status, {"Code": code, "Message": message, "RequestId": _request_id()}

    def _answer(self, method: str, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        required = ("AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion",
                    "Timestamp", "Version", "Signature")
        missing = [name for name in required if not params.get(name)]
        if missing:
            return self._refuse(400, "MissingParameter", f"The input parameter {missing[0]} is not specified.")
        if params["AccessKeyId"] != self.access_key_id:
            return self._refuse(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if (params["SignatureMethod"], params["SignatureVersion"], params["Version"], params["Format"]) != (
                "HMAC-SHA1", "1.0", "2017-05-25", "JSON"):
            return self._refuse(400, "InvalidParameter", "Unsupported signature method, version or format.")
        if not hmac.compare_digest(params["Signature"], expected_signature(params, self.secret, method)):
            return self._refuse(400, "SignatureDoesNotMatch", "Specified signature is not matched with our "
                                                              "calculation.")
        try:
            stamp = dt.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            return self._refuse(400, "InvalidTimeStamp.Format", "Specified time stamp is not valid.")
        if abs(dt.datetime.now(dt.UTC) - stamp) > dt.timedelta(minutes=15):
            return self._refuse(400, "InvalidTimeStamp.Expired", "Specified time stamp or date header is expired.")
        with self._lock:
            if params["SignatureNonce"] in self._nonces:
                return 400, {"Code": "SignatureNonceUsed", "Message": "Specified signature nonce was used already.",
                             "RequestId": _request_id()}
            self._nonces.add(params["SignatureNonce"])
            pending = self._failures.get(params["Action"])
            failure = pending.popleft() if pending else ""
        if failure == "hang":
            return 0, {}
        if failure == "accept_then_hang" and params["Action"] == "SendSms":
            self._send(params, "")  # taken, but the answer never arrives: the client cannot know
            return 0, {}
        if failure == "http500":
            return 500, {"Code": "ServiceUnavailable", "Message": "The request has failed due to a temporary "
                                                                  "failure of the server.", "RequestId": _request_id()}
        if failure == "throttle":
            return 200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1",
                         "RequestId": _request_id()}
        if params["Action"] == "SendSms":
            return self._send(params, failure)
        if params["Action"] == "QuerySendDetails":
            return self._query(params)
        return 404, {"Code": "InvalidAction.NotFound", "Message": "Specified api is not found.",
                     "RequestId": _request_id()}

    def _send(self, params: dict[str, str], failure: str) -> tuple[int, dict[str, Any]]:
        phone = params.get("PhoneNumbers", "")
        if failure == "illegal_number" or not re.fullmatch(r"1[3-9]\d{9}", phone):
            return 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "invalid mobile number",
                         "RequestId": _request_id()}
        code = params.get("TemplateCode", "")
        if failure == "template" or not code or (self.template_codes is not None and code not in self.template_codes):
            return 200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法(不存在或被拉黑)",
                         "RequestId": _request_id()}
        if not params.get("SignName"):
            return 200, {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "签名不合法", "RequestId": _request_id()}
        try:
            values = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return 200, {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法，只接受字符串值",
                         "RequestId": _request_id()}
        with self._lock:
            biz_id = f"{next(self._ids)}^0"
            self.sent.append(SentMessage(biz_id, phone, params["SignName"], code, values, params.get("OutId", ""),
                                         dt.datetime.now(CHINA)))
        return 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": _request_id()}

    def _query(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        for name in ("PhoneNumber", "SendDate", "PageSize", "CurrentPage"):
            if not params.get(name):
                return 400, {"Code": "MissingParameter", "Message": f"The input parameter {name} is not specified.",
                             "RequestId": _request_id()}
        with self._lock:
            matching = [m for m in self.sent if m.phone == params["PhoneNumber"]
                        and m.sent_at.strftime("%Y%m%d") == params["SendDate"]
                        and (not params.get("BizId") or m.biz_id == params["BizId"])]
            size, page = min(int(params["PageSize"]), 50), int(params["CurrentPage"])
            found = matching[(page - 1) * size:page * size]
            details = [{
                "PhoneNum": m.phone, "SendStatus": m.status, "ErrCode": m.err_code, "TemplateCode": m.template_code,
                "Content": "【" + m.sign_name + "】" + json.dumps(m.template_param, ensure_ascii=False),
                "SendDate": m.sent_at.strftime("%Y-%m-%d %H:%M:%S"),
                "ReceiveDate": m.received_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if m.received_at else "",
                "OutId": m.out_id,
            } for m in found]
        return 200, {"Code": "OK", "Message": "OK", "RequestId": _request_id(), "TotalCount": len(matching),
                     "SmsSendDetailDTOs": {"SmsSendDetailDTO": details}}


def _request_id() -> str:
    return str(uuid.uuid4()).upper()


def main() -> None:  # pragma: no cover - a manual smoke-test helper
    parser = argparse.ArgumentParser(description="A local fake of Alibaba Cloud SMS (dysmsapi 2017-05-25).")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--access-key-id", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    fake = FakeAliyunSms(args.access_key_id, args.secret, port=args.port).start()
    done = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: done.set())
    print(f"fake Aliyun SMS at {fake.url} (Ctrl-C to stop)", flush=True)
    done.wait()
    fake.stop()
    for message in fake.sent:
        print(f"{message.biz_id} {message.phone[:3]}****{message.phone[-4:]} {message.template_code} "
              f"OutId={message.out_id}")
    print(f"{len(fake.sent)} message(s) accepted, {len(fake.rejected)} request(s) refused: "
          f"{', '.join(fake.rejected) or '-'}", flush=True)


if __name__ == "__main__":  # pragma: no cover
    main()
