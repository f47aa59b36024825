// A Swift account listing that costs O(page), not O(account), for the scale section
// (bench/src/sections/scale.mjs): `argv[2]` containers named `bucket-0000001`…, generated per page
// (so 1,000,000 need no memory), paged by `marker`/`limit` in JSON as Swift writes it. Tokens come
// from the real @bucketry/testing NAVER fake (Keystone v3) started in this process and are checked
// against it. Runs in its own process; prints `READY {…}`, exits when its stdin closes.
import { createServer } from "node:http";
import { startFakeServer } from "@bucketry/testing";

const total = Number(process.argv[2]);
const keystone = await startFakeServer("ncloud-archive-storage", { containers: 0 });
const account = `AUTH_${keystone.credentials.projectId}`;
const LIMIT = 10_000;
const name = (i) => `bucket-${String(i).padStart(7, "0")}`;
const entry = (i) =>
  `{"name": "${name(i)}", "count": ${i % 100}, "bytes": ${i * 1024}, "last_modified": "2024-05-01T12:00:00.000000"}`;

let requests = 0;
const server = createServer((request, response) => {
  requests += 1;
  const url = new URL(request.url, "http://x");
  const token = request.headers["x-auth-token"];
  if (url.pathname.replace(/\/$/, "") !== `/v1/${account}`)
    return answer(response, 404, "text/plain", "Not Found");
  if (typeof token !== "string" || !keystone.issuedTokens.has(token)) {
    return answer(response, 401, "text/plain", "Unauthorized");
  }
  const limit = Math.min(Number(url.searchParams.get("limit") ?? LIMIT) || LIMIT, LIMIT);
  const marker = url.searchParams.get("marker") ?? "";
  const after = /^bucket-\d{7}$/.test(marker) ? Number(marker.slice(7)) : marker === "" ? 0 : total;
  const items = [];
  for (let i = after + 1; i <= Math.min(total, after + limit); i++) items.push(entry(i));
  answer(response, 200, "application/json; charset=utf-8", `[${items.join(", ")}]`);
});

function answer(response, status, type, body) {
  response.writeHead(status, {
    "content-type": type,
    "content-length": Buffer.byteLength(body),
    "x-account-container-count": String(total),
    "x-account-object-count": "0",
    "x-account-bytes-used": "0",
    "x-timestamp": "1714564800.00000",
    "x-trans-id": `tx${requests.toString(16).padStart(21, "0")}-0066322dc0`,
  });
  response.end(body);
}

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const info = {
    api: "ncloud-archive-storage",
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    authUrl: `${keystone.keystoneUrl}/v3`,
    projectId: keystone.credentials.projectId,
    accessKeyId: keystone.credentials.accessKeyId,
    secretKey: keystone.credentials.secretKey,
    domainId: keystone.credentials.domainId,
  };
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
