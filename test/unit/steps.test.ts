/** Which steps each role works at (the "at my step" queue), checked against the catalog and the state machine. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_STEPS } from '../../src/catalog/procedures.js';
import { seedProcedures } from '../../src/catalog/seed.js';
import { RULES, type Role } from '../../src/core/dossier-machine.js';
import { AT_STEP_STATUSES, ROLE_STEPS, roleAtStep, stepsWorkedBy } from '../../src/core/steps.js';

const ALL_ROLES: Role[] = ['citizen', 'desk_officer', 'specialist', 'unit_leader', 'province_leader', 'admin', 'system'];
const catalogSteps = new Set([...DEFAULT_STEPS, ...(seedProcedures() as Array<{ steps?: string[] }>).flatMap((p) => p.steps ?? DEFAULT_STEPS)]);

describe('role → steps', () => {
  it('maps each role to the steps it works at', () => {
    assert.deepEqual(stepsWorkedBy('desk_officer'), ['desk', 'return']);
    assert.deepEqual(stepsWorkedBy('specialist'), ['specialist']);
    assert.deepEqual(stepsWorkedBy('unit_leader'), ['leader', 'signing']);
  });

  it('gives no step to those who only watch or do not work a desk', () => {
    for (const role of ['citizen', 'province_leader', 'admin', 'system'] as const) assert.deepEqual(stepsWorkedBy(role), [], role);
  });

  it('every step of the seeded catalog and of the default procedure is worked by exactly one role', () => {
    assert.ok(catalogSteps.size >= 4, [...catalogSteps].join(','));
    for (const step of catalogSteps) {
      const roles = ALL_ROLES.filter((r) => stepsWorkedBy(r).includes(step));
      assert.equal(roles.length, 1, `${step}: ${roles.join(', ') || 'nobody'}`);
      assert.equal(roleAtStep(step), roles[0]);
    }
  });

  it('no step belongs to two roles, and roleAtStep is the inverse of stepsWorkedBy', () => {
    const seen = new Map<string, Role>();
    for (const role of ALL_ROLES) {
      for (const step of stepsWorkedBy(role)) {
        assert.ok(!seen.has(step), `${step} is worked by ${seen.get(step)} and ${role}`);
        seen.set(step, role);
        assert.equal(roleAtStep(step), role);
      }
    }
    assert.deepEqual([...seen.keys()].sort(), Object.values(ROLE_STEPS).flat().sort());
    assert.equal(roleAtStep('archive'), null);
    assert.equal(roleAtStep(''), null);
  });

  it('agrees with who may act at those steps in the state machine', () => {
    // The desk receives (step desk) and returns the result (step return); the leader finishes (signs).
    assert.ok(RULES.receive.roles.includes(roleAtStep('desk')!));
    assert.ok(RULES.return_result.roles.includes(roleAtStep('return')!));
    assert.ok(RULES.finish.roles.includes(roleAtStep('leader')!));
    assert.ok(RULES.finish.roles.includes(roleAtStep('signing')!));
    // Whoever works at a step may forward the dossier from it.
    for (const role of Object.keys(ROLE_STEPS) as Role[]) assert.ok(RULES.forward.roles.includes(role), role);
  });

  it('waits at a step while received, processing or finished (waiting to be returned)', () => {
    assert.deepEqual([...AT_STEP_STATUSES], [2, 4, 9]);
    // Statuses from which someone at a step can act: each is a "from" status of forward.
    for (const s of AT_STEP_STATUSES) assert.ok(RULES.forward.from.includes(s), String(s));
  });
});
