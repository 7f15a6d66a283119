// AWS's request budgets for the reads the suite makes, and the token buckets that keep to them.
//
// AWS throttles reads per account and region with token buckets that the account's own tooling
// shares: a deploy pipeline polling DescribeServices draws on the same bucket as a nightly scan.
// So the gateway paces its calls to a fraction of each published bucket (PREFLIGHT_API_BUDGET,
// 0.5 by default), leaving the rest to the account, rather than reacting to throttles after the
// fact. The same table drives the emulated AWS of the replay and the local wire server, which
// answer ThrottlingException or RequestLimitExceeded as AWS would. docs/BUDGETS.md has the table
// with its sources.
import { UsageError } from '../errors';
import { operations, type OperationName, type ServiceName } from './operations';

/** One bucket AWS keeps per account and region, and the operations that draw on it. */
export interface ApiFamily {
  /** As AWS's documentation names it. */
  name: string;
  operations: readonly OperationName[];
  /** EC2 keeps one bucket per action, not one for the family. */
  bucketPerOperation?: true;
  /** Bucket maximum capacity: the burst. */
  burst: number;
  /** Bucket refill rate, tokens per second: the sustained rate. */
  refillPerSecond: number;
  /** Where the figures come from; `assumed` when AWS publishes none for these actions. */
  source: string;
  published: boolean;
}

const ECS_THROTTLING = 'Amazon ECS API Reference, "Request throttling for the Amazon ECS API"';
const EC2_THROTTLING = 'Amazon EC2 Developer Guide, "Request throttling for the Amazon EC2 API", request token bucket sizes and refill rates';

export const API_FAMILIES: readonly ApiFamily[] = [
  { name: 'ECS cluster read actions', operations: ['ecs:ListClusters', 'ecs:DescribeClusters'], burst: 50, refillPerSecond: 20, source: ECS_THROTTLING, published: true },
  { name: 'ECS service read actions', operations: ['ecs:ListServices', 'ecs:DescribeServices'], burst: 100, refillPerSecond: 20, source: ECS_THROTTLING, published: true },
  { name: 'ECS task definition read actions', operations: ['ecs:DescribeTaskDefinition'], burst: 50, refillPerSecond: 20, source: ECS_THROTTLING, published: true },
  { name: 'ECS cluster resource read actions', operations: ['ecs:ListTasks', 'ecs:DescribeTasks'], burst: 100, refillPerSecond: 20, source: ECS_THROTTLING, published: true },
  {
    // The loader lists each resource type whole, without a filter or MaxResults: AWS may count such
    // calls against the smaller bucket of unfiltered, unpaginated reads, so the budget assumes it.
    name: 'EC2 unfiltered and unpaginated non-mutating actions',
    operations: [
      'ec2:DescribeVpcs',
      'ec2:DescribeSubnets',
      'ec2:DescribeRouteTables',
      'ec2:DescribeVpcEndpoints',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeNetworkAcls',
      'ec2:DescribeManagedPrefixLists',
      'ec2:DescribeNatGateways',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeFlowLogs',
    ],
    bucketPerOperation: true,
    burst: 50,
    refillPerSecond: 10,
    source: EC2_THROTTLING,
    published: true,
  },
  {
    name: 'EC2 non-mutating actions',
    operations: ['ec2:DescribeVpcAttribute', 'ec2:GetManagedPrefixListEntries'],
    bucketPerOperation: true,
    burst: 100,
    refillPerSecond: 20,
    source: EC2_THROTTLING,
    published: true,
  },
  {
    name: 'EventBridge APIs other than PutEvents',
    operations: ['events:ListRules', 'events:ListTargetsByRule'],
    burst: 50,
    refillPerSecond: 50,
    source: 'Amazon EventBridge User Guide, "Amazon EventBridge quotas": 50 requests per second',
    published: true,
  },
  {
    name: 'EventBridge Scheduler reads',
    operations: ['scheduler:ListSchedules', 'scheduler:GetSchedule'],
    burst: 50,
    refillPerSecond: 50,
    source: 'assumed as EventBridge\'s (the Scheduler quotas page lists no rate for these reads)',
    published: false,
  },
  {
    name: 'Secrets Manager ListSecrets',
    operations: ['secretsmanager:ListSecrets'],
    burst: 100,
    refillPerSecond: 100,
    source: 'AWS What\'s New, 2022-11-11: "Secrets Manager increases API requests per second limits": ListSecrets 100 per second',
    published: true,
  },
  {
    name: 'Secrets Manager DescribeSecret and GetSecretValue',
    operations: ['secretsmanager:DescribeSecret'],
    burst: 10_000,
    refillPerSecond: 10_000,
    source: 'AWS What\'s New, 2022-11-11: GetSecretValue and DescribeSecret 10,000 per second (shared with the tasks that start)',
    published: true,
  },
  {
    name: 'SSM DescribeParameters',
    operations: ['ssm:DescribeParameters'],
    burst: 10,
    refillPerSecond: 10,
    source: 'assumed (Parameter Store publishes throughput for GetParameter, not DescribeParameters)',
    published: false,
  },
  {
    name: 'IAM reads',
    operations: ['iam:GetAccountAuthorizationDetails', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
    burst: 20,
    refillPerSecond: 10,
    source: 'assumed (IAM publishes no request rates; IAM is global, so every region\'s scan shares it)',
    published: false,
  },
  { name: 'STS requests', operations: ['sts:GetCallerIdentity'], burst: 600, refillPerSecond: 600, source: 'IAM User Guide, "IAM and AWS STS quotas": 600 requests per second', published: true },
  {
    name: 'S3 GET requests per prefix',
    operations: ['s3:GetBucketLocation'],
    burst: 5_500,
    refillPerSecond: 5_500,
    source: 'Amazon S3 User Guide, "Best practices design patterns: optimizing Amazon S3 performance": 5,500 GET per second per prefix',
    published: true,
  },
  {
    // The same per-action buckets as the EC2 lists above: DNS-01 and DNS-02 list these whole too.
    name: 'EC2 unfiltered and unpaginated non-mutating actions, DNS and transit reads',
    operations: ['ec2:DescribeDhcpOptions', 'ec2:DescribeTransitGatewayAttachments'],
    bucketPerOperation: true,
    burst: 50,
    refillPerSecond: 10,
    source: EC2_THROTTLING,
    published: true,
  },
  {
    name: 'EC2 non-mutating actions, transit gateway routes',
    operations: ['ec2:SearchTransitGatewayRoutes'],
    bucketPerOperation: true,
    burst: 100,
    refillPerSecond: 20,
    source: EC2_THROTTLING,
    published: true,
  },
  {
    name: 'Route 53 API requests (account level)',
    operations: ['route53:ListHostedZonesByVPC', 'route53:ListResourceRecordSets'],
    burst: 50,
    refillPerSecond: 10,
    source: 'Amazon Route 53 Developer Guide, "Throttling for Amazon Route 53 API requests": all Route 53 API operations combined, 50 burst, 10 per second (Route 53 is global: every region\'s scan shares it)',
    published: true,
  },
  {
    name: 'Route 53 Resolver reads',
    operations: ['route53resolver:ListResolverRules', 'route53resolver:ListResolverRuleAssociations'],
    burst: 10,
    refillPerSecond: 5,
    source: 'assumed (the Route 53 quotas page lists Resolver entities, not request rates)',
    published: false,
  },
  {
    name: 'ECR registry reads',
    operations: ['ecr:DescribeImages', 'ecr:DescribePullThroughCacheRules', 'ecr:GetRepositoryPolicy', 'ecr:GetLifecyclePolicy'],
    burst: 50,
    refillPerSecond: 20,
    source: "assumed as ECS's read actions (the Amazon ECR service quotas page publishes rates for the image push and pull actions only, not for these reads)",
    published: false,
  },
];

const familyByOperation = new Map<OperationName, ApiFamily>(API_FAMILIES.flatMap((f) => f.operations.map((op) => [op, f] as const)));

export function familyOf(operation: OperationName): ApiFamily {
  const family = familyByOperation.get(operation);
  if (!family) throw new Error(`${operation} has no request budget in support/aws/budget.ts`);
  return family;
}

/** The bucket an operation draws on: its family's, or its own where AWS keeps one per action. */
export function bucketKeyOf(operation: OperationName): string {
  const family = familyOf(operation);
  return family.bucketPerOperation ? operation : family.name;
}

/** The error AWS answers a throttled call of this service with, as its wire protocol names it. */
export function throttlingErrorOf(service: ServiceName): { code: string; status: number } {
  switch (service) {
    case 'ec2':
      return { code: 'RequestLimitExceeded', status: 503 };
    case 'iam':
    case 'sts':
      return { code: 'Throttling', status: 400 };
    case 's3':
      return { code: 'SlowDown', status: 503 };
    case 'scheduler':
      return { code: 'ThrottlingException', status: 429 };
    default:
      return { code: 'ThrottlingException', status: 400 };
  }
}

/**
 * A token bucket as AWS describes it: `capacity` tokens at most, refilled continuously at
 * `refillPerSecond`. Time comes from `now` (milliseconds) so tests can drive it.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly capacity: number;
  readonly refillPerSecond: number;
  private readonly now: () => number;

  constructor(capacity: number, refillPerSecond: number, now: () => number = performanceNow) {
    this.capacity = capacity;
    this.refillPerSecond = refillPerSecond;
    this.now = now;
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.refillPerSecond);
    this.last = t;
  }

  /** AWS's side: one token if there is one, else the request is throttled. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * The client's side: reserves the next token and says how long to wait for it. Reservations
   * queue in call order (the bucket goes into debt), so concurrent callers are paced, not raced.
   */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.refillPerSecond) * 1000;
  }
}

function performanceNow(): number {
  return performance.now();
}

/** A family's bucket at `fraction` of AWS's: at least one token of burst, so a small bucket still lets a call through. */
function shareOf(family: ApiFamily, fraction: number): { burst: number; refillPerSecond: number } {
  return { burst: Math.max(1, family.burst * fraction), refillPerSecond: family.refillPerSecond * fraction };
}

/** Buckets by key, made on first use from the table, scaled by `fraction`. */
class Buckets {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(
    private readonly fraction: number,
    private readonly now: () => number,
  ) {}

  of(operation: OperationName): TokenBucket {
    const key = bucketKeyOf(operation);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const { burst, refillPerSecond } = shareOf(familyOf(operation), this.fraction);
      bucket = new TokenBucket(burst, refillPerSecond, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** The suite's share of each bucket: a call waits until its share has a token for it. */
export class RequestBudget {
  private readonly buckets: Buckets;
  constructor(
    readonly fraction: number,
    now: () => number = performanceNow,
  ) {
    this.buckets = new Buckets(fraction, now);
  }

  /** Milliseconds the caller must wait before sending `operation`; the token is then its own. */
  reserve(operation: OperationName): number {
    return this.buckets.of(operation).reserve();
  }
}

/**
 * AWS's buckets, for an emulated account: a call finds a token or is throttled. `available` is the
 * share the account's own tooling leaves (1: the whole bucket).
 */
export class EmulatedAwsLimits {
  private readonly buckets: Buckets;
  /** Throttled requests per operation. */
  readonly throttled = new Map<OperationName, number>();
  constructor(now: () => number = performanceNow, available = 1) {
    this.buckets = new Buckets(available, now);
  }

  /** Undefined when the call may proceed; else the error AWS would answer. */
  admit(operation: OperationName): { code: string; status: number } | undefined {
    if (this.buckets.of(operation).tryTake()) return undefined;
    this.throttled.set(operation, (this.throttled.get(operation) ?? 0) + 1);
    return throttlingErrorOf(operations[operation].service);
  }
}

export const DEFAULT_BUDGET_FRACTION = 0.5;

/** PREFLIGHT_API_BUDGET: the fraction of AWS's buckets the suite may use (0.05 to 1), or `off`. */
export function budgetFraction(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.PREFLIGHT_API_BUDGET;
  if (text === undefined || text === '') return DEFAULT_BUDGET_FRACTION;
  if (text === 'off') return undefined;
  const value = /^(0|1)?\.\d+$|^1$/.test(text) ? Number(text) : NaN;
  // Below 0.05 a large account would take hours to read.
  if (!Number.isFinite(value) || value < 0.05 || value > 1) {
    throw new UsageError(`PREFLIGHT_API_BUDGET must be a fraction of AWS's request rates from 0.05 to 1 (0.5 leaves half to the account's own tooling), or "off", not "${text}"`);
  }
  return value;
}

/**
 * The least time `calls` (per operation) can take under a budget: per bucket, the calls beyond its
 * burst at its refill rate; the buckets drain side by side, so the slowest one decides.
 */
export function budgetMinimumSeconds(calls: Partial<Record<OperationName, number>>, fraction: number): number {
  const perBucket = new Map<string, { calls: number; family: ApiFamily }>();
  for (const [operation, n] of Object.entries(calls) as [OperationName, number][]) {
    const key = bucketKeyOf(operation);
    const entry = perBucket.get(key) ?? { calls: 0, family: familyOf(operation) };
    entry.calls += n;
    perBucket.set(key, entry);
  }
  let slowest = 0;
  for (const { calls: n, family } of perBucket.values()) {
    const { burst, refillPerSecond } = shareOf(family, fraction);
    slowest = Math.max(slowest, Math.max(0, n - burst) / refillPerSecond);
  }
  return slowest;
}
