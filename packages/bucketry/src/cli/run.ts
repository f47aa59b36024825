/**
 * The CLI as a function: `run(argv, io)` resolves to the exit code (0 success, 1 a provider failed,
 * 2 usage or configuration error, 130 interrupted). `main.ts` calls it with the process's streams;
 * the demo calls it with a temporary config, so both go through the same code.
 */
import { readFileSync } from "node:fs";
import { COMMANDS, type Command, closest, helpText, parseCommand, UsageError } from "./args.js";
import { bucketsCommand } from "./commands/buckets.js";
import { demoCommand } from "./commands/demo.js";
import { providersCommand } from "./commands/providers.js";
import { usersCommand } from "./commands/users.js";
import { ConfigError } from "./config.js";
import { type CliIo, ClosedOutputError, styles, useColor, write } from "./output.js";

/** Runs the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  let command: Command | undefined;
  try {
    if (first === undefined) {
      await write(io.stderr, helpText());
      return 2;
    }
    if (first === "--help" || first === "-h") return print(io, helpText());
    if (first === "--version" || first === "-v") return print(io, `${version()}\n`);
    if (first === "help") {
      const topic = rest[0];
      if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}"`);
      return print(io, helpText(topic as Command | undefined));
    }
    if (!isCommand(first)) {
      const near = closest(first, COMMANDS);
      const hint = near ? `did you mean ${near}?` : `one of ${COMMANDS.join(", ")}`;
      throw new UsageError(`unknown command "${first}"; ${hint}`);
    }
    command = first;
    const values = parseCommand(command, rest);
    if (values.help) return print(io, helpText(command));
    switch (command) {
      case "buckets":
        return await bucketsCommand(values, io);
      case "users":
        return await usersCommand(values, io);
      case "providers":
        return await providersCommand(values, io);
      case "demo":
        return await demoCommand(io, run);
    }
  } catch (error) {
    const style = styles(useColor(io.stderr, io.env));
    if (error instanceof UsageError) {
      const topic = error.command ?? command;
      await write(io.stderr, `${style.red("bucketry:")} ${error.message}\n`);
      await write(io.stderr, `Run 'bucketry ${topic ? `${topic} ` : ""}--help' for usage.\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      await write(io.stderr, `${style.red("bucketry:")} ${error.message}\n`);
      return 2;
    }
    // The reader went away (`| head`): what it wanted, it got.
    if (error instanceof ClosedOutputError) return 0;
    throw error;
  }
}

function isCommand(name: string): name is Command {
  return (COMMANDS as string[]).includes(name);
}

async function print(io: CliIo, text: string): Promise<number> {
  await write(io.stdout, text);
  return 0;
}

/** The package's version (the same relative path from src/cli and dist/cli). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
