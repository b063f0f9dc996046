/** The pure parts of the Decision 766 index view: peer groups, ranking within them, sorting. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { peerGroupOf, rankWithinPeers, sortIndexRows, type PeerGroup } from '../../src/monitoring/index-view.js';

describe('peerGroupOf', () => {
  it('puts wards, communes and desks together, departments apart, provinces apart', () => {
    assert.deepEqual(
      ['ward', 'commune', 'desk', 'department', 'province', 'nation'].map(peerGroupOf),
      ['local', 'local', 'local', 'department', 'province', 'nation'],
    );
  });
});

describe('rankWithinPeers', () => {
  const units = [
    { code: 'S01', kind: 'department', score: 70 },
    { code: 'P01', kind: 'ward', score: 80 },
    { code: 'S02', kind: 'department', score: 90 },
    { code: 'X01', kind: 'commune', score: 85 },
    { code: 'X02', kind: 'commune', score: null },
    { code: 'P02', kind: 'ward', score: 80 },
    { code: 'X03', kind: 'commune', score: 60.5 },
  ];
  const ranks = rankWithinPeers(units, (u) => u.kind, (u) => u.score);

  it('ranks departments among themselves and wards with communes, answers aligned with the input', () => {
    assert.deepEqual(
      units.map((u, i) => [u.code, ranks[i]!.peerGroup, ranks[i]!.rank]),
      [
        ['S01', 'department', 2],
        ['P01', 'local', 2], // behind X01 (85), a commune: wards and communes share one ranking
        ['S02', 'department', 1],
        ['X01', 'local', 1],
        ['X02', 'local', null],
        ['P02', 'local', 2], // tie with P01: same rank, the next one skips
        ['X03', 'local', 4],
      ],
    );
  });

  it('counts the peers and the ranked peers of each group', () => {
    assert.deepEqual([ranks[0]!.peers, ranks[0]!.ranked], [2, 2]);
    assert.deepEqual([ranks[1]!.peers, ranks[1]!.ranked], [5, 4]);
  });

  it('a department and a ward with the same score are both first of their own group', () => {
    const r = rankWithinPeers([{ k: 'department', s: 50 }, { k: 'ward', s: 50 }], (x) => x.k, (x) => x.s);
    assert.deepEqual(r.map((x) => [x.peerGroup, x.rank]), [['department', 1], ['local', 1]]);
  });

  it('nothing in, nothing out', () => assert.deepEqual(rankWithinPeers([], () => 'ward', () => 1), []));
});

describe('sortIndexRows', () => {
  const row = (code: string, isTotal: boolean, score: number | null, g2: number | null, peerGroup: PeerGroup | null, rank: number | null) => ({
    code,
    isTotal,
    score,
    groups: [
      { group: 1 as const, score: null },
      { group: 2 as const, score: g2 },
    ],
    peerGroup,
    rank,
  });
  const rows = [
    row('T', true, 50, 10, null, null),
    row('S01', false, 40, 20, 'department', 1),
    row('S02', false, null, null, 'department', null),
    row('P01', false, 70, 5, 'local', 2),
    row('X01', false, 90, null, 'local', 1),
  ];
  const codes = (rs: Array<{ code: string }>) => rs.map((r) => r.code);

  it('keeps the scope order without a key', () => assert.deepEqual(codes(sortIndexRows(rows, undefined, 'asc')), ['T', 'S01', 'S02', 'P01', 'X01']));

  it('sorts by the total or a group, the total row first and N/A last in both directions', () => {
    assert.deepEqual(codes(sortIndexRows(rows, 'total', 'desc')), ['T', 'X01', 'P01', 'S01', 'S02']);
    assert.deepEqual(codes(sortIndexRows(rows, 'total', 'asc')), ['T', 'S01', 'P01', 'X01', 'S02']);
    assert.deepEqual(codes(sortIndexRows(rows, 'group_2', 'asc')), ['T', 'P01', 'S01', 'S02', 'X01']);
    assert.deepEqual(codes(sortIndexRows(rows, 'group_1', 'desc')), ['T', 'S01', 'S02', 'P01', 'X01'], 'all N/A: the order kept');
  });

  it('by rank: peer group by peer group, each by rank, unranked last', () => {
    assert.deepEqual(codes(sortIndexRows(rows, 'rank', 'asc')), ['T', 'S01', 'S02', 'X01', 'P01']);
    assert.deepEqual(codes(sortIndexRows(rows, 'rank', 'desc')), ['T', 'S01', 'S02', 'P01', 'X01']);
  });

  it('does not change its input', () => {
    sortIndexRows(rows, 'total', 'desc');
    assert.deepEqual(codes(rows), ['T', 'S01', 'S02', 'P01', 'X01']);
  });
});
