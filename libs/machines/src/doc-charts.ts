import { fopAuthenticationMachine } from './fop-authentication.machine';
import { fopInstrumentMachine } from './fop-instrument.machine';
import { manualProvisioningMachine } from './manual-provisioning.machine';
import { pushProvisioningMachine } from './push-provisioning.machine';
import { savedCardMachine } from './saved-card.machine';
import { smartTapKeysMachine } from './smart-tap-keys.machine';
import { stateDiagram, type MachineLike } from './state-diagram';

/**
 * Where each chart's picture lives in the docs: between `<!-- chart:<name> -->` and
 * `<!-- /chart:<name> -->` in its lifecycle page. `npm run docs:charts` writes them; a unit test
 * fails when a committed picture differs from what the chart gives today.
 */
export const DOC_CHARTS: readonly { name: string; machine: MachineLike; page: string }[] = [
  {
    name: 'push-provisioning',
    machine: pushProvisioningMachine,
    page: 'docs/lifecycles/push-provisioning.md',
  },
  {
    name: 'manual-provisioning',
    machine: manualProvisioningMachine,
    page: 'docs/lifecycles/manual-provisioning.md',
  },
  { name: 'fop-authentication', machine: fopAuthenticationMachine, page: 'docs/lifecycles/tokenized-fop.md' },
  { name: 'fop-instrument', machine: fopInstrumentMachine, page: 'docs/lifecycles/tokenized-fop.md' },
  { name: 'smart-tap-keys', machine: smartTapKeysMachine, page: 'docs/lifecycles/smart-tap.md' },
  { name: 'saved-card', machine: savedCardMachine, page: 'docs/lifecycles/saved-card.md' },
];

/** The block a page holds for a chart: its markers around a Mermaid code fence. */
export function chartBlock(name: string, mermaid: string): string {
  return `<!-- chart:${name} -->\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n\n<!-- /chart:${name} -->`;
}

/**
 * `markdown` with the picture of chart `name` put between its markers. Throws when the page has no
 * such marker pair, so a page that lost its markers fails the generator and the test.
 */
export function withChart(markdown: string, name: string, mermaid: string): string {
  const pattern = new RegExp(`<!-- chart:${name} -->[\\s\\S]*?<!-- /chart:${name} -->`);
  if (!pattern.test(markdown)) throw new Error(`no <!-- chart:${name} --> … <!-- /chart:${name} --> markers`);
  return markdown.replace(pattern, () => chartBlock(name, mermaid));
}

/** Every page named in DOC_CHARTS, as `read` gives it, with today's pictures put in. */
export function pagesWithCharts(read: (page: string) => string): Map<string, string> {
  const pages = new Map<string, string>();
  for (const chart of DOC_CHARTS) {
    const current = pages.get(chart.page) ?? read(chart.page);
    pages.set(chart.page, withChart(current, chart.name, stateDiagram(chart.machine)));
  }
  return pages;
}
