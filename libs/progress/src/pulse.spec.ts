import { averageTenthsHalfUp, pulseResults } from '.';

describe('pulse results', () => {
  it('averages to one decimal, half up, in integers', () => {
    expect(averageTenthsHalfUp([0, 0, 0, 3, 1])).toBe(4.3); // 4.25
    expect(averageTenthsHalfUp([1, 0, 0, 0, 1])).toBe(3);
    expect(averageTenthsHalfUp([2, 1, 0, 0, 0])).toBe(1.3); // 1.333…
    expect(averageTenthsHalfUp([0, 0, 0, 0, 0])).toBe(0);
  });

  it('counts each question 1–5 and ignores anything else', () => {
    const r = pulseResults([
      { coping: 1, safety: 5, connection: 3 },
      { coping: 2, safety: 5, connection: 3 },
      { coping: 2, safety: 9, connection: 4, other: 1 },
    ]);
    expect(r.map((q) => q.id)).toEqual(['coping', 'safety', 'connection']);
    expect(r[0]).toEqual({ id: 'coping', distribution: [1, 2, 0, 0, 0], average: 1.7 });
    expect(r[1]).toEqual({ id: 'safety', distribution: [0, 0, 0, 0, 2], average: 5 });
    expect(r[2].distribution).toEqual([0, 0, 2, 1, 0]);
  });
});
