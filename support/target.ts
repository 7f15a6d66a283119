// Which account-region a run evaluates: a bundled or recorded snapshot (replay), or the live
// account from the standard AWS environment. Resolved once per process and cached per target.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { AwsGateway } from './aws/gateway';
import { readSnapshot } from './aws/snapshot';
import { loadInventory } from './inventory/load';
import type { Inventory } from './inventory/model';
import { UsageError } from './errors';

export type Target = { mode: 'replay'; account: string } | { mode: 'live'; region?: string };

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
    throw new UsageError(`unknown account "${account}": use one of ${bundledAccounts().join(', ')}, or a path to a snapshot file`);
  }
  return file;
}

export function gatewayFor(target: Target): AwsGateway {
  if (target.mode === 'replay') {
    const file = snapshotPath(target.account);
    return AwsGateway.replay(readSnapshot(file), path.relative(process.cwd(), file) || file);
  }
  const region = target.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('no AWS region for the live run: set AWS_REGION (e.g. AWS_REGION=ap-northeast-2)');
  return AwsGateway.live({ region });
}

const loaded = new Map<string, Promise<{ inventory: Inventory; gateway: AwsGateway }>>();

/** The inventory of a target, read once per process (each Cucumber worker is one process). */
export function inventoryOf(target: Target): Promise<{ inventory: Inventory; gateway: AwsGateway }> {
  const key = JSON.stringify(target);
  let entry = loaded.get(key);
  if (!entry) {
    entry = (async () => {
      const gateway = gatewayFor(target);
      return { inventory: await loadInventory(gateway), gateway };
    })();
    loaded.set(key, entry);
  }
  return entry;
}
