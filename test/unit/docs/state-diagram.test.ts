import { setup } from 'xstate';
import { stateDiagram } from '@tlo/machines';

describe('stateDiagram', () => {
  it('draws initial and final states, guarded, self and targetless transitions', () => {
    const machine = setup({ guards: { isBig: () => true } }).createMachine({
      id: 'door',
      initial: 'closed',
      states: {
        closed: {
          on: {
            OPEN: [{ guard: 'isBig', target: 'open' }, { target: 'jammed' }],
            KNOCK: { actions: [] },
          },
        },
        open: { on: { CLOSE: 'closed', SLAM: 'broken' } },
        jammed: { on: { KICK: 'jammed' } },
        broken: { type: 'final' },
      },
    });
    expect(stateDiagram(machine)).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> closed',
        '  closed --> open: OPEN [isBig]',
        '  closed --> jammed: OPEN',
        '  closed --> closed: KNOCK',
        '  open --> closed: CLOSE',
        '  open --> broken: SLAM',
        '  jammed --> jammed: KICK',
        '  broken --> [*]',
        '',
      ].join('\n'),
    );
  });

  it('draws nested states as blocks, eventless and delayed transitions, and the root’s own events', () => {
    const machine = setup({ guards: { ready: () => true }, delays: { soon: 10 } }).createMachine({
      id: 'job',
      initial: 'working',
      on: { RESET: '.working' },
      states: {
        working: {
          initial: 'step',
          states: {
            step: { after: { soon: 'check' } },
            check: { always: [{ guard: 'ready', target: 'finished' }, { target: 'step' }] },
            finished: { type: 'final' },
          },
          on: { STOP: 'stopped' },
        },
        stopped: {},
        gone: { type: 'final' },
      },
    });
    expect(stateDiagram(machine)).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> working',
        '  state working {',
        '    [*] --> working_step',
        '    state "step" as working_step',
        '    state "check" as working_check',
        '    state "finished" as working_finished',
        '    working_step --> working_check: after soon',
        '    working_check --> working_finished: [ready]',
        '    working_check --> working_step',
        '    working_finished --> [*]',
        '  }',
        '  working --> working: RESET',
        '  stopped --> working: RESET',
        '  working --> stopped: STOP',
        '  gone --> [*]',
        '',
      ].join('\n'),
    );
  });
});
