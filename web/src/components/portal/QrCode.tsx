/**
 * Shows the server's VietQR SVG without inserting markup: the SVG text is parsed (DOMParser, which
 * runs no script) and only the viewBox and the <path>/<rect> geometry and colours are copied into
 * React elements. The app's Content-Security-Policy allows images from this site only (no data:
 * URLs), so an <img src="data:..."> would not display; this keeps the policy strict and the
 * markup inert.
 */
import { useMemo } from 'react';

interface Shape {
  tag: 'path' | 'rect';
  attrs: Record<string, string>;
}

const SAFE_ATTRS = ['d', 'fill', 'stroke', 'x', 'y', 'width', 'height', 'stroke-width'];
const SAFE_VALUE = /^[-0-9A-Za-z#.,\s]*$/;

function parse(svg: string): { viewBox: string; shapes: Shape[] } | null {
  try {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = doc.documentElement;
    if (root.nodeName !== 'svg') return null;
    const viewBox = root.getAttribute('viewBox') ?? '';
    if (!/^[-0-9.\s]+$/.test(viewBox)) return null;
    const shapes: Shape[] = [];
    root.querySelectorAll('path, rect').forEach((el) => {
      const attrs: Record<string, string> = {};
      for (const name of SAFE_ATTRS) {
        const v = el.getAttribute(name);
        if (v !== null && SAFE_VALUE.test(v)) attrs[name] = v;
      }
      shapes.push({ tag: el.nodeName === 'rect' ? 'rect' : 'path', attrs });
    });
    return { viewBox, shapes };
  } catch {
    return null;
  }
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export function QrCode({ svg, label, size = 240 }: { svg: string; label: string; size?: number }) {
  const parsed = useMemo(() => parse(svg), [svg]);
  if (!parsed) return null;
  return (
    <svg className="qr" role="img" aria-label={label} viewBox={parsed.viewBox} width={size} height={size} shapeRendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
      {parsed.shapes.map((s, i) => {
        const props = Object.fromEntries(Object.entries(s.attrs).map(([k, v]) => [camel(k), v]));
        return s.tag === 'rect' ? <rect key={i} {...props} /> : <path key={i} {...props} />;
      })}
    </svg>
  );
}
