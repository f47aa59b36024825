// Runs once before the integration test files. First the metadata account: its objects are counted
// in the account only when the container-updater sweeps, and a sweep is quick while few containers
// exist, so wait for that before making the listing account's 2,500+ containers (concurrently:
// one by one would take minutes). Says why when skipping.
import { allNames, available, createContainers, prepareMetaAccount, skipReason, swift } from "./support.js";

export default async function setup(): Promise<void> {
  if (!available) {
    process.stdout.write(`\nSKIPPED: the integration suite does not run: ${skipReason}\n\n`);
    return;
  }
  const lag = await prepareMetaAccount();
  process.stdout.write(
    `the container-updater reported AUTH_meta's objects after ${(lag / 1000).toFixed(1)} s\n`,
  );
  const t0 = performance.now();
  await createContainers(swift.storageUrl, swift.token, allNames, 16);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`created ${allNames.length} containers in AUTH_test in ${seconds} s\n`);
}
