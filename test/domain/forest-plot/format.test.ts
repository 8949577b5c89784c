import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  formatEstimateCi,
  formatNumber,
  formatP,
  formatPercent,
  formatTick,
  truncate,
  wrapText,
} from '../../../src/domain/forest-plot/format';

describe('formatNumber', () => {
  it.each([
    [1.234, '1.23'],
    [-12.345, '-12.35'],
    [0, '0.00'],
    [-0, '0.00'],
    [0.01, '0.01'],
    [0.001234, '0.00123'],
    [-0.0045, '-0.00450'],
    [Number.NaN, 'NA'],
    [Number.POSITIVE_INFINITY, 'NA'],
    [Number.NEGATIVE_INFINITY, 'NA'],
  ])('%f → %s', (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });

  it('estimate with CI', () => {
    expect(formatEstimateCi(2.1, 0.4, 3.8)).toBe('2.10 [0.40, 3.80]');
  });
});

describe('other formats', () => {
  it('percent, p-values and ticks', () => {
    expect(formatPercent(12.345)).toBe('12.3%');
    expect(formatPercent(-0.01)).toBe('0.0%');
    expect(formatP(0.0912)).toBe('p = 0.09');
    expect(formatP(0.0042)).toBe('p = 0.004');
    expect(formatP(0.00001)).toBe('p < 0.001');
    expect(formatP(Number.NaN)).toBe('p = NA');
    expect(formatTick(-4, 2)).toBe('-4');
    expect(formatTick(0.6000000000000001, 0.2)).toBe('0.6');
    expect(formatTick(0.75, 0.25)).toBe('0.75');
    expect(formatTick(-0, 0.5)).toBe('0.0');
  });

  it('escapes markup and removes characters XML cannot hold', () => {
    expect(escapeXml(`<b a="1">Tom & 'Jerry'</b>`)).toBe(
      '&lt;b a=&quot;1&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/b&gt;',
    );
    expect(escapeXml('a\u0000b\u001Fc\uD800d\tx')).toBe('a\uFFFDb\uFFFDc\uFFFDd\tx');
    expect(escapeXml('😀')).toBe('😀');
  });

  it('truncates by code points and wraps words', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('😀😀😀😀😀', 3)).toBe('😀😀…');
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('', 9)).toEqual(['']);
  });
});
