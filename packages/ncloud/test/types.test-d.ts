import { staticToken } from "@bucketry/auth";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ArchiveStorageApi,
  type ContainerEntry,
  type ContainerNameEntry,
  createArchiveStorageClient,
} from "../src/index.js";

const project_id = "5942771066a0482bb6aaf7f5bc792b00";
const client = createArchiveStorageClient({
  baseUrl: "https://kr.archive.ncloudstorage.com",
  projectId: project_id,
  credentials: { type: "token", source: staticToken("a-pre-issued-token") },
});

describe("the generated Archive Storage client types", () => {
  it("accept the documented call and type its answer", async () => {
    const { data } = await client.GET("/v1/AUTH_{project_id}", {
      params: { path: { project_id }, query: { limit: 100, marker: "a", format: "json", reverse: true } },
    });
    // JSON listings are typed; XML and text listings arrive as strings.
    type Listing = ArchiveStorageApi.components["schemas"]["ContainerListing"];
    expectTypeOf(data).toExtend<Listing | string | undefined>();
    expectTypeOf<Listing>().toExtend<NonNullable<typeof data>>();
  });

  it("reject a path the spec does not have", () => {
    // @ts-expect-error: no such path
    client.GET("/v1/{project_id}", { params: { path: { project_id } } });
  });

  it("reject a call without the path parameter", () => {
    // @ts-expect-error: `project_id` is required
    client.GET("/v1/AUTH_{project_id}", { params: { query: { limit: 1 } } });
  });

  it("reject a wrong query type", () => {
    // @ts-expect-error: `limit` is an integer
    client.GET("/v1/AUTH_{project_id}", { params: { path: { project_id }, query: { limit: "10" } } });
  });

  it("reject a format the service does not know", () => {
    // @ts-expect-error: `format` is json, xml or plain
    client.GET("/v1/AUTH_{project_id}", { params: { path: { project_id }, query: { format: "yaml" } } });
  });

  it("reject a body the operation does not take", () => {
    // @ts-expect-error: a GET without a request body
    client.GET("/v1/AUTH_{project_id}", { params: { path: { project_id } }, body: { name: "c" } });
  });
});

describe("the helpers' types", () => {
  it("type JSON and XML listings with counts, plain listings with names only", async () => {
    const json = await client.listContainers().all();
    expectTypeOf(json).toEqualTypeOf<ContainerEntry[]>();
    const xml = await client.listContainers({ format: "xml" }).all();
    expectTypeOf(xml).toEqualTypeOf<ContainerEntry[]>();
    const plain = await client.listContainers({ format: "plain" }).all();
    expectTypeOf(plain).toEqualTypeOf<ContainerNameEntry[]>();
    const page = await client.getAccount({ limit: 10 });
    expectTypeOf(page.account.bytesUsedExact).toEqualTypeOf<bigint>();
    expectTypeOf(page.containers).toEqualTypeOf<ContainerEntry[]>();
  });

  it("reject unknown formats and a pageSize that is not a number", () => {
    // @ts-expect-error: not a listing format
    client.listContainers({ format: "yaml" });
    // @ts-expect-error: pageSize is a number
    client.listContainers({ pageSize: "10" });
  });

  it("require credentials", () => {
    // @ts-expect-error: credentials are required
    createArchiveStorageClient({ zone: "public", projectId: project_id });
  });
});
