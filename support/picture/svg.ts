// A few SVG building blocks: escaped text, boxes, curves. Text is measured by character count in
// a monospaced font, so that boxes fit their text without a browser to measure it.
import { escapeXml } from '../util/xml';

export const MONO = "'DejaVu Sans Mono', Menlo, Consolas, monospace";
export const SANS = "'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif";

/** Advance width of one character of MONO, in em. */
const MONO_ADVANCE = 0.61;

/** How many monospaced characters of `size` px fit in `width` px. */
export function charsIn(width: number, size: number): number {
  return Math.max(1, Math.floor(width / (size * MONO_ADVANCE)));
}

/** `text` cut to `max` characters, ending in "…" when cut. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

export function element(name: string, attrs: Attributes, content?: string): string {
  return content === undefined ? `<${name}${attributes(attrs)}/>` : `<${name}${attributes(attrs)}>${content}</${name}>`;
}

export function text(x: number, y: number, content: string, attrs: Attributes = {}): string {
  return element('text', { x: round(x), y: round(y), ...attrs }, escapeXml(content));
}

export function rect(x: number, y: number, width: number, height: number, attrs: Attributes = {}): string {
  return element('rect', { x: round(x), y: round(y), width: round(width), height: round(height), ...attrs });
}

/** A vertical S-curve from (x1, y1) down to (x2, y2). */
export function curve(x1: number, y1: number, x2: number, y2: number, attrs: Attributes = {}): string {
  const bend = (y2 - y1) / 2;
  return element('path', { d: `M${round(x1)} ${round(y1)} C${round(x1)} ${round(y1 + bend)} ${round(x2)} ${round(y2 - bend)} ${round(x2)} ${round(y2)}`, fill: 'none', ...attrs });
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
