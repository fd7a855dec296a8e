// The registry built from the files of this folder: one strategy per kind, each in its
// own place in the lists, and every strategy's parameters named under fusion.* or its heads.
import { describe, expect, it } from 'vitest';
import { defaultModelConfig } from '../config.ts';
import { modelSpecs } from '../model.ts';
import { FUSION_KINDS, FUSIONS } from './index.ts';

describe('fusion registry', () => {
  it('holds each strategy under its own kind, in distinct places of the list', () => {
    expect(FUSION_KINDS.length).toBeGreaterThan(0);
    for (const k of FUSION_KINDS) expect(FUSIONS[k].kind).toBe(k);
    expect(new Set(FUSION_KINDS.map((k) => FUSIONS[k].order)).size).toBe(FUSION_KINDS.length);
  });

  it("declares a strategy's parameters under fusion.* and its heads", () => {
    for (const k of FUSION_KINDS) {
      const config = defaultModelConfig({ fusion: k });
      const heads = Object.keys(FUSIONS[k].heads(config));
      for (const s of FUSIONS[k].specs(config)) expect(s.name).toMatch(/^fusion\./);
      const names = modelSpecs(config).map((s) => s.name);
      for (const h of heads) expect(names.some((n) => n.startsWith(`${h}.`))).toBe(true);
    }
  });
});
