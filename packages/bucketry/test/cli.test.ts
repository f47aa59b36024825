/**
 * The CLI as users run it: `node dist/cli/main.js` in a child process (stdout and stderr are pipes,
 * not terminals), pointed at the fakes through the documented environment variables or a config file.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeServer } from "@bucketry/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fakes, SEED, startFakes } from "./fakes.js";

const PACKAGE = dirname(dirname(fileURLToPath(import.meta.url)));
const MAIN = join(PACKAGE, "dist", "cli", "main.js");
const TOTAL = SEED.hitachi + SEED.mpc + SEED.dbss + SEED.ncloud;

let fakes: Fakes;
let home: string;
beforeAll(async () => {
  fakes = await startFakes();
  home = await mkdtemp(join(tmpdir(), "bucketry-cli-"));
});
afterAll(async () => {
  await fakes.close();
  await rm(home, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only `env` (plus PATH and a scratch HOME/cwd: no real config can leak in). */
function cli(
  args: string[],
  env: Record<string, string | undefined> = fakes.env,
  cwd = home,
): Promise<Result> {
  return spawnResult(process.execPath, [MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, ...env },
  });
}

/**
 * Runs a child to its end. A child that never got to exit (it could not be spawned, or the machine
 * killed it with a signal) is started once more: that is the machine, not the CLI; a second time
 * it counts, with what happened in `stderr`.
 */
function spawnResult(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  tries = 2,
): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        if (tries > 1) return resolve(spawnResult(file, args, options, tries - 1));
        return resolve({ code: 1, stdout, stderr: `${stderr}[no exit code: ${error.code ?? error.signal}]` });
      }
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** `node main.js <args> | head -n <lines>` in bash: the CLI's exit status (pipefail) and what head let through. */
function piped(args: string[], lines: number, env: Record<string, string | undefined>): Promise<Result> {
  return spawnResult(
    "bash",
    ["-c", 'set -o pipefail; "$0" "$@" | head -n "$LINES"', process.execPath, MAIN, ...args],
    {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, ...env, LINES: String(lines) },
    },
  );
}

/** A server that accepts connections and never answers: a provider that has not answered yet. */
async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function withoutSecrets(result: Result): void {
  for (const secret of fakes.secrets) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe.concurrent("help and version", () => {
  it("prints the overview with --help, and the version", async () => {
    const help = await cli(["--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    for (const command of ["buckets", "users", "providers", "demo"]) expect(help.stdout).toContain(command);
    const version = await cli(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("runs as the bin of package.json, the file npm and pnpm link (shebang, executable)", async () => {
    const { bin } = JSON.parse(await readFile(join(PACKAGE, "package.json"), "utf8"));
    const launched = await new Promise<string>((resolve, reject) =>
      execFile(join(PACKAGE, bin.bucketry), ["--version"], { cwd: home }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
    expect(launched).toBe((await cli(["--version"])).stdout);
  });

  it.each(["buckets", "users", "providers", "demo"])("prints the help of %s", async (command) => {
    const result = await cli([command, "--help"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(`Usage: bucketry ${command}`);
    if (command === "buckets" || command === "users") expect(result.stdout).toMatch(/130 interrupted/);
    expect((await cli(["help", command])).stdout).toBe(result.stdout);
  });

  it("documents every environment variable in the providers help", async () => {
    const { stdout } = await cli(["providers", "--help"]);
    for (const name of Object.keys(fakes.env)) expect(stdout).toContain(name);
  });
});

describe.concurrent("usage errors exit 2", () => {
  it.each([
    [[], /Usage: bucketry/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["buckets", "--format", "xml"], /--format must be one of table, json, ndjson/],
    [["buckets", "--limit", "0"], /--limit must be a whole number/],
    [["buckets", "--provider", "aws"], /unknown provider "aws"/],
    [["buckets", "--provider", "virtuozzo-ostor"], /has users, not buckets/],
    [["users", "--provider", "hitachi-vsp-one-object"], /hitachi-vsp-one-object has no users/],
    [["users", "--id", "b09693b73b3c7686", "--email", "a@b.c"], /not both/],
    [["users", "--show-secrets"], /--show-secrets needs --id or --email/],
    [["buckets", "stray"], /positional/i],
    [["buckets", "--fromat", "json"], /^bucketry: unknown option --fromat; did you mean --format\?$/m],
    [["users", "--emial", "a@b.c"], /did you mean --email\?/],
    [["bukets"], /^bucketry: unknown command "bukets"; did you mean buckets\?$/m],
  ])("%j", async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("refuses secrets as flags and says where they go", async () => {
    const result = await cli(["buckets", "--secret-key", "abc"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Secrets are never accepted as flags/);
  });

  it("refuses a config file that is missing or malformed", async () => {
    expect((await cli(["providers", "--config", "nope.json"])).stderr).toMatch(/does not exist/);
    const bad = join(home, "bad.json");
    await writeFile(bad, '{"providers": {"aws": {}}}');
    const result = await cli(["buckets", "--config", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown provider providers\.aws/);
  });
});

describe.concurrent("bucketry buckets", () => {
  it("lists every configured provider as one table, with a per-provider count line", async () => {
    const result = await cli(["buckets"]);
    expect(result.code).toBe(0);
    // Not a terminal: no live counter, no colours.
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toContain("\u001b[");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^PROVIDER\s+NAME\s+ID\s+OWNER\s+REGION\s+CREATED \(UTC\)\s+OBJECTS\s+SIZE\s+AUTHORIZED$/,
    );
    expect(lines).toHaveLength(TOTAL + 2);
    expect(lines.at(-1)).toBe(
      `${TOTAL} buckets: hitachi-vsp-one-object ${SEED.hitachi}, huaweicloud-mpc ${SEED.mpc}, huaweicloud-dbss ${SEED.dbss}, ncloud-archive-storage ${SEED.ncloud}`,
    );
    expect(result.stdout).toMatch(/버킷-\d{6}/);
    withoutSecrets(result);
  });

  it("--verbose prints every request, answer and token refresh on stderr, redacted, and the same buckets", async () => {
    const result = await cli(["buckets", "--verbose", "--format", "ndjson"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(TOTAL);
    const lines = result.stderr.trimEnd().split("\n");
    for (const provider of [
      "hitachi-vsp-one-object",
      "huaweicloud-mpc",
      "huaweicloud-dbss",
      "ncloud-archive-storage",
    ]) {
      expect(
        lines.some((line) => line.startsWith(`bucketry: ${provider} `) && line.includes("← HTTP 200")),
      ).toBe(true);
      expect(lines.some((line) => line.startsWith(`bucketry: ${provider} `) && line.includes("→ "))).toBe(
        true,
      );
    }
    expect(lines.every((line) => line.startsWith("bucketry: "))).toBe(true);
    withoutSecrets(result);
  });

  it("parses whole as JSON", async () => {
    const result = await cli(["buckets", "--format", "json"]);
    expect(result.code).toBe(0);
    const buckets = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(buckets).toHaveLength(TOTAL);
    const mpc = buckets.find((b) => b.provider === "huaweicloud-mpc")!;
    expect(mpc.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(typeof mpc.authorized).toBe("boolean");
    expect(buckets.find((b) => b.provider === "huaweicloud-dbss")).toHaveProperty("region");
    expect(buckets.find((b) => b.provider === "ncloud-archive-storage")).toHaveProperty("objectCount");
    expect(buckets.find((b) => b.provider === "hitachi-vsp-one-object")).toHaveProperty(
      "owner",
      "-468170324",
    );
    withoutSecrets(result);
  });

  it("streams NDJSON that parses line by line", async () => {
    const result = await cli([
      "buckets",
      "--format",
      "ndjson",
      "--provider",
      "ncloud-archive-storage,huaweicloud-mpc",
    ]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(SEED.ncloud + SEED.mpc);
    const providers = new Set(lines.map((line) => (JSON.parse(line) as { provider: string }).provider));
    expect(providers).toEqual(new Set(["ncloud-archive-storage", "huaweicloud-mpc"]));
  });

  it("stops at --limit (ndjson)", async () => {
    const result = await cli(["buckets", "--format", "ndjson", "--limit", "7"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(7);
  });

  it.each([
    [
      ["buckets", "--limit", "3", "--provider", "hitachi-vsp-one-object"],
      "3 buckets (stopped at --limit 3): hitachi-vsp-one-object 3",
    ],
    [
      ["buckets", "--limit", "1", "--provider", "ncloud-archive-storage"],
      "1 bucket (stopped at --limit 1): ncloud-archive-storage 1",
    ],
    [["users", "--limit", "1"], "1 user (stopped at --limit 1): virtuozzo-ostor 1"],
  ])("stops at --limit: %j", async (args, summary) => {
    const result = await cli(args);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith(`\n${summary} (unfinished)\n`)).toBe(true);
  });

  it("with --limit, a source that had not answered is unfinished, not 0, and exits 0", async () => {
    const hole = await blackHole();
    try {
      const result = await cli(
        ["buckets", "--limit", "3", "--provider", "hitachi-vsp-one-object,huaweicloud-mpc"],
        {
          ...fakes.env,
          BUCKETRY_MPC_ENDPOINT: hole.url,
        },
      );
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
        "3 buckets (stopped at --limit 3): hitachi-vsp-one-object 3 (unfinished), huaweicloud-mpc 0 (unfinished)",
      );
    } finally {
      await hole.close();
    }
  });

  it("with --limit, a failure that arrived first is reported and exits 1", async () => {
    // One source at a time: hitachi is refused before ncloud starts, so the failure surely came first.
    const result = await cli(
      [
        "buckets",
        "--limit",
        "5",
        "--concurrency",
        "1",
        "--provider",
        "hitachi-vsp-one-object,ncloud-archive-storage",
      ],
      {
        ...fakes.env,
        VSP_OBJECT_PASSWORD: "wrong",
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(
      "5 buckets (stopped at --limit 5): hitachi-vsp-one-object failed, ncloud-archive-storage 5 (unfinished)",
    );
    expect(result.stderr).toMatch(/^bucketry: hitachi-vsp-one-object failed: AuthenticationError: /);
  });

  it("accepts huaweicloud for both Huawei services", async () => {
    const result = await cli(["buckets", "--format", "ndjson", "--provider", "huaweicloud"]);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(SEED.mpc + SEED.dbss);
  });

  it("reports incomplete settings as that provider's failure, naming the variable", async () => {
    const result = await cli(["buckets", "--format", "ndjson"], { ...fakes.env, OS_PASSWORD: undefined });
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(TOTAL - SEED.ncloud);
    // The label once, not "ncloud-archive-storage failed: ncloud: …".
    expect(result.stderr).toBe(
      "bucketry: ncloud-archive-storage failed: OS_PASSWORD (or \"secretKey\" in the config file) is not set (see 'bucketry providers')\n",
    );
  });

  it("lists NAVER with a pre-issued OS_AUTH_TOKEN and OS_STORAGE_URL instead of the API key", async () => {
    const { ncloud } = fakes;
    const login = await fetch(`${ncloud.keystoneUrl}/v3/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ["password"],
            password: {
              user: {
                name: ncloud.credentials.accessKeyId,
                password: ncloud.credentials.secretKey,
                domain: { id: ncloud.credentials.domainId },
              },
            },
          },
          scope: { project: { id: ncloud.credentials.projectId } },
        },
      }),
    });
    const token = login.headers.get("x-subject-token")!;
    expect(login.status).toBe(201);
    const result = await cli(["buckets", "--format", "ndjson", "--provider", "ncloud-archive-storage"], {
      PATH: process.env.PATH,
      OS_AUTH_TOKEN: token,
      OS_STORAGE_URL: ncloud.storageUrl,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(SEED.ncloud);
    // The listing went out with the pre-issued token itself (other tests share this fake, so count its uses).
    expect(
      ncloud.log.filter((r) => r.target.startsWith("/v1/") && r.headers["x-auth-token"] === token).length,
    ).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  it("exits 1 with a pointer when nothing is configured", async () => {
    const result = await cli(["buckets"], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no provider is configured/);
    expect(result.stderr).toMatch(
      /try 'bucketry demo' \(it needs @bucketry\/testing installed next to bucketry/,
    );
  });

  it("fits tables to the width (COLUMNS on a pipe)", async () => {
    const result = await cli(["buckets", "--provider", "ncloud-archive-storage,hitachi-vsp-one-object"], {
      ...fakes.env,
      COLUMNS: "50",
    });
    const lines = result.stdout.trimEnd().split("\n").slice(0, -1);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(50);
    expect(result.stdout).toContain("…");
  });

  it("reads a config file; environment variables override its fields", async () => {
    // Its own directory: ./bucketry.config.json there must not reach the other tests.
    const dir = await mkdtemp(join(home, "config-"));
    const config = join(dir, "bucketry.config.json");
    const { hitachi, ncloud } = fakes;
    await writeFile(
      config,
      JSON.stringify({
        // The shorthand's secrets inline: only with the explicit opt-in.
        allowInlineSecrets: true,
        providers: {
          "hitachi-vsp-one-object": {
            endpoint: hitachi.cluster.mapiUrl,
            tokenUrl: hitachi.cluster.tokenUrl,
            username: hitachi.credentials.username,
            password: "wrong",
            userIds: [-468170324],
          },
          "ncloud-archive-storage": {
            endpoint: ncloud.url,
            authUrl: `${ncloud.keystoneUrl}/v3`,
            ...ncloud.credentials,
          },
        },
      }),
    );
    try {
      // ./bucketry.config.json is found by default; the password comes from the environment.
      const result = await cli(
        ["buckets", "--format", "ndjson"],
        { VSP_OBJECT_PASSWORD: hitachi.credentials.password },
        dir,
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd().split("\n")).toHaveLength(SEED.hitachi + SEED.ncloud);
      const providers = await cli(["providers"], { VSP_OBJECT_PASSWORD: hitachi.credentials.password }, dir);
      expect(providers.stdout).toContain(`Config file: ${config} (default location)`);
      expect(providers.stdout).toMatch(/hitachi .*yes\s+VSP_OBJECT_PASSWORD, file/);
      expect(providers.stdout).toMatch(/ncloud .*yes\s+file/);
      const wrong = await cli(["buckets", "--provider", "hitachi-vsp-one-object"], {}, dir);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/hitachi-vsp-one-object failed: AuthenticationError/);
      expect(wrong.stderr).not.toContain("wrong");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.concurrent("bucketry users", () => {
  it("lists the ostor users as a table, with space", async () => {
    const result = await cli(["users", "--provider", "virtuozzo-ostor", "--space"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+EMAIL\s+STATE\s+OWNER\s+FLAGS\s+SPACE$/);
    expect(lines).toHaveLength(fakes.ostor.users.length + 2);
    expect(result.stdout).toMatch(/bc6265392b818465\s+user2@email\.com\s+enabled\s+-\s+-\s+8\.7 GiB/);
    expect(lines.at(-1)).toBe(
      `${fakes.ostor.users.length} users: virtuozzo-ostor ${fakes.ostor.users.length}`,
    );
    withoutSecrets(result);
  });

  it("parses as JSON and NDJSON", async () => {
    const json = JSON.parse((await cli(["users", "--format", "json"])).stdout) as { email: string }[];
    expect(json.map((u) => u.email)).toContain("user@example.com");
    const ndjson = (await cli(["users", "--format", "ndjson", "--space"])).stdout.trimEnd().split("\n");
    expect(
      ndjson.map((line) => JSON.parse(line) as { bytes: number }).every((u) => typeof u.bytes === "number"),
    ).toBe(true);
  });

  // One CLI run per test: five child processes in one test outlast its timeout on a loaded machine.
  it.each(["table", "json", "ndjson"])("shows one user's keys redacted (%s)", async (format) => {
    const hidden = await cli(["users", "--id", "b09693b73b3c7686", "--format", format]);
    expect(hidden.code).toBe(0);
    expect(hidden.stdout).toContain("b09693b73b3c7686LCZ5");
    expect(hidden.stdout).toContain("[REDACTED]");
    withoutSecrets(hidden);
  });

  it("reveals one user's keys only with --show-secrets", async () => {
    const user = fakes.ostor.users.find((u) => u.UserId === "b09693b73b3c7686")!;
    const secret = user.Accounts[1]!.AWSAccessKeys[0]!.AWSSecretAccessKey;
    const table = await cli(["users", "--email", user.UserEmail, "--show-secrets"]);
    expect(table.stdout).toMatch(new RegExp(`account2\\s+b09693b73b3c7686LCZ5\\s+${secret}`));
    const json = JSON.parse(
      (await cli(["users", "--id", user.UserId, "--show-secrets", "--format", "json"])).stdout,
    );
    expect(json.accessKeys).toContainEqual({
      account: "account2",
      accessKeyId: "b09693b73b3c7686LCZ5",
      secretAccessKey: secret,
    });
    // raw stays sealed even then.
    expect(JSON.stringify(json.raw)).not.toContain(secret);
  });

  it("exits 1 for a user that does not exist", async () => {
    const result = await cli(["users", "--id", "0123456789abcdef"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/virtuozzo-ostor failed: NotFoundError: .*HTTP 404/);
  });
});

describe.concurrent("bucketry providers", () => {
  it("shows each provider installed and configured, and where from; secrets never shown", async () => {
    const result = await cli(["providers"]);
    expect(result.code).toBe(0);
    for (const name of [
      "hitachi-vsp-one-object",
      "huaweicloud-mpc",
      "huaweicloud-dbss",
      "ncloud-archive-storage",
      "virtuozzo-ostor",
    ]) {
      expect(result.stdout).toMatch(
        new RegExp(`^${name}\\s+@bucketry/\\S+\\s+\\d+\\.\\d+\\.\\d+\\s+yes\\s+`, "m"),
      );
    }
    expect(result.stdout).toMatch(/Config file: none/);
    const json = JSON.parse((await cli(["providers", "--format", "json"])).stdout);
    const ostor = json.providers.find((p: { name: string }) => p.name === "virtuozzo-ostor");
    expect(ostor.settings.secretAccessKey).toEqual({ value: "[REDACTED]", from: "OSTOR_SECRET_ACCESS_KEY" });
    expect(ostor.settings.endpoint.value).toBe(fakes.ostor.url);
    withoutSecrets(result);
  });

  it("says what is missing or refused", async () => {
    const result = await cli(["providers", "--format", "json"], {
      BUCKETRY_MPC_REGION: "mars-1",
      HUAWEICLOUD_SDK_AK: "AK",
      HUAWEICLOUD_SDK_SK: "SK",
      HUAWEICLOUD_SDK_PROJECT_ID: "0123456789abcdef0123456789abcdef",
      OSTOR_ENDPOINT: "https://s3.example.com",
    });
    const byName = Object.fromEntries(json(result).providers.map((p: { name: string }) => [p.name, p]));
    expect(byName["huaweicloud-mpc"]).toMatchObject({
      status: "incomplete",
      problem: expect.stringMatching(/region: unknown/),
    });
    expect(byName["virtuozzo-ostor"]).toMatchObject({
      status: "incomplete",
      problem: expect.stringMatching(/OSTOR_ACCESS_KEY_ID/),
    });
    expect(byName["hitachi-vsp-one-object"].status).toBe("not configured");
  });
});

describe.concurrent("bucketry demo", () => {
  it("starts the fakes, lists a few thousand buckets from every provider and the users, and stops", async () => {
    const result = await cli(["demo"], {});
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(
      /^3,000 buckets: hitachi-vsp-one-object 800, huaweicloud-mpc 600, huaweicloud-dbss 500, ncloud-archive-storage 1,100$/m,
    );
    expect(result.stdout).toMatch(/^28 users: virtuozzo-ostor 28$/m);
    expect(result.stdout).toMatch(/桶-\d{6}/);
    expect(result.stdout).toContain("Every provider answered.");
  });
});

describe("a reader that goes away", () => {
  it("stops the listing quietly: no further pages are requested", async () => {
    // Three pages of 10,000 containers; the reader leaves after the first bytes of the first page.
    const ncloud = await startFakeServer("ncloud-archive-storage", { containers: 30_000 });
    try {
      const env = {
        ...fakes.env,
        BUCKETRY_NCLOUD_ENDPOINT: ncloud.url,
        OS_AUTH_URL: `${ncloud.keystoneUrl}/v3`,
      };
      const child = spawn(
        process.execPath,
        [MAIN, "buckets", "--provider", "ncloud-archive-storage", "--format", "ndjson"],
        {
          cwd: home,
          env: { PATH: process.env.PATH, HOME: home, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.stdout.once("data", () => child.stdout.destroy());
      const code = await new Promise((resolve) => child.on("exit", resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      const listings = ncloud.log.filter((r) => r.target.startsWith("/v1/"));
      expect(listings).toHaveLength(1);
    } finally {
      await ncloud.close();
    }
  });
});

describe("a reader that goes away: `| head` ends the CLI quietly, exit 0", () => {
  // Each output is far larger than a pipe holds, so the CLI is still writing when head leaves.
  it.each([
    ["buckets (table)", ["buckets", "--provider", "ncloud-archive-storage"], 3],
    ["buckets (json)", ["buckets", "--provider", "ncloud-archive-storage", "--format", "json"], 2],
    ["users (table)", ["users"], 1],
    ["demo", ["demo"], 1],
  ])("%s", async (_, args, lines) => {
    const ncloud = await startFakeServer("ncloud-archive-storage", { containers: 5_000 });
    const ostor = await startFakeServer("virtuozzo-ostor", { users: 4_000 });
    try {
      const env = {
        ...fakes.env,
        BUCKETRY_NCLOUD_ENDPOINT: ncloud.url,
        OS_AUTH_URL: `${ncloud.keystoneUrl}/v3`,
        OSTOR_ENDPOINT: ostor.url,
        OSTOR_ACCESS_KEY_ID: ostor.credentials.accessKeyId,
        OSTOR_SECRET_ACCESS_KEY: ostor.credentials.secretAccessKey,
      };
      const result = await piped(args as string[], lines as number, args[0] === "demo" ? {} : env);
      expect(result).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout.split("\n")).toHaveLength((lines as number) + 1);
    } finally {
      await Promise.all([ncloud.close(), ostor.close()]);
    }
  });
});

describe("Ctrl-C", () => {
  it("exits 130 and says how far it got and which sources were still running", async () => {
    const hole = await blackHole();
    try {
      const child = spawn(
        process.execPath,
        [MAIN, "buckets", "--format", "ndjson", "--provider", "hitachi-vsp-one-object,huaweicloud-mpc"],
        {
          cwd: home,
          env: { PATH: process.env.PATH, HOME: home, ...fakes.env, BUCKETRY_MPC_ENDPOINT: hole.url },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        if (stdout === "") child.kill("SIGINT");
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const code = await new Promise((resolve) => child.on("exit", resolve));
      expect(code).toBe(130);
      const match =
        /^bucketry: interrupted after (\d+) buckets? from 1 source; still running: (hitachi-vsp-one-object, )?huaweicloud-mpc\n$/.exec(
          stderr,
        );
      expect(match, stderr).not.toBeNull();
      // The count is what was printed.
      expect(Number(match![1])).toBe(stdout.trimEnd().split("\n").length);
    } finally {
      await hole.close();
    }
  });
});

// Alone: the fault it injects would be taken by any other listing running at the same time.
describe("a provider failing", () => {
  it("exits 1 when a provider fails, still listing the others, and says why on stderr", async () => {
    fakes.dbss.inject(
      { kind: "status", status: 403, body: "denied" },
      { match: (r) => r.target.includes("obs-buckets") },
    );
    const result = await cli(["buckets", "--format", "ndjson"]);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(TOTAL - SEED.dbss);
    expect(result.stderr).toMatch(
      /^bucketry: huaweicloud-dbss failed: PermissionError: huaweicloud-dbss listAuditObsBuckets failed with HTTP 403/,
    );
    withoutSecrets(result);
  });
});

function json(result: Result) {
  return JSON.parse(result.stdout);
}
