// The feature files against each bundled account, through Cucumber's JavaScript API: exactly
// which scenarios pass and fail, and the IDs each failure names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSuite } from './helpers/run-suite';
import { ids } from './helpers/accounts';

/**
 * Per scenario: undefined = passes with nothing to report; `names` = fails, its failure naming those
 * IDs (and not `notNames`); `reported` = passes, its findings below the run's threshold
 * (PREFLIGHT_FAIL_ON, high) reported in its log naming those IDs; `logged` = passes with nothing to
 * report, its log noting those (EVD-01's evidence and what explains it).
 */
type Expectation = undefined | { names: string[]; notNames?: string[] } | { reported: string[] } | { skipped: RegExp } | { logged: string[] };
type Expected = Record<string, Expectation>;

const scenarios = {
  ecrApiExists: 'The ecr.api interface endpoint exists and is available',
  ecrDkrExists: 'The ecr.dkr interface endpoint exists and is available',
  ecrApiCovers: 'The ecr.api interface endpoint covers the zone of every task subnet',
  ecrDkrCovers: 'The ecr.dkr interface endpoint covers the zone of every task subnet',
  ecrApiDns: 'The ecr.api interface endpoint resolves privately',
  ecrDkrDns: 'The ecr.dkr interface endpoint resolves privately',
  s3Routes: 'Every task subnet of every service routes S3 through the gateway endpoint',
  // features/s3-routes-korean.feature: the same steps with Korean keywords, so the same verdicts as s3Routes and rt01.
  s3RoutesKo: '모든 태스크 서브넷의 라우팅 테이블이 S3를 게이트웨이 엔드포인트로 보낸다',
  rt01Ko: '태스크가 쓰는 경로는 블랙홀이 아니고, NAT 게이트웨이는 사용 가능하며 퍼블릭이다',
  net01: 'Task subnets are private, or public with public IPs',
  net02: 'Every task subnet reaches everything its tasks need',
  net03: 'S3 traffic from the tasks goes through the S3 gateway endpoint, not the NAT gateway',
  net04: 'Task subnets have room for a deployment',
  rt01: 'Routes the tasks depend on lead somewhere',
  ep07: 'Logs and secrets endpoints exist where there is no NAT path',
  dns01: 'Every workload VPC resolves AWS service names through the Amazon DNS server',
  dns02: 'AWS service names that a private hosted zone overrides lead to a working endpoint',
  egress: 'Services that call the internet reach it over HTTPS',
  sg01: 'Task security groups allow HTTPS out',
  sg02: 'Endpoint security groups allow HTTPS in from the tasks',
  nacl01: 'Task subnet NACLs allow HTTPS out and the replies back',
  nacl02: 'Endpoint and NAT subnet NACLs allow HTTPS in and the replies back',
  td02: "Env files are in the task's region or reachable over NAT",
  td03: "Images are in the region's ECR or reachable over NAT",
  img01: "Every ECR image exists, and other accounts' repositories let the execution role pull it",
  ep06: "The S3 gateway endpoint's policy lets tasks read layers and env files",
  iam01: 'The execution role exists and trusts ECS tasks',
  iam02: 'The execution role may pull the images',
  iam03: 'The execution role may write the log streams',
  iam04: 'The execution role may read the env files',
  iam05: 'The execution role may read the secrets',
  td01: 'Fargate task definitions use awsvpc',
  td04: 'Connection-heavy services raise the open-files limit',
  dep01: 'Services roll back failed deployments',
  obs01: 'Workload VPCs have flow logs',
  inv01: 'Workload configurations are consistent',
  evd01: 'Every recent start error is explained by a finding',
};

/** Every scenario passes, except those given. The two tag-scoped scenarios apply only where some service has the tag (seed 003's). */
function passingExcept(failures: Expected): Expected {
  const untagged: Expected = {
    [scenarios.td04]: { skipped: /^skipped: no service in \d{12}\/[a-z0-9-]+ is tagged connections=many \(no service there has a "connections" tag\)/ },
    [scenarios.egress]: { skipped: /^skipped: no service in \d{12}\/[a-z0-9-]+ is tagged egress=internet/ },
  };
  return { ...Object.fromEntries(Object.values(scenarios).map((name) => [name, undefined])), ...untagged, ...failures };
}

// On NAT-served accounts the endpoint checks are posture (medium): reported, not failing.
const NAT_POSTURE = (vpc: string, more: Expected = {}): Expected => ({
  [scenarios.ecrApiExists]: { reported: ['EP-01', vpc, 'posture · medium', 'charges'] },
  [scenarios.ecrDkrExists]: { reported: ['EP-02', vpc, 'posture · medium'] },
  [scenarios.net03]: { reported: ['NET-03', 'posture · medium'] },
  [scenarios.ep07]: { reported: ['EP-07', vpc, 'posture · medium'] },
  [scenarios.s3Routes]: { reported: ['EP-05', vpc, 'posture · medium'] },
  [scenarios.s3RoutesKo]: { reported: ['EP-05', vpc, 'posture · medium'] },
  ...more,
});

const expectations: Record<string, Expected> = {
  // Seed 000: in 2b and 2c the default route goes to a deleted NAT gateway (blackhole) and S3 misses
  // the gateway endpoint, so tasks there time out on 52.219.x.x; 2a starts.
  demo: passingExcept({
    [scenarios.ecrApiCovers]: { reported: ['EP-03', 'resilience · medium', ids.ecrApi, ids.privateC, 'ap-northeast-2c', 'across zones'] },
    [scenarios.ecrDkrCovers]: { reported: ['EP-03', ids.ecrDkr, ids.privateB, ids.privateC] },
    [scenarios.ecrDkrDns]: { names: ['EP-04', 'start · critical', ids.ecrDkr, ids.privateB, ids.privateC, 'nat-0b7e2c4d6f8a0b1c2', '--private-dns-enabled'], notNames: [ids.ecrApi] },
    [scenarios.s3Routes]: { names: ['EP-05', 'start · critical', ids.s3Gateway, ids.tableB, ids.privateB, ids.mainTable, ids.privateC, '--add-route-table-ids'], notNames: [ids.tableA] },
    [scenarios.s3RoutesKo]: { names: ['EP-05', ids.s3Gateway, ids.tableB, ids.privateB, ids.mainTable, ids.privateC, '--add-route-table-ids'], notNames: [ids.tableA] },
    [scenarios.net02]: { names: ['NET-02', ids.privateB, ids.privateC, 'ecr.dkr', 's3 in ap-northeast-2', 'blackhole'], notNames: [ids.privateA] },
    [scenarios.rt01]: { names: ['RT-01', ids.tableB, ids.mainTable, 'nat-0b7e2c4d6f8a0b1c2', 'blackhole'], notNames: [ids.tableA] },
    [scenarios.rt01Ko]: { names: ['RT-01', ids.tableB, ids.mainTable, 'nat-0b7e2c4d6f8a0b1c2'] },
    [scenarios.net03]: { reported: ['NET-03', ids.tableB, ids.mainTable, 'pl-78a54011'] },
    [scenarios.dep01]: { names: ['DEP-01', 'posture · high', 'cluster-nestjs-second/role-nestjs-second-service', 'deploymentCircuitBreaker={enable=true,rollback=true}'], notNames: ['batch/report-worker'] },
    [scenarios.obs01]: { reported: ['OBS-01', 'posture · low', ids.vpc, 'create-flow-logs'] },
    // The tasks that failed to pull in 2b and 2c, each explained by the findings about its own subnet.
    [scenarios.evd01]: {
      logged: ['task 79e1a07c… stopped 2026-11-20 08:04 UTC in subnet-0c10e5c1d2e3f4a5c', 'task 8b84fa1e…', 'task fe847efd…', 'dial tcp 52.219.204.42:443: i/o timeout — explained by', 'EP-05, NET-02, RT-01', '2 other stopped tasks were not start errors'],
    },
  }),
  healthy: passingExcept({ [scenarios.evd01]: { logged: ['no recent start error', '2 other stopped tasks were not start errors'] } }),
  // Seed 001: the S3 route is on the 2a private table only, and there is no NAT.
  '001': passingExcept({
    [scenarios.net02]: { names: ['subnet-0a14875d76a4abca7', 'rtb-02ea3cccad2389f2d', 's3 in ap-northeast-2'], notNames: ['subnet-095455fdf15b28500'] },
    [scenarios.net03]: { reported: ['subnet-0a14875d76a4abca7', 'rtb-02ea3cccad2389f2d', 'pl-78a54011'] },
    [scenarios.s3Routes]: { names: ['start · critical', 'rtb-02ea3cccad2389f2d', 'vpce-031f17ba7e88aebe1', 'subnet-0a14875d76a4abca7'], notNames: ['rtb-05da9ba4d7d109b67'] },
    [scenarios.s3RoutesKo]: { names: ['rtb-02ea3cccad2389f2d', 'vpce-031f17ba7e88aebe1', 'subnet-0a14875d76a4abca7'], notNames: ['rtb-05da9ba4d7d109b67'] },
  }),
  '001-healthy': passingExcept({}),
  // Seed 002: no endpoints and no NAT; GetAuthorizationToken times out.
  '002': passingExcept({
    [scenarios.ecrApiExists]: { names: ['EP-01', 'start · critical', 'vpc-0caf4de178eff8153', 'subnet-0012fc0b626de18df', 'subnet-077f527ef72601d1a', 'create-vpc-endpoint', 'com.amazonaws.ap-northeast-2.ecr.api'] },
    [scenarios.ecrDkrExists]: { names: ['EP-02', 'vpc-0caf4de178eff8153', 'com.amazonaws.ap-northeast-2.ecr.dkr'] },
    [scenarios.net02]: { names: ['subnet-0012fc0b626de18df', 'rtb-060ba627a96b95ecb', 'subnet-077f527ef72601d1a', 'rtb-0022f21aca9680b71', 'ecr.api', 'secretsmanager', 'logs'] },
    [scenarios.net03]: { reported: ['rtb-060ba627a96b95ecb', 'rtb-0022f21aca9680b71'] },
    [scenarios.ep07]: { names: ['EP-07', 'start · critical', 'vpc-0caf4de178eff8153', 'com.amazonaws.ap-northeast-2.logs', 'com.amazonaws.ap-northeast-2.secretsmanager'] },
    [scenarios.s3Routes]: { names: ['vpc-0caf4de178eff8153', '--vpc-endpoint-type Gateway', 'rtb-060ba627a96b95ecb', 'rtb-0022f21aca9680b71'] },
    [scenarios.s3RoutesKo]: { names: ['vpc-0caf4de178eff8153', '--vpc-endpoint-type Gateway', 'rtb-060ba627a96b95ecb', 'rtb-0022f21aca9680b71'] },
    [scenarios.dep01]: { names: ['nestjs-prod/nestjs-api'] },
    [scenarios.obs01]: { reported: ['vpc-0caf4de178eff8153'] },
    [scenarios.evd01]: { logged: ['task fd7a8003…', 'task cb46e88b…', 'unable to pull secrets or registry auth', 'dial tcp 54.180.184.238:443: i/o timeout — explained by EP-01, NET-02'] },
  }),
  '002-healthy': passingExcept({}),
  // Seed 003: the task group has no HTTPS egress and a NACL deny (rule 90) sits ahead of the allow.
  '003': passingExcept({
    [scenarios.net02]: { names: ['subnet-0af2844a8a7be8187', 'subnet-0a94a8c0402880dc6'] },
    [scenarios.egress]: { names: ['posture · high', 'cherry-prod/cherryrecorder-server', '0.0.0.0/0 on port 443', 'sg-0256f10dad9b48a29'] },
    [scenarios.sg01]: { names: ['sg-0256f10dad9b48a29', 'authorize-security-group-egress', 'pl-78a54011'] },
    [scenarios.nacl01]: { names: ['acl-0adf5975a026a6749', 'rule 90', 'delete-network-acl-entry', 'subnet-0af2844a8a7be8187', 'subnet-0a94a8c0402880dc6'] },
    [scenarios.td04]: { reported: ['TD-04', 'resilience · medium', 'cherryrecorder-server', 'nofile', '"softLimit": 65536'] },
    [scenarios.obs01]: { reported: ['vpc-090d8176a45693787'] },
  }),
  '003-healthy': passingExcept({ [scenarios.td04]: undefined, [scenarios.egress]: undefined }),
  // Seed 004: an env file in Ohio for Seoul tasks without NAT; a public task subnet without public IPs.
  '004': passingExcept({
    // One fix for both needs: only a public IP (or a NAT) reaches the Ohio bucket; the S3 endpoint's route would not.
    [scenarios.net01]: { names: ['subnet-0c207fdf39f0e0ed1', 'igw-047c8ac93fe069359', 'assignPublicIp DISABLED', 's3 in ap-northeast-2, s3 in us-east-2', 'assignPublicIp=ENABLED'], notNames: ['modify-vpc-endpoint'] },
    [scenarios.net02]: { names: ['subnet-0eeb05ea6f4af428e', 'subnet-0c207fdf39f0e0ed1', 's3 in us-east-2'] },
    [scenarios.net03]: { reported: ['subnet-0c207fdf39f0e0ed1', 'rtb-0e72e8b1464a57701'] },
    [scenarios.s3Routes]: { names: ['subnet-0c207fdf39f0e0ed1', 'rtb-0e72e8b1464a57701'] },
    [scenarios.s3RoutesKo]: { names: ['subnet-0c207fdf39f0e0ed1', 'rtb-0e72e8b1464a57701'] },
    // The scheduled task and the schedule fail beside the service (seed 004), on subnets the service does not use.
    [scenarios.td02]: {
      names: ['TD-02', 'cherry-env-prod', 'us-east-2', 'subnet-0eeb05ea6f4af428e', 'rtb-0e067d82a76205b2d', 'create-route', 'rule/cherry-review-mailer', 'subnet-0a54f9e9524536f7f', 'schedule/default/cherry-nightly-report'],
    },
    [scenarios.dep01]: { names: ['cherry-cluster/cherry-api'] },
    [scenarios.obs01]: { reported: ['vpc-0e4b60938ae7f2975', 'cherry-cluster/cherry-api', 'rule/cherry-review-mailer'] },
    [scenarios.evd01]: { logged: ['task 9ff4eff6… stopped 2026-11-22 02:33 UTC in subnet-0eeb05ea6f4af428e: ResourceInitializationError: failed to download env files', 'task 28b9fb86…', 'explained by TD-02'] },
  }),
  '004-healthy': passingExcept({}),
  // Execution roles: no ECR actions, an explicit deny, no env-file or secret permissions, no kms:Decrypt, a role ECS may not assume.
  iam: passingExcept({
    [scenarios.iam01]: { names: ['IAM-01', 'payments/ledger-trust', 'ledger-trust-exec', 'update-assume-role-policy', 'aws:SourceAccount'], notNames: ['ledger-exec'] },
    [scenarios.iam02]: {
      names: ['IAM-02', 'payments/ledger-no-ecr', 'ledger-exec', 'ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'repository/ledger', 'attach-role-policy', 'payments/ledger-deny', 'ledger-deny-exec', 'explicit Deny', 'freeze-image-pulls'],
      notNames: ['ledger-inline', 'ledger-wildcard'],
    },
    [scenarios.iam04]: { names: ['IAM-04', 'ledger-secrets-exec', 's3:GetObject', 'arn:aws:s3:::payments-config-apne2/ledger/.env', 's3:GetBucketLocation'] },
    [scenarios.iam05]: {
      names: ['IAM-05', 'ledger-secrets-exec', 'secretsmanager:GetSecretValue', 'payments/ledger-db-XyZ123', 'ledger-kms-exec', 'kms:Decrypt', 'key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b'],
      notNames: ['ledger-wildcard'],
    },
  }),
  'iam-healthy': passingExcept({}),
  // A service on subnets of two VPCs, one naming a security group that does not exist, one on a subnet
  // whose VPC is gone: INV-01 names each once; no other check states anything about them.
  inconsistent: passingExcept({
    ...NAT_POSTURE('vpc-0fcdcd09e5580b999'),
    [scenarios.inv01]: {
      names: ['INV-01', 'orders/orders-worker', 'vpc-0fcdcd09e5580b999', 'vpc-05760aa05bbdafe09', 'subnet-0dc3924175a93221b', 'orders/orders-reports', 'sg-0bd43eac4f5fabbca', 'staging/staging-sync', 'vpc-0d4b2e02df6c108bb'],
      notNames: ['orders/orders-api'],
    },
  }),
  // Healthy public reference architectures: no start finding; posture only where the catalogue says.
  'ref-nat-dockerhub': passingExcept({ [scenarios.ep07]: { reported: ['EP-07', 'posture · medium', 'logs', 'nat-0955148b458c5c0c7'] } }),
  'ref-nat-ecr': passingExcept(NAT_POSTURE('vpc-04d143598017ed3f7', { [scenarios.ep07]: { reported: ['EP-07', 'logs', 'secretsmanager', 'ssm', 'nat-032ab117a89db171c'] } })),
  'ref-isolated': passingExcept({}),
  'ref-dual-stack': passingExcept({}),
  'ref-bridge': passingExcept(NAT_POSTURE('vpc-021aa087d80d33a4a')),
  // A /27 task subnet: room for today's tasks, not for the deployments of the two services in it.
  net04: passingExcept({
    [scenarios.net04]: {
      names: ['NET-04', 'resilience · high', 'subnet-0c4e9a2f7d13b6085', 'us-east-1a', 'checkout/checkout-api', 'checkout/checkout-worker', '8 free addresses', 'needs 16', 'maximumPercent=120', '10.64.0.64/26', "today's tasks hold their addresses"],
      notNames: ['subnet-09f2b7d5e1a84c36d (us-east-1b), which'],
    },
  }),
  'net04-healthy': passingExcept({}),
  // Tasks that stopped because their log group is gone: no check reads log groups, so EVD-01 names them.
  'evidence-unexplained': passingExcept(
    NAT_POSTURE('vpc-0a7c3e91d5b28f604', {
      [scenarios.evd01]: {
        names: [
          'EVD-01 failed (high)',
          'evidence · high',
          'orders/orders-api',
          'e9d37b1c54a8f2063b7ac1e9d05f4a28',
          '2a6f0c8e93d147b5a2e6c09f81d3b7e4',
          '7c15e4a9b28d3f06e4a7c1d95b0e2f83',
          'ResourceInitializationError: failed to validate logger args',
          'The specified log group does not exist',
          'at 2026-12-02 08:48 UTC',
          'no check explains it (IAM-03, EP-07',
          'the suite missed something',
          'aws ecs describe-tasks --cluster orders --tasks',
        ],
        // The task killed for its memory had run: not a start error.
        notNames: ['b41e7a93c05d28f6e1a9c3d7b5f20e84'],
      },
    }),
  ),
  'evidence-unexplained-healthy': passingExcept(NAT_POSTURE('vpc-0a7c3e91d5b28f604', { [scenarios.evd01]: { logged: ['no recent start error', '2 other stopped tasks were not start errors'] } })),
  // DNS-01: custom DNS servers the suite cannot see; the VPC's only way out is its endpoints, so whether ECR and logs are reached cannot be verified.
  'dns-custom': passingExcept({
    [scenarios.dns01]: { names: ['DNS-01', 'start · critical', 'cannot be verified', 'dopt-0a7c3e91d24b6f805', '10.20.0.10', '10.20.1.10', 'vpc-0d4a1c7e93b2f5a60', 'create-dhcp-options', 'AmazonProvidedDNS', 'associate-dhcp-options', '"$DOPT"', 'corp.example.internal'], notNames: ['rslvr-rr-4c1e9a7b3d5f42e08', 's3.us-east-1.amazonaws.com', '<new-dopt-id>'] },
    [scenarios.net02]: { names: ['subnet-0d9f1b3a5c7e8f0a2', 'subnet-0e0a2c4b6d8f9a1b3', 'ecr.api', 'ecr.dkr', 'logs', 'vpce-0f1b3d5c7e9a0b2c4', 'no route to the internet'], notNames: ['s3 in us-east-1'] },
  }),
  'dns-custom-healthy': passingExcept({}),
  // DNS-02: endpoints in a hub VPC behind private hosted zones; the spoke attachment's transit gateway route table lost the hub route.
  // No "no ecr.api endpoint" alarm: EP-01, EP-02 and EP-07 pass, the hub's groups and NACLs admit the spoke.
  'hub-spoke': passingExcept({
    [scenarios.dns02]: {
      names: ['DNS-02', 'start · critical', 'tgw-rtb-06def012345666a7', 'tgw-attach-04fbcdef012344458', 'subnet-0fa6b7c8d9eafbc03', 'subnet-00b7c8d9eafbcd014', 'Z04417731QH2D3KP8VX5E', 'Z05528842RI3E4LQ9WY6F', 'Z06639953SJ4F5MR0XZ7G', 'create-transit-gateway-route', '10.100.0.0/16', 'tgw-attach-03eafbcdef0123347'],
    },
    [scenarios.net02]: { names: ['subnet-0fa6b7c8d9eafbc03', 'subnet-00b7c8d9eafbcd014', 'ecr.api', 'ecr.dkr', 'logs', 'tgw-rtb-06def012345666a7'], notNames: ['s3 in us-east-1'] },
  }),
  'hub-spoke-healthy': passingExcept({}),
  // A tag a lifecycle policy expired, and another account's repository that does not let the role pull; by digest, pull through cache and Docker Hub pass.
  img: passingExcept(
    NAT_POSTURE('vpc-07d2a9e4c1b6f3a58', {
      [scenarios.ep07]: { reported: ['EP-07', 'logs', 'nat-0d6f1b4e8a2c5f9d3'] },
      [scenarios.img01]: {
        names: [
          'IMG-01',
          'start · critical',
          'commerce/orders',
          '739164025817.dkr.ecr.us-east-1.amazonaws.com/orders:v2.4.1',
          'holds no image with tag v2.4.1',
          'rule 1 ("Expire release images after 14 days")',
          'aws ecs update-service --cluster commerce --service orders --task-definition orders',
          'commerce/base-worker',
          'repository platform/base-worker of account 583920174618',
          'arn:aws:iam::739164025817:role/ecsTaskExecutionRole',
          'aws ecr set-repository-policy --registry-id 583920174618',
          'no statement of the repository policy allows the role',
        ],
        notNames: ['commerce/billing', 'commerce/cache-warmer', 'commerce/collector'],
      },
      // This morning's scale-out tasks could not pull: ECS's own record, explained by IMG-01 (the 403 too: IAM-02 passes).
      [scenarios.evd01]: { logged: ['task c7e15a9f… stopped 2026-12-04 06:52 UTC', 'orders:v2.4.1: not found — explained by IMG-01', 'task 9b3e7c1a…', '403 Forbidden — explained by IMG-01'] },
    }),
  ),
  'img-healthy': passingExcept(NAT_POSTURE('vpc-0a6e2f4b8c1d3e5f7', { [scenarios.ep07]: { reported: ['EP-07', 'logs', 'nat-0a8c0e2f4b6d7a9c1'] } })),
};

for (const [accountName, expected] of Object.entries(expectations)) {
  test(`on the ${accountName} account exactly the expected scenarios fail, naming their offenders`, async () => {
    const { success, scenarios: results } = await runSuite(accountName);
    assert.deepEqual([...results.keys()].sort(), Object.keys(expected).sort(), 'every scenario has an expectation');
    assert.ok(results.size > 0);
    for (const [name, expectation] of Object.entries(expected)) {
      const result = results.get(name)!;
      const reported = result.logs.filter((l) => l.includes('REPORTED')).join('\n');
      if (expectation && 'skipped' in expectation) {
        assert.equal(result.status, 'SKIPPED', `${name} should be skipped on ${accountName}: ${result.message}`);
        assert.ok(result.logs.some((l) => expectation.skipped.test(l)), `${name}: the reason for skipping\n${result.logs.join('\n')}`);
        continue;
      }
      if (expectation && 'logged' in expectation) {
        assert.equal(result.status, 'PASSED', `${name} should pass on ${accountName}: ${result.message}`);
        assert.equal(reported, '', `${name} should report nothing on ${accountName}`);
        const log = result.logs.join('\n');
        for (const text of expectation.logged) assert.ok(log.includes(text), `${name}: the log should note ${text}\n${log}`);
        continue;
      }
      if (!expectation || 'reported' in expectation) {
        assert.equal(result.status, 'PASSED', `${name} should pass on ${accountName}: ${result.message}`);
        if (!expectation) assert.equal(reported, '', `${name} should report nothing on ${accountName}`);
        for (const id of expectation?.reported ?? []) assert.ok(reported.includes(id), `${name}: the report should name ${id}\n${reported}`);
        continue;
      }
      assert.equal(result.status, 'FAILED', `${name} should fail on ${accountName}`);
      for (const id of expectation.names) assert.ok(result.message?.includes(id), `${name}: failure should name ${id}\n${result.message}`);
      for (const id of expectation.notNames ?? []) assert.ok(!result.message?.includes(id), `${name}: failure should not name ${id}`);
      assert.doesNotMatch(result.message!, /\n\s+at /, 'no stack trace');
    }
    assert.equal(success, Object.values(expected).every((e) => e === undefined || 'reported' in e || 'skipped' in e || 'logged' in e));
  });
}

test('every bundled account has expectations', async () => {
  const { bundledAccounts } = await import('../support/target');
  assert.deepEqual(bundledAccounts(), Object.keys(expectations).sort());
});

test('the JUnit and HTML reports carry each failure with its offenders and fix', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-reports-'));
  const junit = path.join(dir, 'junit.xml');
  const html = path.join(dir, 'cucumber.html');
  await runSuite('demo', { [junit]: 'junit', [html]: 'html' });
  const xml = readFileSync(junit, 'utf8');
  assert.match(xml, /<testsuite name="ecs-preflight" [^>]*tests="37"[^>]*failures="7"/);
  assert.match(xml, new RegExp(`<failure type="CheckFailure" message="EP-05 failed[^"]*${ids.tableB}`));
  const page = readFileSync(html, 'utf8');
  assert.ok(page.includes(`aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${ids.s3Gateway} --add-route-table-ids ${ids.mainTable}`));
  // A subnet only running tasks still use is reported (CHECKS.md section 0).
  assert.ok(page.includes(`has running tasks in ${ids.privateC} (ap-northeast-2c), which its network configuration no longer lists`));
  // Once for the run, not in each of the 30 scenarios that meet the service.
  assert.equal(page.split('which its network configuration no longer lists').length - 1, 1);
});
