/**
 * Building the page's elements. Text goes in through `textContent` only,
 * never as HTML: parameter names and numbers are data.
 * @module
 */
import { chainColor } from "../shared/colors.ts";

/** Children an element can take: elements, or text (strings, numbers). */
type Child = Node | string | number | undefined;

/** A new element with attributes (set as attributes, never as HTML) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined) e.append(typeof c === "number" ? String(c) : c);
  return e;
}

/** Replaces `parent`'s children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c) => c !== undefined).map((c) => (typeof c === "number" ? String(c) : c!)));
}

/** A small square in chain k's colour (styled through the DOM: the page's policy forbids inline style attributes). */
export function swatch(k: number): HTMLElement {
  const s = el("span", { class: "swatch" });
  s.style.background = chainColor(k);
  return s;
}
