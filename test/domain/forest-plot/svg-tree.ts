import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed SVG element: tag name, attributes (without prefix) and children in document order. */
export interface SvgNode {
  name: string;
  attrs: Record<string, string>;
  children: SvgNode[];
  /** Text of a '#text' node. */
  value?: string;
}

type Raw = Record<string, unknown>;

/** Parses an SVG document (throws if it is not well-formed) and returns its root <svg> element. */
export function parseSvg(svg: string): SvgNode {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
  });
  const roots = (parser.parse(svg) as Raw[]).map(convert);
  const root = roots.find((n) => n.name === 'svg');
  if (!root) throw new Error('no <svg> root element');
  return root;
}

function convert(raw: Raw): SvgNode {
  const name = Object.keys(raw).find((k) => k !== ':@') ?? '';
  if (name === '#text') return { name, attrs: {}, children: [], value: String(raw[name]) };
  const attrs = (raw[':@'] ?? {}) as Record<string, string>;
  const kids = Array.isArray(raw[name]) ? (raw[name] as Raw[]) : [];
  return { name, attrs, children: kids.map(convert) };
}

export function descendants(node: SvgNode): SvgNode[] {
  return node.children.flatMap((c) => [c, ...descendants(c)]);
}

export function classes(node: SvgNode): string[] {
  return (node.attrs.class ?? '').split(/\s+/).filter((c) => c !== '');
}

/** All descendants with the tag name, and the class when given (like the CSS selector `name.cls`). */
export function findAll(node: SvgNode, name: string, cls?: string): SvgNode[] {
  return descendants(node).filter((n) => n.name === name && (cls === undefined || classes(n).includes(cls)));
}

export function findOne(node: SvgNode, name: string, cls?: string): SvgNode {
  const found = findAll(node, name, cls);
  if (found.length !== 1) throw new Error(`expected one ${name}.${cls ?? ''}, found ${found.length}`);
  return found[0] as SvgNode;
}

/** The one direct child with the tag name (and class when given). */
export function child(node: SvgNode, name: string, cls?: string): SvgNode {
  const found = node.children.filter(
    (n) => n.name === name && (cls === undefined || classes(n).includes(cls)),
  );
  if (found.length !== 1) throw new Error(`expected one child ${name}.${cls ?? ''}, found ${found.length}`);
  return found[0] as SvgNode;
}

/** Text directly inside the element (not inside child elements such as <tspan>). */
export function ownText(node: SvgNode): string {
  return node.children.map((c) => c.value ?? '').join('');
}

/** All text inside the element, child elements included. */
export function textContent(node: SvgNode): string {
  return node.value ?? node.children.map(textContent).join('');
}

export function num(node: SvgNode, attr: string): number {
  const v = node.attrs[attr];
  if (v === undefined) throw new Error(`<${node.name}> has no ${attr}`);
  return Number(v);
}

/**
 * The axis mapping read back from the rendered ticks: value → x, built from the first and last
 * tick's line position and label. Independent of the renderer's own scale code.
 */
export function axisFromTicks(root: SvgNode): { values: number[]; toX: (value: number) => number } {
  const ticks = findAll(findOne(root, 'g', 'axis'), 'g', 'tick').map((g) => ({
    value: Number(ownText(findOne(g, 'text'))),
    x: num(findOne(g, 'line'), 'x1'),
  }));
  const first = ticks[0];
  const last = ticks[ticks.length - 1];
  if (!first || !last || first === last) throw new Error('need at least two ticks');
  const slope = (last.x - first.x) / (last.value - first.value);
  return { values: ticks.map((t) => t.value), toX: (value) => first.x + (value - first.value) * slope };
}
