/**
 * Loopback fake of Huawei Cloud DBSS "List OBS buckets for audit backup"
 * (`GET /v2/{project_id}/audit/backup/obs-buckets`, spec specs/huaweicloud/dbss.yaml), behind the
 * shared fake API Gateway + IAM (./huawei.ts). DBSS's own errors use its documented shape
 * `{error_code, error_msg, details, encoded_authorization_message}`; the gateway's keep theirs.
 * The API does not page.
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

/** One bucket as DBSS lists it. */
export interface DbssBucket {
  bucket_name: string;
  location: string;
}

/** One entry of `details` in a DBSS error. */
export interface DbssErrorDetail {
  error_code: string;
  error_msg: string;
}

/** Options of the DBSS fake. */
export interface DbssFakeOptions extends HuaweiFakeOptions {
  /** How many buckets to seed (deterministic names, see `bucketNames`) or their names (default 8). */
  buckets?: number | string[];
}

/** A running DBSS fake. */
export type DbssFake = FakeHttpServer &
  HuaweiFakeExtras & {
    /** The buckets, sorted by name (live). */
    readonly buckets: readonly DbssBucket[];
    /** Adds a bucket (default location: the fake's region); throws if the name exists. */
    addBucket(name: string, location?: string): DbssBucket;
    /** Removes a bucket; false when there was none. */
    removeBucket(name: string): boolean;
    /** The next `times` authenticated listing calls answer DBSS's 500 (`DBSS.11000000`). */
    failNextWithInternalError(times?: number): void;
  };

/** Project ids are 32 to 64 characters (seed-DBSS); the spec also rejects path-changing characters. */
const PROJECT_ID = /^[0-9A-Za-z-]{32,64}$/;

/** Starts the DBSS fake. */
export async function startDbssFake(options: DbssFakeOptions = {}): Promise<DbssFake> {
  const gateway = new HuaweiGateway(options, { name: "dbss", type: "dbss" });
  const names = seedNames(options.buckets, 8, bucketNames);
  const store = new BucketStore<DbssBucket>(
    (b) => b.bucket_name,
    (items) => ({ obs_list: items }),
    names.map((bucket_name) => ({ bucket_name, location: gateway.region })),
  );
  let internalErrors = 0;

  const dbssError = (
    status: number,
    code: string,
    message: string,
    requestId: string,
    details: DbssErrorDetail[] = [],
    encoded = "",
  ): FakeResponse =>
    huaweiJson(
      status,
      { error_code: code, error_msg: message, details, encoded_authorization_message: encoded },
      requestId,
    );

  const handle = (request: RecordedRequest): FakeResponse => {
    const requestId = newRequestId();
    const iam = gateway.handleIam(request, requestId);
    if (iam) return iam;
    const match = /^\/v2\/([^/]+)\/audit\/backup\/obs-buckets$/.exec(splitTarget(request.target).path);
    if (!match) {
      return gatewayError(
        404,
        "APIGW.0101",
        "The API does not exist or has not been published in the environment.",
        requestId,
      );
    }
    if (request.method !== "GET")
      return gatewayError(404, "APIGW.0101", "The API does not exist.", requestId);
    const auth = gateway.authenticate(request, requestId);
    if (!auth.ok) return auth.response;
    const projectId = decodeSegment(match[1] as string);
    if (!PROJECT_ID.test(projectId)) {
      return dbssError(400, "DBSS.10000001", "Enter a valid request message", requestId, [
        { error_code: "DBSS.10000001", error_msg: "project_id must be 32 to 64 letters, digits or hyphens" },
      ]);
    }
    const access = gateway.projectAccess(auth.caller, projectId);
    if (access === "unscoped") {
      // A valid token that is not project-scoped (fake's choice: DBSS's documented token-failure code).
      return dbssError(401, "DBSS.10020100", "Failed to authenticate the token in the request", requestId);
    }
    if (access === "forbidden") {
      // The code and the PDP details are the fake's choice (DBSS does not publish its 403 codes);
      // the encoded message is opaque base64, as the real field appears to be.
      const detail = { error_code: "DBSS.10020101", error_msg: `Not authorized for project ${projectId}` };
      const encoded = Buffer.from(
        JSON.stringify({ project_id: projectId, action: "dbss:audit:list" }),
      ).toString("base64");
      return dbssError(403, "DBSS.10020101", "Unauthorized", requestId, [detail], encoded);
    }
    if (internalErrors > 0) {
      internalErrors -= 1;
      return dbssError(
        500,
        "DBSS.11000000",
        "Internal system exception. Contact technical support engineers",
        requestId,
      );
    }
    return huaweiJson(200, store.body(), requestId);
  };

  return Object.assign(await gateway.serve(handle, options), {
    buckets: store.items,
    addBucket: (name: string, location = gateway.region) => store.add({ bucket_name: name, location }),
    removeBucket: (name: string) => store.remove(name),
    failNextWithInternalError(times = 1): void {
      internalErrors += times;
    },
  });
}
