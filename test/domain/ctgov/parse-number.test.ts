import { describe, expect, it } from 'vitest';
import { parseCtgovCount, parseCtgovNumber } from '../../../src/domain/ctgov';

describe('parseCtgovNumber', () => {
  it.each([
    ['3.2', 3.2],
    ['-0.004', -0.004],
    ['+1.5', 1.5],
    ['0', 0],
    ['.5', 0.5],
    ['12.', 12],
    [' 7.25 ', 7.25],
    ['1e-3', 0.001],
    ['\u22120.7', -0.7], // Unicode minus sign
    [4.5, 4.5],
  ])('%j → %d', (value, expected) => {
    expect(parseCtgovNumber(value)).toBe(expected);
  });

  it.each([
    ['NA'],
    ['N/A'],
    ['NaN'],
    [''],
    ['   '],
    ['<0.001'],
    ['>99'],
    ['≤5'],
    ['1,234'],
    ['12 %'],
    ['Infinity'],
    ['Not estimable'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [undefined],
    [{}],
  ])('%j → null', (value) => {
    expect(parseCtgovNumber(value)).toBeNull();
  });
});

describe('parseCtgovCount', () => {
  it('accepts whole numbers ≥ 0', () => {
    expect(parseCtgovCount('18')).toBe(18);
    expect(parseCtgovCount('0')).toBe(0);
    expect(parseCtgovCount(2896)).toBe(2896);
  });

  it('refuses fractions, negatives and placeholders', () => {
    expect(parseCtgovCount('18.5')).toBeNull();
    expect(parseCtgovCount('-3')).toBeNull();
    expect(parseCtgovCount('NA')).toBeNull();
  });
});
