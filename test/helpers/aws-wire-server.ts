// A small AWS on 127.0.0.1 for tests of the live path: it answers the wire protocols the suite's
// clients speak (EC2 query/XML, IAM and STS query/XML, ECS, ECR, EventBridge, SSM, Secrets Manager and
// Route 53 Resolver JSON 1.1, Scheduler REST-JSON, S3 and Route 53 REST-XML) from snapshot data, so
// the real SDK clients run their endpoint resolution, signing, serialization, retries and
// deserialization against it. Responses are written from the SDK's own service schemas (member
// names, XML element names, list wrappers, timestamp formats), the model the real services implement.
//
// It listens on 127.0.0.1 only, logs every request it receives, can inject faults (AccessDenied,
// throttling, expired credentials, an HTML error page, no answer at all), and stops itself after
// `lifetimeMs` even if a test never calls stop().
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import * as ec2 from '@aws-sdk/client-ec2';
import * as ecr from '@aws-sdk/client-ecr';
import * as ecs from '@aws-sdk/client-ecs';
import * as events from '@aws-sdk/client-eventbridge';
import * as iam from '@aws-sdk/client-iam';
import * as s3 from '@aws-sdk/client-s3';
import * as scheduler from '@aws-sdk/client-scheduler';
import * as secretsmanager from '@aws-sdk/client-secrets-manager';
import * as ssm from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import * as route53 from '@aws-sdk/client-route-53';
import * as route53resolver from '@aws-sdk/client-route53resolver';
// The SDK's schema model (a dependency of every client): how each output is laid out on the wire.
import { NormalizedSchema } from '@smithy/core/schema';
import { isOperationName, type OperationName } from '../../support/aws/operations';
import { SnapshotReplay, type Snapshot } from '../../support/aws/snapshot';
import { EmulatedAwsLimits } from '../../support/aws/budget';

type Protocol = 'ec2' | 'query' | 'json' | 'rest-json' | 'rest-xml';

const SERVICES: Record<string, { module: Record<string, unknown>; protocol: Protocol; xmlns?: string; jsonTarget?: string }> = {
  ec2: { module: ec2, protocol: 'ec2', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
  iam: { module: iam, protocol: 'query', xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  sts: { module: sts, protocol: 'query', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  ecs: { module: ecs, protocol: 'json', jsonTarget: 'AmazonEC2ContainerServiceV20141113' },
  ecr: { module: ecr, protocol: 'json', jsonTarget: 'AmazonEC2ContainerRegistry_V20150921' },
  events: { module: events, protocol: 'json', jsonTarget: 'AWSEvents' },
  ssm: { module: ssm, protocol: 'json', jsonTarget: 'AmazonSSM' },
  secretsmanager: { module: secretsmanager, protocol: 'json', jsonTarget: 'secretsmanager' },
  scheduler: { module: scheduler, protocol: 'rest-json' },
  s3: { module: s3, protocol: 'rest-xml', xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
  route53: { module: route53, protocol: 'rest-xml', xmlns: 'https://route53.amazonaws.com/doc/2013-04-01/' },
  // Route 53 Resolver's client (3.654.0, the last on npm) predates the SDK's schemas: its JSON 1.1
  // answers are written from the recorded output as it is (plain members, string timestamps).
  route53resolver: { module: route53resolver, protocol: 'json', jsonTarget: 'Route53Resolver' },
};

/** What the server saw of one request. */
export interface WireRequest {
  /** The signing service of the request ("ec2", "ecs", …). */
  service: string;
  /** "service:Action", registered or not ("ec2:RunInstances" is logged too). */
  operation: string;
  /** The signing region of the request. */
  region?: string;
  /** The access key the request was signed with. */
  accessKeyId?: string;
  /** The input the server decoded (registered operations and sts:AssumeRole). */
  input?: Record<string, unknown>;
  /** What it answered: an HTTP status, or "no answer". */
  answer?: number | 'no answer' | 'reset';
}

/** What to do with a request instead of answering it from the snapshot. */
/** `json-as-html`: the right answer, labelled text/html (some proxies do); `reset`: the connection is dropped before any answer. */
export type Fault = 'denied' | 'throttled' | 'http-429' | 'http-503' | 'expired' | 'html-500' | 'no-answer' | 'json-as-html' | 'reset';

export interface WireServerOptions {
  /** The accounts it serves: chosen per request by signing region, then by the account of an assumed role. */
  accounts: Snapshot[];
  /** Called for every request; `nth` counts the requests of that operation, from 1. */
  fault?: (request: WireRequest, nth: number) => Fault | undefined;
  /** The server stops itself after this long, whatever happens to the test. */
  lifetimeMs?: number;
  /** Every answer waits this long first: a slow account, far away or busy. */
  latencyMs?: number;
  /**
   * Keep AWS's published request buckets per account (support/aws/budget.ts): a call beyond them is
   * throttled as AWS would. `available`: the share of each bucket the account's own tooling leaves.
   */
  awsLimits?: boolean | { available: number };
}

/** Access keys of assumed-role sessions: the role's account follows the prefix. */
const ASSUMED_KEY_PREFIX = 'ASIAWIRE';

export class AwsWireServer {
  readonly requests: WireRequest[] = [];
  private readonly counts = new Map<string, number>();
  private readonly replays: { snapshot: Snapshot; replay: SnapshotReplay; limits: EmulatedAwsLimits }[];
  private readonly server: http.Server;
  private readonly lifetime: NodeJS.Timeout;
  private stopped?: Promise<void>;

  private constructor(private readonly options: WireServerOptions) {
    this.replays = options.accounts.map((snapshot) => ({ snapshot, replay: new SnapshotReplay(snapshot, `wire-server ${snapshot.account}`), limits: new EmulatedAwsLimits(undefined, typeof options.awsLimits === 'object' ? options.awsLimits.available : 1) }));
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error) => reply(res, 500, 'text/plain', `wire server: ${(error as Error).message}`));
    });
    this.lifetime = setTimeout(() => void this.stop(), options.lifetimeMs ?? 90_000);
    this.lifetime.unref();
  }

  static async start(options: WireServerOptions): Promise<AwsWireServer> {
    const server = new AwsWireServer(options);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      // 127.0.0.1 only: nothing beyond this machine can reach it.
      server.server.listen(0, '127.0.0.1', () => {
        void server.url;
        resolve();
      });
    });
    return server;
  }

  /** Where it listens, e.g. http://127.0.0.1:41234 (kept after it stops, for tests of an endpoint that is gone). */
  get url(): string {
    this.listening ??= (({ address, port }: AddressInfo) => `http://${address}:${port}`)(this.server.address() as AddressInfo);
    return this.listening;
  }
  private listening?: string;

  /** Requests AWS's buckets throttled (with `awsLimits`), per operation. */
  throttled(): Map<string, number> {
    const all = new Map<string, number>();
    for (const { limits } of this.replays) for (const [op, n] of limits.throttled) all.set(op, (all.get(op) ?? 0) + n);
    return all;
  }

  /** Requests of one operation ("ec2:DescribeVpcs"). */
  received(operation: string): WireRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** Stops listening and drops every open connection, including those it never answered. */
  stop(): Promise<void> {
    clearTimeout(this.lifetime);
    this.stopped ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.stopped;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scope = signingScope(req.headers.authorization);
    const service = scope?.service ?? 'unknown';
    const request: WireRequest = { service, operation: `${service}:unknown`, region: scope?.region, accessKeyId: scope?.accessKeyId };
    this.requests.push(request);

    const decoded = decodeRequest(service, req.method ?? 'GET', url, req.headers, body);
    request.operation = `${service}:${decoded.action}`;
    request.input = decoded.input;
    const nth = (this.counts.get(request.operation) ?? 0) + 1;
    this.counts.set(request.operation, nth);

    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs).unref());
    const fault = this.options.fault?.(request, nth);
    if (fault === 'no-answer') {
      request.answer = 'no answer';
      return; // the socket stays open until the client gives up or the server stops
    }
    if (fault === 'reset') {
      request.answer = 'reset';
      req.socket.destroy();
      return;
    }
    const protocol = SERVICES[service]?.protocol;
    const send = (status: number, contentType: string, text: string, headers: Record<string, string> = {}) => {
      request.answer = status;
      reply(res, status, fault === 'json-as-html' ? 'text/html; charset=utf-8' : contentType, text, headers);
    };
    if (!protocol) return send(400, 'text/plain', `wire server: unknown service ${service}`);
    if (fault === 'html-500') {
      return send(500, 'text/html', '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>upstream proxy error</p></body></html>');
    }
    if (fault === 'http-429') return send(429, 'text/plain', 'Too Many Requests');
    if (fault === 'http-503') return send(503, 'text/plain', 'Service Unavailable');
    if (fault && fault !== 'json-as-html') return send(...errorReply(protocol, faultError(fault, request.operation)));

    if (request.operation === 'sts:AssumeRole') return send(200, 'text/xml', this.assumeRole(decoded.input ?? {}));
    if (!isOperationName(request.operation)) {
      return send(...errorReply(protocol, { code: 'UnsupportedOperation', message: `the wire server does not answer ${request.operation}`, status: 400 }));
    }
    const account = this.accountFor(request);
    if (!account) return send(...errorReply(protocol, { code: 'InvalidClientTokenId', message: `no account is served in ${request.region}`, status: 403 }));
    const throttled = this.options.awsLimits ? account.limits.admit(request.operation) : undefined;
    if (throttled) return send(...errorReply(protocol, { ...throttled, message: 'Rate exceeded' }));
    let output: Record<string, unknown>;
    try {
      output = account.replay.respond(request.operation, decoded.input);
    } catch (error) {
      const { name, message } = error as Error;
      const denied = /AccessDenied|Unauthorized/.test(name);
      return send(...errorReply(protocol, { code: name, message, status: denied ? 403 : 400 }));
    }
    return send(200, ...encodeOutput(service, decoded.action, output));
  }

  private accountFor(request: WireRequest) {
    const inRegion = this.replays.filter((r) => r.snapshot.region === request.region);
    const assumed = request.accessKeyId?.startsWith(ASSUMED_KEY_PREFIX) ? request.accessKeyId.slice(ASSUMED_KEY_PREFIX.length, ASSUMED_KEY_PREFIX.length + 12) : undefined;
    return (assumed && inRegion.find((r) => r.snapshot.account === assumed)) || inRegion[0];
  }

  private assumeRole(input: Record<string, unknown>): string {
    const roleArn = String(input.RoleArn ?? '');
    const account = roleArn.split(':')[4] ?? '000000000000';
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    const sessionName = String(input.RoleSessionName ?? 'session');
    return (
      `<AssumeRoleResponse xmlns="${SERVICES.sts.xmlns}"><AssumeRoleResult>` +
      `<Credentials><AccessKeyId>${ASSUMED_KEY_PREFIX}${account}</AccessKeyId><SecretAccessKey>wire-assumed-secret</SecretAccessKey>` +
      `<SessionToken>wire-assumed-session-token</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><AssumedRoleId>AROAWIRE:${escapeXml(sessionName)}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleArn.split('/').pop() ?? '')}/${escapeXml(sessionName)}</Arn></AssumedRoleUser>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`
    );
  }
}

function reply(res: http.ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, 'content-type': contentType, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** "AWS4-HMAC-SHA256 Credential=AKID/20260101/ap-northeast-2/ec2/aws4_request, …" */
function signingScope(authorization: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const match = authorization?.match(/Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/);
  return match ? { accessKeyId: match[1], region: match[2], service: match[3] } : undefined;
}

// ---- requests -------------------------------------------------------------------------------

function operationSchema(service: string, action: string): unknown[] | undefined {
  return SERVICES[service]?.module[`${action}$`] as unknown[] | undefined;
}

function decodeRequest(
  service: string,
  method: string,
  url: URL,
  headers: http.IncomingHttpHeaders,
  body: string,
): { action: string; input?: Record<string, unknown> } {
  const protocol = SERVICES[service]?.protocol;
  if (protocol === 'ec2' || protocol === 'query') {
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? 'unknown';
    const op = operationSchema(service, action);
    const input = op ? (readQuery(NormalizedSchema.of(op[4] as never), params, '', protocol === 'ec2') as Record<string, unknown>) : undefined;
    return { action, input: input ?? {} };
  }
  if (protocol === 'json') {
    const action = String(headers['x-amz-target'] ?? '').split('.').pop() ?? 'unknown';
    return { action, input: body ? JSON.parse(body) : {} };
  }
  if (protocol === 'rest-json' || protocol === 'rest-xml') {
    // Route by the operations' HTTP traits; S3 names the bucket in the path (path-style for an IP endpoint).
    for (const [key, value] of Object.entries(SERVICES[service].module)) {
      if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
      const route = (value[3] as { http?: [string, string, number] } | 0) || undefined;
      if (!route?.http || route.http[0] !== method) continue;
      const input = matchRest(NormalizedSchema.of(value[4] as never), route.http[1], url, service === 's3');
      if (input) return { action: value[2] as string, input };
    }
    return { action: `${method} ${url.pathname}` };
  }
  return { action: 'unknown' };
}

/** The input of a REST request if it matches the URI template ("/schedules/{Name}", "/?location" under a bucket). */
function matchRest(input: NormalizedSchema, template: string, url: URL, bucketInPath: boolean): Record<string, unknown> | undefined {
  const [pathTemplate, queryTemplate] = template.split('?');
  const path = bucketInPath ? `/{Bucket}${pathTemplate === '/' ? '' : pathTemplate}` : pathTemplate;
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/\{(\w+)\+?\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}/?$`);
  const match = url.pathname.match(pattern);
  if (!match) return undefined;
  if (queryTemplate && !url.searchParams.has(queryTemplate.split('=')[0])) return undefined;
  const out: Record<string, unknown> = {};
  names.forEach((name, i) => (out[name] = decodeURIComponent(match[i + 1])));
  for (const [name, member] of input.structIterator()) {
    const query = member.getMergedTraits().httpQuery as string | undefined;
    if (query && url.searchParams.has(query)) out[name] = scalarFrom(member, url.searchParams.get(query)!);
  }
  return out;
}

/** Query parameters back into an input object, as the SDK's query serializer wrote them. */
function readQuery(ns: NormalizedSchema, params: URLSearchParams, prefix: string, ec2Query: boolean): unknown {
  const key = (name: string, traits: Record<string, unknown>, struct: boolean) => {
    if (ec2Query && traits.ec2QueryName) return traits.ec2QueryName as string;
    const base = (traits.xmlName as string | undefined) ?? name;
    return ec2Query && struct ? base[0].toUpperCase() + base.slice(1) : base;
  };
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      // A member of a structure in a list ("Filter.1.Name") follows its item's prefix and a dot.
      const value = readQuery(member, params, `${prefix ? `${prefix}.` : ''}${key(name, member.getMergedTraits(), true)}`, ec2Query);
      if (value !== undefined) out[name] = value;
    }
    return prefix && Object.keys(out).length === 0 ? undefined : out;
  }
  if (ns.isListSchema()) {
    if (params.get(prefix) === '') return [];
    const member = ns.getValueSchema();
    const flat = ec2Query || !!ns.getMergedTraits().xmlFlattened;
    const items: unknown[] = [];
    for (let i = 1; ; i++) {
      const itemPrefix = flat ? `${prefix}.${i}` : `${prefix}.${key('member', member.getMergedTraits(), false)}.${i}`;
      const item = readQuery(member, params, itemPrefix, ec2Query);
      if (item === undefined) break;
      items.push(item);
    }
    return items.length ? items : undefined;
  }
  if (ns.isStructSchema() || ns.isMapSchema()) return undefined;
  const prefixDot = `${prefix}.`;
  if (!params.has(prefix)) return [...params.keys()].some((k) => k.startsWith(prefixDot)) ? {} : undefined;
  return scalarFrom(ns, params.get(prefix)!);
}

function scalarFrom(ns: NormalizedSchema, text: string): unknown {
  if (ns.isNumericSchema()) return Number(text);
  if (ns.isBooleanSchema()) return text === 'true';
  return text;
}

// ---- responses ------------------------------------------------------------------------------

function encodeOutput(service: string, action: string, output: Record<string, unknown>): [string, string] {
  const { protocol, xmlns } = SERVICES[service];
  const operation = operationSchema(service, action);
  if (!operation && protocol === 'json') return ['application/x-amz-json-1.1', JSON.stringify(output)];
  const schema = NormalizedSchema.of(operation![5] as never);
  const requestId = randomUUID();
  switch (protocol) {
    case 'ec2':
      return ['text/xml;charset=UTF-8', `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}"><requestId>${requestId}</requestId>${xmlMembers(schema, output)}</${action}Response>`];
    case 'query':
      return [
        'text/xml',
        `<${action}Response xmlns="${xmlns}"><${action}Result>${xmlMembers(schema, output)}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      ];
    case 'json':
      return ['application/x-amz-json-1.1', JSON.stringify(jsonOf(schema, output, false))];
    case 'rest-json':
      return ['application/json', JSON.stringify(jsonOf(schema, output, true))];
    case 'rest-xml': {
      if (service === 'route53') return ['text/xml', `<?xml version="1.0"?>\n<${action}Response xmlns="${xmlns}">${xmlMembers(schema, output)}</${action}Response>`];
      // S3's GetBucketLocation is the one S3 output here: the constraint is the document itself.
      const constraint = output.LocationConstraint as string | undefined;
      return ['application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${xmlns}">${escapeXml(constraint ?? '')}</LocationConstraint>`];
    }
  }
}

function xmlMembers(ns: NormalizedSchema, value: Record<string, unknown>): string {
  let out = '';
  for (const [name, member] of ns.structIterator()) {
    out += xmlOf(member, value[name], (member.getMemberTraits().xmlName as string | undefined) ?? name);
  }
  return out;
}

function xmlOf(ns: NormalizedSchema, value: unknown, element: string): string {
  if (value === undefined || value === null) return '';
  const traits = ns.getMergedTraits();
  if (ns.isListSchema()) {
    const member = ns.getValueSchema();
    const flat = !!traits.xmlFlattened;
    const itemElement = flat ? element : ((member.getMergedTraits().xmlName as string | undefined) ?? 'member');
    const items = (value as unknown[]).map((item) => xmlOf(member, item, itemElement)).join('');
    return flat ? items : `<${element}>${items}</${element}>`;
  }
  if (ns.isMapSchema()) {
    const keyName = (ns.getKeySchema().getMergedTraits().xmlName as string | undefined) ?? 'key';
    const valueSchema = ns.getValueSchema();
    const valueName = (valueSchema.getMergedTraits().xmlName as string | undefined) ?? 'value';
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `<${keyName}>${escapeXml(k)}</${keyName}>${xmlOf(valueSchema, v, valueName)}`,
    );
    return traits.xmlFlattened ? entries.map((e) => `<${element}>${e}</${element}>`).join('') : `<${element}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${element}>`;
  }
  if (ns.isStructSchema()) return `<${element}>${xmlMembers(ns, value as Record<string, unknown>)}</${element}>`;
  return `<${element}>${escapeXml(scalarText(ns, value, 'xml'))}</${element}>`;
}

function jsonOf(ns: NormalizedSchema, value: unknown, restJson: boolean): unknown {
  if (value === undefined || value === null) return undefined;
  if (ns.isListSchema()) return (value as unknown[]).map((v) => jsonOf(ns.getValueSchema(), v, restJson));
  if (ns.isMapSchema()) {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonOf(ns.getValueSchema(), v, restJson)]));
  }
  if (ns.isStructSchema()) {
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const key = restJson ? ((member.getMergedTraits().jsonName as string | undefined) ?? name) : name;
      const v = jsonOf(member, (value as Record<string, unknown>)[name], restJson);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (ns.isTimestampSchema()) {
    const format = timestampFormat(ns, 'json');
    const text = scalarText(ns, value, 'json');
    return format === 'epoch-seconds' ? Number(text) : text;
  }
  if (ns.isBlobSchema()) return scalarText(ns, value, 'json');
  return value;
}

function timestampFormat(ns: NormalizedSchema, protocol: 'xml' | 'json'): 'date-time' | 'http-date' | 'epoch-seconds' {
  const id = ns.getSchema() as unknown as number;
  if (id === 5) return 'date-time';
  if (id === 6) return 'http-date';
  if (id === 7) return 'epoch-seconds';
  return protocol === 'xml' ? 'date-time' : 'epoch-seconds';
}

function scalarText(ns: NormalizedSchema, value: unknown, protocol: 'xml' | 'json'): string {
  if (ns.isTimestampSchema()) {
    const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : String(value));
    const format = timestampFormat(ns, protocol);
    if (format === 'epoch-seconds') return String(date.getTime() / 1000);
    if (format === 'http-date') return date.toUTCString();
    return date.toISOString();
  }
  if (ns.isBlobSchema()) return Buffer.from(value as string | Uint8Array).toString('base64');
  return String(value);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---- errors ---------------------------------------------------------------------------------

interface WireError {
  code: string;
  message: string;
  status: number;
}

/** The error AWS sends for a fault, in the service's own words. */
function faultError(fault: Exclude<Fault, 'no-answer' | 'html-500' | 'http-429' | 'http-503' | 'json-as-html' | 'reset'>, operation: string): WireError {
  const [service, action] = operation.split(':');
  const json = SERVICES[service]?.protocol === 'json' || SERVICES[service]?.protocol === 'rest-json';
  switch (fault) {
    case 'denied':
      if (service === 'ec2') return { code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.', status: 403 };
      return {
        code: json ? 'AccessDeniedException' : 'AccessDenied',
        message: `User: arn:aws:sts::123456789012:assumed-role/ecs-preflight/wire is not authorized to perform: ${service}:${action} because no identity-based policy allows the ${service}:${action} action`,
        status: 403,
      };
    case 'throttled':
      if (service === 'ec2') return { code: 'RequestLimitExceeded', message: 'Request limit exceeded.', status: 503 };
      if (service === 's3') return { code: 'SlowDown', message: 'Please reduce your request rate.', status: 503 };
      return { code: json ? 'ThrottlingException' : 'Throttling', message: 'Rate exceeded', status: 400 };
    case 'expired':
      if (service === 'ec2') return { code: 'RequestExpired', message: 'Request has expired.', status: 400 };
      return { code: json ? 'ExpiredTokenException' : 'ExpiredToken', message: 'The security token included in the request is expired', status: 400 };
  }
  throw new Error(`unknown fault ${String(fault)}`);
}

function errorReply(protocol: Protocol, error: WireError): [number, string, string, Record<string, string>?] {
  const requestId = randomUUID();
  const message = escapeXml(error.message);
  switch (protocol) {
    case 'ec2':
      return [error.status, 'text/xml;charset=UTF-8', `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${error.code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`];
    case 'query':
      return [error.status, 'text/xml', `<ErrorResponse><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`];
    case 'rest-xml':
      return [error.status, 'application/xml', `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`];
    case 'json':
      return [error.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: error.code, message: error.message }), { 'x-amzn-errortype': error.code }];
    case 'rest-json':
      return [error.status, 'application/json', JSON.stringify({ Message: error.message }), { 'x-amzn-errortype': error.code }];
  }
}
