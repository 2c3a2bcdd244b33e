import { strict as assert } from 'node:assert';
import { renderPlanGraph, type GraphStep } from '../src/output/plan-graph.js';

const steps: GraphStep[] = [
  {
    resourceId: 'network.vpc',
    title: 'VPC and subnets',
    plugin: 'plugin-network',
    dependsOn: [],
    action: 'read',
  },
  {
    resourceId: 'network.alb-security-group',
    title: 'Load balancer "front" group',
    plugin: 'plugin-network',
    dependsOn: ['network.vpc'],
    action: 'create',
  },
  {
    resourceId: 'https.listener',
    title: 'HTTPS listener',
    plugin: 'site-cli-plugin-https',
    dependsOn: ['network.alb-security-group', 'alb.load-balancer'],
    action: 'replace',
  },
];

describe('the plan drawn as a graph', () => {
  it('Mermaid: a node per resource with its action inside its plugin, an arrow from each dependency', () => {
    const text = renderPlanGraph(steps, 'mermaid');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], 'flowchart LR');
    assert.ok(lines.includes('  subgraph plugin_plugin_network["plugin-network"]'), text);
    assert.ok(lines.includes('  subgraph plugin_site_cli_plugin_https["site-cli-plugin-https"]'), text);
    assert.ok(
      lines.includes(
        '    network_alb_security_group["Load balancer #quot;front#quot; group<br/>network.alb-security-group<br/><b>create</b>"]',
      ),
      text,
    );
    assert.ok(lines.includes('  network_vpc --> network_alb_security_group'), text);
    assert.ok(lines.includes('  network_alb_security_group --> https_listener'), text);
    // A dependency outside the plan (not installed here) draws no dangling arrow.
    assert.ok(!text.includes('alb_load_balancer'), text);
    assert.ok(lines.includes('  class https_listener replace'), text);
    assert.ok(lines.includes('  class network_vpc read'), text);
  });

  it('DOT: the same nodes, clusters and edges, quotes escaped', () => {
    const text = renderPlanGraph(steps, 'dot');
    assert.match(text, /^digraph plan \{\n/);
    assert.match(text, /subgraph "cluster_plugin-network" \{\n {4}label="plugin-network";/);
    assert.match(
      text,
      /network_alb_security_group \[label="Load balancer \\"front\\" group\\nnetwork\.alb-security-group\\ncreate"/,
    );
    assert.match(text, / {2}network_vpc -> network_alb_security_group;\n/);
    assert.match(text, / {2}network_alb_security_group -> https_listener;\n/);
    assert.doesNotMatch(text, /alb_load_balancer/);
    assert.match(text, /\}\n$/);
  });
});
