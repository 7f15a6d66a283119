// Suite-wide invariants over every bundled account, every workload and every check (CHECKS.md 3.1
// and 4): one run never contradicts itself, healthy accounts raise no start finding, and no fix
// weakens security or mixes VPCs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { bundledAccounts } from '../support/target';
import { CHECKS, RUNS } from '../support/checks';
import { applicableWorkloads } from '../support/checks/applicability';
import type { Finding } from '../support/checks/finding';
import type { CheckId } from '../support/checks/ids';
import type { Inventory } from '../support/inventory/model';
import { pathsOf } from '../support/paths';
import { selectWorkloads } from '../support/workloads';
import { ingressAllows } from '../support/network/security-groups';
import { account } from './helpers/accounts';

/** Accounts that reproduce no incident: AWS would start every task of theirs. */
export const HEALTHY = (name: string) => name.endsWith('healthy') || name.startsWith('ref-');

/** Accounts that reproduce a risk, not an incident: AWS starts their tasks today; resilience findings say what would break. */
const RISK_ONLY = new Set(['net04']);

async function findingsOf(inv: Inventory): Promise<Finding[]> {
  const workloads = selectWorkloads(inv, { kind: 'all workloads' });
  const findings: Finding[] = [];
  for (const [id, check] of CHECKS) {
    const { applicable } = applicableWorkloads(inv, workloads, check);
    for (const w of applicable) findings.push(...(await RUNS[id as CheckId](inv, w)));
  }
  return findings;
}

const accounts = bundledAccounts();
const results = new Map<string, Promise<{ inv: Inventory; findings: Finding[] }>>();
function resultsOf(name: string) {
  if (!results.has(name)) results.set(name, account(name).then(async (inv) => ({ inv, findings: await findingsOf(inv) })));
  return results.get(name)!;
}

test('no start finding contradicts the path engine: every (subnet, need) it names is one the engine finds unreachable', async () => {
  let checked = 0;
  for (const name of accounts) {
    const { inv, findings } = await resultsOf(name);
    const workloads = new Map(selectWorkloads(inv, { kind: 'all workloads' }).map((w) => [w.id, w]));
    for (const f of findings.filter((x) => x.kind === 'start' && CHECKS.get(x.checkId)!.evidence === 'path engine')) {
      assert.ok(f.paths?.length, `${name}: ${f.checkId} start finding names no path it is about: ${f.problem}`);
      for (const ref of f.paths!) {
        const verdicts = f.workload.split(', ').flatMap((id) => pathsOf(inv, workloads.get(id)!).filter((p) => p.subnet.id === ref.subnetId && (p.need?.id ?? p.to) === ref.to));
        assert.ok(verdicts.length > 0, `${name}: ${f.checkId} names a path the engine does not have: ${ref.subnetId} → ${ref.to}`);
        for (const p of verdicts) assert.notEqual(p.verdict, 'reachable', `${name}: ${f.checkId} claims ${ref.subnetId} → ${ref.to} fails, the path engine reaches it via ${p.via}`);
        checked++;
      }
    }
    // And the other way: a posture finding that says traffic "leaves through" a gateway is about paths that work.
    for (const f of findings.filter((x) => x.kind !== 'start')) assert.doesNotMatch(f.problem, /cannot reach|will not start|tasks fail/, `${name}: a ${f.kind} finding claims a failure: ${f.problem}`);
  }
  assert.ok(checked > 20, `the invariant was exercised (${checked} paths)`);
});

test('NET-04 findings are resilience, claim no failure now, and state the free addresses the account reports', async () => {
  let seen = 0;
  for (const name of accounts) {
    const { inv, findings } = await resultsOf(name);
    for (const f of findings.filter((x) => x.checkId === 'NET-04' && !x.notEvaluated)) {
      seen++;
      const where = `${name} NET-04 ${f.problem}`;
      assert.equal(f.kind, 'resilience', where);
      assert.doesNotMatch(`${f.problem} ${f.expected}`, /cannot reach|will not start|tasks fail|fail now|cannot start/, where);
      // What would break, and when: a deployment, or a scheduled run.
      assert.match(f.problem, /^(?:today's tasks hold their addresses, but a deployment of \S+|a run of \S+) starts /, where);
      const subnet = inv.subnets.get(f.resourceIds[0])!;
      assert.ok(subnet, `${where}: names a subnet first`);
      const [, free, needed] = f.problem.match(/which has (\d+) free address(?:es)?.*?(?:the subnet needs (\d+))?$/)!;
      assert.equal(Number(free), subnet.availableIpAddressCount, `${where}: the free count is the one DescribeSubnets gave`);
      const own = Number(f.problem.match(/starts (?:up to )?(\d+)/)![1]);
      assert.ok(Number(needed ?? own) > subnet.availableIpAddressCount!, `${where}: a finding only where the addresses needed exceed the free ones`);
    }
  }
  assert.ok(seen >= 2, `NET-04 findings were checked (${seen})`);
});

test('healthy accounts and reference architectures raise no start finding', async () => {
  const healthy = accounts.filter(HEALTHY);
  assert.ok(healthy.length >= 6, healthy.join(', '));
  for (const name of healthy) {
    const { findings } = await resultsOf(name);
    const start = findings.filter((f) => f.kind === 'start');
    assert.deepEqual(start.map((f) => `${f.checkId} ${f.problem}`), [], `${name} has start findings`);
    // Nor a recent start error (EVD-01) that no finding explains.
    assert.deepEqual(findings.filter((f) => f.checkId === 'EVD-01').map((f) => f.problem), [], `${name} has unexplained start errors`);
  }
});

test('every incident account raises at least one start finding, or an EVD-01 finding where no check explains what stopped its tasks', async () => {
  for (const name of accounts.filter((n) => !HEALTHY(n) && !RISK_ONLY.has(n))) {
    const { findings } = await resultsOf(name);
    // What stops them is a start finding, or, where no check sees the cause (evidence-unexplained), EVD-01 says so.
    const shown = findings.some((f) => f.kind === 'start' || (f.checkId === 'EVD-01' && !f.notEvaluated));
    assert.ok(shown, `${name} reproduces an incident, so something must stop its tasks`);
  }
});

test('every account that reproduces a risk raises a resilience finding and no start finding', async () => {
  for (const name of RISK_ONLY) {
    assert.ok(accounts.includes(name), `${name} is bundled`);
    const { findings } = await resultsOf(name);
    assert.deepEqual(findings.filter((f) => f.kind === 'start').map((f) => `${f.checkId} ${f.problem}`), [], `${name}'s tasks start today`);
    assert.ok(findings.some((f) => f.kind === 'resilience'), `${name} reproduces a risk, so a resilience finding must name it`);
  }
});

/** The VPC each resource ID named in a text belongs to, as far as the inventory knows. */
function vpcsNamedIn(inv: Inventory, text: string): Set<string> {
  const vpcs = new Set<string>();
  for (const id of text.match(/\b(?:vpc|subnet|sg|rtb|vpce|nat|acl)-[0-9a-f]{8,17}\b/g) ?? []) {
    const vpc = id.startsWith('vpc-')
      ? id
      : (inv.subnets.get(id)?.vpcId ??
        inv.securityGroups.get(id)?.vpcId ??
        inv.routeTables.find((t) => t.id === id)?.vpcId ??
        inv.endpoints.find((e) => e.id === id)?.vpcId ??
        inv.natGateways.get(id)?.vpcId ??
        inv.networkAcls.find((a) => a.id === id)?.vpcId);
    if (vpc) vpcs.add(vpc);
  }
  return vpcs;
}

test('no fix opens ingress to the world, drops a trust-policy condition, or mixes resources of two VPCs', async () => {
  let fixes = 0;
  for (const name of accounts) {
    const { inv, findings } = await resultsOf(name);
    for (const f of findings) {
      const where = `${name} ${f.checkId} fix: ${f.fix.cli}`;
      fixes++;
      assert.doesNotMatch(f.fix.cli, /authorize-security-group-ingress[^|&;]*(?:0\.0\.0\.0\/0|::\/0)/, where);
      assert.doesNotMatch(f.fix.console, /Inbound rules[^;]*from (?:0\.0\.0\.0\/0|::\/0|anywhere)/i, where);
      assert.ok(vpcsNamedIn(inv, `${f.fix.cli} ${f.fix.console}`).size <= 1, `${where} names resources of ${[...vpcsNamedIn(inv, `${f.fix.cli} ${f.fix.console}`)].join(' and ')}`);
      const trust = f.fix.cli.match(/update-assume-role-policy --role-name (\S+) --policy-document '(.+)'$/);
      if (trust) {
        const role = [...inv.roles.values()].find((r) => r.name === trust[1])!;
        const after = JSON.stringify(JSON.parse(trust[2]));
        const before = role.trustPolicy?.Statement;
        for (const statement of Array.isArray(before) ? before : before ? [before] : []) {
          assert.ok(after.includes(JSON.stringify(statement)), `${where} drops the statement ${JSON.stringify(statement)}`);
        }
        assert.match(after, /aws:SourceAccount/, `${where} adds a statement without confused-deputy conditions`);
      }
    }
  }
  assert.ok(fixes > 50, `fixes were scanned (${fixes})`);
});

test('following the fixes does not break what works: endpoints get a group that admits the tasks, and inline policies do not replace each other', async () => {
  let endpoints = 0;
  for (const name of accounts) {
    const { inv, findings } = await resultsOf(name);
    const workloads = new Map(selectWorkloads(inv, { kind: 'all workloads' }).map((w) => [w.id, w]));
    const policies = new Map<string, string>();
    for (const f of findings) {
      const where = `${name} ${f.checkId} fix: ${f.fix.cli}`;
      for (const [, groups] of f.fix.cli.matchAll(/create-vpc-endpoint [^&]*--vpc-endpoint-type Interface [^&]*--security-group-ids ((?:sg-[0-9a-f]+ ?)+)/g)) {
        endpoints++;
        for (const id of f.workload.split(', ')) {
          const w = workloads.get(id)!;
          const taskGroups = w.network?.securityGroupIds ?? [];
          for (const s of w.taskSubnets) {
            const traffic = { protocol: 'tcp', port: 443, peer: { range: s.subnet.cidrBlock, securityGroupIds: taskGroups } };
            assert.ok(ingressAllows(inv, groups.trim().split(' '), traffic).allowed, `${where}: ${groups} does not let the tasks of ${id} in ${s.subnet.id} reach the endpoint`);
          }
        }
      }
      const inline = f.fix.cli.match(/put-role-policy --role-name (\S+) --policy-name (\S+) --policy-document '(.+)'$/);
      if (inline) {
        const key = `${inline[1]} ${inline[2]}`;
        assert.ok(!policies.has(key) || policies.get(key) === inline[3], `${where}: another fix writes a different ${inline[2]} to ${inline[1]}, so one replaces the other`);
        policies.set(key, inline[3]);
      }
    }
  }
  assert.ok(endpoints > 5, `endpoint fixes were checked (${endpoints})`);
});

test('every CLI fix on every bundled account is one bash command line with nothing to fill in: no <placeholder>, which bash reads as a redirect', async () => {
  let fixes = 0;
  for (const name of accounts) {
    const { findings } = await resultsOf(name);
    for (const f of findings) {
      fixes++;
      assert.doesNotMatch(f.fix.cli, /<[A-Za-z][^>\s]*>/, `${name} ${f.checkId}: ${f.fix.cli}`);
      const parsed = spawnSync('bash', ['-n', '-c', f.fix.cli], { encoding: 'utf8' });
      assert.equal(parsed.status, 0, `${name} ${f.checkId}: ${f.fix.cli}\n${parsed.stderr}`);
    }
  }
  assert.ok(fixes > 100, `${fixes} fixes looked at`);
});
