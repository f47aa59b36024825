/**
 * Loopback fake of Huawei Cloud MPC "Querying Buckets" (`GET /v1/{project_id}/buckets`, spec
 * specs/huaweicloud/mpc.yaml), behind a fake API Gateway + IAM (see ./huawei.ts): AK/SK
 * `SDK-HMAC-SHA256` or IAM-token auth, the gateway's and MPC's error bodies, and the integer
 * `creation_date` quirk of the real service. The API does not page: every bucket comes at once.
 */
import { bucketNames } from "../seed.js";
import type { FakeHttpServer, FakeResponse, RecordedRequest } from "../server.js";
import {
  BucketStore,
  decodeSegment,
  gatewayError,
  type HuaweiFakeExtras,
  type HuaweiFakeOptions,
  HuaweiGateway,
  huaweiJson,
  newRequestId,
  seedNames,
  splitTarget,
} from "./huawei.js";

/** One bucket as MPC lists it; `creation_date` is a JSON integer `yyyyMMddHHmmss`, as the real service sends. */
export interface MpcBucket {
  bucket: string;
  creation_date: number;
  is_authorized: 0 | 1;
}

/** Options of the MPC fake. */
export interface MpcFakeOptions extends HuaweiFakeOptions {
  /** How many buckets to seed (deterministic names, see `bucketNames`) or their names (default 8). */
  buckets?: number | string[];
  /**
   * Answer an AK/SK request that has no `X-Sdk-Date` header with the OBS-style XML 403 seen in
   * huaweicloud-sdk-python-v3 issue #23, instead of the gateway's JSON 401 (default false).
   */
  xmlErrorWithoutSdkDate?: boolean;
}

/** A running MPC fake. */
export type MpcFake = FakeHttpServer &
  HuaweiFakeExtras & {
    /** The buckets, sorted by name (live). */
    readonly buckets: readonly MpcBucket[];
    /** Adds a bucket (`creationDate`: ms since epoch or a Date, default the fake's now); throws if it exists. */
    addBucket(name: string, init?: { creationDate?: number | Date; authorized?: boolean }): MpcBucket;
    /** Removes a bucket; false when there was none. */
    removeBucket(name: string): boolean;
    /** Sets whether MPC is authorised on a bucket. */
    setAuthorized(name: string, authorized: boolean): void;
  };

/** `yyyyMMddHHmmss` of a time (UTC: the service does not document its time zone) as the integer MPC sends. */
function creationDate(at: number | Date): number {
  const iso = new Date(at).toISOString();
  return Number(iso.slice(0, 19).replace(/[-:T]/g, ""));
}

// The vendor example's first date; seeded buckets are spread back from it, one per ~hour.
const FIRST_CREATED = Date.UTC(2022, 9, 26, 15, 25, 11);

const PROJECT_ID = /^[0-9A-Za-z-]{1,64}$/;

// The body reported in huaweicloud-sdk-python-v3 issue #23 (and the spec's `missingDate` example).
const OBS_MISSING_DATE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Error><Code>AccessDenied</Code><Message>AWS authentication requires a valid Date or x-amz-date header</Message><RequestId></RequestId><HostId></HostId></Error>';

/** Starts the MPC fake. */
export async function startMpcFake(options: MpcFakeOptions = {}): Promise<MpcFake> {
  const gateway = new HuaweiGateway(options, { name: "mpc", type: "mpc" });
  const names = seedNames(options.buckets, 8, bucketNames);
  const store = new BucketStore<MpcBucket>(
    (b) => b.bucket,
    (items) => ({ buckets: items }),
    names.map((bucket, i) => ({
      bucket,
      creation_date: creationDate(FIRST_CREATED - i * 3_607_000),
      is_authorized: i % 3 === 0 ? 1 : 0,
    })),
  );

  const mpcError = (status: number, code: string, message: string, requestId: string): FakeResponse =>
    huaweiJson(status, { error_code: code, error_msg: message }, requestId);

  const handle = (request: RecordedRequest): FakeResponse => {
    const requestId = newRequestId();
    const iam = gateway.handleIam(request, requestId);
    if (iam) return iam;
    const match = /^\/v1\/([^/]+)\/buckets$/.exec(splitTarget(request.target).path);
    if (!match) {
      return gatewayError(
        404,
        "APIGW.0101",
        "The API does not exist or has not been published in the environment.",
        requestId,
      );
    }
    // The gateway routes by method too: another method on the path is an API that does not exist.
    if (request.method !== "GET")
      return gatewayError(404, "APIGW.0101", "The API does not exist.", requestId);
    if (
      options.xmlErrorWithoutSdkDate &&
      request.headers.authorization?.trim().startsWith("SDK-HMAC-SHA256") &&
      request.headers["x-sdk-date"] === undefined
    ) {
      return {
        status: 403,
        headers: { "content-type": "application/xml", "x-request-id": requestId },
        body: OBS_MISSING_DATE,
      };
    }
    const auth = gateway.authenticate(request, requestId);
    if (!auth.ok) return auth.response;
    const projectId = decodeSegment(match[1] as string);
    if (!PROJECT_ID.test(projectId))
      return mpcError(400, "MPC.10202", "Invalid request parameter.", requestId);
    const access = gateway.projectAccess(auth.caller, projectId);
    // A valid token that is not project-scoped: MPC needs a project-level token (fake's choice of
    // code: MPC.10203 "identity authentication failed" from MPC's error-code list).
    if (access === "unscoped")
      return mpcError(401, "MPC.10203", "Identity authentication failed.", requestId);
    // Wrong/missing X-Project-Id, a project of another account, or a token of another project.
    if (access === "forbidden")
      return mpcError(403, "MPC.10208", "Failed to verify the tenant ID.", requestId);
    return huaweiJson(200, store.body(), requestId);
  };

  return Object.assign(await gateway.serve(handle, options), {
    buckets: store.items,
    addBucket(name: string, init: { creationDate?: number | Date; authorized?: boolean } = {}): MpcBucket {
      return store.add({
        bucket: name,
        creation_date: creationDate(init.creationDate ?? gateway.now()),
        is_authorized: init.authorized ? 1 : 0,
      });
    },
    removeBucket: (name: string) => store.remove(name),
    setAuthorized(name: string, authorized: boolean): void {
      const bucket = store.find(name);
      if (!bucket) throw new Error(`no bucket "${name}"`);
      bucket.is_authorized = authorized ? 1 : 0;
      store.touch();
    },
  });
}
