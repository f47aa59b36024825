/**
 * `bucketry/virtuozzo`: the S3 users of a Virtuozzo / Acronis ostor cluster as a {@link Source}
 * (the admin API has users, not a bucket listing). Needs `@bucketry/virtuozzo` (an optional peer
 * dependency, loaded on first use).
 *
 * ostor answers a single-user query with every secret key in clear text; the provider client seals
 * them in `Secret` before anything else sees the body, so a `User`'s `raw` prints, logs and
 * serialises them as `[REDACTED]`.
 */
import type {
  OstorClient,
  OstorClientOptions,
  OstorUser,
  OstorUserDetail,
  OstorUserSelector,
} from "@bucketry/virtuozzo";
import type { ProviderSource, User } from "../model.js";
import { type AdapterOptions, checkAdapterOptions, lazyClient, providerLoader } from "./load.js";

declare module "../model.js" {
  /** An ostor user's `raw`: the provider's user, or its detail record from a single-user query. */
  interface ProviderRecords {
    "virtuozzo-ostor": OstorUser | OstorUserDetail;
  }
}

/** What the adapter needs from `@bucketry/virtuozzo`. */
export type OstorModule = Pick<typeof import("@bucketry/virtuozzo"), "createOstorClient">;

/** Options of {@link ostorSource}: the client's options and the adapter's own. */
export interface OstorSourceOptions extends OstorClientOptions, AdapterOptions<OstorModule> {}

/** Which user {@link OstorSource.user} reads: by id or by email. */
export type OstorUserQuery = { id: string; email?: never } | { email: string; id?: never };

/** An ostor source: every user, one user, and the provider's typed client. */
export interface OstorSource extends ProviderSource<OstorClient> {
  /** Every user, in ostor's order (the API does not page); `space` adds `bytes`. */
  users(options: { signal: AbortSignal; space?: boolean }): AsyncIterable<User>;
  /** One user; its `raw` is the provider's detail record, secret keys sealed. A missing user rejects with `NotFoundError`. */
  user(query: OstorUserQuery, options?: { signal?: AbortSignal; space?: boolean }): Promise<User>;
}

const load = providerLoader("bucketry/virtuozzo", "@bucketry/virtuozzo", () => import("@bucketry/virtuozzo"));
const NO_OWNER = /^0+$/;

/**
 * A source over the cluster's S3 users: `{ id, email, state, ownerId, flags, bytes }` (`bytes` from
 * `SpaceStat.SizeCurr` when `space` is asked for), with the provider's normalised user in `raw`.
 * Options are checked when the client is first made.
 */
export function ostorSource(options: OstorSourceOptions): OstorSource {
  const name = checkAdapterOptions(options, "virtuozzo-ostor");
  const { name: _, loader, ...clientOptions } = options;
  const client = lazyClient(
    loader ? providerLoader("bucketry/virtuozzo", "@bucketry/virtuozzo", loader) : load,
    (m) => m.createOstorClient(clientOptions),
  );
  const toUser = (user: OstorUser | OstorUserDetail): User => {
    const out: User = {
      provider: "virtuozzo-ostor",
      source: name,
      id: user.id,
      email: user.email,
      state: user.state,
      flags: [...user.flags],
      raw: user,
    };
    if (!NO_OWNER.test(user.ownerId)) out.ownerId = user.ownerId;
    if (user.spaceStat) out.bytes = user.spaceStat.sizeCurrent;
    return out;
  };
  return {
    provider: "virtuozzo-ostor",
    name,
    client,
    async *users({ signal, space }) {
      const ostor = await client();
      for await (const user of ostor.listUsers(space ? { space: true } : {}, { signal })) yield toUser(user);
    },
    async user(query, callOptions = {}) {
      // Both or neither, and each value, are the client's to refuse (getUser's selector check).
      const { id, email } = (query ?? {}) as { id?: string; email?: string };
      const ostor = await client();
      const selector = {
        ...(id !== undefined && { id }),
        ...(email !== undefined && { emailAddress: email }),
        ...(callOptions.space && { space: true }),
      };
      return toUser(await ostor.getUser(selector as OstorUserSelector, { signal: callOptions.signal }));
    },
  };
}
