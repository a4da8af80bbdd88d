"""The vendors' official Python SDKs against keygate-mock in verify mode.

Each SDK calls the seed operation it has, at the mock's address; every call must succeed.
Then the same calls against a mock that knows another secret must all fail: the mock really
checked the signatures. Usage: python official_sdks.py PATH-TO-keygate-mock
"""

import http.client
import json
import subprocess
import sys

AK = "official-sdk-ak"
SECRET = "official-sdk-secret-0123456789"
PROJECT = "77b6a44cba5143ab91d13ab9a8ff44fd"


def start_mock(binary, secret):
    """keygate-mock in verify mode knowing `secret`, and its host and port."""
    credentials = ",".join(f"{v}:{AK}:{secret}" for v in ("alibaba", "tencent", "huawei"))
    proc = subprocess.Popen(
        [binary, "--port", "0", "--auth", "verify", "--credential", credentials],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    address = line.split("listening on http://")[1].split()[0]
    host, port = address.split(":")
    return proc, host, int(port)


def alibaba_calls(host, port):
    from alibabacloud_apig20240327 import models
    from alibabacloud_apig20240327.client import Client
    from alibabacloud_tea_openapi import models as open_api

    client = Client(open_api.Config(access_key_id=AK, access_key_secret=SECRET,
                                    endpoint=f"{host}:{port}", protocol="http"))
    yield "alibaba ListSecretReferences (GET)", lambda: client.list_secret_references(
        "sec-d5e6shmm1hkoxxxxxxxx",
        models.ListSecretReferencesRequest(page_number=1, page_size=10)).body.data.total_size
    yield "alibaba CreateSecret (POST JSON)", lambda: client.create_secret(
        models.CreateSecretRequest(name="my_secret", secret_data="apikey-123456xxxxxxxx",
                                   gateway_type="API")).body.data.secret_id


def huawei_calls(host, port):
    from huaweicloudsdkapig.v2 import ApigClient, ListAiApiKeysRequest
    from huaweicloudsdkcore.auth.credentials import BasicCredentials

    client = (ApigClient.new_builder()
              .with_credentials(BasicCredentials(AK, SECRET, PROJECT))
              .with_endpoint(f"http://{host}:{port}")
              .build())
    yield "huawei ListAiApiKeys (AK/SK, X-Project-Id)", lambda: client.list_ai_api_keys(
        ListAiApiKeysRequest(instance_id="eddc4d25480b4cd6b512f270a1b8b341",
                             app_id="9ed8b7fe84224de681e7d7a5587e76dc",
                             limit=20, offset=0)).total


def tencent_calls(host, port):
    # The legacy SDK speaks HTTPS only: its connection class is swapped for plain HTTP to
    # the mock, everything it signs and sends stays as it is.
    import QcloudApi.common.request as request
    from QcloudApi.modules import apigateway
    from QcloudApi.qcloudapi import QcloudApi

    class PlainConnection(http.client.HTTPConnection):
        def __init__(self, _host, _port=None):
            super().__init__(host, port)
            self.request_length = 0

        def send(self, data):
            super().send(data)
            self.request_length += len(data)

    request.MyHTTPSConnection = PlainConnection
    apigateway.APIGateway.requestHost = f"{host}:{port}"

    def call(method, signature):
        service = QcloudApi("apigateway", {
            "Region": "ap-guangzhou", "secretId": AK, "secretKey": SECRET,
            "method": method, "SignatureMethod": signature})
        answer = json.loads(service.call(
            "DescribeApiKeysStatus", {"secretIDs": ["AKIDXXXXWKipDlK"], "offset": 0, "limit": 20}))
        if answer.get("code") != 0:
            raise RuntimeError(f"code {answer.get('code')}: {answer.get('message')}")
        return answer["totalCount"]

    for method in ("GET", "POST"):
        for signature in ("HmacSHA1", "HmacSHA256"):
            yield (f"tencent DescribeApiKeysStatus ({method}, {signature})",
                   lambda m=method, s=signature: call(m, s))


def run_all(binary, mock_secret):
    """(name, outcome) of every call against a mock that knows `mock_secret`."""
    proc, host, port = start_mock(binary, mock_secret)
    outcomes = []
    try:
        for calls in (alibaba_calls, huawei_calls, tencent_calls):
            for name, call in calls(host, port):
                try:
                    outcomes.append((name, f"ok: {call()}"))
                except Exception as error:  # the SDKs raise their own types
                    outcomes.append((name, f"refused: {type(error).__name__}"))
    finally:
        proc.terminate()
        proc.wait()
    return outcomes


def main():
    binary = sys.argv[1]
    failed = False
    for label, secret, want in (("same secret", SECRET, "ok"),
                                ("another secret", "x" + SECRET, "refused")):
        print(f"-- mock in verify mode, {label}: every call {want}")
        for name, outcome in run_all(binary, secret):
            good = outcome.startswith(want)
            failed |= not good
            print(f"{'PASS' if good else 'FAIL'}  {name}: {outcome}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
