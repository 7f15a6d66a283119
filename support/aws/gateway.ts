// The only place that sends AWS SDK commands. Live mode uses real SDK v3 clients with the
// standard credential chain; replay mode uses the same clients stubbed by aws-sdk-client-mock
// from a snapshot, so the loader's paginated code runs unchanged in both.
import { mockClient } from 'aws-sdk-client-mock';
import {
  clientClassOf,
  operations,
  pagingOf,
  type InputOf,
  type OperationName,
  type OutputOf,
  type PaginatedOperation,
  type ServiceName,
} from './operations';
import { SnapshotReplay, NotRecordedError, type Snapshot } from './snapshot';
import { UsageError } from '../errors';

interface Sendable {
  send(command: unknown): Promise<unknown>;
}

export interface GatewayOptions {
  region: string;
  /** Per-attempt socket timeout; a request that never answers must not hang a nightly run. */
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

export class AwsGateway {
  private readonly clients = new Map<ServiceName, Sendable>();
  /** Calls sent per operation, pages included: the benchmark and tests read it. */
  readonly calls = new Map<OperationName, number>();

  private constructor(
    readonly mode: 'live' | 'replay',
    readonly region: string,
    private readonly makeClient: (service: ServiceName) => Sendable,
  ) {}

  static live(options: GatewayOptions): AwsGateway {
    const { region, requestTimeoutMs = 10_000, maxAttempts = 6 } = options;
    return new AwsGateway('live', region, (service) => {
      const Client = clientClassOf(service);
      return new Client({
        region,
        retryMode: 'adaptive',
        maxAttempts,
        requestHandler: { connectionTimeout: requestTimeoutMs, requestTimeout: requestTimeoutMs },
      });
    });
  }

  static replay(snapshot: Snapshot, source: string): AwsGateway {
    const replay = new SnapshotReplay(snapshot, source);
    return new AwsGateway('replay', snapshot.region, (service) => {
      const Client = clientClassOf(service);
      // Static credentials: a replayed client must never look for real ones.
      const client = new Client({ region: snapshot.region, credentials: { accessKeyId: 'replay', secretAccessKey: 'replay' } });
      // The client union is too wide for mockClient's generic; each member is a valid client.
      const mock = mockClient(client as unknown as Parameters<typeof mockClient>[0]);
      mock.onAnyCommand().rejects(new UsageError(`replay has no handler for a ${service} command outside the suite's read operations`));
      for (const [name, op] of Object.entries(operations) as [OperationName, (typeof operations)[OperationName]][]) {
        if (op.service !== service) continue;
        // aws-sdk-client-mock types `on` per command class; the union of all our classes is too wide for it.
        (mock.on as (command: unknown) => { callsFake(fn: (input: object) => unknown): void })(op.command).callsFake(
          async (input: object) => replay.respond(name, input),
        );
      }
      return client;
    });
  }

  private client(service: ServiceName): Sendable {
    let client = this.clients.get(service);
    if (!client) {
      client = this.makeClient(service);
      this.clients.set(service, client);
    }
    return client;
  }

  async call<K extends OperationName>(operation: K, input: InputOf<K>): Promise<OutputOf<K>> {
    const { service, command: Command } = operations[operation];
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    try {
      const CommandClass = Command as unknown as new (input: InputOf<K>) => unknown;
      return (await this.client(service).send(new CommandClass(input))) as OutputOf<K>;
    } catch (error) {
      throw describeAwsError(operation, error, this.region);
    }
  }

  /** Every page of a paginated operation, following its token until AWS stops returning one. */
  async *pages<K extends PaginatedOperation>(operation: K, input: InputOf<K>): AsyncGenerator<OutputOf<K>> {
    const paging = pagingOf(operation)!;
    let token: unknown;
    const seen = new Set<unknown>();
    do {
      const page = await this.call(operation, { ...input, [paging.inputToken]: token } as InputOf<K>);
      yield page;
      token = (page as Record<string, unknown>)[paging.outputToken];
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

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure', 'SignatureDoesNotMatch', 'InvalidSignatureException']);
const DENIED_ERRORS = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/** Turns an SDK failure into one line that names the call and what to do about it. */
export function describeAwsError(operation: OperationName, error: unknown, region: string): Error {
  if (error instanceof NotRecordedError || error instanceof UsageError) return error;
  const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  if (CREDENTIAL_ERRORS.has(name)) {
    return new UsageError(`no valid AWS credentials for ${operation} in ${region} (${name}): set AWS_PROFILE or run "aws sso login", then run again`);
  }
  if (DENIED_ERRORS.has(name)) {
    return new UsageError(`${operation} was denied in ${region} (${name}): grant "${operation}" to the identity running the suite (see iam/readonly-policy.json)`);
  }
  return new UsageError(`${operation} failed in ${region}: ${name}: ${firstLine(message)}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}
