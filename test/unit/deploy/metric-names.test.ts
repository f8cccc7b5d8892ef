// The alert rules and the dashboard name only metrics the service registers: a renamed metric would
// otherwise leave an alert that can never fire.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '../../../src/observability/metrics';
import { silentLogger } from '../../../src/observability/logger';
import { registerStateMetrics } from '../../../src/observability/state-metrics';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

function registered(): Set<string> {
  const metrics = createMetrics();
  registerStateMetrics({
    registry: metrics.registry,
    read: () => Promise.reject(new Error('not read here')),
    log: silentLogger(),
    findingKinds: [],
  });
  return new Set(metrics.registry.getMetricsAsArray().map((m) => m.name));
}

/** Histogram series (_bucket, _count, _sum) belong to the histogram's name. */
function namesIn(text: string): string[] {
  const names = text.match(/\blms_sync_[a-z_]+/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|count|sum)$/, '')))].sort();
}

describe('metric names in deploy/', () => {
  const known = registered();

  it.each(['deploy/prometheus/alerts.yml', 'deploy/grafana/lms-sync-dashboard.json'])(
    '%s names only registered metrics',
    (file) => {
      const names = namesIn(read(file));
      expect(names.length).toBeGreaterThan(5);
      expect(names.filter((n) => !known.has(n))).toEqual([]);
    },
  );

  it('the dashboard is importable JSON with a Prometheus datasource input and a query per panel', () => {
    const dash = JSON.parse(read('deploy/grafana/lms-sync-dashboard.json'));
    expect(dash.__inputs[0]).toMatchObject({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' });
    const panels = dash.panels.filter((p: { type: string }) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(10);
    for (const p of panels) expect(p.targets.length).toBeGreaterThan(0);
    const ids = dash.panels.map((p: { id: number }) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
