// Starts @bucketry/testing fakes in their own process for the scale section
// (bench/src/sections/scale.mjs): argv[2] is JSON `[{ api, options }]`. Prints
// `READY [{ api, url, ...credentials }]` (fake, loopback-only credentials), exits when stdin closes.
import { startFakeServer } from "@bucketry/testing";

const wanted = JSON.parse(process.argv[2]);
const started = [];
for (const { api, options } of wanted) {
  const fake = await startFakeServer(api, options);
  started.push({ api, ...describe(api, fake) });
}
process.stdout.write(`READY ${JSON.stringify(started)}\n`);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

function describe(api, fake) {
  switch (api) {
    case "hitachi-vsp-one-object":
      return {
        baseUrl: fake.cluster.mapiUrl,
        tokenUrl: fake.cluster.tokenUrl,
        username: fake.credentials.username,
        password: fake.credentials.password,
      };
    case "huaweicloud-mpc":
    case "huaweicloud-dbss":
      return {
        baseUrl: fake.url,
        projectId: fake.projectId,
        accessKey: fake.credentials.accessKey,
        secretKey: fake.credentials.secretKey,
      };
    case "ncloud-archive-storage":
      return {
        baseUrl: fake.url,
        authUrl: `${fake.keystoneUrl}/v3`,
        projectId: fake.credentials.projectId,
        accessKeyId: fake.credentials.accessKeyId,
        secretKey: fake.credentials.secretKey,
        domainId: fake.credentials.domainId,
      };
    case "virtuozzo-ostor":
      return {
        baseUrl: fake.url,
        accessKeyId: fake.credentials.accessKeyId,
        secretAccessKey: fake.credentials.secretAccessKey,
      };
    default:
      throw new Error(`no fake ${api}`);
  }
}
