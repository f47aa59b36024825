// Entry of the shared checks on workerd, bundled as wrangler would (conditions workerd, worker,
// browser): the harness POSTs the config and reads the results from the answer.
import { runChecks } from "./checks.mjs";

export default {
  async fetch(request) {
    // The harness polls with HEAD until workerd listens.
    if (request.method !== "POST") return new Response("ready");
    return Response.json(await runChecks(await request.json()));
  },
};
