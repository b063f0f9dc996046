/**
 * The heatmap's body written straight into bytes (src/monitoring/heatmap-json.ts) is exactly
 * `Buffer.from(JSON.stringify(body))`: on cells made by cellsOf from any sums, on hand-made cells
 * with every kind of number and string JSON treats apart, and on bodies with Vietnamese names.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cellsOf, FLOW_FACT_KEYS, NOTES, zeroFacts, type Cell, type FlowFacts } from '../../src/monitoring/cells.js';
import { heatmapJson, type HeatmapBodyRow } from '../../src/monitoring/heatmap-json.js';

const same = (body: { rows: readonly HeatmapBodyRow[] } & Record<string, unknown>) => {
  const bytes = heatmapJson(body);
  const expected = Buffer.from(JSON.stringify(body));
  assert.equal(bytes.toString('utf8'), expected.toString('utf8'));
  assert.ok(bytes.equals(expected));
};

const unit = (name: string) => ({ code: 'X01', name, nameEn: null, kind: 'commune' });

describe('heatmapJson', () => {
  it('writes what JSON.stringify writes for rows of cellsOf, whatever the sums', () => {
    const facts = fc.record(Object.fromEntries(FLOW_FACT_KEYS.map((k) => [k, fc.nat({ max: 5000 })])) as Record<keyof FlowFacts, fc.Arbitrary<number>>);
    fc.assert(
      fc.property(fc.array(fc.tuple(facts, fc.constantFrom('commune', 'ward', 'department', 'province'), fc.boolean()), { maxLength: 6 }), (rows) => {
        same({
          root: unit('Tỉnh Đắk Lắk'),
          period: { kind: 'quarter', from: '2026-07-01', to: '2026-09-30' },
          sort: null,
          notes: NOTES,
          rows: rows.map(([f, kind, now], i) => {
            // Sums that do not hold together (settled above received) give 'inconsistent' cells.
            const consistent = { ...f, foEligible: Math.max(f.foEligible, f.fullOnline) };
            return { unit: unit(`Phường Buôn Ma Thuột ${i}`), isTotal: i === 0, cells: cellsOf(consistent, kind, { now, procedures: { inScope: 9, online: 7, withFee: 5, withOnlinePayment: 2, withOnlinePaymentSetUp: 4 } }) };
          }),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('writes numbers, nulls and strings that need escaping as JSON.stringify does', () => {
    const cell = (value: number | null, formula: string | null, note: Cell['note'] = null): Cell => ({ value, numerator: value, denominator: null, band: 'na', formula, note });
    const cells = {
      a: cell(0, '0 ÷ 0 × 100%'),
      b: cell(-0, null, 'no_settled'),
      c: cell(12.34, '100% − (1 + 2) ÷ 3 × 100%'),
      d: cell(4294967295, 'quote " and backslash \\'),
      e: cell(4294967296, 'tab\tnew line\n'),
      f: cell(1e21, 'lone surrogate \ud800 and emoji 😀'),
      g: cell(Number.NaN, 'line separator \u2028'),
      h: cell(-5, 'Tiếng Việt có dấu'),
      i: cell(Number.POSITIVE_INFINITY, ''),
      j: cell(0.1 + 0.2, null),
    };
    same({ rows: [{ unit: unit('Xã Ea Kao'), isTotal: true, cells }], extra: undefined, empty: [], text: 'ư\u0000' });
  });

  it('writes an empty body and empty rows', () => {
    same({ rows: [] });
    same({ rows: [{ unit: null, isTotal: false, cells: {} }] });
  });

  it('grows past its first guess', () => {
    const cells = cellsOf(zeroFacts(), 'commune');
    const long = 'Đ'.repeat(200_000);
    same({ note: long, rows: [{ unit: unit(long), isTotal: true, cells }] });
  });
});
