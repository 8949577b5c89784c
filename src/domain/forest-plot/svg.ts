import { coord, escapeXml } from './format';

export const INK = '#1a1a1a';
export const MUTED = '#555555';

export type Attrs = Record<string, string | number>;

/** An element; attribute values are escaped, numbers written as coordinates. `content` is raw markup. */
export function el(name: string, attrs: Attrs, content?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? coord(v) : escapeXml(v)}"`)
    .join('');
  return content === undefined ? `<${name}${a}/>` : `<${name}${a}>${content}</${name}>`;
}

/** A text element whose content is user or computed text (escaped here). */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

/** Short deterministic id (FNV-1a) so distinct plots inlined in one page get distinct ids. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
