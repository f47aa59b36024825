/** Smoke test: every public export of both subpaths exists and has the expected kind. */
import { describe, expect, it } from "vitest";
import * as dbss from "../src/dbss.js";
import * as mpc from "../src/mpc.js";

const SHARED = [
  "HUAWEI_ENV",
  "HUAWEI_ERRORS",
  "huaweiCredentials",
  "huaweiCredentialsFromEnv",
  "huaweiIamToken",
  "staticToken",
];

describe("public exports", () => {
  it("@bucketry/huaweicloud/mpc", () => {
    expect(Object.keys(mpc).sort()).toEqual(
      ["MPC_ENDPOINTS", "createMpcClient", "parseMpcCreationDate", ...SHARED].sort(),
    );
    expect(typeof mpc.createMpcClient).toBe("function");
    expect(typeof mpc.parseMpcCreationDate).toBe("function");
    expect(Object.keys(mpc.MPC_ENDPOINTS)).toHaveLength(6);
    for (const fn of [
      mpc.huaweiCredentials,
      mpc.huaweiCredentialsFromEnv,
      mpc.huaweiIamToken,
      mpc.staticToken,
    ]) {
      expect(typeof fn).toBe("function");
    }
  });

  it("@bucketry/huaweicloud/dbss", () => {
    expect(Object.keys(dbss).sort()).toEqual(["DBSS_ENDPOINTS", "createDbssClient", ...SHARED].sort());
    expect(typeof dbss.createDbssClient).toBe("function");
    expect(Object.keys(dbss.DBSS_ENDPOINTS)).toHaveLength(30);
    for (const fn of [
      dbss.huaweiCredentials,
      dbss.huaweiCredentialsFromEnv,
      dbss.huaweiIamToken,
      dbss.staticToken,
    ]) {
      expect(typeof fn).toBe("function");
    }
  });

  it("returns the openapi-fetch client extended with the helper and the project id", () => {
    const credentials = { type: "aksk", accessKey: "AK", secretKey: "SK" } as const;
    const projectId = "0123456789abcdef0123456789abcdef";
    const m = mpc.createMpcClient({ region: "cn-north-4", projectId, credentials });
    const d = dbss.createDbssClient({ region: "cn-north-4", projectId, credentials });
    for (const client of [m, d]) {
      for (const method of ["GET", "POST", "PUT", "DELETE", "request", "use", "eject"] as const) {
        expect(typeof client[method]).toBe("function");
      }
      expect(client.projectId).toBe(projectId);
    }
    expect(typeof m.listBuckets).toBe("function");
    expect(typeof d.listBuckets).toBe("function");
  });
});
