/**
 * Server-rendered SVG charts: accessible names, escaping, scaling on a phone, readable text,
 * colours with enough contrast, nice round ticks, well-formed markup.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHART_COLOURS, histogramChart, niceTicks, scatterChart } from '../../src/web/charts/svg.ts';

const scatter = (overrides: Partial<Parameters<typeof scatterChart>[0]> = {}) =>
  scatterChart({
    id: 'fit-chart',
    title: 'Current cost against points',
    description: 'Each dot is a person in the test group.',
    xLabel: 'Points',
    yLabel: 'Current cost a year',
    points: [
      { x: 10, y: 10000, label: 'TG-1' },
      { x: 22, y: 19000 },
      { x: 31, y: 33000 },
    ],
    line: { slope: 1000, intercept: 0 },
    formatY: (pence) => `£${(pence / 100).toLocaleString('en-GB')}`,
    ...overrides,
  });

const histogram = (overrides: Partial<Parameters<typeof histogramChart>[0]> = {}) =>
  histogramChart({
    id: 'impact-chart',
    title: 'Change in budget',
    description: 'How many people would see each size of change.',
    bars: [
      { label: 'Down 50% or more', count: 3 },
      { label: 'No change', count: 0 },
      { label: 'New budget (was £0)', count: 120 },
    ],
    ...overrides,
  });

/** Checks that tags nest properly and attributes are quoted: enough to know a browser reads it as we meant. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*)\s*(\/?)>|<|>/g)) {
    if (match[2] === undefined) assert.fail(`a stray < or > in: ${svg.slice(Math.max(0, (match.index ?? 0) - 40), (match.index ?? 0) + 40)}`);
    const [, closing, name, , selfClosing] = match;
    if (closing === '/') assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (selfClosing !== '/') stack.push(name);
  }
  assert.deepEqual(stack, [], 'every element is closed');
}

/** WCAG relative luminance contrast of a #rrggbb colour against white. */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

function assertAccessible(svg: string, id: string): void {
  assert.match(svg, /^<svg [^>]*role="img"/);
  assert.match(svg, new RegExp(`aria-labelledby="${id}-title ${id}-desc"`));
  assert.match(svg, new RegExp(`<title id="${id}-title">`));
  assert.match(svg, new RegExp(`<desc id="${id}-desc">`));
  assert.match(svg, /width="100%"/);
  const viewBox = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  assert.ok(viewBox !== null, 'has a viewBox');
  // Text stays at least 12px when the chart is squeezed to a 320px-wide phone screen.
  const width = Number(viewBox[1]);
  const sizes = [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)"/g)].map((m) => Number(m[1]));
  assert.ok(sizes.length > 0);
  for (const size of sizes) assert.ok((size * 320) / width >= 12, `font-size ${size} in a ${width}-wide viewBox is below 12px at 320px`);
  // Every colour has at least 3:1 contrast against white, and no opacity thins it.
  const colours = [...svg.matchAll(/(?:fill|stroke)="([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(colours.length > 0);
  for (const colour of colours) {
    assert.match(colour, /^#[0-9a-f]{6}$/, `colour ${colour}`);
    assert.ok(contrastWithWhite(colour) >= 3, `${colour} has contrast ${contrastWithWhite(colour).toFixed(2)}`);
  }
  assert.doesNotMatch(svg, /opacity="0/);
  assert.doesNotMatch(svg, /style=/, 'no style attributes, so a strict content security policy cannot break the chart');
  assertWellFormed(svg);
}

describe('scatter chart', () => {
  it('is an image named by its title and description, that scales to a phone with readable text and colours', () => {
    assertAccessible(scatter(), 'fit-chart');
  });

  it('escapes every piece of text', () => {
    const evil = '<script>alert("x")</script> & \'quote\'';
    const svg = scatter({ title: evil, description: evil, xLabel: evil, yLabel: evil, points: [{ x: 1, y: 2, label: evil }], formatX: () => evil });
    assert.doesNotMatch(svg, /<script/);
    assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &#39;quote&#39;/);
    assertWellFormed(svg);
  });

  it('labels the axes at nice round numbers from zero, formatted as asked', () => {
    const svg = scatter();
    const labels = [...svg.matchAll(/<text [^>]*fill="#505a5f"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['0', '10', '20', '30', '40', '£0', '£100', '£200', '£300', '£400']);
    assert.match(svg, />Points</);
    assert.match(svg, />Current cost a year</);
  });

  it('draws the fitted line dashed, so it does not depend on colour, and a dot per person with its label', () => {
    const svg = scatter();
    assert.equal([...svg.matchAll(/<line [^>]*stroke-dasharray/g)].length, 1);
    assert.equal([...svg.matchAll(/<circle /g)].length, 3);
    assert.match(svg, /<title>TG-1: 10, £100<\/title>/);
    assert.doesNotMatch(scatter({ line: undefined }), /stroke-dasharray/);
  });

  it('says there is no data rather than drawing empty axes', () => {
    const svg = scatter({ points: [] });
    assert.match(svg, /No data to show/);
    assertAccessible(svg, 'fit-chart');
  });

  it('refuses an id that could break the page', () => {
    assert.throws(() => scatter({ id: 'a" onload="x' }), RangeError);
    assert.throws(() => scatter({ id: '' }), RangeError);
  });

  it('keeps every dot inside the drawing, whatever the data', () => {
    const pointArb = fc.record({ x: fc.integer({ min: 0, max: 1_000_000 }), y: fc.integer({ min: -1_000_000, max: 100_000_000 }) });
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 1, maxLength: 20 }), fc.option(fc.record({ slope: fc.integer({ min: -1000, max: 1000 }), intercept: fc.integer({ min: -1e6, max: 1e6 }) }), { nil: undefined }), (points, line) => {
        const svg = scatter({ points, line });
        const [, w, h] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg) ?? [];
        for (const m of svg.matchAll(/c([xy])="(-?[\d.]+)"/g)) {
          const v = Number(m[2]);
          assert.ok(v >= 0 && v <= Number(m[1] === 'x' ? w : h), `c${m[1]}=${v}`);
        }
        assertWellFormed(svg);
      }),
    );
  });
});

describe('histogram chart', () => {
  it('is an image named by its title and description, that scales to a phone with readable text and colours', () => {
    assertAccessible(histogram(), 'impact-chart');
  });

  it('draws one bar for each non-empty bucket, longest for the largest count, with every count written out', () => {
    const svg = histogram();
    const widths = [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(widths.length, 2);
    assert.ok((widths[1] ?? 0) > (widths[0] ?? 0));
    for (const label of ['Down 50% or more', 'No change', 'New budget (was £0)', '>3<', '>0<', '>120<']) assert.ok(svg.includes(label), label);
  });

  it('escapes labels and shortens only what would not fit', () => {
    const svg = histogram({ bars: [{ label: '<b>&', count: 1 }, { label: 'x'.repeat(200), count: 2 }] });
    assert.match(svg, />&lt;b&gt;&amp;</);
    assert.match(svg, /x…</);
    assertWellFormed(svg);
  });

  it('refuses counts that are not whole numbers of people', () => {
    assert.throws(() => histogram({ bars: [{ label: 'a', count: -1 }] }), RangeError);
    assert.throws(() => histogram({ bars: [{ label: 'a', count: 0.5 }] }), RangeError);
  });

  it('says there is no data when there are no bars, and draws no bars when every count is 0', () => {
    assert.match(histogram({ bars: [] }), /No data to show/);
    assert.doesNotMatch(histogram({ bars: [{ label: 'a', count: 0 }] }), /<rect/);
  });
});

describe('nice ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten and covers the data', () => {
    assert.deepEqual(niceTicks(0, 31, 4), [0, 10, 20, 30, 40]);
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(0, 0, 1), [0, 1]);
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: -1e9, max: 1e9, noNaN: true }), (a, b) => {
        const ticks = niceTicks(a, b);
        assert.ok((ticks[0] ?? Infinity) <= Math.min(a, b));
        assert.ok((ticks[ticks.length - 1] ?? -Infinity) >= Math.max(a, b));
        assert.ok(ticks.length >= 2 && ticks.length <= 12, `${ticks.length} ticks`);
        const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
        const mantissa = step / 10 ** Math.floor(Math.log10(step));
        assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step}`);
      }),
    );
  });
});

describe('chart colours', () => {
  it('are the GOV.UK colours, each at least 3:1 against white', () => {
    for (const colour of Object.values(CHART_COLOURS)) assert.ok(contrastWithWhite(colour) >= 3, colour);
  });
});
