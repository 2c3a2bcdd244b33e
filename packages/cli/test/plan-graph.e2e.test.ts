import { strict as assert } from 'node:assert';
import { runSite, tempProject } from './run-site.js';

interface PlanDocument {
  status: number;
  result: {
    steps: { resourceId: string; action: string; plugin: string; dependsOn: string[] }[];
    graph?: { format: string; text: string };
  };
}

describe('site plan --graph', function () {
  this.timeout(120_000);

  it('draws every resource of the plan with its action and every dependency, in Mermaid and DOT', async () => {
    const project = tempProject();
    const run = (...args: string[]) =>
      runSite([...args, '--sandbox'], { cwd: project.dir, env: project.env });

    const planned = await run('plan', '--json');
    assert.equal(planned.code, 3, planned.stderr);
    const { steps } = (JSON.parse(planned.stdout) as PlanDocument).result;
    assert.ok(steps.length >= 10, planned.stdout);

    const mermaid = await run('plan', '--graph', 'mermaid');
    assert.equal(mermaid.code, 3, mermaid.stderr);
    assert.match(mermaid.stdout, /^flowchart LR\n/);
    assert.match(mermaid.stderr, /create/); // the plan itself, beside the graph
    const node = (id: string) => id.replace(/[^A-Za-z0-9]/g, '_');
    for (const step of steps) {
      assert.match(
        mermaid.stdout,
        new RegExp(`${node(step.resourceId)}\\[".*<b>${step.action}</b>"\\]`),
        step.resourceId,
      );
      for (const dependency of step.dependsOn) {
        assert.ok(
          mermaid.stdout.includes(`${node(dependency)} --> ${node(step.resourceId)}`),
          `${dependency} → ${step.resourceId}`,
        );
      }
    }

    const dot = await run('plan', '--graph', 'dot', '--json');
    const document = JSON.parse(dot.stdout) as PlanDocument;
    assert.equal(document.status, 3);
    assert.equal(document.result.graph?.format, 'dot');
    for (const step of steps)
      assert.ok(document.result.graph?.text.includes(`${node(step.resourceId)} [label=`), step.resourceId);

    const wrong = await run('plan', '--graph', 'svg');
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /mermaid|dot/);
  });
});
