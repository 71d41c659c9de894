import type { Page } from 'playwright-core';

/**
 * Pairs of controls on a page that sit flush side by side (less than 3 px apart on one line):
 * buttons, fields, selects, links and a label's own text, as "left | right". A page's markup
 * loses the whitespace between elements written on separate lines, so nothing but the style
 * sheet keeps them apart.
 */
export function touchingControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes: { name: string; r: DOMRect }[] = [];
    const add = (name: string, r: DOMRect) => {
      if (r.width > 0 && r.height > 0) boxes.push({ name, r });
    };
    for (const el of document.querySelectorAll<HTMLElement>('button, input, select, a, summary')) {
      const text = el.textContent?.trim() || (el as HTMLInputElement).placeholder || el.tagName;
      add(`${el.tagName.toLowerCase()} ${text.slice(0, 24)}`, el.getBoundingClientRect());
    }
    for (const label of document.querySelectorAll('label'))
      for (const node of label.childNodes)
        if (node.nodeType === Node.TEXT_NODE && node.textContent?.trim()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          add(`label ${node.textContent.trim().slice(0, 24)}`, range.getBoundingClientRect());
        }
    const flush: string[] = [];
    for (const a of boxes)
      for (const b of boxes) {
        const sameLine =
          Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top) >
          0.5 * Math.min(a.r.height, b.r.height);
        const gap = b.r.left - a.r.right;
        if (a !== b && sameLine && gap > -0.5 && gap < 3) flush.push(`${a.name} | ${b.name}`);
      }
    return flush;
  });
}
