/**
 * `bucketry demo`: starts loopback fakes of the five APIs from `@bucketry/testing` (an optional peer,
 * loaded only here: runtime code never imports it), seeds them, writes a temporary config file that
 * points at them, and runs the real `buckets` and `users` commands against it. The user's own
 * environment and config file are left out, so the demo never reaches a real provider.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MissingProviderError } from "../../errors.js";
import type { CliIo } from "../output.js";
import { styles, useColor, write } from "../output.js";

type Testing = typeof import("@bucketry/testing");

/** The MAPI users the Hitachi fake is seeded with: Hitachi's playbook id and a second one. */
const HITACHI_USERS = { "-468170324": 450, "42": 350 } as const;

/** Runs the demo with `run` (the CLI itself); resolves to the worst exit code of the commands. */
export async function demoCommand(
  io: CliIo,
  run: (argv: string[], io: CliIo) => Promise<number>,
  load: () => Promise<Testing> = () => import("@bucketry/testing"),
): Promise<number> {
  let testing: Testing;
  try {
    testing = await load();
  } catch (error) {
    const missing = new MissingProviderError("bucketry demo", "@bucketry/testing", { cause: error });
    await write(io.stderr, `bucketry: ${missing.message}\n`);
    return 1;
  }
  const { bucketNames, startFakeServer } = testing;
  const style = styles(useColor(io.stdout, io.env));
  await write(
    io.stdout,
    `${style.bold("Bucketry demo")}: loopback fakes of five APIs, seeded; nothing leaves this machine.\n\n`,
  );

  const fakes = await Promise.all([
    startFakeServer("hitachi-vsp-one-object", {
      users: {
        [-468170324]: bucketNames(HITACHI_USERS["-468170324"], "vsp"),
        42: bucketNames(HITACHI_USERS["42"], "vsp-team"),
      },
    }),
    startFakeServer("huaweicloud-mpc", { buckets: bucketNames(600, "media") }),
    startFakeServer("huaweicloud-dbss", { buckets: bucketNames(500, "audit-backup") }),
    startFakeServer("ncloud-archive-storage", { containers: 1100 }),
    startFakeServer("virtuozzo-ostor", { users: 25 }),
  ]);
  const [hitachi, mpc, dbss, ncloud, ostor] = fakes;
  const dir = await mkdtemp(join(tmpdir(), "bucketry-demo-"));
  try {
    const config = join(dir, "bucketry.config.json");
    const providers = {
      "hitachi-vsp-one-object": {
        endpoint: hitachi.cluster.mapiUrl,
        tokenUrl: hitachi.cluster.tokenUrl,
        username: hitachi.credentials.username,
        password: hitachi.credentials.password,
        clientId: hitachi.credentials.clientId,
        userIds: Object.keys(HITACHI_USERS).join(","),
      },
      "huaweicloud-mpc": { endpoint: mpc.url, projectId: mpc.projectId, ...mpc.credentials },
      "huaweicloud-dbss": { endpoint: dbss.url, projectId: dbss.projectId, ...dbss.credentials },
      "ncloud-archive-storage": {
        endpoint: ncloud.url,
        authUrl: `${ncloud.keystoneUrl}/v3`,
        ...ncloud.credentials,
      },
      "virtuozzo-ostor": { endpoint: ostor.url, ...ostor.credentials },
    };
    // The fakes' keys are throwaway, but a config file with keys is private by habit.
    await writeFile(config, `${JSON.stringify({ allowInlineSecrets: true, providers }, null, 2)}\n`, {
      mode: 0o600,
    });

    const lines = [
      ["hitachi-vsp-one-object", hitachi.cluster.mapiUrl, `${hitachi.users.size} users`],
      ["huaweicloud-mpc", mpc.url, `project ${mpc.projectId}`],
      ["huaweicloud-dbss", dbss.url, `project ${dbss.projectId}`],
      ["ncloud-archive-storage", ncloud.storageUrl, ""],
      ["virtuozzo-ostor", ostor.url, `${ostor.users.length} users`],
    ];
    const width = Math.max(...lines.map(([, url]) => (url as string).length)) + 2;
    for (const [name, url, note] of lines) {
      await write(
        io.stdout,
        `  ${(name as string).padEnd(18)}${(url as string).padEnd(width)}${style.dim(note as string)}\n`,
      );
    }
    await write(io.stdout, `\nConfig file: ${config}\n`);

    // Only presentation settings pass through: no credentials or config paths of the user's own.
    const env = { NO_COLOR: io.env.NO_COLOR, COLUMNS: io.env.COLUMNS, HOME: dir, XDG_CONFIG_HOME: dir };
    const demoIo: CliIo = { ...io, env, cwd: dir };
    let code = 0;
    for (const argv of [["buckets"], ["users", "--space"]]) {
      await write(io.stdout, `\n${style.bold(`$ bucketry ${argv.join(" ")}`)}\n`);
      code = Math.max(code, await run([...argv, "--config", config], demoIo));
      if (io.signal?.aborted) return 130;
    }
    await write(
      io.stdout,
      code === 0
        ? `\n${style.green("Every provider answered.")} Stopping the fakes.\n`
        : `\n${style.red("Some providers failed")} (see above). Stopping the fakes.\n`,
    );
    return code;
  } finally {
    await Promise.all(fakes.map((fake) => fake.close()));
    await rm(dir, { recursive: true, force: true });
  }
}
