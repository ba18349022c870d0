// The Node.js @google-cloud/storage client against the gateway: simple and resumable uploads,
// a listing, a ranged download, a delete. Prints one JSON line of what it observed.
import { Storage } from '@google-cloud/storage';
import { OAuth2Client } from 'google-auth-library';
import crypto from 'node:crypto';

const [endpoint, token, bucketName] = process.argv.slice(2);
const authClient = new OAuth2Client();
authClient.setCredentials({ access_token: token, expiry_date: Date.now() + 3600_000 });
const storage = new Storage({ apiEndpoint: endpoint, projectId: 'retail', useAuthWithCustomEndpoint: true,
  authClient, retryOptions: { autoRetry: false } });
// @google-cloud/storage 8.4.0 drops useAuthWithCustomEndpoint on the resumable path (File
// startResumableUpload_ does not pass it, so its Upload sends no credentials to a custom
// endpoint); a request interceptor, which that path does apply, adds the token there.
storage.interceptors.push({ request: reqOpts => {
  reqOpts.headers = { ...(reqOpts.headers || {}), Authorization: 'Bearer ' + token };
  return reqOpts;
} });
const bucket = storage.bucket(bucketName);
const out = {};

await bucket.file('node/simple.txt').save('hello from node', { resumable: false, contentType: 'text/plain' });
const big = crypto.randomBytes(3 * 1024 * 1024 + 17);
await bucket.file('node/resumable.bin').save(big, { resumable: true, chunkSize: 1024 * 1024 });
out.resumableMd5 = crypto.createHash('md5').update(big).digest('base64');

const [files] = await bucket.getFiles({ prefix: 'node/' });
out.listed = files.map(f => f.name + ':' + f.metadata.size).sort();

const [range] = await bucket.file('node/simple.txt').download({ start: 6, end: 9 });
out.range = range.toString('utf8');
const [whole] = await bucket.file('node/resumable.bin').download();
out.wholeMatches = Buffer.compare(whole, big) === 0;
const [meta] = await bucket.file('node/resumable.bin').getMetadata();
out.md5 = meta.md5Hash;

await bucket.file('node/simple.txt').delete();
const [exists] = await bucket.file('node/simple.txt').exists();
out.existsAfterDelete = exists;
try {
  await storage.bucket('fin-data').file('ledger.csv').download();
  out.otherTenant = 'read';
} catch (e) {
  out.otherTenant = e.code;
}
console.log(JSON.stringify(out));
