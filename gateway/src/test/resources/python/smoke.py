"""The Python google-cloud-storage client against the gateway: simple and resumable uploads, a
listing, a ranged download, a delete, and another BU's object (403). Prints one JSON line."""
import hashlib
import json
import os
import sys

from google.api_core import exceptions
from google.cloud import storage
from google.oauth2.credentials import Credentials

endpoint, token, bucket_name = sys.argv[1:4]
client = storage.Client(project="retail", credentials=Credentials(token),
                        client_options={"api_endpoint": endpoint})
bucket = client.bucket(bucket_name)
out = {}

bucket.blob("py/simple.txt").upload_from_string("hello from python", content_type="text/plain")
big = os.urandom(3 * 1024 * 1024 + 17)
resumable = bucket.blob("py/resumable.bin", chunk_size=1024 * 1024)  # chunk_size: a resumable upload
resumable.upload_from_string(big)
out["resumableMd5"] = __import__("base64").b64encode(hashlib.md5(big).digest()).decode()

out["listed"] = sorted(f"{b.name}:{b.size}" for b in client.list_blobs(bucket_name, prefix="py/"))
out["range"] = bucket.blob("py/simple.txt").download_as_bytes(start=6, end=9).decode()
out["wholeMatches"] = bucket.blob("py/resumable.bin").download_as_bytes() == big
out["md5"] = bucket.get_blob("py/resumable.bin").md5_hash

bucket.blob("py/simple.txt").delete()
out["existsAfterDelete"] = bucket.blob("py/simple.txt").exists()
try:
    client.bucket("fin-data").blob("ledger.csv").download_as_bytes()
    out["otherTenant"] = "read"
except exceptions.Forbidden:
    out["otherTenant"] = 403
print(json.dumps(out))
