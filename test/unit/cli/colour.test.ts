import * as assert from 'node:assert/strict';
import { useColour } from '../../../src/cli/colour';

describe('when the table is coloured', () => {
  const terminal = { flag: undefined, env: {}, stdoutIsTTY: true };

  it('colours on a terminal and not in a pipe or a dumb terminal', () => {
    assert.equal(useColour(terminal), true);
    assert.equal(useColour({ ...terminal, stdoutIsTTY: false }), false);
    assert.equal(useColour({ ...terminal, env: { TERM: 'dumb' } }), false);
  });

  it('honours NO_COLOR and FORCE_COLOR, and the flag above both', () => {
    assert.equal(useColour({ ...terminal, env: { NO_COLOR: '1' } }), false);
    assert.equal(useColour({ ...terminal, env: { NO_COLOR: '' } }), true, 'an empty NO_COLOR is not set (no-color.org)');
    assert.equal(useColour({ ...terminal, env: { FORCE_COLOR: '0' } }), false);
    assert.equal(useColour({ ...terminal, stdoutIsTTY: false, env: { FORCE_COLOR: '1' } }), true);
    assert.equal(useColour({ ...terminal, flag: false, env: { FORCE_COLOR: '1' } }), false);
    assert.equal(useColour({ ...terminal, flag: true, stdoutIsTTY: false, env: { NO_COLOR: '1' } }), true);
  });
});
