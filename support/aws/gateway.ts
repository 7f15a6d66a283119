// The only place that sends AWS SDK commands. Live mode uses real SDK v3 clients with the
// standard credential chain; replay mode uses the same clients stubbed by aws-sdk-client-mock
// from a snapshot, so the loader's paginated code runs unchanged in both.
//
// Read-only by construction: `call` refuses any operation that is not one of the registered
// reads (support/aws/operations.ts) before a client is even touched, and every live client
// carries a middleware that refuses any other command before it is serialized or signed.
import { mockClient } from 'aws-sdk-client-mock';
import type { EC2ClientConfig } from '@aws-sdk/client-ec2';
import {
  clientClassOf,
  operationOfCommand,
  operations,
  pagingOf,
  readOnlyRefusal,
  type InputOf,
  type OperationName,
  type OutputOf,
  type PaginatedOperation,
  type ServiceName,
} from './operations';
import { SnapshotReplay, NotRecordedError, type Snapshot } from './snapshot';
import { UsageError } from '../errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { trackCalls } from './stats';
import { limiter, type Limiter } from '../util/concurrency';
import { EmulatedAwsLimits, RequestBudget } from './budget';
import type { ImmutableAnswers } from './immutable-cache';

interface Sendable {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** What a live gateway does when AWS is slow, throttles or does not answer. */
export interface LiveLimits {
  /** One attempt, connection and answer included: a request that never answers must not hang a nightly run. */
  requestTimeoutMs: number;
  /** Attempts per call, the first included; throttling and 5xx are retried with the SDK's standard back-off. */
  maxAttempts: number;
  /** One call with all its attempts and backoff: the bound no retry policy can exceed. */
  callTimeoutMs: number;
}

export const DEFAULT_LIMITS: LiveLimits = { requestTimeoutMs: 10_000, maxAttempts: 5, callTimeoutMs: 120_000 };

export interface GatewayOptions extends Partial<LiveLimits> {
  region: string;
  /** Default: the SDK's standard chain (environment, AWS_PROFILE and SSO, web identity, container and instance roles). */
  credentials?: EC2ClientConfig['credentials'];
  /** Told of every answer AWS gave (recording a snapshot). */
  recorder?: CallRecorder;
  /** The share of AWS's request buckets to keep to (PREFLIGHT_API_BUDGET); none: send as fast as the slots allow. */
  budget?: RequestBudget;
  /** Answers that never change, kept across runs (task definition revisions). Not read while recording. */
  cache?: ImmutableAnswers;
}

export interface ReplayOptions {
  /** Answer like AWS would when the snapshot's account is read too fast (the benchmark, tests). */
  emulateAwsLimits?: boolean;
  budget?: RequestBudget;
  cache?: ImmutableAnswers;
}

/** Sees each call's outcome: the output, the error AWS answered with, or a failure to get an answer. */
export interface CallRecorder {
  answered(operation: OperationName, input: object, outcome: { output: Record<string, unknown> } | { error: { name: string; message: string } }): void;
  unanswered(operation: OperationName, input: object, error: Error): void;
}

/** An operation or command the suite must never send: refused before any request. */
export class ReadOnlyRefusal extends UsageError {
  override name = 'ReadOnlyRefusal';
}

/** AWS denied a read: names the action to grant. The loader tolerates it for data only some checks need. */
/** A read that did not succeed after the bounded retries: which operation, and one line on why. */
export class ReadFailed extends UsageError {
  override name = 'ReadFailed';
  constructor(
    readonly operation: OperationName,
    message: string,
    /** The error AWS answered with ("ImageNotFoundException"), when it answered: some reads tell absence this way. */
    readonly awsError?: string,
  ) {
    super(message);
  }
}

/** A read AWS refused to the identity running the suite. */
export class ReadDenied extends ReadFailed {
  override name = 'ReadDenied';
}

/**
 * Calls in flight at once per AWS service (EC2, ECS, IAM…) of one gateway, whatever asks: reads
 * of one target run concurrently, within this bound and the request budget; a throttle that still
 * happens is retried by the SDK with back-off.
 */
export const MAX_IN_FLIGHT_PER_SERVICE = 32;

export class AwsGateway {
  private readonly clients = new Map<ServiceName, Sendable>();
  private readonly slots = new Map<ServiceName, Limiter>();
  /** Calls sent per operation, pages included: the benchmark and tests read it. */
  readonly calls = new Map<OperationName, number>();
  /** Attempts AWS (or the emulated AWS) throttled, retried ones included. */
  throttles = 0;
  /** Calls waiting for their token of the request budget right now. */
  waitingForBudget = 0;
  /** A replay's recording time (the snapshot's recordedAt): the "now" of its evidence, so that replays are stable. */
  recordedAt?: string;
  private closed = false;

  private constructor(
    readonly mode: 'live' | 'replay',
    readonly region: string,
    private readonly makeClient: (service: ServiceName) => Sendable,
    private readonly limits: LiveLimits = DEFAULT_LIMITS,
    private readonly recorder?: CallRecorder,
    private readonly budget?: RequestBudget,
    private readonly cache?: ImmutableAnswers,
    /** What else close() lets go of: a replay's snapshot and its stubs' history. */
    private readonly release?: () => void,
  ) {
    trackCalls(this);
  }

  /** Calls answered from the cache of immutable answers instead of AWS. */
  get cacheHits(): number {
    return this.cache?.hits ?? 0;
  }

  static live(options: GatewayOptions): AwsGateway {
    const { region, credentials, recorder, budget, cache } = options;
    const limits: LiveLimits = {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs,
      maxAttempts: options.maxAttempts ?? DEFAULT_LIMITS.maxAttempts,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULT_LIMITS.callTimeoutMs,
    };
    const gateway: AwsGateway = new AwsGateway(
      'live',
      region,
      (service) => {
        const Client = clientClassOf(service);
        const client = new Client({
          region,
          credentials,
          // Pacing is the budget's (support/aws/budget.ts), before a call is sent; a throttle that
          // still happens (the account's own tooling drew on the bucket) is retried with back-off.
          retryMode: 'standard',
          maxAttempts: limits.maxAttempts,
          requestHandler: {
            connectionTimeout: limits.requestTimeoutMs,
            requestTimeout: limits.requestTimeoutMs,
            // Without it the SDK only logs a warning when the request timeout passes.
            throwOnRequestTimeout: true,
          },
        });
        withReadOnlyGuard(client, service);
        withWireDiagnostics(client);
        countThrottles(client, () => gateway.throttles++);
        return client;
      },
      limits,
      recorder,
      budget,
      cache,
    );
    return gateway;
  }

  static replay(snapshot: Snapshot, source: string, options: ReplayOptions = {}): AwsGateway {
    const { region } = snapshot;
    // Let go of by close(): the stubs below live as long as the process (sinon's default sandbox
    // keeps them), and each remembers every call, its input and the pages it answered with.
    let replay: SnapshotReplay | undefined = new SnapshotReplay(snapshot, source);
    const mocks: ReturnType<typeof mockClient>[] = [];
    const latencyMs = replayLatencyMs();
    const aws = options.emulateAwsLimits ? new EmulatedAwsLimits() : undefined;
    // Pacing a local file only costs time: the budget applies when the replay answers like AWS.
    const budget = aws ? options.budget : undefined;
    const makeClient = (service: ServiceName): Sendable => {
      const Client = clientClassOf(service);
      // Static credentials: a replayed client must never look for real ones.
      const client = new Client({ region, credentials: { accessKeyId: 'replay', secretAccessKey: 'replay' } });
      // The client union is too wide for mockClient's generic; each member is a valid client.
      const mock = mockClient(client as unknown as Parameters<typeof mockClient>[0]);
      mocks.push(mock);
      // One behaviour for every command, by its class: aws-sdk-client-mock's `on(Command)` adds a
      // matcher per operation, and sinon compared every call with each of them (deep equality).
      const names = new Map<unknown, OperationName>();
      for (const [name, op] of Object.entries(operations) as [OperationName, (typeof operations)[OperationName]][]) if (op.service === service) names.set(op.command, name);
      (mock.send as unknown as { callsFake(fn: (command: { input: object }) => Promise<unknown>): void }).callsFake(async (command) => {
        const name = names.get(command.constructor);
        // Made when such a command is sent: one made with the client would keep the call stack that
        // created it (the first scenario's World and its workloads) for the whole run.
        if (!name) throw new ReadOnlyRefusal(`replay has no handler for a ${service} command outside the suite's read operations`);
        if (latencyMs > 0) await sleep(latencyMs);
        if (!replay) throw new Error(`${name} was sent to a closed replay gateway: the account was already read`);
        const throttled = aws?.admit(name);
        if (throttled) throw Object.assign(new Error('Rate exceeded'), { name: throttled.code, $fault: 'client', $metadata: { httpStatusCode: throttled.status } });
        return replay.respond(name, command.input);
      });
      return client;
    };
    const release = () => {
      replay = undefined;
      for (const mock of mocks.splice(0)) {
        mock.resetHistory();
        mock.restore();
      }
    };
    const gateway = new AwsGateway('replay', region, makeClient, DEFAULT_LIMITS, undefined, budget, options.cache, release);
    gateway.recordedAt = snapshot.recordedAt;
    return gateway;
  }

  /**
   * Lets go of the clients once the account is read (target.ts): a replayed snapshot and what the
   * stubs remember of each call are most of what a large account costs in memory after loading.
   * The call counts stay; a later call fails.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const client of this.clients.values()) (client as { destroy?: () => void }).destroy?.();
    this.clients.clear();
    this.release?.();
  }

  private client(service: ServiceName): Sendable {
    if (this.closed) throw new Error(`the ${this.mode} gateway of ${this.region} is closed: the account was already read`);
    let client = this.clients.get(service);
    if (!client) {
      client = this.makeClient(service);
      this.clients.set(service, client);
    }
    return client;
  }

  private slot(service: ServiceName): Limiter {
    let slot = this.slots.get(service);
    if (!slot) this.slots.set(service, (slot = limiter(MAX_IN_FLIGHT_PER_SERVICE)));
    return slot;
  }

  async call<K extends OperationName>(operation: K, input: InputOf<K>): Promise<OutputOf<K>> {
    // The read-only rule, first: nothing else is looked up, built or sent for a refused operation.
    const refusal = readOnlyRefusal(operation);
    if (refusal) throw new ReadOnlyRefusal(`refused to send ${operation}: ${refusal}; ecs-preflight only reads`);
    const { service, command: Command } = operations[operation];
    // A recording must hold every answer, so it never reads the cache.
    const cached = this.recorder ? undefined : this.cache?.get(operation, input);
    if (cached) return cached;
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    // The budget before the slot: a call waiting for its token must not hold a slot other families need.
    const wait = this.budget?.reserve(operation) ?? 0;
    if (wait > 0) {
      this.waitingForBudget++;
      try {
        await sleep(wait);
      } finally {
        this.waitingForBudget--;
      }
    }
    const CommandClass = Command as unknown as new (input: InputOf<K>) => unknown;
    const attempts: unknown[] = [];
    try {
      const client = this.client(service);
      // The call's time limit starts when it leaves the queue of its service.
      const command = new CommandClass(input);
      if (this.mode === 'live') rememberAttemptErrors(command, attempts);
      const output = (await this.slot(service)(() =>
        this.mode === 'live' ? client.send(command, { abortSignal: AbortSignal.timeout(this.limits.callTimeoutMs) }) : this.sendReplayed(client, command),
      )) as OutputOf<K>;
      this.recorder?.answered(operation, input as object, { output: output as Record<string, unknown> });
      this.cache?.put(operation, input, output);
      return output;
    } catch (error) {
      if (this.recorder) {
        if (isAwsAnswer(error)) this.recorder.answered(operation, input as object, { error: { name: (error as Error).name, message: (error as Error).message } });
        else this.recorder.unanswered(operation, input as object, describeAwsError(operation, error, this.region, this.mode === 'live' ? this.limits : undefined));
      }
      // Stopped by the call's time limit while retrying: what the attempts got is the diagnosis.
      if ((error as Error | undefined)?.name === 'AbortError' && attempts.length > 0) {
        Object.defineProperty(error, '$attempts', { value: attempts, configurable: true });
      }
      const described = describeAwsError(operation, error, this.region, this.mode === 'live' ? this.limits : undefined);
      // The loader can do without some reads: it needs to know which one failed.
      // An error with a fault is AWS's answer (live or replayed): its name says what it was.
      const awsError = (error as { $fault?: string } | undefined)?.$fault !== undefined ? (error as Error).name : undefined;
      throw described instanceof UsageError && !(described instanceof ReadFailed) && !(described instanceof NotRecordedError) ? new ReadFailed(operation, described.message, awsError) : described;
    }
  }

  /**
   * A replayed call, retried on throttling as the SDK's standard mode does for a live one
   * (exponential back-off with full jitter from 100 ms, at most 20 s, within the attempt bound):
   * the mocked client's send skips the SDK's retry middleware.
   */
  private async sendReplayed(client: Sendable, command: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.send(command);
      } catch (error) {
        if (!isThrottling(error)) throw error;
        this.throttles++;
        if (attempt >= this.limits.maxAttempts) {
          Object.defineProperty(error, '$metadata', { value: { ...(error as { $metadata?: object }).$metadata, attempts: attempt }, configurable: true });
          throw error;
        }
        await sleep(Math.random() * Math.min(20_000, 100 * 2 ** attempt));
      }
    }
  }

  /** Every page of a paginated operation, following its token until AWS stops returning one. */
  async *pages<K extends PaginatedOperation>(operation: K, input: InputOf<K>): AsyncGenerator<OutputOf<K>> {
    const paging = pagingOf(operation)!;
    let token: unknown;
    let carried: Record<string, unknown> = {};
    const seen = new Set<unknown>();
    do {
      const page = await this.call(operation, { ...input, ...carried, [paging.inputToken]: token } as InputOf<K>);
      yield page;
      token = (page as Record<string, unknown>)[paging.outputToken];
      carried = Object.fromEntries((paging.alongside ?? []).map(([into, from]) => [into, (page as Record<string, unknown>)[from]]));
      if (token !== undefined && seen.has(token)) throw new Error(`${operation} returned the same page token twice: stopping to avoid a loop`);
      seen.add(token);
    } while (token !== undefined && token !== null && token !== '');
  }

  get totalCalls(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }
}

/** Keeps the error of every attempt of one call (inside the SDK's retries), so a call stopped by its time limit says what its attempts got. */
function rememberAttemptErrors(command: unknown, errors: unknown[]): void {
  (command as { middlewareStack: MiddlewareStackLike }).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        errors.push(error);
        throw error;
      }
    },
    { step: 'finalizeRequest', name: 'ecsPreflightAttemptErrors', priority: 'low' },
  );
}

/** Counts every throttled attempt of a live client, retried or not: the benchmark and tests read it. */
function countThrottles(client: object, count: () => void): void {
  (client as { middlewareStack: MiddlewareStackLike }).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isThrottling(error)) count();
        throw error;
      }
    },
    { step: 'finalizeRequest', name: 'ecsPreflightThrottleCount', priority: 'low' },
  );
}

function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return THROTTLING_ERRORS.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

interface MiddlewareStackLike {
  add(middleware: (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => (args: unknown) => Promise<unknown>, options: Record<string, unknown>): void;
}

/** Every command a live client is asked to send is checked against the reads, before serialization. */
function withReadOnlyGuard(client: object, service: ServiceName): void {
  (client as { middlewareStack: MiddlewareStackLike }).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationOfCommand(service, String(context.commandName));
      const refusal = readOnlyRefusal(operation);
      if (refusal) throw new ReadOnlyRefusal(`refused to send ${operation}: ${refusal}; ecs-preflight only reads`);
      return next(args);
    },
    { step: 'initialize', name: 'ecsPreflightReadOnlyGuard', priority: 'high' },
  );
}

/** The error name a snapshot gives a call that got no AWS answer while it was recorded (bin/snapshot.ts). */
export const UNANSWERED = 'NoAnswerWhenRecorded';

/** An answer that is a web page (a proxy, a captive portal, a wrong AWS_ENDPOINT_URL), not an AWS API response. */
export class HtmlAnswer extends Error {
  override name = 'HtmlAnswer';
  readonly $metadata: { httpStatusCode: number };
  constructor(
    readonly status: number,
    readonly title: string,
  ) {
    super(`HTTP ${status} with an HTML page${title ? ` ("${title}")` : ''}`);
    // 5xx pages are retried like any 5xx; the status tells the retry strategy.
    this.$metadata = { httpStatusCode: status };
  }
}

/**
 * Two diagnostics no SDK error carries: where the request went (every error gets `$endpoint`),
 * and an HTML page in place of an AWS answer (turned into HtmlAnswer before the protocol's parser
 * fails on it with a message about XML).
 */
function withWireDiagnostics(client: object): void {
  const stack = (client as { middlewareStack: MiddlewareStackLike }).middlewareStack;
  stack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const request = (args as { request?: { protocol?: string; hostname?: string; port?: number } }).request;
        if (request?.hostname && typeof error === 'object' && error !== null) {
          const endpoint = `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
          Object.defineProperty(error, '$endpoint', { value: endpoint, configurable: true });
        }
        throw error;
      }
    },
    { step: 'build', name: 'ecsPreflightEndpointOfErrors', priority: 'low' },
  );
  stack.add(
    (next) => async (args) => {
      const result = (await next(args)) as { response?: { statusCode?: number; headers?: Record<string, string>; body?: unknown } };
      const response = result.response;
      const type = response?.headers?.['content-type'] ?? response?.headers?.['Content-Type'] ?? '';
      // Judged by the body, not the label: a proxy may call a JSON answer text/html, or send a page as text/plain.
      if (response && (/html/i.test(type) || (!/json|xml/i.test(type) && (response.statusCode ?? 200) >= 400))) {
        const body = await readAll(response.body as AsyncIterable<Buffer> | undefined);
        const text = body.toString('utf8');
        if (/^\s*(?:<!doctype html|<html[\s>])/i.test(text)) {
          throw new HtmlAnswer(response.statusCode ?? 0, text.match(/<title[^>]*>([^<]*)<\/title>/i)?.[1]?.trim().slice(0, 80) ?? '');
        }
        response.body = body; // the protocol's parser reads a buffer as well as a stream
      }
      return result;
    },
    { step: 'deserialize', name: 'ecsPreflightHtmlAnswer', priority: 'low' },
  );
}

async function readAll(body: AsyncIterable<Buffer> | Uint8Array | undefined): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body[Symbol.asyncIterator] !== 'function') return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** An error AWS itself answered with (a status and a code), as opposed to no answer at all. */
function isAwsAnswer(error: unknown): boolean {
  const e = error as { $metadata?: { httpStatusCode?: number }; $fault?: string } | undefined;
  return !(error instanceof HtmlAnswer) && !(error instanceof UsageError) && e?.$metadata?.httpStatusCode !== undefined && e.$fault !== undefined;
}

const MISSING_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);
const EXPIRED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const REJECTED_CREDENTIALS = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure', 'SignatureDoesNotMatch', 'InvalidSignatureException', 'InvalidAccessKeyId', 'IncompleteSignature']);
const DENIED_ERRORS = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);
const THROTTLING_ERRORS = new Set(['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'TooManyRequestsException', 'SlowDown', 'RequestThrottled', 'RequestThrottledException', 'EC2ThrottledException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/** Turns an SDK failure into one line that names the call, what happened and what to do about it. */
export function describeAwsError(operation: OperationName, error: unknown, region: string, limits?: LiveLimits): Error {
  if (error instanceof NotRecordedError || error instanceof UsageError) return error;
  // A read that got no AWS answer when the snapshot was recorded replays as the same one line.
  if ((error as Error | undefined)?.name === UNANSWERED) return new UsageError((error as Error).message);
  const e = (error ?? {}) as { name?: string; message?: string; code?: string; $endpoint?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const name = e.name ?? 'Error';
  const message = firstLine(e.message ?? String(error));
  const endpoint = e.$endpoint ?? `the ${operation.split(':')[0]} endpoint of ${region}`;
  const attempts = e.$metadata?.attempts;
  /** ", 3 attempts" inside a parenthesis; " (3 attempts)" after a phrase. */
  const tries = attempts && attempts > 1 ? `, ${attempts} attempts` : '';
  const afterTries = attempts && attempts > 1 ? ` (${attempts} attempts)` : '';
  const status = e.$metadata?.httpStatusCode;

  if (MISSING_CREDENTIALS.has(name)) {
    return new UsageError(`no valid AWS credentials for ${operation} in ${region} (${message}): set AWS_PROFILE (then "aws sso login" for SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again`);
  }
  if (EXPIRED_CREDENTIALS.has(name) || (REJECTED_CREDENTIALS.has(name) && /expired/i.test(message))) {
    return new UsageError(`the AWS credentials for ${operation} in ${region} have expired (${name}): refresh them ("aws sso login", or new session credentials), then run again`);
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return new UsageError(`AWS rejected the credentials for ${operation} in ${region} (${name}: ${message}): check AWS_PROFILE or the access keys, then run again`);
  }
  if (DENIED_ERRORS.has(name)) {
    return new ReadDenied(operation, `${operation} was denied in ${region} (${name}): grant "${operation}" to the identity running the suite (see iam/readonly-policy.json)`);
  }
  if (name === 'AbortError' && limits) {
    const attemptErrors = (error as { $attempts?: unknown[] }).$attempts;
    if (attemptErrors?.length) {
      const last = attemptErrors[attemptErrors.length - 1] as { $metadata?: object };
      Object.defineProperty(last, '$metadata', { value: { ...(last.$metadata ?? {}), attempts: attemptErrors.length }, configurable: true });
      const diagnosis = describeAwsError(operation, last, region, limits);
      return new UsageError(`${diagnosis.message.replace(/\.$/, '')} (retries stopped at the call's limit of ${seconds(limits.callTimeoutMs)}, PREFLIGHT_CALL_TIMEOUT_MS)`);
    }
    return new UsageError(`${operation} in ${region} got no answer within ${seconds(limits.callTimeoutMs)} (${endpoint}): AWS or the network is not answering; check the network, a proxy or AWS_ENDPOINT_URL`);
  }
  if (error instanceof HtmlAnswer) {
    return new UsageError(`${operation} in ${region}: ${endpoint} answered ${error.message} instead of an AWS API response${afterTries}: a proxy or a wrong AWS_ENDPOINT_URL is in the way`);
  }
  // The SDK renames a reset connection TimeoutError (to retry it); its code tells what happened.
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
    return new UsageError(`${operation} in ${region}: the connection to ${endpoint} was reset (${e.code}${tries}): a proxy, a firewall or the endpoint drops it; check AWS_ENDPOINT_URL and the network`);
  }
  if (name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    const within = limits ? ` within ${seconds(limits.requestTimeoutMs)} per attempt` : '';
    return new UsageError(`${operation} in ${region}: no answer from ${endpoint}${within}${afterTries}: check the network, a proxy or AWS_ENDPOINT_URL (PREFLIGHT_REQUEST_TIMEOUT_MS raises the limit)`);
  }
  if (e.code && NETWORK_CODES.has(e.code)) {
    return new UsageError(`${operation} in ${region}: cannot reach ${endpoint} (${e.code}${tries}): check AWS_REGION, AWS_ENDPOINT_URL and the network or proxy`);
  }
  if (isThrottling(error)) {
    return new UsageError(`${operation} in ${region} was still throttled (${THROTTLING_ERRORS.has(name) ? name : `HTTP ${status}`}${tries}): the account's API rate limit is in use; run again later, or raise PREFLIGHT_MAX_ATTEMPTS`);
  }
  if (status !== undefined && status >= 500) {
    return new UsageError(`${operation} in ${region}: AWS answered HTTP ${status} (${name}: ${message}${tries}): a service problem; run again later`);
  }
  if (/deserializ|xml|json|unexpected token|parse/i.test(`${name} ${message}`)) {
    return new UsageError(`${operation} in ${region}: the answer from ${endpoint} is not an AWS API response (${name}: ${message}): check AWS_ENDPOINT_URL and any proxy`);
  }
  return new UsageError(`${operation} failed in ${region}: ${name}: ${message}`);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

/** PREFLIGHT_REPLAY_LATENCY_MS: a fixed delay before every replayed answer, to measure loading as if AWS took that long (the benchmark). */
function replayLatencyMs(): number {
  const text = process.env.PREFLIGHT_REPLAY_LATENCY_MS;
  if (text === undefined || text === '') return 0;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`PREFLIGHT_REPLAY_LATENCY_MS must be a number of milliseconds, not "${text}"`);
  return ms;
}
