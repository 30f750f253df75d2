import fc from 'fast-check';
import { SurveyItem } from '@hearth/protocol';
import {
  achievedCounts,
  curriculumCompletion,
  meanHalfUp,
  percentHalfUp,
  reportRecords,
  successMarkersReport,
  surveyResults,
} from '.';

describe('percentHalfUp', () => {
  it('rounds .5 up and everything else to the nearest', () => {
    expect(percentHalfUp(1, 8)).toBe(13); // 12.5
    expect(percentHalfUp(7, 8)).toBe(88); // 87.5
    expect(percentHalfUp(1, 200)).toBe(1); // 0.5
    expect(percentHalfUp(1, 3)).toBe(33);
    expect(percentHalfUp(2, 3)).toBe(67);
    expect(percentHalfUp(0, 7)).toBe(0);
    expect(percentHalfUp(7, 7)).toBe(100);
    expect(percentHalfUp(0, 0)).toBe(0);
  });

  it('equals exact rational rounding for every share (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.nat(), (whole, p) => {
        const part = p % (whole + 1);
        // Exact: floor(100·part/whole + 1/2), computed with BigInt.
        const exact = Number((200n * BigInt(part) + BigInt(whole)) / (2n * BigInt(whole)));
        expect(percentHalfUp(part, whole)).toBe(exact);
        const lower = Math.floor((100 * part) / whole);
        expect([lower, lower + 1]).toContain(percentHalfUp(part, whole));
      }),
    );
  });

  it('refuses what is not a share', () => {
    expect(() => percentHalfUp(3, 2)).toThrow(RangeError);
    expect(() => percentHalfUp(-1, 2)).toThrow(RangeError);
    expect(() => percentHalfUp(0.5, 2)).toThrow(RangeError);
  });

  it('means round half up too', () => {
    expect(meanHalfUp([50, 51])).toBe(51); // 50.5
    expect(meanHalfUp([50, 50, 51])).toBe(50); // 50.33
    expect(meanHalfUp([])).toBe(0);
  });
});

describe('success-marker reports', () => {
  const a = {
    cohort_id: 'A',
    name: 'Cohort A',
    snapshot: {
      participants: ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'],
      markers: [
        // p1 achieved in two domains (and twice in one): once per domain, once across all.
        { participant: 'p1', domain: 'resilience' as const, achieved: true },
        { participant: 'p1', domain: 'resilience' as const, achieved: true },
        { participant: 'p1', domain: 'advocacy' as const, achieved: true },
        { participant: 'p2', domain: 'advocacy' as const, achieved: false },
        { participant: 'p3', domain: 'integrated_security' as const, achieved: true },
        // Not a participant (left before the snapshot): not counted.
        { participant: 'gone', domain: 'resilience' as const, achieved: true },
      ],
    },
  };
  const nobody = {
    cohort_id: 'B',
    name: 'Cohort "B", second',
    snapshot: {
      participants: ['q1', 'q2'],
      markers: [{ participant: 'q1', domain: 'advocacy' as const, achieved: false }],
    },
  };

  it('counts each participant once per domain and once across domains', () => {
    expect(achievedCounts(a.snapshot)).toEqual({
      participants: 8,
      domains: { resilience: 1, advocacy: 1, integrated_security: 1 },
      any: 2,
    });
  });

  it('gives per-cohort rows and a pooled row computed from the pooled counts', () => {
    const r = successMarkersReport([a, nobody]);
    expect(r.cohorts[0]).toEqual({
      cohort_id: 'A',
      name: 'Cohort A',
      participants: 8,
      domains: {
        resilience: { achieved: 1, percent: 13 }, // 12.5 → 13
        advocacy: { achieved: 1, percent: 13 },
        integrated_security: { achieved: 1, percent: 13 },
      },
      any_domain: { achieved: 2, percent: 25 },
    });
    expect(r.cohorts[1]).toEqual({
      cohort_id: 'B',
      name: 'Cohort "B", second',
      participants: 2,
      domains: {
        resilience: { achieved: 0, percent: 0 },
        advocacy: { achieved: 0, percent: 0 },
        integrated_security: { achieved: 0, percent: 0 },
      },
      any_domain: { achieved: 0, percent: 0 },
    });
    // 1/10 = 10 %, 2/10 = 20 %: not the mean of 13 and 0.
    expect(r.pooled.domains.resilience).toEqual({ achieved: 1, percent: 10 });
    expect(r.pooled.any_domain).toEqual({ achieved: 2, percent: 20 });
    expect(r.pooled.participants).toBe(10);
  });

  it('has an empty report for a cohort without participants', () => {
    const r = successMarkersReport([{ cohort_id: 'C', name: 'C', snapshot: { participants: [], markers: [] } }]);
    expect(r.pooled.participants).toBe(0);
    expect(r.pooled.domains.advocacy).toEqual({ achieved: 0, percent: 0 });
    expect(r.cohorts[0].any_domain).toEqual({ achieved: 0, percent: 0 });
  });

  it('lays the report out as CSV records, pooled row last', () => {
    const records = reportRecords(successMarkersReport([a]));
    expect(records[0]).toEqual([
      'cohort_id',
      'name',
      'participants',
      'resilience_achieved',
      'resilience_percent',
      'advocacy_achieved',
      'advocacy_percent',
      'integrated_security_achieved',
      'integrated_security_percent',
      'any_domain_achieved',
      'any_domain_percent',
    ]);
    expect(records[1]).toEqual(['A', 'Cohort A', 8, 1, 13, 1, 13, 1, 13, 2, 25]);
    expect(records[2][0]).toBe('pooled');
  });
});

describe('survey results', () => {
  const items: SurveyItem[] = [
    { id: 'secure_comms', text: '…', group: 'security_tasks', scale: 'confidence' },
    { id: 'risk_plan', text: '…', group: 'security_tasks', scale: 'confidence' },
    { id: 'peers', text: '…', group: 'peer_connection', scale: 'agreement' },
  ];

  it('counts the distribution, the top-two share and the group means', () => {
    const responses = [
      { secure_comms: 5, risk_plan: 4, peers: 1 },
      { secure_comms: 4, risk_plan: 3, peers: 2 },
      { secure_comms: 3, risk_plan: 3, peers: 5 },
      { secure_comms: 2, risk_plan: 5, peers: 4 },
      { secure_comms: 1, risk_plan: 1, peers: 3 },
      { secure_comms: 5, risk_plan: 2, peers: 3 },
      { secure_comms: 5, risk_plan: 2, peers: 3 },
      { secure_comms: 5, risk_plan: 2, peers: 3 },
    ];
    const r = surveyResults('S', items, responses);
    expect(r.responses).toBe(8);
    expect(r.items).toEqual([
      { id: 'secure_comms', group: 'security_tasks', distribution: [1, 1, 1, 1, 4], top_two_percent: 63 }, // 62.5
      { id: 'risk_plan', group: 'security_tasks', distribution: [1, 3, 2, 1, 1], top_two_percent: 25 },
      { id: 'peers', group: 'peer_connection', distribution: [1, 1, 4, 1, 1], top_two_percent: 25 },
    ]);
    expect(r.groups).toEqual([
      { group: 'security_tasks', average_top_two_percent: 44 }, // (63 + 25) / 2
      { group: 'peer_connection', average_top_two_percent: 25 },
    ]);
  });
});

describe('curriculumCompletion', () => {
  it('counts activities done over activities × participants, per domain and over all, half up', () => {
    const figures = curriculumCompletion(
      [
        { domain: 'resilience', done: 1 },
        { domain: 'resilience', done: 0 },
        { domain: 'resilience', done: 0 },
        { domain: 'resilience', done: 0 },
        { domain: 'advocacy', done: 7 }, // capped at the 2 participants
      ],
      2,
    );
    expect(figures.domains.resilience).toEqual({ activities: 4, expected: 8, done: 1, percent: 13 }); // 12.5
    expect(figures.domains.advocacy).toEqual({ activities: 1, expected: 2, done: 2, percent: 100 });
    expect(figures.domains.integrated_security).toEqual({ activities: 0, expected: 0, done: 0, percent: 0 });
    expect(figures.all).toEqual({ activities: 5, expected: 10, done: 3, percent: 30 });
    expect(curriculumCompletion([{ domain: 'advocacy', done: 0 }], 0).all.percent).toBe(0);
  });
});
