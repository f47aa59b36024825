/**
 * Garbage collection on demand, for tests of what must survive it: Node's fetch drops a Request's
 * abort link when the Request it was made from is collected (nodejs/undici#4068), so a test that
 * collects while a call hangs shows whether deadlines and aborts still reach fetch.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/** Runs full collections until WeakRefs to unreachable objects are cleared (that needs a new task). */
export async function collectGarbage(): Promise<void> {
  if (!gc) {
    // `--expose-gc` set at run time takes effect in a new context.
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  for (let round = 0; round < 3; round += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
