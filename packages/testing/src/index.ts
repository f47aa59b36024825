/**
 * Loopback fakes of every API Bucketry covers: real HTTP servers on 127.0.0.1 that check auth the
 * way each vendor does, page and format like the vendor, fail on demand, and log every request.
 * Node-only (a test tool). Start one with `startFakeServer(api, options)`.
 */

export { testCertificates } from "./certificates.js";
export { collectGarbage } from "./gc.js";
export { type ProxiedConnect, type ProxyServer, type ProxyServerOptions, startProxyServer } from "./proxy.js";
export {
  errorRenderings,
  type HandlerAnswer,
  keystoneTokens,
  type RecordingServer,
  type SeenRequest,
  startRecordingServer,
} from "./recording.js";

import { type HitachiFake, type HitachiFakeOptions, startHitachiFake } from "./fakes/hitachi.js";
import { type DbssFake, type DbssFakeOptions, startDbssFake } from "./fakes/huaweicloud-dbss.js";
import { type MpcFake, type MpcFakeOptions, startMpcFake } from "./fakes/huaweicloud-mpc.js";
import {
  type ArchiveStorageFake,
  type ArchiveStorageFakeOptions,
  startArchiveStorageFake,
} from "./fakes/ncloud.js";
import { type OstorFake, type OstorFakeOptions, startOstorFake } from "./fakes/virtuozzo.js";

/** The options each fake takes. */
export interface FakeOptionsByApi {
  "hitachi-vsp-one-object": HitachiFakeOptions;
  "huaweicloud-mpc": MpcFakeOptions;
  "huaweicloud-dbss": DbssFakeOptions;
  "ncloud-archive-storage": ArchiveStorageFakeOptions;
  "virtuozzo-ostor": OstorFakeOptions;
}

/** What each fake resolves to. */
export interface FakeServerByApi {
  "hitachi-vsp-one-object": HitachiFake;
  "huaweicloud-mpc": MpcFake;
  "huaweicloud-dbss": DbssFake;
  "ncloud-archive-storage": ArchiveStorageFake;
  "virtuozzo-ostor": OstorFake;
}

/** The APIs there is a fake of. */
export type FakeApi = keyof FakeServerByApi;

const starters: { [A in FakeApi]: (options?: FakeOptionsByApi[A]) => Promise<FakeServerByApi[A]> } = {
  "hitachi-vsp-one-object": startHitachiFake,
  "huaweicloud-mpc": startMpcFake,
  "huaweicloud-dbss": startDbssFake,
  "ncloud-archive-storage": startArchiveStorageFake,
  "virtuozzo-ostor": startOstorFake,
};

/** Starts a loopback fake of `api`; `close()` it when done. */
export function startFakeServer<A extends FakeApi>(
  api: A,
  options?: FakeOptionsByApi[A],
): Promise<FakeServerByApi[A]> {
  const start = starters[api];
  if (!start)
    throw new TypeError(`startFakeServer: unknown api "${api}"; one of ${Object.keys(starters).join(", ")}`);
  return start(options);
}

export type { HitachiFake, HitachiFakeOptions } from "./fakes/hitachi.js";
export type { DbssFake, DbssFakeOptions } from "./fakes/huaweicloud-dbss.js";
export type { MpcFake, MpcFakeOptions } from "./fakes/huaweicloud-mpc.js";
export type { ArchiveStorageFake, ArchiveStorageFakeOptions } from "./fakes/ncloud.js";
export type { OstorFake, OstorFakeOptions } from "./fakes/virtuozzo.js";
export { bucketNames, compareUtf8 } from "./seed.js";
export type {
  FakeHttpServer,
  FakeResponse,
  FakeServerOptions,
  FakeTlsOptions,
  Fault,
  FaultOptions,
  RecordedRequest,
  Throttle,
} from "./server.js";
export { startArchiveStorageFake, startDbssFake, startHitachiFake, startMpcFake, startOstorFake };
