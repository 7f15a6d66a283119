// The network picture of one workload, as SVG: its availability zones and task subnets with their
// route tables and the endpoint network interfaces in each zone; the endpoints, NAT and internet
// gateways the traffic leaves by; a line from each task subnet to each of them; and a grid of
// each need's path from each task subnet. Broken links are red and crossed; resources a failure
// names get a red outline. Drawn from the path engine's verdicts (support/paths.ts) and the
// inventory, nothing else: a pure function, so the picture always agrees with the checks.
import type { Inventory, Route, RouteTable, VpcEndpoint } from '../inventory/model';
import { defaultRoute, endpointServiceName, endpointZones, routeTableOf } from '../inventory/queries';
import { pathsOf, type Hop, type Path } from '../paths';
import type { Need, NeedOrigin } from '../needs';
import type { Workload } from '../workloads';
import { charsIn, curve, element, fit, MONO, rect, SANS, text } from './svg';
import { escapeXml } from '../util/xml';

export interface PictureOptions {
  /** Resource IDs a failure names: their boxes get a red outline. */
  highlight?: readonly string[];
}

type Verdict = Path['verdict'];
type Tone = 'plain' | 'muted' | 'ok' | 'bad' | 'warn' | 'info';

interface Line {
  text: string;
  tone: Tone;
  bold?: boolean;
}

interface Column {
  subnetId: string;
  az: string;
  /** The column's short name in the picture: "2a", or "2a·c5a" when a zone has several task subnets. */
  label: string;
  lines: Line[];
  table?: { id: string; lines: Line[] };
  /**
   * Interface endpoints of the services the tasks need, and whether each has a network interface in
   * this zone; `elsewhere`: the VPC a private hosted zone sends the name to (a centralized endpoint).
   */
  enis: Eni[];
}

interface Eni {
  service: string;
  here: boolean;
  elsewhere?: string;
}

interface Target {
  key: string;
  /** Resource IDs the box stands for, for highlighting. */
  ids: string[];
  kind: string;
  fill: string;
  lines: Line[];
}

interface Link {
  column: number;
  target: string;
  verdict: Verdict;
  needs: string[];
}

interface Cell {
  verdict: Verdict;
  main: string;
  detail?: Line;
}

interface Row {
  label: string;
  origin: string;
  cells: (Cell | undefined)[];
}

interface Model {
  title: string;
  subtitle: string;
  columns: Column[];
  targets: Target[];
  links: Link[];
  /** NAT gateway → internet gateway, drawn between the two target boxes. */
  onward: { from: string; to: string }[];
  rows: Row[];
}

const COLOR: Record<Tone, string> = { plain: '#212121', muted: '#607080', ok: '#2e7d32', bad: '#c62828', warn: '#d84315', info: '#1565c0' };
const VERDICT_COLOR: Record<Verdict, string> = { reachable: COLOR.ok, blocked: COLOR.bad, 'cannot be verified': COLOR.warn };
const VERDICT_MARK: Record<Verdict, string> = { reachable: '✔', blocked: '✘', 'cannot be verified': '?' };
const VERDICT_DASH: Record<Verdict, string | undefined> = { reachable: undefined, blocked: '7 4', 'cannot be verified': '2 4' };
const WORST: Verdict[] = ['blocked', 'cannot be verified', 'reachable'];

/** The picture of a workload's network, as a standalone SVG document. */
export function networkPicture(inv: Inventory, workload: Workload, options: PictureOptions = {}): string {
  return draw(modelOf(inv, workload), new Set(options.highlight ?? []));
}

// ---------------------------------------------------------------------------------------------
// What to draw

function modelOf(inv: Inventory, workload: Workload): Model {
  const paths = pathsOf(inv, workload);
  const needs = uniqueNeeds(paths);
  const zoneCounts = countBy(workload.taskSubnets.map((s) => s.subnet.availabilityZone));
  const columns: Column[] = workload.taskSubnets.map((s) => {
    const az = s.subnet.availabilityZone;
    const short = shortZone(az, inv.region);
    const { table, explicit } = routeTableOf(inv, s.subnet);
    return {
      subnetId: s.subnet.id,
      az,
      label: zoneCounts.get(az)! > 1 ? `${short}·${s.subnet.id.slice(-3)}` : short,
      lines: [
        { text: s.subnet.id, tone: 'plain', bold: true },
        { text: [s.subnet.cidrBlock, s.subnet.name].filter(Boolean).join(' · '), tone: 'muted' },
        ...(s.sources.includes('configuration') ? [] : [{ text: 'used by a running task only', tone: 'warn' as const }]),
      ],
      table: table && { id: table.id, lines: routeLines(inv, table, explicit) },
      enis: interfaceServices(needs, inv).flatMap((service): Eni[] => {
        const here = endpointHasZone(inv, s.subnet.vpcId, service, az);
        // A name a private hosted zone answers with another VPC's endpoint: that is where it goes, not "no endpoint".
        const central = paths.map((p) => (p.subnet.id === s.subnet.id && p.need?.service === service ? centralEndpoint(inv, p) : undefined)).find(Boolean);
        if (!here && central) return [{ service, here, elsewhere: central.vpcId }];
        // A missing endpoint matters where the VPC has one elsewhere (a zone gap) or where the need is not reached:
        // a VPC that reaches a service over NAT by design has no endpoint to show.
        const unreached = paths.some((p) => p.subnet.id === s.subnet.id && p.need?.service === service && p.need.region === inv.region && p.verdict !== 'reachable');
        return here || unreached || availableEndpoints(inv, s.subnet.vpcId, service, 'Interface').length > 0 ? [{ service, here }] : [];
      }),
    };
  });

  const targets = new Map<string, Target>();
  const links = new Map<string, Link>();
  const carried = new Map<string, Map<string, string[]>>();
  for (const path of paths) {
    const target = targetOf(inv, path);
    if (!targets.has(target.key)) targets.set(target.key, target);
    const column = columns.findIndex((c) => c.subnetId === path.subnet.id);
    const key = `${column} ${target.key}`;
    const link = links.get(key) ?? { column, target: target.key, verdict: 'reachable', needs: [] };
    link.verdict = worse(link.verdict, path.verdict);
    link.needs.push(needName(path.need!, inv));
    links.set(key, link);
    const byNeed = carried.get(target.key) ?? new Map<string, string[]>();
    byNeed.set(needName(path.need!, inv), [...(byNeed.get(needName(path.need!, inv)) ?? []), columns[column].label]);
    carried.set(target.key, byNeed);
  }
  for (const unused of unusedEndpoints(inv, workload, needs, targets)) targets.set(unused.key, unused);
  for (const [key, byNeed] of carried) {
    targets.get(key)!.lines.push({ text: 'carries:', tone: 'muted' }, ...[...byNeed].map(([need, from]) => ({ text: `${need} from ${from.join(' ')}`, tone: 'plain' as const })));
  }
  const onward = addInternetGateways(inv, targets);

  const rows: Row[] = needs.map((need) => ({
    label: needName(need, inv),
    origin: need.origins.map((o) => ORIGIN_WORDS[o]).join(', '),
    cells: columns.map((c) => {
      const path = paths.find((p) => p.subnet.id === c.subnetId && p.need?.id === need.id);
      return path && cellOf(inv, path);
    }),
  }));

  const zones = new Set(columns.map((c) => c.az)).size;
  return {
    title: `Network picture: ${workload.id}`,
    subtitle: `${workload.vpcId ?? 'no VPC'} · account ${inv.account} · ${inv.region} · ${columns.length} task subnet${columns.length === 1 ? '' : 's'} in ${zones} availability zone${zones === 1 ? '' : 's'} · ${needs.length} need${needs.length === 1 ? '' : 's'}`,
    columns,
    targets: sortTargets([...targets.values()]),
    links: [...links.values()],
    onward,
    rows,
  };
}

function uniqueNeeds(paths: Path[]): Need[] {
  const needs = new Map<string, Need>();
  for (const p of paths) if (p.need && !needs.has(p.need.id)) needs.set(p.need.id, p.need);
  return [...needs.values()];
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** "ap-northeast-2a" → "2a": the zone's name without the region's words. */
export function shortZone(az: string, region: string): string {
  const stem = region.replace(/\d+$/, '');
  return az.startsWith(stem) ? az.slice(stem.length) : az;
}

/** Why the task needs it, in the words of the task definition. */
const ORIGIN_WORDS: Record<NeedOrigin, string> = {
  image: 'image',
  'image layers': 'image layers',
  logs: 'awslogs driver',
  secret: 'secrets',
  'env file': 'env file',
  application: 'stated by a feature',
};

function needName(need: Need, inv: Inventory): string {
  if (need.kind === 'internet') return 'internet';
  return need.region && need.region !== inv.region ? `${need.service} (${need.region})` : need.service ?? need.id;
}

function worse(a: Verdict, b: Verdict): Verdict {
  return WORST.indexOf(a) < WORST.indexOf(b) ? a : b;
}

/** The interface-endpoint services the workload needs in its own region. */
function interfaceServices(needs: Need[], inv: Inventory): string[] {
  return [...new Set(needs.flatMap((n) => (n.kind === 'aws-service' && n.region === inv.region && n.service && n.service !== 's3' ? [n.service] : [])))];
}

function availableEndpoints(inv: Inventory, vpcId: string, service: string, type: 'Interface' | 'Gateway'): VpcEndpoint[] {
  const name = endpointServiceName(inv.region, service);
  return inv.endpoints.filter((e) => e.vpcId === vpcId && e.serviceName === name && e.type === type && e.state === 'available');
}

function endpointHasZone(inv: Inventory, vpcId: string, service: string, az: string): boolean {
  return availableEndpoints(inv, vpcId, service, 'Interface').some((e) => endpointZones(inv, e).includes(az));
}

function routeLines(inv: Inventory, table: RouteTable, explicit: boolean): Line[] {
  const routes = table.routes.filter((r) => r.target.kind !== 'local').sort(routeOrder);
  const shown = routes.slice(0, 4).map((r): Line => ({ text: `${r.state === 'blackhole' ? '✘ ' : ''}${destinationName(inv, r)} → ${r.target.id}`, tone: r.state === 'blackhole' ? 'bad' : 'plain' }));
  if (routes.length > shown.length) shown.push({ text: `+${routes.length - shown.length} more routes`, tone: 'muted' });
  if (routes.length === 0) shown.push({ text: 'local route only', tone: 'muted' });
  return [{ text: `${table.id}${explicit ? '' : ' (main table)'}`, tone: 'plain', bold: true }, ...shown];
}

/** Prefix-list routes first, then the most specific CIDR routes, the default route last. */
function routeOrder(a: Route, b: Route): number {
  const rank = (r: Route) => (r.destination.kind === 'prefix-list' ? -1 : Number(r.destination.cidr.split('/')[1] === '0') * 100 - Number(r.destination.cidr.split('/')[1] ?? 0));
  return rank(a) - rank(b);
}

function destinationName(inv: Inventory, route: Route): string {
  if (route.destination.kind === 'cidr') return route.destination.cidr;
  const list = inv.prefixLists.get(route.destination.prefixListId);
  const service = list?.name.split('.').pop();
  return service ? `${service.toUpperCase() === 'S3' ? 'S3' : service} (${route.destination.prefixListId})` : route.destination.prefixListId;
}

/** The endpoint of another VPC a private hosted zone sends the path's name to (DNS-02), if it does. */
function centralEndpoint(inv: Inventory, path: Path): VpcEndpoint | undefined {
  if (!path.hops.some((h) => h.check === 'DNS-02')) return undefined;
  const endpoint = inv.endpoints.find((e) => e.id === path.targetId) ?? inv.endpoints.find((e) => path.hops.some((h) => h.check === 'DNS-02' && h.resourceIds[1] === e.id && e.type === 'Interface'));
  return endpoint && endpoint.vpcId !== path.subnet.vpcId ? endpoint : undefined;
}

/** The transit gateway (or peering connection) a path to another VPC's endpoint crosses, as its hops name it. */
function wayTo(path: Path): string | undefined {
  const ids = path.hops.flatMap((h) => h.resourceIds);
  return ids.find((r) => r.startsWith('tgw-') && !r.startsWith('tgw-rtb-') && !r.startsWith('tgw-attach-')) ?? ids.find((r) => r.startsWith('pcx-'));
}

function targetOf(inv: Inventory, path: Path): Target {
  const id = path.targetId;
  switch (path.via) {
    case 'interface endpoint': {
      const endpoint = inv.endpoints.find((e) => e.id === id);
      const zones = endpoint ? endpointZones(inv, endpoint).map((z) => shortZone(z, inv.region)) : [];
      const central = centralEndpoint(inv, path);
      if (central) {
        // A centralized endpoint: the zone names it, so its own private DNS is beside the point; the way there is the transit gateway or peering.
        const zone = path.hops.find((h) => h.check === 'DNS-02')!.resourceIds[0];
        const over = wayTo(path);
        return {
          key: `vpce ${id}`,
          ids: [id!, ...(over ? [over] : [])],
          kind: `${path.need?.service ?? ''} endpoint, central`.trim(),
          fill: '#ede7f6',
          lines: [
            { text: id!, tone: 'plain', bold: true },
            { text: `in ${central.vpcId}`, tone: 'plain' },
            { text: over ? `→ ${over}` : '→ another VPC', tone: 'muted' },
            { text: `by ${zone}`, tone: 'info' },
            { text: `ENIs in ${zones.join(' ') || 'no zone'}`, tone: 'muted' },
          ],
        };
      }
      return {
        key: `vpce ${id}`,
        ids: [id!],
        kind: `${path.need?.service ?? ''} endpoint`.trim(),
        fill: '#ede7f6',
        lines: [
          { text: id!, tone: 'plain', bold: true },
          { text: `ENIs in ${zones.join(' ') || 'no zone'}`, tone: 'muted' },
          { text: `private DNS ${endpoint?.privateDnsEnabled ? 'on' : 'off'}`, tone: endpoint?.privateDnsEnabled ? 'muted' : 'bad' },
        ],
      };
    }
    case 'gateway endpoint': {
      const endpoint = inv.endpoints.find((e) => e.id === id);
      const service = endpoint?.serviceName.split('.').pop() ?? '';
      return {
        key: `vpce ${id}`,
        ids: [id!],
        kind: `${service === 's3' ? 'S3' : service} gateway endpoint`.trim(),
        fill: '#e8f5e9',
        lines: [{ text: id!, tone: 'plain', bold: true }, ...gatewayTables(endpoint)],
      };
    }
    case 'NAT gateway': {
      const nat = inv.natGateways.get(id!);
      const subnet = nat && inv.subnets.get(nat.subnetId);
      return {
        key: `nat ${id}`,
        ids: [id!, ...(nat ? [nat.subnetId] : [])],
        kind: 'NAT gateway',
        fill: '#fff3e0',
        lines: [
          { text: id!, tone: 'plain', bold: true },
          ...(nat
            ? [
                { text: `${nat.connectivityType} · ${nat.state}${subnet ? ` · ${shortZone(subnet.availabilityZone, inv.region)}` : ''}`, tone: nat.state === 'available' && nat.connectivityType === 'public' ? ('muted' as const) : ('bad' as const) },
                { text: nat.subnetId, tone: 'muted' as const },
              ]
            : [{ text: 'does not exist', tone: 'bad' as const }]),
        ],
      };
    }
    case 'internet gateway':
      return internetGatewayTarget(id!);
    case 'VPC':
      return { key: 'local', ids: [], kind: 'inside the VPC', fill: '#eceff1', lines: [{ text: 'local route', tone: 'muted' }] };
    case 'nowhere':
      return {
        key: 'nowhere',
        ids: id ? [id] : [],
        kind: 'no route: dropped',
        fill: '#ffebee',
        lines: [{ text: 'no route, or a blackhole route', tone: 'bad' }],
      };
    default:
      return {
        key: `unverifiable ${id ?? ''}`,
        ids: id ? [id] : [],
        kind: 'cannot be verified',
        fill: '#fff8e1',
        lines: [{ text: id ? `beyond ${id}` : 'not enough data', tone: 'warn' }],
      };
  }
}

function gatewayTables(endpoint: VpcEndpoint | undefined): Line[] {
  if (!endpoint) return [{ text: 'does not exist', tone: 'bad' }];
  return [{ text: `on ${endpoint.routeTableIds.length} route table${endpoint.routeTableIds.length === 1 ? '' : 's'}`, tone: 'muted' }];
}

function internetGatewayTarget(id: string): Target {
  return { key: `igw ${id}`, ids: [id], kind: 'internet gateway', fill: '#e0f7fa', lines: [{ text: id, tone: 'plain', bold: true }, { text: 'to the internet', tone: 'muted' }] };
}

/** Endpoints the tasks need that no path uses (private DNS off, not on the task route tables): shown, so their absence from the paths is visible. */
function unusedEndpoints(inv: Inventory, workload: Workload, needs: Need[], used: Map<string, Target>): Target[] {
  if (!workload.vpcId) return [];
  const unused: Target[] = [];
  for (const service of interfaceServices(needs, inv)) {
    for (const endpoint of availableEndpoints(inv, workload.vpcId, service, 'Interface')) {
      if (used.has(`vpce ${endpoint.id}`)) continue;
      const zones = endpointZones(inv, endpoint).map((z) => shortZone(z, inv.region));
      unused.push({
        key: `vpce ${endpoint.id}`,
        ids: [endpoint.id],
        kind: `${service} endpoint`,
        fill: '#ede7f6',
        lines: [
          { text: endpoint.id, tone: 'plain', bold: true },
          { text: `ENIs in ${zones.join(' ') || 'no zone'}`, tone: 'muted' },
          { text: `private DNS ${endpoint.privateDnsEnabled ? 'on' : 'off'}`, tone: endpoint.privateDnsEnabled ? 'muted' : 'bad' },
          { text: endpoint.privateDnsEnabled ? 'not used by these tasks' : `not used: private DNS off, so ${service} goes by the route table`, tone: 'bad' },
        ],
      });
    }
  }
  if (needs.some((n) => n.service === 's3' && n.region === inv.region)) {
    for (const endpoint of availableEndpoints(inv, workload.vpcId, 's3', 'Gateway')) {
      if (used.has(`vpce ${endpoint.id}`)) continue;
      unused.push({
        key: `vpce ${endpoint.id}`,
        ids: [endpoint.id],
        kind: 'S3 gateway endpoint',
        fill: '#e8f5e9',
        lines: [{ text: endpoint.id, tone: 'plain', bold: true }, ...gatewayTables(endpoint), { text: "not used: on none of these subnets' route tables", tone: 'bad' }],
      });
    }
  }
  return unused;
}

/** Each NAT gateway's way out: the internet gateway its subnet's table sends 0.0.0.0/0 to. */
function addInternetGateways(inv: Inventory, targets: Map<string, Target>): { from: string; to: string }[] {
  const onward: { from: string; to: string }[] = [];
  for (const target of [...targets.values()].filter((t) => t.key.startsWith('nat '))) {
    const nat = inv.natGateways.get(target.ids[0]);
    const subnet = nat && inv.subnets.get(nat.subnetId);
    const table = subnet && routeTableOf(inv, subnet).table;
    const route = defaultRoute(table);
    if (!route || route.target.kind !== 'internet-gateway') continue;
    const igw = internetGatewayTarget(route.target.id);
    if (!targets.has(igw.key)) targets.set(igw.key, igw);
    onward.push({ from: target.key, to: igw.key });
  }
  return onward;
}

const TARGET_ORDER = ['vpce', 'nat', 'igw', 'local', 'nowhere', 'unverifiable'];

function sortTargets(targets: Target[]): Target[] {
  const rank = (t: Target) => {
    const order = TARGET_ORDER.indexOf(t.key.split(' ')[0]);
    // Gateway endpoints after interface endpoints; NAT gateways just before their internet gateway.
    return order * 2 + (t.kind.includes('gateway endpoint') ? 1 : 0);
  };
  return targets.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map(({ t }) => t);
}

function viaName(path: Path): string {
  switch (path.via) {
    case 'interface endpoint':
      return `${path.need?.service ?? ''} endpoint`.trim();
    case 'gateway endpoint':
      return 'S3 gateway endpoint';
    case 'nowhere':
      return 'no route';
    case 'VPC':
      return 'inside the VPC';
    default:
      return path.via;
  }
}

function cellOf(inv: Inventory, path: Path): Cell {
  const central = centralEndpoint(inv, path);
  const where = central ? ` in ${shortVpc(central.vpcId)}${wayTo(path) ? ` over ${wayTo(path)}` : ''}` : '';
  const main = `${VERDICT_MARK[path.verdict]} ${viaName(path)}${where}${path.targetId && path.via !== 'interface endpoint' && path.via !== 'gateway endpoint' && path.targetId !== 'local' ? ` ${path.targetId}` : ''}`;
  const blocking = path.hops.find((h) => h.status === 'blocked') ?? path.hops.find((h) => h.status === 'unverifiable');
  if (blocking) return { verdict: path.verdict, main, detail: evidence(blocking, path.verdict === 'blocked' ? 'bad' : 'warn') };
  const note = path.hops.find((h) => h.status === 'note');
  if (note) return { verdict: path.verdict, main, detail: evidence(note, 'info') };
  return { verdict: path.verdict, main };
}

/** The hop that decides a cell, by its check ID; what does not fit is in the report and `npm run explain`. */
function evidence(hop: Hop, tone: Tone): Line {
  const full = `${hop.check}: ${hop.text}`;
  // Two lines of a cell: the asides in parentheses go first, so the cause at the end is not cut.
  if (full.length <= 2 * charsIn(COL_W - 2 * PAD, 10.5)) return { text: full, tone };
  let short = full;
  for (let before = ''; before !== short; ) [before, short] = [short, short.replace(/ \([^()]*\)/g, '')];
  return { text: short, tone };
}

// ---------------------------------------------------------------------------------------------
// Where to draw it

const MARGIN = 24;
const GUTTER = 128;
const COL_W = 320;
const COL_GAP = 18;
const TGT_W_MAX = 232;
const TGT_W_MIN = 184;
const TGT_GAP = 12;
const SIZE = 11;
const LINE_H = 16;
const PAD = 8;
const LINK_H = 120;
const ROW_H = 3 * LINE_H + 8;

function draw(model: Model, highlight: Set<string>): string {
  const n = Math.max(model.columns.length, 1);
  const columnsWidth = n * COL_W + (n - 1) * COL_GAP;
  // Targets share the width of the columns when they can, so the picture stays as narrow as the zones.
  const count = Math.max(model.targets.length, 1);
  const targetW = Math.min(TGT_W_MAX, Math.max(TGT_W_MIN, (columnsWidth - (count - 1) * TGT_GAP) / count));
  const targetsWidth = count * targetW + (count - 1) * TGT_GAP;
  const content = Math.max(columnsWidth, targetsWidth, 760);
  const width = MARGIN + GUTTER + content + MARGIN;
  const x0 = MARGIN + GUTTER;
  const colX = (i: number) => x0 + (content - columnsWidth) / 2 + i * (COL_W + COL_GAP);
  const tgtX = (i: number) => x0 + (content - targetsWidth) / 2 + i * (targetW + TGT_GAP);
  const out: string[] = [];

  // Title, subtitle, legend.
  out.push(text(MARGIN, MARGIN + 16, model.title, { 'font-family': SANS, 'font-size': 18, 'font-weight': 'bold', fill: COLOR.plain }));
  out.push(text(MARGIN, MARGIN + 38, model.subtitle, { 'font-family': SANS, 'font-size': 12.5, fill: COLOR.muted }));
  out.push(legend(MARGIN, MARGIN + 60));

  if (model.columns.length === 0) {
    out.push(text(MARGIN, MARGIN + 100, 'This workload has no task subnets (no awsvpc network configuration, no running task): there is no network to draw.', { 'font-family': SANS, 'font-size': 13, fill: COLOR.bad }));
    return svg(width, MARGIN + 130, model.title, out);
  }

  // Availability zones and task subnets, with their route tables and endpoint network interfaces.
  const azY = MARGIN + 84;
  const boxY = azY + 30;
  const subnetLines = Math.max(...model.columns.map((c) => c.lines.length));
  const tableLines = Math.max(...model.columns.map((c) => c.table?.lines.length ?? 1));
  const tableY = boxY + PAD + subnetLines * LINE_H + 18;
  const tableH = tableLines * LINE_H + PAD;
  const eniY = tableY + tableH + 12;
  const eniRows = Math.max(...model.columns.map((c) => chipRows(c.enis.map((e) => chipLabel(e))).length), 0);
  const boxH = eniY - boxY + (eniRows ? 20 + eniRows * 24 : 0) + PAD;
  const linkTop = boxY + boxH;
  const targetY = linkTop + LINK_H;

  out.push(gutterLabel('availability zone', azY + 17));
  out.push(gutterLabel('task subnet', boxY + 20));
  out.push(gutterLabel('route table', tableY + 16));
  // A centralized endpoint has no ENI in the zone: its chip names the VPC a hosted zone sends the name to.
  const central = model.columns.some((c) => c.enis.some((e) => e.elsewhere));
  if (eniRows) out.push(gutterLabel(central ? 'endpoint ENIs here,' : 'endpoint ENIs', eniY + 14), gutterLabel(central ? 'or the VPC a zone' : 'in this zone', eniY + 28), ...(central ? [gutterLabel('sends names to', eniY + 42)] : []));

  // One zone header over its columns.
  const zones = [...new Set(model.columns.map((c) => c.az))];
  for (const az of zones) {
    const idx = model.columns.map((c, i) => (c.az === az ? i : -1)).filter((i) => i >= 0);
    const left = colX(idx[0]);
    const right = colX(idx[idx.length - 1]) + COL_W;
    out.push(rect(left, azY, right - left, 24, { rx: 4, fill: '#e3f2fd', stroke: '#90caf9' }));
    out.push(text((left + right) / 2, azY + 17, az, { 'font-family': SANS, 'font-size': 13, 'font-weight': 'bold', fill: '#0d47a1', 'text-anchor': 'middle' }));
  }

  model.columns.forEach((column, i) => {
    const x = colX(i);
    const marked = highlight.has(column.subnetId);
    out.push(rect(x, boxY, COL_W, boxH, { rx: 6, fill: '#ffffff', stroke: marked ? COLOR.bad : '#78909c', 'stroke-width': marked ? 3 : 1.2 }));
    out.push(text(x + PAD, boxY + 14, `task subnet ${column.label}`, { 'font-family': SANS, 'font-size': 11, fill: COLOR.muted }));
    if (marked) out.push(badge(x + COL_W - 12, boxY + 12));
    out.push(lines(column.lines, x + PAD, boxY + 14 + LINE_H, COL_W - 2 * PAD));
    if (column.table) {
      const tableMarked = highlight.has(column.table.id);
      out.push(rect(x + PAD, tableY, COL_W - 2 * PAD, tableH, { rx: 4, fill: '#f5f7f8', stroke: tableMarked ? COLOR.bad : '#b0bec5', 'stroke-width': tableMarked ? 3 : 1 }));
      if (tableMarked) out.push(badge(x + COL_W - PAD - 10, tableY + 10));
      out.push(lines(column.table.lines, x + 2 * PAD, tableY + LINE_H - 2, COL_W - 4 * PAD));
    } else {
      out.push(text(x + 2 * PAD, tableY + LINE_H, 'no route table', { 'font-family': MONO, 'font-size': SIZE, fill: COLOR.bad }));
    }
    if (eniRows) {
      chipRows(column.enis.map(chipLabel)).forEach((row, r) => {
        let cx = x + PAD;
        for (const label of row) {
          const eni = column.enis.find((e) => chipLabel(e) === label)!;
          const w = chipWidth(label);
          const tone = eni.here ? COLOR.ok : eni.elsewhere ? COLOR.info : COLOR.bad;
          out.push(rect(cx, eniY + 4 + r * 24, w, 19, { rx: 9, fill: eni.here ? '#e8f5e9' : eni.elsewhere ? '#e3f2fd' : '#ffebee', stroke: tone, 'stroke-dasharray': eni.here ? undefined : '4 3' }));
          out.push(text(cx + 8, eniY + 18 + r * 24, label, { 'font-family': MONO, 'font-size': 11, fill: tone }));
          cx += w + 6;
        }
      });
    }
  });

  // Lines from each task subnet to what its traffic leaves by.
  const targetIndex = new Map(model.targets.map((t, i) => [t.key, i]));
  const exits = spread(model.links, (l) => l.column, (l) => targetIndex.get(l.target)!, (col, k, count) => colX(col) + (COL_W * (k + 1)) / (count + 1));
  const entries = spread(model.links, (l) => targetIndex.get(l.target)!, (l) => l.column, (tgt, k, count) => tgtX(tgt) + (targetW * (k + 1)) / (count + 1));
  out.push(gutterLabel('paths', linkTop + LINK_H / 2));
  // Broken links last, so they are drawn on top.
  const ordered = [...model.links].sort((a, b) => WORST.indexOf(b.verdict) - WORST.indexOf(a.verdict));
  for (const link of ordered) {
    const [x1, x2] = [exits.get(link)!, entries.get(link)!];
    const color = VERDICT_COLOR[link.verdict];
    out.push(
      element('g', {}, [
        element('title', {}, escapeXml(`${link.needs.join(', ')}: ${link.verdict}`)),
        curve(x1, linkTop, x2, targetY - 6, { stroke: color, 'stroke-width': link.verdict === 'reachable' ? 1.8 : 2.4, 'stroke-dasharray': VERDICT_DASH[link.verdict], 'marker-end': `url(#arrow-${link.verdict === 'reachable' ? 'ok' : link.verdict === 'blocked' ? 'bad' : 'warn'})` }),
      ].join('')),
    );
    if (link.verdict !== 'reachable') out.push(brokenMark((x1 + x2) / 2, (linkTop + targetY) / 2, link.verdict));
  }

  // Targets: endpoints, NAT and internet gateways, or nowhere.
  const targetH = Math.max(...model.targets.map((t) => 22 + wrapLines(t.lines, targetW - 2 * PAD).length * LINE_H + PAD), 60);
  out.push(gutterLabel('leaves by', targetY + 20));
  model.targets.forEach((target, i) => {
    const x = tgtX(i);
    const marked = target.ids.some((id) => highlight.has(id));
    out.push(rect(x, targetY, targetW, targetH, { rx: 6, fill: target.fill, stroke: marked ? COLOR.bad : '#78909c', 'stroke-width': marked ? 3 : 1.2 }));
    out.push(text(x + PAD, targetY + 16, target.kind, { 'font-family': SANS, 'font-size': 12, 'font-weight': 'bold', fill: COLOR.plain }));
    if (marked) out.push(badge(x + targetW - 12, targetY + 12));
    out.push(lines(wrapLines(target.lines, targetW - 2 * PAD), x + PAD, targetY + 22 + LINE_H - 4, targetW - 2 * PAD));
  });
  for (const { from, to } of model.onward) {
    const [a, b] = [targetIndex.get(from)!, targetIndex.get(to)!];
    const y = targetY + 20;
    const [xa, xb] = a < b ? [tgtX(a) + targetW, tgtX(b)] : [tgtX(a), tgtX(b) + targetW];
    out.push(element('line', { x1: xa, y1: y, x2: xb + (a < b ? -4 : 4), y2: y, stroke: COLOR.ok, 'stroke-width': 1.8, 'marker-end': 'url(#arrow-ok)' }));
  }

  // The grid: each need's path from each task subnet.
  const gridY = targetY + targetH + 40;
  out.push(text(MARGIN, gridY - 12, 'Each need, from each task subnet: the way out, and what blocks it', { 'font-family': SANS, 'font-size': 13, 'font-weight': 'bold', fill: COLOR.plain }));
  model.columns.forEach((column, i) => {
    out.push(rect(colX(i), gridY, COL_W, 22, { fill: '#eceff1' }));
    out.push(text(colX(i) + PAD, gridY + 15, `from ${column.label} (${column.subnetId})`, { 'font-family': MONO, 'font-size': 11, fill: COLOR.plain }));
  });
  model.rows.forEach((row, r) => {
    const y = gridY + 26 + r * ROW_H;
    out.push(text(MARGIN, y + 15, row.label, { 'font-family': MONO, 'font-size': 12, 'font-weight': 'bold', fill: COLOR.plain }));
    out.push(text(MARGIN, y + 15 + LINE_H, fit(row.origin, charsIn(GUTTER - 6, 10.5)), { 'font-family': SANS, 'font-size': 10.5, fill: COLOR.muted }));
    row.cells.forEach((cell, i) => {
      if (!cell) return;
      const x = colX(i);
      const color = VERDICT_COLOR[cell.verdict];
      out.push(rect(x, y, COL_W, ROW_H - 4, { rx: 4, fill: cell.verdict === 'reachable' ? '#f1f8f1' : cell.verdict === 'blocked' ? '#ffebee' : '#fff8e1', stroke: color, 'stroke-opacity': 0.5 }));
      const max = charsIn(COL_W - 2 * PAD, SIZE);
      out.push(text(x + PAD, y + 15, fit(cell.main, max), { 'font-family': MONO, 'font-size': SIZE, fill: color, 'font-weight': cell.verdict === 'reachable' ? undefined : 'bold' }));
      if (cell.detail) {
        const detail = wrapLines([cell.detail], COL_W - 2 * PAD, 10.5).slice(0, 2);
        if (detail.length === 2 && wrapLines([cell.detail], COL_W - 2 * PAD, 10.5).length > 2) detail[1] = { ...detail[1], text: fit(`${detail[1].text} …`, charsIn(COL_W - 2 * PAD, 10.5)) };
        detail.forEach((l, k) => out.push(text(x + PAD, y + 15 + (k + 1) * (LINE_H - 1), fit(l.text, charsIn(COL_W - 2 * PAD, 10.5)), { 'font-family': MONO, 'font-size': 10.5, fill: COLOR[l.tone] })));
      }
    });
  });
  const footY = gridY + 26 + model.rows.length * ROW_H + 14;
  out.push(
    text(MARGIN, footY, `Every hop of every path, with the rule that allows or blocks it: npm run explain -- --service ${model.title.replace('Network picture: ', '')}`, {
      'font-family': SANS,
      'font-size': 11.5,
      fill: COLOR.muted,
    }),
  );
  return svg(width, footY + MARGIN, model.title, out);
}

function svg(width: number, height: number, title: string, body: string[]): string {
  const arrow = (id: string, color: string) =>
    element('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, element('path', { d: 'M0 0 L10 5 L0 10 z', fill: color }));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}">`,
    element('title', {}, escapeXml(title)),
    element('defs', {}, arrow('arrow-ok', COLOR.ok) + arrow('arrow-bad', COLOR.bad) + arrow('arrow-warn', COLOR.warn)),
    rect(0, 0, width, height, { fill: '#ffffff' }),
    ...body,
    '</svg>',
  ].join('\n');
}

function legend(x: number, y: number): string {
  const items: [string, Verdict | 'highlight'][] = [
    ['reachable', 'reachable'],
    ['blocked', 'blocked'],
    ['cannot be verified', 'cannot be verified'],
    ['named in this failure', 'highlight'],
  ];
  const parts: string[] = [];
  let cx = x;
  for (const [label, kind] of items) {
    if (kind === 'highlight') {
      parts.push(rect(cx, y - 9, 26, 14, { rx: 3, fill: '#ffffff', stroke: COLOR.bad, 'stroke-width': 3 }));
    } else {
      parts.push(element('line', { x1: cx, y1: y - 2, x2: cx + 26, y2: y - 2, stroke: VERDICT_COLOR[kind], 'stroke-width': 2.4, 'stroke-dasharray': VERDICT_DASH[kind] }));
      if (kind !== 'reachable') parts.push(brokenMark(cx + 13, y - 2, kind, 7));
    }
    parts.push(text(cx + 34, y + 2, label, { 'font-family': SANS, 'font-size': 12, fill: COLOR.plain }));
    cx += 34 + label.length * 7 + 26;
  }
  return parts.join('');
}

function brokenMark(x: number, y: number, verdict: Verdict, r = 10): string {
  const color = VERDICT_COLOR[verdict];
  return (
    element('circle', { cx: x, cy: y, r, fill: '#ffffff', stroke: color, 'stroke-width': 2 }) +
    text(x, y + r * 0.42, VERDICT_MARK[verdict], { 'font-family': SANS, 'font-size': r * 1.3, 'font-weight': 'bold', fill: color, 'text-anchor': 'middle' })
  );
}

function badge(x: number, y: number): string {
  return element('circle', { cx: x, cy: y, r: 8, fill: COLOR.bad }) + text(x, y + 4, '!', { 'font-family': SANS, 'font-size': 12, 'font-weight': 'bold', fill: '#ffffff', 'text-anchor': 'middle' });
}

function gutterLabel(label: string, y: number): string {
  return text(MARGIN, y, label, { 'font-family': SANS, 'font-size': 11.5, fill: COLOR.muted });
}

function lines(items: Line[], x: number, y: number, width: number): string {
  const max = charsIn(width, SIZE);
  return items
    .map((l, i) => text(x, y + i * LINE_H, fit(l.text, max), { 'font-family': MONO, 'font-size': SIZE, fill: COLOR[l.tone], 'font-weight': l.bold ? 'bold' : undefined }))
    .join('');
}

/** Lines wrapped to a box's width at spaces, keeping each line's tone. */
function wrapLines(items: Line[], width: number, size = SIZE): Line[] {
  const max = charsIn(width, size);
  return items.flatMap((l) => {
    const out: Line[] = [];
    let current = '';
    for (const word of l.text.split(' ')) {
      if (current && current.length + 1 + word.length > max) {
        out.push({ ...l, text: current });
        current = `\u00a0\u00a0${word}`;
      } else current = current ? `${current} ${word}` : word;
    }
    out.push({ ...l, text: current });
    return out;
  });
}

function chipLabel(eni: Eni): string {
  return eni.here ? eni.service : eni.elsewhere ? `${eni.service} in ${shortVpc(eni.elsewhere)}` : `no ${eni.service}`;
}

/** "vpc-…60718": enough of a VPC ID to tell it from the task's in a chip. */
function shortVpc(id: string): string {
  return id.length > 10 ? `vpc-…${id.slice(-5)}` : id;
}

function chipWidth(label: string): number {
  return label.length * 11 * 0.61 + 16;
}

/** Chips laid out in rows that fit a column. */
function chipRows(labels: string[]): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let used = 0;
  for (const label of labels) {
    const w = chipWidth(label) + 6;
    if (row.length && used + w > COL_W - 2 * PAD) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(label);
    used += w;
  }
  if (row.length) rows.push(row);
  return rows;
}

/** Spreads the ends of links along a box: one point per link, ordered by the box at the other end. */
function spread<T>(items: T[], box: (t: T) => number, other: (t: T) => number, at: (box: number, k: number, count: number) => number): Map<T, number> {
  const byBox = new Map<number, T[]>();
  for (const item of items) byBox.set(box(item), [...(byBox.get(box(item)) ?? []), item]);
  const points = new Map<T, number>();
  for (const [b, group] of byBox) {
    group.sort((p, q) => other(p) - other(q));
    group.forEach((item, k) => points.set(item, at(b, k, group.length)));
  }
  return points;
}
