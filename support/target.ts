// Which account-region a run evaluates: a bundled or recorded snapshot (replay), or a live
// account (the standard AWS environment, optionally a profile and a role to assume). Resolved
// once per process and cached per target.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
// The SDK's own partition data (installed with every client): which region names exist.
import { partition } from '@aws-sdk/core/client';
import { AwsGateway, DEFAULT_LIMITS, type CallRecorder, type GatewayOptions, type LiveLimits } from './aws/gateway';
import { readSnapshot } from './aws/snapshot';
import { budgetFraction, RequestBudget } from './aws/budget';
import { cacheDir, ImmutableAnswers } from './aws/immutable-cache';
import { loadInventory } from './inventory/load';
import type { Inventory } from './inventory/model';
import { UsageError } from './errors';
import { closest } from './util/closest';

/** A live account: the standard credential chain, or a profile, optionally a role to assume from it. */
export interface LiveTarget {
  mode: 'live';
  /** How reports name the target ("prod-seoul"); a targets file requires it. */
  name?: string;
  /** Default: AWS_REGION, then AWS_DEFAULT_REGION. */
  region?: string;
  /** A profile of ~/.aws/config (SSO included); default: AWS_PROFILE or the rest of the standard chain. */
  profile?: string;
  /** A role to assume with those credentials (a read-only role in each account). */
  roleArn?: string;
  externalId?: string;
  /** Default "ecs-preflight": what CloudTrail shows for the suite's calls. */
  sessionName?: string;
}

export type Target = { mode: 'replay'; account: string } | LiveTarget;

export const DEFAULT_SESSION_NAME = 'ecs-preflight';

export const ACCOUNTS_DIR = path.resolve(__dirname, '..', 'fixtures', 'accounts');

export function bundledAccounts(): string[] {
  return readdirSync(ACCOUNTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A bundled account name ("demo") or a path to a snapshot file. */
export function snapshotPath(account: string): string {
  if (account.endsWith('.json') || account.includes('/')) return path.resolve(account);
  const file = path.join(ACCOUNTS_DIR, `${account}.json`);
  if (!existsSync(file)) {
    const suggestion = closest(account, bundledAccounts());
    throw new UsageError(`unknown account "${account}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: use one of ${bundledAccounts().join(', ')}, or a path to a snapshot file`);
  }
  return file;
}

/** Whether the SDK's partition data names this region (an unknown one only matches a partition's pattern). */
function isKnownRegion(region: string): boolean {
  return region !== 'aws-global' && (partition(region) as { description?: string }).description !== undefined;
}

let knownRegions: string[] | undefined;

/** The regions the SDK knows, for suggestions: every plausible name, kept when the partition data names it. */
function allKnownRegions(): string[] {
  if (!knownRegions) {
    const areas = ['af', 'ap', 'ca', 'eu', 'il', 'me', 'mx', 'sa', 'us', 'cn', 'us-gov', 'us-iso', 'us-isob', 'eu-isoe'];
    const directions = ['central', 'east', 'west', 'north', 'south', 'northeast', 'northwest', 'southeast', 'southwest'];
    knownRegions = areas.flatMap((a) => directions.flatMap((d) => Array.from({ length: 9 }, (_, i) => `${a}-${d}-${i + 1}`))).filter(isKnownRegion);
  }
  return knownRegions;
}

/** The region of a live target, checked against the SDK's partitions: a typo ends here, not in a DNS error. */
export function regionOf(target: LiveTarget): string {
  const region = target.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const who = target.name ? `target "${target.name}"` : 'the live run';
  if (!region) throw new UsageError(`no AWS region for ${who}: set AWS_REGION (e.g. AWS_REGION=ap-northeast-2)${target.name ? ' or the target\'s "region"' : ''}`);
  if (!isKnownRegion(region)) {
    const suggestion = closest(region, allKnownRegions());
    throw new UsageError(`unknown AWS region "${region}" for ${who}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: set AWS_REGION to a region such as ap-northeast-2`);
  }
  return region;
}

/** Live limits from the environment (PREFLIGHT_REQUEST_TIMEOUT_MS, PREFLIGHT_MAX_ATTEMPTS, PREFLIGHT_CALL_TIMEOUT_MS). */
export function liveLimits(env: NodeJS.ProcessEnv = process.env): LiveLimits {
  const read = (name: string, fallback: number, min: number, max: number) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    return value;
  };
  return {
    requestTimeoutMs: read('PREFLIGHT_REQUEST_TIMEOUT_MS', DEFAULT_LIMITS.requestTimeoutMs, 100, 300_000),
    maxAttempts: read('PREFLIGHT_MAX_ATTEMPTS', DEFAULT_LIMITS.maxAttempts, 1, 10),
    callTimeoutMs: read('PREFLIGHT_CALL_TIMEOUT_MS', DEFAULT_LIMITS.callTimeoutMs, 100, 900_000),
  };
}

/** The whole read of one target, every call included: the last bound on a run that must end. */
export function loadTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.PREFLIGHT_LOAD_TIMEOUT_MS;
  if (text === undefined || text === '') return 15 * 60_000;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 100) throw new UsageError(`PREFLIGHT_LOAD_TIMEOUT_MS must be a whole number of milliseconds (at least 100), not "${text}"`);
  return value;
}

type Credentials = NonNullable<GatewayOptions['credentials']>;
type Identity = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

/**
 * The credentials of a live target: the standard chain (or a profile), then the role to assume
 * if any. One provider per target, shared by its clients, so a role is assumed once per session
 * (refreshed five minutes before it expires), not once per service.
 */
export function credentialsFor(target: LiveTarget, region: string, limits: LiveLimits): Credentials | undefined {
  if (!target.roleArn && !target.profile) return undefined; // the clients' own standard chain
  const base = fromNodeProviderChain(target.profile ? { profile: target.profile } : {});
  if (!target.roleArn) return base;
  const roleArn = target.roleArn;
  const assume = fromTemporaryCredentials({
    masterCredentials: base,
    params: { RoleArn: roleArn, RoleSessionName: target.sessionName ?? DEFAULT_SESSION_NAME, ...(target.externalId ? { ExternalId: target.externalId } : {}) },
    clientConfig: {
      region,
      maxAttempts: limits.maxAttempts,
      requestHandler: { connectionTimeout: limits.requestTimeoutMs, requestTimeout: limits.requestTimeoutMs, throwOnRequestTimeout: true },
    },
  });
  let current: Promise<Identity> | undefined;
  const fresh = (identity: Identity) => !identity.expiration || identity.expiration.getTime() - Date.now() > 5 * 60_000;
  return async () => {
    if (current) {
      const identity = await current; // a role that could not be assumed stays so for this run: one line, not one AssumeRole per call
      if (fresh(identity)) return identity;
    }
    current = (assume() as Promise<Identity>).catch((error: unknown) => {
      throw assumeRoleError(target, roleArn, error);
    });
    return current;
  };
}

/** One line for a role that cannot be assumed: which role, why, and what to check. */
function assumeRoleError(target: LiveTarget, roleArn: string, error: unknown): UsageError {
  const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  const who = target.name ? `target "${target.name}"` : 'the live run';
  const reason = `${name}: ${message.split('\n')[0].slice(0, 200)}`;
  if (/CredentialsProviderError|ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch/.test(name)) {
    return new UsageError(`cannot assume ${roleArn} for ${who}: no valid source credentials (${reason}): set AWS_PROFILE (then "aws sso login" for SSO) or the target's "profile", then run again`);
  }
  return new UsageError(
    `cannot assume ${roleArn} for ${who} (${reason}): the role's trust policy must allow the identity running the suite${target.externalId ? ' with this external ID' : ''}, and that identity needs sts:AssumeRole on the role`,
  );
}

export function gatewayFor(target: Target, recorder?: CallRecorder, env: NodeJS.ProcessEnv = process.env): AwsGateway {
  const fraction = budgetFraction(env);
  // Cucumber's --parallel workers each read the account: they split the share between them.
  const workers = Number(env.CUCUMBER_TOTAL_WORKERS) || 1;
  const budget = fraction === undefined ? undefined : new RequestBudget(fraction / workers);
  if (target.mode === 'replay') {
    const file = snapshotPath(target.account);
    return AwsGateway.replay(readSnapshot(file), path.relative(process.cwd(), file) || file, {
      emulateAwsLimits: flag(env, 'PREFLIGHT_REPLAY_AWS_LIMITS'),
      budget,
      // A snapshot is its own record: the cache only when asked for (the benchmark's second night).
      cache: env.PREFLIGHT_CACHE_DIR ? new ImmutableAnswers(cacheDir(env)) : undefined,
    });
  }
  const region = regionOf(target);
  const limits = liveLimits(env);
  return AwsGateway.live({ region, credentials: credentialsFor(target, region, limits), ...limits, recorder, budget, cache: new ImmutableAnswers(cacheDir(env)) });
}

/** An on/off variable: "1" or "true" is on, unset or empty, "0" or "false" is off, anything else is a mistake. */
function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = env[name];
  if (text === undefined || text === '' || text === '0' || text === 'false') return false;
  if (text === '1' || text === 'true') return true;
  throw new UsageError(`${name} must be 1 or 0 (or true or false), not "${text}"`);
}

/**
 * Reads a target's inventory within the load deadline: a run over a dead endpoint ends, whatever
 * the retries. When calls were still waiting for their share of AWS's request rates, the line says
 * that the budget, not AWS, took the time.
 */
export async function loadWithin<T>(target: Target, read: Promise<T>, timeoutMs: number, gateway?: AwsGateway): Promise<T> {
  if (target.mode === 'replay') return read;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const who = target.name ? `target "${target.name}"` : 'the live account';
      const within = `reading ${who} did not finish within ${Math.round(timeoutMs / 100) / 10} s`;
      const waiting = gateway?.waitingForBudget ?? 0;
      reject(
        new UsageError(
          waiting > 0
            ? `${within}: ${waiting} calls were still waiting for their share of AWS's request rates (PREFLIGHT_API_BUDGET, docs/BUDGETS.md); a large account's first read takes that long: raise PREFLIGHT_LOAD_TIMEOUT_MS`
            : `${within}: AWS is too slow or not answering; check the network, or raise PREFLIGHT_LOAD_TIMEOUT_MS`,
        ),
      );
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([read, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const loaded = new Map<string, Promise<{ inventory: Inventory; gateway: AwsGateway }>>();

/** The inventory of a target, read once per process (each Cucumber worker is one process). */
export function inventoryOf(target: Target): Promise<{ inventory: Inventory; gateway: AwsGateway }> {
  const key = JSON.stringify(target);
  let entry = loaded.get(key);
  if (!entry) {
    entry = (async () => {
      const gateway = gatewayFor(target);
      try {
        return { inventory: await loadWithin(target, loadInventory(gateway), loadTimeoutMs(), gateway), gateway };
      } finally {
        // The inventory holds what the checks need: the snapshot and the clients are let go (the counts stay).
        gateway.close();
      }
    })();
    loaded.set(key, entry);
  }
  return entry;
}
