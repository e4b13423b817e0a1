import * as fs from "fs";
import * as http2 from "http2";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { KEPT_TYPES, ProviderSchemaProxy, grpcFrame, startProviderSchemaProxy, trimProviderSchema, wireFields } from "./support/provider-schema-proxy";

/**
 * The terraform tier's schema-trimming proxy (provider-schema-proxy.ts), against a stand-in provider: a gRPC
 * server on a unix socket. The terraform tier's provider-schema test checks it against the real provider.
 */

// Protobuf encoding, as far as the tests need it: varint tags and lengths, length-delimited fields.
const varint = (value: number): Buffer => {
  const bytes: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value % 128) | 0x80);
  return Buffer.from([...bytes, value]);
};
const bytesField = (field: number, payload: Buffer | string) => {
  const body = Buffer.from(payload);
  return Buffer.concat([varint(field * 8 + 2), varint(body.length), body]);
};
const varintField = (field: number, value: number) => Buffer.concat([varint(field * 8), varint(value)]);
/** A map entry: key (field 1), value (field 2). */
const mapEntry = (field: number, key: string, value: string) => bytesField(field, Buffer.concat([bytesField(1, key), bytesField(2, value)]));

const PROVIDER = bytesField(1, "provider-schema");
const BUCKET = mapEntry(2, "aws_s3_bucket", "bucket-schema".repeat(300));
const INSTANCE = mapEntry(2, "aws_instance", "instance-schema");
const ROLE = mapEntry(2, "aws_iam_role", "role-schema");
const REGION = mapEntry(3, "aws_region", "region-schema");
const AMI = mapEntry(3, "aws_ami", "ami-schema");
const DIAGNOSTIC = bytesField(4, "a diagnostic");
const CAPABILITIES = bytesField(6, varintField(1, 1));
const FUNCTION = mapEntry(7, "arn_parse", "function");
const EPHEMERAL_KEPT = mapEntry(8, "aws_kms_secrets", "kms-secrets");
const EPHEMERAL_DROPPED = mapEntry(8, "aws_secretsmanager_secret_version", "secret");
const SCHEMA = Buffer.concat([PROVIDER, BUCKET, INSTANCE, REGION, DIAGNOSTIC, AMI, ROLE, CAPABILITIES, FUNCTION, EPHEMERAL_KEPT, EPHEMERAL_DROPPED]);
const TRIMMED = Buffer.concat([PROVIDER, BUCKET, REGION, DIAGNOSTIC, ROLE, CAPABILITIES, FUNCTION, EPHEMERAL_KEPT]);

describe("trimProviderSchema", () => {
  test("drops the resource, data source and ephemeral types not kept; every other field stays, in order, byte for byte", () => {
    expect(trimProviderSchema(SCHEMA, (type) => KEPT_TYPES.test(type)).equals(TRIMMED)).toBe(true);
  });

  test("keeping every type leaves the message as it was", () => {
    expect(trimProviderSchema(SCHEMA, () => true).equals(SCHEMA)).toBe(true);
  });

  test("the kept types: the families of s3, iam, kms and glue, and the account's and region's data sources", () => {
    const kept = ["aws_s3_bucket", "aws_s3_bucket_policy", "aws_iam_role", "aws_kms_key", "aws_glue_catalog_database", "aws_region", "aws_caller_identity", "aws_partition"];
    const dropped = ["aws_instance", "aws_s3control_bucket", "aws_s3", "aws_regions", "aws_iam", "aws_glue"];
    expect([...kept, ...dropped].filter((type) => KEPT_TYPES.test(type))).toEqual(kept);
  });

  test("a truncated message is refused, not cut short", () => {
    expect(() => wireFields(SCHEMA.subarray(0, SCHEMA.length - 3))).toThrow("protobuf: truncated field");
  });
});

interface Answer {
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
  trailers: http2.IncomingHttpHeaders;
}

function call(session: http2.ClientHttp2Session, method: string, body: Buffer = Buffer.alloc(0)): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = session.request({ ":method": "POST", ":path": method, "content-type": "application/grpc", te: "trailers" });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    request.on("response", (h) => (headers = h));
    request.on("trailers", (t) => (trailers = t));
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve({ headers, body: Buffer.concat(chunks), trailers }));
    request.on("error", reject);
    request.end(body);
  });
}

describe("the proxy, in front of a stand-in provider", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-proxy-"));
  const upstreamCalls: string[] = [];
  let upstream: http2.Http2Server;
  let proxy: ProviderSchemaProxy;
  let client: http2.ClientHttp2Session;

  beforeAll(async () => {
    upstream = http2.createServer();
    upstream.on("stream", (stream, headers) => {
      const method = String(headers[":path"]);
      upstreamCalls.push(method);
      const received: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => received.push(chunk));
      stream.on("end", () => {
        if (method === "/tfplugin5.Provider/Unimplemented") {
          stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12", "grpc-message": "not here" }, { endStream: true });
          return;
        }
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0", "grpc-message": `answered ${method}` }));
        // The schema slowly, so that calls made meanwhile must wait for it; anything else: what it was sent, in two chunks.
        if (method === "/tfplugin5.Provider/GetSchema") setTimeout(() => stream.end(grpcFrame(SCHEMA)), 100);
        else {
          const body = Buffer.concat(received);
          stream.write(body.subarray(0, 3));
          stream.end(body.subarray(3));
        }
      });
    });
    await new Promise<void>((resolve) => upstream.listen(path.join(dir, "upstream.sock"), resolve));
    proxy = await startProviderSchemaProxy(path.join(dir, "upstream.sock"), path.join(dir, "proxy.sock"));
    client = http2.connect("http://localhost", { createConnection: () => net.connect(proxy.socket) });
  });

  afterAll(async () => {
    client.close();
    await proxy.close();
    await new Promise((resolve) => upstream.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("GetSchema: the trimmed schema, asked of the provider once however many ask at once or later", async () => {
    const first = await Promise.all([1, 2, 3].map(() => call(client, "/tfplugin5.Provider/GetSchema")));
    const later = await call(client, "/tfplugin5.Provider/GetSchema");
    for (const answer of [...first, later]) {
      expect(answer.body.equals(grpcFrame(TRIMMED))).toBe(true);
      expect(answer.trailers["grpc-status"]).toBe("0");
    }
    expect(upstreamCalls.filter((method) => method === "/tfplugin5.Provider/GetSchema")).toEqual(["/tfplugin5.Provider/GetSchema"]);
  });

  test("any other call: relayed as it is, its body and trailers", async () => {
    const sent = grpcFrame(Buffer.from("a plan request"));
    const answer = await call(client, "/tfplugin5.Provider/PlanResourceChange", sent);
    expect(answer.body.equals(sent)).toBe(true);
    expect(answer.headers[":status"]).toBe(200);
    expect(answer.trailers).toMatchObject({ "grpc-status": "0", "grpc-message": "answered /tfplugin5.Provider/PlanResourceChange" });
  });

  test("a failed call: its status relayed in the headers, as the provider sent it", async () => {
    const answer = await call(client, "/tfplugin5.Provider/Unimplemented");
    expect(answer.headers).toMatchObject({ "grpc-status": "12", "grpc-message": "not here" });
    expect(answer.body.length).toBe(0);
  });
});
