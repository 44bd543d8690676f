/**
 * WCAG 2 contrast of every visible text under a root, from computed colours:
 * the text colour over the backgrounds of all its ancestors composited
 * (CSS colours of any syntax are read back through a 1-pixel canvas).
 */
import { Page } from 'playwright-core';

export interface IContrast {
  text: string;
  className: string;
  ratio: number;
  /** 4.5, or 3 for large text (24px, or 18.66px bold). */
  required: number;
}

/** The texts under `root` below their required contrast. */
export async function lowContrast(
  page: Page,
  root: string
): Promise<IContrast[]> {
  const all = await page.evaluate((selector: string): IContrast[] => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    const rgba = (css: string): number[] => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const d = ctx.getImageData(0, 0, 1, 1).data;
      return [d[0], d[1], d[2], d[3] / 255];
    };
    const over = (top: number[], bottom: number[]): number[] => {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) {
        return [0, 0, 0, 0];
      }
      const mix = [0, 1, 2].map(
        i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a
      );
      return [...mix, a];
    };
    const luminance = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map(v => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const results: IContrast[] = [];
    for (const rootNode of Array.from(document.querySelectorAll(selector))) {
      const nodes = [rootNode, ...Array.from(rootNode.querySelectorAll('*'))];
      for (const node of nodes as HTMLElement[]) {
        const own = Array.from(node.childNodes)
          .filter(child => child.nodeType === Node.TEXT_NODE)
          .map(child => child.textContent ?? '')
          .join('')
          .trim();
        if (!own || node.getClientRects().length === 0) {
          continue;
        }
        const style = getComputedStyle(node);
        if (style.visibility === 'hidden') {
          continue;
        }
        const chain: HTMLElement[] = [];
        for (let n: HTMLElement | null = node; n; n = n.parentElement) {
          chain.unshift(n);
        }
        let background = [255, 255, 255, 1];
        let opacity = 1;
        for (const n of chain) {
          const s = getComputedStyle(n);
          opacity *= Number(s.opacity);
          background = over(rgba(s.backgroundColor), background);
        }
        const color = rgba(style.color);
        color[3] *= opacity;
        const fg = over(color, background);
        const [l1, l2] = [luminance(fg), luminance(background)].sort(
          (a, b) => b - a
        );
        const size = parseFloat(style.fontSize);
        const bold = Number(style.fontWeight) >= 700;
        const large = size >= 24 || (size >= 18.66 && bold);
        results.push({
          text: own.slice(0, 40),
          className: String(node.className),
          ratio: Math.round(((l1 + 0.05) / (l2 + 0.05)) * 100) / 100,
          required: large ? 3 : 4.5
        });
      }
    }
    return results;
  }, root);
  return all.filter(item => item.ratio < item.required);
}
