import { describe, expect, it } from 'vitest';
import { domainOf, invertX, pan, scaleTime, tickLabel, tickStep, ticks, zoom } from '../../../renderer/logic/time-axis';

describe('time axis', () => {
  it('maps the domain ends to the range ends and inverts exactly', () => {
    const d = { start: 1000, end: 3000 };
    expect(scaleTime(d, 400, 1000)).toBe(0);
    expect(scaleTime(d, 400, 3000)).toBe(400);
    expect(scaleTime(d, 400, 2000)).toBe(200);
    expect(invertX(d, 400, 100)).toBe(1500);
  });

  it('pads the domain and widens a single instant to one second', () => {
    const d = domainOf([5000, 5000]);
    expect(d.end - d.start).toBeCloseTo(1100);
    expect(domainOf([0, 10000], 0.1)).toEqual({ start: -1000, end: 11000 });
    expect(domainOf([NaN])).toEqual({ start: 0, end: 1000 });
  });

  it('zooms around the anchor, keeping the anchor at the same pixel', () => {
    const d = { start: 0, end: 1000 };
    const z = zoom(d, 2, 250);
    expect(z).toEqual({ start: 125, end: 625 });
    expect(scaleTime(z, 800, 250)).toBeCloseTo(scaleTime(d, 800, 250));
    expect(zoom(d, 1e9, 0).end - zoom(d, 1e9, 0).start).toBe(1);
  });

  it('pans by a time delta', () => {
    expect(pan({ start: 0, end: 10 }, 5)).toEqual({ start: 5, end: 15 });
  });

  it('picks nice tick steps and labels at the step precision', () => {
    const hour = { start: Date.UTC(2024, 0, 1, 10), end: Date.UTC(2024, 0, 1, 11) };
    expect(tickStep(hour, 8)).toBe(10 * 60 * 1000);
    const t = ticks(hour, 8);
    expect(t).toHaveLength(7);
    expect(tickLabel(t[1], 600000)).toBe('10:10');
    expect(tickLabel(Date.UTC(2024, 0, 1, 10, 0, 1, 250), 50)).toBe('01.250');
    expect(tickLabel(Date.UTC(2024, 0, 5), 86400000)).toBe('2024-01-05');
  });
});
