// Which services a scenario is about.
import { Given } from '@cucumber/cucumber';
import type { PreflightWorld } from '../support/world';

Given('the service {service} in cluster {cluster}', function (this: PreflightWorld, service: string, cluster: string) {
  return this.selectScope({ kind: 'service', cluster, service });
});

Given('every service in cluster {cluster}', function (this: PreflightWorld, cluster: string) {
  return this.selectScope({ kind: 'cluster', cluster });
});

Given('every service in the account', function (this: PreflightWorld) {
  return this.selectScope({ kind: 'account' });
});

Given('every service tagged {string}', function (this: PreflightWorld, tag: string) {
  const [key, value = ''] = tag.split('=', 2);
  return this.selectScope({ kind: 'tag', key, value });
});

Given('every scheduled task of the account', function (this: PreflightWorld) {
  return this.selectScope({ kind: 'scheduled tasks' });
});

Given('the scheduled task {string}', function (this: PreflightWorld, name: string) {
  return this.selectScope({ kind: 'scheduled task', name });
});

Given('every service and scheduled task in the account', function (this: PreflightWorld) {
  return this.selectScope({ kind: 'all workloads' });
});
