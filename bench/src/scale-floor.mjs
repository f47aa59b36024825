// The floor of the scale section (bench/src/sections/scale.mjs): what any client must spend to list
// the same account, with no client at all. Global fetch and `response.json()` only: a token, then
// Swift pages of 10,000 by marker, counting entries; no checks, no objects of its own,
// no async iterator. A real client does all of this and more, so its CPU share of wall time cannot
// be below this one's. Same process shape as scale-client.mjs; prints `RESULT {…}`.
const { fake } = JSON.parse(process.argv[2]);

// A pre-issued token and account URL (a real Swift, bench/src/scale-real-swift.mjs), or Keystone's.
const token = fake.authToken ?? (await keystoneToken());
const account = `${fake.storageUrl ?? `${fake.baseUrl}/v1/AUTH_${fake.projectId}`}?format=json&limit=10000`;

async function keystoneToken() {
  const login = await fetch(`${fake.authUrl}/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: { name: fake.accessKeyId, password: fake.secretKey, domain: { id: fake.domainId } },
          },
        },
        scope: { project: { id: fake.projectId } },
      },
    }),
  });
  const issued = login.headers.get("x-subject-token");
  await login.arrayBuffer();
  if (!issued) throw new Error(`no token (HTTP ${login.status})`);
  return issued;
}

const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
let buckets = 0;
for (let marker = ""; ; ) {
  const url = marker === "" ? account : `${account}&marker=${encodeURIComponent(marker)}`;
  const response = await fetch(url, { headers: { "x-auth-token": token } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const page = await response.json();
  if (page.length === 0) break;
  buckets += page.length;
  marker = page[page.length - 1].name;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const used = process.cpuUsage(cpu);
process.stdout.write(`RESULT ${JSON.stringify({ buckets, ms, cpuMs: (used.user + used.system) / 1000 })}\n`);
