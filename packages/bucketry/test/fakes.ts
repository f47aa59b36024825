/**
 * The five fakes, started together, and the environment variables (the CLI's documented names)
 * that point at them. Shared by the adapter, CLI and README tests.
 */
import {
  type ArchiveStorageFake,
  bucketNames,
  type DbssFake,
  type FakeTlsOptions,
  type HitachiFake,
  type MpcFake,
  type OstorFake,
  startFakeServer,
} from "@bucketry/testing";

/** How many buckets each fake holds (the Hitachi user is the fake's default one). */
export const SEED = { hitachi: 120, mpc: 40, dbss: 30, ncloud: 150, ostorUsers: 5 } as const;
export const HITACHI_USER = -468170324;

/** The running fakes and the environment that points the CLI (and the README's examples) at them. */
export interface Fakes {
  hitachi: HitachiFake;
  mpc: MpcFake;
  dbss: DbssFake;
  ncloud: ArchiveStorageFake;
  ostor: OstorFake;
  env: Record<string, string>;
  /** Every secret any fake knows: none may appear in output without --show-secrets. */
  secrets: string[];
  close(): Promise<void>;
}

/** Starts the five fakes (options per fake may override the seed). */
export async function startFakes(
  options: {
    latencyMs?: number;
    seed?: Partial<Record<keyof typeof SEED, number>>;
    /** Serve HTTPS (e.g. `testCertificates`). */
    tls?: FakeTlsOptions;
  } = {},
): Promise<Fakes> {
  const seed = { ...SEED, ...options.seed };
  const latencyMs = options.latencyMs;
  const tls = options.tls;
  const [hitachi, mpc, dbss, ncloud, ostor] = await Promise.all([
    startFakeServer("hitachi-vsp-one-object", { users: { [HITACHI_USER]: seed.hitachi }, latencyMs, tls }),
    startFakeServer("huaweicloud-mpc", { buckets: bucketNames(seed.mpc, "media"), latencyMs, tls }),
    startFakeServer("huaweicloud-dbss", { buckets: bucketNames(seed.dbss, "audit"), latencyMs, tls }),
    startFakeServer("ncloud-archive-storage", { containers: seed.ncloud, latencyMs, tls }),
    startFakeServer("virtuozzo-ostor", { users: seed.ostorUsers, latencyMs, tls }),
  ]);
  const env = {
    BUCKETRY_HITACHI_ENDPOINT: hitachi.cluster.mapiUrl,
    BUCKETRY_HITACHI_TOKEN_URL: hitachi.cluster.tokenUrl,
    BUCKETRY_HITACHI_USER_IDS: String(HITACHI_USER),
    VSP_OBJECT_USERNAME: hitachi.credentials.username,
    VSP_OBJECT_PASSWORD: hitachi.credentials.password,
    BUCKETRY_MPC_ENDPOINT: mpc.url,
    BUCKETRY_DBSS_ENDPOINT: dbss.url,
    HUAWEICLOUD_SDK_AK: mpc.credentials.accessKey,
    HUAWEICLOUD_SDK_SK: mpc.credentials.secretKey,
    HUAWEICLOUD_SDK_PROJECT_ID: mpc.projectId,
    BUCKETRY_NCLOUD_ENDPOINT: ncloud.url,
    OS_AUTH_URL: `${ncloud.keystoneUrl}/v3`,
    OS_USERNAME: ncloud.credentials.accessKeyId,
    OS_PASSWORD: ncloud.credentials.secretKey,
    OS_USER_DOMAIN_ID: ncloud.credentials.domainId,
    OS_PROJECT_ID: ncloud.credentials.projectId,
    OSTOR_ENDPOINT: ostor.url,
    OSTOR_ACCESS_KEY_ID: ostor.credentials.accessKeyId,
    OSTOR_SECRET_ACCESS_KEY: ostor.credentials.secretAccessKey,
  };
  const secrets = [
    hitachi.credentials.password,
    mpc.credentials.secretKey,
    ncloud.credentials.secretKey,
    ostor.credentials.secretAccessKey,
    ...ostor.users.flatMap((u) => [
      ...u.AWSAccessKeys.map((k) => k.AWSSecretAccessKey),
      ...u.Accounts.flatMap((a) => a.AWSAccessKeys.map((k) => k.AWSSecretAccessKey)),
    ]),
  ];
  return {
    hitachi,
    mpc,
    dbss,
    ncloud,
    ostor,
    env,
    secrets,
    close: async () => {
      await Promise.all([hitachi, mpc, dbss, ncloud, ostor].map((fake) => fake.close()));
    },
  };
}
