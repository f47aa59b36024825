// A minimal loopback HTTP server for the per-request overhead section (bench/src/sections/overhead.mjs):
// answers every request 200 with a small fixed JSON body, checks nothing. Runs in its own process;
// prints `READY {"url":…}`, exits when its stdin closes.
import { createServer } from "node:http";

const body = Buffer.from(
  JSON.stringify({
    buckets: [{ bucket: "media-000001", creation_date: 20240501120000, is_authorized: 1 }],
    total: 1,
  }),
);
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
