import { strict as assert } from 'node:assert';
import { editDistance, nearest } from '../src/nearest.js';

describe('did you mean: nearest', () => {
  it('measures Levenshtein distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('deploy', 'deploy'), 0);
  });

  it('suggests the closest candidate only when it is close enough to be a typo, case aside', () => {
    assert.equal(nearest('depoly', ['deploy', 'destroy', 'status']), 'deploy');
    assert.equal(nearest('Instance.Type', ['instance.type', 'instance.count']), 'instance.type');
    assert.equal(nearest('zebra', ['deploy', 'destroy']), undefined);
  });
});
