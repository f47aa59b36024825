/** The facade's types that are derived rather than written out. */
import { describe, expectTypeOf, it } from "vitest";
import { ADAPTERS } from "../src/adapters/registry.js";
import type { ProviderName } from "../src/index.js";

describe("ProviderName", () => {
  it("is the providers of the adapters' descriptors, each a literal", () => {
    expectTypeOf<ProviderName>().toEqualTypeOf<
      | "hitachi-vsp-one-object"
      | "huaweicloud-mpc"
      | "huaweicloud-dbss"
      | "ncloud-archive-storage"
      | "virtuozzo-ostor"
    >();
    expectTypeOf(ADAPTERS[3].provider).toEqualTypeOf<"ncloud-archive-storage">();
  });
});
