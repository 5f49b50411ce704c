import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as machines from '@tlo/machines';
import { DOC_CHARTS, pagesWithCharts, withChart } from '@tlo/machines';

const ROOT = resolve(__dirname, '..', '..', '..');
const read = (page: string) => readFileSync(join(ROOT, page), 'utf8');

describe('the state chart pictures in docs/', () => {
  it('are what the charts give today (else run `npm run docs:charts`)', () => {
    const stale = [...pagesWithCharts(read)]
      .filter(([page, text]) => read(page) !== text)
      .map(([page]) => page);
    expect(stale).toEqual([]);
  });

  it('cover every chart the machines export', () => {
    const charted = new Set(DOC_CHARTS.map((chart) => chart.machine));
    const uncharted = Object.entries(machines as Record<string, unknown>)
      .filter(([name, value]) => name.endsWith('Machine') && (value as { root?: unknown }).root)
      .filter(([, value]) => !charted.has(value as never))
      .map(([name]) => name);
    expect(uncharted).toEqual([]);
  });

  it('notice a stale picture and a page without markers (the check works)', () => {
    const page = '# x\n\n<!-- chart:a -->\n\nold\n\n<!-- /chart:a -->\n';
    expect(withChart(page, 'a', 'stateDiagram-v2\n')).toBe(
      '# x\n\n<!-- chart:a -->\n\n```mermaid\nstateDiagram-v2\n```\n\n<!-- /chart:a -->\n',
    );
    expect(() => withChart('# no markers\n', 'a', 'stateDiagram-v2\n')).toThrow('<!-- chart:a -->');
  });
});
