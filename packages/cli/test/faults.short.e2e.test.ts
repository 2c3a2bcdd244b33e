import { strict as assert } from 'node:assert';
import { runScenarios, scenarios, shortScenarios, type ScenarioResult } from './faults/scenarios.js';

/** The short form of the fault suite; `npm run test:faults` runs every scenario. */
describe(`fault suite, short form (${shortScenarios.length} of ${scenarios.length} scenarios)`, function () {
  this.timeout(120_000);
  let results: ScenarioResult[];

  // Side by side: each scenario has its own simulator and project.
  before(async () => (results = await runScenarios(shortScenarios, shortScenarios.length)));

  for (const [index, scenario] of shortScenarios.entries()) {
    it(`${scenario.name}: converges with no duplicate and no orphan`, () => {
      const { converged, duplicates, orphans, problems } = results[index]!;
      assert.deepEqual(
        { converged, duplicates, orphans, problems },
        {
          converged: true,
          duplicates: 0,
          orphans: 0,
          problems: [],
        },
      );
    });
  }
});
