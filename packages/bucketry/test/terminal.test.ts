/**
 * What the CLI does on a terminal, which a child process with pipes cannot show: colours (and
 * `NO_COLOR`), the live counter on stderr, and tables cut to the terminal's width. Run in-process
 * through `run()` with streams that say they are terminals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCommand } from "../src/cli/commands/demo.js";
import { displayWidth, type Output, renderTable, truncate } from "../src/cli/output.js";
import { progress } from "../src/cli/progress.js";
import { run } from "../src/cli/run.js";
import { type Fakes, SEED, startFakes } from "./fakes.js";

/** A stream that records what is written, a terminal of `columns` columns or a pipe. */
function stream(options: { tty: boolean; columns?: number }): Output & { text: string } {
  const out = {
    text: "",
    isTTY: options.tty,
    columns: options.columns,
    write(chunk: string) {
      out.text += chunk;
      return true;
    },
  };
  return out;
}

let fakes: Fakes;
beforeAll(async () => {
  fakes = await startFakes();
});
afterAll(() => fakes.close());

const ESC = "\u001b[";

describe("on a terminal", () => {
  it("colours the table header, and fits the table to the terminal's width", async () => {
    const stdout = stream({ tty: true, columns: 72 });
    const stderr = stream({ tty: false });
    const code = await run(["buckets", "--provider", "ncloud-archive-storage,huaweicloud-mpc"], {
      stdout,
      stderr,
      env: fakes.env,
      cwd: "/",
    });
    expect(code).toBe(0);
    expect(stdout.text.startsWith(`${ESC}1mPROVIDER`)).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
    const plain = stdout.text.replace(/\u001b\[\d+m/g, "");
    for (const line of plain.trimEnd().split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(72);
  });

  it("respects NO_COLOR", async () => {
    const stdout = stream({ tty: true, columns: 200 });
    const code = await run(["buckets", "--provider", "huaweicloud-dbss"], {
      stdout,
      stderr: stream({ tty: false }),
      env: { ...fakes.env, NO_COLOR: "1" },
      cwd: "/",
    });
    expect(code).toBe(0);
    expect(stdout.text).not.toContain(ESC);
    expect(stdout.text).toContain(`${SEED.dbss} buckets: huaweicloud-dbss ${SEED.dbss}`);
  });

  it("shows a live counter on stderr when it is a terminal, and erases it", async () => {
    const stderr = stream({ tty: true, columns: 80 });
    let clock = 0;
    const counter = progress(stderr, "bucket", () => (clock += 150));
    for (let i = 0; i < 5; i++) counter.tick(i % 2 ? "ncloud-archive-storage" : "hitachi-vsp-one-object");
    counter.done();
    expect(stderr.text).toContain("5 buckets (hitachi-vsp-one-object 3, ncloud-archive-storage 2)");
    expect(stderr.text.endsWith(`\r${ESC}2K`)).toBe(true);

    const full = stream({ tty: true, columns: 80 });
    await run(["buckets", "--provider", "ncloud-archive-storage", "--format", "ndjson"], {
      stdout: stream({ tty: false }),
      stderr: full,
      env: fakes.env,
      cwd: "/",
    });
    expect(full.text).toMatch(/\d buckets? \(ncloud-archive-storage [\d,]+\)/);
  });

  it("writes nothing on stderr when it is a pipe", () => {
    const stderr = stream({ tty: false });
    const counter = progress(stderr, "bucket", () => Date.now() + 1e6);
    counter.tick("hitachi-vsp-one-object");
    counter.done();
    expect(stderr.text).toBe("");
  });
});

describe("tables", () => {
  it("counts East Asian wide characters as two columns and cuts with an ellipsis", () => {
    expect(displayWidth("버킷-000007")).toBe(11);
    expect(displayWidth("données")).toBe(7);
    expect(truncate("桶桶桶桶", 5)).toBe("桶桶…");
    const table = renderTable(
      [{ title: "NAME" }, { title: "SIZE", align: "right" }],
      [
        ["버킷-000007", "1 KiB"],
        ["a", ""],
      ],
      {
        width: 100,
        color: false,
      },
    );
    // 버킷-000007 takes 11 columns: every line is 11 + 2 + 5 wide, the size right-aligned.
    expect(table).toBe(`NAME${" ".repeat(9)} SIZE\n버킷-000007  1 KiB\na${" ".repeat(16)}-\n`);
  });

  it("never lets a name drive the terminal", () => {
    const table = renderTable([{ title: "NAME" }], [["evil\u001b]0;pwned\u0007name"]], {
      width: 80,
      color: false,
    });
    expect(table).not.toContain("\u001b");
    expect(table).toContain("evil\ufffd]0;pwned\ufffdname");
  });
});

describe("bucketry demo without @bucketry/testing", () => {
  it("says what to install", async () => {
    const stderr = stream({ tty: false });
    const missing = Object.assign(new Error("Cannot find package '@bucketry/testing'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const code = await demoCommand({ stdout: stream({ tty: false }), stderr, env: {}, cwd: "/" }, run, () =>
      Promise.reject(missing),
    );
    expect(code).toBe(1);
    expect(stderr.text).toBe(
      "bucketry: bucketry demo needs @bucketry/testing: npm install @bucketry/testing\n",
    );
  });
});
