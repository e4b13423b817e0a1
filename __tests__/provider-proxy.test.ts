import * as fs from "fs";
import * as http2 from "http2";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { KEPT_TYPES, ProviderProxy, grpcFrame, startProviderProxy, trimProviderSchema, wireFields } from "./support/provider-proxy";

/**
 * The terraform tier's provider proxy (provider-proxy.ts), against stand-in providers: gRPC servers on unix
 * sockets. The terraform tier's provider-schema test checks the trimmed schema against the real provider.
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

/**
 * A stand-in provider: answers GetSchema with SCHEMA (slowly, so calls made meanwhile must wait), a failing
 * method with UNIMPLEMENTED, `Crash` by dropping its connection as a dying process does, `NoTrailers` with a
 * body and no status, anything else with what it was sent and `answered by <name>` in its trailers.
 */
async function standIn(dir: string, name: string, calls: string[]): Promise<http2.Http2Server> {
  const server = http2.createServer();
  server.on("stream", (stream, headers) => {
    const method = String(headers[":path"]);
    calls.push(`${name} ${method}`);
    const received: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => received.push(chunk));
    stream.on("end", () => {
      if (method === "/tfplugin5.Provider/Crash") return void stream.session?.destroy();
      if (method === "/tfplugin5.Provider/NoTrailers") {
        stream.respond({ ":status": 200, "content-type": "application/grpc" });
        return void stream.end(grpcFrame(Buffer.from("half")));
      }
      if (method === "/tfplugin5.Provider/Unimplemented") {
        stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12", "grpc-message": "not here" }, { endStream: true });
        return;
      }
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0", "grpc-message": `answered by ${name}` }));
      if (method === "/tfplugin5.Provider/GetSchema") setTimeout(() => stream.end(grpcFrame(SCHEMA)), 100);
      else {
        // In two chunks: the proxy relays a body as it comes.
        const body = Buffer.concat(received);
        stream.write(body.subarray(0, 3));
        stream.end(body.subarray(3));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path.join(dir, `${name}.sock`), resolve));
  return server;
}

describe("the proxy, in front of stand-in providers", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mixpanel-proxy-"));
  const calls: string[] = [];
  const servers: http2.Http2Server[] = [];
  const clients: http2.ClientHttp2Session[] = [];
  let proxy: ProviderProxy;
  let started = 0;
  /** A terraform connection (one provider instance). */
  const connect = () => {
    const client = http2.connect("http://localhost", { createConnection: () => net.connect(proxy.socket) });
    clients.push(client);
    return client;
  };
  const plan = (session: http2.ClientHttp2Session) => call(session, "/tfplugin5.Provider/PlanResourceChange", grpcFrame(Buffer.from("a plan request")));
  const answeredBy = (answer: Answer) => String(answer.trailers["grpc-message"]).replace("answered by ", "");

  beforeAll(async () => {
    servers.push(await standIn(dir, "shared", calls), await standIn(dir, "first", calls));
    proxy = await startProviderProxy(path.join(dir, "proxy.sock"), {
      shared: path.join(dir, "shared.sock"),
      configurable: [path.join(dir, "first.sock")],
      startConfigurable: async () => {
        const name = `started-${++started}`;
        servers.push(await standIn(dir, name, calls));
        return path.join(dir, `${name}.sock`);
      },
    });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await proxy.close();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("GetSchema: the trimmed schema, asked of the shared provider once however many ask at once or later", async () => {
    const [one, two] = [connect(), connect()];
    const first = await Promise.all([one, one, two].map((session) => call(session, "/tfplugin5.Provider/GetSchema")));
    const later = await call(connect(), "/tfplugin5.Provider/GetSchema");
    for (const answer of [...first, later]) {
      expect(answer.body.equals(grpcFrame(TRIMMED))).toBe(true);
      expect(answer.trailers["grpc-status"]).toBe("0");
    }
    expect(calls.filter((c) => c.endsWith("/GetSchema"))).toEqual(["shared /tfplugin5.Provider/GetSchema"]);
  });

  test("a connection that configures nothing: every call to the shared provider, relayed as it is", async () => {
    const sent = grpcFrame(Buffer.from("a validation request"));
    const answer = await call(connect(), "/tfplugin5.Provider/ValidateResourceTypeConfig", sent);
    expect(answer.body.equals(sent)).toBe(true);
    expect(answer.headers[":status"]).toBe(200);
    expect(answer.trailers).toMatchObject({ "grpc-status": "0", "grpc-message": "answered by shared" });
  });

  test("connections that configure: a provider each, from Configure on, until the connection closes; then the next one's", async () => {
    const [one, two] = [connect(), connect()];
    expect(answeredBy(await plan(one))).toBe("shared");
    // Both configured at once: the idle provider for one, a started one for the other.
    const configured = await Promise.all([call(one, "/tfplugin5.Provider/Configure"), call(two, "/tfplugin5.Provider/Configure")]);
    expect(configured.map(answeredBy).sort()).toEqual(["first", "started-1"]);
    const [ofOne, ofTwo] = configured.map(answeredBy);
    expect((await Promise.all([plan(one), plan(two), plan(one)])).map(answeredBy)).toEqual([ofOne, ofTwo, ofOne]);
    expect(proxy.configurableProviders()).toBe(2);
    // The first connection closes: its provider serves the next connection that configures, and none is started.
    await new Promise<void>((resolve) => one.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const three = connect();
    expect(answeredBy(await call(three, "/tfplugin5.Provider/Configure"))).toBe(ofOne);
    expect(answeredBy(await plan(three))).toBe(ofOne);
    expect(proxy.configurableProviders()).toBe(2);
  });

  test("a failed call: its status relayed in the headers, as the provider sent it", async () => {
    const answer = await call(connect(), "/tfplugin5.Provider/Unimplemented");
    expect(answer.headers).toMatchObject({ "grpc-status": "12", "grpc-message": "not here" });
    expect(answer.body.length).toBe(0);
  });

  test("a call its provider drops (the process died): failed at once as UNAVAILABLE; that process is never handed out again", async () => {
    const doomed = connect();
    const configured = answeredBy(await call(doomed, "/tfplugin5.Provider/Configure"));
    const crashed = await call(doomed, "/tfplugin5.Provider/Crash");
    expect(crashed.headers["grpc-status"]).toBe("14");
    expect(decodeURIComponent(String(crashed.headers["grpc-message"]))).toContain("closed the call");
    await new Promise<void>((resolve) => doomed.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Every connection that configures from now on gets a process other than the dropped one.
    const next = await Promise.all([connect(), connect(), connect()].map((session) => call(session, "/tfplugin5.Provider/Configure")));
    expect(next.map(answeredBy)).not.toContain(configured);
  });

  test("a call that ends without a status: failed as INTERNAL, not passed on as a success", async () => {
    const answer = await call(connect(), "/tfplugin5.Provider/NoTrailers");
    expect(answer.trailers["grpc-status"]).toBe("13");
  });
});
