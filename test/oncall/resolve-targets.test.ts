// Resolving a level's targets into addresses: people, teams (queue or members), on call at handoff, bare contacts.
import { type Directory, resolveTargets, TargetError } from '../../src/oncall/resolve-targets';
import type { TargetRef } from '../../src/shared/plan';
import { weeklyRotation } from '../support/rotations';
import { thrownBy } from '../support/thrown';

const at = (iso: string) => Date.parse(iso);

const billingOncall = weeklyRotation();

const directory: Directory = {
  people: {
    ana: {
      id: 'ana',
      name: 'Ana Alves',
      contacts: [
        { channel: 'email', address: 'ana@example.com' },
        { channel: 'sms', address: '+4915100000001' },
      ],
    },
    ben: {
      id: 'ben',
      name: 'Ben Brandt',
      contacts: [
        { channel: 'email', address: 'ben@example.com' },
        { channel: 'slack', address: '@ben' },
      ],
    },
    chloe: {
      id: 'chloe',
      name: 'Chloe Chen',
      contacts: [
        { channel: 'email', address: 'chloe@example.com' },
        { channel: 'sms', address: '+4915100000003' },
      ],
    },
    dan: { id: 'dan', name: 'Dan Dorn', contacts: [] },
  },
  teams: {
    'billing-leads': { id: 'billing-leads', name: 'Billing leads', members: ['ana', 'ben'], contacts: [] },
    support: {
      id: 'support',
      name: 'Support',
      members: ['chloe'],
      contacts: [
        { channel: 'slack', address: '#support' },
        { channel: 'email', address: 'support@example.com' },
      ],
    },
    empty: { id: 'empty', name: 'Empty team', members: [], contacts: [] },
  },
  rotations: {
    'billing-oncall': billingOncall,
    'billing-pair': {
      ...billingOncall,
      id: 'billing-pair',
      layers: [{ participants: ['ana', 'ben'] }, { participants: ['chloe'] }],
    },
    unstaffed: { ...billingOncall, id: 'unstaffed', layers: [] },
    ghost: { ...billingOncall, id: 'ghost', layers: [{ participants: ['zoe'] }] },
  },
};

const MONDAY = at('2026-03-09T12:00:00Z');
const resolve = (targets: TargetRef[], atMs = MONDAY) => resolveTargets(targets, directory, atMs);

const targetError = (run: () => unknown) => thrownBy(TargetError, run);

describe('resolveTargets', () => {
  it('reaches a person on each of their contact points', () => {
    expect(resolve([{ kind: 'person', person: 'ana' }])).toEqual({
      recipients: [
        { name: 'Ana Alves', channel: 'email', address: 'ana@example.com', via: 'person ana' },
        { name: 'Ana Alves', channel: 'sms', address: '+4915100000001', via: 'person ana' },
      ],
      nobody: [],
    });
  });

  it('reaches a team with a shared queue on the queue only, not its members', () => {
    expect(resolve([{ kind: 'team', team: 'support' }])).toEqual({
      recipients: [
        { name: 'Support', channel: 'slack', address: '#support', via: 'team support' },
        { name: 'Support', channel: 'email', address: 'support@example.com', via: 'team support' },
      ],
      nobody: [],
    });
  });

  it('reaches each member of a team without shared contact points', () => {
    expect(resolve([{ kind: 'team', team: 'billing-leads' }]).recipients).toEqual([
      { name: 'Ana Alves', channel: 'email', address: 'ana@example.com', via: 'member ana of team billing-leads' },
      { name: 'Ana Alves', channel: 'sms', address: '+4915100000001', via: 'member ana of team billing-leads' },
      { name: 'Ben Brandt', channel: 'email', address: 'ben@example.com', via: 'member ben of team billing-leads' },
      { name: 'Ben Brandt', channel: 'slack', address: '@ben', via: 'member ben of team billing-leads' },
    ]);
  });

  it('keeps only contact points on the listed channels', () => {
    expect(resolve([{ kind: 'person', person: 'ben', channels: ['slack'] }]).recipients).toEqual([
      { name: 'Ben Brandt', channel: 'slack', address: '@ben', via: 'person ben' },
    ]);
    expect(resolve([{ kind: 'team', team: 'support', channels: ['email'] }]).recipients).toEqual([
      { name: 'Support', channel: 'email', address: 'support@example.com', via: 'team support' },
    ]);
    expect(resolve([{ kind: 'team', team: 'billing-leads', channels: ['sms', 'slack'] }]).recipients).toEqual([
      { name: 'Ana Alves', channel: 'sms', address: '+4915100000001', via: 'member ana of team billing-leads' },
      { name: 'Ben Brandt', channel: 'slack', address: '@ben', via: 'member ben of team billing-leads' },
    ]);
  });

  it('falls back to the members when the team has no shared contact point on the listed channels', () => {
    expect(resolve([{ kind: 'team', team: 'support', channels: ['sms'] }])).toEqual({
      recipients: [
        { name: 'Chloe Chen', channel: 'sms', address: '+4915100000003', via: 'member chloe of team support' },
      ],
      nobody: [],
    });
  });

  it('treats an empty channels list like no filter rather than notifying nobody', () => {
    expect(resolve([{ kind: 'person', person: 'ana', channels: [] }]).recipients).toHaveLength(2);
  });

  it('resolves on call at the given instant: the handoff moves the case to the next person', () => {
    const target: TargetRef = { kind: 'oncall', rotation: 'billing-oncall', channels: ['email'] };
    // Monday 2026-03-09 09:00 Berlin (08:00 UTC) is the handoff from ana to ben.
    expect(resolve([target], at('2026-03-09T07:59:59.999Z')).recipients).toEqual([
      { name: 'Ana Alves', channel: 'email', address: 'ana@example.com', via: 'on call in billing-oncall' },
    ]);
    expect(resolve([target], at('2026-03-09T08:00:00Z')).recipients).toEqual([
      { name: 'Ben Brandt', channel: 'email', address: 'ben@example.com', via: 'on call in billing-oncall' },
    ]);
  });

  it('reaches everyone on call across layers, the primary layer first', () => {
    expect(resolve([{ kind: 'oncall', rotation: 'billing-pair', channels: ['email'] }]).recipients).toEqual([
      { name: 'Chloe Chen', channel: 'email', address: 'chloe@example.com', via: 'on call in billing-pair' },
      { name: 'Ben Brandt', channel: 'email', address: 'ben@example.com', via: 'on call in billing-pair' },
    ]);
  });

  it('reports a rotation with nobody on call in nobody, with the reason', () => {
    expect(resolve([{ kind: 'oncall', rotation: 'billing-oncall' }], at('2026-03-02T07:00:00Z'))).toEqual({
      recipients: [],
      nobody: [
        'nobody is on call in billing-oncall at 2026-03-02T07:00:00.000Z (before its start: the first shift begins 2026-03-02 09:00 Europe/Berlin)',
      ],
    });
    expect(resolve([{ kind: 'oncall', rotation: 'unstaffed' }], at('2026-03-02T08:00:00Z')).nobody).toEqual([
      'nobody is on call in unstaffed at 2026-03-02T08:00:00.000Z (no layers)',
    ]);
  });

  it('reports a rotation outside its on-call hours in nobody, and reaches its people inside them', () => {
    const office = [{ start: '08:00', end: '18:00' }];
    const primary = {
      ...billingOncall,
      id: 'primary',
      onCallHours: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] },
    };
    const withHours = { ...directory, rotations: { ...directory.rotations, primary } };
    const target: TargetRef = { kind: 'oncall', rotation: 'primary', channels: ['email'] };
    expect(resolveTargets([target], withHours, at('2026-12-05T21:00:00Z'))).toEqual({
      recipients: [],
      nobody: [
        'nobody is on call in primary at 2026-12-05T21:00:00.000Z (outside its on-call hours mon-fri 08:00-18:00 Europe/Berlin)',
      ],
    });
    expect(resolveTargets([target], withHours, at('2026-12-04T16:59:59.999Z'))).toEqual({
      recipients: [{ name: 'Ana Alves', channel: 'email', address: 'ana@example.com', via: 'on call in primary' }],
      nobody: [],
    });
  });

  it('reports on-call people without a contact on the listed channels in nobody', () => {
    expect(resolve([{ kind: 'oncall', rotation: 'billing-oncall', channels: ['pager'] }])).toEqual({
      recipients: [],
      nobody: ['on call in billing-oncall at 2026-03-09T12:00:00.000Z: ben, with no contact on channels pager'],
    });
  });

  it('reports people and teams that have no contact on the listed channels in nobody', () => {
    expect(
      resolve([
        { kind: 'person', person: 'ana', channels: ['slack'] },
        { kind: 'person', person: 'dan' },
        { kind: 'team', team: 'support', channels: ['pager'] },
        { kind: 'team', team: 'empty' },
        { kind: 'person', person: 'ben', channels: ['slack'] },
      ]),
    ).toEqual({
      recipients: [{ name: 'Ben Brandt', channel: 'slack', address: '@ben', via: 'person ben' }],
      nobody: [
        'person ana has no contact on channels slack',
        'person dan has no contact at all',
        'team support has no contact on channels pager, nor do its members',
        'team empty has no contact points and no members',
      ],
    });
  });

  it('notifies each channel and address once, named by the first target that reached it', () => {
    expect(
      resolve([
        { kind: 'person', person: 'ben', channels: ['email'] },
        { kind: 'oncall', rotation: 'billing-oncall', channels: ['email'] },
        { kind: 'team', team: 'billing-leads', channels: ['email'] },
        { kind: 'contact', name: 'Ana (again)', channel: 'email', address: 'ana@example.com' },
        { kind: 'contact', name: 'Ana by SMS', channel: 'sms', address: 'ana@example.com' },
      ]),
    ).toEqual({
      recipients: [
        { name: 'Ben Brandt', channel: 'email', address: 'ben@example.com', via: 'person ben' },
        { name: 'Ana Alves', channel: 'email', address: 'ana@example.com', via: 'member ana of team billing-leads' },
        { name: 'Ana by SMS', channel: 'sms', address: 'ana@example.com', via: 'contact' },
      ],
      // Targets whose every address was already reached are covered, not "nobody".
      nobody: [],
    });
  });

  it('passes contact targets through as they are', () => {
    expect(resolve([{ kind: 'contact', name: 'Legal', channel: 'email', address: 'legal@example.com' }])).toEqual({
      recipients: [{ name: 'Legal', channel: 'email', address: 'legal@example.com', via: 'contact' }],
      nobody: [],
    });
  });

  it('resolves nothing for no targets', () => {
    expect(resolve([])).toEqual({ recipients: [], nobody: [] });
  });

  it('throws a TargetError naming an unknown person, team, rotation, member or on-call participant', () => {
    const cases: [TargetRef, string, string][] = [
      [{ kind: 'person', person: 'zoe' }, 'zoe', 'target names unknown person "zoe"'],
      [{ kind: 'team', team: 'legal' }, 'legal', 'target names unknown team "legal"'],
      [{ kind: 'oncall', rotation: 'night' }, 'night', 'target names unknown rotation "night"'],
      [{ kind: 'oncall', rotation: 'ghost' }, 'zoe', 'rotation ghost names unknown person "zoe"'],
      [{ kind: 'person', person: 'constructor' }, 'constructor', 'target names unknown person "constructor"'],
    ];
    for (const [target, id, message] of cases) {
      const error = targetError(() => resolve([target]));
      expect(error.name).toBe('TargetError');
      expect(error.id).toBe(id);
      expect(error.message).toBe(message);
    }
    const broken: Directory = {
      ...directory,
      teams: { ops: { id: 'ops', name: 'Ops', members: ['ana', 'zoe'], contacts: [] } },
    };
    expect(targetError(() => resolveTargets([{ kind: 'team', team: 'ops' }], broken, MONDAY)).message).toBe(
      'team ops names unknown person "zoe"',
    );
  });
});
