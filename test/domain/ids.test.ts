import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids';

describe('newId', () => {
  it('gives URL-safe ids with their kind as prefix, and never the same twice across pool refills', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => newId(i % 2 ? 'arm' : 'res'));
    expect(new Set(ids).size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^(arm|res)_[A-Za-z0-9_-]{12}$/);
  });
});
