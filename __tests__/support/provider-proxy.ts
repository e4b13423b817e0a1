/**
 * The proxy every terraform command of the terraform tier attaches to, in front of the run's AWS provider
 * processes (provider-processes.ts). It does two things:
 *
 * - It answers `GetSchema` with the schemas of the types these tests use only. The provider's schema covers
 *   some 1,500 resource and data source types (13 MB as JSON); every terraform command that loads it (`plan`,
 *   `show`, `validate`, `test`) spends about 1.7 CPU-seconds decoding it, and the provider about 0.7 building
 *   it: most of the cost of a small plan. Trimmed, a `show -json` costs 0.1 CPU-seconds instead of 2.4. Each
 *   kept type's schema is the provider's own, byte for byte (the terraform tier's provider-schema test
 *   compares them with the whole schema). A root that uses a type outside {@link KEPT_TYPES} fails loudly
 *   ("The provider hashicorp/aws does not support resource type ..."): add the type's family there.
 * - It relays every other call unchanged, each terraform connection to the right process: see
 *   {@link startProviderProxy}.
 *
 * How: gRPC over HTTP/2 (cleartext, on a unix socket, as go-plugin serves it), relayed stream by stream with
 * node's http2. A gRPC message is framed as a compression flag (0: none), a 4-byte length and the protobuf
 * bytes; in `GetProviderSchema.Response`, fields 2, 3 and 8 are the maps of resource, data source and
 * ephemeral resource schemas, each entry a message whose field 1 is the type name.
 */
import * as fs from "fs";
import * as http2 from "http2";
import * as net from "net";

/** The resource, data source and ephemeral resource types kept: those of the stack, the module, and the tests' own roots. */
export const KEPT_TYPES = /^aws_(?:(?:s3|iam|kms|glue)_[a-z0-9_]+|region|caller_identity|partition)$/;

const GET_SCHEMA_PATH = "/tfplugin5.Provider/GetSchema";
/** Fields of `GetProviderSchema.Response` that map a type name to its schema. */
const SCHEMA_MAP_FIELDS = new Set([2, 3, 8]);
const LENGTH_DELIMITED = 2;

interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** The field's payload, for length-delimited fields. */
  readonly payload?: Buffer;
  /** The field as encoded, tag included. */
  readonly encoded: Buffer;
}

function readVarint(bytes: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    if (at >= bytes.length) throw new Error("protobuf: truncated varint");
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** The top-level fields of a protobuf message, in order. */
export function wireFields(message: Buffer): WireField[] {
  const fields: WireField[] = [];
  for (let at = 0; at < message.length;) {
    const start = at;
    const [tag, afterTag] = readVarint(message, at);
    const wireType = tag & 7;
    let payload: Buffer | undefined;
    at = afterTag;
    if (wireType === 0) [, at] = readVarint(message, at);
    else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else if (wireType === LENGTH_DELIMITED) {
      const [length, afterLength] = readVarint(message, at);
      payload = message.subarray(afterLength, afterLength + length);
      at = afterLength + length;
    } else throw new Error(`protobuf: unexpected wire type ${wireType}`);
    if (at > message.length) throw new Error("protobuf: truncated field");
    fields.push({ field: Math.floor(tag / 8), wireType, payload, encoded: message.subarray(start, at) });
  }
  return fields;
}

function mapEntryKey(entry: Buffer): string | undefined {
  return wireFields(entry).find((f) => f.field === 1 && f.wireType === LENGTH_DELIMITED)?.payload?.toString("utf8");
}

/** A `GetProviderSchema.Response` with only the types `keep` accepts in its schema maps; every other field as it was. */
export function trimProviderSchema(response: Buffer, keep: (typeName: string) => boolean): Buffer {
  return Buffer.concat(wireFields(response)
    .filter((f) => !(SCHEMA_MAP_FIELDS.has(f.field) && f.wireType === LENGTH_DELIMITED && !keep(mapEntryKey(f.payload!) ?? "")))
    .map((f) => f.encoded));
}

/** One gRPC message in its length-prefixed frame. */
export function grpcFrame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** The message of a body that is exactly one uncompressed gRPC frame; undefined for anything else. */
function singleMessage(body: Buffer): Buffer | undefined {
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return undefined;
  return body.subarray(5);
}

/** A started proxy. */
export interface ProviderProxy {
  /** Where terraform attaches: the proxy's unix socket. */
  readonly socket: string;
  /** How many configurable provider processes there are: those it was given and those it has started. */
  configurableProviders(): number;
  close(): Promise<void>;
}

/** The provider processes behind a proxy, by the unix socket each listens on. */
export interface ProxiedProviders {
  /** Serves every connection until it configures the provider: the schema and the calls that need no configuration. Never configured. */
  readonly shared: string;
  /** Started, idle processes for connections that configure the provider. */
  readonly configurable: readonly string[];
  /** Starts another, where every configurable one is serving a connection. */
  startConfigurable(): Promise<string>;
}

/** http2 buffers a whole 13 MB schema response per session: above node's 10 MB default. */
const SESSION_MEMORY_MB = 64;
const CONFIGURE_PATH = "/tfplugin5.Provider/Configure";

/**
 * Listens on `socket` and relays each terraform connection's calls to the providers behind it.
 *
 * Terraform opens a connection per provider instance: one per provider configuration (a root's default
 * `aws`, each alias) and walk. A provider process holds one configuration at a time (its region, its
 * settings), so a connection that configures the provider gets a process of its own from the pool until it
 * closes; before that, and in connections that never configure it (the schema, validation, `show`, mocked
 * runs), the shared process serves its calls. `GetSchema` is answered with the trimmed schema, fetched from
 * the shared process once.
 */
export async function startProviderProxy(socket: string, providers: ProxiedProviders, keep: (typeName: string) => boolean = (t) => KEPT_TYPES.test(t)): Promise<ProviderProxy> {
  const upstreams = new Map<string, http2.ClientHttp2Session>();
  /** Processes whose connection closed (the process died): never handed out again. */
  const gone = new Set<string>();
  let closing = false;
  const upstreamSession = (upstreamSocket: string): http2.ClientHttp2Session => {
    let upstream = upstreams.get(upstreamSocket);
    if (upstream === undefined || upstream.closed || upstream.destroyed) {
      upstream = http2.connect("http://localhost", { createConnection: () => net.connect(upstreamSocket), maxSessionMemory: SESSION_MEMORY_MB });
      // A failed connection fails its calls (below); the session's own error event must not end the process.
      upstream.on("error", () => undefined);
      upstream.on("close", () => {
        if (!closing) gone.add(upstreamSocket);
      });
      upstreams.set(upstreamSocket, upstream);
    }
    return upstream;
  };
  const idle = [...providers.configurable];
  let configurableCount = idle.length;
  const acquire = async (): Promise<string> => {
    for (let free = idle.pop(); free !== undefined; free = idle.pop()) if (!gone.has(free)) return free;
    const started = await providers.startConfigurable();
    configurableCount++;
    return started;
  };

  let trimmedSchema: Buffer | undefined;
  // A command asks for the schema several times at once as it starts: those calls wait for the first one.
  let schemaFetched: Promise<void> | undefined;
  let fetchDone = (): void => undefined;

  /** A terraform connection: the process its configuration is on once it has configured the provider, and its calls under way there. */
  interface Connection {
    configured?: Promise<string>;
    calls: number;
    closed: boolean;
  }
  /** Once a closed connection's last call is over, its process serves the next configuration (a call still under way, a Configure say, would change it). */
  const releaseIfDone = (connection: Connection): void => {
    if (connection.closed && connection.calls === 0) {
      connection.configured?.then((upstream) => {
        if (!gone.has(upstream)) idle.push(upstream);
      }, () => undefined);
      connection.configured = undefined;
    }
  };
  const server = http2.createServer({ maxSessionMemory: SESSION_MEMORY_MB });
  const sessions = new Map<http2.Http2Session, Connection>();
  server.on("session", (session) => {
    const connection: Connection = { calls: 0, closed: false };
    sessions.set(session, connection);
    session.on("close", () => {
      sessions.delete(session);
      connection.closed = true;
      releaseIfDone(connection);
    });
  });
  server.on("stream", (stream, headers) => {
    stream.on("error", () => undefined);
    const path = headers[":path"];
    if (path === GET_SCHEMA_PATH) return schema(stream, headers);
    const connection = sessions.get(stream.session!);
    if (connection === undefined) return relay(stream, headers, providers.shared);
    if (path === CONFIGURE_PATH) connection.configured ??= acquire();
    if (connection.configured === undefined) return relay(stream, headers, providers.shared);
    connection.calls++;
    const done = () => {
      connection.calls--;
      releaseIfDone(connection);
    };
    connection.configured.then(
      (upstream) => relay(stream, headers, upstream, done),
      (error: Error) => {
        fail(stream, `no AWS provider process to configure: ${error.message}`);
        done();
      },
    );
  });
  const schema = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void => {
    if (trimmedSchema !== undefined) return answer(stream, trimmedSchema);
    if (schemaFetched !== undefined) {
      // Once the first call is answered: its trimmed schema, or (had it failed) a call of this one's own.
      void schemaFetched.then(() => (stream.closed ? undefined : trimmedSchema !== undefined ? answer(stream, trimmedSchema) : schema(stream, headers)));
      return;
    }
    schemaFetched = new Promise<void>((resolve) => (fetchDone = () => {
      schemaFetched = undefined;
      resolve();
    }));
    relay(stream, headers, providers.shared, () => fetchDone());
  };
  /** Relays one call to the process at `upstream`; `done` once both sides of it are closed. */
  const relay = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, upstream: string, done = (): void => undefined): void => {
    const isSchema = headers[":path"] === GET_SCHEMA_PATH;
    if (stream.closed) return done();
    const forwarded: http2.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) if (name !== ":scheme" && name !== ":authority") forwarded[name] = value;
    const call = upstreamSession(upstream).request(forwarded);
    stream.pipe(call);
    // Set by the provider's trailers; a call that ends without them did not succeed.
    let trailers: http2.OutgoingHttpHeaders | undefined;
    const schemaBody: Buffer[] = [];
    call.on("response", (responseHeaders) => {
      if (stream.closed) return;
      // A trailers-only response (a failed call): its status is in the headers, and nothing follows.
      if (responseHeaders["grpc-status"] !== undefined) stream.respond(responseHeaders, { endStream: true });
      else stream.respond(responseHeaders, { waitForTrailers: true });
    });
    call.on("trailers", (received) => (trailers = received));
    stream.on("wantTrailers", () => stream.sendTrailers(trailers ?? { "grpc-status": "13", "grpc-message": "the AWS provider process ended the call without a status" }));
    call.on("data", (chunk: Buffer) => {
      if (isSchema) schemaBody.push(chunk);
      else if (!stream.write(chunk)) {
        call.pause();
        stream.once("drain", () => call.resume());
      }
    });
    call.on("end", () => {
      if (stream.closed || !stream.headersSent || stream.writableEnded) return;
      if (!isSchema) return void stream.end();
      const body = Buffer.concat(schemaBody);
      const message = trailers?.["grpc-status"] === "0" ? singleMessage(body) : undefined;
      let trimmed: Buffer | undefined;
      try {
        trimmed = message === undefined ? undefined : grpcFrame(trimProviderSchema(message, keep));
      } catch {
        // Not the message this proxy knows how to read: terraform gets it as it came.
      }
      // Anything but one plain message it can read (an error, a compressed frame) goes through as it came.
      if (trimmed === undefined) return void stream.end(body);
      trimmedSchema ??= trimmed;
      stream.end(trimmedSchema);
    });
    // The provider's side closed without an answer (its process died, say): terraform hears of it at once.
    call.on("close", () => {
      if (stream.closed) return;
      if (!stream.headersSent) fail(stream, `the AWS provider process at ${upstream} closed the call (its log is beside that socket)`);
      else if (!stream.writableEnded) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
    call.on("error", () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    stream.on("close", () => {
      if (!call.closed) call.close(http2.constants.NGHTTP2_CANCEL);
      done();
    });
  };
  fs.rmSync(socket, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, () => resolve());
  });
  return {
    socket,
    configurableProviders: () => configurableCount,
    close: () => new Promise<void>((resolve) => {
      closing = true;
      for (const upstream of upstreams.values()) upstream.destroy();
      // Connections of terraform commands still attached (none, once every test file is done) end with the proxy.
      for (const session of sessions.keys()) session.destroy();
      server.close(() => resolve());
    }),
  };
}

function answer(stream: http2.ServerHttp2Stream, frame: Buffer): void {
  stream.resume();
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  stream.end(frame);
}

/** Fails a call with gRPC's UNAVAILABLE and `message`, which terraform prints. */
function fail(stream: http2.ServerHttp2Stream, message: string): void {
  if (stream.closed) return;
  stream.resume();
  stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "14", "grpc-message": encodeURIComponent(message) }, { endStream: true });
}
