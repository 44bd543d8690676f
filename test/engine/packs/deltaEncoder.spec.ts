import { encodeDelta } from '../../../src/engine/packs/deltaEncoder';
import { applyDelta } from '../../../src/engine/packs/packReader';
import { seededRandom as random } from '../../helpers/random';

function bytes(next: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

/** `base` with a few ranges replaced, inserted or removed. */
function edit(next: () => number, base: Uint8Array, edits: number): Uint8Array {
  let out = base;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * out.length);
    const cut = Math.floor(next() * 200);
    const insert = bytes(next, Math.floor(next() * 200));
    const edited = new Uint8Array(
      out.length - Math.min(cut, out.length - at) + insert.length
    );
    edited.set(out.subarray(0, at));
    edited.set(insert, at);
    edited.set(out.subarray(at + cut), at + insert.length);
    out = edited;
  }
  return out;
}

describe('encodeDelta', () => {
  it("round-trips through git's delta format and stays small for small edits", () => {
    const next = random(8);
    for (let round = 0; round < 40; round++) {
      const base = bytes(next, Math.floor(next() * 200_000));
      const target = edit(next, base, 1 + Math.floor(next() * 5));
      const delta = encodeDelta(base, target)!;
      expect(
        Buffer.from(applyDelta(base, delta)).equals(Buffer.from(target))
      ).toBe(true);
      // Up to 5 edits of up to 200 new bytes, plus the copy instructions.
      expect(delta.length).toBeLessThan(5 * 200 + 200);
    }
  });

  it('handles empty, tiny and unrelated inputs', () => {
    const next = random(9);
    const cases: Array<[Uint8Array, Uint8Array]> = [
      [new Uint8Array(0), new Uint8Array(0)],
      [new Uint8Array(0), bytes(next, 300)],
      [bytes(next, 300), new Uint8Array(0)],
      [bytes(next, 5), bytes(next, 7)],
      [bytes(next, 5000), bytes(next, 5000)],
      [new Uint8Array(70_000).fill(7), new Uint8Array(140_000).fill(7)]
    ];
    for (const [base, target] of cases) {
      const delta = encodeDelta(base, target)!;
      expect(
        Buffer.from(applyDelta(base, delta)).equals(Buffer.from(target))
      ).toBe(true);
    }
  });

  it('gives up when the delta would reach the size given', () => {
    const next = random(10);
    expect(encodeDelta(bytes(next, 4000), bytes(next, 4000), 2000)).toBeNull();
  });
});
