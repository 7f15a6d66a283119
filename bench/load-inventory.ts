// Times loadInventory alone on a snapshot: `node --require ./support/register-ts.js
// bench/load-inventory.ts <snapshot.json>`, with PREFLIGHT_REPLAY_LATENCY_MS to make every replayed
// call take that long. Prints one JSON line: milliseconds, calls per operation, and the most calls
// that were in flight at once at the SDK clients. The snapshot is read and parsed before the clock starts.
import { AwsGateway } from '../support/aws/gateway';
import { readSnapshot } from '../support/aws/snapshot';
import { loadInventory } from '../support/inventory/load';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: load-inventory.ts <snapshot.json>');
  const gateway = AwsGateway.replay(readSnapshot(file), file);
  // Count the calls in flight at the SDK clients (past the gateway's bound), by wrapping each client's send.
  let inFlight = 0;
  let maxInFlight = 0;
  const internals = gateway as unknown as { client(service: string): { send(command: unknown): Promise<unknown> } };
  const client = internals.client.bind(gateway);
  const wrapped = new Map<string, { send(command: unknown): Promise<unknown> }>();
  internals.client = (service) => {
    let c = wrapped.get(service);
    if (!c) {
      const real = client(service);
      c = {
        send: async (command) => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          try {
            return await real.send(command);
          } finally {
            inFlight--;
          }
        },
      };
      wrapped.set(service, c);
    }
    return c;
  };
  const started = performance.now();
  const inventory = await loadInventory(gateway);
  const ms = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({ ms: Math.round(ms), services: inventory.services.length, tasks: inventory.tasks.length, maxInFlight, total: gateway.totalCalls, calls: Object.fromEntries(gateway.calls) })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
