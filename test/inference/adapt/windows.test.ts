/**
 * The warm-up schedule (adapt/windows.ts) against Stan's windowed
 * adaptation (stan/mcmc/windowed_adaptation.hpp): hand-computed schedules
 * for the defaults and the short-warm-up fallback, and, over every warm-up
 * length up to 2,500, a transcription of Stan's counter-based code.
 *
 * Stan's rules, as used for the hand computations below:
 * - fewer than 20 warm-up iterations: no metric adaptation at all;
 * - if init_buffer + base_window + term_buffer > num_warmup (strictly):
 *   init_buffer = ⌊0.15 num_warmup⌋, term_buffer = ⌊0.1 num_warmup⌋,
 *   base_window = num_warmup − (init_buffer + term_buffer);
 * - draws are collected at iterations init_buffer ≤ i < num_warmup − term_buffer;
 * - the first window ends at init_buffer + base_window − 1; after a window
 *   ending at e the size doubles and the next ends at e + size, unless that
 *   end plus twice the new size reaches num_warmup − term_buffer, in which
 *   case it stretches to num_warmup − term_buffer − 1 (the last window).
 */
import { describe, expect, it } from "vitest";
import { windowSchedule } from "../../../src/inference/adapt/windows.ts";

/** The 0-based iterations of `warmup` at which the schedule ends a window, and at which it collects a draw. */
function scan(warmup: number, horizon = warmup + 5): { ends: number[]; collected: number[] } {
  const s = windowSchedule(warmup);
  const ends: number[] = [];
  const collected: number[] = [];
  for (let i = 0; i < horizon; i++) {
    if (s.endsWindow(i)) ends.push(i);
    if (s.inWindow(i)) collected.push(i);
  }
  return { ends, collected };
}

/** A set of iterations summarized as count, first and last, and whether it is contiguous. */
interface Stretch {
  count: number;
  first: number;
  last: number;
  contiguous: boolean;
}
const newStretch = (): Stretch => ({ count: 0, first: -1, last: -1, contiguous: true });
function add(s: Stretch, i: number): void {
  if (s.count === 0) s.first = i;
  else if (i !== s.last + 1) s.contiguous = false;
  s.last = i;
  s.count++;
}

const range = (from: number, toInclusive: number): number[] => Array.from({ length: toInclusive - from + 1 }, (_, k) => from + k);

/**
 * Stan's windowed_adaptation, transcribed (set_window_params, restart,
 * adaptation_window, end_adaptation_window, compute_next_window, and the
 * counter increment of learn_variance), with its unsigned arithmetic kept
 * in mind: the constructor's zeros make the < 20 case adapt nothing.
 */
function stanSchedule(numWarmup: number): { ends: number[]; collected: Stretch } {
  let nw = 0;
  let initBuffer = 0;
  let termBuffer = 0;
  let baseWindow = 0;
  if (numWarmup >= 20) {
    nw = numWarmup;
    if (75 + 25 + 50 > numWarmup) {
      initBuffer = Math.trunc(0.15 * numWarmup);
      termBuffer = Math.trunc(0.1 * numWarmup);
      baseWindow = numWarmup - (initBuffer + termBuffer);
    } else {
      initBuffer = 75;
      termBuffer = 50;
      baseWindow = 25;
    }
  }
  let counter = 0;
  let windowSize = baseWindow;
  let nextWindow = initBuffer + windowSize - 1; // with the constructor's zeros this is UINT_MAX in Stan: never reached
  const ends: number[] = [];
  const collected = newStretch();
  for (let it = 0; it < numWarmup; it++) {
    if (counter >= initBuffer && counter < nw - termBuffer && counter !== nw) add(collected, it);
    if (counter === nextWindow && counter !== nw) {
      ends.push(it);
      // compute_next_window
      if (nextWindow !== nw - termBuffer - 1) {
        windowSize *= 2;
        nextWindow = counter + windowSize;
        if (nextWindow !== nw - termBuffer - 1 && nextWindow + 2 * windowSize >= nw - termBuffer) nextWindow = nw - termBuffer - 1;
      }
    }
    counter++;
  }
  return { ends, collected };
}

describe("window schedule", () => {
  it("warm-up 1000 (Stan's defaults): windows 25, 50, 100, 200, 500 end at 99, 149, 249, 449, 949", () => {
    // Proves the default schedule, computed by hand: initial buffer 75 (iterations 0…74), windows of
    // 25 (75…99), 50 (100…149), 100 (150…249), 200 (250…449), then 400 would end at 849 but
    // 849 + 800 ≥ 950, so the last stretches to 1000 − 50 − 1 = 949 (450…949); terminal buffer 950…999.
    const { ends, collected } = scan(1000);
    expect(ends).toEqual([99, 149, 249, 449, 949]);
    expect(collected).toEqual(range(75, 949));
  });

  it("warm-up 2000: the doubling continues to a 1000-iteration window stretched to 1949", () => {
    // Proves the doubling past Stan's default length, by hand: ends 99, 149, 249, 449, then 400 → 849
    // (849 + 800 = 1649 < 1950, kept), then 800 → 1649, and 1649 + 1600 ≥ 1950 so it stretches to 1949.
    const { ends, collected } = scan(2000);
    expect(ends).toEqual([99, 149, 249, 449, 849, 1949]);
    expect(collected).toEqual(range(75, 1949));
  });

  it("warm-up 150 (exactly 75 + 25 + 50) keeps the defaults: one window 75…99", () => {
    // Proves the fallback test is strict (Stan: init + base + term > num_warmup): 150 is not short,
    // so buffers are 75 and 50 and the single window is 75…99 (its end 99 = 150 − 50 − 1).
    const { ends, collected } = scan(150);
    expect(ends).toEqual([99]);
    expect(collected).toEqual(range(75, 99));
  });

  it("warm-up 100 gets the fallback: buffers 15 and 10, one window 15…89", () => {
    // Proves Stan's short-warm-up fallback, by hand: ⌊0.15·100⌋ = 15, ⌊0.1·100⌋ = 10, window 100 − 25 = 75,
    // so draws at 15…89 and one re-estimate after iteration 15 + 75 − 1 = 89.
    const { ends, collected } = scan(100);
    expect(ends).toEqual([89]);
    expect(collected).toEqual(range(15, 89));
  });

  it("warm-up 149 gets the fallback: buffers 22 and 14, one window 22…134", () => {
    // By hand: ⌊0.15·149⌋ = ⌊22.35⌋ = 22, ⌊0.1·149⌋ = ⌊14.9⌋ = 14, window 149 − 36 = 113, ending at 22 + 113 − 1 = 134.
    const { ends, collected } = scan(149);
    expect(ends).toEqual([134]);
    expect(collected).toEqual(range(22, 134));
  });

  it("warm-up 20 (the shortest adapted) gets the fallback: buffers 3 and 2, window 3…17", () => {
    // By hand: ⌊0.15·20⌋ = 3, ⌊0.1·20⌋ = 2, window 15, ending at 3 + 15 − 1 = 17.
    const { ends, collected } = scan(20);
    expect(ends).toEqual([17]);
    expect(collected).toEqual(range(3, 17));
  });

  it("warm-up 200, 250 and 300: the stretching rule by hand", () => {
    // 200: lastSlow = 149; 99, then 50 → 149 = lastSlow.                     Ends 99, 149.
    // 250: lastSlow = 199; 99, then 50 → 149 but 149 + 100 ≥ 200 → 199.      Ends 99, 199.
    // 300: lastSlow = 249; 99, 149 (149 + 100 < 250), then 100 → 249.        Ends 99, 149, 249.
    expect(scan(200).ends).toEqual([99, 149]);
    expect(scan(250).ends).toEqual([99, 199]);
    expect(scan(300).ends).toEqual([99, 149, 249]);
  });

  it("under 20 iterations nothing is adapted", () => {
    // Proves no draw is collected and no window ends for warm-ups of 0…19 (Stan: "No variance estimation is
    // performed for num_warmup < 20").
    for (let w = 0; w < 20; w++) {
      const { ends, collected } = scan(w, 40);
      expect(ends).toEqual([]);
      expect(collected).toEqual([]);
    }
  });

  it("every warm-up length up to 2,500 matches a transcription of Stan's code", () => {
    // Proves the closed-form schedule agrees with Stan's counter-based state machine everywhere,
    // including every boundary between the fallback and the defaults and every stretching decision.
    for (let w = 0; w <= 2500; w++) {
      const mine = stanSchedule(w);
      const s = windowSchedule(w);
      const ends: number[] = [];
      const collected = newStretch();
      for (let i = 0; i < w; i++) {
        if (s.endsWindow(i)) ends.push(i);
        if (s.inWindow(i)) add(collected, i);
      }
      if (ends.join() !== mine.ends.join()) expect({ w, ends }).toEqual({ w, ends: mine.ends });
      if (JSON.stringify(collected) !== JSON.stringify(mine.collected)) expect({ w, collected }).toEqual({ w, collected: mine.collected });
      // Draws are collected on one contiguous stretch that ends exactly at the last window's end.
      expect(collected.contiguous).toBe(true);
      if (ends.length > 0) expect(collected.last).toBe(ends[ends.length - 1]);
    }
  });
});
